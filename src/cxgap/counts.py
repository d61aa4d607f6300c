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
n          UInt32   respondents with that answer
w_sum      Float64  sum of their weights (n when unweighted)
w2_sum     Float64  sum of squared weights (n when unweighted)
=========  =======  ===================================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from cxgap.io.source import SurveyFile, collect_all

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
) -> pl.LazyFrame:
    """The lazy query that reduces ``survey`` to a counts table.

    ``columns`` maps item name -> column in this file. ``wave``, ``segment``
    and ``weight`` name columns of the file, or are None. Unparseable weights
    count as missing weights (their rows add to n but not to the sums).
    """
    items = list(columns)
    lf = survey.scan(text_columns=list(columns.values()))
    selected = [pl.col(col).alias(item) for item, col in columns.items()]
    index: list[str] = []
    for key, col in (("wave", wave), ("segment", segment)):
        expr = pl.col(col).cast(pl.String) if col else pl.lit(None, dtype=pl.String)
        selected.append(expr.alias(key))
        index.append(key)
    if weight:
        selected.append(pl.col(weight).cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False).alias(_W))
        index.append(_W)
    long = lf.select(selected).unpivot(
        on=items, index=index, variable_name="item", value_name="value"
    )
    keys = ["item", "wave", "segment", "value"]
    if weight:
        counts = long.group_by(keys).agg(
            n=pl.len().cast(pl.UInt32),
            w_sum=pl.col(_W).sum(),
            w2_sum=(pl.col(_W) ** 2).sum(),
        )
    else:
        counts = long.group_by(keys).agg(n=pl.len().cast(pl.UInt32)).with_columns(
            w_sum=pl.col("n").cast(pl.Float64), w2_sum=pl.col("n").cast(pl.Float64)
        )
    return counts.select(
        pl.lit(group, dtype=pl.String).alias("group"),
        pl.col("item").cast(pl.String),
        "wave",
        "segment",
        pl.col("value").cast(pl.String),
        "n",
        "w_sum",
        "w2_sum",
    )


def count_answers(
    jobs: Sequence[tuple[SurveyFile, pl.LazyFrame]],
) -> pl.DataFrame:
    """Run several count queries (one per file) together; one sorted table out."""
    frames = collect_all([q for _, q in jobs], [s for s, _ in jobs])
    table = pl.concat(frames, how="vertical")
    return table.sort(list(KEYS), nulls_last=False)
