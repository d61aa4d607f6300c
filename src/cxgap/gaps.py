"""Leaders against customers: every gap statistic for a list of items at once."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cxgap.config import Config
from cxgap.model import GapStats, GroupStats
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


@dataclass(frozen=True)
class GroupCounts:
    """One group's counts on one item: answers per code, non-answers, agree rule."""

    distribution: list[int]
    missing: int
    codes: list[int]
    agree_from: int

    @property
    def n(self) -> int:
        return sum(self.distribution)

    @property
    def agree(self) -> int:
        return sum(
            c
            for code, c in zip(self.codes, self.distribution, strict=True)
            if code >= self.agree_from
        )

    @property
    def mean(self) -> float | None:
        n = self.n
        if n == 0:
            return None
        return sum(code * c for code, c in zip(self.codes, self.distribution, strict=True)) / n


def opt(value: float) -> float | None:
    """A float for JSON: NaN and infinities become None."""
    value = float(value)
    return value if math.isfinite(value) else None


def two_proportion_test(
    x1: npt.NDArray[np.float64],
    n1: npt.NDArray[np.float64],
    x2: npt.NDArray[np.float64],
    n2: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Two-sided p-values of p1 = p2: the score test, or Fisher's exact test where an
    expected cell count is small; and where the exact test was used."""
    exact = needs_exact_test(x1, n1, x2, n2)
    pvalues = score_test_2prop(x1, n1, x2, n2)
    for k in np.flatnonzero(exact).tolist():
        pvalues[k] = fisher_exact_2x2(int(x1[k]), int(n1[k]), int(x2[k]), int(n2[k]))
    return pvalues, exact


def _group_stats(
    counts: Sequence[GroupCounts], confidence: float
) -> tuple[list[GroupStats], npt.NDArray[np.float64]]:
    agree = np.array([c.agree for c in counts], dtype=np.float64)
    n = np.array([c.n for c in counts], dtype=np.float64)
    lo, hi = wilson_interval(agree, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, agree / n, np.nan)
    stats = [
        GroupStats(
            n=c.n,
            missing=c.missing,
            agree=c.agree,
            share=opt(share[k]),
            ci=(opt(lo[k]), opt(hi[k])),
            mean=c.mean,
            distribution=list(c.distribution),
        )
        for k, c in enumerate(counts)
    ]
    return stats, share


def compare_groups(
    items: Sequence[str],
    labels: Sequence[str],
    leaders: Sequence[GroupCounts],
    customers: Sequence[GroupCounts],
    cfg: Config,
    *,
    adjust: bool = True,
) -> list[GapStats]:
    """Gap, interval, tests and effect size per item; p-values adjusted across items."""
    lead_stats, p1 = _group_stats(leaders, cfg.confidence)
    cust_stats, p2 = _group_stats(customers, cfg.confidence)
    x1 = np.array([c.agree for c in leaders], dtype=np.float64)
    n1 = np.array([c.n for c in leaders], dtype=np.float64)
    x2 = np.array([c.agree for c in customers], dtype=np.float64)
    n2 = np.array([c.n for c in customers], dtype=np.float64)

    gap = p1 - p2
    gap_lo, gap_hi = newcombe_interval(x1, n1, x2, n2, cfg.confidence)
    pvalues, exact = two_proportion_test(x1, n1, x2, n2)
    padj = adjust_pvalues(pvalues, cfg.adjust) if adjust else pvalues.copy()
    effect = cohens_h(p1, p2)
    ratio = share_ratio(p1, p2)
    mwu = [
        mann_whitney_from_counts(a.distribution, b.distribution)[1]
        for a, b in zip(leaders, customers, strict=True)
    ]

    out: list[GapStats] = []
    for k, item in enumerate(items):
        g, pa = opt(gap[k]), opt(padj[k])
        significant = pa is not None and pa < cfg.alpha
        big_enough = g is not None and abs(g) * 100.0 >= cfg.min_gap_pp - 1e-9
        flag = None
        if significant and big_enough and g is not None and g != 0:
            flag = "blind_spot" if g > 0 else "hidden_strength"
        has_test = not math.isnan(pvalues[k])
        out.append(
            GapStats(
                item=item,
                label=labels[k],
                leaders=lead_stats[k],
                customers=cust_stats[k],
                gap=g,
                gap_ci=(opt(gap_lo[k]), opt(gap_hi[k])),
                ratio=opt(ratio[k]),
                p_value=opt(pvalues[k]),
                p_adjusted=pa,
                test=("fisher_exact" if exact[k] else "score") if has_test else None,
                mwu_p=opt(mwu[k]),
                cohens_h=opt(effect[k]),
                significant=significant,
                flag=flag,
            )
        )
    return out
