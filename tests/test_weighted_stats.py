"""Weighted statistics through the counts route: a counts table whose customers carry weight
sums (summed from their rows by polars, tests/weighted_counts.py) analysed by cxgap, against
R survey 4.1.1's numbers (reference.json, to 1e-9), statsmodels and scipy, and hand
computations of the gap's MOVER interval and design-based z test; the composite headline
from weighted tallies; the JSON contract."""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl
import pytest
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint
from tests.weighted_counts import (
    ITEMS,
    R_TOL,
    REFERENCE,
    customers_of,
    reference,
    unweighted_result,
    weighted_counts_file,
)

import cxgap
from cxgap.analysis.compare import compare_groups
from cxgap.analysis.headline import CompositeGroups, composite_headline
from cxgap.code.tallies import GroupCounts, tally_counts, tally_weights
from cxgap.config import Config
from cxgap.model import AnalysisResult


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("weighted")


@pytest.fixture(scope="module")
def weighted(folder: Path) -> Path:
    return weighted_counts_file(folder)


@pytest.fixture(scope="module")
def result(weighted: Path) -> AnalysisResult:
    return cxgap.analyze_counts(weighted)


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
    # the weights' range over the group's file (a counts file keeps it)
    every = pl.read_csv(REFERENCE / "customers.csv")["weight"]
    assert (w.weight_min, w.weight_max) == (every.min(), every.max())


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


def test_a_report_without_the_weighted_field_still_reads() -> None:
    from tests.conftest import ROOT

    data = json.loads((ROOT / "tests" / "golden" / "sample.json").read_text("utf-8"))
    for stat in (data["headline"], *data["items"]):
        for group in stat["groups"].values():
            group.pop("weighted")
    old = AnalysisResult.model_validate(data)
    assert all(g.weighted is None for g in old.headline.groups.values())


def test_a_composite_pooled_over_waves_keeps_its_weights() -> None:
    from cxgap.analysis.by_wave import AllRows, _composite_for

    one = tally_counts(10, 4, 1, [12.0, 5.0, 20.0, 9.0])
    two = tally_counts(20, 15, 0, [25.0, 20.0, 40.0, 30.0])
    pooled = _composite_for({"Q1": one, "Q2": two}, AllRows.ALL)
    assert pooled.distribution == [11, 19] and pooled.missing == 1
    assert pooled.w_distribution == [12.0, 25.0] and pooled.w2_distribution == [21.0, 39.0]
    mixed = _composite_for({"Q1": one, "Q2": tally_counts(20, 15, 0)}, AllRows.ALL)
    assert not mixed.weighted  # part unweighted: the sum is not a weighted sample


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


def test_the_headline_says_which_group_is_weighted(result: AnalysisResult) -> None:
    cust = result.headline.groups["customers"]
    assert cust.weighted is not None and cust.weighted.n_eff is not None
    assert result.headline.text.endswith(
        f"n = 40 leaders, 275 customers (weighted, effective n {cust.weighted.n_eff:,.0f}))"
    )
    assert "weighted" not in unweighted_result().headline.text
