"""Weighted statistics through the counts route: a counts table whose customers carry weight
sums (summed from their rows by polars, tests/weighted_counts.py) analysed by cxgap, against
R survey 4.1.1's numbers (reference.json, to 1e-9), statsmodels and scipy, and hand
computations of the gap's MOVER interval and design-based z test."""

from __future__ import annotations

import csv
import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint
from tests.weighted_counts import REFERENCE, weighted_counts_file

import cxgap
from cxgap.analysis.compare import compare_groups
from cxgap.analysis.headline import CompositeGroups, composite_headline
from cxgap.code.tallies import GroupCounts, tally_counts, tally_weights
from cxgap.config import Config
from cxgap.model import AnalysisResult, GroupStats

ITEMS = ("basics_correct_info", "ownership_problem", "channels_consistent", "overall_strong_cx")
R_TOL = 1e-9


@cache
def reference() -> dict[str, Any]:
    found: dict[str, Any] = json.loads((REFERENCE / "reference.json").read_text("utf-8"))
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("weighted")


@pytest.fixture(scope="module")
def weighted(folder: Path) -> Path:
    return weighted_counts_file(folder)


@pytest.fixture(scope="module")
def result(weighted: Path) -> AnalysisResult:
    return cxgap.analyze_counts(weighted)


def unweighted_result() -> AnalysisResult:
    """The same exports with no weight column: every group unweighted."""
    cfg = Config(weight_column="no_such_column")
    return cxgap.analyze(REFERENCE / "leaders.csv", REFERENCE / "customers.csv", cfg)


def customers_of(result: AnalysisResult, item: str) -> GroupStats:
    return next(i for i in result.items if i.item == item).groups["customers"]


@pytest.mark.parametrize("item", ITEMS)
def test_weighted_share_se_and_kish_n_equal_r(result: AnalysisResult, item: str) -> None:
    ref = reference()["weighted"][item]
    mine = customers_of(result, item)
    w = mine.weighted
    assert w is not None and w.se is not None and w.n_eff is not None and w.deff is not None
    assert mine.share == pytest.approx(ref["estimate"], abs=R_TOL)
    assert w.se == pytest.approx(ref["se"], abs=R_TOL)
    assert w.n_eff == pytest.approx(ref["kish_n"], rel=R_TOL)
    assert mine.n == ref["n"] and mine.n + mine.missing == ref["n_all"]
    assert w.deff == pytest.approx(ref["n"] / ref["kish_n"], rel=R_TOL)
    # the CV of the answered's weights (divisor n), straight from the rows
    rows = pl.read_csv(REFERENCE / "customers.csv").filter(pl.col(item).is_not_null())
    weights = rows["weight"].to_numpy()
    assert w.weight_cv == pytest.approx(weights.std() / weights.mean(), rel=1e-9)
    assert w.weight_sum == pytest.approx(float(weights.sum()), rel=1e-12)
    assert w.interval == "wilson"
    # a counts file does not keep the weights' range
    assert w.weight_min is None and w.weight_max is None


@pytest.mark.parametrize("item", ITEMS)
def test_default_interval_is_wilson_on_kish_n(result: AnalysisResult, item: str) -> None:
    mine = customers_of(result, item)
    assert mine.weighted is not None and mine.weighted.n_eff is not None and mine.share
    n_eff = mine.weighted.n_eff
    lo, hi = proportion_confint(mine.share * n_eff, n_eff, alpha=0.05, method="wilson")
    assert mine.ci == pytest.approx((lo, hi), abs=1e-12)


@pytest.mark.parametrize("method", ["beta", "logit"])
def test_beta_and_logit_intervals_equal_r_svyciprop(weighted: Path, method: str) -> None:
    result = cxgap.analyze_counts(weighted, Config(interval=method))  # type: ignore[arg-type]
    for item in ITEMS:
        mine = customers_of(result, item)
        assert mine.weighted is not None and mine.weighted.interval == method
        assert mine.ci == pytest.approx(tuple(reference()["weighted"][item][method]), abs=R_TOL)
        # the unweighted leaders keep Wilson on n
        leaders = next(i for i in result.items if i.item == item).groups["leaders"]
        assert leaders.weighted is None
        assert leaders.ci == pytest.approx(
            proportion_confint(leaders.agree, leaders.n, alpha=0.05, method="wilson"), abs=1e-12
        )


def _wilson(x: float, n: float) -> tuple[float, float]:
    lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
    return float(lo), float(hi)


@pytest.mark.parametrize("item", ITEMS)
def test_gap_interval_is_newcombe_mover_and_test_design_z(
    result: AnalysisResult, item: str
) -> None:
    stat = next(i for i in result.items if i.item == item)
    lead, cust = stat.groups["leaders"], stat.groups["customers"]
    assert cust.weighted is not None and cust.weighted.n_eff and cust.weighted.se and cust.share
    p1, p2 = lead.agree / lead.n, cust.share
    l1, u1 = _wilson(lead.agree, lead.n)
    l2, u2 = _wilson(p2 * cust.weighted.n_eff, cust.weighted.n_eff)
    # MOVER, Newcombe (1998) method 10, by hand
    low = p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    c = stat.primary
    assert c.gap == pytest.approx(p1 - p2, abs=1e-15)
    assert c.gap_ci == pytest.approx((low, high), abs=1e-12)
    # Wald z on the design variances; the unweighted leaders' is R's with weights of 1
    n_all = lead.n + lead.missing
    var1 = n_all / (n_all - 1) * p1 * (1 - p1) / lead.n
    z = (p1 - p2) / math.sqrt(var1 + cust.weighted.se**2)
    assert c.test == "design_z"
    assert c.p_value == pytest.approx(2 * sps.norm.sf(abs(z)), rel=1e-9)
    # Fisher and Mann-Whitney assume unweighted counts: off
    assert c.mwu_p is None
    h = 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))
    assert c.cohens_h == pytest.approx(h, abs=1e-12)
    assert c.ratio == pytest.approx(p1 / p2, rel=1e-12)


def test_holm_runs_over_the_design_based_p_values(result: AnalysisResult) -> None:
    family = [i.primary.p_value for i in result.items]
    assert all(p is not None for p in family)
    adjusted = multipletests(family, method="holm")[1]
    assert [i.primary.p_adjusted for i in result.items] == pytest.approx(adjusted, rel=1e-12)


def test_unweighted_comparisons_keep_score_fisher_and_mann_whitney() -> None:
    plain = unweighted_result()
    for item in plain.items:
        assert all(g.weighted is None for g in item.groups.values())
        assert item.primary.test in ("score", "fisher_exact")
        assert item.primary.mwu_p is not None


def test_weights_of_one_give_the_unweighted_figures(folder: Path) -> None:
    ones = cxgap.analyze_counts(weighted_counts_file(folder, ones=True))
    plain = unweighted_result()
    for item in plain.items:
        mine = next(i for i in ones.items if i.item == item.item)
        for group, stats in item.groups.items():
            other = mine.groups[group]
            assert other.share == stats.share  # exactly
            assert other.ci == pytest.approx(stats.ci, abs=1e-12)  # n_eff = n
            assert other.mean == pytest.approx(stats.mean, abs=1e-12)
        w = mine.groups["customers"].weighted
        assert w is not None and w.n_eff == pytest.approx(mine.groups["customers"].n, rel=1e-12)
        assert w.deff == pytest.approx(1.0, abs=1e-12) and w.weight_cv == pytest.approx(0.0)
        assert mine.primary.gap == item.primary.gap
        assert mine.primary.gap_ci == pytest.approx(item.primary.gap_ci, abs=1e-12)


def test_scaling_the_weights_changes_nothing(folder: Path, result: AnalysisResult) -> None:
    sub = folder / "scaled"
    sub.mkdir(exist_ok=True)
    scaled = cxgap.analyze_counts(weighted_counts_file(sub, scale=7.5))
    for item in ITEMS:
        a, b = customers_of(result, item), customers_of(scaled, item)
        assert a.weighted is not None and b.weighted is not None
        assert b.share == pytest.approx(a.share, rel=1e-12)
        assert b.weighted.se == pytest.approx(a.weighted.se, rel=1e-12)
        assert b.weighted.n_eff == pytest.approx(a.weighted.n_eff, rel=1e-12)


def test_weighted_mean_code_is_the_weighted_mean(result: AnalysisResult) -> None:
    rows = pl.read_csv(REFERENCE / "customers.csv")
    for item in ITEMS:
        answered = rows.filter(pl.col(item).is_not_null())
        expected = (answered[item] * answered["weight"]).sum() / answered["weight"].sum()
        assert customers_of(result, item).mean == pytest.approx(expected, rel=1e-12)


def test_weighted_json_has_the_fields_and_unweighted_has_null(result: AnalysisResult) -> None:
    data = json.loads(result.model_dump_json())
    item = data["items"][0]
    assert item["groups"]["leaders"]["weighted"] is None
    assert set(item["groups"]["customers"]["weighted"]) == {
        "se", "n_eff", "deff", "weight_cv", "weight_sum", "weight_min", "weight_max",
        "interval",
    }  # fmt: skip
    assert AnalysisResult.model_validate(data) == result


# ---- the composite headline ---------------------------------------------------------


def _tally_rows(weighted: bool) -> pl.DataFrame:
    """Respondents' composite class (agree or not, None: answered nothing) and weight."""
    return pl.DataFrame(
        {
            "agrees": [True, False, True, None, False, True, False, False, None, True],
            "w": [0.5, 2.0, 1.5, 3.0, 0.8, 1.2, 2.2, 0.4, 1.0, 2.5] if weighted else [1.0] * 10,
        }
    )


def _tally(rows: pl.DataFrame) -> pl.DataFrame:
    answered = pl.col("agrees").is_not_null()
    agree = pl.col("agrees").fill_null(False)
    return rows.select(
        n=answered.sum(),
        agree=agree.sum(),
        missing=pl.col("agrees").is_null().sum(),
        w_n=pl.col("w").filter(answered).sum(),
        w_agree=pl.col("w").filter(agree).sum(),
        w2_n=(pl.col("w") ** 2).filter(answered).sum(),
        w2_agree=(pl.col("w") ** 2).filter(agree).sum(),
    )


def test_weighted_composite_headline_from_the_tally() -> None:
    rows = _tally_rows(weighted=True)
    tally = _tally(rows)
    n, agree, missing, *weights = tally.row(0)
    cust = tally_counts(n, agree, missing, weights)
    lead = tally_counts(20, 15, 1)
    assert cust.weighted and not lead.weighted
    found = CompositeGroups({"leaders": lead, "customers": cust}, 4)
    head = composite_headline(found, [("leaders", "customers")], Config())
    answered = rows.filter(pl.col("agrees").is_not_null())
    share = answered.filter(pl.col("agrees"))["w"].sum() / answered["w"].sum()
    got = head.groups["customers"]
    assert got.share == pytest.approx(share, abs=1e-15)
    assert got.weighted is not None and got.weighted.n_eff == pytest.approx(
        answered["w"].sum() ** 2 / (answered["w"] ** 2).sum(), rel=1e-12
    )
    assert head.primary.gap == pytest.approx(0.75 - share, abs=1e-15)
    assert head.primary.test == "design_z" and head.primary.mwu_p is None


def test_a_tally_without_weight_columns_is_unweighted() -> None:
    old = _tally(_tally_rows(weighted=False)).select("n", "agree", "missing")
    n, agree, missing, *weights = old.select("n", "agree", "missing", *tally_weights(old)).row(0)
    assert weights == [None] * 4
    counts = tally_counts(n, agree, missing, weights)
    assert counts == GroupCounts([n - agree, agree], missing, [0, 1], 1)
    stats = compare_groups(
        ["composite"], ["x"], {"leaders": [counts], "customers": [counts]},
        [("leaders", "customers")], Config(),
    )[0]  # fmt: skip
    assert stats.groups["customers"].weighted is None
    assert stats.primary.test in ("score", "fisher_exact")


# ---- outputs ------------------------------------------------------------------------


def test_outputs_show_effective_n_and_the_weights_footnote(result: AnalysisResult) -> None:
    from cxgap.render.csv import render_csv
    from cxgap.render.markdown import render_markdown
    from cxgap.render.table import render_table

    table, markdown = render_table(result, width=200), render_markdown(result)
    cust = customers_of(result, "overall_strong_cx")
    assert cust.weighted is not None and cust.weighted.n_eff is not None
    n_eff = f"n_eff={cust.weighted.n_eff:,.0f}"
    for text in (table, markdown):
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


def test_a_report_without_the_weighted_field_still_reads() -> None:
    from tests.conftest import ROOT

    data = json.loads((ROOT / "tests" / "golden" / "sample.json").read_text("utf-8"))
    for stat in (data["headline"], *data["items"]):
        for group in stat["groups"].values():
            group.pop("weighted")
    old = AnalysisResult.model_validate(data)
    assert all(g.weighted is None for g in old.headline.groups.values())


def test_the_weights_range_when_the_counting_pass_gives_it(weighted: Path) -> None:
    from cxgap.analysis.build import analyze_prepared
    from cxgap.counts import CountsFile
    from cxgap.render.markdown import render_markdown
    from cxgap.scan.prepare import prepare

    cfg = Config()
    prep = prepare({"counts": CountsFile(weighted)}, cfg, by_wave=False)
    prep.weight_range = {"customers": (0.1, 4.9), "leaders": None}  # type: ignore[attr-defined]
    found = analyze_prepared(prep, cfg)
    cust = customers_of(found, "overall_strong_cx")
    assert cust.weighted is not None
    assert (cust.weighted.weight_min, cust.weighted.weight_max) == (0.1, 4.9)
    assert next(iter(found.items)).groups["leaders"].weighted is None
    text = render_markdown(found)
    assert "weights 0.10–4.90 (CV 0.52–0.54)" in text


def test_a_composite_pooled_over_waves_keeps_its_weights() -> None:
    from cxgap.analysis.by_wave import AllRows, _composite_for

    one = tally_counts(10, 4, 1, [12.0, 5.0, 20.0, 9.0])
    two = tally_counts(20, 15, 0, [25.0, 20.0, 40.0, 30.0])
    pooled = _composite_for({"Q1": one, "Q2": two}, AllRows.ALL)
    assert pooled.distribution == [11, 19] and pooled.missing == 1
    assert pooled.w_distribution == [12.0, 25.0] and pooled.w2_distribution == [21.0, 39.0]
    mixed = _composite_for({"Q1": one, "Q2": tally_counts(20, 15, 0)}, AllRows.ALL)
    assert not mixed.weighted  # part unweighted: the sum is not a weighted sample


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


def test_the_schema_documents_the_weighted_fields() -> None:
    from cxgap.render.json import json_schema

    schema = json.loads(json_schema("analysis"))
    defs = schema["$defs"]
    assert {"se", "n_eff", "deff", "weight_cv", "weight_min", "weight_max"} <= set(
        defs["WeightedStats"]["properties"]
    )
    assert "design_z" in json.dumps(defs["Comparison"])
    assert "weighted" in defs["GroupStats"]["properties"]
    assert "weighted" not in defs["GroupStats"].get("required", [])
