"""Renderers: each turns one kind of result into text in one format.

They register here by (result kind, format), as "module:function", imported only
when used; adding an output is adding a module and a line below. A table renderer
takes ``color`` and ``width`` (it draws for a terminal); the others take the result
alone. A binary format (xlsx) gives bytes, through :func:`render_bytes`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pydantic import BaseModel

Format = Literal["table", "json", "csv", "markdown", "xlsx"]
FORMATS: tuple[str, ...] = ("table", "json", "csv", "markdown", "xlsx")

_JSON = "cxgap.render.json:render_json"
_XLSX = "cxgap.render.xlsx:render_xlsx"
RENDERERS: dict[tuple[str, str], str] = {
    ("analysis", "table"): "cxgap.render.table:render_table",
    ("analysis", "json"): _JSON,
    ("analysis", "csv"): "cxgap.render.csv:render_csv",
    ("analysis", "markdown"): "cxgap.render.markdown:render_markdown",
    ("analysis", "xlsx"): _XLSX,
    ("trend", "table"): "cxgap.render.trend:render_trend_table",
    ("trend", "json"): _JSON,
    ("trend", "csv"): "cxgap.render.trend:render_trend_csv",
    ("trend", "markdown"): "cxgap.render.trend:render_trend_markdown",
    ("trend", "xlsx"): _XLSX,
    ("check", "table"): "cxgap.render.check:render_check_table",
    ("check", "json"): _JSON,
    ("check", "markdown"): "cxgap.render.check:render_check_markdown",
    ("check", "junit"): "cxgap.render.check:render_junit",
    ("check", "xlsx"): _XLSX,
    ("validate", "table"): "cxgap.render.validate:render_validation_table",
    ("validate", "json"): _JSON,
    ("validate", "lines"): "cxgap.render.validate:render_validation_lines",
}
#: Formats drawn for a terminal: their renderers take ``color`` and ``width``.
TERMINAL_FORMATS = frozenset({"table"})
#: Formats whose renderers give bytes (never written to a terminal).
BINARY_FORMATS = frozenset({"xlsx"})


def kind_of(result: BaseModel) -> str:
    """The kind of a result: its ``kind`` field, or "analysis" for an AnalysisResult."""
    return str(getattr(result, "kind", "analysis"))


def formats_of(kind: str) -> list[str]:
    """The formats a kind of result renders to, in registry order."""
    return [fmt for k, fmt in RENDERERS if k == kind]


def _renderer(result: BaseModel, fmt: str) -> Any:
    kind = kind_of(result)
    target = RENDERERS.get((kind, fmt))
    if target is None:
        raise ValueError(f"no {fmt!r} output for a {kind} result ({', '.join(formats_of(kind))})")
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


def render(result: BaseModel, fmt: str, *, color: bool = False, width: int = 140) -> str:
    """The result as text in the named format (a binary format: :func:`render_bytes`)."""
    if fmt in BINARY_FORMATS:
        raise ValueError(f"{fmt!r} is a binary format: use render_bytes")
    renderer = _renderer(result, fmt)
    if fmt in TERMINAL_FORMATS:
        return str(renderer(result, color=color, width=width))
    return str(renderer(result))


def render_bytes(result: BaseModel, fmt: str) -> bytes:
    """The result as the bytes of a binary format (xlsx)."""
    if fmt not in BINARY_FORMATS:
        raise ValueError(f"{fmt!r} is a text format: use render")
    return bytes(_renderer(result, fmt)(result))
