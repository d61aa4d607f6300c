"""DuckDB: a table in a .duckdb file, or a Parquet or CSV file that DuckDB reads.

``DuckDBEngine(connection, table)``: ``connection`` is the database file (a path, or a
``duckdb:///path`` URL; ``:memory:`` or empty for none), ``table`` a table's name in it
(``schema.table`` when no table has the name as written) or the path of a ``.parquet``,
``.csv``, ``.tsv`` or ``.txt`` file (or a quoted glob of such files, one wave per file).
A CSV is read with every column as text (as cxgap reads a CSV); Parquet keeps its types.
Neither the connection nor a password ever appears in a message: the table is named as
given.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxgap.errors import EngineUnavailable, EngineUnreachable, TableNotFound

if TYPE_CHECKING:
    import polars as pl

#: The view a file is read through (a name of cxgap's own, quoted where used).
FILE_VIEW = "cxgap_source"
_FILES = (".parquet", ".csv", ".tsv", ".txt")


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise EngineUnavailable(
            engine="duckdb", reason="the duckdb package is not installed",
            hint="pip install 'cxgap[sql]'",
        ) from None  # fmt: skip
    return duckdb


def database_path(connection: str | None) -> str:
    """The database file of a connection: a path or a duckdb:/// URL (':memory:' for none)."""
    given = (connection or "").strip()
    if given.startswith("duckdb://"):
        given = given[len("duckdb://") :]
        given = given[1:] if given.startswith("/") and given[1:2] != "/" else given
    return given or ":memory:"


class DuckDBEngine:
    """A table in DuckDB (see the module's note)."""

    dialect = "duckdb"

    def __init__(self, connection: str | None, table: str) -> None:
        duckdb = _duckdb()
        from sqlglot import exp

        database = database_path(connection)
        self.label = table
        try:
            if database != ":memory:" and not Path(database).is_file():
                raise EngineUnreachable(engine="duckdb", reason="no database file there "
                                        "(--connection names a .duckdb file)")  # fmt: skip
            self._con = duckdb.connect(database, read_only=database != ":memory:")
        except duckdb.Error as exc:
            raise EngineUnreachable(engine="duckdb", reason=_reason(exc, connection)) from None
        if Path(table).suffix.lower() in _FILES:
            if not (Path(table).is_file() or glob.glob(table)):
                raise TableNotFound(table=table, engine="duckdb", known=" (no such file)")
            if Path(table).suffix.lower() == ".parquet":
                source = exp.func("read_parquet", exp.Literal.string(table))
            else:
                source = exp.func(
                    "read_csv", exp.Literal.string(table),
                    exp.EQ(this=exp.column("all_varchar"), expression=exp.true()),
                    exp.EQ(this=exp.column("allow_quoted_nulls"), expression=exp.false()),
                )  # fmt: skip
            view = exp.Create(
                this=exp.to_table(FILE_VIEW, quoted=True), kind="VIEW", replace=True,
                expression=exp.select("*").from_(source),
            )  # fmt: skip
            # a temporary view of a read-only database: CREATE TEMP is allowed there
            view.set("properties", exp.Properties(expressions=[exp.TemporaryProperty()]))
            self._execute(view.sql(dialect="duckdb"))
            self.table: tuple[str, ...] = (FILE_VIEW,)
        else:
            self.table = self._find(table)

    def _find(self, name: str) -> tuple[str, ...]:
        rows = self._execute(
            "SELECT table_catalog, table_schema, table_name FROM information_schema.tables"
        ).fetchall()
        for catalog, schema, table in rows:
            if table == name:
                return (catalog, schema, table)
        for catalog, schema, table in rows:
            if f"{schema}.{table}" == name or f"{catalog}.{schema}.{table}" == name:
                return (catalog, schema, table)
        known = sorted({t for _, _, t in rows})
        shown = "; it has: " + ", ".join(repr(t) for t in known[:10]) if known else ""
        raise TableNotFound(table=name, engine="duckdb", known=shown)

    def _execute(self, sql: str) -> Any:
        duckdb = _duckdb()
        try:
            return self._con.execute(sql)
        except duckdb.Error as exc:
            raise EngineUnreachable(engine="duckdb", reason=_reason(exc, None)) from None

    def columns(self) -> list[tuple[str, str]]:
        from sqlglot import exp

        query = exp.select("*").from_(exp.Table(
            this=exp.to_identifier(self.table[-1], quoted=True),
            db=exp.to_identifier(self.table[-2], quoted=True) if len(self.table) > 1 else None,
            catalog=exp.to_identifier(self.table[-3], quoted=True) if len(self.table) > 2 else None,
        )).limit(0)  # fmt: skip
        cursor = self._execute(query.sql(dialect="duckdb"))
        return [(d[0], str(d[1])) for d in cursor.description]

    def run(self, sql: str) -> pl.DataFrame:
        import polars as pl

        cursor = self._execute(sql)
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        return pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)

    def close(self) -> None:
        self._con.close()


def _reason(exc: BaseException, connection: str | None) -> str:
    """An engine error's first line, without the connection string."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if connection:
        text = text.replace(connection, "(the connection)")
    return text
