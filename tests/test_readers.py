"""Readers: one dataset in every format gives identical results; dirt is reported."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import ROOT
from typer.testing import CliRunner

from cxgap import Config, analyze
from cxgap.analysis.validation import validate
from cxgap.cli import app
from cxgap.errors import InputError
from cxgap.io import open_survey

FIXTURES = ROOT / "tests" / "fixtures"
FORMATS = FIXTURES / "formats"
DIRT = FIXTURES / "dirt"
REAL = ROOT.parent / "shared" / "real-exports"
runner = CliRunner()


def _stats(path: Path) -> list[tuple[str, list[int], int]]:
    result = analyze(FORMATS / "plain.csv", path)
    return sorted(
        (i.item, i.groups["customers"].distribution, i.groups["customers"].missing)
        for i in result.items
    )


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("bom-crlf.csv", "csv"),
        ("semicolon.csv", "csv"),
        ("excel-unicode.tsv", "csv"),
        ("windows-1252.csv", "csv"),
        ("qualtrics.csv", "qualtrics"),
        ("surveymonkey.csv", "surveymonkey"),
        ("google-forms.csv", "google-forms"),
        ("workbook.xlsx", None),
        ("spss.sav", None),
        ("parquet.parquet", None),
    ],
)
def test_every_format_gives_identical_results(name: str, layout: str | None) -> None:
    assert _stats(FORMATS / name) == _stats(FORMATS / "plain.csv")
    survey = open_survey(FORMATS / name)
    if layout is not None:
        assert getattr(survey, "layout", None) == layout


def test_platform_question_text_becomes_the_label() -> None:
    result = analyze(FORMATS / "plain.csv", FORMATS / "qualtrics.csv")
    labels = {i.item: i.label for i in result.items}
    assert labels["ambition_clear"] == "Question ambition_clear"  # newline folded


def test_source_override_changes_the_reading() -> None:
    forced = open_survey(FORMATS / "qualtrics.csv", "csv")
    assert forced.header_rows == 1
    with pytest.raises(InputError, match="expected a xlsx file"):
        open_survey(FORMATS / "plain.csv", "xlsx")


def _codes(report) -> dict[str, list]:  # type: ignore[no-untyped-def]
    out: dict[str, list] = {}  # type: ignore[type-arg]
    for p in report.problems:
        out.setdefault(p.code, []).append(p)
    return out


@pytest.mark.parametrize(
    ("name", "code", "severity", "count"),
    [
        ("empty.csv", "empty-file", "error", 1),
        ("header-only.csv", "header-only", "error", 0),
        ("duplicate-ids.csv", "duplicate-id", "warning", 2),
        ("unknown-labels.csv", "off-scale", "error", 6),
        ("nan-text.csv", "nan-text", "error", 2),
        ("all-missing.csv", "all-missing", "warning", 3),
        ("straight-liners.csv", "straight-liners", "warning", 2),
        ("trailing-comma.csv", "reader-note", "warning", 1),
    ],
)
def test_validate_finds_each_kind_of_dirt(name: str, code: str, severity: str, count: int) -> None:
    # answers off the scale are an error of an item the user named (else: not an item)
    named = Config(include_items=["q"]) if code in ("off-scale", "nan-text") else None
    report = validate([DIRT / name], named)
    found = _codes(report).get(code)
    assert found, report.problems
    assert (found[0].severity, found[0].count) == (severity, count)
    assert report.valid == (severity == "warning")


def test_validate_examples_name_rows_and_values() -> None:
    report = validate([DIRT / "unknown-labels.csv"], Config(include_items=["q"]))
    problem = _codes(report)["off-scale"][0]
    assert problem.column == "q"
    assert "'Agreee' (3x)" in problem.message and "'agree strongly!' (3x)" in problem.message
    assert [(e.row, e.value) for e in problem.examples][:2] == [
        (3, "Agreee"),
        (6, "agree strongly!"),
    ]
    dupes = _codes(validate([DIRT / "duplicate-ids.csv"]))["duplicate-id"][0]
    assert [e.value for e in dupes.examples] == ["A", "B"]


def test_validate_pair_reports_items_in_one_file(tmp_path: Path) -> None:
    (tmp_path / "l.csv").write_text("q,only_l\n5,4\n")
    (tmp_path / "c.csv").write_text("q,only_c\n1,2\n")
    report = validate([tmp_path / "l.csv", tmp_path / "c.csv"])
    only = _codes(report)["only-in-one-file"]
    assert {p.message.split(": ")[-1] for p in only} == {"only_l", "only_c"}


def test_duplicates_policies() -> None:
    path = DIRT / "duplicate-ids.csv"
    with pytest.raises(InputError, match=r"2 row\(s\) repeat a respondent id \(e.g. A, B\)"):
        analyze(path, path, Config(duplicates="error"))
    first = analyze(path, path, Config(duplicates="keep_first", headline_item="q"))
    last = analyze(path, path, Config(duplicates="keep_last", headline_item="q"))
    assert first.items[0].groups["leaders"].distribution == [0, 1, 0, 1, 1]  # A=5, B=4, C=2
    assert last.items[0].groups["leaders"].distribution == [1, 1, 1, 0, 0]  # A=1, B=3, C=2
    assert any("kept the first row" in w for w in first.warnings)
    unchecked = analyze(path, path, Config(headline_item="q"))
    assert unchecked.items[0].groups["leaders"].n == 5


def test_unknown_answers_as_missing() -> None:
    path = DIRT / "unknown-labels.csv"
    with pytest.raises(InputError):
        analyze(path, path)
    result = analyze(path, path, Config(unknown_answers="missing", headline_item="q"))
    q = result.items[0]
    assert (q.groups["leaders"].n, q.groups["leaders"].missing) == (9, 6)
    assert any("counted as missing (every file): 'Agreee' (6x)" in w for w in result.warnings)


def test_custom_vocabulary(tmp_path: Path) -> None:
    (tmp_path / "l.csv").write_text("q\nExtremely helpful\nSlightly helpful\nNot helpful\n")
    cfg = Config.model_validate(
        {
            "vocabularies": {"helpful": ["Not helpful", "Slightly helpful", "Extremely helpful"]},
            "agree": "top-box",
        }
    )
    result = analyze(tmp_path / "l.csv", tmp_path / "l.csv", cfg)
    assert result.items[0].scale.name == "helpful"
    assert result.items[0].groups["leaders"].agree == 1


def test_qualtrics_slider_ends_and_decimal_commas(tmp_path: Path) -> None:
    (tmp_path / "l.csv").write_text('q\n"Very likely\n7"\n6\nNot at all likely1\n4\n')
    (tmp_path / "c.csv").write_text("q\n7,0\n6,0\n1,0\n")
    result = analyze(tmp_path / "l.csv", tmp_path / "c.csv", Config(scale="1-7"))
    q = result.items[0]
    assert q.groups["leaders"].distribution == [1, 0, 0, 1, 0, 1, 1]
    assert q.groups["customers"].distribution == [1, 0, 0, 0, 0, 1, 1]


def test_validate_cli_exit_codes_and_json(tmp_path: Path) -> None:
    out = runner.invoke(app, ["validate", str(DIRT / "straight-liners.csv")])
    assert out.exit_code == 0 and "straight-liners" in out.stdout
    out = runner.invoke(app, ["validate", str(DIRT / "unknown-labels.csv"), "-f", "json"])
    assert out.exit_code == 1
    report = json.loads(out.stdout)
    assert report["kind"] == "validate" and report["errors"] == 1


ANSWERS = ["1", "2", "3", "4", "5", "", "N/A", "Agree", "Strongly disagree"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ANSWERS), min_size=2, max_size=30))
def test_valid_data_round_trips_through_every_writer(values: list[str]) -> None:
    frame = pl.DataFrame({"respondent_id": [f"r{i}" for i in range(len(values))], "q": values})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        frame.write_csv(folder / "a.csv")
        frame.write_parquet(folder / "a.parquet")
        text = frame.write_csv(separator="\t")
        (folder / "a.tsv").write_bytes(text.encode("utf-16"))
        (folder / "a.semi.csv").write_text(frame.write_csv(separator=";"))
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(frame.columns)
        for row in frame.iter_rows():
            sheet.append([v or None for v in row])
        book.save(folder / "a.xlsx")
        cfg = Config(headline_item="q", include_items=["q"])  # named: one answer is an item
        try:
            base = analyze(folder / "a.csv", folder / "a.csv", cfg).items[0]
        except InputError:
            return  # e.g. no valid answer at all, or labels and codes that fit no one scale
        for name in ("a.parquet", "a.tsv", "a.semi.csv", "a.xlsx"):
            other = analyze(folder / "a.csv", folder / name, cfg).items[0]
            assert (
                other.groups["customers"].distribution == base.groups["customers"].distribution
            ), name
            assert other.groups["customers"].missing == base.groups["customers"].missing, name


# What a reader must make of each real export (README of ../shared/real-exports).
REAL_EXPORTS = [
    ("qualtrics/qt-legacy-no-basis.csv", "qualtrics-legacy", 15),
    ("qualtrics/qt2016-insights-no-basis.csv", "qualtrics", 15),
    ("qualtrics/qt2016-insights-better-sample.csv", "qualtrics", 10),
    ("qualtrics/qt-legacy-single-matrix.csv", "qualtrics-legacy", 5),
    ("qualtrics/qt-legacy-many-types.csv", "qualtrics-legacy", 5),
    ("qualtrics/qt2016-insights-many-types.csv", "qualtrics", 5),
    ("qualtrics/qt2020-choicetext-privacy-study.csv", "qualtrics", 356),
    ("qualtrics/qt2023-choicetext-student-satisfaction-testdata.csv", "qualtrics", 25),
    ("qualtrics/qt2025-tsv-utf16-ospo-testdata.tsv", "qualtrics", 15),
    ("surveymonkey/sm-todo-ospo2018.csv", "surveymonkey", 748),
    ("surveymonkey/sm-todo-ospo2020.csv", "surveymonkey", 1026),
    ("surveymonkey/sm-todo-ospo2024-numeric.csv", "surveymonkey", 222),
    ("surveymonkey/sm-todo-ospo2024-text.csv", "surveymonkey", 222),
    ("surveymonkey/sm-program-satisfaction-no-metadata.csv", "surveymonkey", 485),
    ("surveymonkey/sm-ohbm2022-pandas-resaved.csv", "surveymonkey", 311),
    ("google-forms/gf-hotdog-sp24-sheets-download.csv", "google-forms", 91),
    ("google-forms/gf-hotdog-sp24-excel-resaved.csv", "google-forms", 91),
    ("google-forms/gf-hotdog-sp25-sheets-download.csv", "google-forms", 64),
    ("google-forms/gf-hotdog-fa22-sheets.xlsx", None, 194),
    ("google-forms/gf-hotdog-fa25-sheets.xlsx", None, 207),
    ("ms-forms/msf-example-fake-people.xlsx", None, 3),
    ("ms-forms/msf-hotdog-fa24-csv.csv", "csv", 187),
    ("spss/spss-qualtrics-student-satisfaction-testdata.sav", None, 25),
    ("spss/spss-gss1991.sav", None, 1517),
    ("spss/spss-pallant-survey.sav", None, 439),
]


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real exports not present")
@pytest.mark.parametrize(("name", "layout", "rows"), REAL_EXPORTS)
def test_real_exports_read_with_the_right_layout_and_rows(
    name: str, layout: str | None, rows: int
) -> None:
    survey = open_survey(REAL / name)
    assert getattr(survey, "layout", None) == layout or layout is None
    assert survey.collect(survey.scan([]).select(pl.len()))[0, 0] == rows


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real exports not present")
def test_real_two_group_export_analyses() -> None:
    """The OHBM survey splits by membership; the SurveyMonkey satisfaction matrix reads."""
    path = REAL / "surveymonkey" / "sm-program-satisfaction-no-metadata.csv"
    result = analyze(path, path, Config())
    names = [i.item for i in result.items]
    assert any(n.startswith("Please indicate how strongly you agree") for n in names)
    matrix = next(i for i in result.items if "Staff do a good job" in i.item)
    assert matrix.scale.name == "agreement-5"
    assert matrix.groups["leaders"].missing == 21


def test_one_export_split_by_a_group_column(tmp_path: Path) -> None:
    both = tmp_path / "both.csv"
    both.write_text(
        "role,q,r\nLeader,5,4\nLeader,4,4\nCustomer,1,5\nleader,2,2\nCustomer,2,1\nCustomer,,3\n"
        ",3,3\n"
    )
    (tmp_path / "l.csv").write_text("q,r\n5,4\n4,4\n")
    (tmp_path / "c.csv").write_text("q,r\n1,5\n2,1\n,3\n")
    cfg = Config(group_column="role", leaders_values=["Leader"], customers_values=["Customer"])
    split = analyze(both, both, cfg)
    apart = analyze(tmp_path / "l.csv", tmp_path / "c.csv")
    assert [i.model_dump() for i in split.items] == [i.model_dump() for i in apart.items]
    assert any("2 row(s) have a 'role' value that marks no group" in w
               and "'leader' (1x), blank (1x)" in w for w in split.warnings)  # fmt: skip
    out = runner.invoke(app, ["analyze", str(both), "--group-column", "role", "--leaders-value",
                              "Leader", "--customers-value", "Customer", "-f", "json"])  # fmt: skip
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["groups"][1]["rows"] == 3


def test_group_column_config_is_checked(tmp_path: Path) -> None:
    from cxgap.config import build_config
    from cxgap.errors import ConfigError

    with pytest.raises(ConfigError, match="leaders_values and customers_values"):
        build_config({"group_column": "role"})
    path = tmp_path / "x.csv"
    path.write_text("q\n5\n")
    cfg = Config(group_column="role", leaders_values=["a"], customers_values=["b"])
    with pytest.raises(ConfigError, match="group_column 'role'"):
        analyze(path, path, cfg)


def test_cli_source_option() -> None:
    plain, qualtrics = str(FORMATS / "plain.csv"), str(FORMATS / "qualtrics.csv")
    out = runner.invoke(app, ["analyze", plain, qualtrics, "--source", "qualtrics", "-f", "json"])
    # obeyed, and checked: plain.csv's first responses do not look like header rows
    assert out.exit_code == 2 and "row 2 does not look like Qualtrics" in out.stderr
    out = runner.invoke(
        app, ["analyze", qualtrics, qualtrics, "--source", "qualtrics", "-f", "json"]
    )
    forced = json.loads(out.stdout)
    assert (forced["groups"][0]["rows"], forced["groups"][1]["rows"]) == (40, 40)
    assert f"{qualtrics}: read as a qualtrics export (3 header rows)" in forced["warnings"]
    out = runner.invoke(app, ["analyze", plain, qualtrics, "-f", "json"])
    assert out.exit_code == 0 and json.loads(out.stdout)["groups"][1]["rows"] == 40
    out = runner.invoke(app, ["analyze", plain, qualtrics, "--source", "sas"])
    assert out.exit_code == 2 and "unknown source 'sas'" in out.stderr


_HEAD_CASES = {
    # a quoted field with line breaks, across any block boundary
    "quoted": 'a,b,c\n1,"x\ny\nz",3\n'
    + "".join(f'{i},"t,{i}\n""q""",{i % 5}\n' for i in range(60)),
    "bom-crlf": "\ufeffa,b\r\n" + "".join(f"{i},{i % 7}\r\n" for i in range(80)),
    "no-final-newline": "a,b\n" + "\n".join(f"{i},v{i}" for i in range(50)),
    "blank-lines": "a,b\n\n1,2\n\n\n3,4\n" + "".join(f"{i},{i}\n" for i in range(40)),
    "short-lines": "a,b,c\n1,2\n3\n" + "".join(f"{i},{i},{i}\n" for i in range(40)),
    "long-line": "a,b\n1,2\n3,4,5\n" + "".join(f"{i},{i}\n" for i in range(40)),
    "header-only": "a,b,c\n",
    "empty-fields": "a,b\n,\n" + ",x\n" * 30,
}


@pytest.mark.parametrize("name", sorted(_HEAD_CASES))
@pytest.mark.parametrize("block", [7, 64, 1 << 20])
def test_head_from_the_first_bytes_reads_as_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, block: int
) -> None:
    """A plain CSV's head is parsed from its first bytes: whatever the block it starts
    with, it reads the rows (or fails) as a scan of the whole file does."""
    import cxgap.io.csv as csv_io
    from cxgap.io.source import SurveyFile

    path = tmp_path / f"{name}.csv"
    path.write_bytes(_HEAD_CASES[name].encode("utf-8"))
    monkeypatch.setattr(csv_io, "HEAD_BYTES", block)
    survey = open_survey(path)
    assert survey.plain_head
    for rows in (1, 3, 25, 1000):
        try:
            expected: pl.DataFrame | str = SurveyFile.head(survey, rows)
        except InputError as exc:
            expected = str(exc)
        try:
            found: pl.DataFrame | str = survey.head(rows)
        except InputError as exc:
            found = str(exc)
        if isinstance(expected, str):
            assert found == expected, (name, rows)
        else:
            assert isinstance(found, pl.DataFrame), (name, rows, found)
            assert found.equals(expected), (name, rows, found, expected)
            assert found.height == min(rows, expected.height)


def test_head_reads_about_what_its_rows_need(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long first answer makes the first block's lines a poor guide to the rest: the
    head reads on at most doubling what it has, not by that guess (which read whole
    files)."""
    import cxgap.io.csv as csv_io
    from cxgap.io.source import SurveyFile

    lines = ["a,b", "1," + "x" * 5000, *(f"{i},{i % 5}" for i in range(20_000))]
    path = tmp_path / "long-first.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(csv_io, "HEAD_BYTES", 1024)
    parsed: list[int] = []
    parse = csv_io.CsvSurvey._parse_head

    def counted(self: csv_io.CsvSurvey, data: bytes, rows: int) -> pl.DataFrame | None:
        parsed.append(len(data))
        return parse(self, data, rows)

    monkeypatch.setattr(csv_io.CsvSurvey, "_parse_head", counted)
    survey = open_survey(path)
    found = survey.head(100)
    assert found.equals(SurveyFile.head(survey, 100))
    needed = sum(len(line) + 1 for line in lines[:102])
    assert parsed and max(parsed) <= 2 * needed, (parsed, needed)
