"""What a first try on real exports tripped over: two numeric codes alone analysed on a
guessed 1-5 or 0-10 scale (0% agree), a yes/no column of free text said to "fit no known
scale" while quoting its valid answers, SurveyMonkey's "Below average" ... "Excellent"
rating scale unknown, validate listing each scale once per file, and a catalogue kind
that nothing raises."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Writer

import cxgap
from cxgap import Config, analyze
from cxgap.analysis.validation import validate
from cxgap.errors import CATALOGUE, CxgapError
from cxgap.model import AnalysisResult
from cxgap.render.table import render_table
from cxgap.render.validate import render_validation_table

LIKERT = ["Agree", "Disagree", "Strongly agree", "Neither agree nor disagree"] * 5


def test_zeros_and_ones_alone_are_no_item_unless_their_scale_is_set(table: Writer) -> None:
    ticks = ["0", "1", "1", "0", "1"] * 4
    group = ["1", "2"] * 10
    leaders = table("l.csv", {"q": LIKERT, "tick": ticks, "condition": group})
    customers = table("c.csv", {"q": LIKERT, "tick": ticks, "condition": group})
    result = analyze(leaders, customers, Config())
    assert [i.item for i in result.items] == ["condition", "q"]
    assert result.excluded.not_items["tick"].startswith("two codes only (0 and 1, no labels)")
    # 1 and 2 stay a guessed 1-5 scale, with its warning: a 1-5 item that everyone
    # disagreed with gives only those codes
    condition = next(i for i in result.items if i.item == "condition")
    assert condition.scale.source == "observed range"
    assert any("condition" in w and "1-5" in w for w in result.warnings)
    # the way the reason gives: a scale set for the item makes it one, 1 agreeing
    chosen = analyze(
        leaders, customers, Config.model_validate({"items": {"tick": {"scale": "0-1"}}})
    )
    tick = next(i for i in chosen.items if i.item == "tick")
    assert (tick.groups["leaders"].n, tick.groups["leaders"].agree) == (20, 12)
    # three codes are still a guessed 1-5 scale, with its warning
    three = table("t.csv", {"q": LIKERT, "three": ["1", "2", "3", "2"] * 5})
    assert any(i.item == "three" for i in analyze(three, three, Config()).items)


def test_a_scale_that_fits_in_part_names_the_answers_that_do_not(table: Writer) -> None:
    answers = ["No"] * 10 + ["Yes"] * 6 + ["Nope", "Yeah", "Noooo", "Yesss", "Y", "N"]
    leaders = table("l.csv", {"q": (LIKERT * 2)[:22], "believe": answers})
    result = analyze(leaders, leaders, Config())
    reason = result.excluded.not_items["believe"]
    assert reason.startswith("73% of the answers fit the yes-no scale, 6 different answers do not")
    # the counts are both groups' (one file given twice); the valid answers are not quoted
    assert "'Nope' (2x)" in reason and "'No' (" not in reason and "'Yes' (" not in reason
    assert 'unknown_answers = "missing"' in reason
    # ... and that setting counts the column, its other answers as non-answers
    lenient = analyze(leaders, leaders, Config(unknown_answers="missing"))
    believe = next(i for i in lenient.items if i.item == "believe")
    assert (believe.groups["leaders"].n, believe.groups["leaders"].agree) == (16, 6)


def test_surveymonkeys_average_rating_scale_is_known(table: Writer) -> None:
    rating = ["Very Poor", "Below\xa0Average", "Average", "Above Average", "Excellent", "Excellent"]
    leaders = table("l.csv", {"rate": rating * 3})
    (item,) = analyze(leaders, leaders, Config()).items
    assert item.scale.name == "quality-5-average"
    assert (item.groups["leaders"].n, item.groups["leaders"].agree) == (18, 9)


def test_validate_lists_a_scale_decided_for_both_files_once(table: Writer) -> None:
    leaders = table("l.csv", {"q": LIKERT, "r": LIKERT})
    customers = table("c.csv", {"q": LIKERT, "r": LIKERT})
    report = validate([leaders, customers], Config())
    assert len(report.scales) == 4  # one per file and item, as the JSON gives them
    text = render_validation_table(report)
    lines = [line for line in text.splitlines() if line.startswith("scale ")]
    assert lines == [
        "scale agreement-5 (labels): q: answers are agreement-5 labels",
        "scale agreement-5 (labels): r: answers are agreement-5 labels",
    ]


def test_every_catalogued_kind_is_raised_or_reported_somewhere() -> None:
    # duplicate-column was listed, though a repeated column name is read with a suffix
    source = Path(cxgap.__file__).parent
    text = "\n".join(
        f.read_text() for f in source.rglob("*.py") if "errors" not in f.relative_to(source).parts
    )
    unused = [
        code for code, kind in CATALOGUE.items()
        if kind is not CxgapError and kind.__name__ not in text and f'"{code}"' not in text
    ]  # fmt: skip
    assert not unused


def test_a_table_of_short_labels_keeps_its_numbers_whole_at_80_columns(table: Writer) -> None:
    # the label column is 8 wide at least: planned as 2 ("q1"), it pushed the table past
    # 80 columns and rich cut the intervals and p-values short ("25% (16–3…", "0.0…")
    answers = ["Agree", "Disagree", "Strongly agree", "Neither agree nor disagree", "Agree"]
    leaders = table("l.csv", {f"q{k}": answers * 8 for k in range(1, 5)})
    weights = [str(0.5 + (k % 7) / 6) for k in range(60)]
    customers = table("c.csv", {**{f"q{k}": (answers * 12)[::-1] for k in range(1, 5)},
                                "weight": weights})  # fmt: skip
    result = analyze(leaders, customers, Config())  # the customers file has "weight"
    text = render_table(result, width=80)
    rows = text.split("\n\n")[1].splitlines()  # the items table, after the headline
    assert all(len(line) <= 80 for line in rows)
    assert not any("…" in line for line in rows), "\n".join(rows)


HELPFUL = ["Extremely unhelpful", "Moderately unhelpful", "Slightly unhelpful",
           "Neither helpful nor unhelpful", "Slightly helpful", "Moderately helpful",
           "Extremely helpful"]  # fmt: skip
EASY = ["Extremely difficult", "Moderately difficult", "Slightly difficult",
        "Neither easy nor difficult", "Slightly easy", "Moderately easy",
        "Extremely easy"]  # fmt: skip
USEFUL = ["Not at all useful", "Slightly useful", "Moderately useful", "Very useful",
          "Extremely useful"]  # fmt: skip


def _mixed_scales(table: Writer) -> AnalysisResult:
    """Two 7-point items with different labels and a 5-point one."""

    def column(labels: list[str], shift: int, n: int) -> list[str]:
        return [labels[(k * 3 + shift) % len(labels)] for k in range(n)]

    leaders = table("l.csv", {"helpful": column(HELPFUL, 5, 30), "easy": column(EASY, 4, 30),
                              "useful": column(USEFUL, 3, 30)})  # fmt: skip
    customers = table("c.csv", {"helpful": column(HELPFUL, 0, 60), "easy": column(EASY, 1, 60),
                                "useful": column(USEFUL, 0, 60)})  # fmt: skip
    return analyze(leaders, customers, Config())


def test_a_diverging_chart_shows_the_items_of_one_length_with_a_key_true_of_each(
    table: Writer,
) -> None:
    # Before: every bar was drawn on the first item's key ("Extremely difficult" ... for
    # the helpful item too), and the deck's native chart left the 5-point item barless.
    from cxgap.charts.diverging import diverging_items, diverging_key, row_order

    result = _mixed_scales(table)
    shown, note = diverging_items(result, 10)
    assert sorted(i.item for i in shown) == ["easy", "helpful"]
    assert "7-point items only (1 on other scales not shown)" in note
    assert "labels differ" in note
    assert diverging_key(shown) == ["-3", "-2", "-1", "0", "+1", "+2", "+3"]
    assert diverging_key(shown[:1]) == (HELPFUL if shown[0].item == "helpful" else EASY)
    # a legend filled column by column reads row by row: 4 then 3
    entries = [(str(k), "") for k in range(7)]
    assert [e[0] for e in row_order(entries, 4)] == ["0", "4", "1", "5", "2", "6", "3"]


def test_the_decks_native_diverging_chart_draws_every_bar_it_names(table: Writer) -> None:
    import io

    from pptx import Presentation

    from cxgap.charts.deck import build_deck

    result = _mixed_scales(table)
    deck = Presentation(io.BytesIO(build_deck(result, None, Config().theme)))
    charts = [s.chart for slide in deck.slides for s in slide.shapes if s.has_chart]
    bars = next(c for c in charts if any("agree" in str(x) for x in c.plots[0].categories))
    rows = list(bars.plots[0].categories)
    for k, name in enumerate(rows):
        values = [series.values[k] for series in bars.plots[0].series]
        assert ("agree" in name) == any(v is not None for v in values), name


def test_straight_lining_is_judged_among_items_of_one_scale(table: Writer) -> None:
    # code 5 is "Slightly helpful" on a 7-point scale and "Extremely useful" on a 5-point
    # one: no same answer. Before, such a respondent was counted a straight-liner.
    codes = [k % 5 for k in range(12)]  # each respondent one code on every item
    leaders = table("l.csv", {
        "helpful": [HELPFUL[c] for c in codes], "easy": [EASY[c] for c in codes],
        "useful": [USEFUL[c] for c in codes],
    })  # fmt: skip
    report = validate([leaders], Config())
    assert not [p for p in report.problems if p.code == "straight-liners"]
    # three items on one scale, each respondent answering them alike: flagged, the codes
    # named as the other item is on another length
    same = ["Agree", "Disagree", "Strongly agree", "Neither agree nor disagree"] * 3
    flat = table("f.csv", {"q1": same, "q2": same, "q3": same, "helpful": HELPFUL[:4] * 3})
    (found,) = [p for p in validate([flat], Config()).problems if p.code == "straight-liners"]
    assert found.message.startswith(
        "12 of 12 respondents gave the same answer to every item they answered of the 3 "
        "items on codes 1-5"
    )


def test_the_decks_ranking_axis_holds_every_interval(table: Writer) -> None:
    # PowerPoint scaled the axis to the bars: a whisker ran past +60 and was cut
    import io

    from pptx import Presentation

    from cxgap.charts.deck import build_deck

    result = _mixed_scales(table)
    deck = Presentation(io.BytesIO(build_deck(result, None, Config().theme)))
    charts = [s.chart for slide in deck.slides for s in slide.shapes if s.has_chart]
    ranking = next(c for c in charts if c.value_axis.has_title
                   and c.value_axis.axis_title.text_frame.text == "Gap (pp)")  # fmt: skip
    ends = [v * 100 for i in result.items for v in i.primary.gap_ci if v is not None]
    axis = ranking.value_axis
    assert axis.minimum_scale < min(ends) and axis.maximum_scale > max(ends)
    assert axis.major_unit in (10, 20) and axis.maximum_scale % axis.major_unit == 0


def test_too_few_items_to_test_the_ordering_says_so(table: Writer) -> None:
    # three items give Spearman's rho no interval: "the evidence does not show that they
    # order the items alike (rho 1.00)" read as a finding against a perfect agreement
    from cxgap.render.json import render_json

    text = render_json(_mixed_scales(table))
    assert "Too few items (3) to tell whether leaders and customers order the items alike" in text
    assert "The evidence does not show that" not in text


def test_an_ordering_without_rho_says_why() -> None:
    # one group's shares all equal: Spearman's rho is undefined, not "too few items"
    from cxgap.analysis.priorities import _agreement_words, rank_agreement

    ranks = rank_agreement([0.5] * 12, [k / 12 for k in range(12)], 0.95)
    words = _agreement_words("leaders and customers", ranks, "the items", "95%")
    assert words == "No ordering to compare: one group gives all 12 items the same agree share."


def test_dropped_weights_and_blank_waves_from_a_counts_file_as_from_the_exports(
    table: Writer, tmp_path: Path
) -> None:
    # The blank-wave count held the rows a bad weight drops (6, not 4), and the analysis
    # of the counts lost the "rows with a bad weight" warnings: found in review.
    from typer.testing import CliRunner

    from cxgap.cli import app

    runner = CliRunner()
    waves = ["", "2026Q1", "2026Q2", "2026Q1", "2026Q2"] * 12
    weights = ["", "0.6", "1.2", "0.9", "1.4"] * 12
    weights[6] = "-1"  # a bad weight on a row with a wave
    answers = {f"q{k}": [str(1 + (r + r // 5 + k) % 5) for r in range(60)] for k in range(3)}
    paths = [table(f"{g}.csv", {"wave": waves, "weight": weights, **answers}) for g in "lc"]
    config = tmp_path / "cx.toml"
    config.write_text('invalid_weights = "drop"\nwave_column = "wave"\n')
    counts = tmp_path / "c.parquet"
    out = runner.invoke(app, ["counts", *map(str, paths), "-c", str(config), "-o", str(counts)])
    assert out.exit_code == 0, out.output
    raw = runner.invoke(app, ["analyze", *map(str, paths), "-c", str(config), "-f", "json"])
    again = runner.invoke(app, ["analyze", str(counts), "-c", str(config), "-f", "json"])
    assert raw.exit_code == 0 and again.stdout == raw.stdout
    warnings = " ".join(json.loads(raw.stdout)["warnings"])
    # 12 blank waves, all on rows whose weight is blank too: none of them is counted
    assert "row(s) with a blank wave" not in warnings
    assert "13 row(s) with a bad weight" in warnings
