"""The CI gate: rules at their boundaries, noise, baselines, reports for CI systems."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import ROOT, Writer
from typer.testing import CliRunner

from cxgap import Config, analyze
from cxgap.analysis.gate import check
from cxgap.analysis.trend import trend
from cxgap.analysis.verdicts import verdict as _verdict
from cxgap.cli import app
from cxgap.errors import InputError, UsageError
from cxgap.render.check import (
    render_check_markdown,
    render_check_table,
    render_github_annotations,
    render_junit,
)
from cxgap.render.json import render_json
from cxgap.stats import holm
from cxgap.stats.breach import breach_tests
from cxgap.stats.changes import (
    combination_lower_bound,
    combination_test,
    corrected_wilson_limits,
    mover_difference,
)

GOLDEN = ROOT / "tests" / "golden"
SAMPLE_ARGS = [
    "data/sample/leaders*.csv",
    "data/sample/customers*.csv",
    "-c",
    "data/sample/cxgap.toml",
]
runner = CliRunner()


def answers(agree: int, n: int) -> list[str]:
    """n answers of which ``agree`` are top-2-box (5) and the rest 1."""
    return ["5"] * agree + ["1"] * (n - agree)


def cfg(**rules: object) -> Config:
    return Config.model_validate({"headline_item": "q", "check": rules})


def gap_files(table: Writer, lead: tuple[int, int], cust: tuple[int, int]) -> tuple[Path, Path]:
    return (
        table("l.csv", {"q": answers(*lead)}),
        table("c.csv", {"q": answers(*cust)}),
    )


def status(result, rule: str = "max_gap_pp") -> str:  # type: ignore[no-untyped-def]
    return next(v.status for v in result.verdicts if v.rule == rule)


@pytest.mark.parametrize(
    ("lead_agree", "expected"),
    [(79, "pass"), (80, "pass"), (81, "fail")],  # gap 29, 30 (the threshold), 31 pp
)
def test_max_gap_at_its_boundary(table: Writer, lead_agree: int, expected: str) -> None:
    leaders, customers = gap_files(table, (lead_agree, 100), (50, 100))
    result = check(leaders, customers, cfg(max_gap_pp=30, require_significance=False))
    assert status(result) == expected
    assert result.status == expected


def test_breach_within_noise_is_a_warning(table: Writer) -> None:
    leaders, customers = gap_files(table, (81, 100), (50, 100))
    result = check(leaders, customers, cfg(max_gap_pp=30))
    verdict = result.verdicts[0]
    assert verdict.status == "warn"
    assert verdict.p_breach is not None and verdict.p_breach > 0.05
    assert result.status == "pass"


def test_significant_breach_fails(table: Writer) -> None:
    leaders, customers = gap_files(table, (950, 1000), (300, 1000))  # gap 65 vs limit 30
    result = check(leaders, customers, cfg(max_gap_pp=30))
    assert status(result) == "fail" and result.status == "fail"


def _two_waves(table: Writer, before: tuple[int, int], after: tuple[int, int]) -> tuple[Path, Path]:
    leaders = table("l.csv", {"q": answers(80, 100)})
    n0, n1 = before[1], after[1]
    customers = pl.DataFrame(
        {"wave": ["2026Q2"] * n0 + ["2026Q3"] * n1, "q": answers(*before) + answers(*after)}
    )
    path = leaders.parent / "c.csv"
    customers.write_csv(path)
    return leaders, path


def test_large_drop_in_a_tiny_sample_is_not_a_failure(table: Writer) -> None:
    leaders, customers = _two_waves(table, (6, 10), (3, 10))  # a 30 pp drop, n = 10
    warn = check(leaders, customers, cfg(max_drop_pp=5, min_n=5))
    assert status(warn, "max_drop_pp") == "warn"
    inconclusive = check(leaders, customers, cfg(max_drop_pp=5, min_n=30))
    assert status(inconclusive, "max_drop_pp") == "inconclusive"
    assert inconclusive.status == "inconclusive"


def test_small_significant_drop_in_a_huge_sample_passes_a_practical_threshold(
    table: Writer,
) -> None:
    leaders, customers = _two_waves(table, (100_000, 200_000), (98_000, 200_000))  # -1 pp
    result = check(leaders, customers, cfg(max_drop_pp=3))
    assert status(result, "max_drop_pp") == "pass"
    change = next(v for v in result.verdicts if v.rule == "max_drop_pp")
    assert change.value_pp == pytest.approx(1.0)
    assert change.ci_pp[0] is not None and change.ci_pp[0] > 0  # significant, but small
    # ...and the same drop fails a threshold it clearly exceeds.
    assert status(check(leaders, customers, cfg(max_drop_pp=0.5)), "max_drop_pp") == "fail"


def test_drop_boundary_one_respondent_either_side(table: Writer) -> None:
    # 5 pp on n = 100 is exactly 5 respondents.
    for after, expected in ((56, "pass"), (55, "pass"), (54, "fail")):
        leaders, customers = _two_waves(table, (60, 100), (after, 100))
        result = check(leaders, customers, cfg(max_drop_pp=5, require_significance=False))
        assert status(result, "max_drop_pp") == expected, after


def test_baseline_from_json_equals_baseline_from_the_previous_wave(
    table: Writer, tmp_path: Path
) -> None:
    leaders, customers = _two_waves(table, (60, 200), (40, 200))
    rules = cfg(max_drop_pp=5, max_gap_widening_pp=5)
    from_wave = check(leaders, customers, rules, baseline_wave="2026Q2")
    previous = tmp_path / "previous.csv"
    pl.read_csv(customers).filter(pl.col("wave") == "2026Q2").write_csv(previous)
    report = tmp_path / "previous.json"
    report.write_text(render_json(analyze(leaders, previous, rules)))
    current = tmp_path / "current.csv"
    pl.read_csv(customers).filter(pl.col("wave") == "2026Q3").write_csv(current)
    from_report = check(leaders, current, rules, baseline=report)
    # A report holds its floats at 12 significant digits, so what is computed from its
    # intervals agrees with the in-memory baseline to about that precision.
    for got, want in zip(from_report.verdicts, from_wave.verdicts, strict=True):
        assert (got.rule, got.item, got.status) == (want.rule, want.item, want.status)
        assert got.value_pp == pytest.approx(want.value_pp, rel=1e-9)
        assert got.ci_pp == pytest.approx(want.ci_pp, rel=1e-9)
        assert got.p_breach == pytest.approx(want.p_breach, rel=1e-9)
    # A check report is a baseline too (its "current" analysis).
    chained = tmp_path / "check.json"
    chained.write_text(render_json(from_report))
    again = check(leaders, current, rules, baseline=chained)
    assert [v.status for v in again.verdicts] == ["pass", "pass"]  # compared with itself


def test_change_rules_need_a_baseline(table: Writer) -> None:
    leaders, customers = gap_files(table, (80, 100), (50, 100))
    with pytest.raises(UsageError, match="baseline"):
        check(leaders, customers, cfg(max_drop_pp=5))
    with pytest.raises(UsageError, match="no rules"):
        check(leaders, customers, cfg())


def test_bad_baseline_report_names_the_file(table: Writer, tmp_path: Path) -> None:
    leaders, customers = gap_files(table, (80, 100), (50, 100))
    bad = tmp_path / "b.json"
    bad.write_text('{"schema_version": 1}')
    with pytest.raises(InputError, match="not a cxgap report") as info:
        check(leaders, customers, cfg(max_drop_pp=5), baseline=bad)
    assert info.value.file == str(bad)


def test_scope_all_and_named_items(table: Writer) -> None:
    leaders = table("l.csv", {"q": answers(80, 100), "r": answers(90, 100)})
    customers = table("c.csv", {"q": answers(50, 100), "r": answers(10, 100)})
    every = check(leaders, customers, cfg(max_gap_pp=40, scope="all", require_significance=False))
    assert [(v.item, v.target, v.status) for v in every.verdicts] == [
        ("q", "headline", "pass"),
        ("r", "item", "fail"),
    ]
    named = check(leaders, customers, cfg(max_gap_pp=40, scope=["r"], require_significance=False))
    assert [v.item for v in named.verdicts] == ["r"]


def test_junit_is_valid_and_carries_the_numbers() -> None:
    result = _sample_check()
    xml = render_junit(result)
    schema = xmlschema.XMLSchema(str(ROOT / "tests" / "schemas" / "junit.xsd"))
    schema.validate(xml)
    assert 'failures="1"' in xml
    assert "drop in customers' agreement 8.8 pp exceeds 5 pp" in xml
    assert xml.count("<testcase ") == len(result.verdicts)


def test_junit_schema_rejects_what_ci_servers_reject() -> None:
    schema = xmlschema.XMLSchema(str(ROOT / "tests" / "schemas" / "junit.xsd"))
    suite = '<testsuite name="x" tests="1" failures="0" errors="0">'
    bad = suite + '<testcase name="a" file="f"/></testsuite>'
    assert not schema.is_valid(bad)
    assert not schema.is_valid(
        '<testsuite name="x" tests="1" failures="0" errors="0" time="1e-3"/>'
    )


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def _sample_check():  # type: ignore[no-untyped-def]
    from cxgap.config import load_config

    config = load_config("data/sample/cxgap.toml")
    return check("data/sample/leaders*.csv", "data/sample/customers*.csv", config)


def test_sample_check_fails_on_one_item() -> None:
    result = _sample_check()
    failed = [(v.rule, v.item) for v in result.verdicts if v.status == "fail"]
    assert failed == [("max_drop_pp", "basics_problems_solved")]
    assert result.current_wave == "2026Q3"
    assert result.baseline is not None and result.baseline.wave == "2026Q2"


def test_annotations_and_step_summary_match_golden_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = runner.invoke(app, ["check", *SAMPLE_ARGS, "-f", "json", "-o", str(tmp_path / "r.json")])
    assert out.exit_code == 1
    assert out.stdout == (GOLDEN / "check.annotations.txt").read_text(encoding="utf-8")
    expected = "earlier step\n" + (GOLDEN / "check.summary.md").read_text(encoding="utf-8")
    assert summary.read_text(encoding="utf-8") == expected


def test_annotations_are_escaped_and_capped() -> None:
    result = _sample_check()
    fails = [v.model_copy(update={"status": "fail", "message": "50% bad\nline 2"})
             for v in result.verdicts]  # fmt: skip
    many = result.model_copy(update={"verdicts": fails})
    lines = render_github_annotations(many, file="a,b:c.csv").splitlines()
    assert len(lines) == 11
    assert lines[0].startswith("::error file=a%2Cb%3Ac.csv,title=cxgap max_")
    assert lines[0].endswith("::50%25 bad%0Aline 2")
    more = len(fails) - 10
    assert (
        lines[-1]
        == f"::notice title=cxgap check::{more} more finding(s) not annotated; see the report"
    )


def test_step_summary_escapes_item_names_and_headline() -> None:
    # the table's cells and the headline come from the data: HTML is shown, not run, and a
    # pipe never splits a cell (the warnings already were escaped)
    result = _sample_check()
    hostile = "<img src=x onerror=alert(1)> a|b"
    verdicts = [v.model_copy(update={"item": hostile}) if v.target != "headline" else v
                for v in result.verdicts]  # fmt: skip
    headline = result.current.headline.model_copy(update={"text": "<b>81%</b> agree"})
    current = result.current.model_copy(update={"headline": headline})
    text = render_check_markdown(
        result.model_copy(update={"verdicts": verdicts, "current": current})
    )
    assert "<img" not in text and "<b>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt; a\\|b" in text and "&lt;b&gt;81%" in text
    row = next(line for line in text.splitlines() if "onerror" in line)
    assert row.count(" | ") == 7  # eight cells, the item's pipe escaped
    # JUnit is XML: escaped once, by the XML writer (a Markdown escape there showed twice)
    import xml.etree.ElementTree as ET

    amp = [v.model_copy(update={"item": "Ease & speed | <overall>"}) if v.target != "headline"
           else v for v in result.verdicts]  # fmt: skip
    suite = ET.fromstring(render_junit(result.model_copy(update={"verdicts": amp})))
    names = [case.get("name") for case in suite.iter("testcase")]
    assert any(name and name.endswith("[Ease & speed | <overall>]") for name in names), names


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ([], 1),
        (["--max-drop-pp", "20"], 0),
        (["--baseline-wave", "2026Q9"], 2),
        (["--baseline", "missing.json"], 2),
    ],
)
def test_check_exit_codes(extra: list[str], code: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    out = runner.invoke(app, ["check", *SAMPLE_ARGS, *extra])
    assert out.exit_code == code, out.stderr
    if code == 2:
        assert out.stderr.startswith("cxgap: error: ")


def test_check_writes_junit_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    junit, report = tmp_path / "cxgap.xml", tmp_path / "check.json"
    out = runner.invoke(
        app, ["check", *SAMPLE_ARGS, "--junit", str(junit), "-f", "json", "-o", str(report)]
    )
    assert out.exit_code == 1
    data = json.loads(report.read_text())
    assert data["kind"] == "check" and data["status"] == "fail"
    assert data["current"]["schema_version"] == 2
    assert junit.read_text().startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="cxgap check"'
    )


def test_trend_cli_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for fmt in ("table", "json", "csv", "markdown"):
        out = runner.invoke(app, ["trend", *SAMPLE_ARGS, "-f", fmt])
        assert out.exit_code == 0, out.stderr
        assert "2026Q2" in out.stdout
    csv_out = runner.invoke(app, ["trend", *SAMPLE_ARGS, "-f", "csv"]).stdout.splitlines()
    assert csv_out[0].startswith("item,label,wave,leaders_n")
    assert len(csv_out) == 1 + 2 * 15  # headline + 14 items, two waves each


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_ci_examples_run_a_real_check_command(name: str) -> None:
    """The example workflows' cxgap command parses and runs on the sample layout."""
    import shlex

    text = (ROOT / "examples" / "ci" / name).read_text()
    start = text.index("cxgap check ")
    command = " ".join(text[start:].split("\n")[:2]).split("--junit")[0]
    args = shlex.split(command)[1:]
    assert args[:1] == ["check"]
    sample = ["data/sample/leaders*.csv", "data/sample/customers*.csv"]
    out = runner.invoke(app, [args[0], *sample, "-c", "data/sample/cxgap.toml", *args[3:]])
    assert out.exit_code == 1, out.stderr  # the sample's 2026Q3 drop breaches the gate


# The gate's statistics: paired waves, min_n, Holm's family, small samples, bounds.


def _leaders_once(
    table: Writer, lead: tuple[int, int], before: tuple[int, int], after: tuple[int, int]
) -> tuple[Path, Path]:
    """Leaders surveyed once (no wave column); customers in 2026Q2 and 2026Q3."""
    leaders = table("l.csv", {"q": answers(*lead)})
    customers = table(
        "c.csv",
        {
            "wave": ["2026Q2"] * before[1] + ["2026Q3"] * after[1],
            "q": answers(*before) + answers(*after),
        },
    )
    return leaders, customers


def verdict(result, rule: str):  # type: ignore[no-untyped-def]
    return next(v for v in result.verdicts if v.rule == rule)


def test_same_leaders_in_both_waves_fail_the_widening_gate(table: Writer) -> None:
    # 32/40 leaders surveyed once; customers 500/1000 -> 350/1000: the gap widens by
    # exactly the customers' drop, with the same interval (MOVER over the
    # continuity-corrected Wilson limits). Before: CI -3 to +33, a warning.
    leaders, customers = _leaders_once(table, (32, 40), (500, 1000), (350, 1000))
    result = check(leaders, customers, cfg(max_gap_widening_pp=5, max_drop_pp=5))
    widening, drop = verdict(result, "max_gap_widening_pp"), verdict(result, "max_drop_pp")
    z = 1.959963984540054
    (l0, u0), (l1, u1) = (corrected_wilson_limits([x], [1000], z) for x in (500, 350))
    lo, hi = mover_difference([0.5], l0, u0, [0.35], l1, u1)
    assert widening.value_pp == pytest.approx(15.0)
    assert widening.ci_pp == (pytest.approx(lo[0] * 100), pytest.approx(hi[0] * 100))
    assert widening.ci_pp == drop.ci_pp and widening.p_breach == drop.p_breach
    assert widening.status == "fail" and result.status == "fail"
    assert widening.bound_pp is not None and widening.bound_pp > 5
    assert any("leaders: the same answers" in w for w in result.warnings)
    args = [str(leaders), str(customers), "--headline-item", "q", "--max-gap-widening-pp", "5"]
    assert runner.invoke(app, ["check", *args]).exit_code == 1


def test_same_leaders_in_a_baseline_report_cancel_too(table: Writer, tmp_path: Path) -> None:
    leaders, customers = _leaders_once(table, (32, 40), (500, 1000), (350, 1000))
    by_wave = check(leaders, customers, cfg(max_gap_widening_pp=5), baseline_wave="2026Q2")
    report = tmp_path / "base.json"
    base = check(leaders, customers, cfg(max_gap_pp=100), wave="2026Q2")
    report.write_text(render_json(base), encoding="utf-8")
    by_report = check(leaders, customers, cfg(max_gap_widening_pp=5), baseline=report)
    assert (
        verdict(by_report, "max_gap_widening_pp").model_dump()
        == verdict(by_wave, "max_gap_widening_pp").model_dump()
    )
    assert by_report.status == "fail"


def test_min_n_only_counts_the_groups_a_rule_uses(table: Writer) -> None:
    # 20 leaders (min_n 30); customers 1000 per wave drop 20 pp (CI 15.6 to 24.3).
    # Before: "inconclusive" and exit 0, a silent pass.
    leaders, customers = _leaders_once(table, (16, 20), (600, 1000), (400, 1000))
    result = check(leaders, customers, cfg(max_drop_pp=5, max_gap_widening_pp=5, min_n=30))
    drop = verdict(result, "max_drop_pp")
    assert drop.status == "fail" and result.status == "fail"
    assert drop.ci_pp[0] == pytest.approx(15.55, abs=0.005)
    assert drop.ci_pp[1] == pytest.approx(24.34, abs=0.005)
    widening = verdict(result, "max_gap_widening_pp")
    assert widening.status == "inconclusive" and "fewer than 30" in widening.message
    gap = check(leaders, customers, cfg(max_gap_pp=5, min_n=30))
    assert verdict(gap, "max_gap_pp").status == "inconclusive"


def _items(
    table: Writer, lead: list[tuple[int, int]], cust: list[tuple[int, int]]
) -> tuple[Path, Path]:
    names = [f"i{k}" for k in range(len(lead))]
    leaders = table("l.csv", {n: answers(*c) for n, c in zip(names, lead, strict=True)})
    customers = table("c.csv", {n: answers(*c) for n, c in zip(names, cust, strict=True)})
    return leaders, customers


def test_holm_family_is_every_target_in_scope(table: Writer) -> None:
    # i0 breaches a 30 pp limit (gap 42 pp, raw p about 0.036); i1 is within it.
    # Both are in the family: i0's adjusted p is twice its raw p (before: equal to it).
    leaders, customers = _items(table, [(92, 100), (60, 100)], [(50, 100), (50, 100)])
    one = check(leaders, customers, Config.model_validate(
        {"headline_item": "i0", "check": {"max_gap_pp": 30, "scope": ["i0"]}}))  # fmt: skip
    two = check(leaders, customers, Config.model_validate(
        {"headline_item": "i0", "check": {"max_gap_pp": 30, "scope": ["i0", "i1"]}}))  # fmt: skip
    raw = one.verdicts[0].p_breach
    within = next(v for v in two.verdicts if v.item == "i1")
    assert raw is not None and 0.025 < raw < 0.05 and one.status == "fail"
    assert within.status == "pass" and within.p_breach is not None and within.p_breach >= 0.5
    assert two.verdicts[0].p_breach == pytest.approx(2 * raw, rel=1e-9)
    assert two.verdicts[0].status == "warn"


@pytest.mark.parametrize("m", [2, 20])
def test_family_wise_false_fail_rate_is_at_most_alpha(m: int) -> None:
    # Every target exactly at its limit (gap 30 pp = max_gap_pp); 4,000 seeded draws of
    # 200 leaders and 2,000 customers per target. A draw falsely fails when any target's
    # Holm-adjusted breach p is < 0.05. Selecting the family by the data (only targets
    # above the limit) gave 0.070 (m = 2) and 0.076 (m = 20) with the uncorrected test;
    # every target in scope gives 0.036 and 0.025 (0.046 and 0.036 uncorrected).
    rng = np.random.default_rng(20260901 + m)
    draws, alpha = 4000, 0.05
    xl = rng.binomial(200, 0.7, size=(draws, m)).astype(float)
    xc = rng.binomial(2000, 0.4, size=(draws, m)).astype(float)
    count = np.vstack([xl.ravel(), xc.ravel()])
    nobs = np.vstack([np.full(draws * m, 200.0), np.full(draws * m, 2000.0)])
    coef = np.array([1.0, -1.0])
    raw = combination_test(coef, count, nobs, 0.30, alternative="greater").reshape(draws, m)
    adjusted = np.vstack([holm(row) for row in raw])
    rate = float((adjusted < alpha).any(axis=1).mean())
    mc_error = 3 * math.sqrt(alpha * (1 - alpha) / draws)
    assert rate <= alpha + mc_error
    # The same draws through the old gate (data-selected family, uncorrected test):
    # the test can see the defect.
    plain = combination_test(coef, count, nobs, 0.30, alternative="greater", correction=0.0)
    selected = np.where(xl / 200 - xc / 2000 > 0.3 + 1e-12, plain.reshape(draws, m), np.nan)
    old = np.vstack([holm(row) for row in selected])
    assert float((old < alpha).any(axis=1).mean()) > alpha + mc_error
    # ...and the gate's own function gives the same adjusted p-values.
    _, _, _, gate, _ = breach_tests(coef, count[:, :m], nobs[:, :m], 0.30, alpha, 0.95)
    np.testing.assert_allclose(gate, adjusted[0], rtol=1e-12)


def test_one_respondent_per_group_is_not_a_significant_drop(table: Writer) -> None:
    # Customers 1/1 agree, then 0/1: a 100 pp drop. Before: p = 0.048, "significant";
    # then 0.076 (uncorrected interval inverted); with the continuity correction the
    # interval holds the limit even at z = 0, so p = 0.5.
    leaders = table("l.csv", {"q": ["5"]})
    customers = table("c.csv", {"wave": ["2026Q2", "2026Q3"], "q": ["5", "1"]})
    result = check(leaders, customers, cfg(max_drop_pp=5, min_n=1))
    drop = verdict(result, "max_drop_pp")
    assert drop.status == "warn" and result.status == "pass"
    assert drop.p_breach == 0.5
    # the bound shown beside the verdict: within the limit, as the verdict says
    assert drop.bound_pp is not None and drop.bound_pp < 5 < drop.value_pp


def test_full_swing_with_two_per_group_is_not_significant(table: Writer) -> None:
    # Gap 0 (2/2 vs 2/2) then +100 pp (2/2 vs 0/2); its interval (-49 to +186; -14 to
    # +166 uncorrected) holds 0. One-sided breach p 0.311 (0.0595 uncorrected).
    leaders = table("l.csv", {"wave": ["2026Q2"] * 2 + ["2026Q3"] * 2, "q": ["5"] * 4})
    customers = table("c.csv", {"wave": ["2026Q2"] * 2 + ["2026Q3"] * 2,
                                "q": ["5", "5", "1", "1"]})  # fmt: skip
    result = check(leaders, customers, cfg(max_gap_widening_pp=5, min_n=1))
    widening = verdict(result, "max_gap_widening_pp")
    assert widening.ci_pp[0] is not None and widening.ci_pp[0] < 0
    assert widening.status == "warn" and widening.p_breach == pytest.approx(0.311, abs=5e-4)
    assert widening.bound_pp is not None and widening.bound_pp < 5
    changes = trend(leaders, customers, Config(headline_item="q")).headline.changes
    gap = next(c for c in changes if c.measure == "gap")
    assert gap.change == pytest.approx(1.0) and gap.ci[0] is not None and gap.ci[0] < 0
    assert not gap.significant and gap.p_value is not None and gap.p_value > 0.05


@settings(max_examples=120, deadline=None)
@given(
    groups=st.lists(
        st.tuples(st.integers(1, 80), st.floats(0, 1), st.integers(1, 200), st.floats(0, 1)),
        min_size=1,
        max_size=6,
    ),
    threshold=st.sampled_from([0.0, 5.0, 20.0]),
)
def test_significant_exactly_when_the_shown_bound_exceeds_the_limit(
    groups: list[tuple[int, float, int, float]], threshold: float
) -> None:
    count = np.array([[round(g[0] * g[1]) for g in groups], [round(g[2] * g[3]) for g in groups]],
                     dtype=float)  # fmt: skip
    nobs = np.array([[g[0] for g in groups], [g[2] for g in groups]], dtype=float)
    value, lo, hi, p, bound = breach_tests(
        np.array([1.0, -1.0]), count, nobs, threshold / 100, 0.05, 0.95
    )
    for k in range(len(groups)):
        ci = (lo[k] * 100, hi[k] * 100)
        rendered = _verdict("max_gap_pp", "q", True, value[k] * 100, ci, bound[k] * 100,
                            threshold, None, float(p[k]), True, 0.05, None,
                            "customers")  # fmt: skip
        if abs(bound[k] * 100 - threshold) < 1e-7:
            continue  # on the limit to rounding: either reading is right
        significant = rendered.status == "fail"
        assert significant == (rendered.bound_pp is not None and rendered.bound_pp > threshold)
        assert rendered.bound_pp is not None and rendered.bound_pp <= rendered.value_pp + 1e-9


def test_check_json_alpha_prints_as_given(table: Writer) -> None:
    leaders, customers = gap_files(table, (81, 100), (50, 100))
    result = check(leaders, customers, cfg(max_gap_pp=30))
    assert '"alpha": 0.05,' in render_json(result)
    assert result.alpha == 0.05
    text = render_check_table(result)
    assert "Bound pp" in text and "one-sided lower confidence bound" in text


def test_a_baseline_report_from_the_previous_version_is_still_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # tests/fixtures/baseline-v0.1.0.json: the sample's JSON report (schema_version 1) as
    # written before bound_pp, small_n and the paired-wave rules existed.
    monkeypatch.chdir(ROOT)
    old = ROOT / "tests" / "fixtures" / "baseline-v0.1.0.json"
    base = json.loads(old.read_text(encoding="utf-8"))
    assert base["schema_version"] == 1 and base["cxgap_version"] == "0.1.0"
    # the sample's NPS item and weights came after that report: an item with no baseline is
    # inconclusive, and weighted shares are other figures than that report's
    args = ["data/sample/leaders.csv", "data/sample/customers.csv", "-c", "data/sample/cxgap.toml",
            "--exclude", "recommend", "--weights", "none"]  # fmt: skip
    out = runner.invoke(app, ["check", *args, "--baseline", str(old), "--format", "json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["baseline"]["source"] == "report" and result["status"] == "pass"
    # the report describes the same files, rows and counts: both groups cancel
    drop = next(v for v in result["verdicts"] if v["rule"] == "max_drop_pp")
    assert drop["value_pp"] == 0 and "the same answers" in drop["message"]
    # against the 2026Q2 wave, the same report is an independent baseline
    q2 = ["data/sample/leaders_2026Q2.csv", "data/sample/customers_2026Q2.csv"]
    out = runner.invoke(app, ["check", *q2, "-c", "data/sample/cxgap.toml", "--baseline", str(old)])
    assert out.exit_code in (0, 1) and "Traceback" not in out.output
    assert "baseline 2026Q3 from" in out.output


def test_inconclusive_names_the_group_side_and_count(table: Writer) -> None:
    # Item r: customers gave no valid answers in 2026Q3 (not asked that wave); leaders
    # had 20 in 2026Q2. The message says which group, when, and how many, instead of
    # "fewer than 30 valid answers" for a group that answered 0.
    leaders = table("l.csv", {"wave": ["2026Q2"] * 20 + ["2026Q3"] * 40,
                              "q": answers(15, 20) + answers(30, 40),
                              "r": answers(10, 20) + answers(20, 40)})  # fmt: skip
    customers = table("c.csv", {"wave": ["2026Q2"] * 100 + ["2026Q3"] * 100,
                                "q": answers(50, 100) + answers(40, 100),
                                "r": answers(30, 100) + [""] * 100})  # fmt: skip
    result = check(leaders, customers, cfg(max_drop_pp=5, max_gap_widening_pp=5, scope=["r"]))
    drop, widening = verdict(result, "max_drop_pp"), verdict(result, "max_gap_widening_pp")
    assert drop.status == widening.status == "inconclusive"
    assert drop.message == ("item r: fewer than 30 valid answers (min_n): customers now have none")
    assert widening.message == (
        "item r: fewer than 30 valid answers (min_n): customers now have none; "
        "leaders at the baseline have 20"
    )


def test_unknown_scope_item_lists_the_items(table: Writer) -> None:
    leaders = table("l.csv", {"q": answers(80, 100), "r": answers(90, 100)})
    customers = table("c.csv", {"q": answers(50, 100), "r": answers(10, 100)})
    with pytest.raises(UsageError) as info:
        check(leaders, customers, cfg(max_gap_pp=40, scope=["nope"]))
    assert str(info.value.message) == (
        "check scope names unknown item(s): nope (the items are: q, r)"
    )
    args = [str(leaders), str(customers), "--headline-item", "q", "--max-gap-pp", "40"]
    out = runner.invoke(app, ["check", *args, "--item", "nope"])
    assert out.exit_code == 2 and "the items are: q, r" in out.output


@pytest.mark.parametrize("width", [80, 100])
def test_check_table_fits_the_terminal_and_names_every_item(width: int) -> None:
    # At 80 columns the table was drawn 100 wide (the terminal wrapped every row) and
    # item names were cut ("basics_promis…", "basics_proble…"): a reader could not tell
    # which item failed from the table.
    result = _sample_check()
    text = render_check_table(result, width=width)
    assert all(len(line) <= width for line in text.splitlines())
    assert "…" not in text
    rows = [line for line in text.splitlines() if "basics_problems_solved" in line]
    assert any("fail" in line for line in rows)
    # each rule is introduced once with its limit
    assert text.count("customers' drop <= 5 pp") == 1
    assert "gap <= 60 pp" in text and "gap widening <= 10 pp" in text


def test_check_uses_the_terminal_width_below_100_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import sys

    from cxgap.cli.common import terminal_width

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(os, "get_terminal_size", lambda *a: os.terminal_size((80, 24)))
    assert terminal_width() == 80  # every table fits itself down to 60 columns
    monkeypatch.setattr(os, "get_terminal_size", lambda *a: os.terminal_size((40, 24)))
    assert terminal_width() == 60


@pytest.mark.parametrize("kind", ["trend", "validate"])
def test_a_trend_or_validate_report_as_baseline_says_what_to_give(
    table: Writer, tmp_path: Path, kind: str
) -> None:
    # Before: "baseline is not a cxgap report (schema_version 1): leaders: Field
    # required" for a report cxgap itself wrote.
    leaders, customers = gap_files(table, (80, 100), (50, 100))
    report = tmp_path / "t.json"
    report.write_text(json.dumps({"schema_version": 1, "kind": kind}), encoding="utf-8")
    with pytest.raises(InputError) as info:
        check(leaders, customers, cfg(max_drop_pp=5), baseline=report)
    message = str(info.value.message)
    assert f"a {kind} report cannot be a baseline" in message
    assert "cxgap analyze --format json" in message and "--baseline-wave" in message


def test_same_leaders_in_a_report_written_with_another_spelling_of_the_path(
    table: Writer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The baseline report was written with absolute paths, this run uses relative ones
    # (or the reverse): the leaders' file is still the same file, and cancels.
    leaders, customers = _leaders_once(table, (32, 40), (500, 1000), (350, 1000))
    report = tmp_path / "base.json"
    base = check(leaders, customers, cfg(max_gap_pp=100), wave="2026Q2")
    report.write_text(render_json(base), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = check(leaders.name, customers.name, cfg(max_gap_widening_pp=5), baseline=report)
    assert any("leaders: the same answers" in w for w in result.warnings)
    assert verdict(result, "max_gap_widening_pp").status == "fail"


def test_carried_forward_leaders_give_the_same_widening_verdict(table: Writer) -> None:
    # Leaders surveyed in 2026Q2 only (carried forward to 2026Q3) are the same sample as
    # leaders without waves: the gate computes exactly the same numbers, so the seeded
    # simulation in test_gate_calibration covers both.
    once, customers = _leaders_once(table, (32, 40), (500, 1000), (350, 1000))
    carried = table("lw.csv", {"wave": ["2026Q2"] * 40, "q": answers(32, 40)})
    rules = cfg(max_gap_widening_pp=5)
    a = verdict(check(once, customers, rules), "max_gap_widening_pp")
    b = verdict(check(carried, customers, rules), "max_gap_widening_pp")
    assert a.model_dump() == b.model_dump() and a.status == "fail"


# (rule, terms' coefficients, sizes, true shares, limit in pp): each value exactly at
# its limit, in the corners where the uncorrected test was most liberal (exact sizes
# 0.097 for the 40 vs 1,000 gap at 1.5% vs 0.5%, 0.074 for the 5-per-group drop,
# 0.060 for the 30-per-group drop and the widening of a gap with 30 per group).
GATE_BOUNDARY = [
    ("max_gap_pp", [1.0, -1.0], (40, 1000), (0.015, 0.005), 1.0),
    ("max_gap_pp", [1.0, -1.0], (20, 20000), (0.11, 0.01), 10.0),
    ("max_drop_pp", [1.0, -1.0], (5, 5), (0.55, 0.5), 5.0),
    ("max_drop_pp", [1.0, -1.0], (30, 30), (0.525, 0.475), 5.0),
    ("max_gap_widening_pp", [1.0, -1.0, -1.0, 1.0], (30, 30, 30, 30), (0.5,) * 4, 0.0),
]  # fmt: skip


@pytest.mark.parametrize("case", GATE_BOUNDARY, ids=lambda c: f"{c[0]} {c[2]}")
def test_gate_false_fail_rate_at_the_boundary_by_simulation(
    case: tuple[str, list[float], tuple[int, ...], tuple[float, ...], float],
) -> None:
    # 20,000 seeded draws, each one check with one target: the gate fails it as
    # significant (Holm-adjusted p < alpha, with a single target the raw p) in at most
    # alpha of them, within Monte Carlo error; and in every draw the verdict is
    # "significant" exactly when the bound shown beside it clears the limit.
    _, coef, sizes, shares, limit = case
    draws, alpha = 20000, 0.05
    rng = np.random.default_rng(20261127)
    count = np.vstack([rng.binomial(n, p, draws) for n, p in zip(sizes, shares, strict=True)])
    nobs = np.vstack([np.full(draws, float(n)) for n in sizes])
    c = np.array(coef)
    # one target per check: breach_tests on each of the first draws...
    first = [breach_tests(c, count[:, [k]], nobs[:, [k]], limit / 100, alpha, 0.95)
             for k in range(200)]  # fmt: skip
    p = combination_test(c, count, nobs, limit / 100, alternative="greater")
    bound = combination_lower_bound(c, count, nobs, alpha)
    # ...gives the vectorised p and bound (a family of one: Holm leaves p as it is)
    np.testing.assert_allclose([f[3][0] for f in first], p[:200], rtol=1e-12)
    np.testing.assert_allclose([f[4][0] for f in first], bound[:200], rtol=1e-12)
    significant = p < alpha
    assert (significant == (bound > limit / 100))[np.abs(p - alpha) > 1e-9].all()
    rate = float(significant.mean())
    assert rate <= alpha + 3 * math.sqrt(alpha * (1 - alpha) / draws)
    # the uncorrected test on the same draws rejects in more than alpha of them
    plain = combination_test(c, count, nobs, limit / 100, alternative="greater", correction=0.0)
    assert float((plain < alpha).mean()) > alpha


def test_check_decides_scales_from_the_answers_as_analyze_does(table: Writer) -> None:
    """The gate's flags must not turn every default into a setting the user gave:
    a 1-7 item with no scale configured is read as 1-7, as analyze reads it."""
    from typer.testing import CliRunner

    from cxgap.cli import app

    codes = [1, 2, 3, 4, 5, 6, 7] * 6
    leaders = table("l.csv", {"q": codes, "r": [c % 5 + 1 for c in codes]})
    customers = table("c.csv", {"q": list(reversed(codes)), "r": [c % 5 + 1 for c in codes]})
    args = ["check", str(leaders), str(customers), "--max-gap-pp", "50", "--include", "q"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.stderr
