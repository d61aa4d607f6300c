"""Trend: leaders' and customers' agree shares by wave, with interval bands."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cxgap.charts.base import SMALL_PT, draws_themed, frame, pct_axis
from cxgap.config import Theme
from cxgap.config.sections import possessive, upper_first
from cxgap.model import ItemTrend, TrendResult
from cxgap.render.text import interval_pp, pp

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@draws_themed
def draw(
    result: TrendResult, theme: Theme, size: tuple[float, float], item: str | None = None
) -> Figure:
    trend = result.headline if item is None else _find(result, item)
    ref = result.comparison.b
    measure = f"{ref}_share"
    change = next((c for c in reversed(trend.changes) if c.measure == measure), None)
    whose = upper_first(possessive(ref))
    if change is not None and change.change is not None:
        points = change.change * 100
        size_text = f"{abs(points):.0f}" if abs(points) >= 1 else f"{abs(points):.1f}"
        if not change.significant:
            title = (
                f"{whose} agreement held from {change.from_wave} to {change.to_wave} "
                f"({pp(change.change, 1)} pp, within noise)"
            )
        else:
            verb = "rose" if points > 0 else "fell"
            title = (
                f"{whose} agreement {verb} {size_text} pp from "
                f"{change.from_wave} to {change.to_wave}"
            )
    else:
        title = "Agreement by wave"
    conf = f"{result.settings.confidence:.0%}"
    last = trend.points[-1]
    fig, ax = frame(
        theme,
        size,
        title,
        f"\u201c{trend.label}\u201d: share who agree ({result.settings.agree}) by wave; "
        f"bands: {conf} confidence intervals",
        f"{theme.source_for(list(result.groups.values()))}. Latest wave n = "
        + ", ".join(f"{s.n:,} {result.groups[g]}" for g, s in last.groups.items())
        + f". Waves: {', '.join(result.waves)}.",
        axes_box=(0.08, 0.16, 0.80, 0.58),
    )
    xs = list(range(len(trend.points)))
    for group in result.groups:
        name, color = upper_first(result.groups[group]), theme.color_for(group, list(result.groups))
        stats = [p.groups[group] for p in trend.points]
        shares = [_value(s.share) for s in stats]  # a wave without answers: a gap
        lows = [_value(s.ci[0] if s.ci[0] is not None else s.share) for s in stats]
        highs = [_value(s.ci[1] if s.ci[1] is not None else s.share) for s in stats]
        ax.fill_between(xs, lows, highs, color=color, alpha=0.18, linewidth=0)
        ax.plot(xs, shares, "-o", color=color, linewidth=3, markersize=9, label=name)
        last_share = stats[-1].share
        if last_share is not None:
            ax.text(xs[-1] + 0.08, last_share, f"{name}\n{last_share * 100:.0f}%", va="center",
                    fontsize=SMALL_PT + 1, color=color, fontweight="bold")  # fmt: skip
    if change is not None and change.change is not None and len(xs) > 1:
        y = trend.points[-1].groups[ref].share or 0.0
        ax.annotate(
            f"{pp(change.change, 1)} pp ({interval_pp(change.ci)})",
            (xs[-1], y), xytext=(-12, -34), textcoords="offset points", ha="right",
            fontsize=SMALL_PT + 1, color=theme.color_for(ref, list(result.groups)),
            arrowprops={"arrowstyle": "-", "color": theme.color_for(ref, list(result.groups))},
        )  # fmt: skip
    ax.set_xticks(xs, result.waves)
    ax.set_xlim(-0.3, len(xs) - 0.4)
    pct_axis(ax, "y", (0.0, 1.0))
    ax.grid(axis="y", color="#EEEEEE")
    return fig


def _value(share: float | None) -> float:
    return math.nan if share is None else share


def _find(result: TrendResult, item: str) -> ItemTrend:
    for trend in result.items:
        if trend.item == item:
            return trend
    from cxgap.errors import UsageError

    raise UsageError(f"no item {item!r} in the trend ({', '.join(t.item for t in result.items)})")
