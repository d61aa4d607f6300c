"""Hypothesis tests for two independent groups, computed from counts."""

from __future__ import annotations

import math
from collections.abc import Iterable

from cxgap.stats._elementwise import ArrayLike, Floats, Ops, elementwise
from cxgap.stats._normal import two_sided_p

#: Below this expected cell count the score test's normal approximation is
#: not trusted and Fisher's exact test is used instead (Cochran's rule).
MIN_EXPECTED_COUNT = 5.0


def score_test_2prop(
    count1: ArrayLike, nobs1: ArrayLike, count2: ArrayLike, nobs2: ArrayLike
) -> Floats:
    """Two-sided score test of p1 = p2 (the pooled two-proportion z test).

    z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)) with the pooled p = (x1 + x2)
    / (n1 + n2); z^2 is Pearson's chi-square for the 2x2 table without
    continuity correction. Where both groups are all-agree or all-disagree
    there is no evidence of a difference and the p-value is 1. NaN where a
    group has no observations. Counts are numbers, sequences or numpy arrays; the
    p-values are a float, a list or an array accordingly.

    References
    ----------
    Agresti, A. (2013). Categorical Data Analysis, 3rd ed., section 3.1.
    Equals statsmodels ``proportions_ztest(count, nobs)``.
    """
    return elementwise(_score_test, count1, nobs1, count2, nobs2)


def _score_test(ops: Ops, x1: float, n1: float, x2: float, n2: float) -> float:
    valid = (n1 > 0) & (n2 > 0)
    n1, n2 = ops.where(valid, n1, 1.0), ops.where(valid, n2, 1.0)  # NaN there anyway
    pooled = (x1 + x2) / (n1 + n2)
    var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    z = (x1 / n1 - x2 / n2) / ops.sqrt(ops.where(var > 0, var, 1.0))
    p = two_sided_p(ops, ops.where(var > 0, z, 0.0))
    return ops.where(valid, p, math.nan)


def needs_exact_test(
    count1: ArrayLike, nobs1: ArrayLike, count2: ArrayLike, nobs2: ArrayLike
) -> Floats:
    """True where any expected cell of the 2x2 table is below MIN_EXPECTED_COUNT (a bool,
    a list of them or a boolean array, as for :func:`score_test_2prop`)."""
    return elementwise(_needs_exact, count1, nobs1, count2, nobs2)


def _needs_exact(ops: Ops, x1: float, n1: float, x2: float, n2: float) -> bool:
    total = n1 + n2
    agree = x1 + x2
    smaller = ops.minimum(n1, n2)
    smallest = ops.minimum(smaller * agree, smaller * (total - agree))
    smallest = smallest / ops.where(total > 0, total, 1.0)
    return (total > 0) & (smallest < MIN_EXPECTED_COUNT)


def _log_choose(n: float, k: float) -> float:
    return math.lgamma(n + 1.0) - math.lgamma(k + 1.0) - math.lgamma(n - k + 1.0)


def fisher_exact_2x2(count1: int, nobs1: int, count2: int, nobs2: int) -> float:
    """Two-sided Fisher exact test for the 2x2 table [[x1, n1-x1], [x2, n2-x2]].

    Conditions on both margins; the p-value sums the hypergeometric
    probabilities of every table no more likely than the observed one (with a
    relative tolerance of 1e-7 for ties in floating point, as R and scipy do),
    exactly (``math.fsum``). NaN where a group has no observations.

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
    margins = _log_choose(float(total), float(agree))
    pmf = [
        math.exp(
            _log_choose(float(nobs1), float(k))
            + _log_choose(float(nobs2), float(agree - k))
            - margins
        )
        for k in range(lo, hi + 1)
    ]
    observed = pmf[count1 - lo]
    p = math.fsum(v for v in pmf if v <= observed * (1.0 + 1e-7))
    return min(p, 1.0)


def mann_whitney_from_counts(
    counts1: Iterable[float], counts2: Iterable[float]
) -> tuple[float, float]:
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
    c1 = [float(v) for v in counts1]
    c2 = [float(v) for v in counts2]
    n1 = math.fsum(c1)
    n2 = math.fsum(c2)
    total = n1 + n2
    if n1 == 0 or n2 == 0:
        return math.nan, math.nan
    rank_sum = ties = 0.0  # sums of whole and half numbers: exact below 2^53
    before = 0.0
    for a, b in zip(c1, c2, strict=True):
        level = a + b
        rank_sum += a * (before + (level + 1.0) / 2.0)  # the level's mid-rank
        ties += level * level * level - level
        before += level
    u1 = rank_sum - n1 * (n1 + 1.0) / 2.0
    variance = n1 * n2 / 12.0 * ((total + 1.0) - ties / (total * (total - 1.0)))
    if variance <= 0:
        return u1, math.nan
    u = max(u1, n1 * n2 - u1)
    # With the continuity correction z can fall below 0 when U sits on its mean;
    # the two-sided p is then capped at 1 (not mirrored).
    z = (u - n1 * n2 / 2.0 - 0.5) / math.sqrt(variance)
    return u1, min(1.0, math.erfc(z / math.sqrt(2.0)))
