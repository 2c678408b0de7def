"""Reading the Utfall sheet: what the regions reported, one column per pot, and each pot's rule."""

from __future__ import annotations

import re

from ..allocate.rules import Rule, unknown_rule
from ..formats import did_you_mean
from ..model import MKR_TOLERANCE, PotOutcome, Utfall, Villkor
from ..words import regions
from ..words.swedish import format_mkr
from ..words.vocabulary import FORFEIT_REDISTRIBUTED, FORFEIT_TO_STATE, OUTCOME_PARAMETERS, is_total_label
from .amounts import DOUBTFUL_MKR
from .findings import Read, SheetCheck
from .grid import Grid, Header, is_empty, text


def read_utfall(grid: Grid, villkor: tuple[Villkor, ...]) -> Read[Utfall | None]:
    """The regions' reported outcomes; None for a sheet with nothing filled in (the template's)."""
    check = SheetCheck(grid)
    header = grid.find_header()
    if header is None:
        check.problem(None, None, "rubrikraden med cellen 'Län' saknas")
        return check.read(None)
    parameters: dict[str, int] = {}
    rows: dict[str, int] = {}
    for r in grid.rows_after(header.row):
        value = grid.get(r, header.lan_col)
        if is_empty(value) or check.error_value(r, header.lan_col):
            continue
        label = text(value)
        key = regions.fold(label)
        if key in OUTCOME_PARAMETERS:
            parameters[OUTCOME_PARAMETERS[key]] = r
        elif regions.is_riket(label) or is_total_label(label):
            continue
        elif (name := regions.match(label)) is None:
            check.problem(r, header.lan_col, f"okänt län '{label}'{did_you_mean(regions.suggest(label))}")
        elif name in rows:
            check.problem(r, header.lan_col, f"{name} förekommer redan på rad {rows[name] + 1}")
        else:
            rows[name] = r
    if all(is_empty(grid.get(r, c)) for r in rows.values() for c, _ in header.columns):
        return check.read(None)
    for name in regions.NAMES:
        if name not in rows:
            check.problem(None, None, f"{name} saknas")
    _one_column_per_pot(check, header.row, header.columns, villkor)
    _all_seen(check, header, rows)
    pots = [
        _pot_outcome(check, header.row, col, label, parameters, rows, villkor)
        for col, label in header.columns
    ]
    for v in villkor:
        for k, pot in enumerate(v.pots):
            label = _pot_label(v, k)
            if pot.amount > 0 and not any(_binds(header_label, v, k) for _, header_label in header.columns):
                check.problem(None, None, f"kolumnen '{label}' saknas (en kolumn per pott med belopp)")
    if check.problem_count or len(rows) != len(regions.NAMES):
        return check.read(None)
    return check.read(Utfall(tuple(p for p in pots if p is not None)))


def _one_column_per_pot(
    check: SheetCheck, row: int, columns: tuple[tuple[int, str], ...], villkor: tuple[Villkor, ...]
) -> None:
    """A pot is paid from one column only: two columns naming the same pot (`Villkor 1 | Villkor 1`,
    `Villkor 1 | Villkor 1 pott 1`, or an extra pot's name twice) would pay it twice."""
    seen: dict[tuple[str, int] | str, int] = {}
    for col, label in columns:
        found = next(((v.name, k) for v in villkor for k in range(len(v.pots)) if _binds(label, v, k)), None)
        key: tuple[str, int] | str = found if found is not None else regions.fold(label)
        if key in seen:
            pot = "samma pott" if found is None else _pot_name(villkor, *found)
            other = check.grid.ref(row, seen[key])
            check.problem(
                row,
                col,
                f"kolumnen '{label}' avser samma pott som kolumnen i {other} ({pot}) "
                "– en pott får bara ha en kolumn",
            )
        else:
            seen[key] = col


def _all_seen(check: SheetCheck, header: Header, rows: dict[str, int]) -> None:
    """Every column and län row that decides a payment is seen on screen and on paper: a hidden,
    struck-through or invisible one would pay what nobody reading the sheet sees."""
    grid, row = check.grid, header.row
    for col, label in header.columns:
        why = "är dold" if grid.col_hidden(col) else grid.mark(row, col)
        if why is not None:
            check.problem(
                row,
                col,
                f"kolumnen '{label}' {why} – visa den (eller ta bort den) så att det som betalas ut syns",
            )
    for name, r in rows.items():
        if r in grid.hidden_rows:
            check.problem(
                r, header.lan_col, f"raden för {name} är dold – visa den så att det som betalas ut syns"
            )


def _loosely_named(label: str, villkor: tuple[Villkor, ...]) -> Villkor | None:
    """The villkor sheet a column's heading names without being its name ("V1", "Villkor 1 (pott
    1)", "Villkor1", "Vilkor 1 kontakter"): a pot of its own must not look like a villkor's."""
    folded = regions.fold(label)
    for v in villkor:
        name = regions.fold(v.name)
        if re.match(rf"{re.escape(name)}(?![\wåäö])", folded) or re.sub(r"\W", "", folded) == re.sub(
            r"\W", "", name
        ):
            return v
        numbered = re.fullmatch(r"([a-zåäö]+)\s*0*(\d+)", name)
        written = re.match(r"([a-zåäö]+)\.?\s*[-–]?\s*0*(\d+)(?!\d)", folded)
        if numbered is not None and written is not None and written.group(2) == numbered.group(2):
            word, short = numbered.group(1), written.group(1)  # "v", "villk" or "vilkor" for "villkor"
            if word.startswith(short):
                return v
            import difflib  # only for a heading that is no villkor's name: a misspelling of one

            if difflib.SequenceMatcher(None, word, short).ratio() >= 0.8:
                return v
    return None


def _pot_name(villkor: tuple[Villkor, ...], name: str, index: int) -> str:
    several = next(len(v.pots) > 1 for v in villkor if v.name == name)
    return f"pott {index + 1} på bladet {name}" if several else f"potten på bladet {name}"


def _pot_outcome(
    check: SheetCheck,
    header_row: int,
    col: int,
    label: str,
    parameters: dict[str, int],
    rows: dict[str, int],
    villkor: tuple[Villkor, ...],
) -> PotOutcome | None:
    grid = check.grid
    found = next(((v, k) for v in villkor for k in range(len(v.pots)) if _binds(label, v, k)), None)
    problems_before = check.problem_count
    rule_row = parameters.get("rule")
    rule_text = "" if rule_row is None or is_empty(grid.get(rule_row, col)) else text(grid.get(rule_row, col))
    rule = Rule.parse(rule_text)
    if rule is None:
        check.problem(rule_row, col, unknown_rule(rule_text))
    forfeit_row = parameters.get("forfeit")
    forfeit = "" if forfeit_row is None else regions.fold(text(grid.get(forfeit_row, col) or ""))
    if forfeit not in ("", FORFEIT_TO_STATE, FORFEIT_REDISTRIBUTED):
        check.problem(forfeit_row, col, f"'{forfeit}' – skriv staten eller omfördelas")
    per_unit = None
    per_unit_row = parameters.get("per_unit")
    if (
        rule is not None
        and rule.spec.takes_per_unit
        and per_unit_row is not None
        and not is_empty(grid.get(per_unit_row, col))
    ):
        per_unit = check.number(per_unit_row, col, "belopp per enhet")
        if per_unit is not None and per_unit <= 0:
            check.problem(per_unit_row, col, "beloppet per enhet måste vara större än noll")
    pot_row = parameters.get("pot")
    given = None
    if pot_row is not None and not is_empty(grid.get(pot_row, col)):
        given = check.number(pot_row, col, "pottens belopp")
    if found is not None:
        v, k = found
        pot = v.pots[k].amount
        if given is not None and abs(given - pot) > MKR_TOLERANCE:
            check.problem(
                pot_row,
                col,
                f"potten är {format_mkr(pot)} Mkr på bladet {v.name}, inte {format_mkr(given)}",
            )
    elif (like := _loosely_named(label, villkor)) is not None:
        check.problem(
            header_row, col,
            f"kolumnen '{label}' liknar villkorsbladet '{like.name}' men är inte dess namn – skriv rubriken "
            f"'{_pot_label(like, 0)}' (för en av flera potter '{like.name} pott 2' osv.); en egen pott, "
            "t.ex. den rörliga delen, får ett namn som inte är ett villkorsblads",
        )  # fmt: skip
        pot = 0.0
    elif given is None:
        check.problem(
            None, None, f"'{label}' är inget villkorsblad – ange pottens belopp på raden 'Pott, Mkr'"
        )
        pot = 0.0
    else:
        pot = given
        if pot < 0:
            check.problem(pot_row, col, "potten kan inte vara negativ")
        elif pot > DOUBTFUL_MKR:  # a unit mistake: the pot typed in tkr or kr under "Pott, Mkr"
            check.problem(
                pot_row, col,
                f"potten '{label}' {format_mkr(pot)} Mkr är mer än dubbelt så mycket som en hel "
                "överenskommelse (omkring 1 000 Mkr) – står beloppet i tkr eller kr? Skriv potten i Mkr",
            )  # fmt: skip
    values = [_outcome_value(check, rows[name], col, rule, name) for name in regions.NAMES if name in rows]
    if check.problem_count != problems_before or rule is None or any(v is None for v in values):
        return None
    return PotOutcome(
        label=label,
        villkor=found[0].name if found else None,
        index=found[1] if found else 0,
        pot=pot,
        rule=rule,
        values=tuple(v for v in values if v is not None),
        redistribute=forfeit == FORFEIT_REDISTRIBUTED,
        per_unit=per_unit,
    )


def _outcome_value(
    check: SheetCheck, row: int, col: int, rule: Rule | None, name: str
) -> bool | float | None:
    value = check.grid.get(row, col)
    if rule is not None and rule.spec.yes_no:
        if isinstance(value, bool):
            return value
        answer = regions.fold(text(value)) if not is_empty(value) else ""
        if answer in ("ja", "nej"):
            return answer == "ja"
        if check.error_value(row, col):
            return None
        shown = "" if is_empty(value) else f"'{text(value)}' "
        check.problem(row, col, f"{shown}är varken Ja eller Nej ({name})".strip())
        return None
    number = check.number(row, col, f"värdet för {name}")
    if number is not None and rule is not None and rule.spec.non_negative and number < 0:
        check.problem(row, col, f"antalet för {name} kan inte vara negativt")
        return None
    return number


def _pot_label(villkor: Villkor, index: int) -> str:
    return villkor.name if len(villkor.pots) == 1 else f"{villkor.name} pott {index + 1}"


def _binds(label: str, villkor: Villkor, index: int) -> bool:
    """Whether an Utfall column header names this pot: "Villkor 1", or "Villkor 3 pott 2"."""
    folded = regions.fold(label)
    names = {regions.fold(f"{villkor.name} pott {index + 1}")}
    if len(villkor.pots) == 1:
        names.add(regions.fold(villkor.name))
    return folded in names
