"""Rows with a blank wave: counted in the pooled figures, left out of every wave, and
said so in every view (analyze, --wave, trend, check, validate, and from a counts file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import Writer

from cxgap import Config, analyze, analyze_counts, check, count, trend, validate
from cxgap.analysis.by_wave import analyze_wave
from cxgap.config.sections import CheckRules
from cxgap.counts import CountsFile
from cxgap.errors import BlankWave

LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
#: customers' waves: rows 0, 3, 6 ... blank (20 of 60); the first blank is row 2 of the file
CUSTOMER_WAVES = ["" if i % 3 == 0 else ("W1" if i % 2 else "W2") for i in range(60)]
BLANK = sum(w == "" for w in CUSTOMER_WAVES)


def _answers(n: int, coded: bool, shift: int) -> list[str]:
    codes = [(i * 7 + shift) % 5 for i in range(n)]
    return [str(1 + c) if coded else LABELS[c] for c in codes]


def _files(table: Writer, coded: bool, waves: list[str] = CUSTOMER_WAVES) -> tuple[Path, Path]:
    leaders = table(
        "leaders.csv",
        {"respondent_id": [f"L{i}" for i in range(40)], "wave": ["W1", "W2"] * 20,
         **{q: _answers(40, coded, k) for k, q in enumerate(("q1", "q2", "q3"))}},
    )  # fmt: skip
    customers = table(
        "customers.csv",
        {"respondent_id": [f"C{i}" for i in range(len(waves))], "wave": waves,
         **{q: _answers(len(waves), coded, k + 2) for k, q in enumerate(("q1", "q2", "q3"))}},
    )  # fmt: skip
    return leaders, customers


def _note(path: Path, fate: str, rows: int = BLANK, first: int = 2) -> str:
    return (
        f"customers: {rows} row(s) with a blank wave in column 'wave' ({path}, first at row "
        f"{first}): {fate}"
    )


POOLED = "counted in the pooled figures; trend, check and --wave leave them out of every wave"
WAVES = "left out of every wave (only a pooled analyze counts them)"


@pytest.mark.parametrize("coded", [False, True], ids=["labels", "integer codes"])
def test_pooled_counts_blank_wave_rows_and_each_wave_leaves_them_out(
    table: Writer, coded: bool
) -> None:
    leaders, customers = _files(table, coded)
    pooled = analyze(leaders, customers)
    assert pooled.groups[1].rows == 60  # counted in the pooled figures
    assert _note(customers, POOLED) in pooled.warnings
    for wave in ("W1", "W2"):
        one = analyze_wave(leaders, customers, wave=wave)
        labelled = sum(w == wave for w in CUSTOMER_WAVES)
        assert one.groups[1].rows == labelled  # the blank rows are in no wave
        assert _note(customers, WAVES) in one.warnings
        assert _note(customers, POOLED) not in one.warnings
    assert _note(customers, WAVES) in trend(leaders, customers).warnings
    gate = check(leaders, customers, Config(check=CheckRules(max_drop_pp=3)))
    assert gate.warnings.count(_note(customers, WAVES)) == 1


def test_first_blank_row_is_the_files_row(table: Writer) -> None:
    waves = ["W1"] * 60
    waves[7] = waves[9] = ""  # rows 9 and 11 of the file (the header is row 1)
    leaders, customers = _files(table, False, waves)
    assert _note(customers, POOLED, rows=2, first=9) in analyze(leaders, customers).warnings


def test_no_blank_wave_no_warning(table: Writer) -> None:
    leaders, customers = _files(table, False, ["W1", "W2"] * 30)
    assert not [w for w in analyze(leaders, customers).warnings if "blank" in w]
    assert not [w for w in trend(leaders, customers).warnings if "blank" in w]
    assert not [p for p in validate([leaders, customers]).problems if p.code == BlankWave.code]


def test_a_wave_column_blank_in_every_row_reads_as_no_waves(table: Writer) -> None:
    leaders, customers = _files(table, False, [""] * 60)
    note = (
        f"customers: column 'wave' is blank in every row ({customers}): read as a file "
        "without waves (its 60 rows count in every wave)"
    )
    assert note in analyze(leaders, customers).warnings
    one = analyze_wave(leaders, customers, wave="W1")
    assert one.groups[1].rows == 60 and note in one.warnings
    found = [p for p in validate([leaders, customers]).problems if p.code == BlankWave.code]
    assert [(p.severity, p.count, p.column, p.examples) for p in found] == [
        ("warning", 60, "wave", [])
    ]
    assert found[0].message.startswith("column 'wave' is blank in every row")


def test_validate_lists_blank_waves_as_a_warning(table: Writer) -> None:
    leaders, customers = _files(table, False)
    report = validate([leaders, customers])
    found = [p for p in report.problems if p.code == BlankWave.code]
    assert len(found) == 1 and report.valid
    problem = found[0]
    assert (problem.file, problem.column, problem.count, problem.severity) == (
        str(customers), "wave", BLANK, "warning",
    )  # fmt: skip
    assert [e.row for e in problem.examples] == [2, 5, 8]
    assert problem.message.startswith(f"{BLANK} of 60 row(s) have a blank wave")


@pytest.mark.parametrize("coded", [False, True], ids=["labels", "integer codes"])
def test_counts_file_keeps_the_warning(table: Writer, tmp_path: Path, coded: bool) -> None:
    leaders, customers = _files(table, coded)
    path = tmp_path / "counts.parquet"
    path.write_bytes(count(leaders, customers))
    assert _note(customers, POOLED) in analyze_counts(path).warnings
    counted = trend(CountsFile(path), CountsFile(path)).warnings
    assert counted == trend(leaders, customers).warnings
    assert _note(customers, WAVES) in counted
