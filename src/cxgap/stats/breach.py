"""The gate's test of a breach: is a value (a gap, a drop, a gap's change) above a limit?

A value is a sum of independent shares; its interval is the MOVER/Newcombe score interval
over continuity-corrected Wilson limits (:mod:`cxgap.stats.changes`), and the one-sided
test inverts that interval at the limit, Holm-adjusted over the targets of one rule.
"""

from __future__ import annotations

from cxgap.stats._elementwise import ArrayLike, Floats
from cxgap.stats._normal import z_for_confidence
from cxgap.stats.changes import combination_interval, combination_lower_bound, combination_test
from cxgap.stats.multiplicity import holm, holm_factors


def breach_tests(
    coef: ArrayLike, count: ArrayLike, nobs: ArrayLike, threshold: float, alpha: float,
    confidence: float,
) -> tuple[Floats, Floats, Floats, Floats, Floats]:  # fmt: skip
    """For k targets of one rule (terms as in :func:`cxgap.analysis.gate.rule_terms`,
    counts (terms, k), in fractions): value, two-sided interval, Holm-adjusted one-sided
    p of H0 "value <= threshold", and the one-sided lower bound at level alpha / f (f the
    Holm factor). Lists for sequences, arrays for numpy arrays.

    Every target with a value enters Holm's family, including those within the limit
    (their p is at least 0.5), so the family is fixed before the data are seen.
    Significant (adjusted p < alpha) exactly when the bound exceeds the threshold.
    """
    value, lo, hi = combination_interval(coef, count, nobs, z_for_confidence(confidence))
    raw = combination_test(coef, count, nobs, threshold, alternative="greater")
    adjusted = holm(raw)
    bound = combination_lower_bound(coef, count, nobs, [alpha / f for f in holm_factors(raw)])
    return value, lo, hi, adjusted, bound
