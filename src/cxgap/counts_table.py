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

#: Weights are summed in fixed point, as integers of WEIGHT_SCALE units (128-bit): a sum
#: of floats depends on the order of its terms, which a parallel grouping does not fix,
#: and the same input must give the same bytes. Weights (and squared weights) are exact
#: to 1e-12 this way, decimal weights of up to 12 places exactly.
WEIGHT_SCALE = 10**12


def fixed(expr: pl.Expr) -> pl.Expr:
    """A weight (or a weight sum) in fixed point: an Int128 of WEIGHT_SCALE units."""
    return fixed_float(expr).cast(pl.Int128)


def fixed_float(expr: pl.Expr) -> pl.Expr:
    """fixed() before its cast: a Float64 holding a whole number (exactly the integer
    fixed() gives, as any whole float64 converts exactly)."""
    return (expr * WEIGHT_SCALE).round(0)


def unfixed(expr: pl.Expr) -> pl.Expr:
    """A fixed-point sum back to a Float64 weight sum."""
    return expr.cast(pl.Float64) / WEIGHT_SCALE


def weight_sum(expr: pl.Expr) -> pl.Expr:
    """The sum of ``expr`` (weights, squared weights, weight sums) in any order, the same
    to the last bit (see WEIGHT_SCALE)."""
    return unfixed(fixed(expr).sum())


#: The aggregations that sum a counts table's weight columns (in a group_by).
WEIGHT_SUMS = tuple(weight_sum(pl.col(c)).alias(c) for c in ("w_sum", "w2_sum"))

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
        .agg(pl.col("n").sum(), *(weight_sum(pl.col(c)).alias(c) for c in ("w_sum", "w2_sum")))
        .select(FIXED)
        .sort(list(KEYS), nulls_last=False)
    )


def in_order(table: pl.DataFrame, segments: Sequence[str]) -> pl.DataFrame:
    """A counts table's columns in order (its segment keys in the order given), sorted."""
    keys = ["group", "item", "wave", *(s for s in segments if s in table.columns), "value"]
    return table.select(*keys, "n", "w_sum", "w2_sum").sort(keys, nulls_last=False)
