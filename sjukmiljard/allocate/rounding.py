"""Controlled rounding: whole numbers for a table of exact amounts such that every sum adds up.

A general algorithm on a non-negative two-way table of exact numbers (``fractions.Fraction``); it
knows nothing of regions or pots. Every amount is first split into its whole part and a remainder; the
only choice left is which amounts to round up by one. Each row must round up as many amounts as its
remainders add up to, rounded down or up, and the same holds for each column and for the whole table,
so every sum of rounded amounts is its exact sum rounded down or up, and exactly that sum when it is
whole. Among all roundings that satisfy this, we take the one whose total rounding difference (the sum
over all cells of |rounded − exact|) is smallest: amounts with large remainders are rounded up first.
Remaining ties are broken in a fixed reading order (first row first, left to right), so a rerun gives
the same result. The choice is computed exactly as a minimum-cost flow (rows → cells → columns) on
whole numbers; such a rounding always exists for a two-way table (Cox, 1987).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from fractions import Fraction
from math import ceil, floor, lcm

from .exact import Number, check_non_negative, exact


def controlled_round(table: Sequence[Sequence[Number]]) -> tuple[tuple[int, ...], ...]:
    """Whole numbers for a non-negative table of exact amounts such that every sum adds up.

    In the result:

    * each cell is its exact amount rounded down or up (a whole amount stays as it is);
    * each row and each column sums to its exact total rounded down or up, to exactly that total when
      it is whole;
    * the whole table sums to its exact total rounded down or up.

    Rounding each cell on its own cannot promise this (the sums of rounded amounts drift by one or
    more from the rounded sums); see the module docstring for the method. When rounding each cell to
    the nearest whole number (halves up) already satisfies all of the above, that is exactly the result.
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


def _table(table: Sequence[Sequence[Number]]) -> list[list[Fraction]]:
    if not table or not table[0]:
        raise ValueError("the table must have at least one row and one column")
    width = len(table[0])
    cells = []
    for i, row in enumerate(table):
        if len(row) != width:
            raise ValueError(f"row {i} has {len(row)} cells, the first row has {width}")
        amounts = [exact(a, f"cell ({i}, {j})") for j, a in enumerate(row)]
        for j, a in enumerate(amounts):
            check_non_negative(a, f"cell ({i}, {j})")
        cells.append(amounts)
    return cells
