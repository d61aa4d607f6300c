"""Diverging stacked bars: each group's whole answer distribution, centred on neutral.

The convention of R's likert package: negative answers extend left of zero,
positive ones right, the neutral middle split across it; scale order comes
from the scale, never from sorting labels. Non-answers are shown apart, as a
share of everyone asked, in a narrow panel on the right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxgap.charts.base import (
    SMALL_PT,
    draws_themed,
    footnote,
    frame,
    largest_gaps,
    legend,
    level_colors,
    rows_that_fit,
    short_label,
)
from cxgap.config import Theme
from cxgap.model import AnalysisResult, GroupStats

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Segment labels below this share are hidden (they would not fit).
MIN_LABEL_SHARE = 0.07


def _missing_share(stats: GroupStats) -> float:
    asked = stats.n + stats.missing
    return stats.missing / asked if asked else 0.0


def _shares(stats: GroupStats) -> list[float]:
    n = sum(stats.distribution)
    return [c / n for c in stats.distribution] if n else [0.0] * len(stats.distribution)


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    # Each item takes two bars and its label: about 1.5 label rows.
    shown, note = largest_gaps(result.items, int(rows_that_fit(size[1]) / 1.5))
    items = list(reversed(shown))
    scale = items[-1].scale if items else None
    fig, ax = frame(
        theme,
        size,
        "How leaders and customers answer, item by item",
        "Share of valid answers on each scale point, centred on the neutral point; "
        f"upper bar leaders (L), lower bar customers (C); agree share at the right.{note}",
        footnote(result, theme, "Non-answers (right panel) are left out of the shares.",
                 whiskers=False),
        axes_box=(0.30, 0.16, 0.56, 0.58),
    )  # fmt: skip
    box = ax.get_position()
    side = fig.add_axes((0.885, box.y0, 0.09, box.height), sharey=ax)
    bar_in = size[1] * box.height / max(len(items) * 3, 1)  # height of one bar, inches
    show_numbers = bar_in * 72 >= SMALL_PT * 1.3
    # Characters that fit left of the axes, after the L/C marks (13 pt DejaVu Sans).
    label_chars = max(12, int((box.x0 * size[0] - 0.45) / (13 * 0.58 / 72)))
    labels, ys, minor, minor_labels = [], [], [], []
    for k, item in enumerate(items):
        for offset, (tag, stats, color) in (
            (0.5, ("L", item.leaders, theme.leaders_color)),
            (-0.5, ("C", item.customers, theme.customers_color)),
        ):  # fmt: skip
            y = k * 3 + offset
            shares = _shares(stats)
            right = _bar(ax, y, shares, show_numbers)
            agree = stats.share
            if agree is not None:
                ax.text(right + 0.02, y, f"{agree * 100:.0f}%", va="center", fontsize=SMALL_PT,
                        color=color, fontweight="bold")  # fmt: skip
            na = _missing_share(stats)
            if show_numbers:
                side.barh(y, na, color=color, height=0.9)
                side.text(na + 0.01, y, f"{na * 100:.0f}%", va="center", fontsize=SMALL_PT)
            minor.append(y)
            minor_labels.append(tag)
        if not show_numbers:  # bars too thin for a label each: one line per item
            na_l, na_c = (_missing_share(s) for s in (item.leaders, item.customers))
            side.text(0.0, k * 3, f"{na_l * 100:.0f}% / {na_c * 100:.0f}%", va="center",
                      fontsize=SMALL_PT, color="#222222",
                      bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # fmt: skip
        ys.append(k * 3)
        labels.append(short_label(item.label, label_chars, 2 if bar_in * 3 >= 0.45 else 1))
    ax.set_yticks(ys, labels)
    ax.set_yticks(minor, minor_labels, minor=True, fontsize=SMALL_PT)
    for tick, tag in zip(ax.yaxis.get_minorticklabels(), minor_labels, strict=True):
        tick.set_color(theme.leaders_color if tag == "L" else theme.customers_color)
    ax.tick_params(axis="y", which="minor", length=0, pad=4)
    ax.tick_params(axis="y", which="major", length=0, pad=22)
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_xlim(-1, 1.15)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["100%", "50%", "0", "50%", "100%"])
    ax.set_ylim(-1.6, len(items) * 3 - 1.4)
    side.set_xlim(0, 0.5)
    side.set_xticks([])
    side.set_xlabel("No answer\n(L / C)", fontsize=SMALL_PT)
    side.tick_params(axis="y", which="both", left=False, labelleft=False)
    side.spines["left"].set_visible(False)
    side.spines["bottom"].set_visible(False)
    if scale is not None:
        names = scale.labels or [str(c) for c in scale.codes]
        entries = list(zip(names, level_colors(len(scale.codes)), strict=True))
        legend(ax, entries, loc="lower center", bbox_to_anchor=(0.5, 1.0),
               ncol=min(len(names), 5))  # fmt: skip
    return fig


def _bar(ax: Axes, y: float, shares: list[float], show_numbers: bool) -> float:
    """Draw one group's bar; return where it ends on the right."""
    points = len(shares)
    colors = level_colors(points)
    mid = points // 2
    # Start far enough left that the negative half (and half the neutral) ends at 0.
    negative = sum(shares[:mid]) + (shares[mid] / 2 if points % 2 else 0.0)
    left = -negative
    for share, color in zip(shares, colors, strict=True):
        ax.barh(y, share, left=left, color=color, height=0.9, edgecolor="white", linewidth=0.5)
        if show_numbers and share >= MIN_LABEL_SHARE:
            dark = color in ("#A6611A", "#018571")
            ax.text(left + share / 2, y, f"{share * 100:.0f}", ha="center", va="center",
                    fontsize=SMALL_PT, color="white" if dark else "#222222")  # fmt: skip
        left += share
    return left
