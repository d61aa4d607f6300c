"""Hypothesis tests for two independent groups, computed from counts."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from cxgap.stats._normal import two_sided_p

FloatArray = npt.NDArray[np.float64]

#: Below this expected cell count the score test's normal approximation is
#: not trusted and Fisher's exact test is used instead (Cochran's rule).
MIN_EXPECTED_COUNT = 5.0


def score_test_2prop(
    count1: npt.ArrayLike, nobs1: npt.ArrayLike, count2: npt.ArrayLike, nobs2: npt.ArrayLike
) -> FloatArray:
    """Two-sided score test of p1 = p2 (the pooled two-proportion z test).

    z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)) with the pooled p = (x1 + x2)
    / (n1 + n2); z^2 is Pearson's chi-square for the 2x2 table without
    continuity correction. Where both groups are all-agree or all-disagree
    there is no evidence of a difference and the p-value is 1. NaN where a
    group has no observations.

    References
    ----------
    Agresti, A. (2013). Categorical Data Analysis, 3rd ed., section 3.1.
    Equals statsmodels ``proportions_ztest(count, nobs)``.
    """
    x1 = np.asarray(count1, dtype=np.float64)
    n1 = np.asarray(nobs1, dtype=np.float64)
    x2 = np.asarray(count2, dtype=np.float64)
    n2 = np.asarray(nobs2, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (x1 + x2) / (n1 + n2)
        var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
        z = (x1 / n1 - x2 / n2) / np.sqrt(var)
    p = two_sided_p(np.where(var > 0, z, 0.0))
    return np.where((n1 > 0) & (n2 > 0), p, np.nan)


def needs_exact_test(
    count1: npt.ArrayLike, nobs1: npt.ArrayLike, count2: npt.ArrayLike, nobs2: npt.ArrayLike
) -> npt.NDArray[np.bool_]:
    """True where any expected cell of the 2x2 table is below MIN_EXPECTED_COUNT."""
    x1 = np.asarray(count1, dtype=np.float64)
    n1 = np.asarray(nobs1, dtype=np.float64)
    x2 = np.asarray(count2, dtype=np.float64)
    n2 = np.asarray(nobs2, dtype=np.float64)
    total = n1 + n2
    agree = x1 + x2
    with np.errstate(divide="ignore", invalid="ignore"):
        smallest = np.minimum(np.minimum(n1, n2) * agree, np.minimum(n1, n2) * (total - agree))
        smallest = smallest / total
    out: npt.NDArray[np.bool_] = (total > 0) & (smallest < MIN_EXPECTED_COUNT)
    return out


def _log_choose(n: float, k: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    lgamma = np.vectorize(math.lgamma, otypes=[np.float64])
    out: npt.NDArray[np.float64] = lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0)
    return out


def fisher_exact_2x2(count1: int, nobs1: int, count2: int, nobs2: int) -> float:
    """Two-sided Fisher exact test for the 2x2 table [[x1, n1-x1], [x2, n2-x2]].

    Conditions on both margins; the p-value sums the hypergeometric
    probabilities of every table no more likely than the observed one (with a
    relative tolerance of 1e-7 for ties in floating point, as R and scipy do).
    NaN where a group has no observations.

    References
    ----------
    Fisher, R. A. (1935). The logic of inductive inference. JRSS 98, 39-82.
    Agresti, A. (1992). A survey of exact inference for contingency tables.
    Statistical Science 7(1), 131-153.
    """
    if nobs1 <= 0 or nobs2 <= 0:
        return math.nan
    total = nobs1 + nobs2
    agree = count1 + count2
    lo = max(0, agree - nobs2)
    hi = min(agree, nobs1)
    support = np.arange(lo, hi + 1, dtype=np.float64)
    logpmf = (
        _log_choose(float(nobs1), support)
        + _log_choose(float(nobs2), agree - support)
        - _log_choose(float(total), np.array([float(agree)]))
    )
    pmf = np.exp(logpmf)
    observed = pmf[count1 - lo]
    p = float(pmf[pmf <= observed * (1.0 + 1e-7)].sum())
    return min(p, 1.0)


def mann_whitney_from_counts(counts1: npt.ArrayLike, counts2: npt.ArrayLike) -> tuple[float, float]:
    """Mann-Whitney U test from counts per ordered level, with tie correction.

    ``counts1[k]`` and ``counts2[k]`` are how many in each group chose level
    k (levels in scale order). Every respondent on level k gets the mid-rank
    of the level, so the whole test needs only the counts::

        U1    = R1 - n1 (n1 + 1) / 2
        sigma = sqrt(n1 n2 / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))))
        z     = (max(U1, U2) - n1 n2 / 2 - 0.5) / sigma

    with t the level totals and a continuity correction of 0.5; the p-value is
    two-sided from the normal distribution. This is scipy's
    ``mannwhitneyu(method="asymptotic", use_continuity=True)``.

    Returns
    -------
    u1, p : float
        U for group 1 and the p-value; p is NaN where a group is empty or every
        answer is on one level (no variance to test).

    References
    ----------
    Mann, H. B. and Whitney, D. R. (1947). Annals of Mathematical Statistics
    18(1), 50-60. Lehmann, E. L. (1975). Nonparametrics, ch. 1 (ties).
    """
    c1 = np.asarray(counts1, dtype=np.float64)
    c2 = np.asarray(counts2, dtype=np.float64)
    n1 = float(c1.sum())
    n2 = float(c2.sum())
    total = n1 + n2
    if n1 == 0 or n2 == 0:
        return math.nan, math.nan
    level_totals = c1 + c2
    before = np.concatenate(([0.0], np.cumsum(level_totals)[:-1]))
    midranks = before + (level_totals + 1.0) / 2.0
    u1 = float((c1 * midranks).sum() - n1 * (n1 + 1.0) / 2.0)
    ties = float((level_totals**3 - level_totals).sum())
    variance = n1 * n2 / 12.0 * ((total + 1.0) - ties / (total * (total - 1.0)))
    if variance <= 0:
        return u1, math.nan
    u = max(u1, n1 * n2 - u1)
    # With the continuity correction z can fall below 0 when U sits on its mean;
    # the two-sided p is then capped at 1 (not mirrored).
    z = (u - n1 * n2 / 2.0 - 0.5) / math.sqrt(variance)
    return u1, min(1.0, math.erfc(z / math.sqrt(2.0)))
