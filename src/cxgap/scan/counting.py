"""The single streaming pass: rows in, counts per (group, item, wave, segment, value) out.

Every statistic cxgap reports is a function of these counts, so a file of
any size is read once, by polars' streaming engine, and never held whole.
The table is deliberately general: waves, segments and weights are key or
value columns of the same table, and a warehouse job can produce it directly.

Columns of a counts table:

=========  =======  ===================================================
group      String   "leaders", "customers" (later: "frontline")
item       String   item name (after mapping columns to items)
wave       String   wave label, null when the data have no waves
segment    String   segment label, null when not segmented
value      String   the answer exactly as written (null for a blank cell)
n          Int64    respondents with that answer
w_sum      Float64  sum of their weights (n when unweighted)
w2_sum     Float64  sum of squared weights (n when unweighted)
=========  =======  ===================================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from cxgap.io.source import WIDE_QUERY_COLUMNS, SurveyFile, collect_all

KEYS = ("group", "item", "wave", "segment", "value")
_W = "__cxgap_weight"


def count_query(
    survey: SurveyFile,
    *,
    group: str,
    columns: Mapping[str, str],
    wave: str | None = None,
    segment: str | None = None,
    weight: str | None = None,
    integer_codes: bool = False,
) -> pl.LazyFrame:
    """The lazy query that reduces ``survey`` to a counts table.

    ``columns`` maps item name -> column in this file. ``wave``, ``segment``
    and ``weight`` name columns of the file, or are None. Unparseable weights
    count as missing weights (their rows add to n but not to the sums).
    ``integer_codes`` parses the item columns as small integers, which is
    faster; the query then fails on any other answer, and the caller runs it
    again without.
    """
    items = list(columns)
    keys = {key: col for key, col in (("wave", wave), ("segment", segment)) if col}
    # Keys travel as Categorical too: the unpivot repeats them once per item.
    item_columns = list(columns.values())
    lf = survey.scan(
        text_columns=[*([] if integer_codes else item_columns), *keys.values()],
        int_columns=item_columns if integer_codes else (),
    )
    selected = [pl.col(col).alias(item) for item, col in columns.items()]
    selected += [pl.col(col).alias(key) for key, col in keys.items()]
    index = list(keys)
    if weight:
        w = pl.col(weight).cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)
        selected.append(w.alias(_W))
        index.append(_W)
    long = lf.select(selected).unpivot(
        on=items, index=index, variable_name="item", value_name="value"
    )
    group_keys = ["item", *keys, "value"]
    if weight:
        counts = long.group_by(group_keys).agg(
            n=pl.len().cast(pl.Int64),
            w_sum=pl.col(_W).sum(),
            w2_sum=(pl.col(_W) ** 2).sum(),
        )
    else:
        counts = long.group_by(group_keys).agg(n=pl.len().cast(pl.Int64))
        counts = counts.with_columns(w_sum=pl.col("n").cast(pl.Float64))
        counts = counts.with_columns(w2_sum=pl.col("w_sum"))
    return counts.select(
        pl.lit(group, dtype=pl.String).alias("group"),
        pl.col("item").cast(pl.String),
        *(
            pl.col(key).cast(pl.String) if key in keys else pl.lit(None, dtype=pl.String).alias(key)
            for key in ("wave", "segment")
        ),
        pl.col("value").cast(pl.String),
        "n",
        "w_sum",
        "w2_sum",
    )


def respondent_tally(
    survey: SurveyFile,
    *,
    columns: Mapping[str, str],
    codes: Mapping[str, Mapping[str, int]],
    wave: str | None = None,
) -> tuple[pl.LazyFrame, int]:
    """A row per respondent: ``wave``, ``answered`` (items with a coded answer),
    ``total`` (the sum of their codes), ``lowest`` and ``highest`` (their extreme codes).

    For what needs a respondent's answers together: the composite headline (whose
    codes are each item's agree votes, +1 or -1) and straight lines. ``columns`` maps
    item -> column and ``codes`` item -> {answer as written: code}; an answer without
    a code does not count. Also returns the width to pass to ``collect_all``.

    Two plans, one result. A few items (up to WIDE_QUERY_COLUMNS: the long exports of
    millions of rows) are coded column by column and combined row-wise, which streams
    in constant memory. Many items (a wide export, usually few rows) are unpivoted and
    joined with one small table of every item's codes: a handful of operations whatever
    the number of items, where a thousand per-column expressions cost seconds.
    """
    lf = survey.scan(text_columns=[*columns.values(), *([wave] if wave else [])])
    key = (pl.col(wave).cast(pl.String) if wave else pl.lit(None, dtype=pl.String)).alias("wave")
    if len(columns) <= WIDE_QUERY_COLUMNS:
        coded = [_coded(pl.col(col), codes[item]) for item, col in columns.items()]
        tally = lf.select(
            key,
            pl.sum_horizontal(c.is_not_null() for c in coded).alias("answered"),
            pl.sum_horizontal(coded).alias("total"),
            pl.min_horizontal(coded).alias("lowest"),
            pl.max_horizontal(coded).alias("highest"),
        )
        return tally, len(columns)
    names = {item: f"i{k}" for k, item in enumerate(columns)}
    table = pl.DataFrame(
        [(names[item], answer, code) for item in columns for answer, code in codes[item].items()],
        schema={"item": pl.String, "value": pl.Categorical, "code": pl.Int64},
        orient="row",
    )
    # Categorical answers keep the long table small (a string per cell would not).
    wide = lf.select(
        key, *(pl.col(col).cast(pl.Categorical).alias(names[item]) for item, col in columns.items())
    ).with_row_index("respondent")
    long = wide.unpivot(
        on=list(names.values()), index=["respondent", "wave"], variable_name="item",
        value_name="value",
    )  # fmt: skip
    code = pl.col("code").drop_nulls()
    tally = (
        long.join(table.lazy(), on=["item", "value"], how="left")
        .group_by("respondent", "wave")
        .agg(answered=code.len(), total=code.sum(), lowest=code.min(), highest=code.max())
        .drop("respondent")
    )
    return tally, 0


def _coded(column: pl.Expr, codes: Mapping[str, int]) -> pl.Expr:
    """A text column's code per row, null for an answer without one: one ``is_in`` per
    distinct code on the column as read (a categorical; casting it to text first costs
    seconds and gigabytes on ten million rows)."""
    by_code: dict[int, list[str]] = {}
    for answer, code in codes.items():
        by_code.setdefault(code, []).append(answer)
    expr = pl.lit(None, dtype=pl.Int32)
    for code, answers in sorted(by_code.items(), reverse=True):
        expr = pl.when(column.is_in(answers)).then(pl.lit(code, dtype=pl.Int32)).otherwise(expr)
    return expr


def crosstab_query(
    survey: SurveyFile,
    *,
    columns: Mapping[str, str],
    by: str,
    wave: str | None = None,
    integer: bool = False,
) -> pl.LazyFrame:
    """Each item's answers against the answers of column ``by``, per wave:
    (wave, item, value, by_value, n).

    What derived importance needs (each item's correlation with the headline item)
    reduced to counts in one streaming pass. ``wave`` names the wave column (null
    waves without one). ``integer`` reads the item columns and ``by`` as small integers
    (faster; the query fails on any other answer, and the caller asks again without).
    Answers are made text after counting, never row by row.
    """
    answers = [*columns.values(), by]
    lf = survey.scan(
        text_columns=[*([] if integer else answers), *([wave] if wave else [])],
        int_columns=answers if integer else (),
    )
    key = pl.col(wave).cast(pl.String) if wave else pl.lit(None, dtype=pl.String)
    selected = [pl.col(col).alias(item) for item, col in columns.items()]
    long = lf.select(key.alias("wave"), *selected, pl.col(by).alias("by_value")).unpivot(
        on=list(columns), index=["wave", "by_value"], variable_name="item", value_name="value"
    )
    return (
        long.group_by("wave", "item", "value", "by_value")
        .agg(n=pl.len().cast(pl.Int64))
        .select(
            "wave",
            pl.col("item").cast(pl.String),
            pl.col("value").cast(pl.String),
            pl.col("by_value").cast(pl.String),
            "n",
        )
    )


def count_answers(
    jobs: Sequence[tuple[SurveyFile, pl.LazyFrame]],
) -> pl.DataFrame:
    """Run several count queries (one per file) together; one sorted table out."""
    frames = collect_all([q for _, q in jobs], [s for s, _ in jobs])
    table = pl.concat(frames, how="vertical")
    return table.sort(list(KEYS), nulls_last=False)


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
    against that item's (see :func:`integer_crosstab`), in the same pass too.
    """
    text = [c for c in (wave, blanks_of) if c]
    lf = survey.scan(text_columns=text, int_columns=list(columns.values()))
    exprs: list[pl.Expr] = []
    for item, col in columns.items():
        expected = sorted(set(codes[item]))
        exprs += [(pl.col(col) == k).sum().alias(f"{item}\x00{k}") for k in expected]
        exprs.append(pl.col(col).null_count().alias(f"{item}\x00null"))
        other = pl.col(col).is_not_null() & ~pl.col(col).is_in(expected)
        exprs.append(other.sum().alias(f"{item}\x00other"))
    if blanks_of:
        exprs.append(pl.col(blanks_of).is_null().sum().alias(LAST_BLANKS))
    if votes:
        exprs += _composite_tally([(columns[item], answers) for item, answers in votes.items()])
    if crosstab_by is not None:
        pairs, sums = _crosstab_sums(columns, crosstab_by, codes)
        lf = lf.with_columns(pairs)
        exprs += sums
    if wave and by_wave:
        return lf.group_by(pl.col(wave).cast(pl.String).alias(WAVE_KEY)).agg(exprs)
    # The first and last wave label: equal when the file holds one wave (the common
    # case), which costs next to nothing where listing the distinct labels does not.
    ends = [pl.col(wave).min(), pl.col(wave).max()] if wave else [pl.lit(None)] * 2
    return lf.select(
        pl.lit(None, dtype=pl.String).alias(WAVE_KEY),
        *exprs,
        *(e.cast(pl.String).alias(k) for e, k in zip(ends, WAVE_ENDS, strict=True)),
    )


#: The wave of an integer_count_query row (null without a wave column, or pooled).
WAVE_KEY = "\x00wave"
#: The lowest and highest wave label a pooled integer_count_query row counted.
WAVE_ENDS = ("\x00first wave", "\x00last wave")


#: The prefix of the cross-tab's columns in an integer_count_query row.
CROSS = "\x00cross\x00"
#: A blank answer in a cross-tab column's name.
_BLANK = "\x01"


def _crosstab_sums(
    columns: Mapping[str, str], by_item: str, codes: Mapping[str, Sequence[int]]
) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """One sum per (item, answer or blank, headline answer or blank): the cross-tab that
    crosstab_query counts by grouping, as plain sums in the counting pass.

    Each item and the headline item are first made one small integer per row (a pair
    code: the item's answer times a width, plus the headline answer; 0 for a blank), so
    each cell is one comparison: a third faster than testing both answers per cell. The
    pair columns come back to add to the rows, with the sums over them."""
    by = columns[by_item]
    low = min(min(codes[item]) for item in columns)
    heads = sorted(set(codes[by_item]))
    width = heads[-1] - low + 2  # the headline's codes from 1, and 0 for a blank

    def place(column: str) -> pl.Expr:  # an answer's place: 1, 2, ... and 0 for a blank
        return (pl.col(column).cast(pl.Int32) - (low - 1)).fill_null(0)

    head_places = [(str(b), b - low + 1) for b in heads] + [(_BLANK, 0)]
    pairs, sums = [], []
    for k, (item, col) in enumerate(columns.items()):
        if item == by_item:
            continue
        pair = f"{CROSS}pair{k}"
        pairs.append((place(col) * width + place(by)).alias(pair))
        answers = [(str(a), a - low + 1) for a in sorted(set(codes[item]))] + [(_BLANK, 0)]
        sums += [(pl.col(pair) == i * width + j).sum().alias(f"{CROSS}{item}\x00{a}\x00{b}")
                 for a, i in answers for b, j in head_places]  # fmt: skip
    return pairs, sums


def integer_crosstab(rows: pl.DataFrame) -> pl.DataFrame:
    """The cross-tab (wave, item, value, by_value, n) from integer_count_query rows
    counted with ``crosstab_by``: the rows crosstab_query gives (combinations that
    occur), in its types."""
    records: list[tuple[str | None, str, str | None, str | None, int]] = []
    names = [c for c in rows.columns if c.startswith(CROSS)]
    for values in rows.select(WAVE_KEY, *names).iter_rows():
        wave = values[0]
        for name, n in zip(names, values[1:], strict=True):
            if n:
                item, a, b = name[len(CROSS) :].split("\x00")
                records.append((wave, item, None if a == _BLANK else a,
                                None if b == _BLANK else b, int(n)))  # fmt: skip
    return pl.DataFrame(
        records,
        schema={
            "wave": pl.String,
            "item": pl.String,
            "value": pl.String,
            "by_value": pl.String,
            "n": pl.Int64,
        },
        orient="row",
    )


def wave_labels(survey: SurveyFile, wave: str) -> list[str]:
    """The distinct labels of the wave column, sorted: a pass over that column only."""
    query = survey.scan(text_columns=[wave]).select(pl.col(wave).unique().cast(pl.String))
    return sorted(w for w in survey.collect(query).to_series().to_list() if w is not None)


#: A column's blanks in an integer_count_query row (see ``blanks_of``).
LAST_BLANKS = "\x00last blanks"
#: The composite tally's columns in an integer_count_query row.
TALLY = ("\x00composite n", "\x00composite agree", "\x00composite missing")


def _composite_tally(columns: Sequence[tuple[str, Mapping[str, int]]]) -> list[pl.Expr]:
    """Respondents who answered some item, who agree on at least half of those they
    answered (the +1 votes at least the -1 votes), and who answered none.

    Votes are two boolean columns per item summed across (agree, disagree): a third
    cheaper than a +1/-1/null code per item on ten million rows."""
    agree, disagree = [], []
    for col, answers in columns:
        agree.append(pl.col(col).is_in([int(a) for a, v in answers.items() if v > 0]))
        disagree.append(pl.col(col).is_in([int(a) for a, v in answers.items() if v < 0]))
    answered = pl.sum_horizontal(a | d for a, d in zip(agree, disagree, strict=True))
    some = answered > 0
    # (the sums are unsigned: compare them, never subtract)
    at_least_half = pl.sum_horizontal(agree) >= pl.sum_horizontal(disagree)
    return [
        some.sum().alias(TALLY[0]),
        (some & at_least_half).sum().alias(TALLY[1]),
        (~some).sum().alias(TALLY[2]),
    ]


def integer_counts_table(
    rows: pl.DataFrame, *, group: str
) -> tuple[pl.DataFrame, list[str]] | None:
    """The counts table and the waves from integer_count_query rows; None when some
    answer fell outside the expected codes. Pooled rows know only their first and last
    wave: two waves from them mean two or more (see :func:`wave_labels`)."""
    records: list[tuple[str, str | None, str | None, int]] = []
    for values in rows.iter_rows(named=True):
        wave = values[WAVE_KEY]
        for key, n in values.items():
            if key in (WAVE_KEY, LAST_BLANKS, *WAVE_ENDS) or key in TALLY or key.startswith(CROSS):
                continue
            item, code = key.split("\x00")
            if code == "other":
                if n:
                    return None
                continue
            if n:
                records.append((item, wave, None if code == "null" else code, int(n)))
    table = pl.DataFrame(
        records,
        schema={"item": pl.String, "wave": pl.String, "value": pl.String, "n": pl.Int64},
        orient="row",
    )
    table = table.select(
        pl.lit(group, dtype=pl.String).alias("group"),
        "item",
        "wave",
        pl.lit(None, dtype=pl.String).alias("segment"),
        "value",
        "n",
        pl.col("n").cast(pl.Float64).alias("w_sum"),
        pl.col("n").cast(pl.Float64).alias("w2_sum"),
    )
    found = rows[WAVE_KEY].to_list()
    if WAVE_ENDS[0] in rows.columns:
        found = [*rows[WAVE_ENDS[0]].to_list(), *rows[WAVE_ENDS[1]].to_list()]
    waves = sorted({w for w in found if w is not None})
    return table.sort(list(KEYS), nulls_last=False), waves
