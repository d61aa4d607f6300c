"""Groups as data: three groups against hand-worked counts and statsmodels, Holm over the
whole family (items x comparisons), comparisons from config, groups from files or from a
group column, counts files with three groups, and version-1 baselines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)
from tests.conftest import Writer
from typer.testing import CliRunner

from cxgap import analyze
from cxgap.analysis.build import analyze_counts
from cxgap.cli import app
from cxgap.config import Config
from cxgap.errors import ConfigError, UsageError
from cxgap.scan.count_out import count

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

#: group -> item -> (agree, answered): answers 5 (agree) and 2 (not), on a 1-5 scale
COUNTS = {
    "leaders": {"q": (30, 40), "r": (20, 40)},
    "frontline": {"q": (25, 50), "r": (24, 50)},
    "customers": {"q": (12, 60), "r": (33, 60)},
}


def _answers(agree: int, n: int) -> list[str]:
    return ["5"] * agree + ["2"] * (n - agree)


def _files(table: Writer) -> dict[str, Path]:
    return {
        group: table(f"{group}.csv", {item: _answers(*c) for item, c in items.items()})
        for group, items in COUNTS.items()
    }


def test_three_groups_match_hand_counts_and_statsmodels(table: Writer) -> None:
    files = _files(table)
    cfg = Config(headline_item="q")
    result = analyze(files["leaders"], files["customers"], cfg,
                     groups={"frontline": files["frontline"]})  # fmt: skip
    assert result.group_names == ["leaders", "frontline", "customers"]
    assert [(c.a, c.b) for c in result.comparisons] == [
        ("leaders", "customers"), ("leaders", "frontline"), ("frontline", "customers"),
    ]  # fmt: skip
    assert result.group("frontline").label == "frontline staff"
    raw = []
    for item in result.items:
        for group, stats in item.groups.items():
            agree, n = COUNTS[group][item.item]
            assert (stats.agree, stats.n) == (agree, n)
            lo, hi = proportion_confint(agree, n, method="wilson")
            assert stats.ci == (pytest.approx(lo, abs=1e-12), pytest.approx(hi, abs=1e-12))
        for c in item.comparisons:
            (x1, n1), (x2, n2) = COUNTS[c.a][item.item], COUNTS[c.b][item.item]
            assert c.gap == pytest.approx(x1 / n1 - x2 / n2, abs=1e-15)
            ref = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb")
            assert c.gap_ci == (pytest.approx(ref[0], abs=1e-12), pytest.approx(ref[1], abs=1e-12))
            _, p = proportions_ztest([x1, x2], [n1, n2])
            assert (c.test, c.p_value) == ("score", pytest.approx(p, rel=1e-9))
            raw.append((item.item, c.a, c.b, c.p_value))
    # Holm over the whole family: 2 items x 3 comparisons
    adjusted = multipletests([p for *_, p in raw], method="holm")[1]
    got = {(i.item, c.a, c.b): c.p_adjusted for i in result.items for c in i.comparisons}
    for (item, a, b, _), ref_p in zip(raw, adjusted, strict=True):
        assert got[(item, a, b)] == pytest.approx(ref_p, rel=1e-9)
    # the headline item's statistics are the headline's
    assert result.headline.comparisons == next(i for i in result.items if i.item == "q").comparisons
    assert result.headline.text.startswith(
        "75% of leaders, 50% of frontline staff and 20% of customers agree: q (gap leaders - "
        "customers +55 pp"
    )


def test_findings_per_comparison_and_in_words(table: Writer) -> None:
    files = _files(table)
    result = analyze(files["leaders"], files["customers"], Config(headline_item="q"),
                     groups={"frontline": files["frontline"]})  # fmt: skip
    by_pair = {(f.a, f.b): f for f in result.findings.comparisons}
    assert by_pair[("leaders", "customers")].blind_spots == ["q"]
    assert by_pair[("leaders", "customers")].hidden_strengths == []
    assert by_pair[("frontline", "customers")].blind_spots == ["q"]
    assert result.findings.summary == [
        "Leaders and customers are furthest apart on q (+55 pp).",
        "Leaders and frontline staff differ clearly on no item.",
        "The experience breaks between frontline staff and customers most on q (+30 pp).",
    ]
    assert result.findings.blind_spots == ["q"]  # the headline comparison's


def test_comparisons_and_order_come_from_config(table: Writer) -> None:
    files = _files(table)
    cfg = Config(headline_item="q", comparisons=[("frontline", "customers")])
    result = analyze(files["leaders"], files["customers"], cfg,
                     groups={"frontline": files["frontline"]})  # fmt: skip
    assert [(c.a, c.b) for c in result.comparisons] == [("frontline", "customers")]
    q = next(i for i in result.items if i.item == "q")
    assert q.primary.gap == pytest.approx(0.5 - 0.2)
    # one comparison: adjusted over the items only
    ps = [i.primary.p_value for i in result.items]
    assert [i.primary.p_adjusted for i in result.items] == pytest.approx(
        list(multipletests(ps, method="holm")[1]), rel=1e-9
    )
    with pytest.raises(ConfigError, match="comparisons: unknown group 'board'"):
        analyze(files["leaders"], files["customers"], Config(comparisons=[("board", "customers")]))


def test_two_groups_are_unchanged_by_a_third_groups_absence(table: Writer) -> None:
    files = _files(table)
    two = analyze(files["leaders"], files["customers"], Config(headline_item="q"))
    three = analyze(files["leaders"], files["customers"], Config(headline_item="q"),
                    groups={"frontline": files["frontline"]})  # fmt: skip
    for a, b in zip(two.items, three.items, strict=True):
        assert a.groups["leaders"] == b.groups["leaders"]
        assert a.primary.gap == b.primary.gap and a.primary.gap_ci == b.primary.gap_ci
        assert a.primary.p_value == b.primary.p_value
        # the larger family adjusts more
        assert (b.primary.p_adjusted or 0) >= (a.primary.p_adjusted or 0)


def test_frontline_from_flag_config_file_and_group_option_agree(
    table: Writer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(table)
    monkeypatch.chdir(tmp_path)
    base = ["analyze", "leaders.csv", "customers.csv", "-f", "json", "--headline-item", "q"]
    by_flag = runner.invoke(app, [*base, "--frontline", "frontline.csv"])
    by_group = runner.invoke(app, [*base, "--group", "frontline=frontline.csv"])
    sub = tmp_path / "conf"
    sub.mkdir()
    (sub / "cxgap.toml").write_text('[groups.frontline]\nfiles = ["../frontline.csv"]\n')
    by_config = runner.invoke(app, [*base, "-c", str(sub / "cxgap.toml")])
    outputs = [by_flag, by_group, by_config]
    assert all(o.exit_code == 0 for o in outputs), [o.output for o in outputs]
    reports = [json.loads(o.stdout) for o in outputs]
    assert [g["name"] for g in reports[0]["groups"]] == ["leaders", "frontline", "customers"]
    assert reports[0]["items"] == reports[1]["items"] == reports[2]["items"]
    assert files["frontline"].name == "frontline.csv"


def test_group_option_is_checked(table: Writer, tmp_path: Path) -> None:
    files = _files(table)
    base = ["analyze", str(files["leaders"]), str(files["customers"])]
    cases = (("frontline", "expected NAME=FILE"), ("Front Line=x.csv", "not a group name"),
             ("leaders=x.csv", "given twice"), ("gap=x.csv", "names a column"))  # fmt: skip
    for spec, words in cases:
        out = runner.invoke(app, [*base, "--group", spec])
        assert out.exit_code == 2 and words in out.stderr, out.output


def test_a_configured_group_without_an_export_is_a_usage_error(table: Writer) -> None:
    files = _files(table)
    cfg = Config(groups={"board": {"label": "the board"}})
    with pytest.raises(UsageError, match=r"group 'board' has no export: give it \(--group board="):
        analyze(files["leaders"], files["customers"], cfg)


def test_three_groups_from_one_export_split_by_a_group_column(table: Writer) -> None:
    rows = {g: _answers(*COUNTS[g]["q"]) for g in COUNTS}
    survey = table(
        "all.csv",
        {
            "role": [g for g in COUNTS for _ in rows[g]],
            "q": [a for g in COUNTS for a in rows[g]],
        },
    )
    cfg = Config(
        headline_item="q",
        group_column="role",
        leaders_values=["leaders"],
        customers_values=["customers"],
        groups={"frontline": {"values": ["frontline"]}},
    )
    result = analyze(survey, survey, cfg)
    q = result.items[0]
    assert {g: (s.agree, s.n) for g, s in q.groups.items()} == {g: COUNTS[g]["q"] for g in COUNTS}
    assert list(q.groups) == ["leaders", "frontline", "customers"]


def test_counts_file_with_three_groups_analyses_as_the_exports(
    table: Writer, tmp_path: Path
) -> None:
    files = _files(table)
    for cfg in (Config(headline_item="q"), Config()):  # the headline item; the composite
        direct = analyze(files["leaders"], files["customers"], cfg,
                         groups={"frontline": files["frontline"]})  # fmt: skip
        path = tmp_path / "counts.parquet"
        path.write_bytes(
            count(
                files["leaders"], files["customers"], cfg, groups={"frontline": files["frontline"]}
            )
        )
        again = analyze_counts(path, cfg)
        assert again.model_dump_json() == direct.model_dump_json()
        assert again.group_names == ["leaders", "frontline", "customers"]


def test_rules_read_the_headline_comparison_only(table: Writer) -> None:
    """A third group with few answers never makes a gate rule inconclusive."""
    from cxgap.analysis.gate import check

    files = _files(table)
    tiny = table("tiny.csv", {"q": ["5", "2"], "r": ["5", "2"]})
    cfg = Config(headline_item="q", check={"max_gap_pp": 80, "min_n": 30})
    result = check(files["leaders"], files["customers"], cfg, groups={"frontline": tiny})
    assert result.status == "pass"
    assert [v.status for v in result.verdicts] == ["pass"]


def test_sample_tells_the_three_layer_story() -> None:
    from cxgap.config import load_config

    cfg = load_config(SAMPLE / "cxgap.toml")
    result = analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", cfg,
                     groups={"frontline": SAMPLE / "frontline.csv"})  # fmt: skip
    text = result.headline.text
    assert text.startswith("81% of leaders, 50% of frontline staff and 24% of customers agree")
    lost, breaks = result.findings.summary[1:3]  # then the priorities' sentences
    assert lost.startswith("The message is lost between leaders and frontline staff most on")
    assert breaks.startswith("The experience breaks between frontline staff and customers")


def test_validate_checks_the_frontline_file_too(table: Writer) -> None:
    files = _files(table)
    broken = table("broken.csv", {"q": ["5", "2", "maybe"], "r": ["5", "2", "2"]})
    base = ["validate", str(files["leaders"]), str(files["customers"]), "-f", "json"]
    good = runner.invoke(app, [*base, "--frontline", str(files["frontline"])])
    assert good.exit_code == 0, good.output
    report = json.loads(good.stdout)
    assert report["files"][-1] == str(files["frontline"]) and report["valid"]
    bad = runner.invoke(
        app, [*base, "--frontline", str(broken), "--include", "q", "--include", "r"]
    )
    problems = json.loads(bad.stdout)["problems"]
    assert any(p["file"] == str(broken) and p["column"] == "q" for p in problems), problems


def test_one_export_serving_two_groups_is_sniffed_and_counted_once(
    table: Writer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import shutil

    import cxgap.scan.per_file as per_file
    from cxgap.io import open_survey

    files = _files(table)
    copy = tmp_path / "copy.csv"
    shutil.copy(files["leaders"], copy)
    calls: list[str] = []
    real = per_file.count_file

    def counting(plan, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(plan.group)
        return real(plan, *args, **kwargs)

    monkeypatch.setattr(per_file, "count_file", counting)
    survey = open_survey(files["leaders"])
    once = analyze(survey, survey, Config(headline_item="q"))
    assert calls == ["leaders"]
    twice = analyze(files["leaders"], copy, Config(headline_item="q"))
    assert calls == ["leaders", "leaders", "customers"]
    assert once.items == twice.items and once.headline == twice.headline
    same_path = analyze(files["leaders"], files["leaders"], Config(headline_item="q"))
    assert calls == ["leaders", "leaders", "customers", "leaders"]  # opened once
    assert same_path.items == once.items


def test_one_export_serving_two_groups_reads_its_rows_for_the_composite_once(
    table: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the first rows' votes the composite headline takes a pass of its own.
    import cxgap.scan.passes as passes
    import cxgap.scan.prepare
    from cxgap.io import open_survey

    labels = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
    path = table("one.csv", {"q": labels * 4, "r": labels[::-1] * 4, "s": labels[1:] * 5})
    calls: list[int] = []
    real = passes.respondent_tally

    def tally(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(passes, "respondent_tally", tally)
    monkeypatch.setattr(cxgap.scan.prepare, "provisional_votes", lambda *a: None)
    survey = open_survey(path)
    result = analyze(survey, survey)
    assert calls == [1]
    assert result.headline.source == "composite"
    counts = [result.headline.groups[g] for g in ("leaders", "customers")]
    assert counts[0] == counts[1] and counts[0].n == 20


# What a fresh-eyes review found -------------------------------------------------------


def test_another_groups_waves_are_not_waves_of_the_gate(table: Writer) -> None:
    """A frontline file with waves of its own must not move check's current wave."""
    from cxgap import check, trend

    lead = table("l.csv", {"wave": ["W1"] * 40 + ["W2"] * 40, "q": _answers(30, 40) * 2})
    cust = table("c.csv", {"wave": ["W1"] * 60 + ["W2"] * 60,
                           "q": _answers(30, 60) + _answers(12, 60)})  # fmt: skip
    front = table("f.csv", {"wave": ["W0"] * 25 + ["W9"] * 25, "q": _answers(25, 50)})
    cfg = Config(headline_item="q", check={"max_drop_pp": 5})
    gate = check(lead, cust, cfg, groups={"frontline": front})
    assert (gate.current_wave, gate.baseline and gate.baseline.wave) == ("W2", "W1")
    assert gate.status == "fail"  # customers fell from 50% to 20%
    assert trend(lead, cust, cfg, groups={"frontline": front}).waves == ["W1", "W2"]
    from cxgap.analysis.by_wave import analyze_wave

    with pytest.raises(UsageError, match="wave 'W9' is not in the data"):
        analyze_wave(lead, cust, cfg, groups={"frontline": front}, wave="W9")


def test_group_order_keeps_leaders_first_and_customers_last() -> None:
    with pytest.raises(ValueError, match="group_order: runs from leaders"):
        Config(group_order=["leaders", "customers", "frontline"])
    assert Config(group_order=["leaders", "board", "customers"]).group_names(["frontline"]) == [
        "leaders", "board", "frontline", "customers",
    ]  # fmt: skip


def test_comparisons_twice_or_backwards_are_refused(table: Writer) -> None:
    with pytest.raises(ValueError, match="compared twice"):
        Config(comparisons=[("leaders", "frontline"), ("frontline", "leaders")])
    files = _files(table)
    cfg = Config(comparisons=[("customers", "leaders")])
    with pytest.raises(ConfigError, match="runs backwards"):
        analyze(files["leaders"], files["customers"], cfg)


@pytest.mark.parametrize(
    ("groups", "words"),
    [({"leaders": "x.csv"}, "given twice"), ({"Front line": "x.csv"}, "not a group name"),
     ({"=cmd|' /C calc'!A0": "x.csv"}, "not a group name"), ({"gap": "x.csv"}, "names a column"),
     ({"frontline": None}, "no export")],
)  # fmt: skip
def test_the_api_checks_group_names_as_the_cli_does(
    table: Writer, groups: dict[str, str], words: str
) -> None:
    files = _files(table)
    with pytest.raises(UsageError, match=re.escape(words)):
        analyze(files["leaders"], files["customers"], groups=groups)


def test_a_counts_file_refuses_more_groups(table: Writer, tmp_path: Path) -> None:
    files = _files(table)
    path = tmp_path / "c.parquet"
    path.write_bytes(count(files["leaders"], files["customers"]))
    with pytest.raises(UsageError, match="a counts file holds every group"):
        analyze(path, path, groups={"frontline": files["frontline"]})
    out = runner.invoke(app, ["analyze", str(path), "--frontline", str(files["frontline"])])
    assert out.exit_code == 2 and "counts file holds every group" in out.stderr


def test_an_item_missing_from_another_group_stays_for_the_others(table: Writer) -> None:
    files = _files(table)
    board = table("board.csv", {"q": _answers(10, 20)})  # no column r
    result = analyze(files["leaders"], files["customers"], Config(headline_item="r"),
                     groups={"board": board})  # fmt: skip
    r = next(i for i in result.items if i.item == "r")
    assert r.groups["board"].n == 0 and r.groups["board"].share is None
    assert r.primary.gap == pytest.approx(20 / 40 - 33 / 60)
    assert r.comparison("leaders", "board").gap is None
    assert result.headline.item == "r"
    assert any("not in the board's file" in w for w in result.warnings)


def test_labels_are_text_in_tables_summaries_and_charts(table: Writer, tmp_path: Path) -> None:
    from cxgap import build_deck, build_report, write_charts
    from cxgap.charts.render import chart_bytes
    from cxgap.render.table import render_table

    files = _files(table)
    cfg = Config(
        headline_item="q",
        groups={"frontline": {"label": "NHS staff [/] paid $15 to $20"}},
        items={"q": {"label": "Costs $5 [bold]or[/] less"}},
    )
    result = analyze(files["leaders"], files["customers"], cfg,
                     groups={"frontline": files["frontline"]})  # fmt: skip
    text = render_table(result, width=140)
    assert "NHS staff [/] paid" in text and "Costs $5 [bold]or[/] less" in text
    assert any(s.startswith("The experience breaks between NHS staff") for s in
               result.findings.summary)  # fmt: skip
    svg = chart_bytes("slope", result, cfg.theme, (13.333, 7.5), "svg").decode()
    assert "$15 to $20" in svg and "Costs $5" in svg
    # the API takes what the commands take, with defaults for the rest
    assert build_deck(result)[:2] == b"PK" and "<svg" in build_report(result)
    assert sorted(p.name for p in write_charts(tmp_path / "c", result, formats=["svg"]))[-1] == (
        "slope.svg"
    )


def test_every_group_has_its_own_colour() -> None:
    from cxgap.config import Theme

    names = ["leaders", "board", "partners", "agents", "frontline", "customers"]
    palette = Theme().palette(names)
    assert len(set(palette.values())) == len(names)
    assert Theme(group_colors={"board": "#123456"}).palette(names)["board"] == "#123456"


def test_validate_decides_scales_as_analyze_with_three_groups() -> None:
    from cxgap import validate
    from cxgap.config import load_config

    cfg = load_config(SAMPLE / "cxgap.toml")
    report = validate([SAMPLE / "leaders.csv", SAMPLE / "customers.csv"], cfg,
                      groups={"frontline": SAMPLE / "frontline.csv"})  # fmt: skip
    assert report.valid and report.warnings == 0
    # the agreement items by their labels; the NPS item as the sample's config sets it
    assert {(s.scale, s.source) for s in report.scales} == {
        ("agreement-5", "labels"),
        ("0-10", "config"),
    }


def test_validate_says_what_another_groups_file_lacks(table: Writer) -> None:
    from cxgap import validate

    files = _files(table)
    board = table("board.csv", {"q": _answers(10, 20)})  # no column r
    report = validate([files["leaders"], files["customers"]], groups={"board": board})
    lacking = [p for p in report.problems if p.file == str(board)]
    assert [(p.code, p.severity, p.count) for p in lacking] == [("only-in-one-file", "warning", 1)]
    assert "n/a there): r" in lacking[0].message


# What a code review found ---------------------------------------------------------------


def test_an_output_is_never_written_over_another_groups_file(table: Writer) -> None:
    files = _files(table)
    before = files["frontline"].read_bytes()
    base = ["analyze", str(files["leaders"]), str(files["customers"]), "-f", "csv"]
    out = runner.invoke(app, [*base, "--frontline", str(files["frontline"]),
                              "-o", str(files["frontline"])])  # fmt: skip
    assert out.exit_code == 2 and "over an input file" in out.stderr
    assert files["frontline"].read_bytes() == before


def test_the_composite_runs_over_what_a_third_groups_file_has(table: Writer) -> None:
    files = _files(table)
    board = table("board.csv", {"q": _answers(10, 20)})  # no column r
    result = analyze(files["leaders"], files["customers"], groups={"board": board})
    assert result.headline.source == "composite"
    assert result.headline.groups["board"].n == 20
    assert result.headline.groups["customers"].n == 60


def test_the_headline_stands_when_another_group_has_no_answers(table: Writer) -> None:
    files = _files(table)
    empty = table("empty.csv", {"q": [""] * 5, "r": [""] * 5})
    result = analyze(files["leaders"], files["customers"], Config(headline_item="q"),
                     groups={"frontline": empty})  # fmt: skip
    assert result.headline.text.startswith(
        "75% of leaders, n/a of frontline staff and 20% of customers agree: q"
    )


def test_one_split_export_and_a_group_file_of_its_own(table: Writer) -> None:
    one = table("one.csv", {
        "role": ["L"] * 40 + ["C"] * 60,
        "q": _answers(*COUNTS["leaders"]["q"]) + _answers(*COUNTS["customers"]["q"]),
    })  # fmt: skip
    files = _files(table)
    cfg = Config(headline_item="q", group_column="role", leaders_values=["L"],
                 customers_values=["C"])  # fmt: skip
    result = analyze(one, one, cfg, groups={"frontline": files["frontline"]})
    q = result.items[0]
    assert {g: (s.agree, s.n) for g, s in q.groups.items()} == {
        g: COUNTS[g]["q"] for g in ("leaders", "frontline", "customers")
    }


def test_a_counts_file_refuses_a_config_group_it_does_not_hold(
    table: Writer, tmp_path: Path
) -> None:
    from cxgap.errors import NeedsRows

    files = _files(table)
    path = tmp_path / "two.parquet"
    path.write_bytes(count(files["leaders"], files["customers"], Config(headline_item="q")))
    cfg = Config(headline_item="q", groups={"frontline": {"files": [str(files["frontline"])]}})
    with pytest.raises(NeedsRows, match="frontline"):
        analyze_counts(path, cfg)


def test_commands_that_read_exports_only_offer_no_counts_flag() -> None:
    for command in ("validate", "counts"):
        out = runner.invoke(app, [command, "--help"])
        assert out.exit_code == 0 and "--counts" not in out.stdout and "--frontline" in out.stdout
    assert "--counts" in runner.invoke(app, ["analyze", "--help"]).stdout


@pytest.fixture(scope="module")
def three_layer():  # type: ignore[no-untyped-def]
    from cxgap import load_config, trend

    cfg = load_config(SAMPLE / "cxgap.toml")
    leaders, customers = str(SAMPLE / "leaders*.csv"), str(SAMPLE / "customers*.csv")
    groups = {"frontline": SAMPLE / "frontline.csv"}
    one = analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", cfg, groups=groups)
    return one, trend(leaders, customers, cfg, groups=groups)


@pytest.mark.parametrize("width", [80, 100, 140])
def test_three_groups_fit_the_terminal(three_layer, width: int) -> None:  # type: ignore[no-untyped-def]
    from cxgap.render import render

    result, by_wave = three_layer
    for text in (render(result, "table", width=width), render(by_wave, "table", width=width)):
        assert all(len(line) <= width for line in text.splitlines())
        # every share of every group is whole somewhere: numbers are never cut
        assert "%\u2026" not in text and not re.search(r"\d\u2026", text)
    table = render(result, "table", width=width)
    shown = "L-F" in table.split("\u2500", 1)[0]  # a column header above the rule
    # the caption names the other comparisons exactly when their columns are shown
    assert ("L-F = leaders - frontline staff" in " ".join(table.split())) == shown
    if width >= 100:
        assert shown
    for item in result.items:  # the headline gap of every item is in the table
        assert f"{round((item.primary.gap or 0) * 100):+d}" in table
