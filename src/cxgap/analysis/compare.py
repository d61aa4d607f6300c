"""Groups against each other: every gap statistic for a list of items at once."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cxgap.code.tallies import GroupCounts
from cxgap.config import Config
from cxgap.model import (
    Comparison,
    Flag,
    GapStats,
    GroupStats,
    Interval,
    IntervalMethod,
    TestName,
    WeightedStats,
)
from cxgap.stats import (
    adjust_pvalues,
    cohens_h,
    fisher_exact_2x2,
    mann_whitney_from_counts,
    needs_exact_test,
    newcombe_interval,
    score_test_2prop,
    share_ratio,
    wilson_interval,
)
from cxgap.stats.design import (
    DesignMean,
    beta_interval,
    logit_interval,
    wilson_effective,
)
from cxgap.stats.weighted import design_z_test, mover_difference

#: A group's (smallest, largest) weight, when known.
WeightRange = tuple[float, float] | None


def opt(value: float) -> float | None:
    """A float for JSON: NaN and infinities become None."""
    value = float(value)
    return value if math.isfinite(value) else None


def two_proportion_test(
    x1: Sequence[int], n1: Sequence[int], x2: Sequence[int], n2: Sequence[int]
) -> tuple[list[float], list[bool]]:
    """Two-sided p-values of p1 = p2: the score test, or Fisher's exact test where an
    expected cell count is small; and where the exact test was used."""
    exact: list[bool] = needs_exact_test(x1, n1, x2, n2)
    pvalues: list[float] = score_test_2prop(x1, n1, x2, n2)
    for k, small in enumerate(exact):
        if small:
            pvalues[k] = fisher_exact_2x2(x1[k], n1[k], x2[k], n2[k])
    return pvalues, exact


def _group_stats(
    counts: Sequence[GroupCounts], cfg: Config, weight_range: WeightRange = None
) -> tuple[list[GroupStats], list[float]]:
    lo, hi = wilson_interval([c.agree for c in counts], [c.n for c in counts], cfg.confidence)
    share = [c.agree / c.n if c.n > 0 else math.nan for c in counts]
    stats = []
    for k, c in enumerate(counts):
        weighted = None
        ci = (opt(lo[k]), opt(hi[k]))
        if c.weighted:
            design = c.design()
            share[k] = design.estimate
            # a raked group's design keeps the non-answers' rows (R's nrow for beta)
            rows = float(design.n_all) if c.design_override is not None else None
            ci = weighted_interval(design, cfg.interval, cfg.confidence, rows)
            weighted = weighted_stats(design, cfg.interval, weight_range)
        stats.append(
            GroupStats(
                n=c.n,
                missing=c.missing,
                agree=c.agree,
                share=opt(share[k]),
                ci=ci,
                mean=c.mean,
                distribution=list(c.distribution),
                weighted=weighted,
            )
        )
    return stats, share


def weighted_interval(
    design: DesignMean, method: IntervalMethod, confidence: float, rows: float | None = None
) -> Interval:
    """A weighted share's interval: Wilson on Kish's effective n, or R svyciprop's beta or
    logit interval on the design's degrees of freedom (n - 1 for a weights-only design);
    ``rows``: the design's rows when it keeps the non-answers (a raked design)."""
    if method == "beta":
        lo, hi = beta_interval(design, design.n - 1.0, confidence, rows)
    elif method == "logit":
        lo, hi = logit_interval(design, design.n - 1.0, confidence)
    else:
        lo, hi = wilson_effective(design, confidence)
    return opt(lo), opt(hi)


def weighted_stats(
    design: DesignMean, method: IntervalMethod, weight_range: WeightRange
) -> WeightedStats:
    """The weights' figures of a weighted share (see :class:`WeightedStats`)."""
    low, high = weight_range or (None, None)
    deff = design.deff
    return WeightedStats(
        se=opt(design.se),
        n_eff=opt(design.kish_n),
        deff=opt(deff),
        weight_cv=opt(math.sqrt(max(deff - 1.0, 0.0))) if math.isfinite(deff) else None,
        weight_sum=design.w_sum,
        weight_min=low,
        weight_max=high,
        interval=method,
    )


def design_counts(stats: GroupStats) -> tuple[float, float]:
    """The (agree, n) the changes and the gate test a group's share with: its counts when
    unweighted; when weighted, the binomial sample whose variance p (1 - p) / n* is the
    share's design-based variance se^2 (n* = p (1 - p) / se^2, agree = p n*: the
    "effective sample size" of the estimate, as in Korn and Graubard 1998), or Kish's
    effective n where that is undefined (p of 0 or 1, or no variance). Every interval and
    test built on Wilson limits then uses the design-based variance in place of
    p (1 - p) / n."""
    w = stats.weighted
    if w is None or stats.share is None:
        return float(stats.agree), float(stats.n)
    p = stats.share
    n = w.n_eff if w.n_eff is not None else float(stats.n)
    if w.se is not None and w.se > 0.0 and 0.0 < p < 1.0:
        n = p * (1.0 - p) / (w.se * w.se)
    return p * n, n


def compare_groups(
    items: Sequence[str],
    labels: Sequence[str],
    groups: Mapping[str, Sequence[GroupCounts]],
    pairs: Sequence[tuple[str, str]],
    cfg: Config,
    *,
    adjust: bool = True,
    weight_ranges: Mapping[str, WeightRange] | None = None,
) -> list[GapStats]:
    """Every group's share per item, and per comparison the gap, its interval, tests and
    effect size; p-values adjusted over the family (every item x every comparison).

    A weighted group's counts (:attr:`GroupCounts.weighted`) give weighted shares with
    design-based figures, and every comparison it is in uses :mod:`cxgap.stats.weighted`:
    Newcombe's hybrid on effective-n Wilson limits, and the design-based z test in place of
    the score, Fisher and Mann-Whitney tests. ``weight_ranges`` gives a group's (smallest,
    largest) weight where known."""
    stats: dict[str, list[GroupStats]] = {}
    shares: dict[str, list[float]] = {}
    ranges = weight_ranges or {}
    for name, counts in groups.items():
        stats[name], shares[name] = _group_stats(counts, cfg, ranges.get(name))
    found = [_compare(groups[a], groups[b], shares[a], shares[b], cfg) for a, b in pairs]
    family = [p for f in found for p in f.pvalues]
    adjusted: list[float] = adjust_pvalues(family, cfg.adjust) if adjust else family
    size = len(items)
    out: list[GapStats] = []
    for k, item in enumerate(items):
        comparisons = [
            f.at(k, a, b, opt(adjusted[j * size + k]), cfg)
            for j, (f, (a, b)) in enumerate(zip(found, pairs, strict=True))
        ]
        out.append(
            GapStats(
                item=item,
                label=labels[k],
                groups={name: stats[name][k] for name in groups},
                comparisons=comparisons,
            )
        )
    return out


@dataclass(frozen=True)
class _Found:
    """One comparison's statistics over all items (adjusted p-values come later)."""

    gap: list[float]
    low: list[float]
    high: list[float]
    pvalues: list[float]
    tests: list[TestName]
    effect: list[float]
    ratio: list[float]
    mwu: list[float]

    def at(self, k: int, a: str, b: str, p_adjusted: float | None, cfg: Config) -> Comparison:
        g = opt(self.gap[k])
        significant = p_adjusted is not None and p_adjusted < cfg.alpha
        big_enough = g is not None and abs(g) * 100.0 >= cfg.min_gap_pp - 1e-9
        flag: Flag | None = None
        if significant and big_enough and g is not None and g != 0:
            flag = "blind_spot" if g > 0 else "hidden_strength"
        has_test = not math.isnan(self.pvalues[k])
        return Comparison(
            a=a,
            b=b,
            gap=g,
            gap_ci=(opt(self.low[k]), opt(self.high[k])),
            ratio=opt(self.ratio[k]),
            p_value=opt(self.pvalues[k]),
            p_adjusted=p_adjusted,
            test=self.tests[k] if has_test else None,
            mwu_p=opt(self.mwu[k]),
            cohens_h=opt(self.effect[k]),
            significant=significant,
            flag=flag,
        )


def _compare(
    first: Sequence[GroupCounts],
    second: Sequence[GroupCounts],
    p1: list[float],
    p2: list[float],
    cfg: Config,
) -> _Found:
    x1, n1 = [c.agree for c in first], [c.n for c in first]
    x2, n2 = [c.agree for c in second], [c.n for c in second]
    low, high = newcombe_interval(x1, n1, x2, n2, cfg.confidence)
    pvalues, exact = two_proportion_test(x1, n1, x2, n2)
    tests: list[TestName] = ["fisher_exact" if e else "score" for e in exact]
    mwu = [
        math.nan if a.weighted or b.weighted
        else mann_whitney_from_counts(a.distribution, b.distribution)[1]
        for a, b in zip(first, second, strict=True)
    ]  # fmt: skip
    for k, (a, b) in enumerate(zip(first, second, strict=True)):
        if a.weighted or b.weighted:
            da, db = a.design(), b.design()
            low[k], high[k] = mover_difference(
                da.estimate, wilson_effective(da, cfg.confidence),
                db.estimate, wilson_effective(db, cfg.confidence),
            )  # fmt: skip
            pvalues[k] = design_z_test(da.estimate, da.var, db.estimate, db.var)
            tests[k] = "design_z"
    gap = [a - b for a, b in zip(p1, p2, strict=True)]
    return _Found(gap, low, high, pvalues, tests, cohens_h(p1, p2), share_ratio(p1, p2), mwu)
