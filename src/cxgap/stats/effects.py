"""Effect sizes and ratios for two proportions."""

from __future__ import annotations

import math

from cxgap.stats._elementwise import ArrayLike, Floats, Ops, elementwise


def cohens_h(p1: ArrayLike, p2: ArrayLike) -> Floats:
    """Cohen's h = 2 asin(sqrt p1) - 2 asin(sqrt p2).

    The arcsine transform makes a difference of proportions comparable across
    the range (0.10 vs 0.20 is a larger effect than 0.50 vs 0.60). Cohen's
    rough guide: 0.2 small, 0.5 medium, 0.8 large. NaN where a share is undefined.
    Shares are numbers, sequences or numpy arrays; h is a float, a list or an array.

    References
    ----------
    Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
    2nd ed., section 6.2.
    """
    return elementwise(_cohens_h, p1, p2)


def _cohens_h(ops: Ops, a: float, b: float) -> float:
    return 2.0 * ops.apply(_asin_sqrt, a) - 2.0 * ops.apply(_asin_sqrt, b)


def _asin_sqrt(p: float) -> float:
    return math.asin(math.sqrt(p)) if 0.0 <= p <= 1.0 else math.nan


def share_ratio(p1: ArrayLike, p2: ArrayLike) -> Floats:
    """p1 / p2, NaN where p2 is 0 or either share is undefined (never inf)."""
    return elementwise(_ratio, p1, p2)


def _ratio(ops: Ops, a: float, b: float) -> float:
    positive = b > 0
    return ops.where(positive, a / ops.where(positive, b, 1.0), math.nan)
