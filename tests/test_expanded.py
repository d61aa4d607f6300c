"""SurveyMonkey's expanded export: one column per option (per matrix row x option),
rejoined into one item per question row. Counts checked against hand counts of the
seeded fixture (tests/make_fixtures.py, write_expanded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap import analyze
from cxgap.analysis.validation import validate
from cxgap.errors import InputError
from cxgap.io import open_survey
from cxgap.io.expanded import candidate_groups
from cxgap.io.layout import Layout

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "expanded"
VARIANTS = ["sm-expanded-text.csv", "sm-expanded-numeric.csv"]
MATRIX = "How often does your team do the following? (select one per row)"
REVIEW = f"{MATRIX} - Review code"
DOCS = f"{MATRIX} - Write docs - internal"
SATISFIED = "Overall, how satisfied are you with the program?"
TOOLS = "Which tools does your team use? (select all that apply)"
#: item -> (n, agree, scale name), counted by hand from the fixture with the csv module:
#: "Don't know or not sure" (12 and 15 of them) is a non-answer, and the respondent who
#: ticked Sometimes and Frequently in the docs row gave no single answer.
EXPECTED = {
    REVIEW: (44, 16, "frequency-5-very"),
    DOCS: (41, 12, "frequency-5-very"),
    SATISFIED: (56, 28, "satisfaction-5"),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_option_columns_are_rejoined_into_items_with_exact_counts(name: str) -> None:
    path = FIXTURES / name
    result = analyze(path, path)
    got = {
        i.item: (i.groups["customers"].n, i.groups["customers"].agree, i.scale.name)
        for i in result.items
    }
    assert got == EXPECTED
    for item in result.items:
        assert (item.groups["leaders"].n, item.groups["leaders"].agree) == (
            item.groups["customers"].n,
            item.groups["customers"].agree,
        )
        assert item.scale.source == "metadata"  # the export's codes / option order
        assert item.scale.agree_from == 4
    assert any("rejoined 17 option columns into 3 items" in w for w in result.warnings)
    double = [w for w in result.warnings if "two or more options ticked" in w]
    assert len(double) == 1 and f"{DOCS!r} (1)" in double[0] and double[0].count("(1)") == 1


@pytest.mark.parametrize("name", VARIANTS)
def test_multi_select_options_stay_out_of_items(name: str) -> None:
    path = FIXTURES / name
    result = analyze(path, path)
    for tool in ("Git", "Jira", "Slack"):
        assert f"{TOOLS} - {tool}" in result.excluded.not_items
    assert TOOLS not in {i.item for i in result.items}


def test_text_and_numeric_exports_give_identical_counts() -> None:
    text, numeric = (analyze(FIXTURES / n, FIXTURES / n) for n in VARIANTS)
    assert [i.model_dump() for i in text.items] == [i.model_dump() for i in numeric.items]


@pytest.mark.parametrize("name", VARIANTS)
def test_the_survey_columns_are_the_rejoined_items(name: str) -> None:
    survey = open_survey(FIXTURES / name)
    assert [c for c in survey.columns if c.startswith((MATRIX, SATISFIED))] == [
        REVIEW, DOCS, SATISFIED]  # fmt: skip
    frame = survey.head(9)
    assert frame[REVIEW].to_list()[:4] == ["Very frequently", "Sometimes", "Rarely", None]
    # respondent 8 ticked Sometimes and Frequently: no single answer
    assert frame[DOCS].to_list()[5:] == ["Frequently", "Don't know or not sure", None, "Rarely"]


@pytest.mark.parametrize("name", VARIANTS)
def test_validate_agrees_with_analyze(name: str) -> None:
    path = FIXTURES / name
    report = validate([path])
    assert report.valid
    assert sorted(s.item for s in report.scales) == sorted(EXPECTED)


def test_groups_come_from_the_header() -> None:
    """The option is the last ' - ' part; a question whose options hold ' - ' without
    repeating rows ('1 - Not at all' ... '5 - Completely') is one group, not five."""
    parts = [
        ("", ""),
        ("Q", "A - x - Yes"),
        ("Q", "A - x - No"),
        ("Q", "B - Yes"),
        ("Q", "B - No"),
        ("R", "1 - Not at all"),
        ("R", "3"),
        ("R", "5 - Completely"),
        ("S", "Response"),
    ]
    names = [f"c{k}" for k in range(len(parts))]
    groups = candidate_groups(Layout("surveymonkey", 2, names, parts=parts), names)
    assert [(g.item, g.columns, g.options) for g in groups] == [
        ("Q - A - x", ("c1", "c2"), ("Yes", "No")),
        ("Q - B", ("c3", "c4"), ("Yes", "No")),
        ("R", ("c5", "c6", "c7"), ("1 - Not at all", "3", "5 - Completely")),
    ]


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_validate_and_analyze_agree_on_option_and_empty_columns(tmp_path: Path) -> None:
    """A column ticked once among blanks is an option column and an empty column no item,
    both in analyze (which pools the same file twice) and in validate (one file)."""
    rows = [["id", "q", "once", "empty"]]
    rows += [[f"R{k}", str(1 + k % 5), "3" if k == 4 else "", ""] for k in range(20)]
    path = _write(tmp_path / "plain.csv", rows)
    result = analyze(path, path)
    report = validate([path])
    assert [i.item for i in result.items] == ["q"]
    assert {"once", "empty"} <= set(result.excluded.not_items)
    assert [s.item for s in report.scales] == ["q"]


def test_validate_is_not_valid_where_analyze_finds_no_item(tmp_path: Path) -> None:
    rows = [["id", "once", "empty"]]
    rows += [[f"R{k}", "3" if k == 4 else "", ""] for k in range(20)]
    path = _write(tmp_path / "none.csv", rows)
    with pytest.raises(InputError, match="no column holds answers on a known scale"):
        analyze(path, path)
    report = validate([path])
    assert not report.valid and "no-items" in {p.code for p in report.problems}


def test_a_repeated_question_or_a_select_up_to_question_is_not_rejoined(tmp_path: Path) -> None:
    """Two groups that would take one name keep their option columns (no clash), and
    'select up to three' is multi-select whatever the data show."""
    top = ["Respondent ID", "Collector ID", "Q?", "", "Q?", "", "Pick (select up to two)", ""]
    sub = ["", "", "Yes", "No", "Yes", "No", "Red", "Blue"]
    body = [[str(k), "1", "Yes" if k % 2 else "", "" if k % 2 else "No",
             "Yes" if k % 3 else "", "" if k % 3 else "No",
             "Red" if k % 2 else "", "" if k % 2 else "Blue"] for k in range(12)]  # fmt: skip
    path = _write(tmp_path / "sm.csv", [top, sub, *body])
    survey = open_survey(path)
    assert list(survey.columns) == [
        "Respondent ID", "Collector ID", "Q? - Yes", "Q? - No", "Q? - Yes (2)", "Q? - No (2)",
        "Pick (select up to two) - Red", "Pick (select up to two) - Blue",
    ]  # fmt: skip
