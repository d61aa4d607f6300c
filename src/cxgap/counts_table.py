"""The counts table: the contract between counting and everything computed from counts.

Every statistic cxgap reports is a function of this table, so it can come from the
counting pass over an export (:mod:`cxgap.scan.counting`), from a counts file
(:mod:`cxgap.counts`), or from a warehouse job. Its columns:

=========  =======  ===================================================
group      String   the group: "leaders", "frontline", "customers", ...
item       String   item name (after mapping columns to items)
wave       String   wave label, null when the data have no waves
(segment)  String   one column per segment key counted (``segment_columns``,
                    named as the key), its label; none when not segmented
value      String   the answer exactly as written (null for a blank cell)
n          Int64    respondents with that answer
w_sum      Float64  sum of their weights (n when unweighted)
w2_sum     Float64  sum of squared weights (n when unweighted)
=========  =======  ===================================================

Segment keys are cross-classified: a row counts the respondents of one combination of
every key's labels, so any margin is a sum. An analysis of all respondents sums over
them (:func:`pooled`).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

#: The counts table's keys that are not segment keys, in order.
KEYS = ("group", "item", "wave", "value")
#: The counts table's columns that are not segment keys, in order.
FIXED = (*KEYS, "n", "w_sum", "w2_sum")


def keys_of(table: pl.DataFrame) -> list[str]:
    """A counts table's key columns in order: group, item, wave, its segment keys, value."""
    segments = [c for c in table.columns if c not in FIXED]
    return ["group", "item", "wave", *segments, "value"]


def pooled(table: pl.DataFrame) -> pl.DataFrame:
    """A counts table summed over its segment keys (itself when it has none)."""
    if len(keys_of(table)) == len(KEYS):
        return table
    return (
        table.group_by(list(KEYS))
        .agg(pl.col("n").sum(), pl.col("w_sum").sum(), pl.col("w2_sum").sum())
        .select(FIXED)
        .sort(list(KEYS), nulls_last=False)
    )


def in_order(table: pl.DataFrame, segments: Sequence[str]) -> pl.DataFrame:
    """A counts table's columns in order (its segment keys in the order given), sorted."""
    keys = ["group", "item", "wave", *(s for s in segments if s in table.columns), "value"]
    return table.select(*keys, "n", "w_sum", "w2_sum").sort(keys, nulls_last=False)
