"""CSV and TSV exports: the plain wide layout and the platforms' header layouts."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from cxgap.errors import (
    BlankHeader,
    EmptyFile,
    InputError,
    RaggedRow,
    StrayQuote,
    UnclosedQuote,
    Unreadable,
)
from cxgap.io.expanded import rejoin_options
from cxgap.io.fields import FieldScan, QuoteProblem, format_lines, last_record_end, scan_fields
from cxgap.io.layout import (
    Layout,
    build_layout,
    check_forced_qualtrics,
    detect_layout,
    unique_names,
)
from cxgap.io.source import PARSER_WORDS, SurveyFile
from cxgap.io.text import read_head, utf8_source

#: How many records are read to recognise a layout.
_LAYOUT_RECORDS = 4
#: Bytes the field scan reads at a time: its working arrays are several times a block, so
#: 16 MB blocks cost 60 to 270 MB of memory where 1 MB blocks cost a few, no slower.
FIELD_SCAN_BLOCK = 1 << 20
#: A file up to this size has its field scan started at once, on a thread, while polars
#: reads it (see CsvSurvey.prefetch); a larger one is scanned only when needed.
EARLY_SCAN_BYTES = 64 << 20
#: The bytes first read for a head (see CsvSurvey.head).
HEAD_BYTES = 1 << 20


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
        self._fields: FieldScan | None = None
        self._early: _Early | None = None

    @property
    def plain_head(self) -> bool:  # type: ignore[override]
        return self.layout == "csv"  # a platform layout filters out empty rows

    @property
    def decimal_comma(self) -> bool:
        # a `;` or tab file (European Excel's CSV) writes 0,72; in a `,` file a comma
        # within a number could only be quoted, and may group thousands there
        return self.separator in (";", "\t")

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
            # A line with more fields than the header fails the read (then diagnose()
            # names it); one with fewer is padded, and check_ragged() finds it.
            truncate_ragged_lines=False,
        )
        if self.layout == "csv":
            return lf
        # Platform exports end with rows that are empty in every column (SurveyMonkey
        # writes hundreds): they are no respondents, so they are not counted at all.
        return lf.filter(pl.any_horizontal(pl.all().is_not_null()))

    def head(self, rows: int) -> pl.DataFrame:
        """The first ``rows`` responses as text, parsed from the file's first bytes alone (a
        plain file): a scan reads ahead in large blocks, which costs a wide file's sniff a
        third more time and memory. Anything the parse of those bytes stops on is left to
        the scan, whose error names the line."""
        if not self.plain_head:
            return super().head(rows)
        wanted = rows + self.header_rows + 1  # the last line read may be cut short
        with self.source.open("rb") as fh:
            data = fh.read(HEAD_BYTES)
            ended = len(data) < HEAD_BYTES
            while True:
                lines = data.count(b"\n")
                if ended or lines >= wanted:
                    found = self._parse_head(data if ended else data[: last_record_end(data)], rows)
                    if found is None:
                        return super().head(rows)
                    if ended or found.height >= rows:
                        return found
                    lines = found.height + self.header_rows  # quoted line breaks
                # read on, by the length of the lines so far, at most doubling what is read
                # (a long header or first answer makes the lines so far a poor guide)
                guess = len(data) * (wanted - lines) // max(lines, 1) * 5 // 4
                size = min(max(HEAD_BYTES, guess), len(data))
                more = fh.read(size)
                ended, data = len(more) < size, data + more

    def _parse_head(self, data: bytes, rows: int) -> pl.DataFrame | None:
        """The first ``rows`` responses of ``data`` (whole records), as the scan reads them."""
        try:
            return pl.read_csv(
                io.BytesIO(data), separator=self.separator, infer_schema=False,
                new_columns=list(self.columns), skip_rows_after_header=self.header_rows - 1,
                truncate_ragged_lines=False, n_rows=rows,
            )  # fmt: skip
        except pl.exceptions.PolarsError:
            return None

    def field_scan(self) -> FieldScan:  # a CSV always has one
        """Every line's field count against the header's (one pass, cached)."""
        if self._fields is None:
            early, self._early = self._early, None
            self._fields = early.result() if early is not None else self._scan()
        return self._fields

    def prefetch(self) -> None:
        """Start the field scan of a small file on a thread: the scan runs in Python while
        polars, which releases the interpreter, reads the rows. A short line is found
        only by the scan, and a small file's last column (which a short line leaves
        blank) is usually blank somewhere anyway."""
        if self._fields is None and self._early is None:
            with contextlib.suppress(OSError):  # unreadable: the read says so
                if self.source.stat().st_size <= EARLY_SCAN_BYTES:
                    self._early = _Early(self._scan)

    def _scan(self) -> FieldScan:
        return scan_fields(self.source, self.separator, chunk=FIELD_SCAN_BLOCK)

    def check_ragged(self, *, last_column_blanks: int | None = None) -> None:
        if last_column_blanks == 0:
            # No line is short; but a file scanned anyway (a small one, early) is held to
            # its quotes: polars may read past a bad one, garbling the answers around it.
            if self._early is not None or self._fields is not None:
                self.check_quotes()
            return
        found = self.field_scan()
        if found.quote is not None:  # it explains the ragged lines it makes
            raise quote_error(self.path, found, found.quote, self.columns)
        if found.ragged:
            raise ragged_error(self.path, found)

    def check_quotes(self) -> None:
        """Raise the error of the first quote the reader cannot read past, if any."""
        found = self.field_scan()
        if found.quote is not None:
            raise quote_error(self.path, found, found.quote, self.columns)

    def diagnose(self, reason: str) -> None:
        # polars: "found more fields than defined in 'Schema'", "CSV malformed" when a
        # stray quote runs a field across lines, "could not parse ..." at a quote that
        # never closes or text after a closing quote; the field scan names the line.
        if PARSER_WORDS.search(reason):
            self.check_ragged()


class _Early:
    """A field scan running on a daemon thread (it never holds up the exit of a run
    that stops early); its result, or its exception, when asked."""

    def __init__(self, scan: Callable[[], FieldScan]) -> None:
        self._scan = scan
        self._found: FieldScan | None = None
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cxgap-field-scan", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._found = self._scan()
        except BaseException as exc:  # handed to the caller of result()
            self._failed = exc

    def result(self) -> FieldScan:
        self._thread.join()
        if self._failed is not None:
            raise self._failed
        assert self._found is not None
        return self._found


RAGGED_HINT = (
    "a field holding the delimiter, a line break or a double quote must be in double "
    "quotes, its own quotes doubled"
)


def ragged_error(path: Path, found: FieldScan) -> RaggedRow:
    """The first ragged line, with how many there are and where."""
    line, fields = found.lines[0]
    message = RaggedRow.template.format(found=fields, expected=found.expected)
    if found.ragged > 1:
        message += f"; {found.ragged:,} ragged lines in all: {line_ranges(found)}"
    return RaggedRow(
        message,
        file=path,
        row=line,
        hint=RAGGED_HINT,
    )


QUOTE_HINT = (
    "a field holding the delimiter, a line break or a double quote is enclosed in double "
    "quotes, its own quotes doubled"
)


def quote_error(
    path: Path, found: FieldScan, quote: QuoteProblem, columns: Sequence[str]
) -> InputError:
    """The first quote the reader cannot read past, at its line and column."""
    column = (
        columns[quote.field]
        if quote.field < len(columns)
        else f"field {quote.field + 1} (the header has {found.expected})"
    )
    shown = _shown(quote.text)
    if quote.kind == "unclosed":
        if quote.closes:
            message = (
                f"the quote that opens this field ({shown}) closes only at line "
                f"{quote.closes}, so lines {quote.line}-{quote.closes} run together as one "
                f"answer; expected a closing quote before the end of line {quote.line}"
            )
        else:
            message = (
                f"a quote opened at line {quote.line} in column {column!r} never closes, so "
                f"the field ({shown}) would run to the end of the file; expected a closing "
                "quote before the end of the line"
            )
        return UnclosedQuote(message, file=path, row=quote.line, column=column, hint=QUOTE_HINT)
    if quote.kind == "after":
        message = (
            f"text after the closing quote of this field ({shown}); expected the delimiter "
            "or the end of the line right after a closing quote"
        )
        return StrayQuote(message, file=path, row=quote.line, column=column, hint=QUOTE_HINT)
    message = (
        f"a double quote inside this field ({shown}); line {quote.line} has {quote.fields} "
        "field(s) as CSV reads it, but RFC 4180 allows a quote only in a field enclosed "
        "in quotes, and the reader cannot read this one as written (a lone quote runs the "
        "line into the next ones, a pair around a delimiter splits the field)"
    )
    fixed = b'"' + quote.text.replace(b'"', b'""') + b'"'
    hint = "remove the quote, or enclose the field in double quotes and double its own"
    if len(quote.text) < 40:  # the whole field
        hint += ": " + _shown(fixed, limit=80, quoted=False)
    return StrayQuote(message, file=path, row=quote.line, column=column, hint=hint)


def _shown(text: bytes, limit: int = 30, *, quoted: bool = True) -> str:
    """A field's first characters as written, up to its first line break, escaped."""
    decoded = text.decode("utf-8", errors="replace")
    head = decoded.split("\n", 1)[0].rstrip("\r")
    cut = len(head) > limit or head != decoded
    head = head[:limit] + ("\u2026" if cut else "")
    return repr(head) if quoted else repr(head)[1:-1]


def line_ranges(found: FieldScan, limit: int = 12) -> str:
    """The ragged lines as ranges: ``5, 9-12, 40``; the first ``limit`` ranges, then a count."""
    return format_lines([line for line, _ in found.lines], found.ragged, limit)


def open_csv(path: Path, layout: str | None = None) -> SurveyFile:
    """Read the header of a CSV export and check it; the rows are read later, lazily."""
    text, encoding, notes = read_head(path)
    if not text.strip():
        raise EmptyFile(file=path)
    separator = _guess_separator(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        records = [row for _, row in zip(range(_LAYOUT_RECORDS), reader, strict=False)]
    except csv.Error as exc:
        raise Unreadable(f"the header is not valid CSV: {exc}", file=path, row=1) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise BlankHeader(file=path, row=1)
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
    return rejoin_options(survey, found)


#: The separator of a file whose header names one column: a byte text never holds, so
#: each line is one field (a decimal comma such as ``4,0`` stays one answer).
ONE_COLUMN = "\x1f"


#: The header's first record: up to its first line break outside quotes (a question's
#: text may hold line breaks, as Qualtrics and Google Forms headers do).
_FIRST_RECORD = re.compile(r'(?:[^"\r\n]|"[^"]*")*')
_QUOTED = re.compile(r'"[^"]*"')


def _guess_separator(text: str) -> str:
    record = _FIRST_RECORD.match(text)
    unquoted = _QUOTED.sub("", record.group(0) if record else "")
    counts = {sep: unquoted.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    if counts[best] > 0:
        return best
    return ONE_COLUMN if ONE_COLUMN not in text else ","
