"""One item's distinct answers and what they say: the answers' rows, whether a column is an
option column or an item with a few stray answers, and why a column is not an item."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from cxgap.code.choose import (
    OPTION_COLUMN_MIN,
    STRAY_MAX_DISTINCT,
    STRAY_MAX_SHARE,
    ScaleChoice,
    ScaleSource,
)
from cxgap.scales import (
    Scale,
)


@dataclass(frozen=True)
class ItemCoding:
    """How one item's answers map to codes."""

    item: str
    scale: Scale
    #: answer as written -> code; answers not in here are missing.
    codes: dict[str, int]
    n_answers: int
    source: ScaleSource = "config"
    reason: str = ""
    assumed: bool = False


@dataclass(frozen=True)
class Unrecognised:
    """Answers of an item that fit neither its scale nor the non-answers."""

    item: str
    scale: Scale
    values: list[tuple[str, int]]  # (answer as written, how many), most frequent first
    n_answers: int
    #: how the scale was chosen; None when no scale fits the answers at all
    choice: ScaleChoice | None = None


@dataclass(frozen=True)
class NotAnItem:
    item: str
    reason: str
    #: share of its answers that fit a scale
    fit: float = 0.0
    #: "strays": an item but for a few stray answers; "other": plainly not an item
    kind: Literal["strays", "other"] = "other"
    #: the stray answers, for kind "strays"
    problem: Unrecognised | None = None


class Answers:
    """One item's rows of the answer table: plain tuples (a thousand items are decided
    in plain Python), and the same rows as a frame, built only when asked for."""

    def __init__(self, rows: list[tuple[Any, ...]], schema: pl.Schema) -> None:
        self.rows, self.schema = rows, schema
        self._frame: pl.DataFrame | None = None
        at = {name: k for k, name in enumerate(schema.names())}
        self.value, self.norm, self.code = at["value"], at["norm"], at["code"]
        self.n, self.missing, self.labelled = at["n"], at["missing"], at["labelled"]
        self.decimal = at["decimal"]

    @property
    def frame(self) -> pl.DataFrame:
        if self._frame is None:
            self._frame = pl.DataFrame(self.rows, schema=self.schema, orient="row")
        return self._frame


def by_item(answers: pl.DataFrame) -> dict[str, Answers]:
    """The answer table split by item, in one pass over its rows."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    at = answers.columns.index("item")
    for row in answers.iter_rows():
        rows.setdefault(row[at], []).append(row)
    schema = answers.schema
    return {item: Answers(found, schema) for item, found in rows.items()}


def one_option(answers: Answers) -> bool:
    """One distinct answer, given many times: an option column of an expanded export
    (multi-select, or one column per matrix row x option)."""
    n, at_missing, at_value = answers.n, answers.missing, answers.value
    answered = [int(r[n]) for r in answers.rows if not r[at_missing]]
    if len(answered) != 1:
        return False
    given = answered[0]
    blank = sum(int(r[n]) for r in answers.rows if r[at_value] is None)
    # Shares, not counts alone: analyze pools both groups' counts (the same file twice
    # when one export serves both) and validate counts one file, and the two must agree
    # (a column ticked once among 221 blanks is an option column in both).
    return given >= OPTION_COLUMN_MIN or blank >= given


def is_stray(problem: Unrecognised) -> bool:
    if problem.choice is None or not problem.n_answers:
        return False
    unfit = sum(n for _, n in problem.values)
    return unfit / problem.n_answers <= STRAY_MAX_SHARE and len(problem.values) <= (
        STRAY_MAX_DISTINCT
    )


def fit_share(problem: Unrecognised) -> float:
    if not problem.n_answers:
        return 0.0
    unfit = sum(n for _, n in problem.values)
    return 1.0 - unfit / problem.n_answers


def stray_reason(problem: Unrecognised) -> str:
    shown = ", ".join(f"{v!r} ({n}x)" for v, n in problem.values)
    return (
        f"fits the {problem.scale.name} scale except stray answers {shown}; left out: list "
        "them in non_answers, or name the item in include_items to see each one"
    )


#: Why a column whose declared value labels are categories is not an item.
CATEGORIES = "categories (declared labels are not an ordered scale)"


def _answered_rows(answers: Answers) -> list[tuple[Any, ...]]:
    """The rows of the item's valid answers, in the answer table's order."""
    return [r for r in answers.rows if not r[answers.missing]]


def _most_given(answers: Answers, rows: list[tuple[Any, ...]], k: int) -> str:
    """The ``k`` most given answers (ties in text order), quoted."""
    ranked = sorted(rows, key=lambda r: (-int(r[answers.n]), r[answers.value]))
    return ", ".join(repr(r[answers.value]) for r in ranked[:k])


def category_reason(answers: Answers) -> str:
    sample = _most_given(answers, _answered_rows(answers), 4)
    return CATEGORIES + (f": e.g. {sample}" if sample else "")


_DATE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")


def classify(answers: Answers) -> str:
    """Why a column whose answers fit no scale is plainly not an item (in plain Python
    over its distinct answers: a wide export asks this of a thousand columns)."""
    a = answers
    answered = _answered_rows(a)
    total = sum(int(r[a.n]) for r in answered)
    if total == 0:
        given = [r[a.value] for r in a.rows if r[a.value] is not None]
        if not given:
            return "empty: no answers in any row"
        return f"only non-answers ({', '.join(repr(v) for v in given[:3])})"
    distinct = len(answered)
    if distinct == 1:
        return (
            f"one answer only ({answered[0][a.value]!r} in all {total}): an option column "
            "(multi-select, or one column per option), or a question all answered alike; "
            "name it in include_items to analyse it"
        )
    numbers = [r for r in answered if r[a.code] is not None and not r[a.labelled]]
    numeric_n = sum(int(r[a.n]) for r in numbers)
    with_decimals = [r for r in answered if r[a.decimal]]
    decimals = sum(int(r[a.n]) for r in with_decimals)
    if decimals and numeric_n + decimals >= 0.9 * total:
        return f"numbers with decimals (e.g. {with_decimals[0][a.value]!r}), not scale codes"
    if numeric_n >= 0.9 * total:
        lo, hi = min(int(r[a.code]) for r in numbers), max(int(r[a.code]) for r in numbers)
        if lo >= 1900 and hi <= 2100:
            return f"years ({lo} to {hi})"
        if distinct >= 10 and max(int(r[a.n]) for r in answered) == 1:
            return f"an id or running number: all {total} answers differ"
        return (
            f"numbers from {lo} to {hi}, beyond the standard scales (a count, or a code "
            "such as a demographic)"
        )
    dates = sum(int(r[a.n]) for r in answered if r[a.norm] and _DATE.search(r[a.norm]))
    if dates >= 0.9 * total:
        return "dates or times"
    if distinct > 20 or distinct >= 0.5 * total:
        return f"free text ({distinct} different answers in {total})"
    return (
        f"answers fit no known scale (e.g. {_most_given(a, answered, 4)}): a category or "
        "demographic; if it is an item, name it in include_items and set its scale or add "
        "its labels to vocabularies"
    )
