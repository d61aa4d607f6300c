"""The integer pass's row: the names of its columns, the cross-tab's cells, and the lean
pooled row made whole.

:func:`~cxgap.scan.integer_pass.integer_count_query` and the scatter-adds of
:mod:`cxgap.scan.scatter` give one row per wave (and segment) whose columns are counts:
each item's codes, blanks and other answers, the composite's tally, the cross-tab of each
item against the headline item. This module names those columns and reads the cross-tab
back out of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from cxgap.counts_table import WEIGHT_SCALE

#: The wave of an integer_count_query row (null without a wave column, or pooled).
WAVE_KEY = "\x00wave"


def weighted(name: str, *, squares: bool = False) -> str:
    """The column of an integer_count_query row that sums the weights (or, with
    ``squares``, the squared weights) of count ``name``'s respondents."""
    return f"{_W2 if squares else _W1}{name}"


_W1, _W2 = "\x00w\x00", "\x00w2\x00"
#: The prefixes of the columns that sum weights (see weighted).
WEIGHT_PREFIXES = (_W1, _W2)


#: The prefix of the cross-tab's columns in an integer_count_query row.
CROSS = "\x00cross\x00"
#: A blank answer in a cross-tab column's name.
BLANK = "\x01"


def crosstab_marks(
    columns: Mapping[str, str],
    by_item: str,
    codes: Mapping[str, Sequence[int]],
    *,
    blanks: bool = True,
) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """One mark per (item, answer or blank, headline answer or blank): the cross-tab that
    crosstab_query counts by grouping, as plain sums in the counting pass.

    Each item and the headline item are first made one small integer per row (a pair
    code: the item's answer times a width, plus the headline answer; 0 for a blank), so
    each cell is one comparison: a third faster than testing both answers per cell. Pair
    codes are 16-bit where every one fits (the usual scales; 32-bit else): comparing
    them takes a tenth of the pass less than 32-bit codes. The pair columns come back to
    add to the rows, with the marks over them. Without
    ``blanks``, the cells with a blank are left out (a pair with a blank is null):
    complete_row works them out from the items' own counts."""
    by = columns[by_item]
    low = min(min(codes[item]) for item in columns)
    heads = sorted(set(codes[by_item]))
    width = heads[-1] - low + 2  # the headline's codes from 1, and 0 for a blank
    top = max(max(codes[item]) for item in columns) - low + 1  # the highest place
    kind = pl.Int16 if (top + 1) * width < 2**15 else pl.Int32

    def place(column: str) -> pl.Expr:  # an answer's place: 1, 2, ... and 0 for a blank
        at = pl.col(column).cast(kind) - (low - 1)
        return at.fill_null(0) if blanks else at

    head_places = [(str(b), b - low + 1) for b in heads] + [(BLANK, 0)] * blanks
    pairs, marks = [], []
    for k, (item, col) in enumerate(columns.items()):
        if item == by_item:
            continue
        pair = f"{CROSS}pair{k}"
        pairs.append((place(col) * width + place(by)).alias(pair))
        answers = [(str(a), a - low + 1) for a in sorted(set(codes[item]))] + [(BLANK, 0)] * blanks
        marks += [(pl.col(pair) == i * width + j).alias(_cell(item, a, b))
                  for a, i in answers for b, j in head_places]  # fmt: skip
    return pairs, marks


def _cell(item: str, answer: str, head: str) -> str:
    """The cross-tab column of ``item``'s ``answer`` against the headline's ``head``."""
    return f"{CROSS}{item}\x00{answer}\x00{head}"


#: A lean pooled row's count of rows (see integer_count_query; complete_row drops it).
ROWS = "\x00rows"


def complete_row(
    row: pl.DataFrame, codes: Mapping[str, Sequence[int]], by_item: str | None
) -> pl.DataFrame:
    """A lean pooled integer_count_query row made whole: each item's ``other`` (the rows
    less its blanks and its codes' counts) and, with the cross-tab against ``by_item``,
    its cells with a blank (the item's and the headline's counts less the cells without
    one). The cross-tab's columns come in the order the full query gives them. Rows of any
    other query are returned as they are.

    The blank cells follow only when neither column has an ``other`` answer; when one
    has, integer_counts_table refuses the row anyway."""
    present = set(row.columns)
    if ROWS not in present:
        return row
    # signed: a cell worked out from a row that integer_counts_table refuses may be < 0
    row = row.with_columns(pl.col(pl.UInt32, pl.UInt64).cast(pl.Int64))
    total = pl.col(ROWS)
    others = []
    for item, expected in codes.items():
        if f"{item}\x00null" not in present:
            continue
        known = [pl.col(f"{item}\x00{k}") for k in sorted(set(expected))]
        blank = pl.col(f"{item}\x00null")
        others.append((total - blank - pl.sum_horizontal(known)).alias(f"{item}\x00other"))
    if by_item is None:
        return row.with_columns(others).drop(ROWS)
    heads = [str(b) for b in sorted(set(codes[by_item]))]
    cells: list[pl.Expr] = []
    for item, expected in codes.items():
        if item == by_item or f"{item}\x00null" not in present:
            continue
        answers = [str(a) for a in sorted(set(expected))]
        for a in answers:
            inside = pl.sum_horizontal(pl.col(_cell(item, a, b)) for b in heads)
            cells += [pl.col(_cell(item, a, b)) for b in heads]
            cells.append((pl.col(f"{item}\x00{a}") - inside).alias(_cell(item, a, BLANK)))
        blank_heads = [
            pl.col(f"{by_item}\x00{b}")
            - pl.sum_horizontal(pl.col(_cell(item, a, b)) for a in answers)
            for b in heads
        ]
        cells += [c.alias(_cell(item, BLANK, b)) for c, b in zip(blank_heads, heads, strict=True)]
        both = pl.col(f"{item}\x00null") - pl.sum_horizontal(blank_heads)
        cells.append(both.alias(_cell(item, BLANK, BLANK)))
    rest = [c for c in row.columns if not c.startswith(CROSS) and c != ROWS]
    return row.with_columns(others).select(*rest, *(o.meta.output_name() for o in others), *cells)


def integer_crosstab(rows: pl.DataFrame) -> pl.DataFrame:
    """The cross-tab (wave, item, value, by_value, n, w_sum) from integer_count_query
    rows counted with ``crosstab_by``: the rows crosstab_query gives (combinations that
    occur), in its types; w_sum is n when the rows were not weighted."""
    records: list[tuple[str | None, str, str | None, str | None, int, float]] = []
    present = set(rows.columns)  # (a frame's columns are a new list at every call)
    names = [c for c in rows.columns if c.startswith(CROSS)]
    sums = [weighted(c) for c in names if weighted(c) in present]
    at = 1 + (len(names) if sums else 0)  # where the sums start (unweighted: at the counts)
    for values in rows.select(WAVE_KEY, *names, *sums).iter_rows():
        wave = values[0]
        for k, name in enumerate(names):
            n, w = values[1 + k], values[at + k]
            if n:
                item, a, b = name[len(CROSS) :].split("\x00")
                total = float(w) / WEIGHT_SCALE if sums else float(w)  # fixed point
                records.append((wave, item, None if a == BLANK else a,
                                None if b == BLANK else b, int(n), total))  # fmt: skip
    return pl.DataFrame(records, schema=CROSSTAB_SCHEMA, orient="row")


#: The cross-tab's columns (see integer_crosstab and crosstab_query).
CROSSTAB_SCHEMA: dict[str, pl.DataType] = {
    "wave": pl.String(),
    "item": pl.String(),
    "value": pl.String(),
    "by_value": pl.String(),
    "n": pl.Int64(),
    "w_sum": pl.Float64(),
}
