"""Pick the reader for a file."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

from cxgap.errors import FileNotFound, InputError, Unreadable, UsageError
from cxgap.io.csv import open_csv
from cxgap.io.frame import open_sav, open_xlsx
from cxgap.io.layout import LAYOUTS
from cxgap.io.multi import MultiFileSurvey
from cxgap.io.parquet import open_parquet
from cxgap.io.sheet_path import split_sheet
from cxgap.io.source import SurveyFile

#: What a file's first bytes say it is.
_MAGIC = ((b"PAR1", "parquet"), (b"PK\x03\x04", "xlsx"), (b"$FL2", "sav"), (b"$FL3", "sav"))
#: --source values: auto-detection, or a format / CSV layout named by the user.
SOURCES = ("auto", "parquet", "xlsx", "sav", *LAYOUTS)


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
    if source not in SOURCES:
        raise UsageError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    path, sheet = split_sheet(path)
    if any(ch in str(path) for ch in "*?[") and not Path(path).exists():
        matches = sorted(glob.glob(str(path)))
        if not matches:
            raise FileNotFound("no file matches this pattern", file=path)
        named = [m if sheet is None else f"{m}#{sheet}" for m in matches]
        if len(matches) == 1:
            return open_survey(named[0], source)
        parts = [open_survey(m, source) for m in named]
        return MultiFileSurvey(str(path), parts, wave_column)
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder; expected a survey export file", file=path)
    if not path.exists():
        raise FileNotFound(file=path)
    head = _head(path, 8)
    found = next((kind for magic, kind in _MAGIC if head.startswith(magic)), "text")
    if sheet is not None and found != "xlsx":
        raise UsageError(
            f"'#{sheet}' names a sheet, but this file is {found}, not an .xlsx workbook "
            "(a path with '#' in its name is read as written when that file exists)",
            file=path,
        )
    if found == "xlsx" and source in LAYOUTS:  # a workbook in a platform's layout
        return open_xlsx(path, source, sheet)
    if found != "text":
        if source not in ("auto", found):
            raise UsageError(f"--source {source}, but the file's content is {found}", file=path)
        if found == "parquet":
            return open_parquet(path)
        if found == "sav":
            return open_sav(path)
        return open_xlsx(path, sheet=sheet)
    if source in ("parquet", "xlsx", "sav"):
        raise InputError(f"expected a {source} file, found text", file=path)
    return open_csv(path, None if source == "auto" else source)


def _head(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise Unreadable(f"cannot open: {exc.strerror or exc}", file=path) from None
