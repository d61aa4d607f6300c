"""One item's distinct answers and what they say: the answers' rows and their summary,
whether a column is an option column or an item with a few stray answers, and why a column
is not an item."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import polars as pl

from cxgap.code.choose import (
    OPTION_COLUMN_MIN,
    STRAY_MAX_DISTINCT,
    STRAY_MAX_SHARE,
    TWO_CODES,
    ScaleChoice,
    ScaleSource,
)
from cxgap.code.graded import GRADED_ANSWER
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


class Summary(NamedTuple):
    """What one item's distinct answers add up to: enough to tell plain numbers, plainly
    unscaled text and why a column is not an item without its answers' rows. Computed for
    every item at once (see :func:`by_item`); "valid" answers are those that are no
    non-answer."""

    #: valid answers given, and how many distinct ones
    total: int
    distinct: int
    #: the most times one valid answer was given
    most: int
    #: blank cells
    blank: int
    #: every valid answer is a whole number written alone (no label with it)
    plain: bool
    #: valid answers without a whole number (words, decimals): distinct, given, in a vocabulary
    text_rows: int
    text_n: int
    known_n: int
    #: valid text answers that read as points of a graded scale (see cxgap.code.graded)
    graded_n: int
    #: valid answers whose number is 0 or more (labelled ones too): distinct, given, range
    coded_rows: int
    coded_n: int
    coded_low: int | None
    coded_high: int | None
    #: valid answers that are whole numbers written alone (negative ones too): given, range
    numeric_n: int
    numeric_low: int | None
    numeric_high: int | None
    #: valid answers with decimals: given, and the first in text order
    decimal_n: int
    first_decimal: str | None
    #: valid answers that are dates or times, given
    date_n: int
    #: the four most given valid answers (ties in text order)
    top: list[str]
    #: the first three answers written (non-answers too), in text order
    shown: list[str]


class Answers:
    """One item's rows of the answer table and their :class:`Summary`. The rows (plain
    tuples, or a frame) are read only when asked for: most of a wide export's thousand
    columns are decided from their summary alone."""

    def __init__(
        self, table: pl.DataFrame, start: int, length: int, summary: Summary, at: dict[str, int]
    ) -> None:
        """Rows ``start`` to ``start + length`` of ``table``, whose columns are at ``at``."""
        self.table, self.start, self.length, self.summary = table, start, length, summary
        self._rows: list[tuple[Any, ...]] | None = None
        self._frame: pl.DataFrame | None = None
        self.value, self.norm, self.code = at["value"], at["norm"], at["code"]
        self.n, self.missing, self.labelled = at["n"], at["missing"], at["labelled"]
        self.decimal = at["decimal"]

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        if self._rows is None:
            self._rows = self.table.slice(self.start, self.length).rows()
        return self._rows

    @property
    def frame(self) -> pl.DataFrame:
        if self._frame is None:
            self._frame = self.table.slice(self.start, self.length)
        return self._frame


#: A date or time as written (day, month and year in some order).
_DATE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")


def by_item(answers: pl.DataFrame, vocabularies: Sequence[Scale]) -> dict[str, Answers]:
    """The answer table (see :func:`cxgap.code.coding.answer_table`, sorted by item and
    answer) split by item, each item's :class:`Summary` computed for all at once: one
    aggregation over the table, whatever the number of items (``vocabularies`` say which
    words are known)."""
    every = sorted({label for v in vocabularies for label in v.label_map()})
    valid, n, code, norm = ~pl.col("missing"), pl.col("n"), pl.col("code"), pl.col("norm")
    text = valid & code.is_null()
    coded = valid & (code >= 0)
    numeric = valid & code.is_not_null() & ~pl.col("labelled")
    decimal = valid & pl.col("decimal")
    given = pl.col("value").filter(valid)
    # Rust's regex and Python's agree on ASCII text; other answers are matched in Python
    ascii_text = norm.str.contains(r"^[\x00-\x7f]*$")
    dated = valid & ascii_text & norm.str.contains(_DATE.pattern)
    found = (
        answers.with_row_index("at")
        .group_by("item", maintain_order=True)
        .agg(
            start=pl.col("at").first(),
            length=pl.len(),
            total=n.filter(valid).sum(),
            distinct=valid.sum(),
            most=n.filter(valid).max(),
            blank=n.filter(pl.col("value").is_null()).sum(),
            plain=numeric.filter(valid).all(),
            text_rows=text.sum(),
            text_n=n.filter(text).sum(),
            known_n=n.filter(text & norm.is_in(every)).sum(),
            graded_n=n.filter(text & norm.str.contains(GRADED_ANSWER)).sum(),
            coded_rows=coded.sum(),
            coded_n=n.filter(coded).sum(),
            coded_low=code.filter(coded).min(),
            coded_high=code.filter(coded).max(),
            numeric_n=n.filter(numeric).sum(),
            numeric_low=code.filter(numeric).min(),
            numeric_high=code.filter(numeric).max(),
            decimal_n=n.filter(decimal).sum(),
            first_decimal=pl.col("value").filter(decimal).first(),
            date_n=n.filter(dated).sum(),
            top=given.sort_by(n.filter(valid), given, descending=[True, False]).head(4),
            shown=pl.col("value").drop_nulls().head(3),
        )
    )
    dates = _dates_outside_ascii(answers.filter(valid & ~ascii_text))
    at = {name: k for k, name in enumerate(answers.columns)}
    out: dict[str, Answers] = {}
    for row in found.iter_rows():
        item, start, length, *fields = row
        s = Summary(*fields)
        s = s._replace(most=s.most or 0, date_n=s.date_n + dates.get(item, 0))
        out[item] = Answers(answers, start, length, s, at)
    return out


def _dates_outside_ascii(rows: pl.DataFrame) -> dict[str, int]:
    """Valid answers that are dates, per item, among answers with other than ASCII text."""
    out: dict[str, int] = {}
    for item, norm, n in rows.select("item", "norm", "n").iter_rows():
        if norm and _DATE.search(norm):
            out[item] = out.get(item, 0) + int(n)
    return out


def one_option(answers: Answers) -> bool:
    """One distinct answer, given many times: an option column of an expanded export
    (multi-select, or one column per matrix row x option)."""
    s = answers.summary
    if s.distinct != 1:
        return False
    # Shares, not counts alone: analyze pools both groups' counts (the same file twice
    # when one export serves both) and validate counts one file, and the two must agree
    # (a column ticked once among 221 blanks is an option column in both).
    return s.total >= OPTION_COLUMN_MIN or s.blank >= s.total


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


def partial_reason(problem: Unrecognised) -> str:
    """Why a column whose answers fit a scale only in part, with too many others to be
    strays, is left out: the answers that do not fit, not the ones that do."""
    shown = ", ".join(f"{v!r} ({n}x)" for v, n in problem.values[:4])
    more = f" and {len(problem.values) - 4} more" if len(problem.values) > 4 else ""
    return (
        f"{fit_share(problem):.0%} of the answers fit the {problem.scale.name} scale, "
        f"{len(problem.values)} different answers do not ({shown}{more}): free text rather "
        'than an item; set unknown_answers = "missing" to count those as non-answers'
    )


def stray_reason(
    problem: Unrecognised, values: list[tuple[str, int]] | None = None, *, where: str = ""
) -> str:
    """Why a column with a few stray answers is left out: the answers (``values``, by
    default all of them) and counts, or ``where`` when it says them, with their files."""
    shown = where or ", ".join(f"{v!r} ({n}x)" for v, n in values or problem.values)
    return (
        f"fits the {problem.scale.name} scale except stray answers {shown}; left out: list "
        "them in non_answers, or name the item in include_items to see each one"
    )


#: Why a column whose declared value labels are categories is not an item.
CATEGORIES = "categories (declared labels are not an ordered scale)"


def _most_given(answers: Answers, k: int) -> str:
    """The ``k`` most given valid answers (ties in text order), quoted."""
    return ", ".join(repr(v) for v in answers.summary.top[:k])


def category_reason(answers: Answers) -> str:
    sample = _most_given(answers, 4)
    return CATEGORIES + (f": e.g. {sample}" if sample else "")


def classify(answers: Answers) -> str:
    """Why a column whose answers fit no scale is plainly not an item (from its
    :class:`Summary`: a wide export asks this of a thousand columns)."""
    s = answers.summary
    total = s.total
    if total == 0:
        if not s.shown:
            return "empty: no answers in any row"
        return f"only non-answers ({', '.join(repr(v) for v in s.shown)})"
    distinct = s.distinct
    if distinct == 1:
        return (
            f"one answer only ({s.top[0]!r} in all {total}): an option column "
            "(multi-select, or one column per option), or a question all answered alike; "
            "name it in include_items to analyse it"
        )
    numeric_n, decimals = s.numeric_n, s.decimal_n
    if decimals and numeric_n + decimals >= 0.9 * total:
        return f"numbers with decimals (e.g. {s.first_decimal!r}), not scale codes"
    if numeric_n >= 0.9 * total:
        lo, hi = s.numeric_low, s.numeric_high
        if lo is not None and hi is not None and lo >= 1900 and hi <= 2100:
            return f"years ({lo} to {hi})"
        if distinct >= 10 and s.most == 1:
            return f"an id or running number: all {total} answers differ"
        if distinct == 2 and (lo, hi) in TWO_CODES:
            return (
                f"two codes only ({lo} and {hi}, no labels): a tick box or a yes/no, with no "
                f"telling which code agrees; to analyse it, set its scale in [items] (e.g. "
                f'"{lo}-{hi}": {hi} agrees)'
            )
        return (
            f"numbers from {lo} to {hi}, beyond the standard scales (a count, or a code "
            "such as a demographic)"
        )
    if s.date_n >= 0.9 * total:
        return "dates or times"
    if distinct > 20 or distinct >= 0.5 * total:
        return f"free text ({distinct} different answers in {total})"
    return (
        f"answers fit no known scale (e.g. {_most_given(answers, 4)}): a category or "
        "demographic; if it is an item, name it in include_items and set its scale or add "
        "its labels to vocabularies"
    )
