"""Native bar charts: the headline, the dumbbell (as clustered bars), the ranking of gaps,
the NPS bands and the per-unit view. Each keeps the items its picture shows."""

from __future__ import annotations

import math
from typing import Any

from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION
from pptx.util import Pt

from cxgap.charts.base import largest_gaps, rows_that_fit
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
    rgb,
    short,
    style,
    text_box,
)
from cxgap.config import Theme
from cxgap.config.sections import upper_first
from cxgap.model import AnalysisResult
from cxgap.model.common import Interval
from cxgap.render.text import interval_pp, pp

PCT = "0%"
#: The picture's plot height (the deck draws pictures 4.9 in high): the same rows fit.
PICTURE_HEIGHT = 4.9


def _spread(value: float | None, ci: Interval) -> tuple[float | None, float | None]:
    """How far the interval reaches below and above ``value``."""
    lo, hi = ci
    if value is None or lo is None or hi is None:
        return None, None
    return max(value - lo, 0.0), max(hi - value, 0.0)


def _bar_chart(slide: Any, box: Box, data: Data, kind: Any = XL_CHART_TYPE.BAR_CLUSTERED) -> Any:
    chart = slide.shapes.add_chart(kind, *box.emu(), data).chart
    chart.category_axis.reverse_order = True  # the first category on top, as in the pictures
    chart.category_axis.format.line.fill.background()
    chart.category_axis.major_tick_mark = 2  # none
    return chart


def _keyed_bars(slide: Any, box: Box, data: Data, entries: list[tuple[str, str]]) -> Any:
    """Clustered bars, a series per group, under a key in the series' (group) order: the
    bars read top down in series order (reversed category axis), but a bar chart's own
    legend lists them bottom up in LibreOffice and top down in PowerPoint."""
    key_box(slide, box, entries)
    return _bar_chart(slide, Box(box.left, box.top + 0.35, box.width, box.height - 0.35), data)


def _pct_axis(axis: Any, low: float = 0.0, high: float = 1.0) -> None:
    axis.minimum_scale, axis.maximum_scale = low, high
    axis.major_unit = 0.25
    axis.tick_labels.number_format = PCT
    axis.tick_labels.number_format_is_linked = False
    axis_line(axis)
    gridlines(axis)


def headline(slide: Any, result: AnalysisResult, theme: Theme, box: Box) -> str:
    """Each group's share of the headline item as one bar, its interval as error bars."""
    palette = theme.palette(result.group_names)
    h = result.headline
    main = h.primary
    data = Data(PCT)
    data.categories = [clean(f"{upper_first(g.label)} (n = {h.groups[g.name].n:,})")
                       for g in result.groups]  # fmt: skip
    shares = [h.groups[g.name].share for g in result.groups]
    data.add("Agree share", shares)
    conf = f"{result.settings.confidence:.0%}"
    which = ""
    if len(result.groups) > 2:
        which = f" {result.group(main.a).label} - {result.group(main.b).label}"
    gap = f"Gap{which} {pp(main.gap)} pp ({conf} CI {interval_pp(main.gap_ci)} pp)"
    color = theme.blind_spot_color if (main.gap or 0) > 0 else theme.hidden_strength_color
    text_box(slide, box.left, box.top, box.width, 0.45, clean(gap), 18, bold=True, color=color)
    chart = _bar_chart(slide, Box(box.left, box.top + 0.45, box.width, box.height - 0.45), data)
    style(chart, theme, legend=False, size=14)
    plot = chart.plots[0]
    plot.gap_width = 60
    series = plot.series[0]
    for k, g in enumerate(result.groups):
        fill(series.points[k].format, palette[g.name])
    spreads = [_spread(h.groups[g.name].share, h.groups[g.name].ci) for g in result.groups]
    error_bars(series, data, "Agree share", [s[0] for s in spreads], [s[1] for s in spreads])
    dl = labels(series, PCT, size=28)
    dl.font.bold = True
    dl.position = XL_LABEL_POSITION.INSIDE_BASE
    dl.font.color.rgb = rgb("#FFFFFF")
    embed(chart, data)
    _pct_axis(chart.value_axis)
    return ""


def dumbbell(slide: Any, result: AnalysisResult, theme: Theme, box: Box) -> str:
    """Every group's share per item as clustered bars with interval whiskers, the headline
    gap in the item's label."""
    palette = theme.palette(result.group_names)
    shown, _ = largest_gaps(result.items, rows_that_fit(PICTURE_HEIGHT))
    data = Data(PCT)
    data.categories = [
        f"{short(i.label, 70)} ({pp(i.primary.gap)} pp{'' if i.primary.significant else ', n.s.'})"
        for i in shown
    ]
    for g in result.groups:
        data.add(upper_first(g.label), [i.groups[g.name].share for i in shown])
    key = [(upper_first(g.label), palette[g.name]) for g in result.groups]
    chart = _keyed_bars(slide, box, data, key)
    style(chart, theme, legend=False)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 45, 0
    for series, g in zip(plot.series, result.groups, strict=True):
        fill(series.format, palette[g.name])
        spreads = [_spread(i.groups[g.name].share, i.groups[g.name].ci) for i in shown]
        error_bars(series, data, upper_first(g.label), [s[0] for s in spreads],
                   [s[1] for s in spreads])  # fmt: skip
    embed(chart, data)
    _pct_axis(chart.value_axis)
    chart.category_axis.tick_labels.font.size = Pt(11)
    return (
        "Drawn as clustered bars, not dots: a PowerPoint scatter chart has no category "
        "axis, so the item labels would be loose text boxes that do not follow edited "
        "data. n.s. = gap not significant."
    )


def ranking(slide: Any, result: AnalysisResult, theme: Theme, box: Box) -> str:
    """The headline gaps as bars, a series per flag (so the legend names the colours)."""
    items, _ = largest_gaps([i for i in result.items if i.primary.gap is not None],
                            rows_that_fit(PICTURE_HEIGHT))  # fmt: skip
    data = Data("+0;-0;0")
    data.categories = [short(i.label, 80) for i in items]
    kinds = [("Blind spot", "blind_spot", theme.blind_spot_color),
             ("Hidden strength", "hidden_strength", theme.hidden_strength_color),
             ("Not flagged", None, theme.muted_color)]  # fmt: skip
    for name, flag, _ in kinds:
        data.add(name, [(i.primary.gap or 0.0) * 100 if i.primary.flag == flag else None
                               for i in items])  # fmt: skip
    chart = _bar_chart(slide, box, data)
    style(chart, theme)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 40, 100
    for series, (name, flag, color) in zip(plot.series, kinds, strict=True):
        fill(series.format, color)
        mine = [i if i.primary.flag == flag else None for i in items]
        spreads = [
            _spread((i.primary.gap or 0.0) * 100, _points(i.primary.gap_ci)) if i else (None, None)
            for i in mine
        ]
        error_bars(series, data, name, [s[0] for s in spreads], [s[1] for s in spreads])
        dl = labels(series, "+0;-0;0", size=12)
        dl.position = XL_LABEL_POSITION.INSIDE_BASE
        for k, i in enumerate(mine):
            if i is None:
                hide_label(series, k)
    embed(chart, data)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    chart.category_axis.tick_labels.font.size = Pt(11)
    axis = chart.value_axis
    # the axis holds every interval, not only the bars (PowerPoint scales to the bars and
    # cut a whisker at the edge); a step of 10 or 20 pp, a little room past the ends
    ends = [v for i in items for v in (*_points(i.primary.gap_ci), (i.primary.gap or 0.0) * 100)
            if v is not None]  # fmt: skip
    low, high = min([0.0, *ends]), max([0.0, *ends])
    step = 10 if high - low <= 100 else 20
    axis.minimum_scale = math.floor((low - 1) / step) * step if low < 0 else 0
    axis.maximum_scale = math.ceil((high + 1) / step) * step if high > 0 else 0
    axis.major_unit = step
    axis.has_title = True
    axis.axis_title.text_frame.text = "Gap (pp)"
    axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    axis.tick_labels.number_format = "+0;-0;0"
    axis.tick_labels.number_format_is_linked = False
    axis_line(axis)
    gridlines(axis)
    return ""


def _points(ci: Interval) -> Interval:
    lo, hi = ci
    return (None if lo is None else lo * 100, None if hi is None else hi * 100)


def units(slide: Any, result: AnalysisResult, theme: Theme, box: Box) -> str:
    """Each unit's mean agree share of both groups, units ranked by their gap."""
    view = result.units
    assert view is not None
    found = next(c for c in view.comparisons if c.ranking)
    palette = theme.palette(result.group_names)
    shown = found.ranking[: rows_that_fit(PICTURE_HEIGHT, 0.6, per_row_pt=12 * 1.45)]
    data = Data(PCT)
    data.categories = [f"{short(r.unit, 40)} ({r.gap * 100:+.0f})" for r in shown]
    for g in (found.a, found.b):
        data.add(upper_first(result.group(g).label), [r.shares[g] for r in shown])
    key = [(upper_first(result.group(g).label), palette[g]) for g in (found.a, found.b)]
    chart = _keyed_bars(slide, box, data, key)
    style(chart, theme, legend=False)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 50, 0
    for series, g in zip(plot.series, (found.a, found.b), strict=True):
        fill(series.format, palette[g])
        labels(series, PCT, size=12).position = XL_LABEL_POSITION.OUTSIDE_END
    _pct_axis(chart.value_axis)
    more = len(found.ranking) - len(shown)
    note = (
        f"Drawn as bars (each {view.column}'s two mean shares, largest gap first) in place of "
        "the picture's scatter, whose numbered points PowerPoint cannot label natively."
    )
    return note + (f" {more} more {view.column}(es) in --format json or csv." if more else "")


#: Detractors, passives, promoters (as the picture's).
BANDS = (("Detractors (0-6)", "#D55E00"), ("Passives (7-8)", "#BBBBBB"),
         ("Promoters (9-10)", "#009E73"))  # fmt: skip


def nps(slide: Any, result: AnalysisResult, theme: Theme, box: Box) -> str:
    """Each group's detractors, passives and promoters stacked; NPS in the group's label."""
    found = result.nps[0]
    data = Data(PCT)
    cats = []
    for g in result.groups:
        stats = found.groups[g.name]
        score = "n/a" if stats.nps is None else pp(stats.nps)
        spread = "" if stats.ci[0] is None else f" ({interval_pp(stats.ci)})"
        cats.append(clean(f"{upper_first(g.label)}, n = {stats.n:,}: NPS {score}{spread}"))
    data.categories = cats
    parts = ("detractors", "passives", "promoters")
    for (name, _), part in zip(BANDS, parts, strict=True):
        data.add(name, [getattr(found.groups[g.name], part) for g in result.groups])
    chart = _bar_chart(slide, box, data, XL_CHART_TYPE.BAR_STACKED)
    style(chart, theme, size=14)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 50, 100
    for series, (_, color), part in zip(plot.series, BANDS, parts, strict=True):
        fill(series.format, color)
        labels(series, PCT, size=14, color="#222222" if color == "#BBBBBB" else "#FFFFFF")
        for k, g in enumerate(result.groups):
            if (getattr(found.groups[g.name], part) or 0.0) < 0.06:
                hide_label(series, k)
    _pct_axis(chart.value_axis)
    return ""
