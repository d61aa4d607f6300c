"""cxgap init on real exports (../shared/real-exports; skipped when absent): an export
split by its group column pairs every item by id; two vintages of one Qualtrics survey,
whose ids differ, pair by the questions' texts; a CSV and an SPSS export of one survey
pair where both are items; two years of one SurveyMonkey survey pair by the questions
that stayed, and a reworded one is left for review."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import pytest

from cxgap import analyze
from cxgap.config import load_config
from cxgap.init import config_text, propose_pairs
from cxgap.init.score import normal_text
from cxgap.io.plan import name_key

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-exports"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="shared real exports not present")


def _split(name: str, column: str, header_rows: int, folder: Path) -> tuple[Path, Path]:
    """The export's rows of each value of ``column`` (the first two, in order of their
    first row), each half under the export's own header rows."""
    with (REAL / name).open(newline="", encoding="utf-8") as fh:
        records = list(csv.reader(fh))
    head, rows = records[:header_rows], records[header_rows:]
    at = head[0].index(column)
    values = list(dict.fromkeys(r[at] for r in rows))[:2]
    out = []
    for k, value in enumerate(values):
        path = folder / f"half{k}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\r\n").writerows(
                [*head, *(r for r in rows if r[at] == value)]
            )
        out.append(path)
    return out[0], out[1]


def test_an_export_split_by_its_group_column_pairs_every_item_by_id(tmp_path: Path) -> None:
    a, b = _split("surveymonkey/sm-todo-ospo2018.csv", "Collector", 2, tmp_path)
    found = propose_pairs({"leaders": a, "customers": b})
    assert len(found.pairs) == 15
    assert found.pairs == found.accepted
    for pair in found.pairs:  # SurveyMonkey heads each column with its question
        assert pair.method == "id" and pair.confidence == 1.0
        assert pair.columns["leaders"] == pair.columns["customers"]
    assert [x for x in found.left_out if x.kind != "not an item"] == []
    # every item analyze finds in the two halves, and no other
    plain = analyze(a, b)
    assert {p.columns["leaders"] for p in found.pairs} == {i.item for i in plain.items}
    config = tmp_path / "cxgap.toml"
    config.write_text(config_text(found), encoding="utf-8")
    paired = analyze(a, b, load_config(config))
    assert {i.item for i in paired.items} == {p.item for p in found.pairs}
    # tables show each item's question, not the name made up from it
    assert {name_key(i.label) for i in paired.items} == {
        name_key(p.columns["leaders"]) for p in found.pairs
    }


def test_halves_asked_different_questions_pair_nothing_and_say_why(tmp_path: Path) -> None:
    # the privacy study's two conditions answered different questions: each item column of
    # one half is empty in the other (or answered alike by all: 'Yes' in all 176 rows)
    a, b = _split("qualtrics/qt2020-choicetext-privacy-study.csv", "Condition", 3, tmp_path)
    found = propose_pairs({"leaders": a, "customers": b})
    assert found.pairs == []
    alone = [x for x in found.left_out if x.kind != "not an item"]
    assert {"Q17", "Q3_1", "Q24_1"} <= {x.column for x in alone}
    assert all(x.kind == "no partner" and "file is not an item" in x.reason for x in alone)
    assert "(empty: no answers in any row)" in next(x.reason for x in alone if x.column == "Q3_1")
    # analyze would take each such pair of namesakes for one item: the config excludes them
    excluded = tomllib.loads(config_text(found))["exclude_columns"]
    assert {"Q17", "Q3_1", "Q24_1"} <= set(excluded)
    assert not {"Condition", "ResponseId", "StartDate"} & set(excluded)


def test_two_vintages_of_one_qualtrics_survey_pair_by_question_text() -> None:
    legacy = REAL / "qualtrics/qt-legacy-many-types.csv"
    insights = REAL / "qualtrics/qt2016-insights-many-types.csv"
    found = propose_pairs({"leaders": legacy, "customers": insights})
    got = {p.columns["leaders"]: p.columns["customers"] for p in found.accepted}
    # the 2016 export doubles an export tag into the id (Q39_Q39_1_1): the texts pair them
    for lead, cust in [("Q39_1_1", "Q39_Q39_1_1"), ("Q44_2_2", "Q44_Q44_2_2"),
                       ("blue_1", "Q48_blue_1"), ("Q40_1: 1", "Q40#1_Q40_1_1")]:  # fmt: skip
        assert got[lead] == cust
        assert next(p for p in found.pairs if p.columns["leaders"] == lead).method == "wording"
    # a side-by-side row of another fruit (Oranges against Blueberries) is never accepted,
    # though the two texts share all but one word
    assert got.get("wedges: 1231_4") != "Q50#2_bites_1231"
    labels = _labels(legacy) | _labels(insights)
    for pair in found.accepted:
        lead, cust = pair.columns["leaders"], pair.columns["customers"]
        if pair.method == "wording":
            assert normal_text(labels[lead]) == normal_text(labels[cust]), (lead, cust)
        else:
            assert name_key(lead) == name_key(cust)


def _labels(path: Path) -> dict[str, str]:
    from cxgap.io import open_survey

    return open_survey(path).labels


def test_a_csv_and_an_spss_export_of_one_survey_pair_as_analyze_reads_them() -> None:
    csv_export = REAL / "qualtrics/qt2023-choicetext-student-satisfaction-testdata.csv"
    sav = REAL / "spss/spss-qualtrics-student-satisfaction-testdata.sav"
    found = propose_pairs({"leaders": csv_export, "customers": sav})
    got = {p.columns["leaders"]: p.columns["customers"] for p in found.accepted}
    assert got == {f"Q{k}": f"Q{k}" for k in (*range(1, 11), 12, 13, 14, 15)}
    assert all(p.confidence == 1.0 for p in found.pairs)
    # the CSV's 'Extremely helpful' labels fit no built-in scale; the SPSS file declares
    # the scale for the column of that name, as analyze reads it for both files
    q1 = next(p for p in found.pairs if p.item == "Q1")
    assert "scale 7-point declared in both" in q1.evidence
    assert set(got) == {i.item for i in analyze(csv_export, sav).items}


def test_two_years_of_a_surveymonkey_survey_pair_the_questions_that_stayed() -> None:
    found = propose_pairs({
        "leaders": REAL / "surveymonkey/sm-todo-ospo2018.csv",
        "customers": REAL / "surveymonkey/sm-todo-ospo2020.csv",
    })  # fmt: skip
    often = [p for p in found.accepted if p.columns["leaders"].startswith("How often does")]
    assert len(often) == 7
    assert all(name_key(p.columns["leaders"]) == name_key(p.columns["customers"]) for p in often)
    # "a specific impact on ... DevOps practices" became "a positive impact on ... software
    # practices": close, but for a person to decide
    impact = next(p for p in found.pairs if p.columns["leaders"].startswith("Has the open"))
    assert not impact.accepted and impact.method == "wording"
    assert "Has the open source program" in config_text(found).split("# below the threshold")[1]
