"""Correlation from a cross-tab: Pearson's r of two coded answers, from cell counts.

Derived importance (how strongly an item moves with the headline item) is Pearson's r
between two integer-coded answers over the respondents who answered both. Those
answers take a handful of values, so the respondents reduce to a cross-tab: each
(x, y) pair with its count. r is then a function of the cells: the count-weighted
means, and the count-weighted centred cross-products (centring first keeps the sums
exact for integer codes and away from the cancellation of the raw-sums formula).

References
----------
Pearson, K. (1896). Mathematical contributions to the theory of evolution III.
Philosophical Transactions of the Royal Society A 187, 253-318.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt


def pearson_from_cells(x: npt.ArrayLike, y: npt.ArrayLike, n: npt.ArrayLike) -> float | None:
    """Pearson's r of the respondents behind cells ``(x[i], y[i])`` counted ``n[i]`` times.

    Equals ``numpy.corrcoef`` (and ``scipy.stats.pearsonr``) on the expanded
    respondent-level data. None when undefined: fewer than three respondents, or
    either variable constant.
    """
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    ns = np.asarray(n, dtype=np.float64)
    total = float(ns.sum())
    if total < 3:
        return None
    dx = xs - float((ns * xs).sum()) / total
    dy = ys - float((ns * ys).sum()) / total
    sxx, syy = float((ns * dx * dx).sum()), float((ns * dy * dy).sum())
    if sxx <= 0 or syy <= 0:
        return None
    r = float((ns * dx * dy).sum()) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))
