"""Draw chart kinds by name and write them to files (atomically)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cxgap.charts import FORMATS, KINDS, SIZES, kinds_of
from cxgap.charts.base import save
from cxgap.config import Theme
from cxgap.errors import UsageError
from cxgap.io.output import write_output
from cxgap.model import AnalysisResult, TrendResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def draw_chart(
    kind: str,
    result: AnalysisResult | TrendResult,
    theme: Theme,
    size: tuple[float, float],
) -> Figure:
    """The figure of one chart kind."""
    if kind not in KINDS:
        raise UsageError(f"unknown chart kind {kind!r}; expected one of {', '.join(KINDS)}")
    module, needs = KINDS[kind]
    expected = TrendResult if needs == "trend" else AnalysisResult
    if not isinstance(result, expected):
        raise UsageError(f"the {kind} chart is drawn from a {needs} result")
    draw = importlib.import_module(module).draw
    figure: Figure = draw(result, theme, size)
    return figure


def chart_bytes(
    kind: str,
    result: AnalysisResult | TrendResult,
    theme: Theme,
    size: tuple[float, float],
    fmt: str,
) -> bytes:
    return save(draw_chart(kind, result, theme, size), f"chart.{fmt}", fmt)


def write_charts(
    folder: str | Path,
    result: AnalysisResult,
    trend: TrendResult | None = None,
    theme: Theme | None = None,
    size: tuple[float, float] = SIZES["slide"],
    formats: Iterable[str] = FORMATS,
    *,
    inputs: Iterable[Path] = (),
) -> list[Path]:
    """Every chart kind the data allow, in every format, as ``folder/KIND.FMT``
    (``trend``: add the trend chart; ``theme``: colours and fonts, default ``Theme()``).
    Written atomically, never over one of ``inputs``."""
    folder = Path(folder)
    theme = theme or Theme()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for kind in kinds_of(result, trend is not None):
        source: AnalysisResult | TrendResult = (
            trend if KINDS[kind][1] == "trend" and trend else result
        )
        for fmt in formats:
            path = folder / f"{kind}.{fmt}"
            write_output(path, chart_bytes(kind, source, theme, size, fmt), inputs=inputs)
            written.append(path)
    return written
