"""The design-based kernel (stats/design.py) against R's survey package, and its special
functions (stats/special.py) against scipy.

reference.json holds R survey 4.1.1's numbers on tests/survey_reference/customers.csv
(reference.R says what each one is); the tests go rows -> counts (polars: per answer value
n, sum of w, sum of w^2) -> kernel, as the pipeline will."""

from __future__ import annotations

import itertools
import json
import math
from functools import cache
from typing import Any

import polars as pl
import pytest
from scipy import special as sps_special
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint
from tests.conftest import ROOT

from cxgap.stats.design import (
    Cell,
    DesignMean,
    beta_interval,
    logit_interval,
    nps,
    share_from_cells,
    weighted_mean,
    weighted_share,
    wilson_effective,
)
from cxgap.stats.special import betainc, betainc_pair, betaincinv, betaincinv_pair, t_quantile

HERE = ROOT / "tests" / "survey_reference"
ITEMS = ("basics_correct_info", "ownership_problem", "channels_consistent", "overall_strong_cx")
# reference.json prints 15 significant digits.
R_TOL = 1e-9


@cache
def reference() -> dict[str, Any]:
    with (HERE / "reference.json").open(encoding="utf-8") as fh:
        found: dict[str, Any] = json.load(fh)
    return found


@cache
def customers() -> pl.DataFrame:
    return pl.read_csv(HERE / "customers.csv")


def counts(column: str, weighted: bool) -> tuple[list[tuple[int, int, float, float]], int]:
    """Per answer value of ``column``: (answer, n, sum w, sum w^2), and the file's n_all."""
    data = customers().with_columns(
        w=pl.col("weight") if weighted else pl.lit(1.0, dtype=pl.Float64)
    )
    table = (
        data.filter(pl.col(column).is_not_null())
        .group_by(column)
        .agg(n=pl.len(), w_sum=pl.col("w").sum(), w2_sum=(pl.col("w") * pl.col("w")).sum())
        .sort(column)
    )
    cells = [(int(a), int(n), float(w), float(w2)) for a, n, w, w2 in table.iter_rows()]
    return cells, data.height


def share_of(item: str, weighted: bool) -> DesignMean:
    cells, n_all = counts(item, weighted)
    return share_from_cells([(a >= 4, n, w, w2) for a, n, w, w2 in cells], n_all)


BLOCKS = [(block, item) for block in ("weighted", "unweighted") for item in ITEMS]


@pytest.mark.parametrize(("block", "item"), BLOCKS)
def test_share_se_and_kish_n_match_r_svymean(block: str, item: str) -> None:
    ref = reference()[block][item]
    share = share_of(item, block == "weighted")
    assert share.n == ref["n"] and share.n_all == ref["n_all"]
    assert share.estimate == pytest.approx(ref["estimate"], abs=R_TOL, rel=0)
    assert share.se == pytest.approx(ref["se"], abs=R_TOL, rel=0)
    assert share.kish_n == pytest.approx(ref["kish_n"], abs=R_TOL * ref["kish_n"], rel=0)
    assert share.deff == pytest.approx(share.n / share.kish_n, rel=1e-15)
    if block == "unweighted":
        assert share.deff == pytest.approx(1.0, rel=1e-15)
        p = share.estimate
        assert share.var == pytest.approx(300 / 299 * p * (1 - p) / 275, rel=1e-13)


@pytest.mark.parametrize(("block", "item"), BLOCKS)
def test_beta_and_logit_intervals_match_r_svyciprop(block: str, item: str) -> None:
    ref = reference()[block][item]
    share = share_of(item, block == "weighted")
    for got, want in zip(beta_interval(share, ref["degf"]), ref["beta"], strict=True):
        assert got == pytest.approx(want, abs=R_TOL, rel=0)
    # R's logit limits come from svyglm's IRLS, which stops when the deviance settles: for
    # ownership_problem its p is 1e-10 from sum(w y)/sum(w), and so are its limits.
    for got, want in zip(logit_interval(share, ref["degf"]), ref["logit"], strict=True):
        assert got == pytest.approx(want, abs=R_TOL, rel=0)


@pytest.mark.parametrize("block", ["weighted", "unweighted"])
def test_nps_matches_r_svymean_of_the_score(block: str) -> None:
    ref = reference()["nps"][block]
    cells, n_all = counts("recommend", block == "weighted")
    result = nps(cells, n_all)
    assert result.estimate == pytest.approx(ref["estimate"], abs=R_TOL, rel=0)
    assert result.se == pytest.approx(ref["se"], abs=R_TOL, rel=0)
    assert result.n < n_all  # blanks: n_all keeps them


def test_weighted_share_from_the_two_sides_is_the_cells_sum() -> None:
    cells, n_all = counts("basics_correct_info", True)
    agree = [c for c in cells if c[0] >= 4]
    other = [c for c in cells if c[0] < 4]

    def side(group: list[tuple[int, int, float, float]]) -> tuple[int, float, float]:
        return (
            sum(c[1] for c in group),
            math.fsum(c[2] for c in group),
            math.fsum(c[3] for c in group),
        )

    two = weighted_share(side(agree), side(other), n_all)
    by_cell = share_of("basics_correct_info", True)
    assert two.estimate == pytest.approx(by_cell.estimate, rel=1e-14)
    assert two.se == pytest.approx(by_cell.se, rel=1e-12)
    p = two.estimate
    w2a, w2o, w = side(agree)[2], side(other)[2], two.w_sum
    formula = n_all / (n_all - 1) * ((1 - p) ** 2 * w2a + p**2 * w2o) / w**2
    assert two.var == pytest.approx(formula, rel=1e-13)


def test_wilson_on_kish_n_is_wilson_without_weights() -> None:
    share = weighted_share((40, 40.0, 40.0), (60, 60.0, 60.0), 100)
    lo, hi = proportion_confint(40, 100, alpha=0.05, method="wilson")
    assert wilson_effective(share) == pytest.approx((lo, hi), rel=1e-13)


def test_wilson_on_kish_n_uses_the_effective_n() -> None:
    share = share_of("basics_correct_info", True)
    x = share.estimate * share.kish_n
    lo, hi = proportion_confint(x, share.kish_n, alpha=0.10, method="wilson")
    assert wilson_effective(share, 0.90) == pytest.approx((lo, hi), rel=1e-13)
    # Unequal weights shrink n, so the interval is wider than Wilson's on the raw n.
    raw = proportion_confint(share.estimate * share.n, share.n, alpha=0.10, method="wilson")
    assert wilson_effective(share, 0.90)[1] - wilson_effective(share, 0.90)[0] > raw[1] - raw[0]


def test_edges_are_nan_or_exact() -> None:
    empty = weighted_mean([], 10)
    assert math.isnan(empty.estimate) and math.isnan(empty.se)
    assert all(math.isnan(v) for v in wilson_effective(empty))
    none_agree = weighted_share((0, 0.0, 0.0), (5, 5.0, 5.0), 8)
    assert none_agree.estimate == 0.0 and none_agree.se == 0.0
    assert wilson_effective(none_agree)[0] == 0.0
    assert all(math.isnan(v) for v in beta_interval(none_agree, 4))  # R: var 0 -> NaN
    assert all(math.isnan(v) for v in logit_interval(none_agree, 4))
    with pytest.raises(ValueError, match="n_all"):
        weighted_mean([Cell(1.0, 5, 5.0, 5.0)], 4)
    with pytest.raises(ValueError, match="0 to 10"):
        nps([(11, 1, 1.0, 1.0)], 1)


# Special functions against scipy. Parameters from 0.05 to 10,000 on both sides of the
# switches in the code (Stirling's series from 10; the large-parameter factor when both are).
SHAPES = [0.05, 0.1, 0.5, 1.0, 2.5, 9.5, 10.0, 37.3, 100.0, 1000.0, 1e4]
LEVELS = [1e-12, 1e-6, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999, 1 - 1e-6]
XS = [1e-8, 0.001, 0.02, 0.2, 0.5, 0.7, 0.95, 0.999, 0.99999]


def test_betainc_matches_scipy() -> None:
    worst = 0.0
    for a, b, x in itertools.product(SHAPES, SHAPES, XS):
        want = float(sps_special.betainc(a, b, x))
        want_c = float(sps_special.betaincc(a, b, x))
        got, got_c = betainc_pair(a, b, x)
        for g, w in ((got, want), (got_c, want_c)):
            if w > 1e-280:  # below, both underflow differently
                worst = max(worst, abs(g - w) / w)
    assert worst < 1e-12


def test_betaincinv_matches_scipy() -> None:
    worst = 0.0
    for a, b, p in itertools.product(SHAPES, SHAPES, LEVELS):
        want = float(sps_special.betaincinv(a, b, p))
        if want > 1e-280:
            worst = max(worst, abs(betaincinv(a, b, p) - want) / want)
        x, x_comp = betaincinv_pair(a, b, p)
        assert x + x_comp == pytest.approx(1.0, abs=1e-15)
    assert worst < 1e-12


def test_betaincinv_inverts_betainc() -> None:
    for a, b, p in itertools.product(SHAPES, SHAPES, [0.025, 0.5, 0.975]):
        # 1 - x may be far below the spacing of floats near 1: pass it on
        x, x_comp = betaincinv_pair(a, b, p)
        value, comp = betainc_pair(a, b, x, x_comp)
        assert value == pytest.approx(p, rel=1e-11)
        assert comp == pytest.approx(1 - p, rel=1e-11)


@pytest.mark.parametrize("df", [1, 2, 3, 4.5, 10, 30, 100, 274, 299, 1000, 10_000])
def test_t_quantile_matches_scipy(df: float) -> None:
    for p in [1e-10, 1e-4, 0.005, 0.025, 0.05, 0.3, 0.5, 0.7, 0.95, 0.975, 0.995, 1 - 1e-4]:
        want = float(sps.t.ppf(p, df))
        assert t_quantile(p, df) == pytest.approx(want, rel=1e-12, abs=1e-300)


def test_special_edges() -> None:
    assert betainc(2.0, 3.0, 0.0) == 0.0 and betainc(2.0, 3.0, 1.0) == 1.0
    assert betaincinv(2.0, 3.0, 0.0) == 0.0 and betaincinv(2.0, 3.0, 1.0) == 1.0
    assert math.isnan(betainc(-1.0, 3.0, 0.5)) and math.isnan(betaincinv(2.0, 3.0, 1.5))
    assert t_quantile(0.5, 7) == 0.0
    assert t_quantile(0.0, 7) == -math.inf and t_quantile(1.0, 7) == math.inf
    assert t_quantile(0.975, math.inf) == pytest.approx(1.959963984540054, rel=1e-15)
    assert math.isnan(t_quantile(0.5, 0.0))
