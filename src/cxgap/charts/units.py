"""The per-unit scatter: each unit's leaders' mean agree share against its own customers'
(does the branch that thinks it serves best serve best?), with the correlation across
units in the subtitle. The diagonal marks where a unit's leaders would see what its
customers report; the distance below it is the unit's gap."""

from __future__ import annotations

import math
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
from cxgap.config.sections import possessive, upper_first
from cxgap.errors import UsageError
from cxgap.model import AnalysisResult
from cxgap.render.units import correlation_words

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    view = result.units
    if view is None or not view.comparisons:
        raise UsageError(
            "the per-unit chart needs a unit column in the leaders' and the customers' "
            "files: give --unit COLUMN (or unit_column in the config), e.g. branch"
        )
    if not any(c.ranking for c in view.comparisons):
        why = "; ".join(f"{u}: {r}" for u, r in view.comparisons[0].left_out.items())
        raise UsageError(f"no {view.column} could be ranked ({why}); see min_cell_n")
    found = next(c for c in view.comparisons if c.ranking)
    a, b = result.group(found.a).label, result.group(found.b).label
    palette = theme.palette(result.group_names)
    worst = found.ranking[0]
    title = (
        f"{worst.unit}: where {possessive(a)} view and {possessive(b)} experience part most "
        f"({worst.gap * 100:+.0f} points)"
    )
    subtitle = correlation_words(result, found)
    extra = f"A point: one {view.column}'s mean agree share over {len(found.items)} item(s)."
    fig, ax = frame(theme, size, title, subtitle, footnote(result, theme, extra, whiskers=False),
                    axes_box=(0.08, 0.17, 0.42, 0.60))  # fmt: skip
    shown = found.ranking[: rows_that_fit(size[1], 0.6, per_row_pt=SMALL_PT * 1.45)]
    xs = [r.shares[found.a] for r in shown]
    ys = [r.shares[found.b] for r in shown]
    low, high = _span([*xs, *ys])
    ax.plot([low, high], [low, high], color="#999999", linewidth=1, linestyle="--", zorder=1)
    ax.text(high, high, " same view", fontsize=SMALL_PT, color="#777777", va="bottom",
            ha="right", rotation=45, rotation_mode="anchor")  # fmt: skip
    for k, (x, y) in enumerate(zip(xs, ys, strict=True)):
        ax.plot(x, y, "o", color=palette[found.b], markeredgecolor=palette[found.a],
                markeredgewidth=1.5, markersize=17, zorder=3)  # fmt: skip
        ax.text(x, y, str(k + 1), ha="center", va="center", fontsize=SMALL_PT,
                fontweight="bold", color="#222222", zorder=4)  # fmt: skip
    chars = max(16, int(size[0] * 0.34 / (SMALL_PT * 0.56 / 72)) - 12)
    key = "\n".join(f"{k + 1:>2}  {short_label(r.unit, chars, 1)}  {r.gap * 100:+.0f}"
                     for k, r in enumerate(shown))  # fmt: skip
    more = len(found.ranking) - len(shown)
    if more:
        key += f"\n{more} more {view.column}(es): --format json or csv"
    fig.text(0.56, 0.76, f"Gap ({a} minus {b}), largest first:\n{key}", fontsize=SMALL_PT,
             va="top", ha="left", linespacing=1.45)  # fmt: skip
    pct_axis(ax, "x", (low, high))
    pct_axis(ax, "y", (low, high))
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(f"{upper_first(possessive(a))} mean agree share", fontsize=SMALL_PT + 1)
    ax.set_ylabel(f"{upper_first(possessive(b))} mean agree share", fontsize=SMALL_PT + 1)
    return fig


def _span(values: list[float]) -> tuple[float, float]:
    """One range for both axes around the points, in steps of 10 points, within 0-100%."""
    low = max(0.0, math.floor(min(values) * 10 - 0.5) / 10)
    high = min(1.0, math.ceil(max(values) * 10 + 0.5) / 10)
    return low, high
