"""Change between two waves: of a share, and of a gap (a difference of differences)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cxgap.stats._normal import two_sided_p

FloatArray = npt.NDArray[np.float64]


def mover_difference(
    est1: npt.ArrayLike,
    lo1: npt.ArrayLike,
    hi1: npt.ArrayLike,
    est2: npt.ArrayLike,
    lo2: npt.ArrayLike,
    hi2: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """Interval for est1 - est2 from the intervals of two independent estimates (MOVER).

    Method of variance estimates recovery::

        lower = d - sqrt((est1 - lo1)^2 + (hi2 - est2)^2)
        upper = d + sqrt((hi1 - est1)^2 + (est2 - lo2)^2)

    With Wilson intervals for two proportions this is exactly Newcombe's hybrid
    interval; with Newcombe intervals for two gaps it gives the interval for the
    change in a gap between two waves (a difference of two independent differences),
    keeping the asymmetry of the score intervals.

    References
    ----------
    Zou, G. Y. and Donner, A. (2008). Construction of confidence limits about effect
    measures: a general approach. Statistics in Medicine 27, 1693-1702.
    Newcombe, R. G. (2013). Confidence Intervals for Proportions and Related Measures
    of Effect Size, ch. 7. CRC Press.
    """
    e1, l1, u1 = (np.asarray(a, dtype=np.float64) for a in (est1, lo1, hi1))
    e2, l2, u2 = (np.asarray(a, dtype=np.float64) for a in (est2, lo2, hi2))
    d = e1 - e2
    lower = d - np.sqrt((e1 - l1) ** 2 + (u2 - e2) ** 2)
    upper = d + np.sqrt((u1 - e1) ** 2 + (e2 - l2) ** 2)
    return lower, upper


def diff_of_diffs_test(x: npt.ArrayLike, n: npt.ArrayLike) -> FloatArray:
    """Two-sided Wald test that (p1 - p2) - (p3 - p4) = 0, four independent groups.

    ``x`` and ``n`` have shape (4, k): agree counts and sizes of leaders and
    customers now, then leaders and customers at the baseline. The variance is
    the sum of the four binomial variances p(1-p)/n. NaN where a group is empty;
    1 where every variance is 0 and the change is 0.

    References
    ----------
    Fleiss, J. L., Levin, B. and Paik, M. C. (2003). Statistical Methods for Rates
    and Proportions, 3rd ed., section 10.3 (comparing differences across strata).
    """
    xs = np.asarray(x, dtype=np.float64)
    ns = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = xs / ns
        var = (p * (1.0 - p) / ns).sum(axis=0)
        d = (p[0] - p[1]) - (p[2] - p[3])
        z = np.where(var > 0, d / np.sqrt(var), np.where(d == 0, 0.0, np.inf))
    out = two_sided_p(np.where(np.isfinite(z), z, 40.0))
    return np.where((ns > 0).all(axis=0), out, np.nan)
