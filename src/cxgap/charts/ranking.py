"""Gap ranking: the gaps as bars with intervals; blind spots and hidden strengths apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxgap.charts.base import (
    SMALL_PT,
    draws_themed,
    footnote,
    frame,
    largest_gaps,
    legend,
    rows_that_fit,
    short_label,
)
from cxgap.charts.dumbbell import label_geometry
from cxgap.charts.titles import largest_title
from cxgap.config import Theme
from cxgap.model import AnalysisResult
from cxgap.render.text import gap_words

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    shown, note = largest_gaps(
        [i for i in result.items if i.primary.gap is not None], rows_that_fit(size[1])
    )
    items = list(reversed(shown))
    title = largest_title(result)
    fig, ax = frame(
        theme,
        size,
        title,
        f"Gap = {gap_words(result).replace(' - ', ' minus ')} agreeing, in percentage points. "
        "Flagged when "
        f"{result.findings.rule}.{note}",
        footnote(result, theme),
    )
    colors = [
        {"blind_spot": theme.blind_spot_color, "hidden_strength": theme.hidden_strength_color}.get(
            i.primary.flag or "", theme.muted_color
        )
        for i in items
    ]
    gaps = [(i.primary.gap or 0.0) * 100 for i in items]
    lows = [g - (i.primary.gap_ci[0] or 0.0) * 100 for g, i in zip(gaps, items, strict=True)]
    highs = [(i.primary.gap_ci[1] or 0.0) * 100 - g for g, i in zip(gaps, items, strict=True)]
    ys = range(len(items))
    ax.barh(ys, gaps, color=colors, height=0.65)
    ax.errorbar(gaps, ys, xerr=[lows, highs], fmt="none", ecolor="#333333", elinewidth=1.2,
                capsize=4)  # fmt: skip
    width, lines = label_geometry(len(items), size[1], size[0])
    ax.set_yticks(list(ys), [short_label(i.label, width, lines) for i in items])
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_xlabel("Gap (pp)", fontsize=SMALL_PT + 1)
    span = max([abs(g) + h for g, h in zip(gaps, highs, strict=True)] + [10.0])
    ax.set_xlim(min(-10.0, min((g - lo for g, lo in zip(gaps, lows, strict=True)), default=0)) - 5,
                span + 12)  # fmt: skip
    for y, g, h in zip(ys, gaps, highs, strict=True):
        # Negative bars keep their label right of zero, clear of the item labels.
        ax.text(g + h + 1.5 if g >= 0 else 1.5, y, f"{g:+.0f}", va="center", ha="left",
                fontsize=SMALL_PT)  # fmt: skip
    ax.set_ylim(-0.7, len(items) - 0.3)
    legend(ax, [("Blind spot", theme.blind_spot_color),
                ("Hidden strength", theme.hidden_strength_color),
                ("Not flagged", theme.muted_color)],
           loc="lower right", ncol=1)  # fmt: skip
    return fig
