"""What every native chart shares: safe text, chart data whose workbook is the same bytes
on every run (and carries the intervals), theme styling, and the XML python-pptx has no
API for (error bars, a deleted data label or legend entry)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from cxgap.config import Theme

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
#: Characters XML 1.0 forbids (a file with one is corrupt): C0 controls but tab, line
#: feed and carriage return; the surrogates; U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Longest text from data a chart label, table cell or series name carries.
MAX_LABEL = 200
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def clean(text: str, limit: int = MAX_LABEL) -> str:
    """Text from data made safe for the package: XML-illegal characters dropped, tabs
    and line breaks as spaces (``limit`` 0: kept), at most ``limit`` characters."""
    text = _ILLEGAL.sub("", text)
    if not limit:
        return text
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def short(text: str, width: int) -> str:
    """Text from data on one line of at most ``width`` characters, cut in the middle when
    longer (labels of one survey often differ only at the end)."""
    from cxgap.charts.base import short_label

    return short_label(clean(text), width, 1)


def rgb(hex_color: str) -> RGBColor:
    value = hex_color.lstrip("#")
    return RGBColor(int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class Box:
    """Where a chart goes on its slide, in inches."""

    left: float
    top: float
    width: float
    height: float

    def emu(self) -> tuple[int, int, int, int]:
        return (Inches(self.left), Inches(self.top), Inches(self.width), Inches(self.height))


class _Writer(CategoryWorkbookWriter):
    """The workbook behind "Edit data": fixed document properties (the same bytes on
    every run; XlsxWriter already fixes its zip times), and extra columns (the
    intervals) to the right of the series."""

    def __init__(self, chart_data: Data) -> None:
        super().__init__(chart_data)  # type: ignore[no-untyped-call]
        self._data = chart_data

    def _populate_worksheet(self, workbook: Any, worksheet: Any) -> None:
        workbook.set_properties({"created": FIXED_TIME, "author": "cxgap"})
        # Labels come from the data: XlsxWriter would write "=HYPERLINK(...)" as a live
        # formula and "https://..." as a link; they stay text.
        worksheet.strings_to_formulas = False
        worksheet.strings_to_urls = False
        super()._populate_worksheet(workbook, worksheet)  # type: ignore[no-untyped-call]
        first = self._data.categories.depth + len(list(self._data))
        for k, (name, values) in enumerate(self._data.extra):
            worksheet.write(0, first + k, name)
            for row, value in enumerate(values):
                if value is not None:
                    worksheet.write_number(1 + row, first + k, value)


class Data(CategoryChartData):
    """Category chart data with extra named columns in its workbook (see
    :meth:`extra_ref`)."""

    def __init__(self, number_format: str = "General") -> None:
        super().__init__(number_format)  # type: ignore[no-untyped-call]
        self.extra: list[tuple[str, list[float | None]]] = []

    @property
    def _workbook_writer(self) -> _Writer:
        return _Writer(self)

    def add(self, name: str, values: Sequence[float | None]) -> None:
        """A series (a typed ``add_series``)."""
        self.add_series(name, values)  # type: ignore[no-untyped-call]

    def add_extra(self, name: str, values: Sequence[float | None]) -> str:
        """A column of the workbook the chart does not plot as a series; its reference."""
        self.extra.append((clean(name), list(values)))
        col = self.categories.depth + len(list(self)) + len(self.extra)
        letter = CategoryWorkbookWriter._column_reference(col)  # type: ignore[no-untyped-call]
        return f"Sheet1!${letter}$2:${letter}${len(values) + 1}"


def _c(tag: str, **attrs: str) -> Any:
    el = etree.Element(qn(f"c:{tag}"))
    for key, value in attrs.items():
        el.set(key, value)
    return el


def _num_ref(ref: str, values: Sequence[float | None]) -> Any:
    num_ref = _c("numRef")
    f = _c("f")
    f.text = ref
    num_ref.append(f)
    cache = _c("numCache")
    code = _c("formatCode")
    code.text = "General"
    cache.append(code)
    cache.append(_c("ptCount", val=str(len(values))))
    for k, value in enumerate(values):
        if value is None:
            continue
        pt = _c("pt", idx=str(k))
        v = _c("v")
        v.text = repr(float(value))
        pt.append(v)
        cache.append(pt)
    num_ref.append(cache)
    return num_ref


def error_bars(
    series: Any,
    data: Data,
    name: str,
    minus: Sequence[float | None],
    plus: Sequence[float | None],
    color: str = "#333333",
) -> None:
    """Custom error bars on a bar or line series: ``minus`` below and ``plus`` above each
    value (python-pptx has no API for them), read from two columns of the workbook."""
    ser = series._element
    bars = _c("errBars")
    bars.append(_c("errBarType", val="both"))
    bars.append(_c("errValType", val="cust"))
    bars.append(_c("noEndCap", val="0"))
    for tag, values, suffix in (("plus", plus, "above"), ("minus", minus, "below")):
        ref = data.add_extra(f"{name}: interval {suffix}", values)
        holder = _c(tag)
        holder.append(_num_ref(ref, values))
        bars.append(holder)
    sp = etree.SubElement(bars, qn("c:spPr"))
    ln = etree.SubElement(sp, qn("a:ln"), w=str(Pt(1.25)))
    fill = etree.SubElement(ln, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=color.lstrip("#").upper())
    before = ser.find(qn("c:cat"))
    if before is None:
        before = ser.find(qn("c:val"))
    before.addprevious(bars)


def embed(chart: Any, data: Data) -> None:
    """Write the chart's workbook again, with the columns added since the chart was made
    (``add_chart`` writes it at once; error bars add their columns after)."""
    chart.part.chart_workbook.update_from_xlsx_blob(data.xlsx_blob)


def hide_label(series: Any, index: int) -> None:
    """No data label on one point of a series that shows them."""
    dlbls = series._element.get_or_add_dLbls()
    dlbl = dlbls._insert_dLbl_in_sequence(index)
    for child in list(dlbl)[1:]:
        dlbl.remove(child)
    dlbl.append(_c("delete", val="1"))


def key_box(slide: Any, box: Box, entries: Sequence[tuple[str, str]], size: int = 12) -> None:
    """A legend as one line of text over the chart: a coloured square and a name each."""
    frame = slide.shapes.add_textbox(Inches(box.left), Inches(box.top), Inches(box.width),
                                     Inches(0.35)).text_frame  # fmt: skip
    para = frame.paragraphs[0]
    from pptx.enum.text import PP_ALIGN

    para.alignment = PP_ALIGN.CENTER
    for name, color in entries:
        for text, ink in (("\u25a0 ", color), (f"{name}     ", "#222222")):
            run = para.add_run()
            run.text = clean(text, 0)
            run.font.size = Pt(size)
            run.font.color.rgb = rgb(ink)


def style(chart: Any, theme: Theme, *, legend: bool = True, size: int = 12) -> None:
    """Theme font and text colour, legend on top, no chart title (the slide has it)."""
    chart.has_title = False
    chart.font.name = theme.font_family
    chart.font.size = Pt(size)
    chart.font.color.rgb = rgb(theme.text_color)
    chart.has_legend = legend
    if legend:
        from pptx.enum.chart import XL_LEGEND_POSITION

        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(size)


def fill(shape_format: Any, color: str) -> None:
    shape_format.fill.solid()
    shape_format.fill.fore_color.rgb = rgb(color)


def line(shape_format: Any, color: str, width: float = 2.5) -> None:
    shape_format.line.color.rgb = rgb(color)
    shape_format.line.width = Pt(width)


def gridlines(axis: Any, color: str = "#E5E5E5") -> None:
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb(color)
    axis.major_gridlines.format.line.width = Pt(0.75)


def axis_line(axis: Any, color: str = "#BBBBBB") -> None:
    axis.format.line.color.rgb = rgb(color)


def labels(series_or_plot: Any, number_format: str, *, size: int = 12, color: str = "") -> Any:
    """Data labels showing values in ``number_format``."""
    dl = series_or_plot.data_labels
    dl.number_format = number_format
    dl.number_format_is_linked = False
    dl.show_value = True
    dl.font.size = Pt(size)
    if color:
        dl.font.color.rgb = rgb(color)
    return dl


def text_box(
    slide: Any,
    left: float,
    top: float,
    width: float,
    height: float,
    text: str,
    size: int,
    *,
    bold: bool = False,
    color: str = "#222222",
) -> Any:
    """An editable text box, a paragraph per line of ``text`` (made XML-safe)."""
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for k, row in enumerate(clean(text, 0).split("\n")):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = row
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = rgb(color)
    return box
