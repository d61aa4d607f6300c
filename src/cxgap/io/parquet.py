"""Parquet: typed columns, one row per respondent."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from cxgap.errors import Unreadable
from cxgap.io.source import SurveyFile


class ParquetSurvey(SurveyFile):
    format = "parquet"
    plain_head = True

    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        lf = pl.scan_parquet(self.path)
        # NaN in a float column is a non-answer (pandas writes missing values so).
        floats = [n for n, t in lf.collect_schema().items() if t.is_float()]
        if floats:
            lf = lf.with_columns(pl.col(*floats).fill_nan(None))
        # Integer codes become "4", float codes "4.0": both read as code 4 later.
        return lf.with_columns(
            *(pl.col(name).cast(pl.String).cast(pl.Categorical) for name in text_columns),
            *(pl.col(name).cast(pl.Int16) for name in int_columns),
        )


def open_parquet(path: Path) -> ParquetSurvey:
    try:
        schema = pl.read_parquet_schema(path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise Unreadable(
            f"not a readable Parquet file: {str(exc).splitlines()[0]}", file=path
        ) from None
    return ParquetSurvey(path, list(schema), header_rows=0)
