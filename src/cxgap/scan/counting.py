"""The single streaming pass: rows in, counts per (group, item, wave, segments, value) out.

Every statistic cxgap reports is a function of these counts, so a file of
any size is read once, by polars' streaming engine, and never held whole.
The table is deliberately general: waves, segments and weights are key or
value columns of the same table, and a warehouse job can produce it directly.
Exports of small integer codes take a faster pass to the same table
(:mod:`cxgap.scan.integer_pass`).

The table's columns are those of :mod:`cxgap.counts_table`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from cxgap.counts_table import keys_of, weight_sum
from cxgap.io.source import WIDE_QUERY_COLUMNS, SurveyFile, collect_all
from cxgap.scan.weights import BAD, W_MAX, W_MIN, W, parsed, with_weight


def count_query(
    survey: SurveyFile,
    *,
    group: str,
    columns: Mapping[str, str],
    wave: str | None = None,
    segments: Sequence[str] = (),
    weight: str | None = None,
    integer_codes: bool = False,
    votes: Mapping[str, Mapping[str, int]] | None = None,
) -> pl.LazyFrame:
    """The lazy query that reduces ``survey`` to a counts table.

    ``columns`` maps item name -> column in this file. ``wave`` and ``weight`` name
    columns of the file, or are None; ``segments`` names the segment key columns (the
    table's columns take their names). With ``weight``, w_sum and w2_sum sum each
    cell's weights and their squares; a row whose weight is bad (see
    :mod:`cxgap.scan.weights`) is in no count, and the table has three more columns: the
    cell's rows with a bad weight (:data:`~cxgap.scan.weights.BAD`) and its lowest and
    highest good weight (``W_MIN``, ``W_MAX``; :func:`~cxgap.scan.weights.take_bad` takes
    them off, with the cells no row is left in). ``integer_codes`` parses the item columns
    as small integers, which is faster; the query then fails on any other answer, and
    the caller runs it again without. With ``votes`` (item -> {answer as written: +1 or
    -1}, the composite headline's; answers read as text, so not with ``integer_codes``),
    the same rows also tally the composite: each respondent's :func:`composite_class` is
    counted as the answer to the item :data:`COMPOSITE`.
    """
    items = list(columns)
    keys = {"wave": wave} if wave else {}
    keys.update({name: name for name in segments})
    # Keys travel as Categorical too: the unpivot repeats them once per item.
    item_columns = list(columns.values())
    lf = survey.scan(
        text_columns=[*([] if integer_codes else item_columns), *keys.values()],
        int_columns=item_columns if integer_codes else (),
    )
    selected = [pl.col(col).alias(item) for item, col in columns.items()]
    if votes:
        # two sums of is_in tests over the items: half the work of coding each answer
        agree, disagree = (
            pl.sum_horizontal(
                pl.col(columns[item]).is_in([a for a, vote in answers.items() if vote == sign])
                for item, answers in votes.items()
            ).cast(pl.Int32)  # signed: their difference may be negative
            for sign in (1, -1)
        )
        respondent = composite_class(agree + disagree, agree - disagree)
        selected.append(respondent.cast(pl.Categorical))  # unpivoted with the answers
        items.append(COMPOSITE)
    selected += [pl.col(col).alias(f"\x00{key}") for key, col in keys.items()]
    index = [f"\x00{key}" for key in keys]
    if weight:
        selected.append(parsed(weight, comma=survey.decimal_comma))
        index.append(W)
    long = lf.select(selected).unpivot(
        on=items, index=index, variable_name="item", value_name="value"
    )
    group_keys = ["item", *(f"\x00{key}" for key in keys), "value"]
    extra: list[str] = []
    if weight:
        good, w = pl.col(W).is_not_null(), pl.col(W)
        counts = long.group_by(group_keys).agg(
            good.sum().cast(pl.Int64).alias("n"),
            weight_sum(w).alias("w_sum"),
            weight_sum(w * w).alias("w2_sum"),
            (~good).sum().cast(pl.Int64).alias(BAD),
            w.min().alias(W_MIN),
            w.max().alias(W_MAX),
        )
        extra = [BAD, W_MIN, W_MAX]
    else:
        counts = long.group_by(group_keys).agg(n=pl.len().cast(pl.Int64))
        counts = counts.with_columns(w_sum=pl.col("n").cast(pl.Float64))
        counts = counts.with_columns(w2_sum=pl.col("w_sum"))
    wave_key = pl.col("\x00wave").cast(pl.String) if wave else pl.lit(None, dtype=pl.String)
    return counts.select(
        pl.lit(group, dtype=pl.String).alias("group"),
        pl.col("item").cast(pl.String),
        wave_key.alias("wave"),
        *(pl.col(f"\x00{name}").cast(pl.String).alias(name) for name in segments),
        pl.col("value").cast(pl.String),
        "n",
        "w_sum",
        "w2_sum",
        *extra,
    )


#: The item under which count_query counts each respondent's composite class.
COMPOSITE = "\x00composite"
#: A respondent who agrees overall (see composite_class).
AGREES = "agree"


def composite_class(answered: pl.Expr, total: pl.Expr) -> pl.Expr:
    """A respondent's composite headline from the items they ``answered`` and the
    ``total`` of their votes (+1 agrees, -1 answered and does not agree): AGREES when
    the +1s are at least the -1s (they agree on at least half of what they answered),
    "disagree" when fewer, null when they answered none. Aliased :data:`COMPOSITE`."""
    agrees = pl.when(total >= 0).then(pl.lit(AGREES)).otherwise(pl.lit("disagree"))
    return pl.when(answered > 0).then(agrees).otherwise(None).alias(COMPOSITE)


def respondent_tally(
    survey: SurveyFile,
    *,
    columns: Mapping[str, str],
    codes: Mapping[str, Mapping[str, int]],
    wave: str | None = None,
    weight: str | None = None,
) -> tuple[pl.LazyFrame, int]:
    """A row per respondent: ``wave``, ``answered`` (items with a coded answer),
    ``total`` (the sum of their codes), ``lowest`` and ``highest`` (their extreme codes).

    For what needs a respondent's answers together: the composite headline (whose
    codes are each item's agree votes, +1 or -1) and straight lines. ``columns`` maps
    item -> column and ``codes`` item -> {answer as written: code}; an answer without
    a code does not count. Also returns the width to pass to ``collect_all``. With
    ``weight`` (a column), a column ``weight`` holds each respondent's weight, and the
    rows with a bad weight are left out (the counting pass has stopped on them, or
    drops them; see :mod:`cxgap.scan.weights`).

    Two plans, one result. A few items (up to WIDE_QUERY_COLUMNS: the long exports of
    millions of rows) are coded column by column and combined row-wise, which streams
    in constant memory. Many items (a wide export, usually few rows) are unpivoted and
    joined with one small table of every item's codes: a handful of operations whatever
    the number of items, where a thousand per-column expressions cost seconds.
    """
    lf = survey.scan(text_columns=[*columns.values(), *([wave] if wave else [])])
    key = (pl.col(wave).cast(pl.String) if wave else pl.lit(None, dtype=pl.String)).alias("wave")
    weighed: list[pl.Expr] = []
    if weight:
        lf = with_weight(lf, weight, comma=survey.decimal_comma).filter(pl.col(W).is_not_null())
        weighed = [pl.col(W).alias("weight")]
    if len(columns) <= WIDE_QUERY_COLUMNS:
        coded = [_coded(pl.col(col), codes[item]) for item, col in columns.items()]
        tally = lf.select(
            key,
            *weighed,
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
        key,
        *weighed,
        *(pl.col(col).cast(pl.Categorical).alias(names[item]) for item, col in columns.items()),
    ).with_row_index("respondent")
    index = ["respondent", "wave", *(["weight"] if weight else [])]
    long = wide.unpivot(
        on=list(names.values()), index=index, variable_name="item", value_name="value",
    )  # fmt: skip
    code = pl.col("code").drop_nulls()
    tally = (
        long.join(table.lazy(), on=["item", "value"], how="left")
        .group_by(index)
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
    weight: str | None = None,
) -> pl.LazyFrame:
    """Each item's answers against the answers of column ``by``, per wave:
    (wave, item, value, by_value, n, w_sum); w_sum sums the weights of column ``weight``
    (rows with a bad weight left out), or is n without one.

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
    index = ["wave", "by_value"]
    if weight:
        lf = with_weight(lf, weight, comma=survey.decimal_comma).filter(pl.col(W).is_not_null())
        selected.append(pl.col(W))
        index.append(W)
    long = lf.select(key.alias("wave"), *selected, pl.col(by).alias("by_value")).unpivot(
        on=list(columns), index=index, variable_name="item", value_name="value"
    )
    w_sum = weight_sum(pl.col(W)) if weight else pl.len().cast(pl.Float64)
    return (
        long.group_by("wave", "item", "value", "by_value")
        .agg(pl.len().cast(pl.Int64).alias("n"), w_sum.alias("w_sum"))
        .select(
            "wave",
            pl.col("item").cast(pl.String),
            pl.col("value").cast(pl.String),
            pl.col("by_value").cast(pl.String),
            "n",
            "w_sum",
        )
    )


def count_answers(
    jobs: Sequence[tuple[SurveyFile, pl.LazyFrame]],
) -> pl.DataFrame:
    """Run several count queries (one per file) together; one sorted table out."""
    frames = collect_all([q for _, q in jobs], [s for s, _ in jobs])
    table = pl.concat(frames, how="vertical")
    return table.sort(keys_of(table), nulls_last=False)
