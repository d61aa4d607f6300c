"""Two groups' weighted shares against each other: the gap's interval and its test.

Each group's share comes with its own interval and design-based variance
(:mod:`cxgap.stats.design`); the samples are independent.

Interval (MOVER, Newcombe's hybrid score method, method 10 of Newcombe 1998): with
(l1, u1) and (l2, u2) each share's limits (Wilson on Kish's effective n, the survey
practice of Dean and Pagano 2015)::

    lower = (p1 - p2) - sqrt((p1 - l1)^2 + (u2 - p2)^2)
    upper = (p1 - p2) + sqrt((u1 - p1)^2 + (p2 - l2)^2)

With weights of 1 the limits are the ordinary Wilson limits and this is the unweighted
Newcombe interval. The method of variance estimates recovery (MOVER) is due to Zou and
Donner (2008); its use with effective sample sizes follows from each limit being a valid
interval for its own share.

Test (Wald z on the two design-based variances)::

    z = (p1 - p2) / sqrt(var(p1) + var(p2)),   p = 2 (1 - Phi(|z|))

Fisher's exact test and Mann-Whitney's U assume unweighted counts and do not apply.

References
----------
Newcombe, R. G. (1998). Interval estimation for the difference between independent
proportions: comparison of eleven methods. Statistics in Medicine 17, 873-890.
Zou, G. Y. and Donner, A. (2008). Construction of confidence limits about effect measures:
a general approach. Statistics in Medicine 27, 1693-1702.
Dean, N. and Pagano, M. (2015). Evaluating confidence interval methods for binomial
proportions in clustered surveys. J. Surv. Stat. Methodol. 3, 484-503.
Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley (svyttest's Wald
form for two independent domains).
"""

from __future__ import annotations

import math

from cxgap.stats._elementwise import FLOATS
from cxgap.stats._normal import two_sided_p


def mover_difference(
    p1: float, limits1: tuple[float, float], p2: float, limits2: tuple[float, float]
) -> tuple[float, float]:
    """The interval of p1 - p2 from each share's limits (Newcombe's hybrid / MOVER), clipped
    to [-1, 1]; NaN where any input is NaN."""
    (l1, u1), (l2, u2) = limits1, limits2
    values = (p1, l1, u1, p2, l2, u2)
    if any(math.isnan(v) for v in values):
        return math.nan, math.nan
    diff = p1 - p2
    lower = diff - math.hypot(p1 - l1, u2 - p2)
    upper = diff + math.hypot(u1 - p1, p2 - l2)
    return max(lower, -1.0), min(upper, 1.0)


def design_z_test(p1: float, var1: float, p2: float, var2: float) -> float:
    """Two-sided p-value of p1 = p2 from the Wald z on the two design-based variances
    (independent samples); NaN where the variances are undefined or both 0."""
    total = var1 + var2
    if math.isnan(total) or math.isnan(p1) or math.isnan(p2) or not total > 0.0:
        return math.nan
    z = (p1 - p2) / math.sqrt(total)
    return float(two_sided_p(FLOATS, z))
