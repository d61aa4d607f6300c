"""Effect sizes and ratios for two proportions."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def cohens_h(p1: npt.ArrayLike, p2: npt.ArrayLike) -> FloatArray:
    """Cohen's h = 2 asin(sqrt p1) - 2 asin(sqrt p2).

    The arcsine transform makes a difference of proportions comparable across
    the range (0.10 vs 0.20 is a larger effect than 0.50 vs 0.60). Cohen's
    rough guide: 0.2 small, 0.5 medium, 0.8 large.

    References
    ----------
    Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
    2nd ed., section 6.2.
    """
    a = np.asarray(p1, dtype=np.float64)
    b = np.asarray(p2, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        out: FloatArray = 2.0 * np.arcsin(np.sqrt(a)) - 2.0 * np.arcsin(np.sqrt(b))
    return out


def share_ratio(p1: npt.ArrayLike, p2: npt.ArrayLike) -> FloatArray:
    """p1 / p2, NaN where p2 is 0 or either share is undefined (never inf)."""
    a = np.asarray(p1, dtype=np.float64)
    b = np.asarray(p2, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(b > 0, a / b, np.nan)
    return out
