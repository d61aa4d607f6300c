"""Waves: one AnalysisResult per wave, and wave-over-wave changes with intervals and tests."""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import numpy as np
import polars as pl

from cxgap._version import __version__
from cxgap.analysis import analyze_prepared, build_result
from cxgap.config import Config
from cxgap.counted import Input
from cxgap.errors import InputError, UsageError
from cxgap.gaps import GroupCounts, opt
from cxgap.headline import EMPTY, CompositeGroups
from cxgap.importance import importance_from_crosstab
from cxgap.model import (
    AnalysisResult,
    Change,
    GapStats,
    GroupStats,
    ItemTrend,
    Measure,
    TrendResult,
    WavePoint,
)
from cxgap.prepare import Prepared, group_inputs, prepare
from cxgap.stats import adjust_pvalues
from cxgap.stats._normal import z_for_confidence
from cxgap.stats.changes import combination_interval, combination_test
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
) -> WaveAnalyses:
    """Analyse each wave on its own. Items and scales are decided once, on all waves.

    ``importance_for`` names a wave ("latest" for the last) whose result also gets
    each item's derived importance (one more pass over the customers' file).

    A group whose file has no waves contributes all its rows to every wave; a
    group that lacks a wave carries its latest earlier wave forward (said in the
    warnings); with no earlier wave it has no answers there.
    """
    cfg = config or Config()
    prep = prepare(group_inputs(leaders, customers, cfg, groups), cfg)
    return waves_prepared(prep, cfg, importance_for=importance_for)


def waves_of(prep: Prepared, cfg: Config) -> list[str]:
    """The waves of both files' counts, in order (empty: the data have no waves)."""
    return order_waves([w for ws in prep.waves.values() for w in ws], cfg.wave_order or None)


def no_waves(cfg: Config) -> str:
    return f"no waves: expected a {cfg.wave_column!r} column (set wave_column) in either file"


def waves_prepared(
    prep: Prepared, cfg: Config, *, importance_for: str | None = None
) -> WaveAnalyses:
    """:func:`analyze_waves` on files already counted (:func:`cxgap.prepare.prepare`)."""
    all_waves = waves_of(prep, cfg)
    if not all_waves:
        raise InputError(
            no_waves(cfg), file=" / ".join(dict.fromkeys(str(p.survey.path) for p in prep.plans))
        )
    composite = None
    if prep.needs_composite():
        composite = prep.composite(by_wave=True)
    results: dict[str, AnalysisResult] = {}
    sources: dict[str, dict[str, WaveSource]] = {}
    for wave in all_waves:
        parts, notes = [], []
        used: dict[str, WaveSource] = {}
        for group in prep.groups:
            source = _source_wave(prep, group, wave, all_waves)
            used[group] = source
            if isinstance(source, str) and source != wave:
                notes.append(f"wave {wave}: {group} carried forward from {source}")
            parts.append(_wave_counts(prep.counts, group, source))
        counts = pl.concat(parts)
        found: CompositeGroups | None = None
        if composite is not None:
            counted = {g: _composite_for(composite.counts[g], used[g]) for g in prep.groups}
            found = CompositeGroups(counted, len(composite.items))
        waves_info = {g: [wave] for g in prep.groups}
        sources[wave] = used
        results[wave] = build_result(prep, counts, cfg, waves_info, found, notes)
    if importance_for is not None:
        target = all_waves[-1] if importance_for == "latest" else importance_for
        if target not in results:
            raise UsageError(f"wave {target!r} is not in the data ({', '.join(all_waves)})")
        source = _source_wave(prep, prep.reference.group, target, all_waves)
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
        results[target] = chosen.model_copy(update={"items": items})
    return WaveAnalyses(all_waves, results, list(prep.warnings), sources)


def analyze_wave(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    groups: Mapping[str, Input] | None = None,
    wave: str | None = None,
    importance: bool = False,
) -> AnalysisResult:
    """One wave's analysis ("latest" or None: the last wave), with the items and
    scales decided on all waves, exactly as in ``trend``."""
    cfg = config or Config()
    target = wave or "latest"
    analyses = analyze_waves(
        leaders, customers, cfg, groups=groups, importance_for=target if importance else None
    )
    return _wave_result(analyses, target)


def _wave_result(analyses: WaveAnalyses, target: str) -> AnalysisResult:
    """The analysis of wave ``target`` ("latest": the last one)."""
    chosen = analyses.waves[-1] if target == "latest" else target
    if chosen not in analyses.results:
        raise UsageError(f"wave {chosen!r} is not in the data ({', '.join(analyses.waves)})")
    return analyses.results[chosen]


def analysis_and_trend(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    groups: Mapping[str, Input] | None = None,
    wave: str | None = None,
    importance: bool = True,
) -> tuple[AnalysisResult, TrendResult | None]:
    """What charts, decks and reports show, from one counting pass over each file.

    ``wave`` None: with two or more waves the latest wave and the trend, else the
    analysis of all rows and no trend. ``wave`` "latest" or a label: that wave's
    analysis, and the trend when there are two or more waves. The analysis shown
    carries derived importance unless ``importance`` is False.
    """
    cfg = config or Config()
    prep = prepare(group_inputs(leaders, customers, cfg, groups), cfg)
    if wave is None and len(waves_of(prep, cfg)) < 2:
        return analyze_prepared(prep, cfg, importance), None
    target = wave or "latest"
    analyses = waves_prepared(prep, cfg, importance_for=target if importance else None)
    by_wave = trend_of(analyses, cfg) if len(analyses.waves) > 1 else None
    return _wave_result(analyses, target), by_wave


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
    return GroupCounts(dist, sum(p.missing for p in parts), [0, 1], 1)


def gap_signs(result: AnalysisResult) -> tuple[tuple[str, float], ...]:
    """The headline comparison's gap as a sum of its groups' shares: a minus b."""
    pair = result.comparisons[0]
    return ((pair.a, 1.0), (pair.b, -1.0))


def same_in_reports(earlier: AnalysisResult, later: AnalysisResult) -> frozenset[str]:
    """Groups whose answers in two reports are evidently the same sample: the same
    file and row count, and identical counts on the headline and every shared item."""
    before = {i.item: i for i in earlier.items}
    pairs: list[tuple[GapStats, GapStats]] = [(earlier.headline, later.headline)]
    pairs += [(before[i.item], i) for i in later.items if i.item in before]
    out = []
    for group in later.group_names:
        if group not in earlier.group_names:
            continue
        a, b = earlier.group(group), later.group(group)
        if (a.format, a.rows) != (b.format, b.rows) or not _same_path(a.path, b.path):
            continue
        if all(_same_counts(x.groups[group], y.groups[group]) for x, y in pairs):
            out.append(group)
    return frozenset(out)


def _same_path(a: str, b: str) -> bool:
    """The same file, however it was spelt (relative paths read from the current
    folder, as the run that wrote the report most likely did)."""
    if a == b:
        return True
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, ValueError):
        return False


def _same_counts(a: GroupStats, b: GroupStats) -> bool:
    return (a.n, a.missing, a.agree, a.distribution) == (b.n, b.missing, b.agree, b.distribution)


def same_note(group: str, earlier: str, later: str) -> str:
    return (
        f"{group}: the same answers in {earlier} and {later} (a file without waves, or "
        f"carried forward), so their change is 0 and their share cancels in the gap's change"
    )


def compare_results(
    earlier: AnalysisResult,
    later: AnalysisResult,
    cfg: Config,
    *,
    adjust: bool = True,
    same: Collection[str] = (),
) -> StepChanges:
    """Changes from ``earlier`` to ``later`` for every item both have, and the headline:
    the headline comparison's groups' shares (customers' first) and its gap. p-values are
    adjusted across items for each measure; the headline's are not.

    ``same`` names the groups whose answers are the same sample in both results: their
    own change is 0 (no interval or test, with a note), and their share cancels in the
    gap's change, which is then the other group's change with its interval and test."""
    before = {i.item: i for i in earlier.items}
    names = [i.item for i in later.items if i.item in before]
    pairs: list[tuple[GapStats, GapStats]] = [
        (before[n], next(i for i in later.items if i.item == n)) for n in names
    ]
    head = _changes(
        [(earlier.headline, later.headline)], earlier, later, cfg, adjust=False, same=same
    )
    found = _changes(pairs, earlier, later, cfg, adjust=adjust, same=same)
    return StepChanges(head[0], dict(zip(names, found, strict=True)))


@dataclass(frozen=True)
class StepChanges:
    """The changes from one wave to the next: the headline's, and each item's."""

    headline: list[Change]
    items: dict[str, list[Change]]


@dataclass(frozen=True)
class _Measured:
    change: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    p: np.ndarray
    tests: list[str | None]


def _changes(
    pairs: Sequence[tuple[GapStats, GapStats]],
    earlier: AnalysisResult,
    later: AnalysisResult,
    cfg: Config,
    *,
    adjust: bool,
    same: Collection[str] = (),
) -> list[list[Change]]:
    if not pairs:
        return []
    w0 = _wave_name(earlier)
    w1 = _wave_name(later)
    rows: list[list[Change]] = [[] for _ in pairs]
    signs = gap_signs(later)
    small = {g: _small(pairs, g, cfg.check.min_n) for g, _ in signs}
    shares: dict[str, _Measured] = {}
    for group, _ in reversed(signs):
        measure: Measure = f"{group}_share"
        if group in same:
            _append_none(rows, w0, w1, measure, small[group], same_note(group, w0, w1))
            continue
        x0, n0 = _counts(pairs, 0, group)
        x1, n1 = _counts(pairs, 1, group)
        change, lo, hi = share_change_interval(x1, n1, x0, n0, cfg.confidence)
        p = share_change_test(x1, n1, x0, n0)
        tests: list[str | None] = ["newcombe_inverted"] * len(p)
        shares[group] = _Measured(change, lo, hi, p, tests)
        _append(rows, w0, w1, measure, shares[group], small[group], cfg, adjust)
    gap_small = small[signs[0][0]] | small[signs[1][0]]
    live = [(g, sign) for g, sign in signs if g not in same]
    if not live:
        note = "both groups' answers are the same in both waves: the gap cannot change"
        _append_none(rows, w0, w1, "gap", gap_small, note)
    elif len(live) == 1:  # the gap's change is that group's change, signed
        group, sign = live[0]
        m = shares[group]
        lo, hi = (m.lo, m.hi) if sign > 0 else (-m.hi, -m.lo)
        _append(rows, w0, w1, "gap", _Measured(sign * m.change, lo, hi, m.p, m.tests),
                gap_small, cfg, adjust)  # fmt: skip
    else:
        coef, x, n = gap_change_terms(pairs, live)
        z = z_for_confidence(cfg.confidence)
        change, lo, hi = combination_interval(coef, x, n, z)
        p = combination_test(coef, x, n, 0.0)
        tests = [None if math.isnan(v) else "mover_inverted" for v in p]
        _append(rows, w0, w1, "gap", _Measured(change, lo, hi, p, tests), gap_small, cfg, adjust)
    return rows


def share_change_interval(
    x1: np.ndarray, n1: np.ndarray, x0: np.ndarray, n0: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A share's change (x1/n1 later, x0/n0 earlier) and its Newcombe interval with
    continuity-corrected Wilson limits (:func:`combination_interval`), the interval
    :func:`share_change_test` inverts."""
    coef = np.array([1.0, -1.0])
    z = z_for_confidence(confidence)
    return combination_interval(coef, np.vstack([x1, x0]), np.vstack([n1, n0]), z)


def share_change_test(x1: np.ndarray, n1: np.ndarray, x0: np.ndarray, n0: np.ndarray) -> np.ndarray:
    """Two-sided p of "no change" in a share (x1/n1 later, x0/n0 earlier), by inverting
    the interval printed beside it (:func:`share_change_interval`): p < 1 - confidence
    exactly when that interval excludes 0. (The score or Fisher test can disagree with
    the interval at the edges: a star beside an interval that holds 0, or none beside one that
    excludes it.)"""
    coef = np.array([1.0, -1.0])
    out: np.ndarray = combination_test(coef, np.vstack([x1, x0]), np.vstack([n1, n0]), 0.0)
    return out


def gap_change_terms(
    pairs: Sequence[tuple[GapStats, GapStats]], signs: Sequence[tuple[str, float]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Terms of the gap's change (later minus earlier) over the signed groups, for
    :func:`combination_interval`: coefficients, agree counts and sizes (terms, k)."""
    coef, xs, ns = [], [], []
    for group, gap_sign in signs:
        for side, sign in ((1, gap_sign), (0, -gap_sign)):
            x, n = _counts(pairs, side, group)
            coef.append(sign)
            xs.append(x)
            ns.append(n)
    return np.array(coef, dtype=np.float64), np.vstack(xs), np.vstack(ns)


def _small(pairs: Sequence[tuple[GapStats, GapStats]], group: str, min_n: int) -> np.ndarray:
    _, n0 = _counts(pairs, 0, group)
    _, n1 = _counts(pairs, 1, group)
    out: np.ndarray = (n0 < min_n) | (n1 < min_n)
    return out


def _append(
    rows: list[list[Change]],
    w0: str,
    w1: str,
    measure: Measure,
    m: _Measured,
    small: np.ndarray,
    cfg: Config,
    adjust: bool,
) -> None:
    padj = adjust_pvalues(m.p, cfg.adjust) if adjust else m.p
    for k, row in enumerate(rows):
        pa = opt(padj[k])
        row.append(
            Change(
                from_wave=w0,
                to_wave=w1,
                measure=measure,
                change=opt(m.change[k]),
                ci=(opt(m.lo[k]), opt(m.hi[k])),
                p_value=opt(m.p[k]),
                p_adjusted=pa,
                test=m.tests[k] if not math.isnan(m.p[k]) else None,
                significant=pa is not None and pa < cfg.alpha,
                small_n=bool(small[k]),
            )
        )


def _append_none(
    rows: list[list[Change]], w0: str, w1: str, measure: Measure, small: np.ndarray, note: str
) -> None:
    for k, row in enumerate(rows):
        row.append(
            Change(
                from_wave=w0,
                to_wave=w1,
                measure=measure,
                change=0.0,
                ci=(None, None),
                p_value=None,
                p_adjusted=None,
                test=None,
                significant=False,
                small_n=bool(small[k]),
                note=note,
            )
        )


def _wave_name(result: AnalysisResult) -> str:
    waves = next((g.waves for g in reversed(result.groups) if g.waves), [])
    return waves[0] if len(waves) == 1 else "baseline"


def _counts(
    pairs: Sequence[tuple[GapStats, GapStats]], side: int, group: str
) -> tuple[np.ndarray, np.ndarray]:
    stats = [pair[side].groups[group] for pair in pairs]
    return (
        np.array([s.agree for s in stats], dtype=np.float64),
        np.array([s.n for s in stats], dtype=np.float64),
    )


def trend(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    groups: Mapping[str, Input] | None = None,
) -> TrendResult:
    """Each wave's shares and gap per item and for the headline, and the change from
    each wave to the next, with intervals and tests (adjusted across items)."""
    cfg = config or Config()
    return trend_of(analyze_waves(leaders, customers, cfg, groups=groups), cfg)


def trend_of(analyses: WaveAnalyses, cfg: Config) -> TrendResult:
    """The trend from each wave's analysis (see :func:`trend`)."""
    waves = analyses.waves
    results = [analyses.results[w] for w in waves]
    changes = [
        compare_results(
            analyses.results[a], analyses.results[b], cfg, same=analyses.same_groups(a, b)
        )
        for a, b in itertools.pairwise(waves)
    ]
    first = results[-1]
    same_notes = [
        same_note(g, a, b)
        for a, b in itertools.pairwise(waves)
        for g in first.group_names
        if g in analyses.same_groups(a, b)
    ]
    names = [i.item for i in first.items]
    items = [
        ItemTrend(
            item=name,
            label=next(i.label for i in first.items if i.item == name),
            points=[_point(w, r, name) for w, r in zip(waves, results, strict=True)],
            changes=[c for step in changes for c in step.items.get(name, [])],
        )
        for name in names
    ]
    headline = ItemTrend(
        item=first.headline.item,
        label=first.headline.label,
        points=[_point(w, r, None) for w, r in zip(waves, results, strict=True)],
        changes=[c for step in changes for c in step.headline],
    )
    notes = [w for r in results for w in r.warnings if w.startswith("wave ")]
    return TrendResult(
        cxgap_version=__version__,
        settings=first.settings,
        groups={g.name: g.label for g in first.groups},
        comparison=first.comparisons[0],
        waves=waves,
        headline=headline,
        items=items,
        min_n=cfg.check.min_n,
        warnings=[*analyses.warnings, *notes, *same_notes],
    )


def _point(wave: str, result: AnalysisResult, item: str | None) -> WavePoint:
    stats: GapStats = (
        result.headline if item is None else next(i for i in result.items if i.item == item)
    )
    return WavePoint(
        wave=wave, groups=stats.groups, gap=stats.primary.gap, gap_ci=stats.primary.gap_ci
    )
