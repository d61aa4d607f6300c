"""Exports read whole into memory (xlsx, SPSS): small files, one frame of text out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from cxgap.errors import EmptyFile, InputError, Unreadable
from cxgap.io.expanded import rejoin_options
from cxgap.io.layout import build_layout, check_forced_qualtrics, detect_layout, unique_names
from cxgap.io.source import SurveyFile


class FrameSurvey(SurveyFile):
    """A survey already in memory as text columns."""

    def __init__(self, path: Path, frame: pl.DataFrame, header_rows: int, fmt: str) -> None:
        super().__init__(path, frame.columns, header_rows)
        # Rows empty in every column are no respondents (spreadsheets keep such rows).
        self.frame = frame.filter(pl.any_horizontal(pl.all().is_not_null()))
        self.format = fmt  # type: ignore[misc]

    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        return self.frame.lazy().with_columns(
            *(pl.col(c).cast(pl.Categorical) for c in text_columns),
            *(pl.col(c).cast(pl.Int16) for c in int_columns),
        )


def _text(value: object) -> str | None:
    """A cell as text: whole numbers without '.0' (Excel stores 4 as 4.0)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def open_xlsx(path: Path, layout: str | None = None, sheet: str | None = None) -> SurveyFile:
    """A sheet of an .xlsx workbook (Google Sheets, Microsoft Forms, SurveyMonkey): the
    one named ``sheet`` (``book.xlsx#Sheet``), else the first, with a reader note when
    the workbook has others."""
    sheets = _sheet_names(path)
    chosen = sheets[0] if sheet is None else _named_sheet(path, sheets, sheet)
    empty = EmptyFile(
        f"the workbook's {'first ' if sheet is None else ''}sheet {chosen!r} is empty"
        + (f" ({sheets_note(sheets)})" if len(sheets) > 1 else ""),
        file=path,
    )
    try:
        raw = pl.read_excel(path, sheet_name=chosen, has_header=False, infer_schema_length=0)
    except Exception as exc:  # fastexcel raises its own exception types
        reason = str(exc).splitlines()[0]
        if "empty" in reason.lower():  # a sheet without a cell
            raise empty from None
        raise Unreadable(f"not a readable .xlsx workbook: {reason}", file=path) from None
    rows = [[_text(v) for v in row] for row in raw.iter_rows()]
    if not rows:
        raise empty
    records = [[c or "" for c in row] for row in rows[:4]]
    if layout == "qualtrics":
        check_forced_qualtrics(path, records)
    kind = detect_layout(records, layout)
    found = build_layout(kind, records)
    names, notes = unique_names(found.names)
    body = rows[found.header_rows :]
    frame = pl.DataFrame(
        {name: [r[k] if k < len(r) else None for r in body] for k, name in enumerate(names)},
        schema=dict.fromkeys(names, pl.String),
    )
    survey = FrameSurvey(path, frame, found.header_rows, "xlsx")
    survey.labels, survey.metadata = found.labels, set(found.metadata)
    survey.notes = [f"{path}: {n}" for n in notes]
    if sheet is None and len(sheets) > 1:  # the first of several: say so, and how to choose
        survey.sheets = tuple(sheets)
        survey.notes.insert(0, f"{path}: {sheets_note(sheets)}; read {chosen!r} (another: "
                               f"{path}#SHEET)")  # fmt: skip
    if kind != "csv":
        survey.notes.append(f"{path}: read as a {kind} workbook ({found.header_rows} header rows)")
    return rejoin_options(survey, found)


def sheets_note(names: Sequence[str]) -> str:
    """'workbook has 2 sheets ('Notes', 'Data')' (the first ten named)."""
    shown = ", ".join(repr(n) for n in names[:10]) + (", ..." if len(names) > 10 else "")
    return f"workbook has {len(names)} sheets ({shown})"


def _sheet_names(path: Path) -> list[str]:
    import fastexcel  # loaded only for workbooks, as polars does

    try:
        names = list(fastexcel.read_excel(str(path)).sheet_names)
    except Exception as exc:  # fastexcel raises its own exception types
        raise Unreadable(
            f"not a readable .xlsx workbook: {str(exc).splitlines()[0]}", file=path
        ) from None
    if not names:
        raise EmptyFile("the workbook has no sheet", file=path)
    return names


def _named_sheet(path: Path, names: list[str], sheet: str) -> str:
    """The sheet named exactly ``sheet``; else an error listing the workbook's sheets."""
    if sheet in names:
        return sheet
    near = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
    hint = f"did you mean {near[0]!r}? " if near else ""
    raise InputError(
        f"no sheet {sheet!r} in this workbook: it {sheets_note(names).removeprefix('workbook ')}",
        file=path,
        hint=hint + "name the sheet after '#' exactly as its tab reads: book.xlsx#Sheet",
    )


def open_sav(path: Path) -> FrameSurvey:
    """An SPSS .sav file. Answers with value labels become their labels; others stay
    numbers. Each column's value labels are kept as ``value_labels`` (code -> label, the
    whole declared range): the scale they declare, and its direction, are decided from
    them (cxgap.code.declared.declared_scale). Read whole: files that Qualtrics writes lack
    the row count that chunked reading needs."""
    try:
        import pyreadstat
    except ImportError:  # pragma: no cover - a dependency
        raise Unreadable("reading .sav needs the pyreadstat package", file=path) from None
    try:
        data, meta = pyreadstat.read_sav(str(path), output_format="dict")
    except Exception as exc:  # pyreadstat raises ReadstatError and others
        raise Unreadable(
            f"not a readable SPSS file: {str(exc).splitlines()[0]}", file=path
        ) from None
    columns: dict[str, list[str | None]] = {}
    for name in meta.column_names:
        labels = meta.variable_value_labels.get(name, {})
        values = data[name]
        columns[name] = [
            labels.get(v, _text(v)) if v is not None and v == v else None  # v == v: not NaN
            for v in (values.tolist() if hasattr(values, "tolist") else values)
        ]
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    survey = FrameSurvey(path, frame, 0, "sav")
    survey.labels = {k: v for k, v in zip(meta.column_names, meta.column_labels, strict=False) if v}
    survey.value_labels = {
        name: {int(code): str(label) for code, label in labels.items() if float(code).is_integer()}
        for name, labels in meta.variable_value_labels.items()
        if all(isinstance(code, int | float) for code in labels)
    }
    return survey
