"""Dumbbell: per item, leaders' and customers' agree shares joined by the gap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxgap.charts.base import (
    SMALL_PT,
    draws_themed,
    footnote,
    frame,
    largest_gaps,
    pct_axis,
    rows_that_fit,
    short_label,
)
from cxgap.charts.titles import findings_title
from cxgap.config import Theme
from cxgap.model import AnalysisResult, ItemResult
from cxgap.render.text import pp

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def title_for(result: AnalysisResult) -> str:
    """The finding in both directions (blind spots and hidden strengths)."""
    return findings_title(result)


def label_geometry(n_items: int, height_in: float, width_in: float = 13.333) -> tuple[int, int]:
    """(characters per line, lines) for item labels so rows never overlap at 13 pt."""
    rows_in = height_in * 0.6 / max(n_items, 1)
    lines = 2 if rows_in >= 0.45 else 1
    return (max(16, int(width_in * 0.27 / (13 * 0.58 / 72))), lines)


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    shown, note = largest_gaps(result.items, rows_that_fit(size[1]))
    items = list(reversed(shown))  # largest gap at the top
    fig, ax = frame(
        theme,
        size,
        title_for(result),
        f"Share who agree ({result.settings.agree}), leaders vs customers, sorted by gap; "
        f"grey lines: gap not significant.{note}",
        footnote(result, theme, f"p adjusted by {result.settings.adjust}."),
        axes_box=(0.32, 0.2, 0.64, 0.58),
    )
    width, lines = label_geometry(len(items), size[1], size[0])
    for y, item in enumerate(items):
        _row(ax, y, item, theme)
    ax.set_yticks(range(len(items)), [short_label(i.label, width, lines) for i in items])
    ax.set_ylim(-0.7, len(items) - 0.3)
    # A little room left of 0% (dots there stay whole) and right of 100% (gap labels
    # sit beyond the last dot or whisker, never on them).
    pct_axis(ax, "x", (-0.02, 1.12))
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    ax.plot([], [], "o", color=theme.leaders_color, label="Leaders", markersize=10)
    ax.plot([], [], "o", color=theme.customers_color, label="Customers", markersize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(-0.02, -0.07), ncol=2, frameon=False,
              fontsize=SMALL_PT + 1)  # fmt: skip
    return fig


def _row(ax: Axes, y: int, item: ItemResult, theme: Theme) -> None:
    lead, cust = item.leaders.share, item.customers.share
    if lead is None or cust is None:
        return
    color = {
        "blind_spot": theme.blind_spot_color,
        "hidden_strength": theme.hidden_strength_color,
    }.get(item.flag or "", theme.muted_color)
    alpha = 1.0 if item.significant else 0.45
    ax.plot([cust, lead], [y, y], color=color, linewidth=4, alpha=alpha, solid_capstyle="round")
    for stats, c, dy in ((item.leaders, theme.leaders_color, 0.12),
                         (item.customers, theme.customers_color, -0.12)):  # fmt: skip
        share = stats.share or 0.0
        lo, hi = stats.ci
        if lo is not None and hi is not None:
            ax.plot([lo, hi], [y + dy, y + dy], color=c, linewidth=1.5, alpha=0.8)
        ax.plot(share, y, "o", color=c, markersize=11, alpha=1.0 if item.significant else 0.6,
                zorder=3)  # fmt: skip
    right = max(lead, cust, item.leaders.ci[1] or 0.0, item.customers.ci[1] or 0.0)
    ax.text(right + 0.015, y, f"{pp(item.gap)} pp", va="center", fontsize=SMALL_PT,
            color=color if item.significant else "#777777")  # fmt: skip
