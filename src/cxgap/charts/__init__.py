"""Slide-ready charts drawn from the result objects (never from raw data).

matplotlib is imported only here, when a chart is drawn, so the CLI and the
analysis never pay for it. Every chart kind is a module with one ``draw``
function; adding a kind is adding a module and a line in ``KINDS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxgap.charts.base import SIZES, parse_size, save

if TYPE_CHECKING:
    from cxgap.model import AnalysisResult

#: chart kind -> (module, needs). "analysis": an AnalysisResult; "trend": a TrendResult.
#: The slope chart is drawn where there are three groups or more (``cxgap chart slope``
#: draws it for two as well).
KINDS: dict[str, tuple[str, str]] = {
    "headline": ("cxgap.charts.headline", "analysis"),
    "dumbbell": ("cxgap.charts.dumbbell", "analysis"),
    "diverging": ("cxgap.charts.diverging", "analysis"),
    "ranking": ("cxgap.charts.ranking", "analysis"),
    "quadrant": ("cxgap.charts.quadrant", "analysis"),
    "slope": ("cxgap.charts.layers", "analysis"),
    "heatmap": ("cxgap.charts.heatmap", "analysis"),
    "nps": ("cxgap.charts.nps", "analysis"),
    "units": ("cxgap.charts.units", "analysis"),
    "johari": ("cxgap.charts.johari", "analysis"),
    "trend": ("cxgap.charts.trend", "trend"),
    "johari-waves": ("cxgap.charts.johari_waves", "trend"),
}
FORMATS = ("png", "svg", "pdf")


def kinds_for(
    groups: int,
    importance: bool,
    trend: bool,
    *,
    segments: bool = False,
    nps: bool = False,
    units: bool = False,
    johari: bool = True,
) -> list[str]:
    """The chart kinds that every output of charts (``--charts``, deck, report) draws: the
    heatmap where the analysis has segments (or units), the NPS chart where it has an NPS
    item, the per-unit scatter where it has a per-unit view, the Johari view where two
    items or more have both groups' shares."""
    return [
        kind
        for kind, (_, needs) in KINDS.items()
        if (needs == "analysis" or trend)
        and (kind != "quadrant" or importance)
        and (kind != "slope" or groups > 2)
        and (kind != "heatmap" or segments)
        and (kind != "nps" or nps)
        and (kind != "units" or units)
        and (kind != "johari" or johari)
    ]


def kinds_of(result: AnalysisResult, trend: bool) -> list[str]:
    """:func:`kinds_for` an analysis (and its trend, when there is one)."""
    return kinds_for(
        len(result.groups),
        any(i.importance is not None for i in result.items),
        trend,
        segments=bool(result.segments) or result.units is not None,
        nps=bool(result.nps),
        units=result.units is not None and any(c.ranking for c in result.units.comparisons),
        johari=result.priorities is not None
        and sum(q.quadrant is not None for q in result.priorities.johari[0].items) >= 2,
    )


__all__ = ["FORMATS", "KINDS", "SIZES", "kinds_for", "kinds_of", "parse_size", "save"]
