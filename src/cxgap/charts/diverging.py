"""Diverging stacked bars: each group's whole answer distribution, centred on neutral.

The convention of R's likert package: negative answers extend left of zero,
positive ones right, the neutral middle split across it; scale order comes
from the scale, never from sorting labels. Non-answers are shown apart, as a
share of everyone asked, in a narrow panel on the right.
"""

from __future__ import annotations

import math
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
from cxgap.model import AnalysisResult, GroupStats, ItemResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Segment labels below this share are hidden (they would not fit).
MIN_LABEL_SHARE = 0.07


def _missing_share(stats: GroupStats) -> float:
    asked = stats.n + stats.missing
    return stats.missing / asked if asked else 0.0


#: The axes' share of the figure height (see axes_box below), and the room a group's
#: letter needs beside its bar, in points.
AXES_HEIGHT = 0.58
LETTER_PT = SMALL_PT * 1.05


def _shares(stats: GroupStats) -> list[float]:
    n = sum(stats.distribution)
    return [c / n for c in stats.distribution] if n else [0.0] * len(stats.distribution)


def item_limit(groups: int, height_in: float) -> int:
    """How many items the chart shows at this height (a native chart shows the same)."""
    stride = groups + 1  # each item's bars and a bar's room between items
    # Each item takes a bar per group and its label: stride / 2 label rows.
    limit = int(rows_that_fit(height_in) / (stride / 2))
    if groups > 2:  # a group letter per bar: bars at least LETTER_PT apart
        limit = min(limit, int((height_in * AXES_HEIGHT * 72 / LETTER_PT + 1) / stride))
    return max(limit, 1)


def diverging_items(result: AnalysisResult, limit: int) -> tuple[list[ItemResult], str]:
    """The items a diverging chart shows (a picture's and a native one's), and a note for
    its subtitle: the items whose scale has the number of points most items' have (ties:
    the largest gap's), as a bar's segments are a scale's points; of those, the
    ``limit`` largest gaps."""
    items = result.items
    if not items:
        return [], ""
    counts: dict[int, int] = {}
    for item in items:
        counts[len(item.scale.codes)] = counts.get(len(item.scale.codes), 0) + 1
    by_gap = sorted(items, key=lambda i: -abs(i.primary.gap or 0.0))
    most = max(counts.values())
    points = next(len(i.scale.codes) for i in by_gap if counts[len(i.scale.codes)] == most)
    kept = [i for i in items if len(i.scale.codes) == points]
    shown, note = largest_gaps(kept, limit)
    if len(kept) < len(items):
        note += f" {points}-point items only ({len(items) - len(kept)} on other scales not shown)."
    if shown and _shared_labels(shown) is None:
        note += " Their labels differ: the key gives each point's place from the middle."
    return shown, note


def _shared_labels(shown: list[ItemResult]) -> tuple[str, ...] | None:
    labels = {tuple(i.scale.labels or (str(c) for c in i.scale.codes)) for i in shown}
    return labels.pop() if len(labels) == 1 else None


def diverging_key(shown: list[ItemResult]) -> list[str]:
    """The names of the points in the key: the labels the items share, else each point's
    place from the neutral middle (-3 ... 0 ... +3), true of every item shown."""
    shared = _shared_labels(shown)
    if shared is not None:
        return list(shared)
    points = len(shown[0].scale.codes)
    places = [k - (points - 1) / 2 for k in range(points)]  # halves on an even scale
    return [f"{math.copysign(math.ceil(abs(d)), d):+.0f}" if d else "0" for d in places]


def row_order(entries: list[tuple[str, str]], ncol: int) -> list[tuple[str, str]]:
    """Legend entries arranged so that a legend filled column by column (matplotlib's)
    reads in their order row by row."""
    return [entries[k] for c in range(ncol) for k in range(c, len(entries), ncol)]


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    palette = theme.palette(result.group_names)
    groups = result.groups
    tags = [g.name[:1].upper() for g in groups]
    stride = len(groups) + 1  # each item's bars and a bar's room between items
    shown, note = diverging_items(result, item_limit(len(groups), size[1]))
    items = list(reversed(shown))
    scale = items[-1].scale if items else None
    labels_ = [g.label for g in groups]
    if len(groups) == 2:
        which = f"upper bar {labels_[0]} ({tags[0]}), lower bar {labels_[1]} ({tags[1]})"
    else:
        which = "bars top to bottom: " + ", ".join(
            f"{lab} ({tag})" for lab, tag in zip(labels_, tags, strict=True)
        )
    fig, ax = frame(
        theme,
        size,
        f"How {' and '.join([', '.join(labels_[:-1]), labels_[-1]])} answer, item by item",
        "Share of valid answers on each scale point, centred on the neutral point; "
        f"{which}; agree share at the right.{note}",
        footnote(result, theme, "Non-answers (right panel) are left out of the shares.",
                 whiskers=False),
        axes_box=(0.30, 0.16, 0.56, AXES_HEIGHT),
    )  # fmt: skip
    box = ax.get_position()
    side = fig.add_axes((0.885, box.y0, 0.09, box.height), sharey=ax)
    bar_in = size[1] * box.height / max(len(items) * stride, 1)  # height of one bar, inches
    half = (len(groups) - 1) / 2
    colors = {tag: palette[g.name] for tag, g in zip(tags, groups, strict=True)}
    show_numbers = bar_in * 72 >= SMALL_PT * 1.3
    # Characters that fit left of the axes, after the L/C marks (13 pt DejaVu Sans).
    label_chars = max(12, int((box.x0 * size[0] - 0.45) / (13 * 0.58 / 72)))
    labels, ys, minor, minor_labels = [], [], [], []
    for k, item in enumerate(items):
        for j, (tag, g) in enumerate(zip(tags, groups, strict=True)):
            stats, color = item.groups[g.name], palette[g.name]
            y = k * stride + half - j
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
            missing = " / ".join(
                f"{_missing_share(item.groups[g.name]) * 100:.0f}%" for g in groups
            )
            side.text(0.0, k * stride, missing, va="center",
                      fontsize=SMALL_PT, color="#222222",
                      bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # fmt: skip
        ys.append(k * stride)
        labels.append(short_label(item.label, label_chars, 2 if bar_in * 3 >= 0.45 else 1))
    ax.set_yticks(ys, labels)
    # With an odd number of groups the middle bar sits on the item's (major) tick: keep
    # its minor tick (the group's letter) all the same.
    ax.yaxis.remove_overlapping_locs = False
    ax.set_yticks(minor, minor_labels, minor=True, fontsize=SMALL_PT)
    for tick, tag in zip(ax.yaxis.get_minorticklabels(), minor_labels, strict=True):
        tick.set_color(colors[tag])
    ax.tick_params(axis="y", which="minor", length=0, pad=4)
    ax.tick_params(axis="y", which="major", length=0, pad=22)
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_xlim(-1, 1.15)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["100%", "50%", "0", "50%", "100%"])
    ax.set_ylim(-half - 1.1, (len(items) - 1) * stride + half + 1.1)
    side.set_xlim(0, 0.5)
    side.set_xticks([])
    side.set_xlabel(f"No answer\n({' / '.join(tags)})", fontsize=SMALL_PT)
    side.tick_params(axis="y", which="both", left=False, labelleft=False)
    side.spines["left"].set_visible(False)
    side.spines["bottom"].set_visible(False)
    if scale is not None:
        names = diverging_key(items)
        entries = list(zip(names, level_colors(len(scale.codes)), strict=True))
        ncol = len(names) if len(names) <= 5 else (len(names) + 1) // 2  # two rows at most
        legend(ax, row_order(entries, ncol), loc="lower center", bbox_to_anchor=(0.5, 1.0),
               ncol=ncol)  # fmt: skip
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
