"""Weights in the counting passes: a row's weight as the passes read it, and what they
do with rows whose weight is bad.

A weight is a positive, finite number. Anything else (blank, zero, negative, NaN,
infinite, text) is a bad weight: the passes read it as null, leave that row out of
every count and count such rows (:data:`BAD`), so the common case, no bad weight,
costs no second look at the file. Only when there are some does
:func:`bad_weight_error` scan the weight column once more for the first one's row.
``invalid_weights = "error"`` (the default) stops with that error; ``"drop"`` keeps
the counts without those rows and says how many were left out. A bad weight is never
taken as 1.

A decimal comma is read where it is the file's convention: in a file whose delimiter
is not the comma (``;`` or tab, as European Excel writes CSV; see
:attr:`~cxgap.io.source.SurveyFile.decimal_comma`), a weight written as digits, one
comma, digits (``0,72``, ``-1,5``) is that number with a point. Nothing else changes:
a point is a decimal point in any file, and grouped digits (``1.234,5``,
``1,234.5``) are bad weights, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from cxgap.counts_table import keys_of
from cxgap.errors import InvalidWeight
from cxgap.io.plan import FilePlan
from cxgap.io.source import SurveyFile

#: A row's weight in a pass's columns (null where the weight is bad).
W = "\x00weight"
#: Rows with a bad weight, in a pass's output.
BAD = "\x00bad weights"
#: The lowest and highest good weight, in a pass's output.
W_MIN, W_MAX = "\x00lowest weight", "\x00highest weight"
#: What a weight must be, as the error says it.
EXPECTED = "a positive number"
#: A number written with a decimal comma (read so only where the file's convention).
DECIMAL_COMMA = r"^(-?\d+),(\d+)$"


def parsed(column: str, *, comma: bool = False) -> pl.Expr:
    """The weight as a number: text trimmed and parsed, typed numbers as they are; null
    when it is not a positive finite number. ``comma``: the file writes decimal commas
    (see the module's note). (Parsed once per use of the value: where a frame can take
    a column, :func:`with_weight` parses once.)"""
    return _good(_number(column, comma=comma)).alias(W)


def with_weight(
    lf: pl.LazyFrame, column: str, *, trim: bool = True, comma: bool = False
) -> pl.LazyFrame:
    """The rows with the weight as :func:`parsed` reads it (column :data:`W`), the text
    parsed once: a third of the cost of adding ``parsed(column)``. Without ``trim`` a
    number written with spaces around it is a bad weight (a pass that finds bad weights
    so counts again with ``trim``: trimming every row costs a fifth of reading them)."""
    number = _number(column, trim=trim, comma=comma).alias(W)
    return lf.with_columns(number).with_columns(_good(pl.col(W)).alias(W))


def _number(column: str, *, trim: bool = True, comma: bool = False) -> pl.Expr:
    text = pl.col(column).cast(pl.String)
    if trim:
        text = text.str.strip_chars()
    if comma:  # one regex per row, only for the files that write decimal commas
        text = text.str.replace(DECIMAL_COMMA, "${1}.${2}")
    return text.cast(pl.Float64, strict=False)


def _good(value: pl.Expr) -> pl.Expr:
    # NaN compares greater than any number in polars: is_finite rules it out first
    return pl.when(value.is_finite() & (value > 0)).then(value)


def bad_weight_rows(
    survey: SurveyFile, column: str, limit: int = 1
) -> list[tuple[Path | str, int, str]]:
    """The first ``limit`` rows with a bad weight: (file, row, the value as written, or
    "(blank)"), by one scan of the weight column (run only when the pass found some)."""
    raw = pl.col(column).cast(pl.String)
    value = _number(column, comma=survey.decimal_comma)
    bad = ~(value.is_finite() & (value > 0)).fill_null(False)
    query = (
        survey.scan(text_columns=[column])
        .select(raw.alias("value"), bad.alias("bad"))
        .with_row_index("__row")
        .filter(pl.col("bad"))
        .head(limit)
    )
    out: list[tuple[Path | str, int, str]] = []
    for index, text in survey.collect(query).select("__row", "value").iter_rows():
        path, row = survey.locate(int(index))
        out.append((path, row, text if text is not None and text.strip() else "(blank)"))
    return out


def bad_weight_error(
    survey: SurveyFile, column: str, count: int, *, every: bool = False
) -> InvalidWeight:
    """The error for ``count`` rows with a bad weight: the first one's row and value.
    ``every``: no row has a good weight, so dropping them would leave the group no
    respondent (the error then says so, under either invalid_weights setting: it is
    no header-only file, whose fix would be another export)."""
    found = bad_weight_rows(survey, column)
    row: int | None = None
    shown = "(blank)"
    path: object = survey.path
    hint = ALL_BAD_HINT if every else DROP_HINT
    if found:
        path, row, text = found[0]
        shown = "(blank)" if text == "(blank)" else repr(text)
        if re.match(DECIMAL_COMMA, text.strip()) and not survey.decimal_comma:
            hint = f"{COMMA_HINT}; {hint}"
    return InvalidWeight(
        file=str(path), row=row, column=column, value=shown, count=f"{count:,}", hint=hint
    )


#: The hint of a bad weight error when some rows have a good one.
DROP_HINT = 'fix those weights, or set invalid_weights = "drop" to leave those rows out'
#: The hint when the first bad weight has a decimal comma where it is not read so.
COMMA_HINT = (
    "a decimal comma is read only in a file separated by semicolons or tabs: in a "
    "comma-separated file the decimal mark is the point"
)
#: The hint when none has: dropping them (asked or not) leaves no respondent.
ALL_BAD_HINT = (
    'no row has a good weight, and dropping them (invalid_weights = "drop") leaves no '
    "respondent: fix the weights, or name the right column (--weights)"
)


def dropped_note(survey: SurveyFile, column: str, count: int) -> str:
    """The warning for rows left out with invalid_weights = "drop"."""
    return (
        f"{survey.path}: {count:,} row(s) with a bad weight in column {column!r} (blank, "
        f"zero, negative, NaN, infinite or text; expected {EXPECTED}) are left out of "
        'every count (invalid_weights = "drop")'
    )


def take_bad(
    counts: pl.DataFrame, first_item: str
) -> tuple[pl.DataFrame, int, tuple[float, float] | None]:
    """A weighted text pass's table without its weight columns: the cells with a counted
    row, how many rows had a bad weight (over one item's cells, as every row is in each
    item's), and the range of the good weights (None when no row had one)."""
    mine = counts.filter(pl.col("item") == first_item)
    bad = int(mine[BAD].sum() or 0)
    low, high = counts[W_MIN].min(), counts[W_MAX].max()
    found = None if low is None or high is None else (float(low), float(high))  # type: ignore[arg-type]
    table = counts.filter(pl.col("n") > 0).drop(BAD, W_MIN, W_MAX)
    return table.sort(keys_of(table), nulls_last=False), bad, found


def wave_spans(counts: pl.DataFrame, wave: str) -> dict[str, tuple[float, float]]:
    """Each wave's lowest and highest good weight, from a weighted pass's ``W_MIN`` and
    ``W_MAX`` columns keyed by ``wave`` (no entry for a wave with no good weight)."""
    if W_MIN not in counts.columns or wave not in counts.columns:
        return {}
    spans = (
        counts.filter(pl.col(wave).is_not_null())
        .group_by(wave)
        .agg(pl.col(W_MIN).min(), pl.col(W_MAX).max())
        .drop_nulls()
    )
    return {str(w): (float(lo), float(hi)) for w, lo, hi in spans.iter_rows()}


def weight_notes(plans: Sequence[FilePlan], notes: Sequence[Sequence[str]]) -> list[str]:
    """The warnings about weights: each file's rows left out (``notes``, per plan), and the
    groups counted with weight 1 because their file has no weight column while another
    group's is weighted."""
    out = list(dict.fromkeys(n for found in notes for n in found))
    weighted = [p for p in plans if p.weight_column is not None]
    plain = [p.group for p in plans if p.weight_column is None]
    if weighted and plain:
        column, named = weighted[0].weight_column, ", ".join(p.group for p in weighted)
        out.append(
            f"weighted by {column!r}: {named}; {', '.join(plain)} without such a column count "
            "each respondent with weight 1"
        )
    return out
