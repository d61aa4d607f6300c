"""Multiple-comparison control across the items of one analysis.

p-values come as a sequence (or a numpy array, for which the result is an array too);
NaN entries are not part of the family and stay NaN.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

from cxgap.stats._elementwise import Floats, numpy_in

AdjustMethod = Literal["holm", "bh", "none"]


def _family(pvalues: Iterable[float]) -> tuple[list[float], list[int]]:
    """The p-values as floats, and the positions of the family (the non-NaN entries)
    from the smallest p to the largest (ties in their order)."""
    p = [float(v) for v in pvalues]
    return p, sorted((k for k, v in enumerate(p) if not math.isnan(v)), key=p.__getitem__)


def _like(pvalues: Iterable[float], out: list[float]) -> Floats:
    """``out`` as the caller gave the p-values: a numpy array for an array, else a list."""
    np = numpy_in(pvalues)
    return out if np is None else np.asarray(out, dtype=np.float64)


def holm(pvalues: Iterable[float]) -> Floats:
    """Holm's step-down adjustment (controls the family-wise error rate).

    For sorted p_(1) <= ... <= p_(m): adjusted p_(i) = max over j <= i of
    min(1, (m - j + 1) p_(j)).

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    Scandinavian Journal of Statistics 6(2), 65-70.
    """
    p, order = _family(pvalues)
    out = [math.nan] * len(p)
    largest = -math.inf
    for j, k in enumerate(order):
        largest = max(largest, (len(order) - j) * p[k])
        out[k] = min(largest, 1.0)
    return _like(pvalues, out)


def holm_factors(pvalues: Iterable[float]) -> Floats:
    """Each p-value's Holm factor f: the adjusted p is min(1, f p).

    f is (m - j + 1) for the j-th smallest p, raised where an earlier step's
    adjusted value is larger (the step-down maximum). A hypothesis is rejected
    at level alpha exactly when p < alpha / f, so alpha / f is the level its
    own confidence bound must be taken at to agree with the adjusted p.
    """
    p, order = _family(pvalues)
    out = [math.nan] * len(p)
    largest = -math.inf
    for j, k in enumerate(order):
        step = float(len(order) - j)
        largest = max(largest, step * p[k])
        out[k] = max(largest / p[k] if p[k] > 0 else step, step)
    return _like(pvalues, out)


def benjamini_hochberg(pvalues: Iterable[float]) -> Floats:
    """Benjamini-Hochberg step-up adjustment (controls the false discovery rate).

    For sorted p_(1) <= ... <= p_(m): adjusted p_(i) = min over j >= i of
    min(1, m p_(j) / j).

    References
    ----------
    Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery
    rate. JRSS B 57(1), 289-300.
    """
    p, order = _family(pvalues)
    out = [math.nan] * len(p)
    smallest = math.inf
    m = len(order)
    for j in reversed(range(m)):
        smallest = min(smallest, m * p[order[j]] / (j + 1))
        out[order[j]] = min(smallest, 1.0)
    return _like(pvalues, out)


def adjust_pvalues(pvalues: Iterable[float], method: AdjustMethod) -> Floats:
    """Adjust with the named method; ``"none"`` returns the p-values unchanged."""
    if method == "holm":
        return holm(pvalues)
    if method == "bh":
        return benjamini_hochberg(pvalues)
    return _like(pvalues, [float(v) for v in pvalues])
