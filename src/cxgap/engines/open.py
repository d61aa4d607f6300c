"""An engine by name, and the tables of ``--table`` (one table, or a table per group)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cxgap.config.sections import group_name_problem
from cxgap.errors import EngineUnavailable, UsageError

if TYPE_CHECKING:
    from cxgap.engines import Engine

#: The engines ``--engine`` names ("local" counts exports on this machine).
ENGINES = ("local", "duckdb", "postgres", "spark")


def open_engine(name: str, table: str, *, connection: str | None = None, **options: Any) -> Engine:
    """The engine ``name`` on ``table`` (``connection``: the database, where it has one)."""
    if name == "duckdb":
        from cxgap.engines.duckdb import DuckDBEngine

        return DuckDBEngine(connection, table)
    if name == "postgres":
        try:
            from cxgap.engines.postgres import PostgresEngine
        except ImportError:
            raise _unavailable(name) from None
        return PostgresEngine(connection or "", table)
    if name == "spark":
        try:
            from cxgap.engines.spark import SparkEngine
        except ImportError:
            raise _unavailable(name) from None
        return SparkEngine(table, **options)
    raise UsageError(f"--engine {name!r}: expected one of {', '.join(ENGINES)}")


def _unavailable(name: str) -> EngineUnavailable:
    return EngineUnavailable(
        engine=name, reason="this cxgap has no such engine",
        hint="pip install 'cxgap[sql]' (or 'cxgap[spark]')",
    )  # fmt: skip


def split_tables(tables: Sequence[str], option: str = "--table") -> str | dict[str, str]:
    """``--table``: one table (its groups told apart by group_column), or ``GROUP=TABLE``
    per group. A name whose part before '=' is no group name is a table's name."""
    if not tables:
        raise UsageError(f"{option} names the table (or GROUP=TABLE per group)")
    pairs: dict[str, str] = {}
    for given in tables:
        group, sep, table = given.partition("=")
        if sep and table and group_name_problem(group.strip(), positional=False) is None:
            if group.strip() in pairs:
                raise UsageError(f"{option}: the {group.strip()} group is given twice")
            pairs[group.strip()] = table
        elif len(tables) == 1:
            return given
        else:
            raise UsageError(
                f"{option} {given!r}: with several, give each as GROUP=NAME "
                f"({option} leaders=T1 {option} customers=T2)"
            )
    return pairs


def open_tables(
    name: str,
    tables: Sequence[str],
    *,
    connection: str | None = None,
    option: str = "--table",
    **options: Any,
) -> Engine | Mapping[str, Engine]:
    """The engines of ``--table``: one, or one per group."""
    found = split_tables(tables, option)
    if isinstance(found, str):
        return open_engine(name, found, connection=connection, **options)
    return {g: open_engine(name, t, connection=connection, **options) for g, t in found.items()}


def close(engines: Engine | Mapping[str, Engine] | None) -> None:
    """Close every engine opened (each once)."""
    if engines is None:
        return
    found = list(engines.values()) if isinstance(engines, Mapping) else [engines]
    for engine in {id(e): e for e in found}.values():
        engine.close()
