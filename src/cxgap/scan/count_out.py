"""The counts file of the groups' exports: one preparation of the rows (see
:mod:`cxgap.scan.prepare`) written as the counts table and what the row passes hold
(see :mod:`cxgap.counts`)."""

from __future__ import annotations

from collections.abc import Mapping

from cxgap.config import Config
from cxgap.counts import Input, StoredPasses, encode
from cxgap.scan.prepare import group_inputs, prepare


def count(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    groups: Mapping[str, Input] | None = None,
    source: str = "auto",
) -> bytes:
    """The counts file of the groups' exports (see :mod:`cxgap.counts`): counted by wave,
    with the composite headline's tallies (no headline item) or the customers' cross-tab
    against the headline item (for derived importance). ``groups`` adds groups by name
    (``{"frontline": path}``). Written with ``cxgap counts``; ``analyze_counts(path)``
    analyses it as the exports."""
    cfg = config or Config()
    inputs = group_inputs(leaders, customers, cfg, groups)
    prep = prepare(inputs, cfg, source=source, crosstab=True, segments=True)
    stored = StoredPasses()
    if prep.needs_composite():
        found = prep.composite(by_wave=True)
        tallies = found.tallies.sort("group", "wave", nulls_last=False)
        stored = StoredPasses(composite=tallies, composite_votes=found.votes)
    elif prep.headline_item is not None:
        table = prep.crosstab(cfg)
        crossed = {p.group: prep.crosstab(cfg, p.group) for p in prep.plans[:-1]}
        others = {g: t for g, t in crossed.items() if t is not None}
        stored = StoredPasses(
            crosstab=table, crosstab_by=prep.headline_item, group_crosstabs=others
        )
    sniffed = [(n.item, n.reason, n.fit, n.kind) for n in prep.presniffed]
    table = prep.counts if prep.segmented is None else prep.segmented
    firsts = {g: b.first for g, b in prep.blank_waves.items() if b.first is not None}
    return encode(prep.plans, table, sniffed, stored, cfg, prep.weight_ranges,
                  prep.wave_weight_ranges, firsts, prep.weight_notes)  # fmt: skip
