"""validate and analyze judge the same inputs the same way: validate has an error
exactly when analyze stops (exit 2), and a column analyze leaves out for a few stray
answers is a warning in validate with the same words; named by the user, it is an
error in both. A file split by a group column is judged as analyze judges it: both
groups' answers together, each column once, a group's own problem said to be its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxgap import Config, analyze
from cxgap.analysis.validation import validate
from cxgap.cli import app
from cxgap.errors import ScaleError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL = ROOT.parent / "shared" / "real-exports"
runner = CliRunner()
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="shared real exports not present")

SM = REAL / "surveymonkey"
#: 'No, but planning one' is not on the yes/no scale: 119 + 178 stray answers
PROGRAM = (
    "Does your company have an open source program (either formal or informal) or "
    "management initiative?"
)
PRIVACY = REAL / "qualtrics" / "qt2020-choicetext-privacy-study.csv"
SPLIT = ["--group-column", "Condition", "--leaders-value", "1", "--customers-value", "2"]

#: (files, options): one file alone is compared with itself, as `analyze F F` does
CASES: list[tuple[list[Path], list[str]]] = [
    *[
        ([FIXTURES / "dirt" / name], [])
        for name in ("all-missing.csv", "nan-text.csv", "unknown-labels.csv", "header-only.csv")
    ],
    ([FIXTURES / "dirt" / "unknown-labels.csv"], ["--include", "q"]),
    ([FIXTURES / "dirt" / "nan-text.csv"], ["--include", "q"]),
    ([FIXTURES / "formats" / "surveymonkey.csv"], []),
    ([FIXTURES / "scales" / "end-labelled.csv"], []),
    ([FIXTURES / "scales" / "vocabularies.csv"], []),
    pytest.param([SM / "sm-todo-ospo2018.csv", SM / "sm-todo-ospo2020.csv"], [], marks=needs_real),
    pytest.param(
        [SM / "sm-todo-ospo2018.csv", SM / "sm-todo-ospo2020.csv"],
        ["--include", PROGRAM],
        marks=needs_real,
    ),
    pytest.param([PRIVACY], SPLIT, marks=needs_real),
    pytest.param([PRIVACY], [*SPLIT, "--include", "Q3_*", "--include", "Q16"], marks=needs_real),
    pytest.param(
        [REAL / "spss" / "spss-gss1991.sav"],
        ["--group-column", "SEX", "--leaders-value", "Male", "--customers-value", "Female"],
        marks=needs_real,
    ),
    pytest.param(
        [REAL / "qualtrics" / "qt-legacy-no-basis.csv"], ["--include", "Q1"], marks=needs_real
    ),
]


@pytest.mark.parametrize(("files", "options"), CASES)
def test_validate_has_an_error_iff_analyze_exits_2(files: list[Path], options: list[str]) -> None:
    pair = [str(f) for f in files] if len(files) == 2 else [str(files[0])] * 2
    analysed = runner.invoke(app, ["analyze", *pair, *options])
    validated = runner.invoke(app, ["validate", *[str(f) for f in files], *options])
    assert analysed.exit_code in (0, 2), analysed.output
    assert validated.exit_code in (0, 1), validated.output
    assert (validated.exit_code == 1) == (analysed.exit_code == 2), (
        analysed.stderr[-600:],
        validated.stdout[:600],
    )


def _strays(tmp_path: Path) -> Path:
    path = tmp_path / "strays.csv"
    q1 = ["1", "2", "3", "4", "5", "4", "3", "2", "maybe", "5"]
    q2 = ["5", "4", "3", "4", "5", "4", "3", "2", "1", "5"]
    path.write_text("id,q1,q2\n" + "".join(f"r{k},{a},{b}\n" for k, (a, b) in
                                            enumerate(zip(q1, q2, strict=True))))  # fmt: skip
    return path


def test_strays_are_a_warning_with_analyzes_words_until_the_item_is_named(
    tmp_path: Path,
) -> None:
    path = _strays(tmp_path)
    result = analyze(path, path, Config())
    reason = result.excluded.not_items["q1"]
    # both groups: the file twice; the answers named with their file (validate: the rows)
    assert f"stray answers 'maybe' (2x) in {path}; left out" in reason
    report = validate([path], Config())
    assert report.valid
    (problem,) = [p for p in report.problems if p.column == "q1"]
    assert (problem.code, problem.severity) == ("not-an-item", "warning")
    assert problem.message == reason.replace(f"(2x) in {path}", "(1x)")
    assert [(e.row, e.value) for e in problem.examples] == [(10, "maybe")]
    for named in (Config(include_items=["q1", "q2"]), Config(items={"q1": {}})):
        with pytest.raises(ScaleError):
            analyze(path, path, named)
        report = validate([path], named)
        assert not report.valid
        assert [(p.code, p.column) for p in report.problems if p.severity == "error"] == [
            ("off-scale", "q1")
        ]


@needs_real
def test_validate_on_a_pair_says_what_analyze_says() -> None:
    files = [SM / "sm-todo-ospo2018.csv", SM / "sm-todo-ospo2020.csv"]
    result = analyze(files[0], files[1], Config())
    report = validate(files, Config())
    assert report.valid, [p for p in report.problems if p.severity == "error"]
    strays = [p for p in report.problems if p.column == PROGRAM]
    assert {(p.file, p.code, p.severity) for p in strays} == {
        (str(f), "not-an-item", "warning") for f in files
    }
    # each file's problem counts its own stray answers; analyze names both files
    reason = result.excluded.not_items[PROGRAM]
    counts = {p.file: p.message.split("'No, but planning one' (")[1].split(")")[0] for p in strays}
    assert sorted(counts.values()) == ["119x", "178x"]
    for f in files:
        assert f"'No, but planning one' ({counts[str(f)]}) in {f}" in reason
        (mine,) = [p for p in strays if p.file == str(f)]
        assert mine.examples  # validate gives the rows


def test_stray_answers_are_named_in_the_file_that_holds_them(tmp_path: Path) -> None:
    # validate said "L.csv:q2: ... stray answers 'Stronlgy agree'" of a file without them
    leaders, customers = tmp_path / "L.csv", tmp_path / "C.csv"
    answers = ["Agree", "Disagree", "Strongly agree", "Neither agree nor disagree"]
    rows = [answers[k % 4] for k in range(40)]
    leaders.write_text("id,q1,q2\n" + "".join(f"l{k},{a},{a}\n" for k, a in enumerate(rows)))
    typo = [*rows[:31], "Stronlgy agree", *rows[32:]]
    customers.write_text(
        "id,q1,q2\n"
        + "".join(f"c{k},{a},{b}\n" for k, (a, b) in enumerate(zip(rows, typo, strict=True)))
    )
    report = validate([leaders, customers], Config())
    strays = [(p.file, p.column) for p in report.problems if p.code == "not-an-item"]
    assert strays == [(str(customers), "q2")]
    (problem,) = [p for p in report.problems if p.code == "not-an-item"]
    assert [(e.row, e.value) for e in problem.examples] == [(33, "Stronlgy agree")]
    result = runner.invoke(app, ["analyze", str(leaders), str(customers)])
    assert result.exit_code == 0
    warning = f"'Stronlgy agree' (1x) in {customers}; left out"
    assert warning in " ".join(result.stdout.split())
    # the analysis of the counts is the analysis of the exports, byte for byte
    counts = tmp_path / "counts.parquet"
    assert (
        runner.invoke(app, ["counts", str(leaders), str(customers), "-o", str(counts)]).exit_code
        == 0
    )
    raw = runner.invoke(app, ["analyze", str(leaders), str(customers), "-f", "json"]).stdout
    assert runner.invoke(app, ["analyze", str(counts), "-f", "json"]).stdout == raw


@needs_real
def test_a_split_file_is_judged_once_as_analyze_judges_it() -> None:
    cfg = Config(group_column="Condition", leaders_values=["1"], customers_values=["2"])
    result = analyze(PRIVACY, PRIVACY, cfg)
    report = validate([PRIVACY], cfg)
    columns = [p.column for p in report.problems if p.column is not None]
    assert len(columns) == len(set(columns)) or all(
        "group (Condition = " in p.message
        for p in report.problems
        if p.column is not None and columns.count(p.column) > 1
    )
    by_column = {p.column: p for p in report.problems if p.column}
    for column in ("age", "Q16", "Q17", "Q20", "Q21", "Q22"):  # once, with analyze's reason
        assert by_column[column].code == "not-an-item", column
        assert by_column[column].message == result.excluded.not_items[column], column
    assert "18 to 68" in by_column["age"].message
    assert "0 to 500" in by_column["Q22"].message
    empty = {p.column for p in report.problems if p.code == "all-missing"}  # Q24: no answers
    assert {s.item for s in report.scales} - empty == {i.item for i in result.items}
    group_specific = [p for p in report.problems if p.code == "straight-liners"]
    assert group_specific and all(
        "group (Condition = 1)" in p.message or "group (Condition = 2)" in p.message
        for p in group_specific
    )
