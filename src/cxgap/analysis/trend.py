"""Trend: wave-over-wave changes with intervals and tests, from each wave's analysis."""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cxgap._version import __version__
from cxgap.analysis.by_wave import (
    WaveAnalyses,
    analyze_waves,
)
from cxgap.analysis.compare import design_counts, opt
from cxgap.config import Config
from cxgap.counts import Input
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
from cxgap.stats import ArrayLike, Floats, adjust_pvalues
from cxgap.stats._normal import z_for_confidence
from cxgap.stats.changes import combination_interval, combination_test


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
    """The same counts, and for weighted groups the same weights (weighted share and weight
    sum, up to a report's rounding): weights of 1 and real weights are other samples."""
    if (a.n, a.missing, a.agree, a.distribution) != (b.n, b.missing, b.agree, b.distribution):
        return False
    wa, wb = a.weighted, b.weighted
    if wa is None or wb is None:
        return wa is None and wb is None
    return (
        a.share is not None
        and b.share is not None
        and math.isclose(a.share, b.share, rel_tol=1e-9, abs_tol=1e-12)
        and math.isclose(wa.weight_sum, wb.weight_sum, rel_tol=1e-9)
    )


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
    change: list[float]
    lo: list[float]
    hi: list[float]
    p: list[float]
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
    gap_small = [a or b for a, b in zip(small[signs[0][0]], small[signs[1][0]], strict=True)]
    live = [(g, sign) for g, sign in signs if g not in same]
    if not live:
        note = "both groups' answers are the same in both waves: the gap cannot change"
        _append_none(rows, w0, w1, "gap", gap_small, note)
    elif len(live) == 1:  # the gap's change is that group's change, signed
        group, sign = live[0]
        m = shares[group]
        lo, hi = (m.lo, m.hi) if sign > 0 else ([-v for v in m.hi], [-v for v in m.lo])
        change = [sign * v for v in m.change]
        _append(
            rows, w0, w1, "gap", _Measured(change, lo, hi, m.p, m.tests), gap_small, cfg, adjust
        )
    else:
        coef, x, n = gap_change_terms(pairs, live)
        z = z_for_confidence(cfg.confidence)
        change, lo, hi = combination_interval(coef, x, n, z)
        p = combination_test(coef, x, n, 0.0)
        tests = [None if math.isnan(v) else "mover_inverted" for v in p]
        _append(rows, w0, w1, "gap", _Measured(change, lo, hi, p, tests), gap_small, cfg, adjust)
    return rows


def share_change_interval(
    x1: ArrayLike, n1: ArrayLike, x0: ArrayLike, n0: ArrayLike, confidence: float
) -> tuple[Floats, Floats, Floats]:
    """A share's change (x1/n1 later, x0/n0 earlier) and its Newcombe interval with
    continuity-corrected Wilson limits (:func:`combination_interval`), the interval
    :func:`share_change_test` inverts."""
    z = z_for_confidence(confidence)
    return combination_interval([1.0, -1.0], [x1, x0], [n1, n0], z)


def share_change_test(x1: ArrayLike, n1: ArrayLike, x0: ArrayLike, n0: ArrayLike) -> Floats:
    """Two-sided p of "no change" in a share (x1/n1 later, x0/n0 earlier), by inverting
    the interval printed beside it (:func:`share_change_interval`): p < 1 - confidence
    exactly when that interval excludes 0. (The score or Fisher test can disagree with
    the interval at the edges: a star beside an interval that holds 0, or none beside one that
    excludes it.)"""
    return combination_test([1.0, -1.0], [x1, x0], [n1, n0], 0.0)


def gap_change_terms(
    pairs: Sequence[tuple[GapStats, GapStats]], signs: Sequence[tuple[str, float]]
) -> tuple[list[float], list[list[float]], list[list[float]]]:
    """Terms of the gap's change (later minus earlier) over the signed groups, for
    :func:`combination_interval`: coefficients, agree counts and sizes (terms, k)."""
    coef: list[float] = []
    xs: list[list[float]] = []
    ns: list[list[float]] = []
    for group, gap_sign in signs:
        for side, sign in ((1, gap_sign), (0, -gap_sign)):
            x, n = _counts(pairs, side, group)
            coef.append(sign)
            xs.append(x)
            ns.append(n)
    return coef, xs, ns


def _small(pairs: Sequence[tuple[GapStats, GapStats]], group: str, min_n: int) -> list[bool]:
    _, n0 = _counts(pairs, 0, group)
    _, n1 = _counts(pairs, 1, group)
    return [a < min_n or b < min_n for a, b in zip(n0, n1, strict=True)]


def _append(
    rows: list[list[Change]],
    w0: str,
    w1: str,
    measure: Measure,
    m: _Measured,
    small: list[bool],
    cfg: Config,
    adjust: bool,
) -> None:
    padj: list[float] = adjust_pvalues(m.p, cfg.adjust) if adjust else m.p
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
                small_n=small[k],
            )
        )


def _append_none(
    rows: list[list[Change]], w0: str, w1: str, measure: Measure, small: list[bool], note: str
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
                small_n=small[k],
                note=note,
            )
        )


def _wave_name(result: AnalysisResult) -> str:
    waves = next((g.waves for g in reversed(result.groups) if g.waves), [])
    return waves[0] if len(waves) == 1 else "baseline"


def _counts(
    pairs: Sequence[tuple[GapStats, GapStats]], side: int, group: str
) -> tuple[list[float], list[float]]:
    """Agree counts and sizes; a weighted group's carry its design-based variance
    (:func:`~cxgap.analysis.compare.design_counts`)."""
    found = [design_counts(pair[side].groups[group]) for pair in pairs]
    return [x for x, _ in found], [n for _, n in found]


def trend(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    groups: Mapping[str, Input] | None = None,
    source: str = "auto",
) -> TrendResult:
    """Each wave's shares and gap per item and for the headline, and the change from
    each wave to the next, with intervals and tests (adjusted across items). ``groups``
    and ``source`` as for :func:`cxgap.analyze`."""
    cfg = config or Config()
    return trend_of(analyze_waves(leaders, customers, cfg, groups=groups, source=source), cfg)


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
        johari={
            w: r.priorities.johari[0]
            for w, r in zip(waves, results, strict=True)
            if r.priorities is not None and r.priorities.johari
        },
    )


def _point(wave: str, result: AnalysisResult, item: str | None) -> WavePoint:
    stats: GapStats = (
        result.headline if item is None else next(i for i in result.items if i.item == item)
    )
    return WavePoint(
        wave=wave, groups=stats.groups, gap=stats.primary.gap, gap_ci=stats.primary.gap_ci
    )
