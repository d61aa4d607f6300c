"""A workbook's sheet named in its path: ``book.xlsx#Sheet``."""

from __future__ import annotations

from pathlib import Path


def split_sheet(path: str | Path) -> tuple[str | Path, str | None]:
    """``book.xlsx#Sheet`` -> (``book.xlsx``, ``Sheet``): the sheet of a workbook to read.
    A path that exists as written, '#' and all, is a file's own name."""
    text = str(path)
    if "#" not in text or Path(text).exists():
        return path, None
    base, sheet = text.rsplit("#", 1)
    if not sheet or not (Path(base).exists() or any(ch in base for ch in "*?[")):
        return path, None
    return base, sheet
