"""Slope chart: each item's agree share across groups (e.g. leaders, frontline, customers).

A drawing primitive on a given Axes that knows nothing of cxgap's results: shares in,
lines, dots and labels out. Deterministic (no randomness) and free of global state
(no pyplot, no rcParams): everything is drawn on the Axes it is given.

The layout is worked out in inches from the Axes' size when it is called, so call it
once the Axes has its final place in the figure.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from cxgap.charts.base import LABEL_PT, SMALL_PT, pct_axis, short_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Points of vertical room between two item labels.
LABEL_PAD_PT = 3.0
#: matplotlib's line spacing for multi-line text (a line is this many font sizes tall).
LINE_SPACING = 1.2
#: Average width of a character as a share of the font size (DejaVu Sans; bold).
CHAR_WIDTH = 0.56
BOLD_CHAR_WIDTH = 0.64
#: The y range drawn: shares 0..1 and a little room so dots at 0% or 100% stay whole.
Y_LIMITS = (-0.03, 1.03)


def draw_slopes(
    ax: Axes,
    labels: Sequence[str],
    group_labels: Sequence[str],
    shares: Sequence[Sequence[float | None]],
    colors: Sequence[str],
    highlight: Sequence[str | None],
    *,
    muted: str,
    text_color: str = "#222222",
    groups_at: Literal["top", "bottom"] = "top",
    label_share: float = 0.42,
    label_lines: int = 2,
    fontsize: float = SMALL_PT,
) -> None:
    """Draw one line per item through its agree shares in each group.

    ``labels[k]``: item k's label, written right of the last group. ``group_labels[g]``
    and ``colors[g]``: group g's name (an x tick label, bold, in its colour) and the
    colour of its dots. ``shares[k][g]``: item k's agree share (0..1) in group g; None
    (or NaN) breaks item k's line there and leaves out the dot. ``highlight[k]``: the
    colour of item k's line and label (e.g. a blind spot's), or None for ``muted``.

    Labels are wrapped to ``label_lines`` lines in ``label_share`` of the Axes' width
    (one line each when two do not fit the height), and moved apart vertically so they
    never overlap, as little as they can and within the y range; a thin leader line
    joins a moved label (or one whose line ends before the last group) to its line's
    end. An item without any share gets no label.

    ``text_color``: muted items' labels and the percent ticks. ``groups_at``: the group
    names above or below the lines. ``fontsize``: item labels and percent ticks (the
    group names are ``LABEL_PT``). Artists carry gids ``slope-line-k``, ``slope-dots-k``,
    ``slope-label-k`` and ``slope-leader-k`` (k: the item's index).
    """
    n_groups = len(group_labels)
    _check(labels, group_labels, shares, colors, highlight)
    if not 0.1 <= label_share <= 0.8:
        raise ValueError(f"label_share must be 0.1 to 0.8, not {label_share}")
    rows = [[_share(v) for v in row] for row in shares]

    figure = ax.figure
    dpi = float(figure.dpi)
    width_in, height_in = ax.bbox.width / dpi, ax.bbox.height / dpi
    y_lo, y_hi = Y_LIMITS
    per_in_y = (y_hi - y_lo) / height_in  # data units per inch, vertically

    # x: groups at 0..n-1, a margin left of the first, the labels right of the last.
    label_in = width_in * label_share
    gap_in = 0.3  # between the last dot and the labels (room for leader lines)
    left_in = 0.25
    span = max(n_groups - 1, 1)
    per_in_x = span / max(width_in - label_in - gap_in - left_in, 0.5)
    x_last = n_groups - 1
    x_label = x_last + gap_in * per_in_x
    ax.set_xlim(-left_in * per_in_x, x_last + (gap_in + label_in) * per_in_x)
    pct_axis(ax, "y", Y_LIMITS)

    _frame(ax, group_labels, colors, groups_at=groups_at, text_color=text_color, fontsize=fontsize)

    dot_r = 4.5 / 72  # dot radius, inches
    for k, row in enumerate(rows):
        color = highlight[k] or muted
        emphasised = highlight[k] is not None
        z = 3.0 if emphasised else 2.0
        ys = [math.nan if v is None else v for v in row]
        (line,) = ax.plot(
            range(n_groups),
            ys,
            color=color,
            linewidth=2.6 if emphasised else 1.6,
            alpha=1.0 if emphasised else 0.75,
            solid_capstyle="round",
            zorder=z,
        )
        line.set_gid(f"slope-line-{k}")
        points = [(g, v) for g, v in enumerate(row) if v is not None]
        if points:
            dots = ax.scatter(
                [g for g, _ in points],
                [v for _, v in points],
                s=(2 * dot_r * 72) ** 2 if emphasised else (1.6 * dot_r * 72) ** 2,
                c=[colors[g] for g, _ in points],
                edgecolors="white",
                linewidths=0.8,
                zorder=z + 0.1,
            )
            dots.set_gid(f"slope-dots-{k}")

    # Labels: wrapped, then spread apart so their boxes never overlap.
    anchored = [k for k, row in enumerate(rows) if any(v is not None for v in row)]
    # A label's anchor: its line's end, the last group with a share.
    ends = [max(g for g, v in enumerate(rows[k]) if v is not None) for k in anchored]
    targets = [rows[k][g] or 0.0 for k, g in zip(anchored, ends, strict=True)]
    chars = [
        max(12, int(label_in / (fontsize * (BOLD_CHAR_WIDTH if highlight[k] else CHAR_WIDTH) / 72)))
        for k in anchored
    ]
    texts: list[str] = []
    centres: list[float] = []
    for lines in sorted({max(label_lines, 1), 1}, reverse=True):
        texts = [_wrap(labels[k], c, lines) for k, c in zip(anchored, chars, strict=True)]
        heights = [_text_height_pt(t, fontsize) * per_in_y / 72 for t in texts]
        if sum(heights) <= y_hi - y_lo or lines == 1:
            centres = spread(targets, heights, y_lo, y_hi)
            break
    moved_by = 0.25 * fontsize / 72 * per_in_y  # less than this is not a move
    for k, end, text, target, centre in zip(anchored, ends, texts, targets, centres, strict=True):
        color = highlight[k] or muted
        label = ax.text(
            x_label,
            centre,
            text,
            ha="left",
            va="center",
            fontsize=fontsize,
            color=highlight[k] or text_color,
            fontweight="bold" if highlight[k] else "normal",
            linespacing=LINE_SPACING,
            zorder=4,
        )
        label.set_gid(f"slope-label-{k}")
        if abs(centre - target) > moved_by or end != x_last:
            (leader,) = ax.plot(
                [end + 1.3 * dot_r * per_in_x, x_label - 0.05 * per_in_x],
                [target, centre],
                color=color,
                linewidth=0.8,
                alpha=0.9,
                # dotted when the line ends early: no share is drawn along it
                linestyle="-" if end == x_last else ":",
                zorder=1.5,
            )
            leader.set_gid(f"slope-leader-{k}")


def _check(
    labels: Sequence[str],
    group_labels: Sequence[str],
    shares: Sequence[Sequence[float | None]],
    colors: Sequence[str],
    highlight: Sequence[str | None],
) -> None:
    if not group_labels:
        raise ValueError("a slope chart needs at least one group")
    if len(colors) != len(group_labels):
        raise ValueError(f"{len(colors)} colours for {len(group_labels)} groups")
    if not len(labels) == len(shares) == len(highlight):
        raise ValueError(
            f"{len(labels)} labels, {len(shares)} rows of shares and {len(highlight)} "
            "highlights: one of each per item"
        )
    for k, row in enumerate(shares):
        if len(row) != len(group_labels):
            raise ValueError(
                f"item {k} ({labels[k]!r}) has {len(row)} shares for {len(group_labels)} groups"
            )
        for v in row:
            if v is not None and not math.isnan(v) and not 0.0 <= v <= 1.0:
                raise ValueError(f"item {k} ({labels[k]!r}): share {v} is not 0..1")


def _share(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _frame(
    ax: Axes,
    group_labels: Sequence[str],
    colors: Sequence[str],
    *,
    groups_at: Literal["top", "bottom"],
    text_color: str,
    fontsize: float,
) -> None:
    """Group names as bold tick labels in their colours; light grid, no spines."""
    ax.set_xticks(range(len(group_labels)), labels=list(group_labels))
    if groups_at == "top":
        ax.xaxis.tick_top()
    else:
        ax.xaxis.tick_bottom()
    ax.tick_params(axis="x", length=0, pad=8, labelsize=LABEL_PT)
    for tick, color in zip(ax.get_xticklabels(), colors, strict=True):
        tick.set_color(color)
        tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0, labelsize=fontsize, labelcolor=text_color)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.grid(axis="y", color="#EEEEEE", linewidth=1.0)
    ax.set_axisbelow(True)
    for g in range(len(group_labels)):
        ax.axvline(g, color="#DDDDDD", linewidth=1.0, zorder=1)


def _wrap(text: str, chars: int, lines: int) -> str:
    """``short_label``'s lines, balanced: as many lines, as even as they can be."""
    label = short_label(text, chars, lines)
    wrapped = label.count("\n") + 1
    if wrapped == 1 or "\u2026" in label:
        return label
    flat = label.replace("\n", " ")
    for width in range(math.ceil(len(flat) / wrapped), chars + 1):
        balanced = textwrap.wrap(flat, width)
        if len(balanced) <= wrapped:
            return "\n".join(balanced)
    return label


def _text_height_pt(text: str, fontsize: float) -> float:
    """Room a label takes vertically, in points (with the gap to the next label)."""
    return (text.count("\n") + 1) * fontsize * LINE_SPACING + LABEL_PAD_PT


@dataclass
class _Cluster:
    members: list[int] = field(default_factory=list)  # positions in the sorted order
    offsets: list[float] = field(default_factory=list)  # centre above the cluster's bottom
    height: float = 0.0
    bottom: float = 0.0


def spread(targets: Sequence[float], heights: Sequence[float], lo: float, hi: float) -> list[float]:
    """Centres for boxes of ``heights`` as near their ``targets`` as can be (least squares),
    never overlapping and within ``lo`` .. ``hi``; the order of the targets is kept.

    Boxes that do not all fit are spread evenly over the range instead (they overlap).
    """
    n = len(targets)
    order = sorted(range(n), key=lambda i: (targets[i], i))
    total = sum(heights)
    if total > hi - lo:
        step = (hi - lo) / max(n, 1)
        centres = [0.0] * n
        for rank, i in enumerate(order):
            centres[i] = lo + step * (rank + 0.5)
        return centres
    clusters: list[_Cluster] = []
    for i in order:
        clusters.append(_Cluster([i], [heights[i] / 2], heights[i]))
        _place(clusters[-1], targets, lo, hi)
        while len(clusters) > 1 and clusters[-2].bottom + clusters[-2].height > clusters[-1].bottom:
            top = clusters.pop()
            below = clusters[-1]
            below.offsets += [below.height + o for o in top.offsets]
            below.members += top.members
            below.height += top.height
            _place(below, targets, lo, hi)
    centres = [0.0] * n
    for cluster in clusters:
        for i, offset in zip(cluster.members, cluster.offsets, strict=True):
            centres[i] = cluster.bottom + offset
    return centres


def _place(cluster: _Cluster, targets: Sequence[float], lo: float, hi: float) -> None:
    """The bottom that puts the cluster's centres nearest their targets, within range."""
    ideal = sum(targets[i] - o for i, o in zip(cluster.members, cluster.offsets, strict=True))
    cluster.bottom = min(max(ideal / len(cluster.members), lo), hi - cluster.height)
