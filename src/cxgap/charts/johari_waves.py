"""The Johari view wave by wave: a panel per wave (the last four), on the same axes, each
split at its own wave's thresholds, the items numbered as in the latest wave's view (see
:mod:`cxgap.charts.johari`). Drawn from a trend: in decks, reports and ``--charts`` when
there are two waves or more, and ``cxgap chart johari-waves``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxgap.charts.base import draws_themed, frame
from cxgap.charts.johari import Panel, Point, lay_out, plural
from cxgap.config import Theme
from cxgap.config.sections import upper_first
from cxgap.errors import UsageError
from cxgap.model import TrendResult
from cxgap.model.priorities import QUADRANTS
from cxgap.render.priorities import QUADRANT_WORDS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Waves shown at most (the latest).
MAX_WAVES = 4


@draws_themed
def draw(result: TrendResult, theme: Theme, size: tuple[float, float]) -> Figure:
    waves = [w for w in result.waves if w in result.johari][-MAX_WAVES:]
    if len(waves) < 2:
        raise UsageError("the Johari view by wave needs two waves or more")
    latest = result.johari[waves[-1]]
    a, b = latest.a, latest.b
    trends = {t.item: t for t in result.items}
    placed = [q for q in latest.items if q.quadrant is not None and q.item in trends]
    order = sorted(placed, key=lambda q: (QUADRANTS.index(q.quadrant or QUADRANTS[0]), q.item))
    number = {q.item: k + 1 for k, q in enumerate(order)}
    panels: list[Panel] = []
    for wave in waves:
        view = result.johari[wave]
        points = []
        for q in view.items:
            if q.item not in number or q.quadrant is None or q.x is None or q.y is None:
                continue
            point = next(p for p in trends[q.item].points if p.wave == wave)
            points.append(Point(number[q.item], q.x, point.groups[a].ci, q.y,
                                point.groups[b].ci, q.quadrant))  # fmt: skip
        panels.append((wave, points, (view.x_cut, view.y_cut)))
    la, lb = result.groups[a], result.groups[b]
    counts = ", ".join(
        f"{latest.counts[q]} {QUADRANT_WORDS[q]}{plural(q) if latest.counts[q] != 1 else ''}"
        for q in QUADRANTS
    )
    cut = "its median shares" if latest.threshold == "median" else "the configured level"
    title = f"{upper_first(la)} vs {lb} in {waves[-1]}: {counts}"
    subtitle = (
        f"x: {la} agreeing, y: {lb} agreeing, wave by wave on the same axes; each wave "
        f"split at {cut}; crosshairs: intervals."
    )
    foot = (
        f"{theme.source_for(list(result.groups.values()))}. Waves: {', '.join(result.waves)}. "
        f"Agree = {result.settings.agree}. Confidence level {result.settings.confidence:.0%}."
    )
    fig, first = frame(theme, size, title, subtitle, foot, axes_box=(0.07, 0.16, 0.56, 0.60))
    key = [(number[q.item], trends[q.item].label) for q in order]
    lay_out(fig, first, panels, key, theme, size, (la, lb))
    return fig
