"""Changes and gate statistics: intervals for sums of independent proportions (a
share's change, a gap, a gap's change) and the tests that invert them.

Counts are numbers, sequences or numpy arrays, and results follow them (floats, lists or
arrays: see :mod:`cxgap.stats._elementwise`); the simulations that calibrate these tests
pass arrays of thousands of tables at once.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Literal

from cxgap.stats._elementwise import ArrayLike, Floats, Ops, elementwise, over_terms
from cxgap.stats._normal import upper_tail, upper_z

#: Continuity correction (in counts) of the Wilson limits behind every change and
#: gate interval and test. 0.5 is Newcombe's corrected score interval (1998a, method
#: 4; inside MOVER, 1998b method 11); 0.75 is the smallest simple correction that
#: keeps the one-sided tests' size at or under alpha across the grid in the README
#: (*Small samples*): with 0.5 a breach test against a very large group (20 leaders,
#: 20,000 customers) rejects in up to 5.9% of samples at a 5% level.
CORRECTION = 0.75


def corrected_wilson_limits(
    count: ArrayLike, nobs: ArrayLike, z: ArrayLike, correction: float = CORRECTION
) -> tuple[Floats, Floats]:
    """Continuity-corrected Wilson limits for a critical value ``z`` (>= 0).

    The roots of (x -+ c - n*pi)^2 = z^2 n pi (1 - pi): the lower limit is the
    Wilson lower limit of the count x - c, the upper that of x + c (c =
    ``correction``); 0 at x = 0 and 1 at x = n. With c = 0.5 this is Newcombe's
    closed form (1998a, method 4)::

        L = (2np + z^2 - 1 - z sqrt(z^2 - 2 - 1/n + 4p(nq + 1))) / (2(n + z^2))

    and with c = 0 the plain Wilson limits. NaN where ``nobs`` is 0.

    References
    ----------
    Newcombe, R. G. (1998). Two-sided confidence intervals for the single
    proportion: comparison of seven methods. Statistics in Medicine 17, 857-872.
    """
    lower, upper = elementwise(corrected_kernel, count, nobs, z, correction, outputs=2)
    return lower, upper


def corrected_kernel(
    ops: Ops, x: float, n: float, z: float, correction: float
) -> tuple[float, float]:
    """:func:`corrected_wilson_limits` of one count (a kernel)."""
    valid = n > 0
    n = ops.where(valid, n, 1.0)  # any n > 0 keeps the arithmetic finite where it is NaN
    z2 = z * z

    def limit(shifted: float, sign: float) -> float:
        centre = (shifted + z2 / 2.0) / (n + z2)
        spread = ops.maximum(shifted * (n - shifted) / n, 0.0) + z2 / 4.0
        return ops.clip(centre + sign * z / (n + z2) * ops.sqrt(spread), 0.0, 1.0)

    lower = limit(ops.clip(x - correction, 0.0, n), -1.0)
    upper = limit(ops.clip(x + correction, 0.0, n), 1.0)
    # exact at the edges (and no rounding noise there)
    lower = ops.where(x <= 0, 0.0, lower)
    upper = ops.where(x >= n, 1.0, upper)
    return ops.where(valid, lower, math.nan), ops.where(valid, upper, math.nan)


def mover_difference(
    est1: ArrayLike,
    lo1: ArrayLike,
    hi1: ArrayLike,
    est2: ArrayLike,
    lo2: ArrayLike,
    hi2: ArrayLike,
) -> tuple[Floats, Floats]:
    """Interval for est1 - est2 from the intervals of two independent estimates (MOVER).

    Method of variance estimates recovery::

        lower = d - sqrt((est1 - lo1)^2 + (hi2 - est2)^2)
        upper = d + sqrt((hi1 - est1)^2 + (est2 - lo2)^2)

    With Wilson intervals for two proportions this is exactly Newcombe's hybrid
    interval; with Newcombe intervals for two gaps it gives the interval for the
    change in a gap between two waves (a difference of two independent differences),
    keeping the asymmetry of the score intervals.

    References
    ----------
    Zou, G. Y. and Donner, A. (2008). Construction of confidence limits about effect
    measures: a general approach. Statistics in Medicine 27, 1693-1702.
    Newcombe, R. G. (2013). Confidence Intervals for Proportions and Related Measures
    of Effect Size, ch. 7. CRC Press.
    """
    lower, upper = elementwise(_mover, est1, lo1, hi1, est2, lo2, hi2, outputs=2)
    return lower, upper


def _mover(
    ops: Ops, e1: float, l1: float, u1: float, e2: float, l2: float, u2: float
) -> tuple[float, float]:
    d = e1 - e2
    a, b, c, f = e1 - l1, u2 - e2, u1 - e1, e2 - l2
    return d - ops.sqrt(a * a + b * b), d + ops.sqrt(c * c + f * f)


#: Largest critical value the test inversions search; a p-value below
#: Phi(-Z_MAX) (about 1e-300) is reported as that bound.
Z_MAX = 37.0
_BISECTIONS = 64


def combination_interval(
    coef: ArrayLike,
    count: ArrayLike,
    nobs: ArrayLike,
    z: ArrayLike,
    *,
    correction: float = CORRECTION,
) -> tuple[Floats, Floats, Floats]:
    """Estimate and MOVER limits of sum_g coef_g * p_g over independent proportions.

    ``count`` and ``nobs`` have shape (terms, k): term g is an independent binomial
    sample (a group in a wave); ``coef`` has one weight per term; ``z`` is the
    critical value (a scalar, or shape (k,)). With the continuity-corrected Wilson
    limits (l_g, u_g) of :func:`corrected_wilson_limits` (``correction`` = cc counts)::

        lower = est - sqrt(sum_g c_g^2 (p_g - l_g)^2 [c_g > 0] + c_g^2 (u_g - p_g)^2 [c_g < 0])
        upper = est + sqrt(sum_g c_g^2 (u_g - p_g)^2 [c_g > 0] + c_g^2 (p_g - l_g)^2 [c_g < 0])

    Two terms (+1, -1) give Newcombe's hybrid score interval for p1 - p2 (method 10
    with cc = 0, method 11 with cc = 0.5; the default cc = 0.75 keeps the tests that
    invert it at or under their level, README *Small samples*); four terms (+1, -1,
    -1, +1) give the MOVER interval for the change in a gap between two waves (the
    two Newcombe intervals combined). A sample that appears in both waves must enter
    once (its terms cancel), not twice: the caller leaves it out.
    NaN where a term has no observations.

    References
    ----------
    Zou, G. Y. and Donner, A. (2008). Construction of confidence limits about effect
    measures: a general approach. Statistics in Medicine 27, 1693-1702.
    Newcombe, R. G. (1998). Interval estimation for the difference between
    independent proportions. Statistics in Medicine 17, 873-890.
    """
    kernel = partial(_interval, correction=correction)
    est, lower, upper = over_terms(kernel, coef, count, nobs, z, outputs=3)
    return est, lower, upper


def _interval(
    ops: Ops, coef: list[float], x: list[float], n: list[float], z: float, *, correction: float
) -> tuple[float, float, float]:
    """:func:`combination_interval` of one target (a kernel over its terms g: x[g], n[g])."""
    est = down = up = 0.0
    valid = True
    for c, x_g, n_g in zip(coef, x, n, strict=True):
        lo, hi = corrected_kernel(ops, x_g, n_g, z, correction)
        p = x_g / ops.where(n_g > 0, n_g, 1.0)
        est = est + c * p
        d, u = (c * (p - lo), c * (hi - p)) if c > 0 else (c * (p - hi), c * (lo - p))
        down = down + d * d
        up = up + u * u
        valid = valid & (n_g > 0)
    lower = est - ops.sqrt(down)
    upper = est + ops.sqrt(up)
    nan = math.nan
    return ops.where(valid, est, nan), ops.where(valid, lower, nan), ops.where(valid, upper, nan)


def _touching_z(
    ops: Ops, coef: list[float], x: list[float], n: list[float], threshold: float,
    correction: float,
) -> tuple[float, bool, bool, float]:  # fmt: skip
    """The estimate; whether the interval at z = 0 lies wholly above or wholly below
    ``threshold`` (with a continuity correction it has a width even at z = 0); and
    the critical value at which its bound facing the threshold touches it (bisection;
    the bounds move monotonically with z), 0 where neither bound clears at z = 0."""
    est, lo0, hi0 = _interval(ops, coef, x, n, 0.0, correction=correction)
    above = lo0 > threshold
    below = hi0 < threshold
    low = ops.full_like(est, 0.0)
    high = ops.where(above | below, Z_MAX, 0.0)
    for _ in range(_BISECTIONS):
        mid = (low + high) / 2.0
        _, lo, hi = _interval(ops, coef, x, n, mid, correction=correction)
        clear = ops.where(above, lo > threshold, hi < threshold)
        low = ops.where(clear, mid, low)
        high = ops.where(clear, high, mid)
    return est, above, below, (low + high) / 2.0


def combination_test(
    coef: ArrayLike,
    count: ArrayLike,
    nobs: ArrayLike,
    threshold: ArrayLike = 0.0,
    *,
    alternative: Literal["greater", "two-sided"] = "two-sided",
    correction: float = CORRECTION,
) -> Floats:
    """p-value for sum_g coef_g * p_g against ``threshold``, by inverting the
    interval of :func:`combination_interval`.

    ``"greater"`` tests H0: value <= threshold (a breach of a limit): p is the
    one-sided level at which the interval's lower bound touches the threshold,
    Phi(-z*); where the estimate is below the threshold the upper bound is
    inverted instead and p = 1 - Phi(-z*) >= 0.5. ``"two-sided"`` tests H0:
    value = threshold with p = 2 Phi(-z*). Where the continuity-corrected interval
    holds the threshold even at z = 0 (an estimate within the correction of it),
    p is 0.5 ("greater") or 1 ("two-sided").

    By construction the test and the interval always agree: the two-sided p is
    below 1 - confidence exactly when the interval at that confidence excludes
    the threshold, and the one-sided p is below a level a exactly when the
    lower bound at one-sided level a lies above it. Unlike a Wald test it does
    not reach p = 0 when the estimated variance is 0 (all-agree or all-disagree
    groups at small n), because the score limits widen with z. NaN where a
    term has no observations.

    References
    ----------
    Newcombe, R. G. (2013). Confidence Intervals for Proportions and Related
    Measures of Effect Size, ch. 13 (tests and intervals that agree).
    """
    kernel = partial(_test, alternative=alternative, correction=correction)
    return over_terms(kernel, coef, count, nobs, threshold)


def _test(
    ops: Ops, coef: list[float], x: list[float], n: list[float], threshold: float, *,
    alternative: str, correction: float,
) -> float:  # fmt: skip
    est, above, below, zstar = _touching_z(ops, coef, x, n, threshold, correction)
    tail = upper_tail(ops, zstar)
    if alternative == "greater":
        p = ops.where(above, tail, ops.where(below, 1.0 - tail, 0.5))
    else:
        p = ops.where(above | below, ops.minimum(2.0 * tail, 1.0), 1.0)
    return ops.where(ops.isnan(est), math.nan, p)


def combination_lower_bound(
    coef: ArrayLike,
    count: ArrayLike,
    nobs: ArrayLike,
    level: ArrayLike,
    *,
    correction: float = CORRECTION,
) -> Floats:
    """The one-sided lower confidence bound at level 1 - ``level`` (e.g. 0.05 gives
    the 95% lower bound: the lower limit of the two-sided 90% interval)."""
    kernel = partial(_lower_bound, correction=correction)
    return over_terms(kernel, coef, count, nobs, level)


def _lower_bound(
    ops: Ops, coef: list[float], x: list[float], n: list[float], level: float, *,
    correction: float,
) -> float:  # fmt: skip
    z = ops.minimum(ops.apply(upper_z, level), Z_MAX)
    return _interval(ops, coef, x, n, z, correction=correction)[1]
