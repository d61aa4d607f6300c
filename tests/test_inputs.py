"""Inputs: platform layouts, the same input options on every command, wide exports,
and what a person sees of labels in the terminal."""

from __future__ import annotations

import csv
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
    # Speed is measured by `make bench` (the wide case), not timed here.
    assert duplicate_ids(survey, "Respondent ID") == (0, [])


# What a person sees -------------------------------------------------------------------


def _bracket_files(tmp_path: Path) -> tuple[Path, Path]:
    header = '"Rate us [Speed]","Rate us [Price]","I read [/r/rstats] daily","STEM_outreach"\n'
    leaders = tmp_path / "leaders.csv"
    customers = tmp_path / "customers.csv"
    lead_rows = [(5, 4, 3, 2), (4, 4, 5, 5), (2, 5, 4, 4)] * 5
    cust_rows = [(1, 2, 3, 4), (2, 4, 1, 5), (3, 3, 3, 1)] * 5
    leaders.write_text(header + "".join(",".join(map(str, r)) + "\n" for r in lead_rows))
    customers.write_text(header + "".join(",".join(map(str, r)) + "\n" for r in cust_rows))
    return leaders, customers


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_labels_print_literally_in_analyze(tmp_path: Path, fmt: str) -> None:
    leaders, customers = _bracket_files(tmp_path)
    out = runner.invoke(app, ["analyze", str(leaders), str(customers), "-f", fmt])
    assert out.exit_code == 0, out.stderr
    for label in ("Rate us [Speed]", "Rate us [Price]", "I read [/r/rstats] daily",
                  "STEM_outreach"):  # fmt: skip
        assert label in out.stdout


def test_labels_print_literally_in_validate(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    answers = ["1", "2", "3", "4", "5", "4", "3", "2", "maybe", "5"]
    bad.write_text('"I read [/r/rstats] daily",x\n' + "".join(f"{a},{k}\n" for k, a in
                                                               enumerate(answers)))  # fmt: skip
    for fmt in ("table", "lines"):
        out = runner.invoke(app, ["validate", str(bad), "--source", "csv", "-f", fmt])
        assert out.exit_code == 0, out.stderr  # 'maybe' is a stray: a warning, as in analyze
        assert "[/r/rstats]" in out.stdout, fmt


def test_item_names_keep_their_case_and_underscores(tmp_path: Path) -> None:
    from cxgap import analyze

    leaders, customers = _bracket_files(tmp_path)
    labels = {i.item: i.label for i in analyze(leaders, customers).items}
    assert labels["STEM_outreach"] == "STEM_outreach"


def _sample_result():  # type: ignore[no-untyped-def]
    from cxgap import analyze
    from cxgap.config import load_config

    sample = ROOT / "data" / "sample"
    # unweighted: the layout of every column (a weighted group has no Mann-Whitney test)
    cfg = load_config(sample / "cxgap.toml", {"weight_column": "none"})
    return analyze(sample / "leaders.csv", sample / "customers.csv", cfg)


@pytest.mark.parametrize(
    ("width", "headers", "absent"),
    [
        (140, ["Ratio", "Whitney p", "Gap"], []),
        (100, ["Gap", "Finding"], ["Ratio", "Whitney"]),
        (80, ["Finding"], ["Ratio", "Whitney", "to +"]),
    ],
)
def test_table_fits_the_terminal(width: int, headers: list[str], absent: list[str]) -> None:
    import re

    from cxgap.render.table import render_table

    result = _sample_result()
    text = render_table(result, width=width)
    table = text.split("\n\n")[1]
    assert all(len(line) <= width for line in text.splitlines())
    head = table.split("\u2500")[0]  # the column headers (the caption may name a test)
    for word in headers:
        assert word in head
    for word in absent:
        assert word not in head
    # A column left out is named under the table (with how to see it).
    note = " ".join(text.split("Not shown at this width: ", 1)[1:]).split("(a wider")[0]
    named = {140: "", 100: "Ratio, Mann-Whitney p ", 80: "Gap 95% CI, Ratio, Mann-Whitney p "}
    assert " ".join(note.split()) + (" " if note else "") == named[width]
    # Numbers are never split: every share, interval and n is whole on one line.
    for item in result.items:
        for g in (item.groups["leaders"], item.groups["customers"]):
            assert re.search(rf"{g.share * 100:.0f}% \({g.ci[0] * 100:.0f}–{g.ci[1] * 100:.0f}\)",
                             table)  # fmt: skip
            assert f"n={g.n:,}" in table
        assert re.search(rf"(?<![\d+-]){re.escape(f'{item.primary.gap * 100:+.0f}')}(?!\d)", table)
    # Labels take one or two lines, long ones end with an ellipsis.
    body = table.split("\u2500\n", 1)[1].split("\nAgree = ")[0].splitlines()
    assert len(body) <= 2 * len(result.items)
    if width < 140:
        assert "\u2026" in table
    else:  # at 140 the sample's labels fit whole on their two lines
        assert "\u2026" not in table
        assert all(w in table for i in result.items for w in i.label.split())
    flagged = [i.label for i in result.items if i.primary.flag]
    assert flagged and all(label in text for label in flagged)  # findings: the full wording


# Every command takes the same inputs ---------------------------------------------------


def _one_export(path: Path) -> Path:
    """Both groups in one file (role L/C), two waves, three items on 1-5."""
    rows = ["respondent_id,role,wave,q1,q2,q3"]
    for i in range(80):
        lead = i % 2 == 0
        codes = [(i * (k + 3)) % (3 if lead else 5) + (3 if lead else 1) for k in range(3)]
        rows.append(f"R{i},{'L' if lead else 'C'},{'2026Q1' if i < 40 else '2026Q2'},"
                    + ",".join(map(str, codes)))  # fmt: skip
    path.write_text("\n".join(rows) + "\n")
    return path


def _command(name: str, data: Path, tmp: Path) -> list[str]:
    d = str(data)
    return {
        "analyze": ["analyze", d, d, "-f", "json"],
        "analyze --wave": ["analyze", d, d, "--wave", "latest", "-f", "json"],
        "validate": ["validate", d, "-f", "json"],
        "trend": ["trend", d, d, "-f", "json"],
        "check": ["check", d, d, "-f", "json", "--max-gap-pp", "100"],
        "chart": ["chart", "dumbbell", d, d, "-o", str(tmp / "c.svg")],
        "deck": ["deck", d, d, "-o", str(tmp / "d.pptx")],
        "report": ["report", d, d, "-o", str(tmp / "r.html")],
    }[name]


COMMANDS = ["analyze", "analyze --wave", "validate", "trend", "check", "chart", "deck", "report"]
GROUPS = {"--group-column": ["role"], "--leaders-value": ["L"], "--customers-value": ["C"]}
#: Each input option, a value that must change what the command does, and what it then says.
POISON = {
    "--source": (["sav"], "expected a sav file, found text"),
    "--group-column": (["nosuch"], "group_column 'nosuch'"),
    "--leaders-value": (["C"], "overlap"),
    "--customers-value": (["L"], "overlap"),
    "--scale": (["1-3"], "1-3"),
    "--id-column": (["nosuch"], "id_column 'nosuch' is not a column"),
    "--weights": (["nosuch"], "weight_column 'nosuch' is not a column"),
    "--include": (
        ["nosuch"],
        "include_items (names item|'nosuch' matches no column)|no columns that could be items",
    ),
    "--exclude": (["q*"], "no items in common|no item is in both|no column holds answers"),
}


def _flags(options: dict[str, list[str]]) -> list[str]:
    return [part for flag, values in options.items() for v in values for part in (flag, v)]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("option", list(POISON))
def test_every_command_honours_every_input_option(
    tmp_path: Path, command: str, option: str
) -> None:
    import re

    data = _one_export(tmp_path / "both.csv")
    base = _command(command, data, tmp_path)
    ok = runner.invoke(app, [*base, *_flags(GROUPS)])
    assert ok.exit_code == 0, ok.stderr
    values, said = POISON[option]
    out = runner.invoke(app, [*base, *_flags({**GROUPS, option: values})])
    if command == "validate" and out.exit_code != 2:  # problems reported, not raised
        assert out.exit_code == 1, out.stderr
        assert re.search(said, out.stdout), out.stdout
    else:
        assert out.exit_code == 2, (out.stdout, out.stderr)
        assert re.search(said, out.stderr), out.stderr


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "validate"])
def test_every_command_takes_one_export_split_by_a_group_column(
    tmp_path: Path, command: str
) -> None:
    """The README: one export both groups answered, given once with the group flags."""
    data = _one_export(tmp_path / "both.csv")
    twice = _command(command, data, tmp_path)
    once = list(twice)
    once.remove(str(data))  # the second mention: customers
    assert once.count(str(data)) == 1
    out = runner.invoke(app, [*once, *_flags(GROUPS)])
    assert out.exit_code == 0, out.stderr
    if "-f" in once:  # the same result as naming the file twice
        again = runner.invoke(app, [*twice, *_flags(GROUPS)])
        assert out.stdout == again.stdout
    without = runner.invoke(app, once)
    assert without.exit_code == 2
    assert "--group-column" in without.stderr


def test_include_and_exclude_take_names_and_globs(tmp_path: Path) -> None:
    import json

    data = str(_one_export(tmp_path / "both.csv"))
    group = _flags(GROUPS)

    def items(*extra: str) -> list[str]:
        out = runner.invoke(app, ["analyze", data, *group, "-f", "json", *extra])
        assert out.exit_code == 0, out.stderr
        return [i["item"] for i in json.loads(out.stdout)["items"]]

    assert sorted(items()) == ["q1", "q2", "q3"]
    assert sorted(items("--include", "q1", "--include", "q3")) == ["q1", "q3"]
    assert sorted(items("--include", "q[12]")) == ["q1", "q2"]
    assert sorted(items("--exclude", "q2")) == ["q1", "q3"]
    assert sorted(items("--include", "q*", "--exclude", "q2")) == ["q1", "q3"]


def test_validate_checks_the_split_it_will_analyse(tmp_path: Path) -> None:
    import json

    data = str(_one_export(tmp_path / "both.csv"))
    out = runner.invoke(app, ["validate", data, *_flags(GROUPS), "-f", "json"])
    assert out.exit_code == 0, out.stdout
    groups = {"--group-column": ["role"], "--leaders-value": ["X"], "--customers-value": ["C"]}
    out = runner.invoke(app, ["validate", data, *_flags(groups), "-f", "json"])
    assert out.exit_code == 1
    codes = {p["code"]: p for p in json.loads(out.stdout)["problems"]}
    problem = codes["unknown-group-value"]
    assert problem["column"] == "role"
    assert "'X'" in problem["message"] and "'L' (40x)" in problem["message"]


@pytest.mark.parametrize(
    "command", ["analyze", "validate", "trend", "check", "chart", "deck", "report", "schema"]
)
def test_help_examples_print_as_written_at_80_columns(command: str) -> None:
    import inspect

    from cxgap.cli import app

    callback = next(c.callback for c in app.registered_commands if c.name == command)
    doc = inspect.getdoc(callback) or ""
    examples = [line.strip() for line in doc.split("Example:", 1)[1].splitlines()
                if line.strip() and line.strip() != "\b"]  # fmt: skip
    assert examples
    out = CliRunner().invoke(app, [command, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert out.exit_code == 0
    lines = [line.strip() for line in out.stdout.splitlines()]
    for example in examples:
        assert example in lines, example  # whole, on one line of its own
    assert all(len(line) <= 80 for line in out.stdout.splitlines())


# Platform layouts ------------------------------------------------------------------------

LAYOUTS = FIXTURES / "layouts"
PLAIN = FIXTURES / "formats" / "plain.csv"
ITEMS = ["ambition_clear", "overall_strong_cx", "basics_codes"]


def _distributions(path: Path, names: list[str]) -> list[tuple[list[int], int]]:
    from cxgap import analyze

    result = analyze(path, path)
    by_name = {i.item: i for i in result.items}
    return [
        (by_name[n].groups["customers"].distribution, by_name[n].groups["customers"].missing)
        for n in names
    ]


@pytest.mark.parametrize(
    ("name", "layout", "header_rows", "items"),
    [
        ("surveymonkey-blank-metadata.csv", "surveymonkey", 2,
         [f"How much do you agree with each? - {n}" for n in ITEMS]),
        ("qualtrics-qid.csv", "qualtrics", 2, ["QID7_1", "QID7_2", "QID7_3"]),
        ("qualtrics-qid-only.csv", "qualtrics", 2, ["QID7_1", "QID7_2", "QID7_3"]),
    ],
)  # fmt: skip
def test_platform_layouts_are_detected(
    name: str, layout: str, header_rows: int, items: list[str]
) -> None:
    survey = open_survey(LAYOUTS / name)
    assert (getattr(survey, "layout", None), survey.header_rows) == (layout, header_rows)
    assert survey.collect(survey.scan([]).select(__import__("polars").len()))[0, 0] == 40
    assert _distributions(LAYOUTS / name, items) == _distributions(PLAIN, ITEMS)


def test_qualtrics_ids_get_their_question_text_as_labels() -> None:
    from cxgap import analyze

    path = LAYOUTS / "qualtrics-qid.csv"
    labels = {i.item: i.label for i in analyze(path, path).items}
    assert labels["QID7_1"] == "How much do you agree? - ambition_clear"


def test_forced_qualtrics_on_a_file_without_its_header_rows_is_refused() -> None:
    from cxgap.errors import InputError

    with pytest.raises(InputError, match="row 2 does not look like Qualtrics") as info:
        open_survey(PLAIN, "qualtrics")
    assert info.value.row == 2
    # Files that have them still read with the header rows they have.
    assert open_survey(LAYOUTS / "qualtrics-qid.csv", "qualtrics").header_rows == 2
    assert open_survey(FIXTURES / "formats" / "qualtrics.csv", "qualtrics").header_rows == 3
    out = runner.invoke(app, ["analyze", str(PLAIN), str(PLAIN), "--source", "qualtrics"])
    assert out.exit_code == 2 and "row 2 does not look like Qualtrics" in out.stderr


def test_a_choice_text_response_under_qids_is_not_taken_for_labels(tmp_path: Path) -> None:
    path = tmp_path / "one-header.csv"
    path.write_text("QID1,QID2,QID3,QID4\nAgree,Agree,Disagree,Agree\nAgree,Disagree,Agree,Agree\n")
    survey = open_survey(path)
    assert (getattr(survey, "layout", None), survey.header_rows) == ("csv", 1)


def test_plain_csv_with_a_repeated_name_is_renamed_with_a_warning() -> None:
    from cxgap import analyze

    path = LAYOUTS / "plain-duplicate-names.csv"
    result = analyze(path, path)
    assert {"q", "q (2)", "r"} <= {i.item for i in result.items}
    assert any("column 'q' appears more than once; column 3 is called 'q (2)'" in w
               for w in result.warnings)  # fmt: skip


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real exports not present")
def test_real_surveymonkey_export_without_the_publishers_extra_row(tmp_path: Path) -> None:
    """The 2024 OSPO export as SurveyMonkey writes it (its publisher added a q1.. row on
    top): row 2 is blank under the metadata columns. A regression guard on real data;
    the fixture surveymonkey-blank-metadata.csv is the case without any sub-row marker."""
    real = REAL / "surveymonkey" / "sm-todo-ospo2024-numeric.csv"
    data = real.read_bytes()
    plain = tmp_path / "sm.csv"
    plain.write_bytes(data.split(b"\r\n", 1)[1])
    as_published, as_exported = open_survey(real), open_survey(plain)
    assert (as_exported.layout, as_exported.header_rows) == ("surveymonkey", 2)  # type: ignore[attr-defined]
    assert as_exported.columns == as_published.columns
    assert "Respondent ID" in as_exported.metadata


def test_wide_export_is_counted_by_the_general_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cost follows cells: a wide file is counted by the general pass, not by a sum
    per (item, code)."""
    import cxgap.code.coding
    import cxgap.scan.per_file
    from cxgap import analyze

    path = write_wide_surveymonkey(tmp_path / "wide.csv", 300, 60, empty_rows=5)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("integer_count_query on a wide file")

    monkeypatch.setattr(cxgap.scan.per_file, "integer_count_query", refuse)
    result = analyze(path, path)
    assert len(result.items) == 300


@pytest.mark.parametrize("width", [80, 100, 140])
def test_grid_rows_still_read_apart_when_labels_are_cut(tmp_path: Path, width: int) -> None:
    from cxgap import analyze
    from cxgap.render.table import render_table

    question = "How satisfied are you with each part of the service you had from us this year?"
    rows = ["Speed of delivery", "Price", "Support [by phone]", "Returns"]
    header = ",".join(f'"{question} [{r}]"' if "[" not in r else f'"{question} - {r}"'
                      for r in rows)  # fmt: skip
    lines = "".join(f"{a},{b},{c},{d}\n" for a, b, c, d in [(5, 4, 3, 2), (2, 3, 4, 5)] * 10)
    (tmp_path / "l.csv").write_text(header + "\n" + lines)
    (tmp_path / "c.csv").write_text(header + "\n" + lines)
    result = analyze(tmp_path / "l.csv", tmp_path / "c.csv")
    table = render_table(result, width=width).split("\n\n")[1]
    for tail in ("[Speed of delivery]", "[Price]", "- Support [by phone]", "[Returns]"):
        assert tail in table
    assert "\u2026" in table


def test_config_hints_are_valid_toml_when_copied(tmp_path: Path) -> None:
    import re
    import tomllib

    from cxgap import analyze
    from cxgap.errors import CxgapError

    name = 'How likely? (0-10) "really"'
    path = tmp_path / "x.csv"
    path.write_text('"How likely? (0-10) ""really""",b\n' + "".join(
        f"{v},{w}\n" for v, w in [(7, 1), (9, 2), ("lots", 3), (8, 4), (6, 5)] * 4))  # fmt: skip
    from cxgap.config import Config

    with pytest.raises(CxgapError) as info:
        analyze(path, path, Config(include_items=[name]))
    hint = str(info.value)
    line = re.search(r"in cxgap\.toml: (items\..*)$", hint.rstrip(")]").rsplit(" [", 1)[0])
    assert line, hint
    parsed = tomllib.loads(line.group(1) + "\n")
    assert list(parsed["items"]) == [name]


def test_spinner_shows_file_names_literally(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from cxgap.cli.common import working

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    with working("Reading [red]survey.csv"):
        pass
    assert "[red]survey.csv" in err.getvalue()


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real exports not present")
@pytest.mark.parametrize(
    "name",
    ["qt2020-choicetext-privacy-study.csv", "qt2023-choicetext-student-satisfaction-testdata.csv"],
)
def test_real_qualtrics_export_without_its_importid_row(tmp_path: Path, name: str) -> None:
    """Qualtrics ids over one row of question text (the ImportId row left out) read with
    two header rows and every response kept; --source qualtrics agrees."""
    import polars as pl

    real = REAL / "qualtrics" / name
    with real.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.reader(fh))
    path = tmp_path / "no-importid.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([records[0], records[1], *records[3:]])
    full, cut = open_survey(real), open_survey(path)
    assert (getattr(cut, "layout", None), cut.header_rows) == ("qualtrics", 2)
    assert cut.columns == full.columns and cut.labels == full.labels
    rows = [s.collect(s.scan([]).select(pl.len()))[0, 0] for s in (full, cut)]
    assert rows[0] == rows[1]
    assert open_survey(path, "qualtrics").header_rows == 2


def test_source_layouts_apply_to_workbooks_and_are_refused_for_other_binaries() -> None:
    from cxgap.errors import InputError, UsageError

    workbook = FIXTURES / "formats" / "workbook.xlsx"
    assert open_survey(workbook, "csv").header_rows == 1
    with pytest.raises(InputError, match="row 2 does not look like Qualtrics"):
        open_survey(workbook, "qualtrics")
    with pytest.raises(UsageError, match="--source surveymonkey, but the file's content is sav"):
        open_survey(FIXTURES / "formats" / "spss.sav", "surveymonkey")


def test_long_sub_items_keep_what_tells_the_rows_apart() -> None:
    """A matrix whose sub-items are long sentences: the shortened labels show the
    sub-items (the part that differs), not the question every row shares."""
    from cxgap.render.table import shorten

    question = "Please indicate how strongly you agree or disagree with the following statements:"
    rows = [
        "I feel comfortable telling staff any concerns I have about the program.",
        "Overall, I am very satisfied with my participation in the program.",
        "Staff do a good job of running the program.",
        "Staff members are properly trained to meet my needs.",
    ]
    for width in (20, 30, 40):
        shown = [shorten(f"{question} - {row}", width) for row in rows]
        assert len(set(shown)) == len(rows)
        for text, row in zip(shown, rows, strict=True):
            assert len(text.splitlines()) <= 2
            assert all(len(line) <= width for line in text.splitlines())
            assert row.split()[0] in text  # the sub-item's start is shown


def test_wide_export_with_many_rows_is_sniffed_on_its_first_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More item columns than a row-wise query takes and more rows than the wide sniff
    # reads: free text and ids are judged on the first rows and never counted, and the
    # analysis is the one without the sniff.
    import random

    from tests.conftest import write_table

    import cxgap.scan.first_rows
    from cxgap import analyze

    rng = random.Random(2)
    rows = 1_200
    cols: dict[str, list[str]] = {f"q{k}": [str(rng.randint(1, 5)) for _ in range(rows)]
                                  for k in range(70)}  # fmt: skip
    cols["note"] = [f"free text {k}" for k in range(rows)]
    cols["ref"] = [f"R{k:06d}" for k in range(rows)]
    path = write_table(tmp_path / "wide.csv", cols)
    sniffed = analyze(path, path)
    reasons = sniffed.excluded.not_items
    assert "judged from the first 1,000 rows" in reasons["note"]
    assert "judged from the first 1,000 rows" in reasons["ref"]
    monkeypatch.setattr(cxgap.scan.first_rows, "WIDE_SNIFF_ROWS", 10_000)
    whole = analyze(path, path)
    assert "judged from" not in whole.excluded.not_items["note"]
    assert [i.model_dump() for i in sniffed.items] == [i.model_dump() for i in whole.items]
    assert len(sniffed.items) == 70
