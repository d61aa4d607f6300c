from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

Writer = Callable[..., Path]


def write_table(path: Path, columns: dict[str, Sequence[object]], *, sep: str = ",") -> Path:
    """Write a small wide CSV from columns (all the same length)."""
    names = list(columns)
    rows = zip(*(columns[n] for n in names), strict=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=sep, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    return path


@pytest.fixture
def table(tmp_path: Path) -> Writer:
    def make(name: str, columns: dict[str, Sequence[object]], **kw: str) -> Path:
        return write_table(tmp_path / name, columns, **kw)

    return make
