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
from cxgap.model.segments import SegmentBreakdown, SegmentItem
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
    left_out = {u: _why(breakdown, s, items, (a, b)) for s, u in enumerate(breakdown.segments)
                if not shown[u]}  # fmt: skip
    ranked = [u for u in breakdown.segments if shown[u]]
    # Units are compared on the same items: those shown in every ranked unit. Suppression
    # (complementary suppression above all) can hide a different item in each unit; a
    # unit that would leave fewer than half of the items in common is not ranked.
    common = _common(shown, ranked)
    while len(ranked) > 1 and len(common) < max(1, len(items) // 2):
        drop = min(ranked, key=lambda u: (len(shown[u]), u))
        ranked.remove(drop)
        left_out[drop] = (f"only {len(shown[drop])} of {len(items)} items shown for both "
                          "groups; the others suppressed")  # fmt: skip
        common = _common(shown, ranked)
    kept = [i for i in items if i.item in common]
    ranking = []
    for unit in ranked if kept else []:
        s = breakdown.segments.index(unit)
        means = {g: sum(i.cells[s].groups[g].share or 0.0 for i in kept) / len(kept)
                 for g in (a, b)}  # fmt: skip
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
        left_out={u: left_out[u] for u in breakdown.segments if u in left_out},
        correlation=UnitCorrelation(r=r, ci=ci or (None, None), units=len(ranking)),
    )


def _common(shown: dict[str, set[str]], units: Sequence[str]) -> set[str]:
    return set.intersection(*(shown[u] for u in units)) if units else set()


def _why(
    breakdown: SegmentBreakdown, s: int, items: Sequence[SegmentItem], pair: tuple[str, str]
) -> str:
    """Why unit ``s`` has no item shown for both groups of ``pair``."""
    for g in pair:
        if all(i.cells[s].groups[g].n == 0 for i in items):
            return f"no {g}"
    for g in pair:
        reasons = {i.cells[s].groups[g].reason or "" for i in items}
        if any(r.startswith("fewer than") for r in reasons):
            return f"fewer than {breakdown.min_cell_n} {g}"
    if any((i.cells[s].groups[g].reason or "").startswith("suppressed with")
           for i in items for g in pair):  # fmt: skip
        return (
            "suppressed with a smaller unit, so that its figures cannot be worked out from "
            "the overall ones"
        )
    return "no item answered by both groups"
