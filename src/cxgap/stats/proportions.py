"""Confidence intervals for one proportion and for a difference of two."""

from __future__ import annotations

import math

from cxgap.stats._elementwise import ArrayLike, Floats, Ops, elementwise
from cxgap.stats._normal import z_for_confidence


def wilson_interval(
    count: ArrayLike, nobs: ArrayLike, confidence: float = 0.95
) -> tuple[Floats, Floats]:
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    count, nobs : number, sequence or numpy array
        Successes and trials. Where ``nobs`` is 0 both limits are NaN.
    confidence : float
        Two-sided confidence level, e.g. 0.95.

    Returns
    -------
    lower, upper : float, list or ndarray (floats for numbers, lists for sequences,
        arrays for numpy arrays)
        Limits clipped to [0, 1].

    Notes
    -----
    With z the normal quantile and p = x/n::

        centre = (x + z^2/2) / (n + z^2)
        half   = z / (n + z^2) * sqrt(x (n - x) / n + z^2 / 4)

    The interval never leaves [0, 1] and keeps its coverage for small n and
    for shares near 0 or 1, where the Wald interval fails.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. JASA 22(158), 209-212.
    Newcombe, R. G. (1998). Two-sided confidence intervals for the single
    proportion: comparison of seven methods. Statistics in Medicine 17, 857-872.
    """
    return wilson_limits(count, nobs, z_for_confidence(confidence))


def wilson_limits(count: ArrayLike, nobs: ArrayLike, z: ArrayLike) -> tuple[Floats, Floats]:
    """Wilson limits for a critical value ``z`` (>= 0) instead of a confidence level;
    ``z`` broadcasts against the counts, so one call can evaluate many levels."""
    lower, upper = elementwise(wilson_kernel, count, nobs, z, outputs=2)
    return lower, upper


def wilson_kernel(ops: Ops, x: float, n: float, z: float) -> tuple[float, float]:
    """The Wilson limits of x successes in n trials at critical value z (a kernel: see
    :mod:`cxgap.stats._elementwise`); NaN where n is 0."""
    valid = n > 0
    n = ops.where(valid, n, 1.0)  # any n > 0 keeps the arithmetic finite where it is NaN
    z2 = z * z
    centre = (x + z2 / 2.0) / (n + z2)
    half = z / (n + z2) * ops.sqrt(ops.maximum(x * (n - x) / n, 0.0) + z2 / 4.0)
    # The limits are exact at the boundaries; remove rounding noise there.
    lower = ops.where(x == 0, 0.0, ops.clip(centre - half, 0.0, 1.0))
    upper = ops.where(x == n, 1.0, ops.clip(centre + half, 0.0, 1.0))
    return ops.where(valid, lower, math.nan), ops.where(valid, upper, math.nan)


def newcombe_interval(
    count1: ArrayLike,
    nobs1: ArrayLike,
    count2: ArrayLike,
    nobs2: ArrayLike,
    confidence: float = 0.95,
) -> tuple[Floats, Floats]:
    """Newcombe's hybrid score interval for p1 - p2 (independent samples).

    Method 10 of Newcombe (1998): combine the Wilson limits (l1, u1) and
    (l2, u2) of each proportion::

        lower = (p1 - p2) - sqrt((p1 - l1)^2 + (u2 - p2)^2)
        upper = (p1 - p2) + sqrt((u1 - p1)^2 + (p2 - l2)^2)

    It is the interval statsmodels calls ``method="newcomb"`` and R's
    ``PropCIs::diffscoreci`` neighbours. NaN where either group has no
    observations. Counts as for :func:`wilson_interval`, and so are the limits.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between
    independent proportions: comparison of eleven methods. Statistics in
    Medicine 17, 873-890.
    """
    z = z_for_confidence(confidence)
    lower, upper = elementwise(_newcombe, count1, nobs1, count2, nobs2, z, outputs=2)
    return lower, upper


def _newcombe(
    ops: Ops, x1: float, n1: float, x2: float, n2: float, z: float
) -> tuple[float, float]:
    l1, u1 = wilson_kernel(ops, x1, n1, z)
    l2, u2 = wilson_kernel(ops, x2, n2, z)
    valid = (n1 > 0) & (n2 > 0)
    p1 = x1 / ops.where(n1 > 0, n1, 1.0)
    p2 = x2 / ops.where(n2 > 0, n2, 1.0)
    diff = p1 - p2
    a, b, c, d = p1 - l1, u2 - p2, u1 - p1, p2 - l2
    lower = diff - ops.sqrt(a * a + b * b)
    upper = diff + ops.sqrt(c * c + d * d)
    return (
        ops.where(valid, ops.clip(lower, -1.0, 1.0), math.nan),
        ops.where(valid, ops.clip(upper, -1.0, 1.0), math.nan),
    )
