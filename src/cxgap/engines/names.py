"""Table names as the user writes them, split into the parts an engine quotes."""

from __future__ import annotations

from cxgap.errors import UsageError


def table_parts(name: str, dialect: str) -> tuple[str, ...]:
    """``catalog.schema.table`` (or fewer parts) as written in ``dialect``: a part that
    holds dots, spaces or quotes is quoted the dialect's way (``"a b".t`` in PostgreSQL,
    ``\\`a b\\`.t`` in Spark). The parts are returned unquoted; the engine quotes them again."""
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    text = name.strip()
    if not text:
        raise UsageError("the table name is empty")
    try:
        table = exp.to_table(text, dialect=dialect)
    except (SqlglotError, ValueError) as exc:
        # sqlglot's reason may quote the text back; the name is the user's own input.
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"table name {text!r} cannot be read as {dialect} SQL: {reason}") from None
    parts = tuple(p.name for p in table.parts)
    if not parts or any(p == "" for p in parts):
        raise UsageError(f"table name {text!r}: an empty part")
    return parts
