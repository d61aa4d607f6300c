"""Agreement between two orderings of the same items: Spearman's rho, Kendall's tau-b and
Pearson's r, each with a Fisher-z interval. Plain Python: the items are a dozen or so.

The items are the sample here (the statistic asks whether two groups order the same items
alike), so the intervals treat the items as drawn from the items one could have asked, and
each group's share as known. The Fisher-z intervals use the variances of Fieller, Hartley and
Pearson (1957), which hold for bivariate-normal scores and are close for a dozen items:

- Spearman's rho: var(atanh rho) = 1.06 / (n - 3), for n >= 4;
- Kendall's tau-b: var(atanh tau) = 0.437 / (n - 4), for n >= 5;
- Pearson's r: var(atanh r) = 1 / (n - 3) (Fisher 1921), for n >= 4.

An interval is undefined (None, None) below those n and when the estimate is +-1 (its z is
infinite). Ties take average ranks (Spearman) and tau-b's tie correction (Kendall 1945), as
scipy.stats.spearmanr and kendalltau do.

References
----------
Fieller, E. C., Hartley, H. O. and Pearson, E. S. (1957). Tests for rank correlation
coefficients. I. Biometrika 44(3/4), 470-481.
Kendall, M. G. (1945). The treatment of ties in ranking problems. Biometrika 33(3), 239-251.
Bonett, D. G. and Wright, T. A. (2000). Sample size requirements for estimating Pearson,
Kendall and Spearman correlations. Psychometrika 65(1), 23-28.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from cxgap.stats._normal import z_for_confidence

#: Fieller, Hartley and Pearson's (1957) variance constants: var(atanh) = c / (n - k).
SPEARMAN_VARIANCE = (1.06, 3)
KENDALL_VARIANCE = (0.437, 4)
PEARSON_VARIANCE = (1.0, 3)

Interval = tuple[float | None, float | None]


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n, ties given the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda k: values[k])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        mean = (start + end) / 2.0 + 1.0
        for k in order[start : end + 1]:
            ranks[k] = mean
        start = end + 1
    return ranks


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson's r of two equally long sequences; None when either is constant or n < 2."""
    n = len(x)
    if n != len(y):
        raise ValueError("x and y differ in length")
    if n < 2:
        return None
    mx, my = math.fsum(x) / n, math.fsum(y) / n
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = math.fsum((a - mx) ** 2 for a in x)
    syy = math.fsum((b - my) ** 2 for b in y)
    if sxx <= 0.0 or syy <= 0.0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho: Pearson's r of the average ranks."""
    return pearson(average_ranks(x), average_ranks(y))


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's tau-b: (concordant - discordant) / sqrt((n0 - ties_x)(n0 - ties_y)) over
    the n0 = n(n-1)/2 pairs; None when either sequence is constant."""
    n = len(x)
    if n != len(y):
        raise ValueError("x and y differ in length")
    concordant = discordant = ties_x = ties_y = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0:
                ties_x += 1
            if dy == 0:
                ties_y += 1
            if dx != 0 and dy != 0:
                if (dx > 0) == (dy > 0):
                    concordant += 1
                else:
                    discordant += 1
    pairs = n * (n - 1) // 2
    denominator = (pairs - ties_x) * (pairs - ties_y)
    if denominator <= 0:
        return None
    return max(-1.0, min(1.0, (concordant - discordant) / math.sqrt(denominator)))


def fisher_interval(
    estimate: float | None, n: int, variance: tuple[float, int], confidence: float
) -> Interval:
    """tanh(atanh(r) -+ z * sqrt(c / (n - k))) for ``variance`` (c, k); undefined when
    n <= k or |r| = 1."""
    c, k = variance
    if estimate is None or n <= k or abs(estimate) >= 1.0:
        return (None, None)
    centre = math.atanh(estimate)
    half = z_for_confidence(confidence) * math.sqrt(c / (n - k))
    return (math.tanh(centre - half), math.tanh(centre + half))


def mean_absolute_difference(x: Sequence[float], y: Sequence[float]) -> float | None:
    """The mean of |x - y|; None for no pairs."""
    if not x:
        return None
    return math.fsum(abs(a - b) for a, b in zip(x, y, strict=True)) / len(x)
