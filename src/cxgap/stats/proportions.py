"""Confidence intervals for one proportion and for a difference of two."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cxgap.stats._normal import z_for_confidence

FloatArray = npt.NDArray[np.float64]


def wilson_interval(
    count: npt.ArrayLike, nobs: npt.ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    count, nobs : array_like
        Successes and trials. Where ``nobs`` is 0 both limits are NaN.
    confidence : float
        Two-sided confidence level, e.g. 0.95.

    Returns
    -------
    lower, upper : ndarray
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


def wilson_limits(
    count: npt.ArrayLike, nobs: npt.ArrayLike, z: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Wilson limits for a critical value ``z`` (>= 0) instead of a confidence level;
    ``z`` broadcasts against the counts, so one call can evaluate many levels."""
    x = np.asarray(count, dtype=np.float64)
    n = np.asarray(nobs, dtype=np.float64)
    crit = np.asarray(z, dtype=np.float64)
    z2 = crit * crit
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = (x + z2 / 2.0) / (n + z2)
        half = crit / (n + z2) * np.sqrt(np.maximum(x * (n - x) / n, 0.0) + z2 / 4.0)
        lower = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        upper = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    # The limits are exact at the boundaries; remove rounding noise there.
    lower = np.where(x == 0, 0.0, lower)
    upper = np.where((x == n) & (n > 0), 1.0, upper)
    return np.where(n > 0, lower, np.nan), np.where(n > 0, upper, np.nan)


def newcombe_interval(
    count1: npt.ArrayLike,
    nobs1: npt.ArrayLike,
    count2: npt.ArrayLike,
    nobs2: npt.ArrayLike,
    confidence: float = 0.95,
) -> tuple[FloatArray, FloatArray]:
    """Newcombe's hybrid score interval for p1 - p2 (independent samples).

    Method 10 of Newcombe (1998): combine the Wilson limits (l1, u1) and
    (l2, u2) of each proportion::

        lower = (p1 - p2) - sqrt((p1 - l1)^2 + (u2 - p2)^2)
        upper = (p1 - p2) + sqrt((u1 - p1)^2 + (p2 - l2)^2)

    It is the interval statsmodels calls ``method="newcomb"`` and R's
    ``PropCIs::diffscoreci`` neighbours. NaN where either group has no
    observations.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between
    independent proportions: comparison of eleven methods. Statistics in
    Medicine 17, 873-890.
    """
    x1 = np.asarray(count1, dtype=np.float64)
    n1 = np.asarray(nobs1, dtype=np.float64)
    x2 = np.asarray(count2, dtype=np.float64)
    n2 = np.asarray(nobs2, dtype=np.float64)
    l1, u1 = wilson_interval(x1, n1, confidence)
    l2, u2 = wilson_interval(x2, n2, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = x1 / n1
        p2 = x2 / n2
        diff = p1 - p2
        lower = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        upper = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    valid = (n1 > 0) & (n2 > 0)
    return (
        np.where(valid, np.clip(lower, -1.0, 1.0), np.nan),
        np.where(valid, np.clip(upper, -1.0, 1.0), np.nan),
    )
