"""Weighted counts files for the tests: the counts of tests/survey_reference's exports with
the customers' weight sums summed from their rows by polars (independently of cxgap's
counting pass), written as a counts file whose metadata names the weight column."""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

import cxgap
from cxgap.config import Config
from cxgap.model import AnalysisResult, GroupStats

REFERENCE = Path(__file__).parent / "survey_reference"

ITEMS = ("basics_correct_info", "ownership_problem", "channels_consistent", "overall_strong_cx")

R_TOL = 1e-9


@cache
def reference() -> dict[str, Any]:
    found: dict[str, Any] = json.loads((REFERENCE / "reference.json").read_text("utf-8"))
    return found


def unweighted_result() -> AnalysisResult:
    """The same exports with no weight column: every group unweighted."""
    cfg = Config(weight_column="none")
    return cxgap.analyze(REFERENCE / "leaders.csv", REFERENCE / "customers.csv", cfg)


def customers_of(result: AnalysisResult, item: str) -> GroupStats:
    return next(i for i in result.items if i.item == item).groups["customers"]


def row_weight_sums(rows: pl.DataFrame, items: list[str], weight: str) -> pl.DataFrame:
    """(item, value, n, w_sum, w2_sum) summed over the rows: value as written, null when blank."""
    long = rows.select(*items, pl.col(weight).cast(pl.Float64).alias("__w")).unpivot(
        on=items, index="__w", variable_name="item", value_name="value"
    )
    return long.group_by("item", "value").agg(
        n=pl.len().cast(pl.Int64),
        w_sum=pl.col("__w").sum(),
        w2_sum=(pl.col("__w") ** 2).sum(),
    )


def weighted_counts_file(folder: Path, *, scale: float = 1.0, ones: bool = False) -> Path:
    """The reference exports counted, the customers weighted by their ``weight`` column
    (times ``scale``; all 1 with ``ones``), the leaders unweighted; returns the file's path."""
    data = cxgap.count(REFERENCE / "leaders.csv", REFERENCE / "customers.csv")
    table = pl.read_parquet(io.BytesIO(data))
    meta = pl.read_parquet_metadata(io.BytesIO(data))
    rows = pl.read_csv(REFERENCE / "customers.csv", infer_schema_length=0)
    rows = rows.with_columns(
        weight=pl.lit(1.0) if ones else pl.col("weight").cast(pl.Float64) * scale
    )
    items = table.filter(pl.col("group") == "customers")["item"].unique().to_list()
    sums = row_weight_sums(rows, items, "weight").with_columns(group=pl.lit("customers"))
    joined = table.join(
        sums, on=["group", "item", "value"], how="left", suffix="_rows", nulls_equal=True
    )
    customers = pl.col("group") == "customers"
    assert joined.filter(customers & (pl.col("n") != pl.col("n_rows"))).height == 0
    table = joined.with_columns(
        w_sum=pl.when(customers).then(pl.col("w_sum_rows")).otherwise(pl.col("w_sum")),
        w2_sum=pl.when(customers).then(pl.col("w2_sum_rows")).otherwise(pl.col("w2_sum")),
    ).select(table.columns)
    path = folder / ("ones.parquet" if ones else "weighted.parquet")
    table.write_parquet(path, metadata=meta)
    return path
