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
from collections.abc import Iterable, Sequence

from cxgap.stats._normal import z_for_confidence


def pearson_from_cells(x: Iterable[float], y: Iterable[float], n: Iterable[float]) -> float | None:
    """Pearson's r of the respondents behind cells ``(x[i], y[i])`` counted ``n[i]`` times.

    Equals ``numpy.corrcoef`` (and ``scipy.stats.pearsonr``) on the expanded
    respondent-level data; every sum is exact (``math.fsum``). None when undefined:
    fewer than three respondents, or either variable constant.
    """
    xs = [float(v) for v in x]
    ys = [float(v) for v in y]
    ns = [float(v) for v in n]
    total = math.fsum(ns)
    if total < 3:
        return None
    mean_x = math.fsum(c * v for c, v in zip(ns, xs, strict=True)) / total
    mean_y = math.fsum(c * v for c, v in zip(ns, ys, strict=True)) / total
    dx = [v - mean_x for v in xs]
    dy = [v - mean_y for v in ys]
    sxx = math.fsum(c * d * d for c, d in zip(ns, dx, strict=True))
    syy = math.fsum(c * d * d for c, d in zip(ns, dy, strict=True))
    if sxx <= 0 or syy <= 0:
        return None
    sxy = math.fsum(c * a * b for c, a, b in zip(ns, dx, dy, strict=True))
    r = sxy / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))


def weighted_pearson_from_cells(
    x: Iterable[float], y: Iterable[float], n: Iterable[float], w: Iterable[float]
) -> float | None:
    """Weighted Pearson r of cells ``(x[i], y[i])`` with ``n[i]`` respondents whose weights
    sum to ``w[i]``: the correlation of the weighted (population) moments, as
    ``statsmodels``' ``DescrStatsW(...).corrcoef`` on the respondents. r does not depend on
    the weights' scale, so the weights are rescaled to sum to the respondents' count and
    :func:`pearson_from_cells` does the rest (None under three respondents, as there; with
    every weight 1 it is the unweighted r exactly)."""
    ns = [float(v) for v in n]
    ws = [float(v) for v in w]
    count, total = math.fsum(ns), math.fsum(ws)
    if count < 3 or not total > 0.0:
        return None
    scale = count / total
    return pearson_from_cells(x, y, [v * scale for v in ws])


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson's r of paired values (one pair per unit); None with fewer than 3 pairs or
    when either side does not vary."""
    return pearson_from_cells(x, y, [1.0] * len(x)) if len(x) >= 3 else None


def fisher_interval(r: float, n: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """The interval of a correlation of ``n`` pairs by Fisher's z transformation:
    tanh(atanh(r) -+ z / sqrt(n - 3)); None with fewer than 4 pairs.

    Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation deduced
    from a small sample. Metron 1, 3-32."""
    if n < 4:
        return None
    if abs(r) >= 1.0:
        return (r, r)
    half = z_for_confidence(confidence) / math.sqrt(n - 3)
    centre = math.atanh(r)
    return (math.tanh(centre - half), math.tanh(centre + half))
