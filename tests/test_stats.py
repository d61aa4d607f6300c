"""Statistics against independent references: published examples, statsmodels, scipy."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
    proportions_ztest,
)
from tests.conftest import Writer

from cxgap.stats import (
    benjamini_hochberg,
    cohens_h,
    fisher_exact_2x2,
    holm,
    holm_factors,
    mann_whitney_from_counts,
    needs_exact_test,
    newcombe_interval,
    score_test_2prop,
    share_ratio,
    wilson_interval,
)
from cxgap.stats.changes import (
    CORRECTION,
    combination_interval,
    combination_lower_bound,
    combination_test,
    corrected_wilson_limits,
    mover_difference,
)

# Newcombe (1998a), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score).
WILSON_PUBLISHED = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("x", "n", "lo", "hi"), WILSON_PUBLISHED)
def test_wilson_matches_newcombe_1998a_table(x: int, n: int, lo: float, hi: float) -> None:
    got_lo, got_hi = wilson_interval([x], [n], 0.95)
    assert got_lo[0] == pytest.approx(lo, abs=5e-5)
    assert got_hi[0] == pytest.approx(hi, abs=5e-5)


def test_wilson_matches_statsmodels_on_a_grid() -> None:
    xs, ns = np.meshgrid(np.arange(0, 41), np.arange(1, 41))
    keep = xs <= ns
    x, n = xs[keep], ns[keep]
    for conf in (0.8, 0.9, 0.95, 0.99):
        lo, hi = wilson_interval(x, n, conf)
        ref_lo, ref_hi = proportion_confint(x, n, alpha=1 - conf, method="wilson")
        np.testing.assert_allclose(lo, ref_lo, atol=1e-12)
        np.testing.assert_allclose(hi, ref_hi, atol=1e-12)


def test_wilson_is_undefined_without_observations() -> None:
    lo, hi = wilson_interval([0], [0])
    assert math.isnan(lo[0]) and math.isnan(hi[0])


# Newcombe (1998b), Statistics in Medicine 17:873-890, Table II, method 10.
NEWCOMBE_PUBLISHED = [
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (5, 56, 0, 29, -0.0381, 0.1926),
    (0, 10, 0, 20, -0.1611, 0.2775),
    (10, 10, 0, 20, 0.6791, 1.0),
]


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "lo", "hi"), NEWCOMBE_PUBLISHED)
def test_newcombe_matches_published_examples(
    x1: int, n1: int, x2: int, n2: int, lo: float, hi: float
) -> None:
    got_lo, got_hi = newcombe_interval([x1], [n1], [x2], [n2], 0.95)
    assert got_lo[0] == pytest.approx(lo, abs=5e-5)
    assert got_hi[0] == pytest.approx(hi, abs=5e-5)


@settings(max_examples=200, deadline=None)
@given(
    n1=st.integers(1, 300),
    n2=st.integers(1, 3000),
    f1=st.floats(0, 1),
    f2=st.floats(0, 1),
    conf=st.sampled_from([0.9, 0.95, 0.99]),
)
def test_newcombe_matches_statsmodels(n1: int, n2: int, f1: float, f2: float, conf: float) -> None:
    x1, x2 = round(f1 * n1), round(f2 * n2)
    lo, hi = newcombe_interval([x1], [n1], [x2], [n2], conf)
    ref = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", alpha=1 - conf)
    assert lo[0] == pytest.approx(ref[0], abs=1e-10)
    assert hi[0] == pytest.approx(ref[1], abs=1e-10)


def test_score_test_matches_statsmodels_ztest() -> None:
    cases = [(95, 117, 1140, 4779), (30, 40, 50, 100), (12, 20, 600, 1000), (5, 8, 3, 9)]
    for x1, n1, x2, n2 in cases:
        _, ref = proportions_ztest([x1, x2], [n1, n2])
        got = score_test_2prop([x1], [n1], [x2], [n2])[0]
        assert got == pytest.approx(ref, rel=1e-9)


def test_score_test_is_chi_square_without_correction() -> None:
    table = np.array([[30, 10], [50, 50]])
    chi2 = sps.chi2_contingency(table, correction=False)
    got = score_test_2prop([30], [40], [50], [100])[0]
    assert got == pytest.approx(chi2.pvalue, rel=1e-9)


def test_score_test_edge_cases() -> None:
    # No agreement anywhere: no evidence of a difference.
    assert score_test_2prop([0], [10], [0], [20])[0] == 1.0
    assert score_test_2prop([10], [10], [20], [20])[0] == 1.0
    assert math.isnan(score_test_2prop([0], [0], [3], [20])[0])


def test_exact_test_is_chosen_for_small_expected_counts() -> None:
    assert needs_exact_test([0], [10], [0], [20])[0]
    assert needs_exact_test([3], [8], [500], [1000])[0]
    assert not needs_exact_test([95], [117], [1140], [4779])[0]
    # 10/10 vs 0/10: every expected cell is exactly 5, so the score test applies.
    assert not needs_exact_test([10], [10], [0], [10])[0]


@pytest.mark.parametrize(
    "table",
    [
        (0, 10, 0, 20),
        (10, 10, 0, 20),
        (10, 10, 0, 10),
        (3, 8, 500, 1000),
        (1, 9, 11, 14),
        (7, 12, 2, 9),
    ],
)
def test_fisher_matches_scipy(table: tuple[int, int, int, int]) -> None:
    x1, n1, x2, n2 = table
    ref = sps.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue
    assert fisher_exact_2x2(x1, n1, x2, n2) == pytest.approx(ref, rel=1e-9, abs=1e-15)


def test_fisher_published_tea_tasting() -> None:
    # Fisher's lady tasting tea, 3 of 4 right: two-sided p = 34/70 (Agresti 2013, 3.5.2).
    assert fisher_exact_2x2(3, 4, 1, 4) == pytest.approx(34 / 70, rel=1e-12)


@settings(max_examples=150, deadline=None)
@given(n1=st.integers(1, 40), n2=st.integers(1, 200), f1=st.floats(0, 1), f2=st.floats(0, 1))
def test_fisher_matches_scipy_property(n1: int, n2: int, f1: float, f2: float) -> None:
    x1, x2 = round(f1 * n1), round(f2 * n2)
    ref = sps.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue
    assert fisher_exact_2x2(x1, n1, x2, n2) == pytest.approx(ref, rel=1e-7, abs=1e-14)


def _expand(counts: list[int]) -> np.ndarray:
    return np.repeat(np.arange(1, len(counts) + 1), counts)


@pytest.mark.parametrize(
    ("c1", "c2"),
    [
        ([6, 5, 11, 63, 32], [749, 1294, 1596, 680, 460]),
        ([1, 2, 3, 2, 1], [2, 2, 2, 2, 2]),
        ([0, 0, 0, 0, 5], [5, 0, 0, 0, 0]),
        ([3, 0, 4], [0, 6, 1]),
    ],
)
def test_mann_whitney_matches_scipy(c1: list[int], c2: list[int]) -> None:
    ref = sps.mannwhitneyu(_expand(c1), _expand(c2), method="asymptotic", use_continuity=True)
    u1, p = mann_whitney_from_counts(c1, c2)
    assert u1 == pytest.approx(ref.statistic, rel=1e-12)
    assert p == pytest.approx(ref.pvalue, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=2, max_size=7).flatmap(
        lambda a: st.tuples(
            st.just(a), st.lists(st.integers(0, 30), min_size=len(a), max_size=len(a))
        )
    )
)
def test_mann_whitney_matches_scipy_property(pair: tuple[list[int], list[int]]) -> None:
    c1, c2 = pair
    u1, p = mann_whitney_from_counts(c1, c2)
    if sum(c1) == 0 or sum(c2) == 0:
        assert math.isnan(p)
        return
    totals = np.add(c1, c2)
    if (totals > 0).sum() == 1:  # every answer on one level: nothing to test
        assert math.isnan(p)
        return
    ref = sps.mannwhitneyu(_expand(c1), _expand(c2), method="asymptotic", use_continuity=True)
    assert u1 == pytest.approx(ref.statistic, rel=1e-12)
    assert p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)


def test_cohens_h_matches_statsmodels_and_cohen() -> None:
    for p1, p2 in [(0.8, 0.24), (0.5, 0.5), (1.0, 0.0), (0.1, 0.2)]:
        assert cohens_h([p1], [p2])[0] == pytest.approx(proportion_effectsize(p1, p2), abs=1e-12)
    # Cohen (1988) Table 6.2.2 gives phi(.65) = 1.8755 and phi(.50) = 1.5708.
    assert cohens_h([0.65], [0.50])[0] == pytest.approx(1.8755 - 1.5708, abs=1e-4)


def test_ratio_is_undefined_when_customers_share_is_zero() -> None:
    r = share_ratio([0.8, 0.5, np.nan], [0.24, 0.0, 0.2])
    assert r[0] == pytest.approx(0.8 / 0.24)
    assert math.isnan(r[1]) and math.isnan(r[2])


P_FAMILY = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.8]


def test_holm_matches_statsmodels() -> None:
    ref = multipletests(P_FAMILY, method="holm")[1]
    np.testing.assert_allclose(holm(P_FAMILY), ref, rtol=1e-12)


def test_bh_matches_statsmodels() -> None:
    ref = multipletests(P_FAMILY, method="fdr_bh")[1]
    np.testing.assert_allclose(benjamini_hochberg(P_FAMILY), ref, rtol=1e-12)


def test_adjustment_skips_undefined_pvalues() -> None:
    got = holm([0.01, np.nan, 0.04])  # a list for a list
    assert math.isnan(got[1])
    np.testing.assert_allclose([got[0], got[2]], [0.02, 0.04])


def test_holm_hand_worked() -> None:
    # m = 3: sorted 0.01, 0.02, 0.04 -> 0.03, max(0.03, 0.04) = 0.04, max(0.04, 0.04) = 0.04.
    np.testing.assert_allclose(holm([0.04, 0.01, 0.02]), [0.04, 0.03, 0.04])


def test_holm_factors_reproduce_the_adjusted_pvalues() -> None:
    p = np.array(P_FAMILY)
    f = holm_factors(p)
    np.testing.assert_allclose(np.minimum(1.0, f * p), multipletests(p, method="holm")[1])
    # hand-worked: sorted 0.01, 0.02, 0.04 -> factors 3, 2 (0.04 / 0.02), 1 -> 0.04 / 0.04
    np.testing.assert_allclose(holm_factors([0.04, 0.01, 0.02]), [1.0, 3.0, 2.0])


# Tests derived from the score/MOVER intervals (the gate's small-sample tests).


@settings(max_examples=80, deadline=None)
@given(
    n=st.lists(st.integers(1, 300), min_size=2, max_size=2),
    f=st.lists(st.floats(0, 1), min_size=2, max_size=2),
    conf=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_two_term_combination_is_newcombe(n: list[int], f: list[float], conf: float) -> None:
    x = [round(a * b) for a, b in zip(f, n, strict=True)]
    z = sps.norm.ppf(0.5 + conf / 2)
    est, lo, hi = combination_interval(
        [1, -1], [[x[0]], [x[1]]], [[n[0]], [n[1]]], z, correction=0.0
    )
    ref_lo, ref_hi = newcombe_interval([x[0]], [n[0]], [x[1]], [n[1]], conf)
    assert est[0] == pytest.approx(x[0] / n[0] - x[1] / n[1], abs=1e-15)
    assert lo[0] == pytest.approx(ref_lo[0], abs=1e-12)
    assert hi[0] == pytest.approx(ref_hi[0], abs=1e-12)


def test_four_term_combination_is_mover_of_two_newcombe_gaps() -> None:
    x = np.array([[80, 9, 0], [30, 1, 29], [70, 10, 5], [40, 3, 0]])
    n = np.array([[100, 10, 30], [100, 10, 29], [100, 10, 56], [100, 10, 40]])
    g1 = newcombe_interval(x[0], n[0], x[1], n[1])
    g0 = newcombe_interval(x[2], n[2], x[3], n[3])
    e1, e0 = x[0] / n[0] - x[1] / n[1], x[2] / n[2] - x[3] / n[3]
    ref_lo, ref_hi = mover_difference(e1, g1[0], g1[1], e0, g0[0], g0[1])
    est, lo, hi = combination_interval([1, -1, -1, 1], x, n, sps.norm.ppf(0.975), correction=0.0)
    np.testing.assert_allclose(est, e1 - e0, atol=1e-15)
    np.testing.assert_allclose(lo, ref_lo, atol=1e-12)
    np.testing.assert_allclose(hi, ref_hi, atol=1e-12)


# Newcombe (1998a) Table I, method 4 (score with continuity correction), and (1998b)
# Table II, method 11 (the hybrid score interval built from those limits), 95%.
CC_WILSON_PUBLISHED = [
    (81, 263, 0.2535, 0.3682),
    (15, 148, 0.0598, 0.1644),
    (0, 20, 0.0, 0.2005),
    (1, 29, 0.0018, 0.1963),
]
METHOD_11_PUBLISHED = [
    (56, 70, 48, 80, 0.0428, 0.3422),
    (9, 10, 3, 10, 0.1013, 0.8387),
    (6, 7, 2, 7, -0.0290, 0.8423),
]


@pytest.mark.parametrize(("x", "n", "lo", "hi"), CC_WILSON_PUBLISHED)
def test_corrected_wilson_matches_newcombe_1998a_method_4(
    x: int, n: int, lo: float, hi: float
) -> None:
    got = corrected_wilson_limits([x], [n], sps.norm.ppf(0.975), 0.5)
    assert got[0][0] == pytest.approx(lo, abs=5e-5) and got[1][0] == pytest.approx(hi, abs=5e-5)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "lo", "hi"), METHOD_11_PUBLISHED)
def test_two_term_combination_with_half_correction_is_newcombe_method_11(
    x1: int, n1: int, x2: int, n2: int, lo: float, hi: float
) -> None:
    _, a, b = combination_interval(
        [1, -1], [[x1], [x2]], [[n1], [n2]], sps.norm.ppf(0.975), correction=0.5
    )
    assert a[0] == pytest.approx(lo, abs=5e-5) and b[0] == pytest.approx(hi, abs=5e-5)


@pytest.mark.parametrize("c", [0.0, 0.5, CORRECTION])
def test_corrected_wilson_limits_solve_the_score_equation(c: float) -> None:
    # The limits are the roots of (x -+ c - n pi)^2 = z^2 n pi (1 - pi), found here
    # numerically by brentq, below and above the shifted share.
    from scipy.optimize import brentq

    z = sps.norm.ppf(0.95)
    for x, n in [(1, 1), (1, 10), (3, 10), (9, 10), (5, 1000), (990, 1000), (2, 40)]:
        lo, hi = corrected_wilson_limits([x], [n], z, c)

        def score(pi: float, shifted: float, n: int = n) -> float:
            return (shifted - n * pi) ** 2 - z * z * n * pi * (1 - pi)

        xl, xu = max(x - c, 0.0), min(x + c, n)
        top = min(xl / n, 1 - 1e-9)
        ref_lo = 0.0 if xl == 0 else brentq(score, 1e-15, top, args=(xl,), xtol=1e-15)
        ref_hi = 1.0 if xu == n else brentq(score, xu / n, 1 - 1e-15, args=(xu,), xtol=1e-15)
        assert lo[0] == pytest.approx(ref_lo, abs=1e-12)
        assert hi[0] == pytest.approx(ref_hi, abs=1e-12)


def test_inverted_test_one_respondent_per_group_hand_worked() -> None:
    # Without the continuity correction, 1/1 against 0/1: the Newcombe lower bound is
    # 1 - sqrt(2) z^2 / (1 + z^2). It touches 0.3 where z^2 / (1 + z^2) = 0.7 / sqrt 2,
    # so p = Phi(-z) = 0.1611, and 0.05 where z^2 / (1 + z^2) = 0.95 / sqrt 2:
    # p = 0.0763 (not significant at 0.05; the linearised test said 0.048).
    for t in (0.3, 0.05):
        r = (1 - t) / math.sqrt(2)
        z = math.sqrt(r / (1 - r))
        p = combination_test(
            [1, -1], [[1], [0]], [[1], [1]], t, alternative="greater", correction=0.0
        )
        assert p[0] == pytest.approx(sps.norm.sf(z), rel=1e-9)
    # With it (c = 0.75), already at z = 0 the limits are 0.25 and 0.75 (the shifted
    # counts), so the bound is at most 1 - 0.75 sqrt 2 = -0.06: below any limit >= 0,
    # p = 0.5 and the bound at every level is below 0.
    for t in (0.0, 0.05, 0.3):
        p = combination_test([1, -1], [[1], [0]], [[1], [1]], t, alternative="greater")
        assert p[0] == 0.5
    _, lo0, _ = combination_interval([1, -1], [[1], [0]], [[1], [1]], 0.0)
    assert lo0[0] == pytest.approx(1 - 0.75 * math.sqrt(2), abs=1e-15)


def test_inverted_test_two_per_group_full_swing_is_not_significant() -> None:
    # Gap 0 (2/2 vs 2/2) then +100 pp (2/2 vs 0/2): the uncorrected MOVER interval is
    # -14 to +166 pp; the Wald test said p = 0 (zero estimated variance). With the
    # continuity correction the interval is wider (-49 to +186) and p = 0.56.
    x, n = [[2], [0], [2], [2]], [[2], [2], [2], [2]]
    z = sps.norm.ppf(0.975)
    _, lo, hi = combination_interval([1, -1, -1, 1], x, n, z, correction=0.0)
    assert lo[0] == pytest.approx(-0.139, abs=1e-3) and hi[0] == pytest.approx(1.658, abs=1e-3)
    assert 0.05 < combination_test([1, -1, -1, 1], x, n, correction=0.0)[0] < 1
    _, lo, hi = combination_interval([1, -1, -1, 1], x, n, z)
    assert lo[0] == pytest.approx(-0.487, abs=1e-3) and hi[0] == pytest.approx(1.858, abs=1e-3)
    assert combination_test([1, -1, -1, 1], x, n)[0] == pytest.approx(0.562, abs=1e-3)


def test_inverted_test_on_large_samples_is_close_to_the_score_test() -> None:
    p = combination_test([1, -1], [[600], [400]], [[1000], [1000]])
    ref = proportions_ztest([600, 400], [1000, 1000])[1]
    assert p[0] == pytest.approx(ref, rel=0.1)
    assert math.isnan(combination_test([1, -1], [[0], [1]], [[0], [2]])[0])
    assert combination_test([1, -1], [[1], [1]], [[2], [2]])[0] == 1.0
    assert combination_test([1, -1], [[1], [1]], [[2], [2]], 0.0, alternative="greater")[0] == 0.5


counts4 = st.lists(st.tuples(st.integers(1, 60), st.floats(0, 1)), min_size=4, max_size=4)


@settings(max_examples=150, deadline=None)
@given(
    groups=counts4,
    terms=st.sampled_from([2, 4]),
    conf=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
    t=st.sampled_from([0.0, 0.05, 0.2]),
)
def test_inverted_tests_agree_with_their_intervals(
    groups: list[tuple[int, float]], terms: int, conf: float, t: float
) -> None:
    n = np.array([[g[0]] for g in groups[:terms]], dtype=float)
    x = np.array([[round(g[0] * g[1])] for g in groups[:terms]], dtype=float)
    coef = [1, -1, -1, 1][:terms]
    alpha = 1 - conf
    est, lo, hi = combination_interval(coef, x, n, sps.norm.ppf(1 - alpha / 2))
    p2 = combination_test(coef, x, n)[0]
    excludes0 = lo[0] > 0 or hi[0] < 0
    if abs(p2 - alpha) > 1e-9:
        assert (p2 < alpha) == excludes0
    p1 = combination_test(coef, x, n, t, alternative="greater")[0]
    bound = combination_lower_bound(coef, x, n, alpha)[0]
    if abs(p1 - alpha) > 1e-9:
        assert (p1 < alpha) == (bound > t)
    # p < 0.5 exactly when the interval at z = 0 (the estimate, widened by the
    # continuity correction) lies above t, so only above the estimate
    _, lo0, _ = combination_interval(coef, x, n, 0.0)
    assert (p1 < 0.5) == (lo0[0] > t)
    if p1 < 0.5:
        assert est[0] > t


def test_lower_bound_at_extreme_levels() -> None:
    # A Holm level can be far below 1e-17, where 1 - level rounds to 1.
    x, n = [[900], [100]], [[1000], [1000]]
    tiny = combination_lower_bound([1, -1], x, n, [1e-30, 0.05])
    assert math.isfinite(tiny[0]) and tiny[0] < tiny[1]
    _, lo, _ = combination_interval([1, -1], x, n, sps.norm.ppf(0.95))
    assert tiny[1] == pytest.approx(lo[0], abs=1e-12)
    assert math.isnan(combination_lower_bound([1, -1], x, n, [math.nan])[0])


# --- numbers, lists and numpy arrays ---------------------------------------------------


def _tables(k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = rng.choice([0, 1, 2, 5, 30, 1000, 20000], k).astype(float)
    x = np.floor(n * rng.choice([0.0, 0.3, 0.5, 0.97, 1.0, rng.random()], k))
    return x, n


def _same(got: object, want: object) -> None:
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for a, b in zip(got, want, strict=True):
            _same(a, b)
        return
    assert isinstance(got, list) and isinstance(want, np.ndarray)
    np.testing.assert_array_equal(np.asarray(got, dtype=float), want)  # to the bit, NaN too


def test_kernels_give_lists_for_lists_and_arrays_for_arrays_to_the_bit() -> None:
    # The commands pass lists and never import numpy; simulations pass arrays and get
    # arrays, computed on the whole arrays at once. Both run one kernel: same bits.
    x1, n1 = _tables(300, 1)
    x2, n2 = _tables(300, 2)
    p1, p2 = x1 / np.where(n1 > 0, n1, np.nan), x2 / np.where(n2 > 0, n2, np.nan)
    pv = np.where(n1 > 0, np.random.default_rng(3).random(300) ** 4, np.nan)
    counts, sizes = np.vstack([x1, x2, x2, x1]), np.vstack([n1, n2, n2, n1])
    coef = [1.0, -1.0, -1.0, 1.0]
    cases = [
        (wilson_interval, (x1, n1)),
        (newcombe_interval, (x1, n1, x2, n2)),
        (score_test_2prop, (x1, n1, x2, n2)),
        (needs_exact_test, (x1, n1, x2, n2)),
        (cohens_h, (p1, p2)),
        (share_ratio, (p1, p2)),
        (holm, (pv,)),
        (holm_factors, (pv,)),
        (benjamini_hochberg, (pv,)),
        (corrected_wilson_limits, (x1, n1, np.full(300, 1.6))),
        (lambda c, s: combination_interval(coef, c, s, 1.96), (counts, sizes)),
        (lambda c, s: combination_test(coef[:2], c[:2], s[:2], 0.1), (counts, sizes)),
        (lambda c, s: combination_lower_bound(coef, c, s, 0.01), (counts, sizes)),
    ]
    for f, args in cases:
        _same(f(*(a.tolist() for a in args)), f(*args))
    # numbers give floats
    assert wilson_interval(4, 6) == tuple(v[0] for v in wilson_interval([4], [6]))
    assert isinstance(combination_test([1, -1], [3, 1], [10, 10]), float)


# --- Pearson's r from a cross-tab (derived importance) ---------------------------------


@settings(max_examples=60)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=3, max_value=400))
def test_pearson_from_cells_equals_scipy_on_the_expanded_data(seed: int, size: int) -> None:
    from cxgap.stats.correlation import pearson_from_cells

    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size)
    y = np.clip(x + rng.integers(-2, 3, size), 0, 10)
    cells: dict[tuple[int, int], int] = {}
    for a, b in zip(x.tolist(), y.tolist(), strict=True):
        cells[(a, b)] = cells.get((a, b), 0) + 1
    xs, ys = [a for a, _ in cells], [b for _, b in cells]
    r = pearson_from_cells(xs, ys, list(cells.values()))
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        assert r is None
        return
    assert r is not None
    assert r == pytest.approx(sps.pearsonr(x, y).statistic, abs=1e-12)
    assert r == pytest.approx(np.corrcoef(x, y)[0, 1], abs=1e-12)


def test_pearson_from_cells_undefined_cases() -> None:
    from cxgap.stats.correlation import pearson_from_cells

    assert pearson_from_cells([1, 2], [1, 2], [1, 1]) is None  # two respondents
    assert pearson_from_cells([3, 3], [1, 5], [4, 6]) is None  # x constant
    assert pearson_from_cells([], [], []) is None
    # a perfect line is exactly 1 and -1
    assert pearson_from_cells([1, 2, 3], [2, 4, 6], [5, 1, 7]) == 1.0
    assert pearson_from_cells([1, 2, 3], [6, 4, 2], [5, 1, 7]) == -1.0


def test_derived_importance_equals_numpy_on_the_respondents(table: Writer) -> None:
    # Blanks, a non-answer and a label in the answers: only respondents who answered
    # both items on their scales count, as numpy sees them after dropping the rest.
    from cxgap import analyze

    rng = np.random.default_rng(11)
    size = 300
    overall = rng.integers(1, 6, size).astype(object)
    a = np.clip(overall + rng.integers(-1, 2, size), 1, 5).astype(object)
    b = rng.integers(1, 6, size).astype(object)
    overall[:7], a[7:19], b[19:23] = "", "N/A", ""
    cols = {"overall_strong_cx": [str(v) for v in overall], "a": [str(v) for v in a],
            "b": [str(v) for v in b]}  # fmt: skip
    path = table("c.csv", cols)
    result = analyze(path, path, importance=True)
    got = {i.item: i.importance for i in result.items}
    for item in ("a", "b"):
        pairs = [(int(x), int(y)) for x, y in zip(cols[item], cols["overall_strong_cx"],
                 strict=True) if x.isdigit() and y.isdigit()]  # fmt: skip
        want = np.corrcoef(np.array(pairs).T)[0, 1]
        assert got[item] == pytest.approx(want, abs=1e-12)
    assert got["overall_strong_cx"] == 1.0


def test_importance_crosstab_read_as_integers_equals_as_text(
    table: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # plain integer answers take the integer read; it must count what the text read counts
    import cxgap.scan.passes
    from cxgap.config import Config
    from cxgap.scan.prepare import prepare

    rng = np.random.default_rng(5)
    cols = {
        name: [str(v) for v in rng.integers(1, 6, 200)] for name in ("a", "b", "overall_strong_cx")
    }
    cols["wave"] = ["2026Q1"] * 100 + ["2026Q2"] * 100
    path = table("c.csv", cols)
    prep = prepare({"leaders": path, "customers": path}, Config())
    fast = prep.crosstab(Config())
    monkeypatch.setattr(cxgap.scan.passes, "_plain_integer", lambda answer: False)
    slow = prep.crosstab(Config())
    assert fast is not None and slow is not None and fast.height > 0
    assert fast.equals(slow)


def test_importance_cross_tab_is_counted_in_the_counting_pass(
    table: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Integer-coded exports: the reference group's cross-tab against the headline item
    comes from the counting pass itself, equal to the cross-tab's own pass."""
    import cxgap.scan.passes
    from cxgap import analyze
    from cxgap.analysis.importance import importance_from_crosstab
    from cxgap.config import Config
    from cxgap.scan.passes import crosstab
    from cxgap.scan.prepare import group_inputs, prepare

    rng = np.random.default_rng(11)
    cols: dict[str, list[str | None]] = {
        k: [str(v) if v else None for v in rng.integers(0, 6, 600)]
        for k in ("a", "b", "overall_strong_cx")
    }
    cols["wave"] = ["W1"] * 300 + ["W2"] * 300
    customers = table("c.csv", cols)
    names = ("a", "b", "overall_strong_cx")
    leaders = table("l.csv", {k: [str(v) for v in rng.integers(1, 6, 60)] for k in names})
    cfg = Config()
    prep = prepare(group_inputs(leaders, customers, cfg), cfg, crosstab=True)
    # each group with the headline item is cross-tabulated in its own counting pass
    assert set(prep.early_crosstabs) == {"leaders", "customers"}
    early = prep.crosstab(cfg)
    assert early is not None
    own_pass = crosstab(prep.reference, prep.codings, "overall_strong_cx")
    assert early.equals(own_pass)
    expected = importance_from_crosstab(own_pass, prep.codings, "overall_strong_cx")

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the cross-tab took a pass of its own")

    monkeypatch.setattr(cxgap.scan.passes, "crosstab_query", refuse)
    found = analyze(leaders, customers, cfg, importance=True)
    assert {i.item: i.importance for i in found.items} == {
        i.item: expected.get(i.item) for i in found.items
    }
    assert all(i.importance is not None for i in found.items if i.item != "overall_strong_cx")


@pytest.mark.parametrize(
    "values", [[1, 2, 3, 4, 5], [-99, 1, 2, 3, 4, 5, 99]], ids=["16-bit pairs", "32-bit pairs"]
)
def test_the_pass_cross_tab_with_codes_far_apart(table: Writer, values: list[int]) -> None:
    """The counting pass's cross-tab makes each item's and the headline's answers one pair
    code, 16-bit where every pair fits and 32-bit where not (codes from -99 to 99 would
    wrap a 16-bit code): the cells equal a grouping of the answers themselves."""
    from cxgap.config import Config
    from cxgap.scan.passes import crosstab
    from cxgap.scan.prepare import group_inputs, prepare

    rng = np.random.default_rng(13)
    draws = [*values, None]
    cols = {
        k: [None if v is None else str(v) for v in rng.choice(np.array(draws, object), 900)]
        for k in ("a", "b", "overall_strong_cx")
    }
    path = table("c.csv", cols)
    cfg = Config()
    prep = prepare(group_inputs(path, path, cfg), cfg, crosstab=True)
    early = prep.crosstab(cfg)
    assert early is not None and prep.early_crosstabs
    own_pass = crosstab(prep.reference, prep.codings, "overall_strong_cx")
    assert own_pass is not None and early.equals(own_pass)
    wanted = (
        pl.DataFrame(cols)
        .unpivot(on=["a", "b"], index="overall_strong_cx", variable_name="item")
        .group_by("item", "value", "overall_strong_cx")
        .len()
    )
    got = early.group_by("item", "value", "by_value").agg(pl.col("n").sum())
    joined = wanted.join(
        got, left_on=["item", "value", "overall_strong_cx"],
        right_on=["item", "value", "by_value"], how="full", nulls_equal=True,
    )  # fmt: skip
    assert joined.height == wanted.height and (joined["len"] == joined["n"]).all()
