"""The Johari view: the headline comparison's first group's agreement (x: leaders) against
the second's (y: customers) per item, split at each group's threshold into four quadrants.

Each item is a numbered marker coloured by its quadrant, with its two intervals as a
crosshair; the thresholds are dashed lines; the title counts the items per quadrant. With
segments, a panel per segment of the first segment column follows the whole sample's,
on the same axes and at the same thresholds (so an item's move between panels is its
segment's difference).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cxgap.charts.base import SMALL_PT, draws_themed, footnote, frame, pct_axis, short_label
from cxgap.config import Theme
from cxgap.config.sections import upper_first
from cxgap.errors import UsageError
from cxgap.model import AnalysisResult
from cxgap.model.priorities import QUADRANTS, Johari, Quadrant
from cxgap.render.priorities import QUADRANT_WORDS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Segment panels shown at most besides the whole sample's.
MAX_SEGMENT_PANELS = 3
#: Items shown at most (the key lists one a line).
MAX_ITEMS = 16

Interval = tuple[float | None, float | None]


@dataclass(frozen=True)
class Point:
    number: int
    x: float
    x_ci: Interval
    y: float
    y_ci: Interval
    quadrant: Quadrant


def quadrant_colors(theme: Theme) -> dict[Quadrant, str]:
    return {
        "shared_strength": "#56B4E9",  # Okabe-Ito sky blue
        "blind_spot": theme.blind_spot_color,
        "hidden_strength": theme.hidden_strength_color,
        "shared_weakness": "#777777",
    }


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    found = result.priorities
    if found is None or not found.johari:
        raise UsageError("the Johari view needs an analysis with its priorities")
    main = found.johari[0]
    placed = [q for q in main.items if q.quadrant is not None]
    if len(placed) < 2 or main.x_cut is None or main.y_cut is None:
        raise UsageError("the Johari view needs at least two items that both groups answered")
    note = ""
    if len(placed) > MAX_ITEMS:
        note = f" The {MAX_ITEMS} items with the largest gaps of {len(placed)}."
        placed = placed[:MAX_ITEMS]  # the items table's order: the largest gaps first
    order = sorted(placed, key=lambda q: (QUADRANTS.index(q.quadrant or QUADRANTS[0]), q.item))
    number = {q.item: k + 1 for k, q in enumerate(order)}
    by_name = {i.item: i for i in result.items}
    a, b = result.group(main.a).label, result.group(main.b).label
    whole = [
        Point(number[q.item], q.x or 0.0, by_name[q.item].groups[main.a].ci, q.y or 0.0,
              by_name[q.item].groups[main.b].ci, q.quadrant or "shared_weakness")
        for q in placed
    ]  # fmt: skip
    segments = _segment_panels(result, main, number)
    panels = [("All respondents", whole), *segments]
    if segments and len(result.segments[0].segments) > len(segments):
        column = result.segments[0]
        note += (f" Panels: {len(segments)} of {len(column.segments)} {column.column} "
                 "segments, same cuts")  # fmt: skip
    elif segments:
        note += " Segment panels: same cuts"
    if segments and not result.segments[0].own_segment.get(main.a, False):
        note += f"; {a} overall in each"
    note += "." if segments else ""
    counts = ", ".join(
        f"{main.counts[q]} {QUADRANT_WORDS[q]}{plural(q) if main.counts[q] != 1 else ''}"
        for q in QUADRANTS
    )
    cut = (
        "each group's median share"
        if main.threshold == "median"
        else f"{main.x_cut * 100:.0f}% agree"
    )
    title = f"{upper_first(a)} vs {b}: {counts}"
    subtitle = f"x: {a}, y: {b} agreeing; dashed: {cut}; crosshairs: intervals.{note}"
    fig, first = frame(theme, size, title, subtitle, footnote(result, theme, whiskers=False),
                       axes_box=(0.07, 0.18, 0.56, 0.58))  # fmt: skip
    cuts = (main.x_cut, main.y_cut)
    key = [(number[q.item], by_name[q.item].label) for q in order]
    lay_out(fig, first, [(name, points, cuts) for name, points in panels], key, theme, size,
            (a, b))  # fmt: skip
    return fig


#: A panel: its title, its points, and its thresholds (x, y).
Panel = tuple[str, list[Point], tuple[float | None, float | None]]


def lay_out(
    fig: Figure,
    first: Axes,
    panels: list[Panel],
    key: list[tuple[int, str]],
    theme: Theme,
    size: tuple[float, float],
    names: tuple[str, str],
) -> None:
    """The panels on the same axes (a grid in ``first``'s place when several), the key of
    numbered items on the right, and the quadrants' legend under it when several."""
    several = len(panels) > 1
    axes = panel_axes(fig, first, len(panels)) if several else [first]
    every = [p for _, points, _ in panels for p in points]
    xs = [c[0] for _, _, c in panels if c[0] is not None]
    ys = [c[1] for _, _, c in panels if c[1] is not None]
    limits = limits_of(every, xs, ys)
    colors = quadrant_colors(theme)
    for ax, (name, points, cuts) in zip(axes, panels, strict=True):
        panel(ax, points, cuts, limits, colors, small=several)
        if several:
            ax.set_title(name, fontsize=SMALL_PT, loc="left")
    a, b = names
    axes[-1].set_xlabel(f"{upper_first(a)} agreeing", fontsize=SMALL_PT + 1)
    axes[0].set_ylabel(f"{upper_first(b)} agreeing", fontsize=SMALL_PT + 1)
    key_chars = max(20, int(size[0] * 0.30 / (SMALL_PT * 0.56 / 72)))
    lines = [f"{n:>2}  {short_label(label, key_chars, 1)}" for n, label in key]
    fig.text(0.66, 0.76, "\n".join(lines), fontsize=SMALL_PT, va="top", ha="left",
             linespacing=1.45)  # fmt: skip
    if several:  # the quadrants' names in a legend: in small panels they would hide points
        from matplotlib.patches import Patch

        handles = [Patch(facecolor=colors[q], label=QUADRANT_WORDS[q]) for q in QUADRANTS]
        below = 0.76 - (len(lines) + 0.5) * SMALL_PT * 1.45 / 72 / size[1]
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.655, below),
                   frameon=False, fontsize=SMALL_PT, ncols=2)  # fmt: skip


def plural(quadrant: Quadrant) -> str:
    return "es" if quadrant == "shared_weakness" else "s"


def _segment_panels(
    result: AnalysisResult, main: Johari, number: dict[str, int]
) -> list[tuple[str, list[Point]]]:
    """One panel per segment of the first segment column (its first few), points placed
    at the whole sample's thresholds; suppressed cells left out."""
    if not result.segments or main.x_cut is None or main.y_cut is None:
        return []
    from cxgap.analysis.priorities import quadrant_of

    breakdown = result.segments[0]
    out = []
    for segment in breakdown.segments[:MAX_SEGMENT_PANELS]:
        points = []
        for item in breakdown.items:
            if item.item not in number:
                continue
            cell = next(c for c in item.cells if c.segment == segment)
            x, y = cell.groups[main.a], cell.groups[main.b]
            if x.share is None or y.share is None:
                continue
            points.append(Point(number[item.item], x.share, x.ci, y.share, y.ci,
                                quadrant_of(x.share, y.share, main.x_cut, main.y_cut)))  # fmt: skip
        out.append((f"{breakdown.column} = {segment}", points))
    return out


def panel_axes(fig: Figure, first: Axes, panels: int) -> list[Axes]:
    """The first axes' box split into a grid of ``panels`` (2 x 2 at most)."""
    x0, y0, w, h = first.get_position().bounds
    fig.delaxes(first)
    cols = 2
    rows = (panels + 1) // 2
    gap_x, gap_y = 0.05, 0.07
    cw, ch = (w - gap_x) / cols, (h - gap_y * (rows - 1)) / rows
    out = []
    for k in range(panels):
        r, c = divmod(k, cols)
        box = (x0 + c * (cw + gap_x), y0 + (rows - 1 - r) * (ch + gap_y), cw, ch)
        out.append(fig.add_axes(box))
    return out


def limits_of(
    points: list[Point], x_cuts: list[float], y_cuts: list[float]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Axes that hold every point's interval and both thresholds, in steps of 10%."""

    def span(values: list[float]) -> tuple[float, float]:
        low = max(0.0, math.floor(min(values) * 10 + 1e-9) / 10)
        high = min(1.0, math.ceil(max(values) * 10 - 1e-9) / 10)
        return (low, high if high > low else low + 0.1)

    xs = [*x_cuts, *(v for p in points for v in (p.x, *p.x_ci) if v is not None)]
    ys = [*y_cuts, *(v for p in points for v in (p.y, *p.y_ci) if v is not None)]
    return span(xs), span(ys)


def panel(
    ax: Axes,
    points: list[Point],
    cuts: tuple[float | None, float | None],
    limits: tuple[tuple[float, float], tuple[float, float]],
    colors: dict[Quadrant, str],
    *,
    small: bool,
) -> None:
    size = 17 if small else 20
    for p in points:
        color = colors[p.quadrant]
        lo, hi = p.x_ci
        if lo is not None and hi is not None:
            ax.plot([lo, hi], [p.y, p.y], color=color, linewidth=1.2, alpha=0.55, zorder=2)
        lo, hi = p.y_ci
        if lo is not None and hi is not None:
            ax.plot([p.x, p.x], [lo, hi], color=color, linewidth=1.2, alpha=0.55, zorder=2)
        ax.plot(p.x, p.y, "o", color=color, markersize=size, zorder=3)
        ax.text(p.x, p.y, str(p.number), ha="center", va="center", zorder=4, color="#111111",
                fontsize=SMALL_PT, fontweight="bold")  # fmt: skip
    if cuts[0] is not None and cuts[1] is not None:
        ax.axvline(cuts[0], color="#888888", linewidth=1, linestyle="--")
        ax.axhline(cuts[1], color="#888888", linewidth=1, linestyle="--")
    corners: tuple[tuple[Quadrant, float, float, str, str], ...] = (
        ("shared_strength", 0.98, 0.97, "right", "top"),
        ("blind_spot", 0.98, 0.03, "right", "bottom"),
        ("hidden_strength", 0.02, 0.97, "left", "top"),
        ("shared_weakness", 0.02, 0.03, "left", "bottom"),
    )
    for quadrant, x, y, ha, va in corners if not small else ():
        ax.text(x, y, QUADRANT_WORDS[quadrant].capitalize(), transform=ax.transAxes, ha=ha,
                va=va, fontsize=SMALL_PT + (0 if small else 1), fontstyle="italic",
                color=colors[quadrant])  # fmt: skip
    pct_axis(ax, "x", limits[0])
    pct_axis(ax, "y", limits[1])
    ax.tick_params(labelsize=SMALL_PT)
