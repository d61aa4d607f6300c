"""A counts file from the result of the query ``cxgap sql`` printed, run where the data are.

The decisions are taken again on the same sample (and settings) the query was printed
from, so they are the query's; the result (saved as Parquet or CSV, every column as the
warehouse wrote it) answers the aggregation in place of an engine. The counts file names
the table the query read (``sql:project.survey.responses``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from cxgap.config import Config
from cxgap.engines.counts import count_engine
from cxgap.engines.query import WEIGHTS, TableQuery
from cxgap.errors import FileNotFound, InvalidWeight, Unreadable, UsageError
from cxgap.io.source import first_line

if TYPE_CHECKING:
    from cxgap.engines import Engine

#: The result's columns and their types (the segment keys are text too).
_TYPES: dict[str, pl.DataType] = {
    "part": pl.String(), "group": pl.String(), "item": pl.String(), "wave": pl.String(),
    "value": pl.String(), "by_value": pl.String(), "n": pl.Int64(), "w_sum": pl.Int128(),
    "w2_sum": pl.Int128(), "bad": pl.Int64(), "w_min": pl.Float64(), "w_max": pl.Float64(),
}  # fmt: skip


class Relabelled:
    """A sample's engine, answering for the table the query read (its name in the file)."""

    def __init__(self, inner: Engine, source: str) -> None:
        self.inner, self.source = inner, source
        self.dialect, self.table = inner.dialect, inner.table

    def columns(self) -> list[tuple[str, str]]:
        return self.inner.columns()

    def run(self, sql: str) -> pl.DataFrame:
        return self.inner.run(sql)

    def close(self) -> None:
        self.inner.close()


def read_result(paths: Sequence[str | Path], segments: Sequence[str]) -> pl.DataFrame:
    """The saved results (Parquet or CSV; one per table), their columns typed."""
    frames = []
    types = {**_TYPES, **dict.fromkeys(segments, pl.String())}
    for given in paths:
        path = Path(given)
        if not path.is_file():
            raise FileNotFound(file=path)
        try:
            if path.suffix.lower() == ".parquet":
                frame = pl.read_parquet(path)
            else:
                frame = pl.read_csv(path, infer_schema=False)
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise Unreadable(file=path, reason=first_line(exc)) from None
        missing = [c for c in types if c not in frame.columns]
        if missing:
            raise UsageError(
                f"{path}: not the result of `cxgap sql --step counts` (no column "
                f"{', '.join(repr(c) for c in missing)})"
            )
        try:
            frame = frame.select(_typed(c, t) for c, t in types.items())
        except pl.exceptions.PolarsError as exc:
            raise Unreadable(file=path, reason=first_line(exc)) from None
        frames.append(frame)
    return pl.concat(frames)


def _typed(column: str, dtype: pl.DataType) -> pl.Expr:
    """A result's column in its type, through its text (a warehouse's DECIMAL may come
    with a scale: "1500.00000" is the whole number 1500)."""
    text = pl.col(column).cast(pl.String).str.strip_chars().replace("", None)
    if dtype == pl.String():
        return pl.col(column).cast(pl.String)
    if dtype.is_integer():
        text = text.str.replace(r"\.0*$", "")
    return text.cast(dtype)


def count_result(
    samples: Engine | Mapping[str, Engine],
    results: Sequence[str | Path],
    cfg: Config,
    table: str | Mapping[str, str],
) -> bytes:
    """The counts file of the saved result of the printed query, decided on ``samples``."""
    rows = read_result(results, cfg.count_keys())

    def source(engine: Engine, group: str | None) -> Relabelled:
        name = table if isinstance(table, str) else table.get(group or "", "")
        return Relabelled(engine, f"sql:{name}")

    if isinstance(samples, Mapping):
        engines: Engine | dict[str, Engine] = {g: source(e, g) for g, e in samples.items()}
    else:
        engines = source(samples, None)

    def answer(engine: Engine, query: TableQuery) -> pl.DataFrame:
        mine = rows.filter(pl.col("group").is_in([g.group for g in query.groups]))
        if cfg.invalid_weights == "error":
            for g in query.groups:
                weights = mine.filter((pl.col("part") == WEIGHTS) & (pl.col("group") == g.group))
                bad = int(weights["bad"].sum() or 0)
                if bad and g.weight:
                    raise InvalidWeight(
                        file=getattr(engine, "source", None), column=g.weight,
                        value="(in the table)", count=f"{bad:,}",
                        hint='fix those weights, or set invalid_weights = "drop" to leave '
                        "those rows out",
                    )  # fmt: skip
        return mine

    return count_engine(engines, cfg, answer=answer)
