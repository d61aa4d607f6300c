"""Headline: the one number that starts the conversation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxgap.charts.base import LABEL_PT, TITLE_PT, draws_themed, footnote, frame, pct_axis
from cxgap.config import Theme
from cxgap.model import AnalysisResult
from cxgap.render.text import interval_pp, pct, pp

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    h = result.headline
    lead, cust = h.leaders, h.customers
    title = f"{pct(lead.share)} of leaders vs {pct(cust.share)} of customers agree"
    if h.ratio is not None and h.ratio >= 1.5:
        title += f", {h.ratio:.1f}x as many"
    conf = f"{result.settings.confidence:.0%}"
    gap = f"Gap {pp(h.gap)} pp ({conf} CI {interval_pp(h.gap_ci)} pp)"
    fig, ax = frame(theme, size, title, f"\u201c{h.label}\u201d", footnote(result, theme),
                    axes_box=(0.22, 0.2, 0.62, 0.5))  # fmt: skip
    groups = [("Leaders", lead, theme.leaders_color), ("Customers", cust, theme.customers_color)]
    for y, (name, stats, color) in enumerate(reversed(groups)):
        share = stats.share or 0.0
        ax.barh(y, share, height=0.6, color=color)
        lo, hi = stats.ci
        if lo is not None and hi is not None:
            ax.errorbar(share, y, xerr=[[share - lo], [hi - share]], fmt="none",
                        ecolor="#333333", elinewidth=1.5, capsize=6)  # fmt: skip
        ax.text(max(share, hi or share) + 0.02, y, f"{pct(stats.share)}", va="center",
                fontsize=TITLE_PT + 8, fontweight="bold", color=color)  # fmt: skip
        ax.text(
            -0.02, y, f"{name}\nn = {stats.n:,}", va="center", ha="right", fontsize=LABEL_PT + 2
        )
    ax.set_yticks([])
    pct_axis(ax, "x", (0.0, 1.0))
    ax.spines["left"].set_visible(False)
    ax.text(0.0, 1.55, gap, transform=ax.get_yaxis_transform(), fontsize=LABEL_PT + 4,
            fontweight="bold", va="center", color=theme.blind_spot_color
            if (h.gap or 0) > 0 else theme.hidden_strength_color)  # fmt: skip
    ax.set_ylim(-0.6, 1.9)
    return fig
