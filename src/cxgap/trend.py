"""Waves: one AnalysisResult per wave, and wave-over-wave changes with intervals and tests."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from cxgap._version import __version__
from cxgap.analysis import GROUPS, Prepared, build_result, prepare
from cxgap.config import Config
from cxgap.errors import InputError, UsageError
from cxgap.gaps import GroupCounts, opt, two_proportion_test
from cxgap.headline import EMPTY, composite_counts
from cxgap.importance import derived_importance
from cxgap.io.source import Source
from cxgap.model import AnalysisResult, Change, GapStats, ItemTrend, Measure, TrendResult, WavePoint
from cxgap.stats import adjust_pvalues, newcombe_interval
from cxgap.stats.changes import diff_of_diffs_test, mover_difference
from cxgap.waves import order_waves


@dataclass(frozen=True)
class WaveAnalyses:
    """An AnalysisResult per wave, in wave order."""

    waves: list[str]
    results: dict[str, AnalysisResult]
    warnings: list[str]


def analyze_waves(
    leaders: Source,
    customers: Source,
    config: Config | None = None,
    *,
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
    prep = prepare(leaders, customers, cfg, by_wave=True)
    all_waves = order_waves([w for ws in prep.waves.values() for w in ws], cfg.wave_order or None)
    if not all_waves:
        raise InputError(
            f"no waves: expected a {cfg.wave_column!r} column (set wave_column) in either file",
            file=f"{prep.plans[0].survey.path} / {prep.plans[1].survey.path}",
        )
    composite = None
    if prep.needs_composite(cfg):
        composite = composite_counts(
            prep.plans, prep.codings, prep.rule, prep.warnings, by_wave=True
        )
    results: dict[str, AnalysisResult] = {}
    for wave in all_waves:
        parts, notes, used = [], [], {}
        for group in GROUPS:
            source = _source_wave(prep, group, wave, all_waves)
            used[group] = source
            if source is not None and source != wave and source != "*":
                notes.append(f"wave {wave}: {group} carried forward from {source}")
            parts.append(_wave_counts(prep.counts, group, source))
        counts = pl.concat(parts)
        pair = None
        if composite is not None:
            pair = tuple(_composite_for(composite[g], used[g]) for g in GROUPS)
        waves_info = {g: [wave] for g in GROUPS}
        results[wave] = build_result(prep, counts, cfg, waves_info, pair, notes)  # type: ignore[arg-type]
    if importance_for is not None:
        target = all_waves[-1] if importance_for == "latest" else importance_for
        if target not in results:
            raise UsageError(f"wave {target!r} is not in the data ({', '.join(all_waves)})")
        source = _source_wave(prep, "customers", target, all_waves)
        weights = derived_importance(
            prep.plans[1], prep.codings, cfg.headline_item,
            wave=None if source in ("*", None) else source,
        )  # fmt: skip
        chosen = results[target]
        items = [i.model_copy(update={"importance": weights.get(i.item)}) for i in chosen.items]
        results[target] = chosen.model_copy(update={"items": items})
    return WaveAnalyses(all_waves, results, list(prep.warnings))


def analyze_wave(
    leaders: Source,
    customers: Source,
    config: Config | None = None,
    *,
    wave: str | None = None,
    importance: bool = False,
) -> AnalysisResult:
    """One wave's analysis ("latest" or None: the last wave), with the items and
    scales decided on all waves, exactly as in ``trend``."""
    cfg = config or Config()
    target = wave or "latest"
    analyses = analyze_waves(leaders, customers, cfg, importance_for=target if importance else None)
    chosen = analyses.waves[-1] if target == "latest" else target
    if chosen not in analyses.results:
        raise UsageError(f"wave {chosen!r} is not in the data ({', '.join(analyses.waves)})")
    return analyses.results[chosen]


def _source_wave(prep: Prepared, group: str, wave: str, order: list[str]) -> str | None:
    """Which of the group's waves stands for ``wave``: "*" = all rows (no waves)."""
    mine = prep.waves[group]
    if not mine:
        return "*"
    if wave in mine:
        return wave
    earlier = [w for w in order[: order.index(wave)] if w in mine]
    return earlier[-1] if earlier else None


def _wave_counts(counts: pl.DataFrame, group: str, source: str | None) -> pl.DataFrame:
    mine = counts.filter(pl.col("group") == group)
    if source == "*":
        return mine
    return mine.filter(pl.col("wave") == (source or "\x00no wave"))


def _composite_for(by_wave: dict[str | None, GroupCounts], source: str | None) -> GroupCounts:
    if source == "*":
        return _sum_counts(list(by_wave.values()))
    return by_wave.get(source, EMPTY) if source is not None else EMPTY


def _sum_counts(parts: list[GroupCounts]) -> GroupCounts:
    if not parts:
        return EMPTY
    dist = [sum(p.distribution[i] for p in parts) for i in range(2)]
    return GroupCounts(dist, sum(p.missing for p in parts), [0, 1], 1)


def compare_results(
    earlier: AnalysisResult, later: AnalysisResult, cfg: Config, *, adjust: bool = True
) -> dict[str, list[Change]]:
    """Changes from ``earlier`` to ``later`` for every item both have, and the headline
    (key ``""``): customers' share, leaders' share, and the gap. p-values are adjusted
    across items for each measure; the headline's are not."""
    before = {i.item: i for i in earlier.items}
    names = [i.item for i in later.items if i.item in before]
    pairs: list[tuple[GapStats, GapStats]] = [
        (before[n], next(i for i in later.items if i.item == n)) for n in names
    ]
    out: dict[str, list[Change]] = {n: [] for n in names}
    head = _changes([(earlier.headline, later.headline)], earlier, later, cfg, adjust=False)
    out[""] = head[0]
    for k, changes in enumerate(_changes(pairs, earlier, later, cfg, adjust=adjust)):
        out[names[k]] = changes
    return out


def _changes(
    pairs: Sequence[tuple[GapStats, GapStats]],
    earlier: AnalysisResult,
    later: AnalysisResult,
    cfg: Config,
    *,
    adjust: bool,
) -> list[list[Change]]:
    if not pairs:
        return []
    w0 = _wave_name(earlier)
    w1 = _wave_name(later)
    rows: list[list[Change]] = [[] for _ in pairs]
    for measure in ("customers_share", "leaders_share"):
        group = measure.split("_")[0]
        x0, n0 = _counts(pairs, 0, group)
        x1, n1 = _counts(pairs, 1, group)
        lo, hi = newcombe_interval(x1, n1, x0, n0, cfg.confidence)
        with np.errstate(divide="ignore", invalid="ignore"):
            change = x1 / n1 - x0 / n0
        p, exact = two_proportion_test(x1, n1, x0, n0)
        tests = ["fisher_exact" if e else "score" for e in exact]
        _append(rows, w0, w1, measure, change, lo, hi, p, tests, cfg, adjust)
    gaps0 = [_gap_triplet(a) for a, _ in pairs]
    gaps1 = [_gap_triplet(b) for _, b in pairs]
    g1, l1, u1 = (np.array(v, dtype=np.float64) for v in zip(*gaps1, strict=True))
    g0, l0, u0 = (np.array(v, dtype=np.float64) for v in zip(*gaps0, strict=True))
    lo, hi = mover_difference(g1, l1, u1, g0, l0, u0)
    xl1, nl1 = _counts(pairs, 1, "leaders")
    xc1, nc1 = _counts(pairs, 1, "customers")
    xl0, nl0 = _counts(pairs, 0, "leaders")
    xc0, nc0 = _counts(pairs, 0, "customers")
    p = diff_of_diffs_test(np.vstack([xl1, xc1, xl0, xc0]), np.vstack([nl1, nc1, nl0, nc0]))
    tests = ["wald_diff_of_diffs"] * len(pairs)
    _append(rows, w0, w1, "gap", g1 - g0, lo, hi, p, tests, cfg, adjust)
    return rows


def _append(
    rows: list[list[Change]],
    w0: str,
    w1: str,
    measure: Measure,
    change: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    p: np.ndarray,
    tests: list[str],
    cfg: Config,
    adjust: bool,
) -> None:
    padj = adjust_pvalues(p, cfg.adjust) if adjust else p
    for k, row in enumerate(rows):
        pa = opt(padj[k])
        row.append(
            Change(
                from_wave=w0,
                to_wave=w1,
                measure=measure,
                change=opt(change[k]),
                ci=(opt(lo[k]), opt(hi[k])),
                p_value=opt(p[k]),
                p_adjusted=pa,
                test=tests[k] if not math.isnan(p[k]) else None,
                significant=pa is not None and pa < cfg.alpha,
            )
        )


def _wave_name(result: AnalysisResult) -> str:
    waves = result.customers.waves or result.leaders.waves
    return waves[0] if len(waves) == 1 else "baseline"


def _counts(
    pairs: Sequence[tuple[GapStats, GapStats]], side: int, group: str
) -> tuple[np.ndarray, np.ndarray]:
    stats = [getattr(pair[side], group) for pair in pairs]
    return (
        np.array([s.agree for s in stats], dtype=np.float64),
        np.array([s.n for s in stats], dtype=np.float64),
    )


def _gap_triplet(stats: GapStats) -> tuple[float, float, float]:
    lo, hi = stats.gap_ci
    return (
        math.nan if stats.gap is None else stats.gap,
        math.nan if lo is None else lo,
        math.nan if hi is None else hi,
    )


def trend(
    leaders: Source,
    customers: Source,
    config: Config | None = None,
) -> TrendResult:
    """Each wave's shares and gap per item and for the headline, and the change from
    each wave to the next, with intervals and tests (adjusted across items)."""
    cfg = config or Config()
    analyses = analyze_waves(leaders, customers, cfg)
    waves = analyses.waves
    results = [analyses.results[w] for w in waves]
    changes = [compare_results(a, b, cfg) for a, b in itertools.pairwise(results)]
    first = results[-1]
    names = [i.item for i in first.items]
    items = [
        ItemTrend(
            item=name,
            label=next(i.label for i in first.items if i.item == name),
            points=[_point(w, r, name) for w, r in zip(waves, results, strict=True)],
            changes=[c for step in changes for c in step.get(name, [])],
        )
        for name in names
    ]
    headline = ItemTrend(
        item=first.headline.item,
        label=first.headline.label,
        points=[_point(w, r, None) for w, r in zip(waves, results, strict=True)],
        changes=[c for step in changes for c in step[""]],
    )
    notes = [w for r in results for w in r.warnings if w.startswith("wave ")]
    return TrendResult(
        cxgap_version=__version__,
        settings=first.settings,
        waves=waves,
        headline=headline,
        items=items,
        warnings=[*analyses.warnings, *notes],
    )


def _point(wave: str, result: AnalysisResult, item: str | None) -> WavePoint:
    stats: GapStats = (
        result.headline if item is None else next(i for i in result.items if i.item == item)
    )
    return WavePoint(
        wave=wave,
        leaders=stats.leaders,
        customers=stats.customers,
        gap=stats.gap,
        gap_ci=stats.gap_ci,
    )
