"""Renderers: each reads an AnalysisResult and returns text. Adding an output is adding a module."""

from __future__ import annotations

from typing import Literal

from cxgap.model import AnalysisResult

Format = Literal["table", "json", "csv", "markdown"]
FORMATS: tuple[str, ...] = ("table", "json", "csv", "markdown")


def render(result: AnalysisResult, fmt: str, *, color: bool = False, width: int = 140) -> str:
    """The result as text in the named format."""
    if fmt == "json":
        from cxgap.render.json import render_json

        return render_json(result)
    if fmt == "csv":
        from cxgap.render.csv import render_csv

        return render_csv(result)
    if fmt == "markdown":
        from cxgap.render.markdown import render_markdown

        return render_markdown(result)
    if fmt == "table":
        from cxgap.render.table import render_table

        return render_table(result, color=color, width=width)
    raise ValueError(f"unknown format {fmt!r}")
