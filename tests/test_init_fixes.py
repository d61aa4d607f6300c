"""cxgap init on the cases a first trial found wrong (issue 15): a 0-10 recommend question
one group answered only at the top end, Qualtrics ids that collide with another
question's, a frontline item that matches its pair only through the bank, and the
overwrite question asked on stderr before the reading."""

from __future__ import annotations

import csv
import json
import random
import tomllib
from pathlib import Path

import pytest
from tests.init_data import write_qualtrics
from typer.testing import CliRunner

from cxgap import analyze
from cxgap.cli import app
from cxgap.config import load_config
from cxgap.init import config_text, propose_pairs
from cxgap.init.propose import _slug
from cxgap.init.show import proposal_table

N = 60
AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
PROMISE = ("Acme keeps its promises", "Acme keeps its promises")


def _write(path: Path, cols: dict[str, list[str] | range], seed: int) -> Path:
    """A CSV with one column per entry: answers drawn from the list (or the range's
    numbers, every one of them given at least once)."""
    rng = random.Random(seed)
    data = {}
    for name, answers in cols.items():
        pool = [str(a) for a in answers]
        data[name] = pool + [rng.choice(pool) for _ in range(N - len(pool))]
        rng.shuffle(data[name])
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", *cols])
        writer.writerows([k, *(data[c][k] for c in cols)] for k in range(N))
    return path


def _recommend_pair(folder: Path, lead: range, cust: range) -> tuple[Path, Path]:
    leaders = _write(folder / "l.csv", {
        PROMISE[0]: AGREE,
        "How likely are customers to recommend Acme to a friend or colleague?": lead,
        "How many times did we call back?": range(1, 6),
    }, 1)  # fmt: skip
    customers = _write(folder / "c.csv", {
        PROMISE[1]: AGREE,
        "How likely are you to recommend Acme to a friend or colleague?": cust,
        "How many times did we call back?": range(1, 8),
    }, 2)  # fmt: skip
    return leaders, customers


def test_a_recommend_question_answered_5_to_10_pairs_with_0_to_10_as_nps(tmp_path: Path) -> None:
    leaders, customers = _recommend_pair(tmp_path, range(5, 11), range(11))
    found = propose_pairs({"leaders": leaders, "customers": customers})
    pair = next(p for p in found.pairs if "recommend" in p.columns["leaders"])
    assert pair.accepted and pair.confidence >= 0.9, pair.evidence
    assert pair.set_scale == "0-10" and pair.scale == "0-10"
    assert (
        "a question about recommending (judged 1-10 and 0-10 from the answers" in pair.evidence[-1]
    )
    assert found.nps_items == [pair.item]
    # numbers judged from the answers given with another top are another scale (1-5
    # against 1-7 would set the leaders' top box against the customers' middle): for review
    calls = next(p for p in found.pairs if "call back" in p.columns["leaders"])
    assert not calls.accepted and calls.set_scale is None
    assert "scales differ: 1-5 (5 points) against 1-7 (7 points)" in calls.evidence[-1]
    path = tmp_path / "cxgap.toml"
    path.write_text(config_text(found), encoding="utf-8")
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert written["nps_items"] == [pair.item] and written["items"][pair.item]["scale"] == "0-10"
    result = analyze(leaders, customers, load_config(path))
    assert [n.item for n in result.nps] == [pair.item]


def test_a_recommend_question_without_a_zero_in_either_file_is_0_to_10(tmp_path: Path) -> None:
    leaders, customers = _recommend_pair(tmp_path, range(1, 11), range(1, 11))
    # two wordings of the question only 70% alike: both ask about recommending on 0-10
    text = (
        (tmp_path / "l.csv")
        .read_text(encoding="utf-8")
        .replace(
            "How likely are customers to recommend Acme to a friend or colleague?",
            "How likely is a customer to recommend us to a friend?",
        )
    )
    (tmp_path / "l.csv").write_text(text, encoding="utf-8")
    found = propose_pairs({"leaders": leaders, "customers": customers})
    pair = next(p for p in found.pairs if "recommend" in p.columns["leaders"])
    assert pair.evidence[0] == "wordings 70% alike"
    assert pair.accepted and pair.confidence == 0.85 and pair.set_scale == "0-10"
    assert "scale 1-10 in both" not in "; ".join(pair.evidence)
    assert "(judged 1-10 from the answers given)" in pair.evidence[-1]
    path = tmp_path / "cxgap.toml"
    path.write_text(config_text(found), encoding="utf-8")
    result = analyze(leaders, customers, load_config(path))
    assert [n.item for n in result.nps] == [pair.item]


def _qualtrics(path: Path, items: dict[str, str], seed: int) -> Path:
    return write_qualtrics(path, items, random.Random(seed))


def test_qualtrics_pairs_show_their_questions_and_take_no_other_columns_name(
    tmp_path: Path,
) -> None:
    leaders = _qualtrics(tmp_path / "lq.csv", {
        "Q1": "Acme keeps its promises to customers",
        "Q2": "We resolve problems first time",
        "Q6": "Our invoices are easy to understand",
    }, 3)  # fmt: skip
    customers = _qualtrics(tmp_path / "cq.csv", {
        "Q1": "Acme keeps its promises",
        "Q2": "I had to contact Acme more than once about the same problem",
        "Q7": "My problem was resolved the first time",
        "Q8": "The invoices I get are easy to understand",
    }, 4)  # fmt: skip
    found = propose_pairs({"leaders": leaders, "customers": customers})
    pair = next(p for p in found.accepted if p.columns == {"leaders": "Q2", "customers": "Q7"})
    assert pair.item not in ("Q2", "Q7") and pair.texts == {
        "leaders": "We resolve problems first time",
        "customers": "My problem was resolved the first time",
    }
    table = proposal_table(found, width=80)
    assert "Q7: My problem was resolved the first time" in table
    assert "Q8: The invoices I get are easy to understand" in table
    text = config_text(found)
    assert "#   customers 'Q7': My problem was resolved the first time" in text
    path = tmp_path / "cxgap.toml"
    path.write_text(text, encoding="utf-8")
    result = analyze(leaders, customers, load_config(path))
    # the customers' own Q2 (another question) is reported, not taken for the leaders' Q2
    assert "Q2" in result.excluded.only_in["customers"]
    assert {i.item for i in result.items} == {p.item for p in found.accepted}


def test_a_frontline_item_joins_its_pair_through_the_bank_item(tmp_path: Path) -> None:
    leaders = _write(tmp_path / "l.csv", {
        "Overall, we deliver a strong customer experience": AGREE,
        "We resolve problems first time": AGREE}, 5)  # fmt: skip
    customers = _write(tmp_path / "c.csv", {
        "Overall, Acme delivers a strong customer experience": AGREE,
        "My problem was resolved the first time": AGREE}, 6)  # fmt: skip
    frontline = _write(tmp_path / "f.csv", {
        "Overall, our customers get a strong experience": AGREE,
        "Customer problems are resolved the first time": AGREE}, 7)  # fmt: skip
    found = propose_pairs({"leaders": leaders, "customers": customers, "frontline": frontline})
    overall = next(p for p in found.pairs if p.bank_item == "overall_strong_cx")
    assert [m.column for m in overall.others] == ["Overall, our customers get a strong experience"]
    member = overall.others[0]
    assert member.method == "bank" and "bank item overall_strong_cx" in member.evidence[0]
    assert not [x for x in found.left_out if x.group == "frontline" and x.kind != "not an item"]


def test_the_overwrite_question_comes_before_the_reading_on_stderr(tmp_path: Path) -> None:
    leaders, customers = _recommend_pair(tmp_path, range(11), range(11))
    out = tmp_path / "cxgap.toml"
    out.write_text("# mine\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["init", str(leaders), str(customers), "-o", str(out)],
                                input="n\n")  # fmt: skip
    assert result.exit_code == 0
    assert "pair(s)" not in result.stdout  # nothing read, nothing shown: asked first
    assert "Overwrite it?" in result.stderr and "nothing written" in result.stderr
    assert out.read_text(encoding="utf-8") == "# mine\n"


def test_made_up_item_names_end_at_a_word() -> None:
    name = _slug("Contributing to upstream open source projects regularly")
    assert name == "contributing_upstream_open_source"
    assert len(_slug("a" * 60)) == 40


def test_repeated_qualtrics_ids_keep_each_copys_question(tmp_path: Path) -> None:
    from cxgap.init.columns import open_export

    names = ["ResponseId", "Q50_x", "Q50_x", "Q50_x"]
    texts = ["Response ID", "Which? - Oranges", "Which? - Apples", "Which? - Pears"]
    ids = [json.dumps({"ImportId": f"QID{k}"}) for k in range(4)]
    path = tmp_path / "q.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([names, texts, ids, ["R_1", "Agree", "Agree", "Disagree"]])
    survey = open_export(path)
    assert [survey.labels.get(n) for n in survey.columns[1:]] == texts[1:]


def test_the_real_side_by_side_copies_pair_by_their_questions() -> None:
    real = Path(__file__).resolve().parents[1].parent / "shared" / "real-exports" / "qualtrics"
    if not real.is_dir():
        pytest.skip("shared real exports not present")
    found = propose_pairs({
        "leaders": real / "qt2016-insights-many-types.csv",
        "customers": real / "qt-legacy-many-types.csv",
    })  # fmt: skip
    assert not [x for x in found.left_out if x.kind != "not an item"]
    copy = next(p for p in found.pairs if p.columns["leaders"] == "Q50#2_wedges_1231 (2)")
    assert copy.columns["customers"] == "wedges: 1231_2" and copy.confidence == 1.0


def test_a_column_left_over_says_its_match_was_taken_first(tmp_path: Path) -> None:
    leaders = _write(tmp_path / "l.csv", {"Acme keeps its promises": AGREE}, 8)
    customers = _write(tmp_path / "c.csv", {
        "Acme keeps its promises": AGREE, "Acme keeps its promise": AGREE}, 9)  # fmt: skip
    frontline = _write(tmp_path / "f.csv", {"How many shifts did you work": range(1, 6)}, 10)
    found = propose_pairs({"leaders": leaders, "customers": customers, "frontline": frontline})
    why = {(x.group, x.column): x.reason for x in found.left_out if x.kind == "no partner"}
    assert why == {
        ("customers", "Acme keeps its promise"): "its closest match 'Acme keeps its promises' "
        "(0.97) was taken first, by a match scored as high or higher",
        ("frontline", "How many shifts did you work"): "no pair comes close (confidence 0.5 "
        "or more)",
    }
