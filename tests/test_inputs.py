"""Inputs: platform layouts, the same input options on every command, wide exports,
and what a person sees of labels in the terminal."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from tests.conftest import ROOT
from typer.testing import CliRunner

from cxgap.cli import app
from cxgap.io import open_survey
from cxgap.io.source import duplicate_ids

FIXTURES = ROOT / "tests" / "fixtures"
REAL = ROOT.parent / "shared" / "real-exports"
runner = CliRunner()


def write_wide_surveymonkey(path: Path, columns: int, rows: int, empty_rows: int = 0) -> Path:
    """A SurveyMonkey-like export: two header rows, ``columns`` item columns of codes
    1-5, and trailing rows empty in every column (as the platform writes them)."""
    top = ["Respondent ID", "Collector ID"] + [f"Question {k // 4}" if k % 4 == 0 else ""
                                               for k in range(columns)]  # fmt: skip
    sub = ["", "", "Response"] + [f"Row {k % 4}" for k in range(1, columns)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(top)
        writer.writerow(sub)
        for r in range(rows):
            writer.writerow(
                [str(1000 + r), "7"] + [str((r * 7 + k) % 5 + 1) for k in range(columns)]
            )
        for _ in range(empty_rows):
            writer.writerow([""] * (columns + 2))
    return path


def test_wide_export_costs_follow_cells(tmp_path: Path) -> None:
    """1,072 columns x 222 rows with trailing empty rows (the shape of a real SurveyMonkey
    export): the empty-row filter over every column took ~10 s when pushed into the reader."""
    path = write_wide_surveymonkey(tmp_path / "wide.csv", 1070, 222, empty_rows=50)
    survey = open_survey(path)
    assert survey.header_rows == 2
    start = time.perf_counter()
    assert duplicate_ids(survey, "Respondent ID") == (0, [])
    assert time.perf_counter() - start < 2.0
