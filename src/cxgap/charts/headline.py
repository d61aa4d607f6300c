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
    palette = theme.palette(result.group_names)
    h = result.headline
    main = h.primary
    shares = [f"{pct(h.groups[g.name].share)} of {g.label}" for g in result.groups]
    joined = " vs ".join(shares) if len(shares) == 2 else ", ".join(shares)
    title = f"{joined} agree"
    if main.ratio is not None and main.ratio >= 1.5 and len(shares) == 2:
        title += f", {main.ratio:.1f}x as many"
    conf = f"{result.settings.confidence:.0%}"
    which = ""
    if len(shares) > 2:
        which = f" {result.group(main.a).label} - {result.group(main.b).label}"
    gap = f"Gap{which} {pp(main.gap)} pp ({conf} CI {interval_pp(main.gap_ci)} pp)"
    fig, ax = frame(theme, size, title, f"\u201c{h.label}\u201d", footnote(result, theme),
                    axes_box=(0.22, 0.2, 0.62, 0.5))  # fmt: skip
    groups = [(g.label[:1].upper() + g.label[1:], h.groups[g.name], palette[g.name])
              for g in result.groups]  # fmt: skip
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
    top = len(groups)
    ax.text(0.0, top - 0.45, gap, transform=ax.get_yaxis_transform(), fontsize=LABEL_PT + 4,
            fontweight="bold", va="center", color=theme.blind_spot_color
            if (main.gap or 0) > 0 else theme.hidden_strength_color)  # fmt: skip
    ax.set_ylim(-0.6, top - 0.1)
    return fig
