"""PostgreSQL as an engine: the counting queries run on the server, through psycopg 3.

The connection string (``postgresql://user:password@host:port/db`` or ``key=value``
pairs) is a secret: it never appears in a message, an error or a file's metadata. Errors
name the host, port, database and user, and anything the driver says is redacted of the
password and of the string itself before it is shown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from cxgap.errors import EngineUnavailable, EngineUnreachable, TableNotFound

if TYPE_CHECKING:
    import polars as pl

INSTALL_HINT = "pip install 'cxgap[sql]'"


class PostgresEngine:
    """One table on a PostgreSQL server (an :class:`cxgap.engines.Engine`)."""

    dialect = "postgres"

    def __init__(self, connection: str, table: str) -> None:
        from cxgap.engines.names import table_parts

        self._secret = Secret(connection)
        self.table = table_parts(table, self.dialect)
        #: The table as given: what the counts file names (never the connection string).
        self.label = table
        try:
            import psycopg
        except ImportError:
            raise EngineUnavailable(
                engine="PostgreSQL", reason="psycopg is not installed", hint=INSTALL_HINT
            ) from None
        self._psycopg = psycopg
        try:
            self._conn = psycopg.connect(connection, autocommit=True, connect_timeout=15)
        except psycopg.Error as exc:
            raise self._unreachable(exc) from None

    def columns(self) -> list[tuple[str, str]]:
        """The table's columns in order, with PostgreSQL's names of their types."""
        from psycopg import sql

        name = sql.Identifier(*self.table).as_string(self._conn)
        query = (
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
        )
        rows = self._execute(query, (name,))[1]
        return [(str(column), str(kind)) for column, kind in rows]

    def run(self, sql: str) -> pl.DataFrame:
        """The query's result; ``numeric`` columns (the weight sums) as exact decimals,
        ``bigint`` as Int64, text as String."""
        import polars as pl

        description, rows = self._execute(sql, None)
        names = [d.name for d in description]
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
        series = [
            _series(name, list(values), self._type_name(d.type_code))
            for name, values, d in zip(names, columns, description, strict=True)
        ]
        return pl.DataFrame(series)

    def close(self) -> None:
        self._conn.close()

    # -- internals ---------------------------------------------------------------------

    def _type_name(self, oid: int) -> str:
        info = self._conn.adapters.types.get(oid)
        return info.name if info is not None else ""

    def _execute(self, query: str, params: tuple[Any, ...] | None) -> tuple[Any, list[Any]]:
        psycopg = self._psycopg
        try:
            with self._conn.cursor() as cur:
                cur.execute(query.encode(), params)  # bytes: run as given, not re-formatted
                return cur.description or [], cur.fetchall() if cur.description else []
        except psycopg.errors.UndefinedTable:
            raise TableNotFound(engine="PostgreSQL", table=".".join(self.table), known="") from None
        except psycopg.OperationalError as exc:
            raise self._unreachable(exc) from None
        except psycopg.Error as exc:
            reason = "the query failed: " + self._secret.redact(_first_line(exc))
            raise EngineUnreachable(engine="PostgreSQL", reason=reason) from None

    def _unreachable(self, exc: BaseException) -> EngineUnreachable:
        reason = f"cannot connect to {self._secret.where()}: {_first_line(exc)}"
        return EngineUnreachable(engine="PostgreSQL", reason=self._secret.redact(reason))


def _series(name: str, values: list[Any], type_name: str) -> pl.Series:
    """One result column: exact types for what the counts table needs."""
    import polars as pl

    if type_name == "numeric":
        # Sums of fixed-point weights: integers of up to 38 digits (Decimal(38, 0) when
        # whole, else the largest scale present), never through a float.
        scale = max((-int(v.as_tuple().exponent) for v in values if v is not None), default=0)
        return pl.Series(name, values, dtype=pl.Decimal(38, max(scale, 0)))
    if type_name in ("int8", "int4", "int2"):
        return pl.Series(name, values, dtype=pl.Int64)
    if type_name in ("text", "varchar", "bpchar", "name"):
        return pl.Series(name, values, dtype=pl.String)
    if type_name in ("float8", "float4"):
        return pl.Series(name, values, dtype=pl.Float64)
    return pl.Series(name, values)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Secret:
    """A connection string, kept out of every message."""

    def __init__(self, connection: str) -> None:
        self._text = connection
        self._parts = _conninfo(connection)

    def where(self) -> str:
        """``host:port/db as user``: what a message may name."""
        host = self._parts.get("host") or "localhost"
        port = self._parts.get("port") or "5432"
        place = f"{host}:{port}"
        if self._parts.get("dbname"):
            place += f"/{self._parts['dbname']}"
        if self._parts.get("user"):
            place += f" as {self._parts['user']}"
        return self.redact(place)

    def redact(self, text: str) -> str:
        """``text`` without the connection string or the password in it (as written,
        URL-encoded or decoded)."""
        secrets = {self._text, unquote(self._text)}
        password = self._parts.get("password")
        if password:
            secrets |= {password, quote(password, safe=""), unquote(password)}
        for secret in sorted((s for s in secrets if s), key=len, reverse=True):
            text = text.replace(secret, "***")
        # And any password-looking part, should the string be one psycopg cannot read.
        text = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)
        return re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", text, flags=re.IGNORECASE)


def _conninfo(connection: str) -> dict[str, str]:
    """The connection string's parts (empty when psycopg cannot read it)."""
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        return {}
    try:
        return {k: str(v) for k, v in conninfo_to_dict(connection).items() if v is not None}
    except Exception:  # an unreadable string: connecting reports it, redacted
        return {}
