"""Native tables: the heatmap (the gap per segment, cells filled on a diverging scale,
suppressed cells say so) and the items table (each group's share, the gaps, intervals,
adjusted p and flag), split over slides when long."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from cxgap.charts.heatmap import MAX_ITEMS
from cxgap.charts.native.common import Box, clean, rgb, short
from cxgap.config import Theme
from cxgap.model import AnalysisResult, ItemResult
from cxgap.render.sections import SUPPRESSED, segment_label
from cxgap.render.text import flag_text, interval_pct, interval_pp, pct, pp, pvalue

#: Item rows on one table slide (two lines of 11 pt each fit a row).
ROWS_PER_SLIDE = 10
HEADER_FILL = "#EDEDED"


def _mix(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from ``a`` to ``b`` (0 <= t <= 1)."""
    ca = [int(a.lstrip("#")[k : k + 2], 16) for k in (0, 2, 4)]
    cb = [int(b.lstrip("#")[k : k + 2], 16) for k in (0, 2, 4)]
    return "#" + "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ca, cb, strict=True))


def _cell(
    cell: Any,
    text: str,
    *,
    size: int = 11,
    fill: str | None = None,
    bold: bool = False,
    color: str = "#222222",
    align: Any = PP_ALIGN.CENTER,
) -> None:
    cell.text = clean(text)
    cell.margin_left = cell.margin_right = Inches(0.05)
    cell.margin_top = cell.margin_bottom = Inches(0.02)
    cell.vertical_anchor = 3  # middle
    for para in cell.text_frame.paragraphs:
        para.alignment = align
        for run in para.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = rgb(color)
    if fill is None:
        cell.fill.background()
    else:
        cell.fill.solid()
        cell.fill.fore_color.rgb = rgb(fill)


def _table(
    slide: Any, rows: int, cols: int, box: Box, height: float, widths: Sequence[float]
) -> Any:
    shape = slide.shapes.add_table(rows, cols, Inches(box.left), Inches(box.top),
                                   Inches(box.width), Inches(height))  # fmt: skip
    table = shape.table
    table.first_row, table.horz_banding = True, False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Inches(width)
    for row in table.rows:
        row.height = Inches(height / rows)
    return table


def _font(table: Any, name: str) -> None:
    """Every cell's text in the theme's font (as the charts')."""
    for row in table.rows:
        for cell in row.cells:
            for para in cell.text_frame.paragraphs:
                for run in para.runs:
                    run.font.name = name


def heatmap(slide: Any, result: AnalysisResult, theme: Theme, box: Box) -> str:
    """The headline gap per item (rows) and segment (columns, a block per segment column)."""
    panels = result.breakdowns()
    items = [i.item for i in panels[0].items][:MAX_ITEMS]
    segments = [(p, s) for p in panels for s in p.segments]
    values = [c.comparisons[0].gap for p in panels for i in p.items if i.item in items
              for c in i.cells]  # fmt: skip
    span = max([abs(v) * 100 for v in values if v is not None] + [10.0])
    first = min(4.6, box.width * 0.38)
    widths = [first] + [(box.width - first) / len(segments)] * len(segments)
    rows = len(items) + 2
    table = _table(slide, rows, len(widths), box, min(box.height, 0.3 * rows), widths)
    _cell(table.cell(0, 0), "", fill=HEADER_FILL)
    _cell(table.cell(1, 0), "Item", bold=True, fill=HEADER_FILL, align=PP_ALIGN.LEFT)
    col = 1
    for panel in panels:
        if len(panel.segments) > 1:
            table.cell(0, col).merge(table.cell(0, col + len(panel.segments) - 1))
        _cell(table.cell(0, col), panel.column, bold=True, fill=HEADER_FILL)
        for k, name in enumerate(panel.segments):
            _cell(table.cell(1, col + k), name, bold=True, fill=HEADER_FILL)
        col += len(panel.segments)
    labels = {i.item: segment_label(result, i) for i in panels[0].items}
    for r, item in enumerate(items, start=2):
        _cell(table.cell(r, 0), short(labels[item], 70), align=PP_ALIGN.LEFT)
        col = 1
        for panel in panels:
            found = next(i for i in panel.items if i.item == item)
            for cell in found.cells:
                gap = cell.comparisons[0]
                if gap.suppressed or gap.gap is None:
                    _cell(table.cell(r, col), SUPPRESSED, fill="#EEEEEE", color="#555555")
                else:
                    points = gap.gap * 100
                    t = min(abs(points) / span, 1.0)
                    end = theme.blind_spot_color if points > 0 else theme.hidden_strength_color
                    dark = abs(points) > span * 0.6
                    _cell(table.cell(r, col), pp(gap.gap), fill=_mix("#F7F7F7", end, t),
                          color="#FFFFFF" if dark else "#222222")  # fmt: skip
                col += 1
    _font(table, theme.font_family)
    return (
        f"A native table: cells filled by the gap ({SUPPRESSED}: fewer than "
        f"{panels[0].min_cell_n} respondents, suppressed)."
    )


def item_pages(result: AnalysisResult) -> list[list[ItemResult]]:
    """The items in table order, ROWS_PER_SLIDE to a slide."""
    items = result.items
    return [items[k : k + ROWS_PER_SLIDE] for k in range(0, len(items), ROWS_PER_SLIDE)] or [[]]


def items_subtitle(result: AnalysisResult) -> str:
    main = result.comparisons[0]
    conf = f"{result.settings.confidence:.0%}"
    return (
        f"Share who agree ({result.settings.agree}) with its {conf} interval; gap = "
        f"{result.group(main.a).label} minus {result.group(main.b).label}, in percentage "
        f"points, with its interval and p adjusted by {result.settings.adjust}; flagged when "
        f"{result.findings.rule}."
    )


def items_table(
    slide: Any, result: AnalysisResult, theme: Theme, box: Box, items: Sequence[ItemResult]
) -> None:
    """One page of the items table."""
    main, others = result.comparisons[0], result.comparisons[1:]
    groups = result.groups
    header = ["Item", *(_cap(g.label) for g in groups), "Gap (pp)",
              "Interval (pp)", f"p ({result.settings.adjust})", "Flag",
              *(_cap(f"{result.group(c.a).label} - {result.group(c.b).label} (pp)")
                for c in others)]  # fmt: skip
    fixed = 1.4 * len(groups) + 0.75 + 1.3 + 0.8 + 1.3 + 1.1 * len(others)
    first = max(2.5, box.width - fixed)
    widths = [first, *([1.4] * len(groups)), 0.75, 1.3, 0.8, 1.3, *([1.1] * len(others))]
    scale = box.width / sum(widths)
    widths = [w * scale for w in widths]
    rows = len(items) + 1
    table = _table(slide, rows, len(widths), box, min(box.height, 0.36 * rows + 0.1), widths)
    for c, text in enumerate(header):
        _cell(table.cell(0, c), text, bold=True, fill=HEADER_FILL,
              align=PP_ALIGN.LEFT if c == 0 else PP_ALIGN.CENTER)  # fmt: skip
    flags = {"blind_spot": theme.blind_spot_color, "hidden_strength": theme.hidden_strength_color}
    for r, item in enumerate(items, start=1):
        head = next((c for c in item.comparisons if (c.a, c.b) == (main.a, main.b)), item.primary)
        cells = [short(item.label, 120)]
        for g in groups:
            stats = item.groups.get(g.name)
            share = pct(stats.share) if stats is not None else "n/a"
            spread = interval_pct(stats.ci) if stats is not None else ""
            cells.append(f"{share} ({spread})" if spread else share)
        cells += [pp(head.gap), interval_pp(head.gap_ci), pvalue(head.p_adjusted),
                  flag_text(head)]  # fmt: skip
        for other in others:
            found = next((c for c in item.comparisons if (c.a, c.b) == (other.a, other.b)), None)
            cells.append(pp(found.gap) if found is not None else "n/a")
        for c, text in enumerate(cells):
            flag = c == len(groups) + 4
            color = flags.get(head.flag or "", "#222222") if flag else "#222222"
            align = PP_ALIGN.LEFT if c == 0 else PP_ALIGN.CENTER
            _cell(table.cell(r, c), text, size=11 if c else 10, color=color, bold=flag, align=align)
    _font(table, theme.font_family)


def _cap(text: str) -> str:
    """``text`` with its first letter upper case (a group's label starts a column head)."""
    return text[:1].upper() + text[1:]
