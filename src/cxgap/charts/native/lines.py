"""Native line charts and the diverging stacked bars: the trend by wave, the slope chart of
the layers, each group's answer distribution centred on the neutral point."""

from __future__ import annotations

from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION
from pptx.oxml.ns import qn
from pptx.util import Pt

from cxgap.charts.base import largest_gaps, level_colors
from cxgap.charts.diverging import diverging_items, diverging_key, item_limit
from cxgap.charts.native.bars import PCT, PICTURE_HEIGHT, _bar_chart, _pct_axis, _spread
from cxgap.charts.native.common import (
    Box,
    Data,
    axis_line,
    clean,
    embed,
    error_bars,
    fill,
    gridlines,
    hide_label,
    key_box,
    labels,
    line,
    short,
    style,
)
from cxgap.charts.slope import spread
from cxgap.config import Theme
from cxgap.config.sections import upper_first
from cxgap.model import AnalysisResult, GroupStats, TrendResult
from cxgap.render.text import pct

#: Items the slope chart shows at most (as the picture).
SLOPE_ITEMS = 16
#: The slope chart's item labels: their size (pt), and the height of one as a multiple of
#: it (LibreOffice and PowerPoint draw a label's box about 1.2 to 1.3 times its size).
LABEL_PT, LABEL_LINE = 10, 1.45


def end_label(
    series: Any, index: int, *, size: int, color: str, name: bool = True, dy: float = 0.0
) -> None:
    """One data label, right of the point at ``index``: the series name and the value,
    moved ``dy`` of the chart's height down (labels spread apart) and never wrapped."""
    dlbl = series._element.get_or_add_dLbls()._insert_dLbl_in_sequence(index)
    for child in list(dlbl)[1:]:
        dlbl.remove(child)
    if dy:
        layout = etree.SubElement(etree.SubElement(dlbl, qn("c:layout")), qn("c:manualLayout"))
        etree.SubElement(layout, qn("c:x"), val="0")
        etree.SubElement(layout, qn("c:y"), val=f"{dy:.5f}")
    etree.SubElement(dlbl, qn("c:numFmt"), formatCode=PCT, sourceLinked="0")
    tx = etree.SubElement(dlbl, qn("c:txPr"))
    etree.SubElement(tx, qn("a:bodyPr"), wrap="none")
    etree.SubElement(tx, qn("a:lstStyle"))
    para = etree.SubElement(tx, qn("a:p"))
    ppr = etree.SubElement(para, qn("a:pPr"))
    run = etree.SubElement(ppr, qn("a:defRPr"), sz=str(size * 100), b="1")
    solid = etree.SubElement(run, qn("a:solidFill"))
    etree.SubElement(solid, qn("a:srgbClr"), val=color.lstrip("#").upper())
    etree.SubElement(para, qn("a:endParaRPr"), lang="en-US")
    etree.SubElement(dlbl, qn("c:dLblPos"), val="r")
    shown = {"showVal": True, "showSerName": name}
    for tag in ("showLegendKey", "showVal", "showCatName", "showSerName", "showPercent",
                "showBubbleSize"):  # fmt: skip
        etree.SubElement(dlbl, qn(f"c:{tag}"), val="1" if shown.get(tag) else "0")
    if name:
        etree.SubElement(dlbl, qn("c:separator")).text = " "


def trend(slide: Any, result: TrendResult, theme: Theme, box: Box) -> str:
    """Every group's share of the headline by wave, its interval as error bars."""
    points = result.headline.points
    names = list(result.groups)
    data = Data(PCT)
    data.categories = [clean(w) for w in result.waves]
    for g in names:
        data.add(clean(upper_first(result.groups[g])), [p.groups[g].share for p in points])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *box.emu(), data).chart
    style(chart, theme)
    for series, g in zip(chart.plots[0].series, names, strict=True):
        color = theme.color_for(g, names)
        line(series.format, color, 3)
        series.smooth = False
        series.marker.style = 8  # circle
        series.marker.size = 9
        fill(series.marker.format, color)
        series.marker.format.line.color.rgb = series.format.line.color.rgb
        spreads = [_spread(p.groups[g].share, p.groups[g].ci) for p in points]
        error_bars(series, data, upper_first(result.groups[g]), [s[0] for s in spreads],
                   [s[1] for s in spreads], color)  # fmt: skip
        end_label(series, len(points) - 1, size=14, color=color)
    embed(chart, data)
    _pct_axis(chart.value_axis)
    axis_line(chart.category_axis)
    return "Intervals as error bars (the picture draws them as bands)."


def slope(slide: Any, result: AnalysisResult, theme: Theme, box: Box) -> str:
    """Each item's share in every group, in group order: a line per item, coloured by the
    headline comparison's flag."""
    shown, _ = largest_gaps(result.items, SLOPE_ITEMS)
    data = Data(PCT)
    data.categories = [clean(upper_first(g.label)) for g in result.groups]
    for i in shown:
        data.add(short(i.label, 60), [i.groups[g.name].share for g in result.groups])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *box.emu(), data).chart
    style(chart, theme, legend=False)
    flags = {"blind_spot": theme.blind_spot_color, "hidden_strength": theme.hidden_strength_color}
    last = len(result.groups) - 1
    top, high = 0.04, 0.86  # the plot's box, as shares of the chart's height
    ends = [top + high * (1 - (i.groups[result.groups[-1].name].share or 0.0)) for i in shown]
    step = LABEL_PT * LABEL_LINE / (box.height * 72)  # a label's height, of the chart's
    centres = spread(ends, [step] * len(ends), top, top + high)
    moves = [c - e for c, e in zip(centres, ends, strict=True)]
    for series, i, dy in zip(chart.plots[0].series, shown, moves, strict=True):
        color = flags.get(i.primary.flag or "", theme.muted_color)
        line(series.format, color, 2)
        series.smooth = False
        series.marker.style = 8
        series.marker.size = 6
        fill(series.marker.format, color)
        end_label(series, last, size=LABEL_PT, color=color, dy=dy)
    _pct_axis(chart.value_axis)
    axis_line(chart.category_axis)
    chart.category_axis.tick_labels.font.size = Pt(14)
    # room on the right for the items' names
    plot_area = chart._chartSpace.chart.plotArea
    _manual_layout(plot_area, x=0.04, y=top, w=0.5, h=high)
    return (
        "The items' names are spread apart beside the last group's points, each as near "
        "its point as the others allow."
    )


def _manual_layout(plot_area: Any, *, x: float, y: float, w: float, h: float) -> None:
    layout = plot_area.find(qn("c:layout"))
    if layout is None:
        layout = etree.Element(qn("c:layout"))
        plot_area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    etree.SubElement(manual, qn("c:layoutTarget"), val="inner")
    etree.SubElement(manual, qn("c:xMode"), val="edge")
    etree.SubElement(manual, qn("c:yMode"), val="edge")
    for tag, value in (("x", x), ("y", y), ("w", w), ("h", h)):
        etree.SubElement(manual, qn(f"c:{tag}"), val=repr(value))


def _shares(stats: GroupStats) -> list[float]:
    n = sum(stats.distribution)
    return [c / n for c in stats.distribution] if n else [0.0] * len(stats.distribution)


def _no_answer(stats: GroupStats) -> str:
    asked = stats.n + stats.missing
    return f"{stats.missing / asked * 100:.0f}%" if asked else "0%"


def diverging(slide: Any, result: AnalysisResult, theme: Theme, box: Box) -> str:
    """Stacked bars centred on neutral: disagreeing levels negative (left of zero), the
    neutral level split across it, agreeing levels positive; a bar per item and group."""
    groups = result.groups
    shown, _ = diverging_items(result, item_limit(len(groups), PICTURE_HEIGHT))
    scale = shown[0].scale
    points = len(scale.codes)
    names = [clean(n, 40) for n in diverging_key(shown)]
    colors = level_colors(points)
    mid, odd = points // 2, points % 2 == 1
    # (name, level, sign, share of the level): stacking runs outward from zero, so the
    # levels nearest neutral come first on each side.
    order: list[tuple[str, int, float, float]] = []
    if odd:
        order.append((f"{names[mid]} (left half)", mid, -1.0, 0.5))
    order += [(names[k], k, -1.0, 1.0) for k in reversed(range(mid))]
    if odd:
        order.append((names[mid], mid, 1.0, 0.5))
    order += [(names[k], k, 1.0, 1.0) for k in range(mid + odd, points)]
    # A row naming the item, then a row per group (a bar), bottom to top: the first item
    # on top without reversing the axis (a reversed axis reverses LibreOffice's legend).
    rows: list[tuple[str, list[float] | None]] = []
    for item in shown:
        rows.append((short(item.label, 90), None))
        for g in groups:
            stats = item.groups[g.name]
            name = (
                f"{upper_first(g.label)}: {pct(stats.share)} agree, {_no_answer(stats)} no answer"
            )
            rows.append((clean(name), _shares(stats)))
    rows.reverse()
    data = Data("0%;0%")
    data.categories = [name for name, _ in rows]
    for name, level, sign, part in order:
        data.add(name, [sign * part * s[level] if s is not None and len(s) == points
                               else None for _, s in rows])  # fmt: skip
    # The key in scale order, as text: the chart's own legend would list the series in
    # stacking order, the neutral point twice.
    key_box(slide, box, list(zip(names, colors, strict=True)))
    chart = _bar_chart(slide, Box(box.left, box.top + 0.35, box.width, box.height - 0.35), data,
                       XL_CHART_TYPE.BAR_STACKED)  # fmt: skip
    chart.category_axis.reverse_order = False
    style(chart, theme, legend=False, size=11)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 30, 100
    for series, (_, level, _, part) in zip(plot.series, order, strict=True):
        fill(series.format, colors[level])
        series.format.line.color.rgb = series.format.fill.fore_color.rgb
        dark = colors[level] in ("#A6611A", "#018571")
        dl = labels(series, "0%;0%", size=10, color="#FFFFFF" if dark else "#222222")
        dl.position = XL_LABEL_POSITION.CENTER
        for j, (_, shares) in enumerate(rows):
            if part < 1 or shares is None or len(shares) != points or shares[level] < 0.07:
                hide_label(series, j)
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = -1.0, 1.0, 0.5
    axis.tick_labels.number_format = "0%;0%"
    axis.tick_labels.number_format_is_linked = False
    gridlines(axis)
    axis_line(axis)
    axis.tick_label_position = XL_TICK_LABEL_POSITION.HIGH  # the percentages on top
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    chart.category_axis.tick_labels.font.size = Pt(10)
    return (
        "Native stacked bars: disagreeing answers are stored as negative shares (shown "
        "without the sign), the neutral point split in two halves across zero; each "
        "group's agree share and non-answers are in its label."
    )
