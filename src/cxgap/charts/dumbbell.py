"""Dumbbell: per item, every group's agree share (leaders, customers, ...) joined by the gap."""

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
from cxgap.config.sections import upper_first
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
    palette = theme.palette(result.group_names)
    shown, note = largest_gaps(result.items, rows_that_fit(size[1]))
    items = list(reversed(shown))  # largest gap at the top
    fig, ax = frame(
        theme,
        size,
        title_for(result),
        f"Share who agree ({result.settings.agree}), {' vs '.join(result_labels(result))}, "
        "sorted by gap; "
        f"grey lines: gap not significant.{note}",
        footnote(result, theme, f"p adjusted by {result.settings.adjust}."),
        axes_box=(0.32, 0.2, 0.64, 0.58),
    )
    width, lines = label_geometry(len(items), size[1], size[0])
    for y, item in enumerate(items):
        _row(ax, y, item, theme, result.group_names)
    ax.set_yticks(range(len(items)), [short_label(i.label, width, lines) for i in items])
    ax.set_ylim(-0.7, len(items) - 0.3)
    # A little room left of 0% (dots there stay whole) and right of 100% (gap labels
    # sit beyond the last dot or whisker, never on them).
    pct_axis(ax, "x", (-0.02, 1.12))
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_axisbelow(True)
    for g in result.groups:
        ax.plot([], [], "o", color=palette[g.name], label=upper_first(g.label),
                markersize=10)  # fmt: skip
    ax.legend(loc="upper left", bbox_to_anchor=(-0.02, -0.07), ncol=len(result.groups),
              frameon=False, fontsize=SMALL_PT + 1)  # fmt: skip
    return fig


def result_labels(result: AnalysisResult) -> list[str]:
    return [g.label for g in result.groups]


def _row(ax: Axes, y: int, item: ItemResult, theme: Theme, groups: list[str]) -> None:
    palette = theme.palette(groups)
    shares = [item.groups[g].share for g in groups]
    if any(s is None for s in shares):
        return
    main = item.primary
    color = {
        "blind_spot": theme.blind_spot_color,
        "hidden_strength": theme.hidden_strength_color,
    }.get(main.flag or "", theme.muted_color)
    alpha = 1.0 if main.significant else 0.45
    known = [s or 0.0 for s in shares]
    ax.plot([min(known), max(known)], [y, y], color=color, linewidth=4, alpha=alpha,
            solid_capstyle="round")  # fmt: skip
    # Each group's interval just above or below the row, first group on top.
    offsets = [0.12 - 0.24 * k / max(len(groups) - 1, 1) for k in range(len(groups))]
    for g, dy in zip(groups, offsets, strict=True):
        stats, c = item.groups[g], palette[g]
        share = stats.share or 0.0
        lo, hi = stats.ci
        if lo is not None and hi is not None:
            ax.plot([lo, hi], [y + dy, y + dy], color=c, linewidth=1.5, alpha=0.8)
        ax.plot(share, y, "o", color=c, markersize=11, alpha=1.0 if main.significant else 0.6,
                zorder=3)  # fmt: skip
    right = max([*known, *(item.groups[g].ci[1] or 0.0 for g in groups)])
    ax.text(right + 0.015, y, f"{pp(main.gap)} pp", va="center", fontsize=SMALL_PT,
            color=color if main.significant else "#777777")  # fmt: skip
