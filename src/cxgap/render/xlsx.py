"""XLSX: a workbook with one sheet per table of the result, and a Notes sheet.

Written with XlsxWriter (python-pptx already depends on it): it writes a workbook in one
forward pass from memory, sets number formats, frozen panes and autofilters, and never
turns a string into a formula when it is told not to. Every cell from the data is written
as a string (``write_string``), never through XlsxWriter's guessing ``write``; one that
starts like a formula (``= + - @``, tab, CR) also gets Excel's quote prefix, so editing it
in Excel keeps it text. Sheet names made from data are sanitised (:func:`sheet_name`).

The bytes are the same on every run and machine: the workbook is assembled in memory
(XlsxWriter then stamps every zip entry 1980-01-01), its creation date is fixed
(:data:`CREATED`, the date the deck uses), and every float is rounded to the 12
significant digits of the JSON output (:mod:`cxgap.render.numbers`), so a share in the
workbook equals the JSON's exactly and XlsxWriter's 16-digit number text is exact.

Which tables a result has is decided in :mod:`cxgap.render.xlsx_sheets`; the Notes sheet
(method, settings, warnings) in :mod:`cxgap.render.xlsx_notes`.
"""

from __future__ import annotations

import io
import math
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cxgap.render.numbers import stable_float
from cxgap.render.xlsx_runs import tables_of
from cxgap.render.xlsx_sheets import Cell, Table

if TYPE_CHECKING:
    from pydantic import BaseModel

#: The workbook's creation and modification date (docProps/core.xml).
CREATED = datetime(2000, 1, 1, tzinfo=UTC)

#: Number format of each kind of column.
NUMBER_FORMATS: dict[str, str] = {
    "int": "#,##0",
    "count": "#,##0.0",
    "share": "0.0%",
    "pp": '+0.0" pp";-0.0" pp";0.0" pp"',
    "points": "+0.0;-0.0;0.0",
    "p": "[<0.0001]0.0E+00;0.0000",
    "number": "0.000",
    "se": "0.0000",
    "ratio": '0.00"x"',
    # A boolean cell: Excel shows TRUE/FALSE whatever the format, LibreOffice needs it.
    "bool": '"TRUE";"TRUE";"FALSE"',
}
#: A column's width in characters: the widest cell, within these bounds.
MIN_WIDTH, MAX_WIDTH = 6, 60
#: The widest a number of each kind is shown (a number's text is not measured).
NUMBER_WIDTHS: dict[str, int] = {
    "int": 9, "count": 10, "share": 7, "pp": 10, "points": 7, "p": 8, "number": 7, "se": 7,
    "ratio": 7, "bool": 6,
}  # fmt: skip
#: The height of one line of text in a row, in points.
ROW_HEIGHT = 15
#: Excel's longest cell text.
MAX_TEXT = 32767

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
#: Excel's limit on a sheet name's length.
SHEET_NAME_MAX = 31


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unused sheet name for ``wanted`` (which may come from the data): the
    characters Excel refuses (``[ ] : * ? / \\`` and control characters) become ``_``, an
    apostrophe at either end goes, the name is cut to 31 characters, and a name already
    in ``taken`` (Excel compares them ignoring case) gets " (2)", " (3)" ... within the
    limit. ``taken`` holds the names used so far, lowercased; the new one is added."""
    name = _SHEET_FORBIDDEN.sub("_", wanted).strip().strip("'").strip()
    if not name or name.lower() == "history":  # Excel reserves History
        name = f"Sheet {name}".strip()
    name = name[:SHEET_NAME_MAX].rstrip().rstrip("'")
    candidate, k = name, 1
    while candidate.lower() in taken:
        k += 1
        suffix = f" ({k})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)].rstrip().rstrip("'") + suffix
    taken.add(candidate.lower())
    return candidate


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula when it is typed in."""
    return text.startswith(_FORMULA_START)


def render_xlsx(result: BaseModel) -> bytes:
    """The workbook of an analysis, trend or check result (see the module docstring)."""
    from cxgap.render import kind_of
    from cxgap.render.xlsx_notes import notes_of

    return write_workbook(tables_of(result), notes_of(result), title=_TITLES[kind_of(result)])


_TITLES = {
    "analysis": "cxgap analysis",
    "trend": "cxgap trend",
    "check": "cxgap check",
}


def write_workbook(tables: list[Table], notes: Table, *, title: str) -> bytes:
    """The bytes of a workbook: a sheet per table, in order, then the notes."""
    import xlsxwriter

    buffer = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    book = xlsxwriter.Workbook(buffer, options)
    book.set_properties(
        {"title": title, "author": "cxgap", "comments": "Written by cxgap", "created": CREATED}
    )
    styles = _Styles(book)
    taken: set[str] = set()
    for table in [*tables, notes]:
        _write_table(book.add_worksheet(sheet_name(table.name, taken)), table, styles)
    book.close()
    return buffer.getvalue()


class _Styles:
    """The workbook's cell formats, made once."""

    def __init__(self, book: Any) -> None:
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                       "bottom": 1})  # fmt: skip
        self.header_quoted = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                              "bottom": 1, "quote_prefix": True})  # fmt: skip
        self.numbers = {kind: book.add_format({"num_format": f}) for kind, f in
                        NUMBER_FORMATS.items()}  # fmt: skip
        self.numbers["bool"].set_align("center")
        # A column of mixed values (the Notes): numbers as numbers, aligned with the text.
        self.numbers["value"] = book.add_format({"align": "left", "valign": "top"})
        self.text = book.add_format({"valign": "top"})
        self.wrap = book.add_format({"valign": "top", "text_wrap": True})
        self.quoted = book.add_format({"valign": "top", "quote_prefix": True})
        self.quoted_wrap = book.add_format({"valign": "top", "text_wrap": True,
                                            "quote_prefix": True})  # fmt: skip


def _write_table(sheet: Any, table: Table, styles: _Styles) -> None:
    kinds = [c.kind for c in table.columns]
    widths = [max(MIN_WIDTH, min(MAX_WIDTH, _header_width(c.header))) for c in table.columns]
    for col, column in enumerate(table.columns):
        _text(sheet, 0, col, column.header, styles.header, styles.header_quoted)
    for r, row in enumerate(table.rows, start=1):
        for col, (kind, value) in enumerate(zip(kinds, row, strict=True)):
            width = _write_cell(sheet, r, col, kind, value, styles, table.wrap)
            widths[col] = max(widths[col], min(MAX_WIDTH, width))
    shown = [column.width or width for column, width in zip(table.columns, widths, strict=True)]
    for col, width in enumerate(shown):
        sheet.set_column(col, col, width + 1)
    lines = max(math.ceil(len(c.header) / w) for c, w in zip(table.columns, shown, strict=True))
    if lines > 1:
        sheet.set_row(0, ROW_HEIGHT * lines)
    if table.wrap:  # a row as tall as its longest wrapped text (no spreadsheet measures it)
        for r, row in enumerate(table.rows, start=1):
            tall = max(_lines(v, w) for v, w in zip(row, shown, strict=True))
            if tall > 1:
                sheet.set_row(r, ROW_HEIGHT * tall)
    sheet.freeze_panes(1, 0)
    # Printed (or saved as PDF): landscape, as wide as one page, the header on every page.
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    if table.rows:
        sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)


def _lines(value: Cell, width: int) -> int:
    """How many lines a text cell wraps to in a column ``width`` characters wide."""
    if not isinstance(value, str):
        return 1
    per_line = max(1, width)
    return sum(max(1, math.ceil(len(line) / per_line)) for line in value.split("\n"))


def _header_width(header: str) -> int:
    """A header is shown whole on one line (wrapped only past :data:`MAX_WIDTH`)."""
    return len(header)


def _write_cell(sheet: Any, row: int, col: int, kind: str, value: Cell, styles: _Styles,
                wrap: bool) -> int:  # fmt: skip
    """Write one cell; the width its content needs."""
    if value is None:
        return 0
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, styles.numbers["bool"])
        return NUMBER_WIDTHS["bool"]
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return 0
        sheet.write_number(row, col, stable_float(number), styles.numbers.get(kind))
        return NUMBER_WIDTHS.get(kind, len(f"{number:,.0f}") + 4)
    plain, quoted = (styles.wrap, styles.quoted_wrap) if wrap else (styles.text, styles.quoted)
    return _text(sheet, row, col, value, plain, quoted)


def _text(sheet: Any, row: int, col: int, text: str, plain: Any, quoted: Any) -> int:
    """A string cell, never a formula; quote-prefixed when it looks like one."""
    text = text[:MAX_TEXT]
    sheet.write_string(row, col, text, quoted if looks_like_formula(text) else plain)
    return max((len(line) for line in text.splitlines()), default=0)


__all__ = ["CREATED", "NUMBER_FORMATS", "render_xlsx", "sheet_name", "write_workbook"]
