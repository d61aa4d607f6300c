"""Waves: one AnalysisResult per wave, items and scales decided once on all waves."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

import polars as pl

from cxgap.analysis.build import (
    against_group,
    build_result,
    raked_importance_note,
    wave_weight_ranges,
)
from cxgap.analysis.headline import CompositeGroups
from cxgap.analysis.importance import importance_from_crosstab
from cxgap.analysis.priorities import priorities_of
from cxgap.code.tallies import EMPTY, GroupCounts
from cxgap.config import Config
from cxgap.counts import Input
from cxgap.errors import InputError, UsageError
from cxgap.model import (
    AnalysisResult,
)
from cxgap.scan.blank_waves import blank_wave_notes
from cxgap.scan.prepare import Prepared, group_inputs, prepare
from cxgap.waves import order_waves


class AllRows(Enum):
    """What stands for a wave of a group whose file has no waves: all its rows."""

    ALL = "all rows"


#: The rows that stand for one wave of a group: its own wave or an earlier one carried
#: forward (a label), all its rows (a file without waves), or None (no answers).
WaveSource = str | AllRows | None


@dataclass(frozen=True)
class WaveAnalyses:
    """An AnalysisResult per wave, in wave order."""

    waves: list[str]
    results: dict[str, AnalysisResult]
    warnings: list[str]
    #: Per wave, per group: what stands for it (see WaveSource).
    sources: dict[str, dict[str, WaveSource]] = field(default_factory=dict)

    def same_groups(self, earlier: str, later: str) -> frozenset[str]:
        """Groups whose answers are the same rows in both waves (no waves in their
        file, or carried forward from the same wave)."""
        a, b = self.sources.get(earlier, {}), self.sources.get(later, {})
        return frozenset(g for g in a if a.get(g) is not None and a.get(g) == b.get(g))


def analyze_waves(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    groups: Mapping[str, Input] | None = None,
    importance_for: str | None = None,
    source: str = "auto",
) -> WaveAnalyses:
    """Analyse each wave on its own. Items and scales are decided once, on all waves.

    ``importance_for`` names a wave ("latest" for the last) whose result also gets
    each item's derived importance (one more pass over the customers' file).

    A group whose file has no waves contributes all its rows to every wave; a
    group that lacks a wave carries its latest earlier wave forward (said in the
    warnings); with no earlier wave it has no answers there.
    """
    cfg = config or Config()
    inputs = group_inputs(leaders, customers, cfg, groups)
    prep = prepare(inputs, cfg, crosstab=importance_for is not None, source=source,
                   segments=bool(cfg.count_keys()))  # fmt: skip
    return waves_prepared(prep, cfg, importance_for=importance_for)


def waves_of(prep: Prepared, cfg: Config) -> list[str]:
    """The waves of the headline comparison's groups (leaders and customers), in order
    (empty: the data have no waves). Another group's waves are not waves of the analysis:
    it joins in the waves these hold, carried forward where it lacks one."""
    heads = prep.pairs(cfg)[0]
    found = [w for g in heads for w in prep.waves.get(g, [])]
    return order_waves(found, cfg.wave_order or None)


def no_waves(cfg: Config) -> str:
    return f"no waves: expected a {cfg.wave_column!r} column (set wave_column) in either file"


def waves_prepared(
    prep: Prepared, cfg: Config, *, importance_for: str | None = None
) -> WaveAnalyses:
    """:func:`analyze_waves` on files already counted (:func:`cxgap.scan.prepare.prepare`)."""
    if cfg.rake is not None:
        from cxgap.analysis.raking import rake_prepared  # only when raking

        rake_prepared(prep, cfg)
    all_waves = waves_of(prep, cfg)
    # every group's waves in order: what "earlier" means when a wave is carried forward
    every = order_waves([w for ws in prep.waves.values() for w in ws], cfg.wave_order or None)
    if not all_waves:
        raise InputError(
            no_waves(cfg), file=" / ".join(dict.fromkeys(str(p.survey.path) for p in prep.plans))
        )
    composite = None
    if prep.needs_composite():
        composite = prep.composite(by_wave=True)
    results: dict[str, AnalysisResult] = {}
    sources: dict[str, dict[str, WaveSource]] = {}
    blanks = blank_wave_notes(prep.blank_waves, "waves")
    for wave in all_waves:
        parts, keyed, notes = [], [], list(blanks)
        used: dict[str, WaveSource] = {}
        for group in prep.groups:
            source = _source_wave(prep, group, wave, every)
            used[group] = source
            if isinstance(source, str) and source != wave:
                notes.append(f"wave {wave}: {group} carried forward from {source}")
            parts.append(_wave_counts(prep.counts, group, source))
            if prep.segmented is not None:
                keyed.append(_wave_counts(prep.segmented, group, source))
        counts = pl.concat(parts)
        segmented = pl.concat(keyed) if keyed else None
        found: CompositeGroups | None = None
        if composite is not None:
            counted = {g: _composite_for(composite.counts[g], used[g]) for g in prep.groups}
            found = CompositeGroups(counted, len(composite.items))
        waves_info = {g: [wave] for g in prep.groups}
        sources[wave] = used
        ranges = wave_weight_ranges(prep, used)
        results[wave] = build_result(prep, counts, cfg, waves_info, found, notes,
                                     segmented=segmented, ranges=ranges)  # fmt: skip
    asked = None
    if importance_for is not None:
        target = all_waves[-1] if importance_for == "latest" else importance_for
        asked = target
        if target not in results:
            raise UsageError(f"wave {target!r} is not in the data ({', '.join(all_waves)})")
        source = _source_wave(prep, prep.reference.group, target, every)
        weights = (
            {}  # no answers of the reference group in that wave
            if source is None
            else importance_from_crosstab(
                prep.crosstab(cfg), prep.codings, prep.headline_for(cfg),
                wave=source if isinstance(source, str) else None,
            )
        )  # fmt: skip
        chosen = results[target]
        items = [i.model_copy(update={"importance": weights.get(i.item)}) for i in chosen.items]
        notes = [*chosen.warnings, *raked_importance_note(prep)]
        results[target] = chosen.model_copy(update={"items": items, "warnings": notes})
    own = None
    if asked is not None:
        from cxgap.analysis.stated import own_importance

        group = against_group(prep, cfg)
        source = _source_wave(prep, group, asked, every)
        own = (
            ({}, None, f"no {group} answers in wave {asked} or before")
            if source is None
            else own_importance(prep, cfg, group, wave=source if isinstance(source, str) else None)
        )
    results = {
        wave: priorities_of(found, cfg, importance_asked=wave == asked,
                            own=own if wave == asked else None)
        for wave, found in results.items()
    }  # fmt: skip
    return WaveAnalyses(all_waves, results, [*prep.warnings, *blanks], sources)


def analyze_wave(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    groups: Mapping[str, Input] | None = None,
    wave: str | None = None,
    importance: bool = False,
    source: str = "auto",
) -> AnalysisResult:
    """One wave's analysis ("latest" or None: the last wave), with the items and
    scales decided on all waves, exactly as in ``trend``."""
    cfg = config or Config()
    target = wave or "latest"
    analyses = analyze_waves(
        leaders, customers, cfg, groups=groups,
        importance_for=target if importance else None, source=source,
    )  # fmt: skip
    return wave_result(analyses, target)


def wave_result(analyses: WaveAnalyses, target: str) -> AnalysisResult:
    """The analysis of wave ``target`` ("latest": the last one)."""
    chosen = analyses.waves[-1] if target == "latest" else target
    if chosen not in analyses.results:
        raise UsageError(f"wave {chosen!r} is not in the data ({', '.join(analyses.waves)})")
    return analyses.results[chosen]


def _source_wave(prep: Prepared, group: str, wave: str, order: list[str]) -> WaveSource:
    """What stands for ``wave`` in ``group``'s rows (see WaveSource)."""
    mine = prep.waves[group]
    if not mine:
        return AllRows.ALL
    if wave in mine:
        return wave
    earlier = [w for w in order[: order.index(wave)] if w in mine]
    return earlier[-1] if earlier else None


def _wave_counts(counts: pl.DataFrame, group: str, source: WaveSource) -> pl.DataFrame:
    mine = counts.filter(pl.col("group") == group)
    if source is AllRows.ALL:
        return mine
    if source is None:
        return mine.clear()
    return mine.filter(pl.col("wave") == source)


def _composite_for(by_wave: dict[str | None, GroupCounts], source: WaveSource) -> GroupCounts:
    if source is AllRows.ALL:
        return _sum_counts(list(by_wave.values()))
    return by_wave.get(source, EMPTY) if source is not None else EMPTY


def _sum_counts(parts: list[GroupCounts]) -> GroupCounts:
    if not parts:
        return EMPTY
    dist = [sum(p.distribution[i] for p in parts) for i in range(2)]
    missing = sum(p.missing for p in parts)
    if not all(p.weighted for p in parts):
        return GroupCounts(dist, missing, [0, 1], 1)
    w = [math.fsum((p.w_distribution or [])[i] for p in parts) for i in range(2)]
    w2 = [math.fsum((p.w2_distribution or [])[i] for p in parts) for i in range(2)]
    return GroupCounts(dist, missing, [0, 1], 1, w, w2)
