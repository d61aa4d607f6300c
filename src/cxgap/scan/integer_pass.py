"""The integer codes' pass: one sum per (item, code) over the rows, no unpivot.

The fast path of the counting pass (see :mod:`cxgap.scan.counting`) for exports whose
answers are small integers: a plain select of sums (or, per wave, one grouping of
true/false columns), from which :func:`integer_counts_table` makes the same counts table
the general pass gives. In the same pass it tallies the composite headline, counts each
item against the headline item (derived importance) and the last column's blanks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from cxgap.counts_table import fixed, keys_of, unfixed
from cxgap.io.source import SurveyFile
from cxgap.scan.integer_row import (
    CROSS,
    ROWS,
    WAVE_KEY,
    WEIGHT_PREFIXES,
    crosstab_marks,
    weighted,
)
from cxgap.scan.weights import BAD, W_MAX, W_MIN, W, with_weight


def integer_count_query(
    survey: SurveyFile,
    *,
    columns: Mapping[str, str],
    codes: Mapping[str, Sequence[int]],
    wave: str | None = None,
    votes: Mapping[str, Mapping[str, int]] | None = None,
    blanks_of: str | None = None,
    by_wave: bool = True,
    crosstab_by: str | None = None,
    segments: Sequence[str] = (),
    weight: str | None = None,
    lean: bool = True,
    integer_last: bool = False,
) -> pl.LazyFrame:
    """A query counting each expected integer code of each item: a row per wave.

    The fast path for exports of integer codes: no unpivot, just one sum per
    (item, code), grouped by the wave column when there is one (column
    :data:`WAVE_KEY`); with ``by_wave`` False, one row pooled over the waves (a
    plain select is faster than a grouping), with the lowest and highest wave label in
    :data:`WAVE_ENDS` (see :func:`integer_counts_table`).
    Per item it also counts blanks and ``other`` (answers outside ``codes``); a
    caller that sees ``other`` > 0 must use :func:`count_query` instead. With
    ``votes`` (item -> {answer: +1 or -1}, the composite headline's), the same rows
    also tally the composite (see :data:`TALLY`), in the same pass over the rows;
    with ``blanks_of`` (a column), they count that column's blanks
    (:data:`LAST_BLANKS`); with ``crosstab_by`` (an item), each other item's answers
    against that item's (see :func:`integer_crosstab`), in the same pass too. With
    ``segments`` (segment key columns), a row per wave and combination of their labels
    (columns :func:`segment_key` names). With ``weight`` (a column), every count but
    ``other`` and the blanks leaves out the rows with a bad weight (counted in
    :data:`~cxgap.scan.weights.BAD`), and each count of answers, the tally's and the
    cross-tab's also sums the weights (and, but for the cross-tab, their squares):
    columns :func:`weighted` names; the lowest and highest good weight come as
    ``W_MIN`` and ``W_MAX``. Without it there is no weight work at all. The one pooled
    row of an unweighted query is ``lean`` unless told otherwise: it leaves out what
    follows from its other counts (each item's ``other``, the cross-tab's cells with a
    blank), which :func:`complete_row` adds.
    """
    lf = integer_scan(survey, columns, blanks_of, integer_last=integer_last)
    # Every count is the sum of a true/false column: summed in one select when pooled,
    # or made columns first and then summed per wave (a grouping sums plain columns
    # several times faster than it evaluates a comparison per group).
    respondents: list[pl.Expr] = []  # counts of respondents, weighed when weighted
    plain: list[pl.Expr] = []  # counts of cells, never weighed
    grouped = bool((wave and by_wave) or segments)
    # One pooled row, unweighted: the blanks are a column's null count (no work per row),
    # and what follows from them and the other sums is left to complete_row.
    lean = lean and not grouped and not weight
    for item, col in columns.items():
        expected = sorted(set(codes[item]))
        respondents += [(pl.col(col) == k).alias(f"{item}\x00{k}") for k in expected]
        if lean:
            continue
        respondents.append(pl.col(col).is_null().alias(f"{item}\x00null"))
        other = pl.col(col).is_not_null() & ~pl.col(col).is_in(expected)
        plain.append(other.alias(f"{item}\x00other"))
    if blanks_of and not lean:
        plain.append(pl.col(blanks_of).is_null().alias(LAST_BLANKS))
    if votes:
        respondents += composite_tally(
            [(columns[item], answers, codes[item]) for item, answers in votes.items()]
        )
    crossed: list[pl.Expr] = []
    if crosstab_by is not None:
        pairs, crossed = crosstab_marks(columns, crosstab_by, codes, blanks=not lean)
        lf = lf.with_columns(pairs)
    marks = [*respondents, *plain, *crossed]
    if weight:
        lf = with_weight(lf, weight, comma=survey.decimal_comma).with_columns(
            fixed(pl.col(W)).alias(FIXED_W), fixed(pl.col(W) * pl.col(W)).alias(FIXED_W2)
        )
        marks = [*_weighed(respondents, squares=True), *plain, *_weighed(crossed, squares=False),
                 pl.col(W).is_null().alias(BAD)]  # fmt: skip
    if grouped:
        wave_key = pl.col(wave).cast(pl.String) if wave else pl.lit(None, dtype=pl.String)
        keys = [wave_key.alias(WAVE_KEY)]
        keys += [pl.col(name).cast(pl.String).alias(segment_key(name)) for name in segments]
        names = [WAVE_KEY, *(segment_key(name) for name in segments)]
        if not weight:
            return lf.select(*keys, *marks).group_by(names).agg(pl.all().sum())
        ranges = [pl.col(W).alias(W_MIN), pl.col(W).alias(W_MAX)]
        return (
            lf.select(*keys, *marks, *ranges)
            .group_by(names)
            .agg(pl.exclude(W_MIN, W_MAX).sum(), pl.col(W_MIN).min(), pl.col(W_MAX).max())
        )
    # The first and last wave label: equal when the file holds one wave (the common
    # case), which costs next to nothing where listing the distinct labels does not.
    ends = [pl.col(wave).min(), pl.col(wave).max()] if wave else [pl.lit(None)] * 2
    # the rows without a wave label that the counts hold (not those a bad weight drops)
    blank = pl.lit(0)
    if wave:
        blank = (
            (pl.col(wave).is_null() & pl.col(W).is_not_null()).sum()
            if weight
            else (pl.col(wave).null_count())
        )
    ranged = [pl.col(W).min().alias(W_MIN), pl.col(W).max().alias(W_MAX)] if weight else []
    if lean:
        ranged = [pl.len().alias(ROWS),
                  *([pl.col(blanks_of).null_count().alias(LAST_BLANKS)] if blanks_of else []),
                  *(pl.col(col).null_count().alias(f"{item}\x00null")
                    for item, col in columns.items())]  # fmt: skip
    return lf.select(
        pl.lit(None, dtype=pl.String).alias(WAVE_KEY),
        *(m.sum() for m in marks),
        *(e.cast(pl.String).alias(k) for e, k in zip(ends, WAVE_ENDS, strict=True)),
        blank.alias(WAVE_BLANKS),
        *ranged,
    )


def integer_scan(
    survey: SurveyFile,
    columns: Mapping[str, str],
    blanks_of: str | None,
    *,
    integer_last: bool,
) -> pl.LazyFrame:
    """The rows as the integer pass reads them: the item columns as small integers.

    The wave, segment and last columns are read as the file has them (text in a CSV) and
    cast where needed: reading them as categoricals costs a tenth of the pass. The last
    column (``blanks_of``, whose blanks alone count) is read as small integers too when
    ``integer_last`` says the first rows hold nothing else: a tenth of the pass less
    than text; the query then fails on any other answer, like an item's."""
    ints = [*columns.values(), *([blanks_of] if blanks_of and integer_last else [])]
    return survey.scan(text_columns=[], int_columns=ints)


def _weighed(marks: list[pl.Expr], *, squares: bool) -> list[pl.Expr]:
    """Each true/false mark over the rows with a good weight only, and beside it the sum of
    those rows' weights (and of their squares): three sums in place of one."""
    good, w, w2 = pl.col(W).is_not_null(), pl.col(FIXED_W), pl.col(FIXED_W2)
    out: list[pl.Expr] = []
    for mark in marks:
        name = mark.meta.output_name()
        out += [(mark & good).alias(name), pl.when(mark).then(w).alias(weighted(name))]
        if squares:
            out.append(pl.when(mark).then(w2).alias(weighted(name, squares=True)))
    return out


#: The weight and its square in fixed point (see cxgap.counts_table.WEIGHT_SCALE): the
#: sums of the pass are exact, so the same in any order.
FIXED_W, FIXED_W2 = "\x00wf", "\x00wf2"


def one_wave(row: pl.DataFrame) -> str | None:
    """The wave of every row a pooled integer_count_query row counted, when they share
    one (no blank label); None when they do not or there is no wave column."""
    first, last = row[WAVE_ENDS[0]][0], row[WAVE_ENDS[1]][0]
    return first if first is not None and first == last and not row[WAVE_BLANKS][0] else None


def segment_key(name: str) -> str:
    """The column of an integer_count_query row that holds segment key ``name``'s label."""
    return f"\x00segment\x00{name}"


#: The lowest and highest wave label a pooled integer_count_query row counted.
WAVE_ENDS = ("\x00first wave", "\x00last wave")
#: The rows without a wave label a pooled integer_count_query row counted.
WAVE_BLANKS = "\x00blank waves"


def per_wave(rows: pl.DataFrame) -> pl.DataFrame:
    """integer_count_query rows summed over their segment keys: a row per wave (what the
    composite's tally and the cross-tab keep)."""
    segments = [c for c in rows.columns if c.startswith(segment_key(""))]
    if not segments:
        return rows
    ranges = [c for c in (W_MIN, W_MAX) if c in rows.columns]
    return (
        rows.drop(segments)
        .group_by(WAVE_KEY)
        .agg(
            pl.exclude(ranges).sum(),
            *([pl.col(W_MIN).min(), pl.col(W_MAX).max()] if ranges else []),
        )
    )


def wave_labels(survey: SurveyFile, wave: str) -> list[str]:
    """The distinct labels of the wave column, sorted: a pass over that column only."""
    query = survey.scan(text_columns=[wave]).select(pl.col(wave).unique().cast(pl.String))
    return sorted(w for w in survey.collect(query).to_series().to_list() if w is not None)


#: A column's blanks in an integer_count_query row (see ``blanks_of``).
LAST_BLANKS = "\x00last blanks"
#: The composite tally's columns in an integer_count_query row.
TALLY = ("\x00composite n", "\x00composite agree", "\x00composite missing")


def composite_tally(
    columns: Sequence[tuple[str, Mapping[str, int], Sequence[int]]],
) -> list[pl.Expr]:
    """Respondents who answered some item, who agree on at least half of those they
    answered (the +1 votes at least the -1 votes), and who answered none.

    ``columns``: (column, its vote per answer, its expected codes). Each item's vote is a
    small integer, +1 or -1 (null for a blank, or a code that does not vote); one sum
    across the items says whether the agree votes are at least half. Where every
    expected code votes (the usual case), the vote is one comparison and a blank is the
    only null: on ten million rows this costs a seventh of testing each answer against
    the agree and the disagree codes."""
    votes, answered = [], []
    for col, answers, expected in columns:
        plus = sorted(int(a) for a, v in answers.items() if v > 0)
        minus = sorted(int(a) for a, v in answers.items() if v < 0)
        column = pl.col(col)
        if set(plus) | set(minus) >= set(expected):
            upper = plus and plus == [c for c in sorted(set(expected)) if c >= plus[0]]
            agree = column >= plus[0] if upper else column.is_in(plus)
            votes.append(agree.cast(pl.Int16) * 2 - 1)
            answered.append(column.is_not_null())
        else:
            vote = pl.when(column.is_in(plus)).then(1).when(column.is_in(minus)).then(-1)
            votes.append(vote.cast(pl.Int16))
            answered.append(votes[-1].is_not_null())
    some = pl.any_horizontal(answered)
    at_least_half = pl.sum_horizontal(votes) >= 0
    return [some.alias(TALLY[0]), (some & at_least_half).alias(TALLY[1]), (~some).alias(TALLY[2])]


def integer_counts_table(
    rows: pl.DataFrame, *, group: str
) -> tuple[pl.DataFrame, list[str]] | None:
    """The counts table and the waves from integer_count_query rows; None when some
    answer fell outside the expected codes. Pooled rows know only their first and last
    wave: two waves from them mean two or more (see :func:`wave_labels`)."""
    prefix = segment_key("")
    segments = [c for c in rows.columns if c.startswith(prefix)]
    keys = [WAVE_KEY, *segments]
    skip = {*keys, LAST_BLANKS, WAVE_BLANKS, *WAVE_ENDS, *TALLY, BAD, W_MIN, W_MAX}
    counted = [
        c for c in rows.columns if c not in skip and not c.startswith((CROSS, *WEIGHT_PREFIXES))
    ]
    others = [c for c in counted if c.endswith("\x00other")]
    if any(rows[c].sum() for c in others):
        return None
    answers = [c for c in counted if not c.endswith("\x00other")]
    long = rows.select(*keys, *answers).unpivot(
        on=answers, index=keys, variable_name="cell", value_name="n"
    )
    sums = [
        pl.col("n").cast(pl.Float64).alias("w_sum"),
        pl.col("n").cast(pl.Float64).alias("w2_sum"),
    ]
    if answers and weighted(answers[0]) in rows.columns:  # the same cells in the same order
        weights = [
            rows.unpivot(on=[weighted(c, squares=squares) for c in answers], index=keys)
            .select(unfixed(pl.col("value")).alias(name)).to_series()
            for squares, name in ((False, "w_sum"), (True, "w2_sum"))
        ]  # fmt: skip
        long = long.with_columns(weights)
        sums = [pl.col("w_sum"), pl.col("w2_sum")]
    cell = pl.col("cell").str.split_exact("\x00", 1)
    code = cell.struct.field("field_1")
    table = long.filter(pl.col("n") > 0).select(
        pl.lit(group, dtype=pl.String).alias("group"),
        cell.struct.field("field_0").alias("item"),
        pl.col(WAVE_KEY).cast(pl.String).alias("wave"),
        *(pl.col(c).cast(pl.String).alias(c[len(prefix) :]) for c in segments),
        pl.when(code != "null").then(code).alias("value"),
        pl.col("n").cast(pl.Int64),
        *sums,
    )
    found = rows[WAVE_KEY].to_list()
    if WAVE_ENDS[0] in rows.columns:
        found = [*rows[WAVE_ENDS[0]].to_list(), *rows[WAVE_ENDS[1]].to_list()]
    waves = sorted({w for w in found if w is not None})
    return table.sort(keys_of(table), nulls_last=False), waves
