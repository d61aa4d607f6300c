"""Importance-performance quadrant (Martilla & James 1977), with leaders' belief as a ghost.

x: customers' agree share (performance). y: derived importance, the item's
correlation with the overall item among customers. A hollow marker at the
leaders' share on the same row shows where leaders believe the item stands.
The cross-hairs sit at the means of the items shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxgap.charts.base import (
    SMALL_PT,
    draws_themed,
    footnote,
    frame,
    pct_axis,
    rows_that_fit,
    short_label,
)
from cxgap.config import Theme
from cxgap.config.sections import possessive
from cxgap.errors import UsageError
from cxgap.model import AnalysisResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

QUADRANTS = (
    ("Concentrate here", 0.02, 0.97, "left", "top"),
    ("Keep up the good work", 0.98, 0.97, "right", "top"),
    ("Low priority", 0.02, 0.03, "left", "bottom"),
    ("Possible overkill", 0.98, 0.03, "right", "bottom"),
)


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    palette = theme.palette(result.group_names)
    headline = result.headline.item
    lead, ref = result.groups[0].name, result.groups[-1].name  # boardroom; customers
    items = [
        i for i in result.items
        if i.item != headline and i.importance is not None and i.groups[ref].share is not None
    ]  # fmt: skip
    limit = rows_that_fit(size[1], 0.6, per_row_pt=SMALL_PT * 1.45)
    note = ""
    if len(items) > limit:  # the key lists one item a line: keep the most important
        note = f" The {limit} most important of {len(items)} items."
        items = sorted(items, key=lambda i: -(i.importance or 0.0))[:limit]
    if len(items) < 2:
        raise UsageError(
            "the importance-performance chart needs the headline item "
            f"({headline!r}) in both files and at least two other items"
        )
    xs = [i.groups[ref].share or 0.0 for i in items]
    who, believer = result.group(ref).label, result.group(lead).label
    ys = [i.importance or 0.0 for i in items]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    focus = [i for i, x, y in zip(items, xs, ys, strict=True) if x < mx and y > my]
    title = (
        f"Concentrate on the {len(focus)} item{'s' if len(focus) > 1 else ''} {who} value "
        "but rate low"
        if focus
        else f"No item is both important to {who} and rated low"
    )
    fig, ax = frame(
        theme,
        size,
        title,
        f"Importance: correlation with the overall verdict among {who}. Filled: "
        f"{possessive(who)} agree share; hollow: what {believer} believe.{note}",
        footnote(result, theme, whiskers=False),
        axes_box=(0.07, 0.16, 0.56, 0.60),
    )
    order = sorted(range(len(items)), key=lambda k: (-ys[k], items[k].item))
    number = {k: n + 1 for n, k in enumerate(order)}
    for k, (item, x, y) in enumerate(zip(items, xs, ys, strict=True)):
        believed = item.groups[lead].share
        if believed is not None:
            ax.plot(
                [x, believed],
                [y, y],
                color=palette[lead],
                linewidth=1,
                alpha=0.35,
            )
            ax.plot(believed, y, "o", markerfacecolor="none",
                    markeredgecolor=palette[lead], markersize=12, markeredgewidth=1.5,
                    alpha=0.8)  # fmt: skip
        ax.plot(x, y, "o", color=palette[ref], markersize=20, zorder=3)
        ax.text(x, y, str(number[k]), ha="center", va="center", fontsize=SMALL_PT,
                fontweight="bold", color="#222222", zorder=4)  # fmt: skip
    key_chars = max(20, int(size[0] * 0.30 / (SMALL_PT * 0.56 / 72)))
    key = "\n".join(f"{number[k]:>2}  {short_label(items[k].label, key_chars, 1)}" for k in order)
    fig.text(0.66, 0.76, key, fontsize=SMALL_PT, va="top", ha="left", linespacing=1.45)
    ax.axvline(mx, color="#888888", linewidth=1, linestyle="--")
    ax.axhline(my, color="#888888", linewidth=1, linestyle="--")
    for text, x, y, ha, va in QUADRANTS:
        ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=SMALL_PT + 1,
                color="#666666", fontstyle="italic")  # fmt: skip
    pct_axis(ax, "x", (0.0, 1.0))
    span = max(ys) - min(ys)
    ax.set_ylim(min(ys) - 0.2 * span - 0.02, max(ys) + 0.2 * span + 0.02)
    ax.set_xlabel(f"Agree share (filled: {who}, hollow: {believer})", fontsize=SMALL_PT + 1)
    ax.set_ylabel("Derived importance (r)", fontsize=SMALL_PT + 1)
    return fig
