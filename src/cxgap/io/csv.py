"""CSV and TSV exports: the plain wide layout and the platforms' header layouts."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from cxgap.errors import InputError
from cxgap.io.layout import (
    Layout,
    build_layout,
    check_forced_qualtrics,
    detect_layout,
    unique_names,
)
from cxgap.io.source import SurveyFile
from cxgap.io.text import read_head, utf8_source

#: How many records are read to recognise a layout.
_LAYOUT_RECORDS = 4


class CsvSurvey(SurveyFile):
    """A delimited text export; ``header_rows`` records precede the first response."""

    format = "csv"

    def __init__(self, path: Path, source: Path, layout: Layout, separator: str) -> None:
        super().__init__(path, layout.names, header_rows=layout.header_rows)
        self.source = source  # the UTF-8 file polars reads (path itself, or a copy)
        self.separator = separator
        self.layout = layout.kind
        self.labels = layout.labels
        self.metadata = set(layout.metadata)
        self.notes = list(layout.notes)

    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        overrides: dict[str, pl.DataType | type[pl.DataType]] = dict.fromkeys(
            text_columns, pl.Categorical
        )
        overrides.update(dict.fromkeys(int_columns, pl.Int16))
        lf = pl.scan_csv(
            self.source,
            separator=self.separator,
            infer_schema=False,
            schema_overrides=overrides,
            # Our own parse of the header: polars keeps escaped quotes ("") in names
            # and cannot read the platforms' extra header rows.
            new_columns=list(self.columns),
            skip_rows_after_header=self.header_rows - 1,
            truncate_ragged_lines=True,
        )
        if self.layout == "csv":
            return lf
        # Platform exports end with rows that are empty in every column (SurveyMonkey
        # writes hundreds): they are no respondents, so they are not counted at all.
        return lf.filter(pl.any_horizontal(pl.all().is_not_null()))


def open_csv(path: Path, layout: str | None = None) -> CsvSurvey:
    """Read the header of a CSV export and check it; the rows are read later, lazily."""
    text, encoding, notes = read_head(path)
    if not text.strip():
        raise InputError("the file is empty; expected a header row and responses", file=path)
    separator = _guess_separator(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        records = [row for _, row in zip(range(_LAYOUT_RECORDS), reader, strict=False)]
    except csv.Error as exc:
        raise InputError(f"the header is not valid CSV: {exc}", file=path, row=1) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise InputError("the first row is blank; expected column names", file=path, row=1)
    kind = detect_layout(records, layout)
    if layout == "qualtrics":
        check_forced_qualtrics(path, records)
    found = build_layout(kind, records)
    found.names, renamed = unique_names(found.names)
    found.notes += [f"{path}: {note}" for note in renamed]
    survey = CsvSurvey(path, utf8_source(path, encoding), found, separator)
    survey.notes = notes + survey.notes
    if kind != "csv":
        survey.notes.append(f"{path}: read as a {kind} export ({found.header_rows} header rows)")
    return survey


def _guess_separator(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","
