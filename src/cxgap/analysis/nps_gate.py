"""The gate's ``max_nps_drop`` rule: the customers' NPS must not fall by more than a limit
(in points) against the baseline, on each NPS item.

NPS is the mean of a respondent's score s = +1 (promoter), 0 (passive), -1 (detractor),
so m = (NPS + 1) / 2 is the mean of a variable in [0, 1], and a drop of L points in NPS
is a drop of L / 2 in m. A variable in [0, 1] with mean m has a variance of at most
m (1 - m), the binomial one: the share-drop test of ``max_drop_pp`` (continuity-corrected
Wilson limits combined by MOVER, :func:`cxgap.stats.breach.breach_tests`) applied to m
with n answers is therefore conservative. A seeded simulation over NPS distributions from
1% to 95% promoters and 30 to 5,000 answers keeps its false alarm rate at the boundary
under alpha (worst 2.5% at alpha = 5%); plain Wald on NPS reaches 6.7%
(tests/test_nps_gate.py). Weighted groups enter with Kish's effective n.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from cxgap.analysis.compare import opt
from cxgap.analysis.verdicts import pp_of, verdict
from cxgap.config import CheckRules
from cxgap.model import AnalysisResult, Verdict
from cxgap.model.nps import NpsGroup
from cxgap.stats.breach import breach_tests

#: (item, why it cannot be judged, value, ci, bound, adjusted p), NPS points as fractions
NpsRow = tuple[str, str | None, float, tuple[float, float], float, float]


def nps_drop_rows(
    current: AnalysisResult,
    base: AnalysisResult,
    same: Collection[str],
    threshold_points: float,
    min_n: int,
    alpha: float,
    confidence: float,
) -> list[NpsRow]:
    """Per NPS item of the current result: the reference group's NPS drop (baseline minus
    now, a fraction of 100 points), its interval and one-sided lower bound, and the
    Holm-adjusted p of "drop <= threshold"; or why it cannot be judged."""
    group = current.groups[-1].name
    before = {r.item: r for r in base.nps}
    rows: list[tuple[str, str | None, tuple[NpsGroup, NpsGroup] | None]] = []
    for found in current.nps:
        prior = before.get(found.item)
        now = found.groups.get(group)
        if prior is None or now is None or group not in prior.groups:
            rows.append((found.item, "not in the baseline", None))
            continue
        then = prior.groups[group]
        short = [f"{group} {when} have {_size(g):,.0f}" for when, g in (("now", now),
                 ("at the baseline", then)) if _size(g) < min_n]  # fmt: skip
        if then.nps is None or now.nps is None:
            rows.append((found.item, "no valid answers", None))
        elif short:
            reason = f"fewer than {min_n} valid answers (min_n): {'; '.join(short)}"
            rows.append((found.item, reason, None))
        else:
            rows.append((found.item, None, (then, now)))
    tested = [k for k, row in enumerate(rows) if row[2] is not None]
    out: list[NpsRow] = []
    nan = math.nan
    values: dict[int, tuple[float, tuple[float, float], float, float]] = {}
    if tested and group not in same:
        count, nobs = [], []
        for side in (0, 1):
            pairs = [rows[k][2] for k in tested]
            sizes = [_size(p[side]) for p in pairs if p is not None]
            means = [((p[side].nps or 0.0) + 1.0) / 2.0 for p in pairs if p is not None]
            count.append([m * n for m, n in zip(means, sizes, strict=True)])
            nobs.append(sizes)
        v, lo, hi, p, bound = breach_tests([1.0, -1.0], count, nobs, threshold_points / 200.0,
                                           alpha, confidence)  # fmt: skip
        for j, k in enumerate(tested):  # m's scale back to NPS: times 2
            values[k] = (2 * v[j], (2 * lo[j], 2 * hi[j]), 2 * bound[j], p[j])
    for k, (item, why, pair) in enumerate(rows):
        if pair is not None and group in same:
            out.append((item, None, 0.0, (nan, nan), nan, nan))
        elif k in values:
            value, ci, bound_k, p_k = values[k]
            out.append((item, why, value, ci, bound_k, p_k))
        else:
            out.append((item, why, nan, (nan, nan), nan, nan))
    return out


def _size(group: NpsGroup) -> float:
    """The answers an NPS rests on: Kish's effective n when weighted."""
    return group.n_eff if group.n_eff is not None else float(group.n)


def nps_verdicts(
    current: AnalysisResult,
    base: AnalysisResult,
    same: Collection[str],
    rules: CheckRules,
    confidence: float,
    alpha: float,
) -> list[Verdict]:
    """The max_nps_drop verdicts, one per NPS item (see :mod:`cxgap.analysis.nps_gate`)."""
    limit = rules.max_nps_drop
    assert limit is not None
    out = []
    dropping = current.groups[-1].name
    for item, why, value, ci, bound, p in nps_drop_rows(
        current, base, same, limit, rules.min_n, alpha, confidence
    ):
        unchanged = "the same answers at both sides" if dropping in same else None
        out.append(
            verdict("max_nps_drop", item, False, pp_of(opt(value)), (pp_of(opt(ci[0])),
                     pp_of(opt(ci[1]))), pp_of(opt(bound)), limit, why, opt(p),
                     rules.require_significance, alpha, unchanged, dropping)
        )  # fmt: skip
    return out
