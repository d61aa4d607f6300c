"""The regularized incomplete beta function, its inverse, and Student t quantiles, in plain
Python (no scipy at runtime): what R's ``qbeta`` and ``qt`` give the design-based intervals of
:mod:`cxgap.stats.design`.

Every function returns a value *and its complement* where the complement can be small, so
that callers never form ``1 - x`` from an ``x`` near 1 (the t quantile at large degrees of
freedom depends on exactly that).

References
----------
DiDonato, A. R. and Morris, A. H. (1992). Algorithm 708: significant digit computation of the
incomplete beta function ratios. ACM TOMS 18(3), 360-373 (the large-parameter factor
x^a y^b / B(a, b) written with rlog1, as below).
Press, W. H. et al. (2007). Numerical Recipes, 3rd ed., sections 6.4 (the continued fraction
for I_x(a, b), its symmetry switch and a starting value for the inverse) and 5.2 (the modified
Lentz method).
DLMF 8.17.22 (the continued fraction), 5.11.1 (Stirling's series), 26.5.22 of Abramowitz and
Stegun (1964) (the normal starting value for the inverse), and 26.7.1 (t through the beta).
"""

from __future__ import annotations

import math
from statistics import NormalDist

_EPS = 2.220446049250313e-16
_TINY = 1e-300
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
# Stirling's series for log Gamma(x) - [(x - 1/2) log x - x + log(2 pi)/2] (DLMF 5.11.1):
# B_2k / (2k (2k - 1)) for k = 1..8; at x >= 10 the first omitted term is below 1e-17.
_STIRLING = (
    1.0 / 12.0,
    -1.0 / 360.0,
    1.0 / 1260.0,
    -1.0 / 1680.0,
    1.0 / 1188.0,
    -691.0 / 360360.0,
    1.0 / 156.0,
    -3617.0 / 122400.0,
)
_LARGE = 10.0  # from here on Stirling's series replaces lgamma differences


def _stirling_delta(x: float) -> float:
    """log Gamma(x) less its Stirling approximation, for x >= 10 (DLMF 5.11.1)."""
    inv2 = 1.0 / (x * x)
    total = 0.0
    for coef in reversed(_STIRLING):
        total = total * inv2 + coef
    return total / x


def _rlog1(t: float, one_plus_t: float) -> float:
    """t - log(1 + t) without cancellation: with r = t / (2 + t),
    t - log1p(t) = r t - 2 (r^3/3 + r^5/5 + ...), used for |t| <= 1/2; beyond, the log of
    ``one_plus_t`` as the caller computed it (relatively exact even where it is tiny)."""
    if abs(t) > 0.5:
        return t - math.log(one_plus_t)
    r = t / (2.0 + t)
    r2 = r * r
    term, total, k = r * r2, 0.0, 3
    while abs(term) > _EPS * abs(total) * 1e-2 or total == 0.0:
        total += term / k
        term *= r2
        k += 2
        if term == 0.0:
            break
    return r * t - 2.0 * total


def _log_gamma_ratio(big: float, small: float) -> float:
    """log Gamma(big) - log Gamma(big + small) for big >= 10, without subtracting two large
    logarithms: -(big - 1/2) log1p(small/big) - small log(big + small) + small + delta terms."""
    return (
        -(big - 0.5) * math.log1p(small / big)
        - small * math.log(big + small)
        + small
        + _stirling_delta(big)
        - _stirling_delta(big + small)
    )


def _front(a: float, b: float, x: float, y: float) -> float:
    """x^a y^b / B(a, b), y = 1 - x given separately.

    With a, b >= 10 it is written as in DiDonato and Morris (1992): with n = a + b,
    u = x n/a - 1 and v = y n/b - 1 (so a u + b v = 0),
    x^a y^b / B(a, b) = sqrt(a b / (2 pi n)) exp(-(delta(a) + delta(b) - delta(n)))
    exp(-(a rlog1(u) + b rlog1(v))), every term small; otherwise through logarithms, with
    log Gamma(big) - log Gamma(big + small) from Stirling's series when one parameter is large.
    """
    if x <= 0.0 or y <= 0.0:
        return 0.0
    if a >= _LARGE and b >= _LARGE:
        n = a + b
        # u = x n/a - 1 from the smaller of x and y (the other may be 1 - tiny, rounded),
        # and v from a u + b v = 0.
        if x <= y:
            u = (n * x - a) / a
            v = -a * u / b
        else:
            v = (n * y - b) / b
            u = -b * v / a
        corr = _stirling_delta(a) + _stirling_delta(b) - _stirling_delta(n)
        expo = -(a * _rlog1(u, n * x / a) + b * _rlog1(v, n * y / b)) - corr
        return math.sqrt(a * b / (2.0 * math.pi * n)) * math.exp(expo)
    if max(a, b) >= _LARGE:
        big, small = (a, b) if a >= b else (b, a)
        log_inv_beta = -math.lgamma(small) - _log_gamma_ratio(big, small)
    else:
        log_inv_beta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    # log y from x when x is the smaller (y = 1 - x is then rounded), and vice versa.
    log_x = math.log(x) if x <= y else math.log1p(-y)
    log_y = math.log(y) if y <= x else math.log1p(-x)
    return math.exp(a * log_x + b * log_y + log_inv_beta)


def _continued_fraction(a: float, b: float, x: float, y: float) -> float:
    """The continued fraction of I_x(a, b) (DLMF 8.17.22) by the modified Lentz method:
    I_x(a, b) = x^a y^b / (a B(a, b)) * 1 / (1 + d1 / (1 + d2 / (1 + ...))), with
    d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) and
    d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)); it converges fast for x < (a + 1)/(a + b + 2).
    Returns the fraction 1 / (1 + d1 / ...) only. The first denominator
    1 + d1 = 1 - (a + b) x/(a + 1) is formed as ((a + 1) y - (b - 1) x)/(a + 1), y = 1 - x:
    near the switch it is small and the direct difference would lose digits."""
    c, d = 1.0, ((a + 1.0) * y - (b - 1.0) * x) / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 100_000):
        for coef in (
            m * (b - m) * x / ((a + 2 * m - 1.0) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1.0)),
        ):
            d = 1.0 + coef * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + coef / c
            c = c if abs(c) > _TINY else _TINY
            step = c * d
            h *= step
        if abs(step - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta continued fraction did not converge: {a}, {b}, {x}")


def betainc_pair(a: float, b: float, x: float, y: float | None = None) -> tuple[float, float]:
    """I_x(a, b) and 1 - I_x(a, b), each with full relative accuracy (a, b > 0, 0 <= x <= 1;
    ``y`` = 1 - x when the caller knows it better than ``1 - x``).

    The fraction is evaluated on the side where it converges: at x < (a + 1)/(a + b + 2)
    directly, elsewhere through I_x(a, b) = 1 - I_{1-x}(b, a) (Numerical Recipes 6.4)."""
    if not (a > 0.0 and b > 0.0) or not 0.0 <= x <= 1.0:
        return math.nan, math.nan
    y = 1.0 - x if y is None else y
    if x <= 0.0:
        return 0.0, 1.0
    if y <= 0.0:
        return 1.0, 0.0
    if x < (a + 1.0) / (a + b + 2.0):
        value = _front(a, b, x, y) * _continued_fraction(a, b, x, y) / a
        return value, 1.0 - value
    comp = _front(b, a, y, x) * _continued_fraction(b, a, y, x) / b
    return 1.0 - comp, comp


def betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b) (scipy's ``betainc``)."""
    return betainc_pair(a, b, x)[0]


def _start(a: float, b: float, p: float, q: float) -> float:
    """A starting value for the inverse: for a, b >= 1 the normal approximation of Abramowitz
    and Stegun 26.5.22; otherwise the leading power of either tail, I ~ x^a / (a B) near 0
    and 1 - I ~ (1 - x)^b / (b B) near 1, split where they meet (Numerical Recipes 6.4)."""
    if a >= 1.0 and b >= 1.0:
        z = NormalDist().inv_cdf(q) if q < 0.5 else -NormalDist().inv_cdf(p)  # upper z
        lam = (z * z - 3.0) / 6.0
        h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0))
        w = z * math.sqrt(h + lam) / h - (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (
            lam + 5.0 / 6.0 - 2.0 / (3.0 * h)
        )
        return a / (a + b * math.exp(2.0 * w)) if w < 300 else 0.0
    log_b = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    lo = math.exp(a * math.log(a / (a + b)) - log_b) / a
    hi = math.exp(b * math.log(b / (a + b)) - log_b) / b
    if p < lo / (lo + hi):
        return math.exp((math.log(p) + math.log(a) + log_b) / a)
    return 1.0 - math.exp((math.log(q) + math.log(b) + log_b) / b)


def _solve_lower(a: float, b: float, p: float, q: float) -> float:
    """The x in (0, 1/2] with I_x(a, b) = p (q = 1 - p), known to lie there: Newton's method
    on I_x - p, kept inside a bracket that every evaluation narrows, with bisection (geometric
    while the bracket spans orders of magnitude) whenever a step would leave it."""
    lo, hi = 0.0, 0.5
    x = min(max(_start(a, b, p, q), 0.0), 0.5)
    if not 0.0 < x < 0.5:
        x = 0.25
    for _ in range(2000):
        value, comp = betainc_pair(a, b, x)
        f = value - p if p <= 0.5 else q - comp
        if f == 0.0:
            return x
        if f > 0.0:
            hi = x
        else:
            lo = x
        density = _front(a, b, x, 1.0 - x) / (x * (1.0 - x))
        new = x - f / density if density > 0.0 else math.nan
        if not lo < new < hi:
            new = math.sqrt(lo * hi) if lo > 0.0 and hi > 4.0 * lo else 0.5 * (lo + hi)
            if lo == 0.0:
                new = hi / 16.0
        if abs(new - x) <= 2.0 * _EPS * x or new in (lo, hi):
            return new
        x = new
    return x


def betaincinv_pair(a: float, b: float, p: float, q: float | None = None) -> tuple[float, float]:
    """The x with I_x(a, b) = p, and 1 - x, each with full relative accuracy (scipy's
    ``betaincinv``, R's ``qbeta``); ``q`` = 1 - p when the caller knows it better.

    The root is sought in whichever half of (0, 1) holds it, as x or as 1 - x through
    I_x(a, b) = 1 - I_{1-x}(b, a), so the smaller of the two is what Newton's method
    resolves."""
    q = 1.0 - p if q is None else q
    if not (a > 0.0 and b > 0.0) or not 0.0 <= p <= 1.0:
        return math.nan, math.nan
    if p <= 0.0:
        return 0.0, 1.0
    if q <= 0.0:
        return 1.0, 0.0
    mid, mid_comp = betainc_pair(a, b, 0.5, 0.5)
    if (p <= mid) if p <= 0.5 else (q >= mid_comp):
        x = _solve_lower(a, b, p, q)
        return x, 1.0 - x
    y = _solve_lower(b, a, q, p)
    return 1.0 - y, y


def betaincinv(a: float, b: float, p: float) -> float:
    """The inverse of I_x(a, b) in x (scipy's ``betaincinv``, R's ``qbeta(p, a, b)``)."""
    return betaincinv_pair(a, b, p)[0]


def t_quantile(p: float, df: float) -> float:
    """The p quantile of Student's t with ``df`` > 0 degrees of freedom (R's ``qt``).

    For p < 1/2, with x = df / (df + t^2): P(T <= -|t|) = I_x(df/2, 1/2) / 2 (Abramowitz and
    Stegun 26.7.1), so t = -sqrt(df (1 - x) / x) with x = I^-1(df/2, 1/2; 2p); 1 - x comes
    from the inverse itself, not from subtracting. Symmetric for p > 1/2; the normal
    quantile at df = inf."""
    if not 0.0 <= p <= 1.0 or not df > 0.0:
        return math.nan
    if math.isinf(df):
        return NormalDist().inv_cdf(p) if 0.0 < p < 1.0 else math.copysign(math.inf, p - 0.5)
    if p == 0.5:
        return 0.0
    tail = min(p, 1.0 - p)  # exact: 1 - p is exact for p >= 1/2
    if tail == 0.0:
        return math.copysign(math.inf, p - 0.5)
    x, x_comp = betaincinv_pair(0.5 * df, 0.5, 2.0 * tail, 1.0 - 2.0 * tail)
    t = math.sqrt(df * x_comp / x) if x > 0.0 else math.inf
    return -t if p < 0.5 else t
