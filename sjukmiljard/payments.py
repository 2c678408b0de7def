"""What each region is actually paid: the payment rules, and rounding to whole kronor that adds up.

Pure arithmetic on exact numbers (``fractions.Fraction``), no Excel and no I/O, so every amount can be
checked to the last öre before anything is rounded. The rules (``population_rule``, ``capped_rule``,
``key_rule``) turn one pot and what the regions reported into exact amounts plus what stays with the
state. ``controlled_round`` then turns the exact payment table into whole kronor.

How the rounding works (controlled rounding): every amount is first split into whole kronor and an
öre remainder; the only choice left is which amounts to round up by one krona. Each row (region) must
round up as many amounts as its remainders add up to, rounded down or up, and the same holds for
each column (pot) and for the whole table, so every printed sum is the rounded exact sum and all rows
and columns add up to the krona; a pot paid in full sums exactly to the pot. Among all roundings
that satisfy this, we take the one whose total rounding difference (the sum over all cells of
|paid − exact|) is smallest: amounts with large remainders are rounded up first. Remaining ties are
broken in a fixed reading order (first row first, left to right), so a rerun gives the same kronor.
The choice is computed exactly as a minimum-cost flow (regions → cells → pots) on whole numbers;
such a rounding always exists for a two-way table (Cox, 1987).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor, lcm

KRONOR_PER_MKR = 1_000_000

Number = Fraction | int


@dataclass(frozen=True)
class RuleResult:
    """One pot's exact outcome: the amount per region (in the caller's region order) and what is left.

    ``forfeited`` is the part of the pot that no region earned and so stays with the state; it is kept
    beside the amounts so that ``sum(amounts) + forfeited == pot`` can always be checked.
    """

    amounts: tuple[Fraction, ...]
    forfeited: Fraction

    @property
    def paid(self) -> Fraction:
        """The part of the pot that goes to the regions."""
        return sum(self.amounts, Fraction(0))


def to_kronor(mkr: Number) -> Fraction:
    """Mkr to kronor, exactly: the rules and the rounding work in kronor so that 1 means one krona."""
    return _exact(mkr, "mkr") * KRONOR_PER_MKR


def population_rule(
    pot: Number, populations: Sequence[Number], met: Sequence[bool], redistribute: bool
) -> RuleResult:
    """Share a pot by population among the regions that met the villkor.

    A region that met the villkor gets its population share of the pot, one that did not gets nothing.
    With ``redistribute=False`` the money of those that did not stays with the state; with
    ``redistribute=True`` the whole pot is shared by population among those that met it (their
    population shares within that group). If no region met it, the whole pot stays with the state.
    """
    total = _exact(pot, "pot")
    _check_non_negative(total, "pot")
    pops = _populations(populations)
    if len(met) != len(pops):
        raise ValueError(f"met has {len(met)} entries but there are {len(pops)} regions")
    if any(not isinstance(flag, bool) for flag in met):
        raise TypeError("met must hold True or False for each region")
    if redistribute:
        divisor = sum((p for p, ok in zip(pops, met, strict=True) if ok), Fraction(0))
        if divisor == 0:
            return RuleResult(tuple(Fraction(0) for _ in pops), total)
    else:
        divisor = sum(pops, Fraction(0))
    amounts = tuple(total * p / divisor if ok else Fraction(0) for p, ok in zip(pops, met, strict=True))
    return _result(total, amounts)


def capped_rule(pot: Number, populations: Sequence[Number], entitlements: Sequence[Number]) -> RuleResult:
    """Share a pot by population, but never above what each region is entitled to; pass the rest on.

    This is the rule of e.g. 2020 Villkor 3: a region's share is at most its population share of the
    pot and at most what its reported work is worth (its entitlement: reported count × amount per
    unit, or an amount claimed). Money a region cannot use goes to the regions that did more than their
    population share pays for, by population share among those, but never above their entitlement;
    this is repeated until the money is used up or every region is at its entitlement. Each round
    either uses up the money or brings at least one more region to its entitlement, so with exact
    fractions it ends after at most one round per region. What is left stays with the state.

    The outcome is the same as "every region gets min(entitlement, level × population) for the one
    level at which the pot is used up", so it does not depend on the order of the regions.
    """
    total = _exact(pot, "pot")
    _check_non_negative(total, "pot")
    pops = _populations(populations)
    caps = tuple(_exact(e, "entitlement") for e in entitlements)
    if len(caps) != len(pops):
        raise ValueError(f"there are {len(caps)} entitlements but {len(pops)} regions")
    for cap in caps:
        _check_non_negative(cap, "entitlement")
    all_people = sum(pops, Fraction(0))
    amounts = [min(total * p / all_people, cap) for p, cap in zip(pops, caps, strict=True)]
    for _ in range(len(pops)):
        left = total - sum(amounts, Fraction(0))
        eligible = [i for i, cap in enumerate(caps) if amounts[i] < cap]
        if left == 0 or not eligible:
            break
        people = sum((pops[i] for i in eligible), Fraction(0))
        for i in eligible:
            amounts[i] = min(amounts[i] + left * pops[i] / people, caps[i])
    return _result(total, tuple(amounts))


def key_rule(pot: Number, keys: Sequence[Number]) -> RuleResult:
    """Share a pot in proportion to a per-region key, such as the reduction in sick-leave days.

    Only a positive key earns money: a region whose key is zero or negative (no reduction, or an
    increase) gets nothing rather than paying back. If no key is positive the pot stays with the state.
    """
    total = _exact(pot, "pot")
    _check_non_negative(total, "pot")
    weights = tuple(max(_exact(k, "key"), Fraction(0)) for k in keys)
    if not weights:
        raise ValueError("there must be at least one region")
    divisor = sum(weights, Fraction(0))
    if divisor == 0:
        return RuleResult(tuple(Fraction(0) for _ in weights), total)
    return _result(total, tuple(total * w / divisor for w in weights))


def controlled_round(table: Sequence[Sequence[Number]]) -> tuple[tuple[int, ...], ...]:
    """Whole kronor for a non-negative table of exact amounts such that every sum adds up.

    Rows are regions (plus any national bodies the caller adds), columns are pots. In the result:

    * each cell is its exact amount rounded down or up (an amount in whole kronor stays as it is);
    * each column sums to its exact total rounded down or up, to exactly that total when it is whole
      (a pot paid out in full sums to the pot);
    * each row sums to its exact total rounded down or up, and so does the whole table.

    Rounding each cell on its own cannot promise this (the sums of rounded amounts drift by a krona or
    more from the rounded sums); see the module docstring for the method. When rounding each cell to
    the nearest krona (halves up) already satisfies all of the above, that is exactly the result.
    """
    cells = _table(table)
    n_rows, n_cols = len(cells), len(cells[0])
    whole = [[floor(a) for a in row] for row in cells]
    frac = [[a - w for a, w in zip(row, wrow, strict=True)] for row, wrow in zip(cells, whole, strict=True)]

    row_frac = [sum(row, Fraction(0)) for row in frac]
    col_frac = [sum((frac[i][j] for i in range(n_rows)), Fraction(0)) for j in range(n_cols)]
    all_frac = sum(col_frac, Fraction(0))
    row_bounds = [(floor(r), ceil(r)) for r in row_frac]
    grand_bounds = (floor(all_frac), ceil(all_frac))
    col_bounds = [(floor(c), ceil(c)) for c in col_frac]

    ups = _choose_round_ups(frac, row_bounds, col_bounds, grand_bounds)
    return tuple(
        tuple(w + (1 if (i, j) in ups else 0) for j, w in enumerate(whole[i])) for i in range(n_rows)
    )


# ---------------------------------------------------------------------------------------------------
# Rounding internals


def _choose_round_ups(
    frac: list[list[Fraction]],
    row_bounds: list[tuple[int, int]],
    col_bounds: list[tuple[int, int]],
    grand_bounds: tuple[int, int],
) -> set[tuple[int, int]]:
    """The cells to round up: a minimum-cost flow source → rows → cells → columns → total → sink.

    One unit of flow through a cell means "round this cell up". A row, column or the total must carry
    between its lower and upper count; the lower part is a separate arc with a hugely negative cost
    (``big``), so any cheapest flow fills every lower bound whenever that is possible at all, and
    checking that they are filled proves feasibility. A cell's cost is its rounding difference when
    rounded up minus when rounded down, (1 − f) − f, scaled to whole numbers by the common denominator
    and then by 2**n with a distinct tie-break bit per cell (earlier cells in reading order get the
    larger bit, so are preferred): every set of round-ups then has its own cost and the cheapest is
    unique, whatever order the algorithm happens to look at things in.
    """
    n_rows, n_cols = len(frac), len(frac[0])
    open_cells = [(i, j) for i in range(n_rows) for j in range(n_cols) if frac[i][j] != 0]
    n = len(open_cells)
    if n == 0:
        return set()
    denominator = lcm(*(frac[i][j].denominator for i, j in open_cells))
    scale = 1 << n
    cell_cost = {}
    for rank, (i, j) in enumerate(open_cells):
        f = frac[i][j]
        primary = denominator - 2 * f.numerator * (denominator // f.denominator)
        cell_cost[i, j] = primary * scale - (1 << (n - 1 - rank))
    big = 2 * sum(abs(c) for c in cell_cost.values()) + 1

    source, total, sink = 0, 1 + n_rows + n_cols, 2 + n_rows + n_cols
    flow = _MinCostFlow(sink + 1)

    def bounded(u: int, v: int, bounds: tuple[int, int]) -> int:
        lo, hi = bounds
        flow.add_arc(u, v, hi - lo, 0)
        return flow.add_arc(u, v, lo, -big)

    lower_arcs = [bounded(source, 1 + i, b) for i, b in enumerate(row_bounds)]
    cell_arcs = {(i, j): flow.add_arc(1 + i, 1 + n_rows + j, 1, cell_cost[i, j]) for i, j in open_cells}
    lower_arcs += [bounded(1 + n_rows + j, total, b) for j, b in enumerate(col_bounds)]
    lower_arcs.append(bounded(total, sink, grand_bounds))

    flow.run(source, sink)
    if any(flow.cap[arc] != 0 for arc in lower_arcs):
        raise AssertionError("a row, column or total bound is unmet; Cox (1987) says this cannot happen")
    return {cell for cell, arc in cell_arcs.items() if flow.cap[arc] == 0}


class _MinCostFlow:
    """Successive shortest paths with Dijkstra on reduced costs; integer capacities and costs.

    Augments only while the cheapest source-to-sink path has negative cost, which yields the cheapest
    flow of any size (path costs never decrease from one augmentation to the next).
    """

    def __init__(self, nodes: int) -> None:
        self.head: list[list[int]] = [[] for _ in range(nodes)]
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []

    def add_arc(self, u: int, v: int, capacity: int, cost: int) -> int:
        """Add u → v and its residual twin; return the forward arc's id (the twin is id ^ 1)."""
        arc = len(self.to)
        for a, b, c, k in ((u, v, capacity, cost), (v, u, 0, -cost)):
            self.head[a].append(len(self.to))
            self.to.append(b)
            self.cap.append(c)
            self.cost.append(k)
        return arc

    def run(self, source: int, sink: int) -> None:
        nodes = len(self.head)
        potential = self._bellman_ford(source)
        while True:
            dist: list[int | None] = [None] * nodes
            via: list[int] = [-1] * nodes
            dist[source] = 0
            heap = [(0, source)]
            while heap:
                d, u = heapq.heappop(heap)
                if d != dist[u]:
                    continue
                for arc in self.head[u]:
                    v = self.to[arc]
                    pu, pv = potential[u], potential[v]
                    if self.cap[arc] <= 0 or pu is None or pv is None:
                        continue
                    nd = d + self.cost[arc] + pu - pv
                    old = dist[v]
                    if old is None or nd < old:
                        dist[v] = nd
                        via[v] = arc
                        heapq.heappush(heap, (nd, v))
            for v, step in enumerate(dist):
                p = potential[v]
                if step is not None and p is not None:
                    potential[v] = p + step
            sink_potential, source_potential = potential[sink], potential[source]
            if dist[sink] is None or sink_potential is None or source_potential is None:
                return
            if sink_potential - source_potential >= 0:
                return
            path = []
            v = sink
            while v != source:
                path.append(via[v])
                v = self.to[via[v] ^ 1]
            push = min(self.cap[arc] for arc in path)
            for arc in path:
                self.cap[arc] -= push
                self.cap[arc ^ 1] += push

    def _bellman_ford(self, source: int) -> list[int | None]:
        """Exact shortest distances over arcs with capacity (negative costs allowed, no negative cycles).

        Nodes unreachable now stay unreachable (augmenting only adds arcs among reachable nodes), so
        they keep ``None`` and are ignored by Dijkstra.
        """
        dist: list[int | None] = [None] * len(self.head)
        dist[source] = 0
        for _ in range(len(self.head)):
            changed = False
            for u, du in enumerate(dist):
                if du is None:
                    continue
                for arc in self.head[u]:
                    if self.cap[arc] <= 0:
                        continue
                    v = self.to[arc]
                    nd = du + self.cost[arc]
                    old = dist[v]
                    if old is None or nd < old:
                        dist[v] = nd
                        changed = True
            if not changed:
                break
        return dist


# ---------------------------------------------------------------------------------------------------
# Input checks


def _exact(value: object, what: str) -> Fraction:
    """Accept only exact numbers: a float would already have lost the öre the rounding is about."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise TypeError(f"{what} must be an int or a Fraction, not {type(value).__name__}")
    return Fraction(value)


def _check_non_negative(value: Fraction, what: str) -> None:
    if value < 0:
        raise ValueError(f"{what} must not be negative, got {_show(value)}")


def _populations(populations: Sequence[Number]) -> tuple[Fraction, ...]:
    """Every region has residents; a zero would give it no share and usually means a data error."""
    pops = tuple(_exact(p, "population") for p in populations)
    if not pops:
        raise ValueError("there must be at least one region")
    if any(p <= 0 for p in pops):
        raise ValueError("every population must be positive")
    return pops


def _result(pot: Fraction, amounts: tuple[Fraction, ...]) -> RuleResult:
    return RuleResult(amounts, pot - sum(amounts, Fraction(0)))


def _table(table: Sequence[Sequence[Number]]) -> list[list[Fraction]]:
    if not table or not table[0]:
        raise ValueError("the table must have at least one row and one column")
    width = len(table[0])
    cells = []
    for i, row in enumerate(table):
        if len(row) != width:
            raise ValueError(f"row {i} has {len(row)} cells, the first row has {width}")
        exact = [_exact(a, f"cell ({i}, {j})") for j, a in enumerate(row)]
        for j, a in enumerate(exact):
            _check_non_negative(a, f"cell ({i}, {j})")
        cells.append(exact)
    return cells


def _show(value: Fraction) -> str:
    """A readable exact amount for error messages (a decimal when it is one, else p/q)."""
    return str(value) if value.denominator == 1 else f"{float(value):.6f} ({value})"
