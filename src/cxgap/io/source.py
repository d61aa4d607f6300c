"""The one shape every reader produces."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, TypeVar

import polars as pl

from cxgap.errors import InputError

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

    def __init__(self, path: Path, columns: Sequence[str], header_rows: int) -> None:
        self.path = path
        self.columns: tuple[str, ...] = tuple(columns)
        #: Lines before the first response; the first response is row header_rows + 1.
        self.header_rows = header_rows

    @abstractmethod
    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        """The rows, lazily: ``text_columns`` as Categorical strings, ``int_columns`` as
        Int16 (a value that is not a small integer then fails the query)."""

    def head(self, rows: int) -> pl.DataFrame:
        """The first ``rows`` responses, every column as text (for sniffing column kinds)."""
        query = self.scan([]).head(rows).select(pl.all().cast(pl.String))
        return self.collect(query)

    def row_number(self, index: int) -> int:
        """The 1-based row in the file of the response at 0-based ``index``."""
        return index + self.header_rows + 1

    def locate(self, index: int) -> tuple[Path, int]:
        """The file and 1-based row of the response at 0-based ``index``."""
        return self.path, self.row_number(index)

    def collect(self, query: pl.LazyFrame) -> pl.DataFrame:
        """Run a query over this file, turning reader failures into InputError."""
        return collect_all([query], [self])[0]


def collect_all(queries: Sequence[pl.LazyFrame], files: Sequence[SurveyFile]) -> list[pl.DataFrame]:
    """Run queries over several files in one go on the streaming engine."""
    try:
        return pl.collect_all(list(queries), engine="streaming")
    except pl.exceptions.PolarsError as exc:
        names = " or ".join(str(f.path) for f in files)
        raise InputError(f"cannot read: {_first_line(exc)}", file=names) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


#: What the API accepts as one group's data: a path, a glob pattern, several paths
#: (one wave per file), or a survey already opened.
Source = str | Path | SurveyFile | Sequence[str | Path]
