"""Counts computed where the data live: a SQL engine or Spark runs the counting query.

Every statistic cxgap reports needs only the counts table (:mod:`cxgap.counts_table`),
so a table of hundreds of millions of rows is never downloaded: the coding plan is
decided from a distinct-values query, then one aggregation query produces the counts
table, and cxgap analyses that small table as it analyses a counts file.

An engine is anything that can answer the two kinds of queries cxgap sends it
(:class:`Engine`); the queries themselves are built once, as sqlglot expressions, and
written in each engine's dialect, so DuckDB, PostgreSQL, Spark, BigQuery and Snowflake
get the same query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import polars as pl


class Engine(Protocol):
    """A connection to where one table lives."""

    #: sqlglot's name for the engine's dialect: "duckdb", "postgres", "spark", ...
    dialect: str
    #: The table's name, in parts (catalog, schema, table; or just the table): the query
    #: builder quotes each part, so a name is never pasted into SQL.
    table: tuple[str, ...]

    def columns(self) -> list[tuple[str, str]]:
        """The table's columns, in order, with their types as the engine names them."""
        ...

    def run(self, sql: str) -> pl.DataFrame:
        """Run one query written in :attr:`dialect` and return its result."""
        ...

    def close(self) -> None:
        """Release the connection (or the Spark session cxgap started)."""
        ...
