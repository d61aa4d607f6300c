"""Raking (iterative proportional fitting) over cells, and the raked mean's variance.

A *cell* is one combination of the rake variables' labels (e.g. region North x channel
web). When the rake variables are keys of the counts table, every respondent of a cell gets
the same raking factor, so raking needs only each cell's weight sum, and the raked design's
variance needs only per-cell sums too. Nothing here reads rows, polars or config: cells come
as plain sequences, in the order the caller chooses.

The fit follows R's ``survey::rake()`` (Lumley 2010, sec. 7.4; survey 4.1.1) step by step,
so that its weights are R's to rounding: a *sweep* post-stratifies on each margin in turn
(every cell of a category is multiplied by target / current total of the category), and the
fit stops after the first sweep that changes no cell's weight total by ``epsilon`` or more
(R compares the joint table of the rake variables before and after the sweep). The
method is Deming and Stephan's (1940).

The variance is R's ``svyrecvar`` for a raked design: the influence values x_i of the
estimate are residualised on each margin of the last sweep in turn, ten times over (R's
fixed count), as x <- x - w_m * ave(x / w_m, category), where w_m are the weights after
margin m's post-stratification and ``ave`` is the *unweighted* mean over the category's
respondents; then var = N / (N - 1) * sum_i (x_i - mean(x))^2 over all N respondents (one
stage, with replacement). Within a cell every w_m is the cell's cumulative factor times the
respondent's original weight w0_i, and the raked x_i is a constant r times w0_i in each
(cell, answer value), so each step is a per-category average of r / G_m weighted by the
respondent counts n, and the sums of x and x^2 are sums of r w0 and r^2 w0^2 per (cell,
value).

References
----------
Deming, W. E. and Stephan, F. F. (1940). On a least squares adjustment of a sampled
frequency table when the expected marginal totals are known. Ann. Math. Statist. 11,
427-444.
Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, ch. 7 (raking and
its linearisation variance); R package survey 4.1.1, ``rake``, ``svyrecvar``,
``trimWeights``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cxgap.stats.design import DesignMean

#: The residualisation passes over the margins in R's svyrecvar for a raked design.
R_VARIANCE_PASSES = 10


@dataclass(frozen=True)
class Fit:
    """The result of :func:`rake_cells`.

    ``factors`` are the final raking factors per cell (raked weight / original weight);
    ``steps[m]`` the cumulative factors per cell just after margin m's post-stratification
    in the last sweep (``steps[-1] == factors``; the variance needs them all). ``sweeps``
    counts the sweeps made; ``delta`` is the largest change of a cell's total in the last
    sweep; ``converged`` says delta < epsilon."""

    factors: tuple[float, ...]
    steps: tuple[tuple[float, ...], ...]
    sweeps: int
    delta: float
    converged: bool


def rake_cells(
    labels: Sequence[Sequence[str]],
    w_sum: Sequence[float],
    targets: Sequence[Mapping[str, float]],
    *,
    epsilon: float,
    max_sweeps: int,
) -> Fit:
    """Rake cells to margin totals, as ``survey::rake()``.

    ``labels[k][m]`` is cell k's category on margin m, ``w_sum[k]`` its original weight
    sum, ``targets[m]`` the population total per category of margin m. Every category of
    a cell must have a target and every target category a cell of positive weight (the
    caller checks, with its own messages; here it is a ValueError). ``epsilon`` is absolute
    (R's ``control$epsilon`` when >= 1, or epsilon times the original total when < 1)."""
    cells = len(w_sum)
    if len(labels) != cells:
        raise ValueError("labels and w_sum differ in length")
    for m, target in enumerate(targets):
        found: dict[str, float] = {}
        for k in range(cells):
            found[labels[k][m]] = found.get(labels[k][m], 0.0) + w_sum[k]
        if set(found) - set(target) or any(not found.get(c, 0.0) > 0.0 for c in target):
            raise ValueError(f"margin {m}: the cells' categories and the targets differ")
    factors = [1.0] * cells
    old = list(w_sum)
    steps: list[tuple[float, ...]] = []
    sweeps = 0
    delta = math.inf
    while sweeps < max_sweeps:
        steps = []
        for m, target in enumerate(targets):
            totals: dict[str, float] = {}
            for k in range(cells):
                key = labels[k][m]
                totals[key] = totals.get(key, 0.0) + factors[k] * w_sum[k]
            factors = [
                f * (target[labels[k][m]] / totals[labels[k][m]]) for k, f in enumerate(factors)
            ]
            steps.append(tuple(factors))
        sweeps += 1
        new = [f * w for f, w in zip(factors, w_sum, strict=True)]
        delta = max((abs(a - b) for a, b in zip(old, new, strict=True)), default=0.0)
        if delta < epsilon:
            return Fit(tuple(factors), tuple(steps), sweeps, delta, True)
        old = new
    return Fit(tuple(factors), tuple(steps), sweeps, delta, False)


def margin_totals(
    labels: Sequence[Sequence[str]], w_sum: Sequence[float], margin: int
) -> dict[str, float]:
    """The weight total per category of one margin (math.fsum per category)."""
    parts: dict[str, list[float]] = {}
    for k, w in enumerate(w_sum):
        parts.setdefault(labels[k][margin], []).append(w)
    return {c: math.fsum(v) for c, v in parts.items()}


@dataclass(frozen=True)
class ValueCell:
    """The respondents of one (cell, answer value): the cell's index, the value the
    statistic scores them as (None for a blank answer: not in the estimate, but still in
    the design), their count, and their *original* weight and squared-weight sums."""

    cell: int
    value: float | None
    n: int
    w_sum: float
    w2_sum: float


def raked_mean(
    values: Sequence[ValueCell],
    labels: Sequence[Sequence[str]],
    steps: Sequence[Sequence[float]],
    scale: Sequence[float] | None = None,
) -> DesignMean:
    """The weighted mean on the raked design and its SE, as R's ``svymean(~y, raked,
    na.rm = TRUE)`` (module docstring).

    ``values`` holds every (cell, value) of the item, blanks included (every respondent of
    the design once); ``labels`` and ``steps`` are those of :func:`rake_cells`. ``scale``
    is each cell's final weight / original weight when it is not ``steps[-1]`` (after
    trimming, whose redistribution R leaves out of the residualisation's w_m); exact when
    the weights within each cell are equal."""
    final = list(scale) if scale is not None else list(steps[-1])
    answered = [v for v in values if v.value is not None and v.n > 0]
    n = sum(v.n for v in answered)
    n_all = sum(v.n for v in values)
    psum = math.fsum(final[v.cell] * v.w_sum for v in answered)
    w2 = math.fsum(final[v.cell] ** 2 * v.w2_sum for v in answered)
    if n == 0 or psum <= 0.0:
        nan = math.nan
        return DesignMean(nan, nan, nan, n, n_all, psum, nan, nan)
    mean = math.fsum(final[v.cell] * v.w_sum * (v.value or 0.0) for v in answered) / psum
    r = [0.0 if v.value is None else (v.value - mean) * final[v.cell] / psum for v in values]
    for _ in range(R_VARIANCE_PASSES):
        for m, step in enumerate(steps):
            sums: dict[str, list[float]] = {}
            counts: dict[str, int] = {}
            for j, v in enumerate(values):
                key = labels[v.cell][m]
                sums.setdefault(key, []).append(v.n * r[j] / step[v.cell])
                counts[key] = counts.get(key, 0) + v.n
            ave = {key: math.fsum(parts) / counts[key] for key, parts in sums.items()}
            r = [r[j] - step[v.cell] * ave[labels[v.cell][m]] for j, v in enumerate(values)]
    if n_all > 1:
        total = math.fsum(rj * v.w_sum for rj, v in zip(r, values, strict=True))
        squares = math.fsum(rj * rj * v.w2_sum for rj, v in zip(r, values, strict=True))
        var = n_all / (n_all - 1.0) * (squares - total * total / n_all)
        var = max(var, 0.0)
    else:
        var = math.nan
    kish_n = psum * psum / w2
    return DesignMean(mean, math.sqrt(var), var, n, n_all, psum, kish_n, n / kish_n)


#: Relative slack above the cap that counts as at the cap (floating point), and the most
#: rounds of trimming (each spreads less excess than the last).
TRIM_SLACK = 1e-12
TRIM_ROUNDS = 10_000


@dataclass(frozen=True)
class Trim:
    """Weights after trimming, per cell as a map of each respondent's original weight
    w0: w = scale * w0 + shift. ``trimmed`` marks the cells at the cap; ``upper`` is the
    cap as a weight (cap x the mean weight)."""

    scale: tuple[float, ...]
    shift: tuple[float, ...]
    trimmed: tuple[bool, ...]
    upper: float
    rounds: int


def trim_cells(
    n: Sequence[int], w_sum: Sequence[float], factors: Sequence[float], cap: float
) -> Trim:
    """Trim raked weights at ``cap`` x the mean weight, as ``survey::trimWeights(design,
    upper, strict = TRUE)``: weights above the cap are set to it and the weight cut off is
    added in equal parts to every weight not above it, round after round until none is
    above (the total weight stays).

    The cells' raked weights are ``factors[k]`` x the original weights (sum ``w_sum[k]``
    over ``n[k]`` respondents). What is capped is a cell's mean weight, so this is R's
    trimming exactly when the weights within each cell are equal (an unweighted sample
    raked); otherwise a cell whose mean is above the cap is scaled down to it as a whole."""
    cells = len(n)
    total_n = sum(n)
    scale = list(factors)
    shift = [0.0] * cells
    total = math.fsum(f * w for f, w in zip(factors, w_sum, strict=True))
    upper = cap * total / total_n
    trimmed = [False] * cells
    for rounds in range(TRIM_ROUNDS):
        weight = [scale[k] * w_sum[k] + shift[k] * n[k] for k in range(cells)]
        above = [n[k] > 0 and weight[k] > upper * (1.0 + TRIM_SLACK) * n[k] for k in range(cells)]
        if not any(above):
            return Trim(tuple(scale), tuple(shift), tuple(trimmed), upper, rounds)
        excess = math.fsum(weight[k] - upper * n[k] for k in range(cells) if above[k])
        below = sum(n[k] for k in range(cells) if not above[k])
        if below == 0:
            raise ValueError("every weight is above the cap")
        for k in range(cells):
            if above[k]:
                ratio = upper * n[k] / weight[k]
                scale[k] *= ratio
                shift[k] *= ratio
                trimmed[k] = True
            else:
                shift[k] += excess / below
    return Trim(tuple(scale), tuple(shift), tuple(trimmed), upper, TRIM_ROUNDS)
