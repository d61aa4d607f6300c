"""The per-unit view (``unit_column``, ``--unit``): each unit's leaders (or staff) against
its own customers.

The unit column is a segment key, so the gap per unit and item is the segment table of
that column (:mod:`cxgap.analysis.segments`: intervals, domain standard errors when
weighted, small cells suppressed). For each comparison whose two groups' files both
have the column, this module adds what a company-wide average hides: the units ranked
by their gap, and Pearson's r across the units between the two groups' mean agree
shares, with Fisher's z interval (is the unit that thinks it serves best the one its
customers rate best?). A unit's mean is over the same items in every unit (those shown
for both groups in every ranked unit), so units are compared like for like.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from cxgap.config import Config
from cxgap.model.segments import SegmentBreakdown
from cxgap.model.units import UnitComparison, UnitCorrelation, UnitRank, UnitView
from cxgap.stats.correlation import fisher_interval, pearson


def unit_view(
    breakdown: SegmentBreakdown,
    pairs: Sequence[tuple[str, str]],
    cfg: Config,
    nps_items: Collection[str] = (),
) -> UnitView:
    """The per-unit view of ``breakdown`` (the unit column's segment table)."""
    own = breakdown.own_segment
    found = [
        _comparison(breakdown, j, a, b, cfg, nps_items)
        for j, (a, b) in enumerate(pairs)
        if own.get(a) and own.get(b)
    ]
    return UnitView(
        column=breakdown.column, units=breakdown.segments, comparisons=found, breakdown=breakdown
    )


def _comparison(
    breakdown: SegmentBreakdown, j: int, a: str, b: str, cfg: Config, nps_items: Collection[str]
) -> UnitComparison:
    items = [i for i in breakdown.items if i.item not in nps_items]
    shown: dict[str, set[str]] = {}
    for s, unit in enumerate(breakdown.segments):
        shown[unit] = {i.item for i in items if not i.cells[s].comparisons[j].suppressed
                       and i.cells[s].groups[a].share is not None
                       and i.cells[s].groups[b].share is not None}  # fmt: skip
    ranked = [u for u in breakdown.segments if shown[u]]
    common = set.intersection(*(shown[u] for u in ranked)) if ranked else set()
    kept = [i for i in items if i.item in common]
    ranking = []
    for unit in ranked:
        s = breakdown.segments.index(unit)
        means = {g: sum(i.cells[s].groups[g].share or 0.0 for i in kept) / len(kept)
                 for g in (a, b)} if kept else {}  # fmt: skip
        if not means:
            continue
        ranking.append(
            UnitRank(
                unit=unit,
                shares=means,
                gap=means[a] - means[b],
                n={g: max(i.cells[s].groups[g].n for i in kept) for g in (a, b)},
            )
        )
    ranking.sort(key=lambda r: (-r.gap, r.unit))
    xs = [r.shares[a] for r in ranking]
    ys = [r.shares[b] for r in ranking]
    r = pearson(xs, ys)
    ci = fisher_interval(r, len(ranking), cfg.confidence) if r is not None else None
    return UnitComparison(
        a=a,
        b=b,
        items=[i.item for i in kept],
        ranking=ranking,
        left_out=[u for u in breakdown.segments if u not in {x.unit for x in ranking}],
        correlation=UnitCorrelation(r=r, ci=ci or (None, None), units=len(ranking)),
    )
