"""Pick the reader for a file."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from cxgap.errors import InputError, UsageError
from cxgap.io.csv import open_csv
from cxgap.io.multi import MultiFileSurvey
from cxgap.io.parquet import open_parquet
from cxgap.io.source import SurveyFile

_PARQUET_MAGIC = b"PAR1"
SOURCES = ("auto", "csv", "parquet")

#: Formats recognised by their first bytes but not read yet: say so plainly.
_NOT_YET = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx)"),
    (b"$FL2", "an SPSS data file (.sav)"),
    (b"$FL3", "an SPSS data file (.zsav)"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
)


def open_survey(
    path: str | Path | Sequence[str | Path], source: str = "auto", *, wave_column: str = "wave"
) -> SurveyFile:
    """Open a survey export, detecting its format from its content unless told.

    A glob pattern (``customers_2026Q*.csv``) or a list of paths opens every
    file as one survey, one wave per file (see MultiFileSurvey).
    """
    if not isinstance(path, str | Path):
        paths = [Path(p) for p in path]
        label = ", ".join(str(p) for p in paths)
        if len(paths) == 1:
            return open_survey(paths[0], source)
        return MultiFileSurvey(label, [open_survey(p, source) for p in paths], wave_column)
    if any(ch in str(path) for ch in "*?[") and not Path(path).exists():
        matches = sorted(glob.glob(str(path)))
        if not matches:
            raise InputError("no file matches this pattern", file=path)
        if len(matches) == 1:
            return open_survey(matches[0], source)
        parts = [open_survey(m, source) for m in matches]
        return MultiFileSurvey(str(path), parts, wave_column)
    path = Path(path)
    if source not in SOURCES:
        raise UsageError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    if path.is_dir():
        raise InputError("is a folder; expected a survey export file", file=path)
    if not path.exists():
        raise InputError("file not found", file=path)
    if source == "auto":
        head = _head(path, 8)
        for magic, kind in _NOT_YET:
            if head.startswith(magic):
                raise InputError(
                    f"this is {kind}; cxgap reads CSV (UTF-8) and Parquet so far",
                    file=path,
                    hint="export or save the responses as CSV UTF-8",
                )
        source = "parquet" if head.startswith(_PARQUET_MAGIC) else "csv"
    if source == "parquet":
        return open_parquet(path)
    return open_csv(path)


def _head(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", file=path) from None
