"""Segment x item heatmap: the headline comparison's gap in each segment, in percentage
points, one panel per segment column; suppressed cells are hatched and say so."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cxgap.charts.base import SMALL_PT, draws_themed, footnote, frame, short_label
from cxgap.charts.dumbbell import label_geometry
from cxgap.config import Theme
from cxgap.errors import UsageError
from cxgap.model import AnalysisResult
from cxgap.render.sections import SUPPRESSED, segment_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

#: Items shown at most (the largest overall gaps first, as the items table orders them).
MAX_ITEMS = 14


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm

    panels = result.breakdowns()
    if not panels:
        raise UsageError(
            "the heatmap shows the gap per segment: give --by COLUMN (or segment_columns "
            "in the config) with a column of the customers' file, e.g. region (or --unit)"
        )
    main = result.comparisons[0]
    a, b = result.group(main.a).label, result.group(main.b).label
    items = [i.item for i in panels[0].items][:MAX_ITEMS]
    more = len(panels[0].items) - len(items)
    suppressed = sum(  # cells hatched: the headline gap is hidden
        c.comparisons[0].gap is None
        for p in panels
        for i in p.items
        if i.item in items
        for c in i.cells
    )
    notes = [f"Hatched: fewer than {panels[0].min_cell_n} respondents ({SUPPRESSED})."]
    if more:
        notes.append(
            f"The {len(items)} items with the largest overall gaps; {more} more in the table."
        )
    title = f"Where the gap lives: {a} minus {b}, by " + " and ".join(p.column for p in panels)
    subtitle = f"Gap = {a} agreeing minus {b} agreeing in each cell, in percentage points. " + (
        f"{suppressed} cell(s) suppressed. " if suppressed else ""
    )
    fig, ax = frame(theme, size, title, subtitle.strip(), footnote(result, theme, " ".join(notes),
                    whiskers=False), axes_box=(0.32, 0.14, 0.64, 0.64))  # fmt: skip
    cmap = LinearSegmentedColormap.from_list(
        "gap", [theme.hidden_strength_color, "#f7f7f7", theme.blind_spot_color]
    )
    values = [
        [
            (c.comparisons[0].gap * 100) if c.comparisons[0].gap is not None else None
            for c in next(i for i in p.items if i.item == item).cells
        ]
        for p in panels
        for item in items
    ]
    span = max([abs(v) for row in values for v in row if v is not None] + [10.0])
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-span, vmax=span)
    box = ax.get_position()
    ax.remove()
    gap = 0.015
    total = sum(len(p.segments) for p in panels)
    width = (box.width - gap * (len(panels) - 1)) / total
    left = box.x0
    labels = {i.item: segment_label(result, i) for i in panels[0].items}
    for k, panel in enumerate(panels):
        pax = fig.add_axes((left, box.y0, width * len(panel.segments), box.height))
        left += width * len(panel.segments) + gap
        by_item = {i.item: i for i in panel.items}
        for row, item in enumerate(items):
            for col, cell in enumerate(by_item[item].cells):
                value = cell.comparisons[0].gap
                if value is None:
                    pax.add_patch(_hatched(col, row))
                    pax.text(col, row, SUPPRESSED, ha="center", va="center",
                             fontsize=SMALL_PT - 1, color="#555555")  # fmt: skip
                    continue
                points = value * 100
                color = cmap(norm(points))
                pax.add_patch(_cell(col, row, color))
                dark = abs(points) > span * 0.6
                pax.text(col, row, f"{points:+.0f}", ha="center", va="center",
                         fontsize=SMALL_PT, color="white" if dark else "#222222")  # fmt: skip
        pax.set_xlim(-0.5, len(panel.segments) - 0.5)
        pax.set_ylim(len(items) - 0.5, -0.5)
        names = [short_label(s, 12, 2) for s in panel.segments]
        pax.set_xticks(range(len(panel.segments)), names, fontsize=SMALL_PT)
        pax.xaxis.tick_top()
        pax.set_xlabel(panel.column, fontsize=SMALL_PT + 1, labelpad=10)
        pax.xaxis.set_label_position("top")
        if k == 0:
            width_chars, lines = label_geometry(len(items), size[1], size[0])
            pax.set_yticks(range(len(items)),
                           [short_label(labels[i], width_chars, lines) for i in items])  # fmt: skip
        else:
            pax.set_yticks([])
        pax.tick_params(length=0)
        for side in pax.spines.values():
            side.set_visible(False)
    return fig


def _cell(x: int, y: int, color: Any) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.48, y - 0.46), 0.96, 0.92, facecolor=color, edgecolor="none")


def _hatched(x: int, y: int) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.48, y - 0.46), 0.96, 0.92, facecolor="#eeeeee",
                     edgecolor="#bbbbbb", hatch="///", linewidth=0)  # fmt: skip
