"""Slide-ready charts drawn from the result objects (never from raw data).

matplotlib is imported only here, when a chart is drawn, so the CLI and the
analysis never pay for it. Every chart kind is a module with one ``draw``
function; adding a kind is adding a module and a line in ``KINDS``.
"""

from __future__ import annotations

from cxgap.charts.base import SIZES, parse_size, save

#: chart kind -> (module, needs). "analysis": an AnalysisResult; "trend": a TrendResult.
KINDS: dict[str, tuple[str, str]] = {
    "headline": ("cxgap.charts.headline", "analysis"),
    "dumbbell": ("cxgap.charts.dumbbell", "analysis"),
    "diverging": ("cxgap.charts.diverging", "analysis"),
    "ranking": ("cxgap.charts.ranking", "analysis"),
    "quadrant": ("cxgap.charts.quadrant", "analysis"),
    "trend": ("cxgap.charts.trend", "trend"),
}
FORMATS = ("png", "svg", "pdf")

__all__ = ["FORMATS", "KINDS", "SIZES", "parse_size", "save"]
