"""NPS from coded counts (analysis/nps.py): which items are NPS items, each group's NPS and
interval, and the gap between groups, against R's survey package (weighted) and an
independent computation from the respondents' scores (unweighted)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl
import pytest
from scipy import stats as sps
from tests.test_design import R_TOL, customers, reference

from cxgap.analysis.nps import NPS_CODES, nps_items, nps_results, nps_warnings
from cxgap.code.coding import ItemCoding
from cxgap.config import Config
from cxgap.errors import ConfigError
from cxgap.scales import parse_scale


def coded(rows: dict[str, list[int | None]], item: str = "recommend") -> pl.DataFrame:
    """Coded counts (group, item, wave, code, n, w_sum, w2_sum) of each group's answers."""
    frames = []
    for group, answers in rows.items():
        frames.append(pl.DataFrame({"group": group, "item": item, "code": answers},
                                   schema={"group": pl.String, "item": pl.String,
                                           "code": pl.Int64}))  # fmt: skip
    return (
        pl.concat(frames)
        .group_by("group", "item", "code")
        .agg(n=pl.len().cast(pl.Int64))
        .with_columns(w_sum=pl.col("n").cast(pl.Float64), w2_sum=pl.col("n").cast(pl.Float64))
        .with_columns(wave=pl.lit(None, dtype=pl.String))
    )


def scores(answers: list[int | None]) -> np.ndarray[Any, np.dtype[np.float64]]:
    got = [a for a in answers if a is not None]
    return np.array([1.0 if a >= 9 else (0.0 if a >= 7 else -1.0) for a in got])


LEADERS: list[int | None] = [10, 9, 9, 8, 10, 7, 9, 6, 10, 9, None, 10, 8, 9, 5, 10]
CUSTOMERS: list[int | None] = [3, 9, 10, 6, 7, 0, 8, 9, 5, 6, 10, None, None, 4, 7, 9, 2, 6, 8]


def floor(s: np.ndarray[Any, np.dtype[np.float64]]) -> float:
    """The multinomial variance with one more answer in each band, among n + 3."""
    m = len(s) + 3
    p, d = (np.sum(s == 1) + 1) / m, (np.sum(s == -1) + 1) / m
    return float((p + d - (p - d) ** 2) / m)


def test_unweighted_nps_and_gap_against_the_scores() -> None:
    cfg = Config(min_cell_n=1)  # these groups are small
    found = nps_results(
        coded({"leaders": LEADERS, "customers": CUSTOMERS}),
        ["recommend"],
        {"recommend": "How likely are you to recommend us?"},
        ["leaders", "customers"],
        [("leaders", "customers")],
        cfg,
    )
    (result,) = found
    z = sps.norm.ppf(0.975)
    variances = {}
    for group, answers in (("leaders", LEADERS), ("customers", CUSTOMERS)):
        s = scores(answers)
        got = result.groups[group]
        # the mean score is the NPS; the variance of a mean of n draws is var(s)/n with the
        # population variance of the scores: p_P + p_D - (p_P - p_D)^2
        assert got.nps == pytest.approx(s.mean(), abs=1e-15)
        assert got.promoters == pytest.approx(np.mean(s == 1), abs=1e-15)
        assert got.detractors == pytest.approx(np.mean(s == -1), abs=1e-15)
        assert got.passives == pytest.approx(np.mean(s == 0), abs=1e-15)
        var = max(s.var(ddof=0) / len(s), floor(s))
        assert var == s.var(ddof=0) / len(s)  # the floor is below: these are not extreme
        variances[group] = var
        assert got.se == pytest.approx(math.sqrt(var), abs=1e-15)
        low, high = max(-1, s.mean() - z * math.sqrt(var)), min(1, s.mean() + z * math.sqrt(var))
        assert got.ci == pytest.approx((low, high), abs=1e-12)
        assert got.n == len(s) and got.missing == answers.count(None)
        assert not got.weighted
    (gap,) = result.comparisons
    diff = scores(LEADERS).mean() - scores(CUSTOMERS).mean()
    se = math.sqrt(variances["leaders"] + variances["customers"])
    assert gap.gap == pytest.approx(diff, abs=1e-15)
    assert gap.gap_ci == pytest.approx((diff - z * se, diff + z * se), abs=1e-12)
    assert gap.p_value == pytest.approx(2 * sps.norm.sf(abs(diff / se)), rel=1e-12)
    assert gap.p_adjusted == gap.p_value  # a family of one
    assert gap.significant == ((gap.p_value or 1.0) < cfg.alpha)


def test_all_promoters_is_no_certainty_and_the_interval_stays_within_the_scale() -> None:
    (result,) = nps_results(
        coded({"leaders": [10, 10, 9, 10, 9], "customers": [0, 1, 2, 10]}),
        ["recommend"], {}, ["leaders", "customers"], [("leaders", "customers")],
        Config(min_cell_n=1),
    )  # fmt: skip
    leaders = result.groups["leaders"]
    # the variance of 6 promoters, 1 passive, 1 detractor among 8, not 0
    se = math.sqrt(floor(np.array([1.0] * 5)))
    assert leaders.nps == 1.0 and leaders.se == pytest.approx(se, rel=1e-14)
    z = sps.norm.ppf(0.975)
    assert leaders.ci == pytest.approx((1 - z * se, 1.0), rel=1e-12)  # clipped at +100
    assert result.groups["customers"].ci[0] == -1.0  # clipped
    (gap,) = result.comparisons
    assert gap.p_value is not None and gap.p_value > 1e-6


def test_too_few_answers_give_nps_without_interval_or_test() -> None:
    (result,) = nps_results(
        coded({"leaders": [10, 9, 8, 3] * 5, "customers": [0, 7, 9] * 20}),
        ["recommend"], {}, ["leaders", "customers"], [("leaders", "customers")], Config(),
    )  # fmt: skip
    leaders = result.groups["leaders"]  # 20 answers, under min_cell_n = 30
    assert leaders.nps == pytest.approx(0.25) and leaders.se is None
    assert leaders.ci == (None, None)
    assert result.groups["customers"].ci[0] is not None  # 60 answers
    (gap,) = result.comparisons
    assert gap.gap == pytest.approx(0.25) and gap.gap_ci == (None, None)
    assert gap.p_value is None and not gap.significant


def test_a_group_without_answers_has_no_nps_and_no_gap() -> None:
    (result,) = nps_results(
        coded({"leaders": [None, None], "customers": [9, 10, 3]}),
        ["recommend"], {}, ["leaders", "customers"], [("leaders", "customers")], Config(),
    )  # fmt: skip
    assert result.groups["leaders"].nps is None and result.groups["leaders"].missing == 2
    (gap,) = result.comparisons
    assert gap.gap is None and gap.p_value is None and not gap.significant


@pytest.mark.parametrize("weighted", [True, False])
def test_nps_with_weights_equals_r_svymean(weighted: bool) -> None:
    # the reference file's respondents as the customers; R's estimate is in points
    rows = customers().with_columns(
        w=pl.col("weight") if weighted else pl.lit(1.0, dtype=pl.Float64)
    )
    table = (
        rows.group_by(pl.col("recommend").alias("code"))
        .agg(n=pl.len().cast(pl.Int64), w_sum=pl.col("w").sum(), w2_sum=(pl.col("w") ** 2).sum())
        .with_columns(
            group=pl.lit("customers"), item=pl.lit("recommend"), wave=pl.lit(None, dtype=pl.String)
        )
    )
    (result,) = nps_results(
        table, ["recommend"], {}, ["customers"], [], Config(), {"customers": weighted}
    )
    ref = reference()["nps"]["weighted" if weighted else "unweighted"]
    got = result.groups["customers"]
    assert got.weighted is weighted
    assert 100 * (got.nps or 0) == pytest.approx(ref["estimate"], abs=R_TOL, rel=0)
    if weighted:
        assert 100 * (got.se or 0) == pytest.approx(ref["se"], abs=R_TOL, rel=0)
        share = rows.filter(pl.col("recommend").is_not_null())
        weights = share["w"].to_list(), share["recommend"].to_list()
        promoters = math.fsum(w for w, a in zip(*weights, strict=True) if a >= 9) / math.fsum(
            weights[0]
        )
        assert got.promoters == pytest.approx(promoters, abs=1e-14)
    else:
        # R's variance is n_all/(n_all - 1) times the multinomial one (n_all: the whole file)
        n_all = customers().height
        r_var = (ref["se"] / 100) ** 2
        assert (got.se or 0) ** 2 == pytest.approx(r_var * (n_all - 1) / n_all, rel=1e-12)


def coding(item: str, scale: str) -> ItemCoding:
    found = parse_scale(scale)
    return ItemCoding(item=item, scale=found, codes={str(c): c for c in found.codes}, n_answers=1)


def test_nps_items_by_wording_by_config_and_not_otherwise() -> None:
    codings = [
        coding("recommend_us", "0-10"),
        coding("q7", "0-10"),
        coding("q8", "0-10"),
        coding("satisfaction", "0-10"),
        coding("recommend_5", "1-5"),
    ]
    labels = {"q7": "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?", "q8": "Effort"}
    assert nps_items(codings, labels, Config()) == ["recommend_us", "q7"]
    cfg = Config(nps_items=["satis*"])
    # "nps" as a word of a name, not inside one; recommendations are no recommending
    more = [coding("nps_score", "0-10"), coding("q_NPS", "0-10"), coding("snpsx", "0-10"),
            coding("useful_recommendations", "0-10")]  # fmt: skip
    assert nps_items(more, {}, Config()) == ["nps_score", "q_NPS"]
    assert nps_items(codings, labels, cfg) == ["recommend_us", "q7", "satisfaction"]
    assert tuple(codings[0].scale.codes) == NPS_CODES


def test_nps_items_that_cannot_be_nps_are_config_errors() -> None:
    codings = [coding("recommend_5", "1-5"), coding("q1", "0-10")]
    with pytest.raises(ConfigError, match=r"'recommend_5', whose scale is 1-5"):
        nps_items(codings, {}, Config(nps_items=["recommend_5"]))
    cfg = Config(nps_items=["nope", "q*"])
    assert nps_items(codings, {}, cfg) == ["q1"]
    (found, unmatched) = nps_warnings(["q1"], codings, Config(nps_items=["nope"]))
    assert "'q1': reported as NPS too" in found
    assert "nps_items names 'nope', which is no item" in unmatched
    assert nps_warnings(["q1"], codings, cfg) == [unmatched]


def test_analyze_reports_nps_for_a_recommend_item(tmp_path: Any) -> None:
    from cxgap import analyze
    from cxgap.render import render

    leaders = tmp_path / "leaders.csv"
    customers = tmp_path / "customers.csv"
    head = "id,q1,How likely are you to recommend us?\n"
    leaders.write_text(head + "".join(f"L{k},4,{a if a is not None else ''}\n"
                                      for k, a in enumerate(LEADERS)))  # fmt: skip
    customers.write_text(head + "".join(f"C{k},2,{a if a is not None else ''}\n"
                                        for k, a in enumerate(CUSTOMERS)))  # fmt: skip
    result = analyze(leaders, customers)
    (found,) = result.nps
    assert found.item == "How likely are you to recommend us?"
    assert found.groups["leaders"].nps == pytest.approx(scores(LEADERS).mean(), abs=1e-15)
    assert found.groups["customers"].nps == pytest.approx(scores(CUSTOMERS).mean(), abs=1e-15)
    table = render(result, "table", width=100)
    assert "Net Promoter Score" in table
    lead = round(100 * scores(LEADERS).mean())
    assert f"{lead:+d} (" in table
    assert ",nps," not in render(result, "csv")  # the item's name is in the row
    assert "\nnps,How likely" in render(result, "csv")
    assert "## Net Promoter Score" in render(result, "markdown")
