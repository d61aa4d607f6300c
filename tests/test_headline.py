"""The composite headline (no headline item) and the headline item the user names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import ROOT, Writer
from typer.testing import CliRunner

from cxgap import Config, analyze
from cxgap.cli import app
from cxgap.config import load_config
from cxgap.errors import CATALOGUE, EXIT_BAD_INPUT, UnknownHeadlineItem, UnknownItem
from cxgap.model import AnalysisResult, GroupStats

runner = CliRunner()
REAL = ROOT.parent / "shared" / "real-exports"
PALLANT = REAL / "spss" / "spss-pallant-survey.sav"

# Three items on different scales: a on 1-5 (agree >= 4), b on 1-7 (agree >= 6),
# c a 1-5 scale written in reverse ("1 - Strongly agree" ... "5 - Strongly disagree":
# agree is written 1 or 2). Per respondent: items agreed / items answered.
LEADERS = {
    "a": ["5", "4", "1", "", "2", ""],
    "b": ["2", "5", "6", "N/A", "7", ""],
    "c": ["1 - Strongly agree", "5 - Strongly disagree", "", "", "4", "2"],
}
# L1 2/3 yes; L2 1/3 no; L3 1/2 yes (half); L4 nothing answered; L5 1/3 no; L6 1/1 yes.
CUSTOMERS = {
    "a": ["3", "5", "1", "4", "2", "1"],
    "b": ["4", "7", "1", "", "6", "1"],
    "c": ["3", "5 - Strongly disagree", "1 - Strongly agree", "", "", "4"],
}
# C1 0/3 no; C2 2/3 yes; C3 1/3 no; C4 1/1 yes; C5 1/2 yes; C6 0/3 no.
SCALES = Config(items={"a": {"scale": "1-5"}, "b": {"scale": "1-7"}})


def test_composite_counts_each_item_on_its_own_scale(table: Writer) -> None:
    # Before: one mean of codes over the items on the most common scale, against that
    # scale's threshold (b and c were left out; a mixed survey came out near 0%).
    result = analyze(table("l.csv", LEADERS), table("c.csv", CUSTOMERS), SCALES)
    scales = {i.item: i.scale.name for i in result.items}
    assert scales == {"a": "1-5", "b": "1-7", "c": "1-5 reversed"}
    h = result.headline
    assert h.source == "composite"
    assert (h.groups["leaders"].n, h.groups["leaders"].agree, h.groups["leaders"].missing) == (
        5,
        3,
        1,
    )
    assert (
        h.groups["customers"].n,
        h.groups["customers"].agree,
        h.groups["customers"].missing,
    ) == (6, 3, 0)
    assert h.label == "agree on at least half of the 3 items they answered"
    assert h.text.startswith(
        "60% of leaders vs 50% of customers agree on at least half of the 3 items they "
        "answered (gap +10 pp"
    )
    assert not any("left out of it" in w for w in result.warnings)


def test_composite_with_a_stricter_rule_uses_each_items_threshold(table: Writer) -> None:
    # top-box: a agrees on 5, b on 7, c on "1 - Strongly agree".
    cfg = SCALES.model_copy(update={"agree": "top-box"})
    h = analyze(table("l.csv", LEADERS), table("c.csv", CUSTOMERS), cfg).headline
    # L1 a5 c1 -> 2/3 yes; L2 a4 -> 0/3; L3 0/2; L5 b7 -> 1/3; L6 0/1. Leaders 1 of 5.
    # C1 0/3; C2 a5 b7 -> 2/3 yes; C3 c1 -> 1/3; C4 0/1; C5 0/2; C6 0/3. Customers 1 of 6.
    assert (h.groups["leaders"].n, h.groups["leaders"].agree) == (5, 1)
    assert (h.groups["customers"].n, h.groups["customers"].agree) == (6, 1)


def test_composite_of_a_respondent_with_no_answer_is_a_non_answer(table: Writer) -> None:
    leaders = table("l.csv", {"a": ["", "N/A", "5"], "b": ["", "", "1"]})
    customers = table("c.csv", {"a": ["4", "2", "1"], "b": ["", "", ""]})
    h = analyze(leaders, customers).headline
    # b was never answered by customers: left out of both; composite is over a alone.
    assert (h.groups["leaders"].n, h.groups["leaders"].agree, h.groups["leaders"].missing) == (
        1,
        1,
        2,
    )
    assert (
        h.groups["customers"].n,
        h.groups["customers"].agree,
        h.groups["customers"].missing,
    ) == (3, 1, 0)
    assert "at least half of the 1 items" in h.text


def _independent_composite(result: AnalysisResult) -> dict[str, tuple[int, int, int]]:
    """(n, agree, missing) per group, counted from pyreadstat's raw codes per respondent."""
    import numpy as np
    import pyreadstat

    data, meta = pyreadstat.read_sav(str(PALLANT), output_format="dict")
    sex = np.asarray(data["sex"], dtype=float)
    counted = {}
    for group, code in (("leaders", 1.0), ("customers", 2.0)):
        rows = sex == code
        answered = np.zeros(int(rows.sum()), dtype=int)
        agreed = np.zeros(int(rows.sum()), dtype=int)
        for item in result.items:
            raw = np.asarray(data[item.item], dtype=float)[rows]
            ok = ~np.isnan(raw)
            if item.scale.labels is not None:  # yes/no items: agree on the label YES
                labels = meta.variable_value_labels[item.item]
                assert item.scale.name == "yes-no"
                agree = np.array([labels.get(v) == "YES" for v in raw])
            else:  # raw codes against the item's own threshold
                agree = np.nan_to_num(raw) >= item.scale.agree_from
            answered += ok
            agreed += agree & ok
        n = int((answered > 0).sum())
        yes = int(((answered > 0) & (2 * agreed >= answered)).sum())
        counted[group] = (n, yes, int((answered == 0).sum()))
    return counted


def _triple(stats: GroupStats) -> tuple[int, int, int]:
    return (stats.n, stats.agree, stats.missing)


@pytest.mark.skipif(not PALLANT.exists(), reason="real exports not present")
def test_pallant_composite_equals_an_independent_count() -> None:
    # Before: "0% of leaders vs 0% of customers" (one mean of 94 codes >= 4, the 18
    # items on other scales left out) and check --max-gap-pp 5 passed on that 0.0 gap.
    split = {"group_column": "sex", "leaders_values": ["MALES"], "customers_values": ["FEMALES"]}
    result = analyze(PALLANT, PALLANT, Config(**split))
    h = result.headline
    assert h.source == "composite"
    counted = _independent_composite(result)
    assert (_triple(h.groups["leaders"]), _triple(h.groups["customers"])) == (
        counted["leaders"],
        counted["customers"],
    )
    assert f"at least half of the {len(result.items)} items they answered" in h.text
    # Every item discovered in this teaching file (reverse-scored twins such as op2 and
    # Rop2, 0/1 items read as 0-10) averages about 33% agreement, so few respondents
    # agree on half of them; but some do, in both groups.
    assert h.groups["leaders"].agree > 0 and h.groups["customers"].agree > 0

    # A coherent set on two scales: optimism op1-op6 (1-5) and life satisfaction (1-7).
    chosen = Config(**split, include_items=["op*", "lifsat*"])
    result = analyze(PALLANT, PALLANT, chosen)
    h = result.headline
    assert {i.scale.name for i in result.items} == {"1-5", "1-7"}
    counted = _independent_composite(result)
    assert (_triple(h.groups["leaders"]), _triple(h.groups["customers"])) == (
        counted["leaders"],
        counted["customers"],
    )
    shares = [
        s
        for i in result.items
        for s in (i.groups["leaders"].share, i.groups["customers"].share)
        if s
    ]
    assert h.groups["leaders"].share is not None and h.groups["customers"].share is not None
    assert min(shares) < h.groups["leaders"].share < max(shares)
    assert min(shares) < h.groups["customers"].share < max(shares)


def test_named_headline_item_that_is_not_an_item_is_an_error(table: Writer) -> None:
    # Before: silently ignored, and the composite became the headline.
    leaders = table("l.csv", {"overall": ["5", "4"], "other": ["1", "2"]})
    customers = table("c.csv", {"overall": ["1", "4"], "other": ["1", "2"]})
    with pytest.raises(UnknownHeadlineItem) as info:
        analyze(leaders, customers, Config(headline_item="overal"))
    err = info.value
    assert isinstance(err, UnknownItem) and err.exit_code == EXIT_BAD_INPUT
    assert "'overal'" in err.message and "did you mean 'overall'" in err.message
    assert "l.csv" in str(err)


def test_named_headline_item_from_the_cli_and_config_exits_2(table: Writer) -> None:
    leaders = table("l.csv", {"overall": ["5", "4"], "other": ["1", "2"]})
    customers = table("c.csv", {"overall": ["1", "4"], "other": ["1", "2"]})
    out = runner.invoke(app, ["analyze", str(leaders), str(customers), "--headline-item", "nope"])
    assert out.exit_code == 2, out.output
    assert "nope" in out.output and "Traceback" not in out.output
    out = runner.invoke(
        app,
        ["analyze", str(leaders), str(customers), "--headline-item", "nope", "--format", "json"],
    )
    assert out.exit_code == 2
    assert '"unknown-headline-item"' in out.output
    config = leaders.parent / "cxgap.toml"
    config.write_text('headline_item = "overal"\n', encoding="utf-8")
    cfg = load_config(config)
    with pytest.raises(UnknownHeadlineItem, match="did you mean 'overall'"):
        analyze(leaders, customers, cfg)


def test_named_headline_item_that_is_a_column_but_not_an_item_says_why(table: Writer) -> None:
    leaders = table("l.csv", {"q": ["5", "4", "1"], "note": ["fine", "ok", "bad thing"]})
    customers = table("c.csv", {"q": ["1", "4", "2"], "note": ["meh", "good", "no"]})
    with pytest.raises(UnknownHeadlineItem, match="not an item"):
        analyze(leaders, customers, Config(headline_item="note"))


def test_default_headline_item_absent_is_silent(table: Writer) -> None:
    leaders = table("l.csv", {"q": ["5", "4"]})
    customers = table("c.csv", {"q": ["1", "4"]})
    result = analyze(leaders, customers)
    assert result.headline.source == "composite"
    # The default name written out (or a config rebuilt from model_dump, as check does)
    # is the default: still silent.
    rebuilt = Config.model_validate(Config().model_dump())
    assert "headline_item" in rebuilt.model_fields_set
    for cfg in (rebuilt, Config(headline_item="overall_strong_cx")):
        assert analyze(leaders, customers, cfg).headline.source == "composite"
    out = runner.invoke(app, ["check", str(leaders), str(customers), "--max-gap-pp", "90"])
    assert out.exit_code == 0, out.output
    result = analyze(leaders, customers, Config(headline_item="q"))
    assert result.headline.source == "item" and result.headline.item == "q"


def test_headline_item_matches_ignoring_spaces_and_quotes(table: Writer) -> None:
    leaders = table("l.csv", {"overall\u00a0CX": ["5", "4"], "x": ["1", "1"]})
    customers = table("c.csv", {"overall\u00a0CX": ["1", "4"], "x": ["1", "1"]})
    result = analyze(leaders, customers, Config(headline_item="overall CX"))
    assert result.headline.source == "item" and result.headline.item == "overall\u00a0CX"


def test_unknown_headline_item_is_in_the_catalogue() -> None:
    assert CATALOGUE["unknown-headline-item"] is UnknownHeadlineItem


def test_headline_text_of_the_composite_is_in_json(table: Writer) -> None:
    leaders = table("l.csv", LEADERS)
    customers = table("c.csv", CUSTOMERS)
    config = leaders.parent / "cxgap.toml"
    config.write_text('[items.a]\nscale = "1-5"\n[items.b]\nscale = "1-7"\n', encoding="utf-8")
    out = runner.invoke(
        app, ["analyze", str(leaders), str(customers), "-c", str(config), "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    head = json.loads(out.stdout)["headline"]
    assert head["item"] == "composite"
    assert (head["groups"]["leaders"]["agree"], head["groups"]["customers"]["agree"]) == (3, 3)


def test_headline_text_never_says_minus_zero() -> None:
    from cxgap.analysis.headline import headline_text
    from cxgap.config import Config
    from cxgap.model import Comparison, GapStats

    def group(agree: int, n: int) -> GroupStats:
        return GroupStats(n=n, missing=0, agree=agree, share=agree / n, ci=(0.0, 1.0))

    stats = GapStats(
        item="composite",
        label="agree on at least half of the 2 items they answered",
        groups={"leaders": group(1, 1000), "customers": group(4, 1000)},
        comparisons=[
            Comparison(
                a="leaders",
                b="customers",
                gap=-0.003,
                gap_ci=(-0.004, 0.0049),
                ratio=0.25,
                p_value=1.0,
                p_adjusted=1.0,
                test="fisher_exact",
                mwu_p=None,
                cohens_h=None,
                significant=False,
                flag=None,
            )
        ],
    )
    text = headline_text(stats, Config(), composite=True)
    assert "(gap +0 pp, 95% CI +0 to +0 pp;" in text
    assert text.startswith("0% of leaders vs 0% of customers agree on at least half of the 2")


def test_trend_composite_per_wave_with_leaders_in_every_wave(table: Writer) -> None:
    from cxgap.analysis.trend import trend

    # a on 1-5 (agree >= 4), b on 1-7 (agree >= 6); leaders have no waves (all rows in
    # every wave): 2/2 yes, 0/2 no, 1/2 yes -> 2 of 3.
    leaders = table("l.csv", {"a": ["5", "1", "4"], "b": ["7", "1", "2"]})
    customers = table(
        "c.csv",
        {
            "wave": ["2026Q1", "2026Q1", "2026Q1", "2026Q2", "2026Q2"],
            "a": ["5", "4", "1", "2", ""],
            "b": ["1", "1", "6", "6", ""],
        },
    )
    # Q1: 1/2 yes, 1/2 yes, 1/2 yes -> 3 of 3; Q2: 1/2 yes, nothing answered -> 1 of 1.
    result = trend(leaders, customers, Config(items={"b": {"scale": "1-7"}}))
    q1, q2 = result.headline.points
    assert result.headline.label == "agree on at least half of the 2 items they answered"
    assert (
        q1.groups["leaders"].n,
        q1.groups["leaders"].agree,
        q2.groups["leaders"].n,
        q2.groups["leaders"].agree,
    ) == (3, 2, 3, 2)
    assert (
        q1.groups["customers"].n,
        q1.groups["customers"].agree,
        q1.groups["customers"].missing,
    ) == (3, 3, 0)
    assert (
        q2.groups["customers"].n,
        q2.groups["customers"].agree,
        q2.groups["customers"].missing,
    ) == (1, 1, 1)


@pytest.mark.parametrize("items", [3, 80])
def test_row_wise_and_long_plans_count_alike(
    table: Writer, monkeypatch: pytest.MonkeyPatch, items: int
) -> None:
    # A few items are tallied row-wise, many by unpivoting (cxgap.scan.counting.respondent_tally):
    # forcing each file through the other plan must give the same composite and the same
    # straight-liners. The answers mix codes, labels, blanks and a non-answer.
    import random

    import cxgap.scan.counting
    from cxgap.analysis.validation import validate

    rng = random.Random(7)
    pool = ["1", "2", "3", "4", "5", "", "N/A", "Strongly agree"]
    flat = ["4"] * items  # a straight-liner in each file
    leaders = {f"q{k}": [flat[k], *(rng.choice(pool) for _ in range(29))] for k in range(items)}
    customers = {f"q{k}": [flat[k], *(rng.choice(pool) for _ in range(59))] for k in range(items)}
    cfg = Config(scale="1-5")
    paths = table("l.csv", leaders), table("c.csv", customers)

    def run() -> tuple[object, ...]:
        h = analyze(*paths, cfg).headline
        report = validate([paths[0]], cfg)
        lines = [p.count for p in report.problems if p.code == "straight-liners"]
        return (
            h.groups["leaders"].n,
            h.groups["leaders"].agree,
            h.groups["customers"].n,
            h.groups["customers"].agree,
            lines,
        )

    expected = run()
    monkeypatch.setattr(cxgap.scan.counting, "WIDE_QUERY_COLUMNS", 0 if items <= 64 else 10_000)
    assert run() == expected
    assert expected[-1] and expected[-1][0] >= 1


def _integer_exports(table: Writer, rows: int, *, late: str | None = None) -> tuple[object, ...]:
    import random

    rng = random.Random(3)
    items = ["a", "b", "c", "d"]
    leaders = {i: [str(rng.randint(1, 5)) for _ in range(40)] for i in items}
    customers = {i: [str(rng.randint(1, 5)) for _ in range(rows)] for i in items}
    customers["a"][-1] = late or customers["a"][-1]
    customers["comment"] = ["fine"] * rows  # a last column that is no item
    return table("l.csv", leaders), table("c.csv", customers)


def test_composite_tallied_in_the_counting_pass_equals_its_own_pass(
    table: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Integer-coded exports with no headline item: the counting pass tallies the
    # composite with the first rows' scales; it must equal the composite's own pass.
    import cxgap.scan.prepare

    paths = _integer_exports(table, 300)
    early = cxgap.scan.prepare.prepare(
        dict(zip(("leaders", "customers"), paths, strict=True)), Config()
    )
    assert early.early is not None and early.early.composite is not None
    with_tally = analyze(*paths)
    monkeypatch.setattr(cxgap.scan.prepare, "provisional_votes", lambda *a: None)
    assert (
        cxgap.scan.prepare.prepare(
            dict(zip(("leaders", "customers"), paths, strict=True)), Config()
        ).early
        is None
    )
    assert analyze(*paths).model_dump_json() == with_tally.model_dump_json()
    assert with_tally.headline.source == "composite"
    assert not any("second pass" in w for w in with_tally.warnings)


def test_composite_takes_its_own_pass_when_the_first_rows_misled(
    table: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first rows show codes 1-5; a later 7 makes item a a 1-7 item, so the votes the
    # counting pass tallied with are wrong: the composite is counted again, and says so.
    import cxgap.scan.first_rows
    import cxgap.scan.prepare
    import cxgap.scan.sniff

    monkeypatch.setattr(cxgap.scan.first_rows, "SNIFF_ROWS", 50)
    paths = _integer_exports(table, 300, late="7")
    result = analyze(*paths)
    assert any("second pass" in w for w in result.warnings)
    monkeypatch.setattr(cxgap.scan.prepare, "provisional_votes", lambda *a: None)
    again = analyze(*paths)
    assert [w for w in again.warnings if "second pass" not in w] == [
        w for w in result.warnings if "second pass" not in w
    ]
    assert again.headline == result.headline
    assert cxgap.scan.sniff.SNIFF_ROWS == 10_000


def _label_exports(table: Writer, rows: int, *, late: str | None = None) -> tuple[object, ...]:
    import random

    rng = random.Random(5)
    labels = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
    items = ["a", "b", "c", "d"]
    leaders = {i: [rng.choice(labels[1:]) for _ in range(40)] for i in items}
    customers = {i: [rng.choice([*labels[1:], ""]) for _ in range(rows)] for i in items}
    customers["a"][-1] = late or customers["a"][-1]
    return table("l.csv", leaders), table("c.csv", customers)


@pytest.mark.parametrize("late", [None, "Strongly disagree"])
def test_composite_tallied_in_the_text_pass_equals_its_own_pass(
    table: Writer, monkeypatch: pytest.MonkeyPatch, late: str | None
) -> None:
    # Labels, read as text: the counting pass tallies the composite with the first rows'
    # votes too; a label the first rows did not show sends the composite to its own pass,
    # without a word (as every text export's composite was counted before).
    import cxgap.scan.first_rows
    import cxgap.scan.prepare

    monkeypatch.setattr(cxgap.scan.first_rows, "SNIFF_ROWS", 50)
    paths = _label_exports(table, 300, late=late)
    inputs = dict(zip(("leaders", "customers"), paths, strict=True))
    early = cxgap.scan.prepare.prepare(inputs, Config())
    assert (early.early is not None) == (late is None)
    tallied = analyze(*paths)
    monkeypatch.setattr(cxgap.scan.prepare, "provisional_votes", lambda *a: None)
    assert cxgap.scan.prepare.prepare(inputs, Config()).early is None
    assert analyze(*paths).model_dump_json() == tallied.model_dump_json()
    assert tallied.headline.source == "composite"
    assert not any("second pass" in w for w in tallied.warnings)


def test_short_line_found_when_the_last_column_is_no_item(table: Writer) -> None:
    # The integer pass counts the last column's blanks even when it is no item (a
    # comment): a blank there sends the file to the line-by-line field count.
    from cxgap.errors import RaggedRow

    leaders, customers = _integer_exports(table, 300)
    path = Path(str(customers))
    lines = path.read_text().splitlines()
    lines[5] = lines[5].rsplit(",", 1)[0]  # one field short
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RaggedRow):
        analyze(leaders, customers)


def test_composite_tallied_for_some_groups_and_counted_for_another(
    table: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The leaders' export has a non-answer, so it takes the text pass, the customers' the
    # integer pass: both tally the composite while counting. The frontline's file lacks
    # an item, so its composite (over the items it has) takes its own pass.
    import cxgap.scan.prepare

    leaders_path, customers_path = _integer_exports(table, 300)
    text = Path(str(leaders_path)).read_text().replace("\n3,", "\nN/A,", 1)
    Path(str(leaders_path)).write_text(text)
    frontline = table("f.csv", {i: ["4", "2", "5", "1"] * 5 for i in ("a", "b", "c")})
    inputs = {"leaders": leaders_path, "frontline": frontline, "customers": customers_path}
    prep = cxgap.scan.prepare.prepare(inputs, Config())
    assert prep.early is not None and prep.early.composite is not None
    assert prep.early.composite["group"].to_list() == ["leaders", "customers"]
    groups = {"frontline": frontline}
    with_tally = analyze(leaders_path, customers_path, groups=groups)
    assert with_tally.headline.source == "composite"
    monkeypatch.setattr(cxgap.scan.prepare, "provisional_votes", lambda *a: None)
    again = analyze(leaders_path, customers_path, groups=groups)
    assert again.model_dump_json() == with_tally.model_dump_json()
