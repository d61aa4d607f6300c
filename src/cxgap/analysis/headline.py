"""The headline: one comparison that opens every report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cxgap.analysis.compare import WeightRange, compare_groups
from cxgap.code.tallies import GroupCounts
from cxgap.config import Config
from cxgap.model import GapStats, GroupStats, Headline, ItemResult


def headline_text(stats: GapStats, cfg: Config, *, composite: bool = False) -> str:
    """'80% of leaders vs 24% of customers agree: <label> (gap +56 pp, 95% CI ...)'; with
    three groups '81% of leaders, 58% of frontline staff and 24% of customers agree ...'.
    For the composite, whose label says what is agreed, '... of customers <label> (gap ...)'."""
    main = stats.primary
    groups = list(stats.groups.items())
    # another group without answers (another wave, a missing column) is n/a in the text
    if main.gap is None:
        if composite:
            return "No valid answers to compare: a group answered none of the items"
        return f"No valid answers to compare on: {stats.label}"
    ci = ""
    lo, hi = main.gap_ci
    if lo is not None and hi is not None:
        ci = f", {cfg.confidence:.0%} CI {_pp(lo)} to {_pp(hi)} pp"
    what = stats.label if composite else f"agree: {stats.label}"
    shares = [
        f"{'n/a' if g.share is None else format(g.share, '.0%')} of {cfg.group_label(name)}"
        for name, g in groups
    ]
    ns = ", ".join(f"{g.n:,} {cfg.group_label(name)}{_weighted(g)}" for name, g in groups)
    if len(groups) == 2:
        return f"{shares[0]} vs {shares[1]} {what} (gap {_pp(main.gap)} pp{ci}; n = {ns})"
    which = f"{cfg.group_label(main.a)} - {cfg.group_label(main.b)}"
    return (
        f"{', '.join(shares[:-1])} and {shares[-1]} {what} "
        f"(gap {which} {_pp(main.gap)} pp{ci}; n = {ns})"
    )


def _weighted(stats: GroupStats) -> str:
    """' (weighted, effective n 212)' after a weighted group's n; '' otherwise."""
    w = stats.weighted
    if w is None or w.n_eff is None:
        return ""
    return f" (weighted, effective n {w.n_eff:,.0f})"


def _pp(share: float) -> str:
    """A difference of shares in whole percentage points, signed; never '-0'."""
    return f"{round(share * 100):+d}"


def headline_from_item(item: ItemResult, cfg: Config) -> Headline:
    base = GapStats.model_validate(item.model_dump(exclude={"scale", "importance"}))
    return Headline(**base.model_dump(), source="item", text=headline_text(base, cfg))


@dataclass(frozen=True)
class CompositeGroups:
    """One analysis's composite: every group's counts and how many items it runs over."""

    groups: dict[str, GroupCounts]
    n_items: int


def composite_label(n_items: int) -> str:
    """What the composite counts, in words: 'agree on at least half of the 12 items ...'."""
    return f"agree on at least half of the {n_items} items they answered"


def composite_headline(
    found: CompositeGroups,
    pairs: list[tuple[str, str]],
    cfg: Config,
    weight_ranges: Mapping[str, WeightRange] | None = None,
) -> Headline:
    """The headline from composite counts (see composite_counts); its p-values adjusted
    over its own comparisons. A group's counts with weight sums give a weighted share
    (see :func:`~cxgap.analysis.compare.compare_groups`)."""
    label = composite_label(found.n_items)
    stats = compare_groups(
        ["composite"], [label], {g: [c] for g, c in found.groups.items()}, pairs, cfg,
        weight_ranges=weight_ranges,
    )[0]  # fmt: skip
    stats = stats.model_copy(
        update={
            "groups": {
                g: s.model_copy(update={"mean": None, "distribution": []})
                for g, s in stats.groups.items()
            },
            "comparisons": [c.model_copy(update={"mwu_p": None}) for c in stats.comparisons],
        }
    )
    return Headline(
        **stats.model_dump(), source="composite", text=headline_text(stats, cfg, composite=True)
    )
