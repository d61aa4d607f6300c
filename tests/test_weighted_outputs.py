"""Weighted statistics downstream of the shares: the outputs' notes (table, Markdown, CSV,
charts, report, trend), derived importance (against statsmodels), and the changes and the
gate with design-based variances (a seeded simulation at the boundary, check and trend
against the kernels)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from scipy import stats as sps
from tests.weighted_counts import (
    ITEMS,
    REFERENCE,
    customers_of,
    reference,
    unweighted_result,
    weighted_counts_file,
)

import cxgap
from cxgap.code.tallies import GroupCounts
from cxgap.config import Config
from cxgap.model import AnalysisResult, GroupStats


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("weighted")


@pytest.fixture(scope="module")
def weighted(folder: Path) -> Path:
    return weighted_counts_file(folder)


@pytest.fixture(scope="module")
def result(weighted: Path) -> AnalysisResult:
    return cxgap.analyze_counts(weighted)


# ---- outputs ------------------------------------------------------------------------


def test_outputs_show_effective_n_and_the_weights_footnote(result: AnalysisResult) -> None:
    from cxgap.render.csv import render_csv
    from cxgap.render.markdown import render_markdown
    from cxgap.render.table import render_table

    table, markdown = render_table(result, width=200), render_markdown(result)
    cust = customers_of(result, "overall_strong_cx")
    assert cust.weighted is not None and cust.weighted.n_eff is not None
    n_eff = f"n_eff={cust.weighted.n_eff:,.0f}"
    for found in (table, markdown):
        text = " ".join(found.split())  # the table's caption wraps at its width
        assert n_eff in text
        assert "Weighted: customers (Kish effective n " in text
        assert "design-based z (Fisher and Mann-Whitney do not apply to weighted data)" in text
        assert "Wilson on effective n; gap: Newcombe hybrid" in text
    rows = list(csv.DictReader(render_csv(result).splitlines()))
    head = rows[0]
    assert float(head["customers_n_eff"]) == pytest.approx(cust.weighted.n_eff, rel=1e-11)
    assert float(head["customers_se"]) == pytest.approx(reference()["weighted"][
        "overall_strong_cx"]["se"], rel=1e-11)  # fmt: skip
    assert head["leaders_se"] == "" and head["test"] == "design_z" and head["mwu_p"] == ""


def test_beta_interval_is_named_in_the_footnote(weighted: Path) -> None:
    from cxgap.render.markdown import render_markdown

    text = render_markdown(cxgap.analyze_counts(weighted, Config(interval="beta")))
    assert "intervals: Korn-Graubard beta (shares); gap: Newcombe hybrid" in text


def test_unweighted_outputs_have_no_weights_note() -> None:
    from cxgap.render.markdown import render_markdown
    from cxgap.render.table import render_table

    plain = unweighted_result()
    for text in (render_table(plain, width=200), render_markdown(plain)):
        assert "n_eff" not in text and "Weighted:" not in text


# ---- derived importance -------------------------------------------------------------


def test_weighted_importance_is_the_weighted_pearson_r(weighted: Path) -> None:
    from statsmodels.stats.weightstats import DescrStatsW

    from cxgap.analysis.importance import importance_from_crosstab
    from cxgap.counts import CountsFile
    from cxgap.scan.prepare import prepare

    prep = prepare({"counts": CountsFile(weighted)}, Config(), by_wave=False)
    rows = pl.read_csv(REFERENCE / "customers.csv", infer_schema_length=0).with_columns(
        pl.col("weight").cast(pl.Float64)
    )
    overall = "overall_strong_cx"
    others = [i for i in ITEMS if i != overall]
    table = (
        rows.unpivot(on=others, index=[overall, "weight"], variable_name="item")
        .rename({overall: "by_value"})
        .group_by("item", "value", "by_value")
        .agg(n=pl.len().cast(pl.Int64), w_sum=pl.col("weight").sum())
        .with_columns(wave=pl.lit(None, dtype=pl.String))
    )
    found = importance_from_crosstab(table, prep.codings, overall)
    plain = importance_from_crosstab(table.drop("w_sum"), prep.codings, overall)
    for item in others:
        both = rows.filter(pl.col(item).is_not_null() & pl.col(overall).is_not_null())
        data = both.select(pl.col(item, overall).cast(pl.Float64)).to_numpy()
        expected = DescrStatsW(data, weights=both["weight"].to_numpy()).corrcoef[0, 1]
        assert found[item] == pytest.approx(expected, abs=1e-12)
        unweighted = DescrStatsW(data).corrcoef[0, 1]
        assert plain[item] == pytest.approx(unweighted, abs=1e-12)
        assert abs(expected - unweighted) > 1e-6  # the weights matter here
    ones = table.with_columns(w_sum=pl.col("n").cast(pl.Float64))
    assert importance_from_crosstab(ones, prep.codings, overall) == plain


# ---- the gate with weights ------------------------------------------------------------

GATE_DRAWS = 4000

GATE_ALPHA = 0.05

#: Three binomial standard errors of a rate of GATE_ALPHA over GATE_DRAWS draws.
GATE_MC = 3 * math.sqrt(GATE_ALPHA * (1 - GATE_ALPHA) / GATE_DRAWS)


def _weighted_draws(
    rng: Any, weights: Any, probs: Any, *, design: bool
) -> tuple[list[float], list[float], float]:
    """Per draw, the (agree, n) the gate tests a weighted group with (design_counts on its
    GroupStats; ``design`` False: the weighted share on n respondents, as if p (1 - p) / n
    were its variance), and the true weighted share."""
    import numpy as np

    from cxgap.analysis.compare import design_counts, weighted_stats

    y = rng.random((GATE_DRAWS, weights.size)) < probs
    n = weights.size
    w_agree, w2_agree = (y * weights).sum(1), (y * weights**2).sum(1)
    w_all, w2_all = float(weights.sum()), float((weights**2).sum())
    xs, ns = [], []
    for k in range(GATE_DRAWS):
        agree = int(y[k].sum())
        counts = GroupCounts(
            [n - agree, agree], 0, [0, 1], 1,
            [w_all - w_agree[k], w_agree[k]], [w2_all - w2_agree[k], w2_agree[k]],
        )  # fmt: skip
        design_mean = counts.design()
        stats = GroupStats(
            n=n, missing=0, agree=agree, share=design_mean.estimate, ci=(None, None),
            weighted=weighted_stats(design_mean, "wilson", None) if design else None,
        )  # fmt: skip
        x, size = design_counts(stats) if design else (design_mean.estimate * n, float(n))
        xs.append(x)
        ns.append(size)
    return xs, ns, float(np.sum(weights * probs) / w_all)


def _gate_rate(design: bool, seed: int) -> float:
    """False alarm rate of max_drop_pp at its boundary: the customers' weighted share,
    1,000 a wave in two weighting classes (weights 1 and 4, design effect 1.5) whose agree
    rates differ, drops by exactly the limit (5 pp) from the baseline to now."""
    import numpy as np

    from cxgap.stats.changes import combination_test

    rng = np.random.default_rng(seed)
    weights = np.repeat([1.0, 4.0], [700, 300])
    probs = np.repeat([0.6, 0.35], [700, 300])
    x_now, n_now, now = _weighted_draws(rng, weights, probs, design=design)
    x_then, n_then, then = _weighted_draws(rng, weights, probs + 0.05, design=design)
    assert then - now == pytest.approx(0.05, abs=1e-12)
    count = np.vstack([np.array(x_then), np.array(x_now)])
    nobs = np.vstack([np.array(n_then), np.array(n_now)])
    p = combination_test([1.0, -1.0], count, nobs, 0.05, alternative="greater")
    return float((np.asarray(p) < GATE_ALPHA).mean())


def test_weighted_gate_false_alarm_rate_at_the_boundary_is_at_most_alpha() -> None:
    rate = _gate_rate(design=True, seed=12)
    assert rate <= GATE_ALPHA + GATE_MC
    # the weighted shares tested with p (1 - p) / n: too many false alarms, so the
    # design-based variance is what keeps the gate honest here
    naive = _gate_rate(design=False, seed=12)
    assert naive > GATE_ALPHA + GATE_MC


def test_design_counts_carry_the_design_variance(result: AnalysisResult) -> None:
    from cxgap.analysis.compare import design_counts

    for item in ITEMS:
        mine = customers_of(result, item)
        assert mine.weighted is not None and mine.weighted.se is not None and mine.share
        x, n = design_counts(mine)
        assert x / n == pytest.approx(mine.share, rel=1e-12)
        assert (x / n) * (1 - x / n) / n == pytest.approx(mine.weighted.se**2, rel=1e-12)
        leaders = next(i for i in result.items if i.item == item).groups["leaders"]
        assert design_counts(leaders) == (leaders.agree, leaders.n)


def test_check_tests_a_weighted_drop_with_the_design_variance(
    folder: Path, weighted: Path, result: AnalysisResult
) -> None:
    from typer.testing import CliRunner

    from cxgap.analysis.compare import design_counts
    from cxgap.cli import app
    from cxgap.render.json import render_json
    from cxgap.stats.changes import combination_interval

    base = cxgap.analyze_counts(weighted_counts_file(folder, ones=True))
    report = folder / "baseline.json"
    report.write_text(render_json(base), encoding="utf-8")
    run = CliRunner().invoke(
        app,
        ["check", str(weighted), "--baseline", str(report), "--max-drop-pp", "1",
         "--format", "json"],
    )  # fmt: skip
    assert run.exit_code in (0, 1), run.stderr
    verdicts = json.loads(run.stdout)["verdicts"]
    head = next(v for v in verdicts if v["target"] == "headline")
    then, now = base.headline.groups["customers"], result.headline.groups["customers"]
    assert now.weighted is not None  # the JSON baseline read back keeps its weighted fields
    (x0, n0), (x1, n1) = design_counts(then), design_counts(now)
    value, lo, hi = combination_interval([1.0, -1.0], [[x0], [x1]], [[n0], [n1]], 1.959963984540054)
    assert head["value_pp"] == pytest.approx(value[0] * 100, abs=1e-9)
    assert head["ci_pp"] == pytest.approx([lo[0] * 100, hi[0] * 100], abs=1e-9)
    # the unweighted counts would give another interval
    _, lo_n, _ = combination_interval(
        [1.0, -1.0], [[then.agree], [now.agree]], [[then.n], [now.n]], 1.959963984540054
    )
    assert abs(lo_n[0] - lo[0]) > 1e-4


def test_trend_changes_of_a_weighted_share_use_the_design_variance(
    folder: Path, result: AnalysisResult
) -> None:
    from cxgap.analysis.compare import design_counts
    from cxgap.analysis.trend import compare_results
    from cxgap.stats.changes import combination_interval, combination_test

    base = cxgap.analyze_counts(weighted_counts_file(folder, ones=True))
    step = compare_results(base, result, Config(), adjust=False)
    for item in ITEMS:
        change = next(c for c in step.items[item] if c.measure == "customers_share")
        then, now = customers_of(base, item), customers_of(result, item)
        (x0, n0), (x1, n1) = design_counts(then), design_counts(now)
        z = sps.norm.ppf(0.975)
        _, lo, hi = combination_interval([1.0, -1.0], [[x1], [x0]], [[n1], [n0]], z)
        assert now.share is not None and then.share is not None
        assert change.change == pytest.approx(now.share - then.share, abs=1e-12)
        assert change.ci == pytest.approx((lo[0], hi[0]), abs=1e-12)
        p = combination_test([1.0, -1.0], [[x1], [x0]], [[n1], [n0]], 0.0)
        assert change.p_value == pytest.approx(p[0], rel=1e-12)


def test_charts_and_the_report_carry_the_weights_note(result: AnalysisResult) -> None:
    from cxgap.charts.base import footnote
    from cxgap.config import Theme

    note = footnote(result, Theme())
    assert "Weighted: customers (effective n " in note
    assert "Wilson on effective n, Newcombe gap, design-based z." in note
    assert "Weighted" not in footnote(unweighted_result(), Theme())
    html = cxgap.build_report(result)
    assert "Weighted: customers (Kish effective n" in html and "n_eff=" in html


def test_the_weights_range_when_the_counting_pass_gives_it(weighted: Path) -> None:
    from cxgap.analysis.build import analyze_prepared
    from cxgap.counts import CountsFile
    from cxgap.render.markdown import render_markdown
    from cxgap.scan.prepare import prepare

    cfg = Config()
    prep = prepare({"counts": CountsFile(weighted)}, cfg, by_wave=False)
    prep.weight_ranges = {"customers": (0.1, 4.9), "leaders": None}
    found = analyze_prepared(prep, cfg)
    cust = customers_of(found, "overall_strong_cx")
    assert cust.weighted is not None
    assert (cust.weighted.weight_min, cust.weighted.weight_max) == (0.1, 4.9)
    assert next(iter(found.items)).groups["leaders"].weighted is None
    text = render_markdown(found)
    assert "weights 0.10–4.90 (CV 0.52–0.54)" in text


def test_trend_says_the_shares_are_weighted(folder: Path, result: AnalysisResult) -> None:
    from cxgap.analysis.by_wave import WaveAnalyses
    from cxgap.analysis.trend import trend_of
    from cxgap.render.trend import render_trend_markdown, render_trend_table

    base = cxgap.analyze_counts(weighted_counts_file(folder, ones=True))
    found = trend_of(WaveAnalyses(["2025-Q1", "2025-Q2"], {"2025-Q1": base, "2025-Q2": result},
                                  []), Config())  # fmt: skip
    for text in (render_trend_table(found, width=200), render_trend_markdown(found)):
        assert "Weighted: customers (effective n " in text
        assert "design-based variance" in text
