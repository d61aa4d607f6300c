"""The plain wide CSV: one header row, one row per respondent, one column per item."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from cxgap.errors import InputError
from cxgap.io.source import SurveyFile

_SNIFF_BYTES = 64 * 1024


class CsvSurvey(SurveyFile):
    """A UTF-8 CSV (a byte-order mark is allowed) with a single header row."""

    format = "csv"

    def __init__(self, path: Path, columns: Sequence[str], separator: str) -> None:
        super().__init__(path, columns, header_rows=1)
        self.separator = separator

    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        overrides: dict[str, pl.DataType | type[pl.DataType]] = dict.fromkeys(
            text_columns, pl.Categorical
        )
        overrides.update(dict.fromkeys(int_columns, pl.Int16))
        return pl.scan_csv(
            self.path,
            separator=self.separator,
            infer_schema=False,
            schema_overrides=overrides,
            # Our own parse of the header: polars keeps escaped quotes ("") in names.
            new_columns=list(self.columns),
        )


def open_csv(path: Path) -> CsvSurvey:
    """Read the header of a CSV and check it; the rows are read later, lazily."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", file=path) from None
    if not head.strip():
        raise InputError("the file is empty; expected a header row and responses", file=path)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut by the sniff window
            text = head[: exc.start].decode("utf-8-sig")
        else:
            raise InputError(
                f"not UTF-8 text (byte 0x{head[exc.start]:02x} at offset {exc.start})",
                file=path,
                hint="save the file as CSV UTF-8",
            ) from None
    separator = _guess_separator(text)
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=separator), [])
    except csv.Error as exc:
        raise InputError(f"the header row is not valid CSV: {exc}", file=path, row=1) from None
    if not any(cell.strip() for cell in header):
        raise InputError("the first row is blank; expected column names", file=path, row=1)
    _check_header(path, header)
    return CsvSurvey(path, header, separator)


def _guess_separator(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _check_header(path: Path, header: list[str]) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if not name.strip():
            raise InputError(
                f"column {position} has no name; every column needs a header", file=path, row=1
            )
        if name in seen:
            raise InputError(
                f"column {name!r} appears twice (columns {seen[name]} and {position}); "
                "expected unique column names",
                file=path,
                row=1,
            )
        seen[name] = position
