"""Pick the reader for a file."""

from __future__ import annotations

from pathlib import Path

from cxgap.errors import InputError, UsageError
from cxgap.io.csv import open_csv
from cxgap.io.parquet import open_parquet
from cxgap.io.source import SurveyFile

_PARQUET_MAGIC = b"PAR1"
SOURCES = ("auto", "csv", "parquet")


def open_survey(path: str | Path, source: str = "auto") -> SurveyFile:
    """Open a survey export, detecting its format from its content unless told."""
    path = Path(path)
    if source not in SOURCES:
        raise UsageError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    if path.is_dir():
        raise InputError("is a folder; expected a survey export file", file=path)
    if not path.exists():
        raise InputError("file not found", file=path)
    if source == "auto":
        source = "parquet" if _starts_with(path, _PARQUET_MAGIC) else "csv"
    if source == "parquet":
        return open_parquet(path)
    return open_csv(path)


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(magic)) == magic
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", file=path) from None
