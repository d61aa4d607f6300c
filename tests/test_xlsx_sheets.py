"""Workbooks of several sheets: the first is read with a reader note naming the others,
``book.xlsx#Sheet`` reads another, and the no-items error says how."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from tests.conftest import Writer
from typer.testing import CliRunner

from cxgap import analyze, validate
from cxgap.cli import app
from cxgap.errors import InputError, NoCommonItems, OutputError, ReaderNote, UsageError
from cxgap.io import open_survey, write_output

LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
HEADER = ["respondent_id", "q1", "q2"]


def _rows(n: int, shift: int) -> list[list[str]]:
    return [[f"R{i}", LABELS[(i + shift) % 5], LABELS[(3 * i + shift) % 5]] for i in range(n)]


def _book(path: Path, sheets: list[tuple[str, list[list[str]]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    book.close()
    return path


NOTES = [["Exported by ACME"], ["see sheet 2"]]


@pytest.fixture
def leaders(table: Writer) -> Path:
    rows = _rows(30, 1)
    return table("leaders.csv", {h: [r[k] for r in rows] for k, h in enumerate(HEADER)})


def test_notes_first_stops_with_a_hint_naming_the_data_sheet(leaders: Path, tmp_path: Path) -> None:
    book = _book(tmp_path / "two.xlsx", [("Notes", NOTES), ("Data", [HEADER, *_rows(40, 2)])])
    with pytest.raises(NoCommonItems) as caught:
        analyze(leaders, book)
    assert caught.value.hint is not None
    assert caught.value.hint.startswith(
        f"{book} has 2 sheets and the first, 'Notes', was read: to read another, give {book}#Data; "
    )
    chosen = analyze(leaders, f"{book}#Data")
    assert chosen.groups[1].rows == 40
    assert not [w for w in chosen.warnings if "sheets" in w]  # named: nothing to say


def test_first_of_several_sheets_is_read_with_a_reader_note(leaders: Path, tmp_path: Path) -> None:
    book = _book(tmp_path / "b.xlsx", [("Data", [HEADER, *_rows(40, 2)]), ("Other", [["x"]])])
    note = f"{book}: workbook has 2 sheets ('Data', 'Other'); read 'Data' (another: {book}#SHEET)"
    result = analyze(leaders, book)
    assert result.groups[1].rows == 40
    assert note in result.warnings
    found = [p for p in validate([leaders, book]).problems if p.code == ReaderNote.code]
    assert [p.message for p in found] == [note]


def test_one_sheet_no_note(leaders: Path, tmp_path: Path) -> None:
    book = _book(tmp_path / "one.xlsx", [("Data", [HEADER, *_rows(40, 2)])])
    assert not [w for w in analyze(leaders, book).warnings if "sheets" in w]


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    book = _book(tmp_path / "b.xlsx", [("Notes", NOTES), ("Data", [HEADER, *_rows(5, 0)])])
    with pytest.raises(InputError) as caught:
        open_survey(f"{book}#data")
    assert caught.value.code == "input"
    assert caught.value.message == (
        "no sheet 'data' in this workbook: it has 2 sheets ('Notes', 'Data')"
    )
    assert caught.value.hint is not None and caught.value.hint.startswith("did you mean 'Data'?")
    with pytest.raises(InputError, match="'Notes'"):
        open_survey(_book(tmp_path / "e.xlsx", [("Notes", []), ("Data", [HEADER])]))


def test_sheet_of_a_csv_is_a_usage_error_and_a_hash_in_a_name_is_kept(
    leaders: Path, tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match=r"not an \.xlsx workbook"):
        open_survey(f"{leaders}#Data")
    odd = tmp_path / "survey#2.csv"
    odd.write_text(leaders.read_text())
    assert open_survey(odd).path == odd  # exists as written: not a sheet


def test_a_glob_of_workbooks_reads_the_named_sheet_of_each(tmp_path: Path) -> None:
    for wave in ("2026Q1", "2026Q2"):
        _book(tmp_path / f"c_{wave}.xlsx", [("Notes", NOTES), ("Data", [HEADER, *_rows(4, 0)])])
    survey = open_survey(f"{tmp_path}/c_*.xlsx#Data")
    assert "q1" in survey.columns


def test_cli_reads_the_named_sheet_and_never_writes_over_it(leaders: Path, tmp_path: Path) -> None:
    book = _book(tmp_path / "two.xlsx", [("Notes", NOTES), ("Data", [HEADER, *_rows(40, 2)])])
    run = CliRunner().invoke(app, ["analyze", str(leaders), f"{book}#Data", "-f", "json"])
    assert run.exit_code == 0, run.output
    with pytest.raises(OutputError):
        write_output(book, b"x", inputs=[Path(f"{book}#Data")])
    over = CliRunner().invoke(app, ["analyze", str(leaders), f"{book}#Data", "-o", str(book)])
    assert over.exit_code == 2 and "[output]" in over.output
