"""The queries ``cxgap sql`` prints: built from a small sample of the table's columns
(the coding plan is decided on it as on the table), written for the table's real name in
the warehouse's dialect, for an analyst to run where the data are."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from cxgap.config import Config
from cxgap.engines.counts import decide
from cxgap.engines.query import DIALECTS, counts_query, distinct_query, sql
from cxgap.errors import UsageError

if TYPE_CHECKING:
    from cxgap.engines import Engine

Step = Literal["distinct", "counts"]

_HEADER = {
    "distinct": (
        "-- cxgap sql (step distinct, dialect {dialect}): per group, each item column's\n"
        "-- distinct answers as text and their count (part 'distinct'), and the rows with a\n"
        "-- bad weight (part 'weights'): check the answers the coding plan will meet.\n"
    ),
    "counts": (
        "-- cxgap sql (step counts, dialect {dialect}): the counts table (part 'counts':\n"
        "-- group, item, wave, segment keys, value, n, w_sum, w2_sum), the weights' range\n"
        "-- and rows with a bad weight (part 'weights'), the composite headline's\n"
        "-- respondents per class (part 'composite') or the cross-tab against the headline\n"
        "-- item (part 'crosstab'). w_sum and w2_sum are exact sums in units of 1e-12\n"
        "-- (DECIMAL(38, 0)). Save the result (Parquet or CSV) and turn it into a counts\n"
        "-- file: cxgap counts --result RESULT --sample SAMPLE --table TABLE -o counts.parquet\n"
    ),
}


def table_parts(name: str) -> tuple[str, ...]:
    """A table's name as given (``catalog.schema.table``): its parts, split on dots."""
    parts = tuple(name.split("."))
    if not name or len(parts) > 3 or not all(parts):
        raise UsageError(f"--table {name!r}: expected TABLE, SCHEMA.TABLE or CATALOG.SCHEMA.TABLE")
    return parts


def printed_sql(
    samples: Engine | Mapping[str, Engine],
    tables: str | Mapping[str, str],
    cfg: Config,
    dialect: str,
    step: Step = "counts",
) -> str:
    """The query (one per table) for the warehouse, decided on ``samples`` (engines over a
    sample of each table), naming ``tables`` (one, or per group as the samples are)."""
    if dialect not in DIALECTS:
        raise UsageError(f"--dialect {dialect!r}: expected one of {', '.join(DIALECTS)}")
    if isinstance(samples, Mapping) != isinstance(tables, Mapping):
        raise UsageError("give --table and --sample alike: one each, or GROUP=... for each group")
    decided = decide(samples, cfg)
    out = []
    for _, query in decided.queries(cfg):
        if isinstance(tables, Mapping):
            group = query.groups[0].group
            if group not in tables:
                raise UsageError(f"--table: no table for the {group} group (GROUP=TABLE)")
            name = tables[group]
        else:
            name = tables
        target = replace(query, table=table_parts(name))
        built = distinct_query(target) if step == "distinct" else counts_query(target, exact=True)
        out.append(_HEADER[step].format(dialect=dialect) + sql(built, dialect, pretty=True) + ";\n")
    return "\n".join(out)
