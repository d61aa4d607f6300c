"""Weighted shares and NPS with design-based standard errors and intervals, from counts.

The kernel never sees rows. For one group and item it gets, per answer value, the number of
respondents ``n``, their weight sum ``w_sum`` and squared-weight sum ``w2_sum`` (what the
counts table holds per answer value), plus ``n_all``: the respondents in the group's file,
including those who left the item blank. Every number equals R's ``survey`` package (4.1.1)
for the design ``svydesign(ids = ~1, weights = ~w)`` (one stage, with replacement, no strata):
``svymean(~y, design, na.rm = TRUE)`` and ``svyciprop(~y, subset(design, !is.na(y)),
method = "beta" | "logit")``; tests/survey_reference/reference.R records the numbers.

Linearisation (Taylor) variance of a ratio mean m = sum(w y) / sum(w) over the answered
(Wolter 2007, ch. 6; Lumley 2010, sec. 2.2), with residuals z_i = w_i (y_i - m) / W::

    var(m) = n_all / (n_all - 1) * sum_i w_i^2 (y_i - m)^2 / W^2

The sum runs over the answered only (the blanks' residuals are 0), but R's domain estimation
keeps every respondent of the file in n_all / (n_all - 1). Grouped by answer value c with
W2_c = sum of w^2 over its respondents, sum_i w_i^2 (y_i - m)^2 = sum_c (y_c - m)^2 W2_c.

References
----------
Kish, L. (1965). Survey Sampling. Wiley, sec. 11.7 (effective sample size W^2 / W2 and the
design effect of unequal weighting).
Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions with small
expected number of positive counts estimated from survey data. Survey Methodology 24,
193-201 (the beta interval).
Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley (svymean,
svyciprop).
Wolter, K. M. (2007). Introduction to Variance Estimation, 2nd ed. Springer, ch. 6.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from cxgap.stats._elementwise import FLOATS
from cxgap.stats._normal import z_for_confidence
from cxgap.stats.proportions import wilson_kernel
from cxgap.stats.special import betaincinv, t_quantile


class Cell(NamedTuple):
    """The respondents who gave one answer value: the value the statistic scores it as
    (1 or 0 for agree, 100 / 0 / -100 for NPS), how many they are, and the sum of their
    weights and of their squared weights."""

    value: float
    n: int
    w_sum: float
    w2_sum: float


@dataclass(frozen=True)
class DesignMean:
    """A weighted mean with its linearisation standard error.

    ``estimate`` and ``se`` equal R's ``svymean(~y, design, na.rm = TRUE)``; ``var`` is
    se^2. ``n`` counts the answered, ``n_all`` the whole file. ``kish_n`` is Kish's
    effective sample size W^2 / W2 over the answered, and ``deff`` Kish's design effect of
    unequal weighting n / kish_n = n W2 / W^2 = 1 + cv^2 of the weights (cv with divisor n):
    the variance inflation that weighting alone causes. It is *not* R's
    ``svymean(..., deff = TRUE)``, which compares with simple random sampling of the
    estimated population and depends on y. NaN where nothing is defined (no answers,
    zero weight, or n_all < 2 for the variance)."""

    estimate: float
    se: float
    var: float
    n: int
    n_all: int
    w_sum: float
    kish_n: float
    deff: float


def weighted_mean(cells: Iterable[Cell], n_all: int) -> DesignMean:
    """m = sum_c value_c W_c / W and var(m) = n_all/(n_all - 1) sum_c (value_c - m)^2 W2_c
    / W^2, with W_c and W2_c the cells' weight and squared-weight sums (module docstring)."""
    cells = [c for c in cells if c.n > 0]
    n = sum(c.n for c in cells)
    w = math.fsum(c.w_sum for c in cells)
    w2 = math.fsum(c.w2_sum for c in cells)
    if n_all < n:
        raise ValueError(f"n_all ({n_all}) is less than the {n} who answered")
    if n == 0 or w <= 0.0:
        nan = math.nan
        return DesignMean(nan, nan, nan, n, n_all, w, nan, nan)
    mean = math.fsum(c.value * c.w_sum for c in cells) / w
    if n_all > 1:
        spread = math.fsum((c.value - mean) * (c.value - mean) * c.w2_sum for c in cells)
        var = n_all / (n_all - 1.0) * spread / (w * w)
    else:
        var = math.nan
    kish_n = w * w / w2
    return DesignMean(mean, math.sqrt(var), var, n, n_all, w, kish_n, n / kish_n)


def weighted_share(
    agree: tuple[int, float, float], other: tuple[int, float, float], n_all: int
) -> DesignMean:
    """The weighted agree share p = W_agree / W over those who answered, each side given as
    (n, w_sum, w2_sum) summed over its answer values, with R's svymean SE::

        var(p) = n_all/(n_all - 1) [(1 - p)^2 W2_agree + p^2 W2_not] / W^2

    Unweighted data are weights of 1 (w_sum = w2_sum = n): then var = n_all/(n_all - 1)
    p (1 - p) / n, kish_n = n and deff = 1."""
    return weighted_mean([Cell(1.0, *agree), Cell(0.0, *other)], n_all)


def share_from_cells(cells: Iterable[tuple[bool, int, float, float]], n_all: int) -> DesignMean:
    """:func:`weighted_share` from per-answer cells (agrees, n, w_sum, w2_sum), as the counts
    table holds them."""
    return weighted_mean([Cell(1.0 if y else 0.0, n, w, w2) for y, n, w, w2 in cells], n_all)


def nps(cells: Iterable[tuple[int, int, float, float]], n_all: int) -> DesignMean:
    """Net Promoter Score, 100 (promoters' share - detractors' share), with R's svymean SE of
    the per-respondent score s = 100 (promoter - detractor): 100 for 9-10, 0 for 7-8, -100
    for 0-6. ``cells`` holds (answer 0-10, n, w_sum, w2_sum) per answer value;
    var = n_all/(n_all - 1) sum_c (s_c - NPS)^2 W2_c / W^2. The share fields of the result
    (kish_n, deff) are those of the answered, as for :func:`weighted_share`."""
    scored = []
    for answer, n, w, w2 in cells:
        if not 0 <= answer <= 10:
            raise ValueError(f"NPS answers run from 0 to 10, got {answer}")
        score = 100.0 if answer >= 9 else (0.0 if answer >= 7 else -100.0)
        scored.append(Cell(score, n, w, w2))
    return weighted_mean(scored, n_all)


def wilson_effective(share: DesignMean, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval with the sample size replaced by Kish's effective n: x = p n_eff
    successes in n_eff trials (Kish 1965's n_eff; the "effective sample size" Wilson interval
    of survey practice, e.g. Dean and Pagano (2015), Evaluating confidence interval methods
    for binomial proportions in clustered surveys, J. Surv. Stat. Methodol. 3, 484-503).
    It accounts for unequal weights only (not for the variance of this particular y), and
    uses the normal quantile; with weights of 1 it is the ordinary Wilson interval."""
    z = z_for_confidence(confidence)
    n_eff = share.kish_n
    if not n_eff > 0.0:
        return math.nan, math.nan
    p = share.estimate
    lower, upper = wilson_kernel(FLOATS, p * n_eff, n_eff, z)
    # p n_eff rounds; the boundaries are exact at p = 0 and p = 1.
    return (0.0 if p == 0.0 else lower), (1.0 if p == 1.0 else upper)


def beta_interval(
    share: DesignMean, df: float, confidence: float = 0.95, rows: float | None = None
) -> tuple[float, float]:
    """Korn and Graubard's (1998) beta interval, as R's ``svyciprop(method = "beta")``.

    With n* = p (1 - p) / var(p) the effective sample size of this estimate, rescaled by
    R as n* (t_{alpha/2, n - 1} / t_{alpha/2, df})^2 (``nrow(design) - 1`` over the
    design's degrees of freedom ``df``; R's subset to the answered has nrow = n rows, while
    its variance keeps n_all / (n_all - 1) from the full sample size it remembers), the
    limits are Clopper-Pearson's at x = n* p in n* trials::

        lower = Beta^-1(alpha/2; n* p, n* (1 - p) + 1)
        upper = Beta^-1(1 - alpha/2; n* p + 1, n* (1 - p))

    with lower = 0 at p = 0 and upper = 1 at p = 1. NaN where var(p) is 0 or undefined (R
    gives NaN too) or df is not positive."""
    p, var = share.estimate, share.var
    if not (var > 0.0 and df > 0.0 and share.n > 1):
        return math.nan, math.nan
    alpha = 1.0 - confidence
    # ``rows``: the design's rows when it keeps those who did not answer (a calibrated
    # design keeps them with weight 0, so R's nrow is n_all there, not n)
    ratio = t_quantile(alpha / 2.0, (rows or share.n) - 1.0) / t_quantile(alpha / 2.0, df)
    n_eff = p * (1.0 - p) / var * ratio * ratio
    lower = 0.0 if p == 0.0 else betaincinv(n_eff * p, n_eff * (1.0 - p) + 1.0, alpha / 2.0)
    upper = 1.0 if p == 1.0 else betaincinv(n_eff * p + 1.0, n_eff * (1.0 - p), 1 - alpha / 2)
    return lower, upper


def logit_interval(share: DesignMean, df: float, confidence: float = 0.95) -> tuple[float, float]:
    """The logit interval, as R's ``svyciprop(method = "logit")``: the Wald interval of the
    intercept of ``svyglm(y ~ 1, family = quasibinomial)`` with t quantiles on ``df``
    degrees of freedom, back-transformed. The intercept is logit(p) and its sandwich
    variance is the delta method's var(p) / (p (1 - p))^2, so::

        limits = expit(logit(p) -/+ t_{1 - alpha/2, df} sqrt(var(p)) / (p (1 - p)))

    NaN where p is 0 or 1 (the logit is infinite), var(p) is undefined or df is not
    positive."""
    p, var = share.estimate, share.var
    if not (0.0 < p < 1.0 and var >= 0.0 and df > 0.0):
        return math.nan, math.nan
    t = t_quantile(1.0 - (1.0 - confidence) / 2.0, df)
    centre = math.log(p / (1.0 - p))
    half = t * math.sqrt(var) / (p * (1.0 - p))
    return _expit(centre - half), _expit(centre + half)


def _expit(x: float) -> float:
    """1 / (1 + exp(-x)), without overflow for large |x|."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
