"""Multiple-comparison control across the items of one analysis."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
AdjustMethod = Literal["holm", "bh", "none"]


def _family(pvalues: npt.ArrayLike) -> tuple[FloatArray, FloatArray, npt.NDArray[np.intp]]:
    """The p-values as floats, an all-NaN output of their shape, and the positions of
    the family (the non-NaN entries) from the smallest p to the largest (stable)."""
    p = np.asarray(pvalues, dtype=np.float64)
    keep = np.flatnonzero(~np.isnan(p))
    return p, np.full(p.shape, np.nan), keep[np.argsort(p[keep], kind="stable")]


def holm(pvalues: npt.ArrayLike) -> FloatArray:
    """Holm's step-down adjustment (controls the family-wise error rate).

    For sorted p_(1) <= ... <= p_(m): adjusted p_(i) = max over j <= i of
    min(1, (m - j + 1) p_(j)). NaN entries are not part of the family and stay NaN.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    Scandinavian Journal of Statistics 6(2), 65-70.
    """
    p, out, order = _family(pvalues)
    m = order.size
    if m == 0:
        return out
    scaled = (m - np.arange(m)) * p[order]
    out[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return out


def holm_factors(pvalues: npt.ArrayLike) -> FloatArray:
    """Each p-value's Holm factor f: the adjusted p is min(1, f p).

    f is (m - j + 1) for the j-th smallest p, raised where an earlier step's
    adjusted value is larger (the step-down maximum). A hypothesis is rejected
    at level alpha exactly when p < alpha / f, so alpha / f is the level its
    own confidence bound must be taken at to agree with the adjusted p.
    NaN entries stay NaN.
    """
    p, out, order = _family(pvalues)
    m = order.size
    if m == 0:
        return out
    steps = (m - np.arange(m)).astype(np.float64)
    scaled = np.maximum.accumulate(steps * p[order])
    with np.errstate(divide="ignore", invalid="ignore"):
        factors = np.where(p[order] > 0, scaled / p[order], steps)
    out[order] = np.maximum(factors, steps)
    return out


def benjamini_hochberg(pvalues: npt.ArrayLike) -> FloatArray:
    """Benjamini-Hochberg step-up adjustment (controls the false discovery rate).

    For sorted p_(1) <= ... <= p_(m): adjusted p_(i) = min over j >= i of
    min(1, m p_(j) / j). NaN entries stay NaN.

    References
    ----------
    Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery
    rate. JRSS B 57(1), 289-300.
    """
    p, out, order = _family(pvalues)
    m = order.size
    if m == 0:
        return out
    scaled = m * p[order] / np.arange(1, m + 1)
    out[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return out


def adjust_pvalues(pvalues: npt.ArrayLike, method: AdjustMethod) -> FloatArray:
    """Adjust with the named method; ``"none"`` returns the p-values unchanged."""
    if method == "holm":
        return holm(pvalues)
    if method == "bh":
        return benjamini_hochberg(pvalues)
    return np.asarray(pvalues, dtype=np.float64).copy()
