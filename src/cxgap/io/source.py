"""The one shape every reader produces."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar, Literal, TypeVar

import polars as pl

from cxgap.errors import Unreadable
from cxgap.io.fields import FieldScan

T = TypeVar("T")


class SurveyFile(ABC):
    """A survey export opened for reading: its columns, and a lazy scan of its rows.

    ``scan(text_columns)`` returns a LazyFrame in which every column named in
    ``text_columns`` holds the answers as text (Categorical: each distinct
    answer is stored once, so grouping millions of rows stays cheap) and the
    other columns keep the reader's types. Columns known to hold only small
    integer codes can be asked for as ``int_columns``, which parse faster.
    """

    format: ClassVar[str]
    #: How many of the file's own columns one scanned column may combine (a rejoined
    #: item reads all its option columns): row-wise queries are that much wider.
    width_factor: int = 1
    #: False for a stand-in that remembers an export's columns but holds no rows
    has_rows: bool = True

    def __init__(self, path: Path, columns: Sequence[str], header_rows: int) -> None:
        self.path = path
        self.columns: tuple[str, ...] = tuple(columns)
        #: Lines before the first response; the first response is row header_rows + 1.
        self.header_rows = header_rows
        #: Question wording per column, where the export carries it.
        self.labels: dict[str, str] = {}
        #: Columns the platform adds (dates, status, IP address): never items.
        self.metadata: set[str] = set()
        #: What the reader had to do that a user should know (encoding, renamed columns).
        self.notes: list[str] = []
        #: Declared value labels per column (SPSS): code -> label, the whole declared range.
        self.value_labels: dict[str, dict[int, str]] = {}
        #: A workbook's sheets when it has several and none was named (the first is read).
        self.sheets: tuple[str, ...] = ()

    @abstractmethod
    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        """The rows, lazily: ``text_columns`` as Categorical strings, ``int_columns`` as
        Int16 (a value that is not a small integer then fails the query)."""

    #: The reader stops after the first rows of a head on the in-memory engine (a
    #: plain file scan: no filter, join or de-duplication that would need every row).
    plain_head = False

    def head(self, rows: int) -> pl.DataFrame:
        """The first ``rows`` responses, every column as text (for sniffing column kinds)."""
        query = self.scan([]).head(rows).select(pl.all().cast(pl.String))
        if self.plain_head:  # tens of milliseconds less than starting the streaming engine
            return collect_all([query], [self], engine="in-memory")[0]
        return self.collect(query)

    def row_number(self, index: int) -> int:
        """The 1-based row in the file of the response at 0-based ``index``."""
        return index + self.header_rows + 1

    def locate(self, index: int) -> tuple[Path, int]:
        """The file and 1-based row of the response at 0-based ``index``."""
        return self.path, self.row_number(index)

    def parts(self) -> list[SurveyFile]:
        """The files this survey reads (itself, or those it wraps or joins)."""
        return [self]

    @property
    def decimal_comma(self) -> bool:
        """Whether a number written ``0,72`` here means 0.72 (a weight's decimal comma):
        delimited text whose delimiter is not the comma says so; a survey that wraps or
        joins files, when every one of them does (never a guess for a comma file's row)."""
        inner = [part for part in self.parts() if part is not self]
        return bool(inner) and all(part.decimal_comma for part in inner)

    def field_scan(self) -> FieldScan | None:
        """Each line's field count against the header's; None for formats without lines."""
        return None

    def prefetch(self) -> None:
        """Start, in the background, what a check of the rows will need (a small CSV's
        field scan); formats without lines need nothing."""
        for part in self.parts():
            if part is not self:
                part.prefetch()

    def check_ragged(self, *, last_column_blanks: int | None = None) -> None:
        """Raise RaggedRow at the first line whose field count differs from the header's.

        Only delimited text has lines; other formats have nothing to check. A short
        line leaves the last column blank, so ``last_column_blanks`` = 0 (counted over
        every row) proves there is none and spares the scan.
        """
        for part in self.parts():
            if part is not self:
                part.check_ragged()

    def diagnose(self, reason: str) -> None:
        """After a reader failure: raise the catalogue error that explains it, if known."""
        for part in self.parts():
            if part is not self:
                part.diagnose(reason)

    def collect(self, query: pl.LazyFrame, *, width: int = 0) -> pl.DataFrame:
        """Run a query over this file, turning reader failures into InputError."""
        return collect_all([query], [self], width=width)[0]


#: Row-wise expressions over more columns than this run on the in-memory engine: the
#: streaming engine is slow on very wide horizontal expressions (seconds for 600 columns),
#: and exports that wide are small in rows.
WIDE_QUERY_COLUMNS = 64


def collect_all(
    queries: Sequence[pl.LazyFrame],
    files: Sequence[SurveyFile],
    *,
    width: int = 0,
    engine: Literal["in-memory", "streaming"] | None = None,
) -> list[pl.DataFrame]:
    """Run queries over several files in one go, on the streaming engine unless the
    queries combine more than WIDE_QUERY_COLUMNS columns row by row (``width``), or
    ``engine`` says which."""
    if engine is None:
        factor = max((_width_factor(f) for f in files), default=1)
        engine = "in-memory" if width * factor > WIDE_QUERY_COLUMNS else "streaming"
    try:
        return pl.collect_all(list(queries), engine=engine, optimizations=_flags(files))
    except pl.exceptions.PolarsError as exc:
        raise _unreadable(exc, files) from None


def collect_batches(
    query: pl.LazyFrame, survey: SurveyFile, *, rows: int
) -> Iterator[pl.DataFrame]:
    """A query's rows in batches of about ``rows`` rows (in no set order), on the streaming
    engine, turning reader failures into InputError as :func:`collect_all` does."""
    batches = query.collect_batches(
        chunk_size=rows, maintain_order=False, engine="streaming", optimizations=_flags([survey])
    )
    try:
        yield from batches
    except pl.exceptions.PolarsError as exc:
        raise _unreadable(exc, [survey]) from None


def _flags(files: Sequence[SurveyFile]) -> pl.QueryOptFlags:
    # A filter over every column of a wide file (the empty-row filter of platform
    # exports) pushed down into the CSV reader costs seconds and gigabytes for a few
    # hundred rows; above the file it costs what the cells cost.
    wide = any(len(f.columns) > WIDE_QUERY_COLUMNS for f in files)
    # Nor is the shared scan of two queries over one wide file cached for both (common
    # subplan elimination): with row-wise expressions over hundreds of columns that costs
    # seconds where reading the file twice costs milliseconds.
    return pl.QueryOptFlags(predicate_pushdown=not wide, comm_subplan_elim=not wide)


#: polars' words for a CSV it cannot split into fields: never shown as they are (they
#: quote raw data from the file, cut anywhere, with an unmatched backtick).
PARSER_WORDS = re.compile(r"could not parse|malformed|more fields", re.IGNORECASE)
UNPARSED = (
    "not valid CSV: the reader could not split it into fields (a field holding the "
    "delimiter, a line break or a double quote is written in double quotes, its own "
    "quotes doubled)"
)


def _unreadable(exc: BaseException, files: Sequence[SurveyFile]) -> Unreadable:
    """The catalogue error for a reader failure (a file's own diagnosis first)."""
    reason = first_line(exc)
    for f in files:
        f.diagnose(reason)
    if PARSER_WORDS.search(reason):
        reason = UNPARSED
    names = " or ".join(str(f.path) for f in files)
    return Unreadable(file=names, reason=reason)


def _width_factor(survey: SurveyFile) -> int:
    """The widest factor of a survey and the files it wraps."""
    inner = [_width_factor(p) for p in survey.parts() if p is not survey]
    return max([survey.width_factor, *inner])


def first_line(exc: BaseException) -> str:
    """An error's first line (its type's name when it has no text)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


#: What the API accepts as one group's data: a path, a glob pattern, several paths
#: (one wave per file), or a survey already opened.
Source = str | Path | SurveyFile | Sequence[str | Path]


class DedupedSurvey(SurveyFile):
    """Another survey with repeated respondent ids removed, keeping the first or last."""

    def __init__(self, inner: SurveyFile, id_column: str, keep: str) -> None:
        super().__init__(inner.path, inner.columns, inner.header_rows)
        self.inner, self.id_column, self.keep = inner, id_column, keep
        self.format = inner.format  # type: ignore[misc]
        self.labels, self.metadata, self.notes = inner.labels, inner.metadata, inner.notes
        self.value_labels = inner.value_labels

    def parts(self) -> list[SurveyFile]:
        return [self.inner]

    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        lf = self.inner.scan(text_columns, int_columns)
        return lf.unique(subset=[self.id_column], keep=self.keep, maintain_order=True)  # type: ignore[arg-type]


def duplicate_ids(survey: SurveyFile, id_column: str, examples: int = 3) -> tuple[int, list[str]]:
    """How many rows repeat an earlier respondent id (blank ids aside), and a few of them."""
    ids = pl.col(id_column).drop_nulls()
    lf = survey.scan([])
    counts = survey.collect(lf.select(ids.count().alias("n"), ids.n_unique().alias("u")))
    extra = int(counts["n"][0]) - int(counts["u"][0])
    if extra <= 0:
        return 0, []
    repeated = survey.collect(
        lf.drop_nulls(id_column)
        .group_by(id_column)
        .len()
        .filter(pl.col("len") > 1)
        .sort(id_column)
        .head(examples)
    )
    return extra, [str(v) for v in repeated[id_column].to_list()]


class FilteredSurvey(SurveyFile):
    """The rows of another survey whose ``column`` holds one of ``values`` (one group
    of a survey that both groups answered)."""

    def __init__(self, inner: SurveyFile, column: str, values: Sequence[str]) -> None:
        super().__init__(inner.path, inner.columns, inner.header_rows)
        self.inner, self.column, self.values = inner, column, list(values)
        self.format = inner.format  # type: ignore[misc]
        self.labels, self.metadata, self.notes = inner.labels, inner.metadata, inner.notes
        self.value_labels = inner.value_labels

    def parts(self) -> list[SurveyFile]:
        return [self.inner]

    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        lf = self.inner.scan(text_columns, int_columns)
        wanted = pl.col(self.column).cast(pl.String).str.strip_chars()
        return lf.filter(wanted.is_in(self.values))

    def locate(self, index: int) -> tuple[Path, int]:
        """Rows are numbered within the group here; name the group's row in the file."""
        rows = self.inner.collect(
            self.inner.scan([self.column])
            .with_row_index("__row")
            .filter(pl.col(self.column).cast(pl.String).str.strip_chars().is_in(self.values))
            .slice(index, 1)
            .select("__row")
        )
        return self.inner.locate(int(rows["__row"][0])) if rows.height else (self.path, index)
