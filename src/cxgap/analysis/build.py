"""``analyze``: each group's survey export in, one :class:`AnalysisResult` out.

The flow: plan each file's columns -> one streaming pass per file to a counts
table -> decide each item's scale on the counts -> every statistic from the
coded counts, over all items at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import polars as pl

from cxgap._version import __version__
from cxgap.analysis.compare import WeightRange, compare_groups
from cxgap.analysis.findings import findings_of
from cxgap.analysis.headline import CompositeGroups, composite_headline, headline_from_item
from cxgap.analysis.importance import importance_from_crosstab
from cxgap.analysis.nps import nps_items, nps_results, nps_warnings
from cxgap.analysis.priorities import priorities_of
from cxgap.code.coding import ItemCoding, code_counts
from cxgap.code.tallies import EMPTY, coded_cells, group_counts
from cxgap.config import Config
from cxgap.counts import CountsFile, Input
from cxgap.io.plan import FilePlan
from cxgap.model import (
    AnalysisResult,
    Excluded,
    GroupInfo,
    ItemResult,
    Pair,
    ScaleInfo,
    Settings,
)
from cxgap.model.segments import SegmentBreakdown
from cxgap.model.units import UnitView
from cxgap.scales import AgreeRule
from cxgap.scan.blank_waves import blank_wave_notes
from cxgap.scan.prepare import Prepared, group_inputs, prepare
from cxgap.stats.design import DesignMean


def analyze(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    groups: Mapping[str, Input] | None = None,
    importance: bool = False,
    source: str = "auto",
) -> AnalysisResult:
    """Compare the groups' answers item by item: leaders, customers and any other group.

    Parameters
    ----------
    leaders, customers : path or opened SurveyFile
        The two exports (CSV or Parquet, detected from content).
    config : Config, optional
        Settings; defaults when omitted (``cxgap.load_config`` reads a file).
        ``[groups.NAME]`` in it adds groups from files or values of group_column.
    groups : mapping, optional
        More groups by name, e.g. ``{"frontline": "frontline.csv"}``; placed by the
        config's group order (default: leaders, the other groups, customers).
    importance : bool
        Also derive each item's importance (its correlation with the headline
        item among customers): one more pass over the customers' file.
    source : str
        "auto" (detect from content) or a format/layout name, as ``--source``.

    Raises
    ------
    cxgap.errors.CxgapError
        For unreadable input, answers that fit no scale, or bad config; the
        message names the file, row and column.
    """
    cfg = config or Config()
    inputs = group_inputs(leaders, customers, cfg, groups)
    prep = prepare(inputs, cfg, by_wave=False, source=source, crosstab=importance,
                   segments=bool(cfg.count_keys()))  # fmt: skip
    return analyze_prepared(prep, cfg, importance)


def analyze_counts(
    path: str | Path, config: Config | None = None, *, importance: bool = False
) -> AnalysisResult:
    """:func:`analyze` on a counts file written by :func:`count` (``cxgap counts``): the
    same result as on the exports it was counted from."""
    cfg = config or Config()
    prep = prepare({"counts": CountsFile(Path(path))}, cfg, by_wave=False)
    return analyze_prepared(prep, cfg, importance)


def analyze_prepared(prep: Prepared, cfg: Config, importance: bool = False) -> AnalysisResult:
    """The analysis of all rows, from files already counted (see :func:`prepare`)."""
    if cfg.rake is not None:
        from cxgap.analysis.raking import rake_prepared  # only when raking

        rake_prepared(prep, cfg)
    composite = None
    if prep.needs_composite():
        found = prep.composite(by_wave=False)
        composite = CompositeGroups(
            {g: found.counts[g][None] for g in prep.groups}, len(found.items)
        )
    blanks = blank_wave_notes(prep.blank_waves, "pooled")
    result = build_result(prep, prep.counts, cfg, prep.waves, composite, blanks,
                          segmented=prep.segmented)  # fmt: skip
    if importance:
        weights = importance_from_crosstab(prep.crosstab(cfg), prep.codings, prep.headline_for(cfg))
        items = [i.model_copy(update={"importance": weights.get(i.item)}) for i in result.items]
        notes = [*result.warnings, *raked_importance_note(prep)]
        result = result.model_copy(update={"items": items, "warnings": notes})
    own = None
    if importance:
        from cxgap.analysis.stated import own_importance

        own = own_importance(prep, cfg, against_group(prep, cfg))
    return priorities_of(result, cfg, importance_asked=importance, own=own)


def against_group(prep: Prepared, cfg: Config) -> str:
    """The group whose importance is held against the reference group's: the headline
    comparison's other group (leaders)."""
    a, b = prep.pairs(cfg)[0]
    return a if a != prep.reference.group else b


def raked_importance_note(prep: Prepared) -> list[str]:
    """What derived importance is weighted by when its group is raked: the cross-tab holds
    no rake cells, so the weights before raking."""
    if prep.raked is None:
        return []
    return [
        f"derived importance is the {prep.raked.group}' correlation with their weights "
        "before raking (raking runs on the counts, whose cross-tab keeps no rake cells)"
    ]


def build_result(
    prep: Prepared,
    counts: pl.DataFrame,
    cfg: Config,
    waves: dict[str, list[str]],
    composite: CompositeGroups | None,
    extra_warnings: Sequence[str] = (),
    *,
    segmented: pl.DataFrame | None = None,
    ranges: Mapping[str, WeightRange] | None = None,
) -> AnalysisResult:
    """The AnalysisResult for these counts (all of them, or one wave's); the gap per
    segment from ``segmented`` (the same counts with their segment keys) when the config
    names segment columns; the weights' ranges ``ranges`` (default: the whole files')."""
    rule = prep.rule
    plans = prep.plans
    pairs = prep.pairs(cfg)
    warnings = [*prep.warnings, *extra_warnings]
    coded = code_counts(counts, prep.codings)
    ranges = weight_ranges(prep) if ranges is None else ranges
    designs: dict[tuple[str, str], DesignMean] = {}
    raking: list[str] = []
    report = None
    if prep.raked is not None:
        from cxgap.analysis.raking import raked_designs, report_of  # only when raked

        designs, raking = raked_designs(prep, waves)
        report = report_of(prep.raked)
    items = _item_results(coded, prep, cfg, pairs, ranges, designs)
    labels = {i.item: i.label for i in items}
    chosen = nps_items(prep.codings, labels, cfg)
    weighted = {g: g in prep.weighted for g in prep.groups}
    nps = nps_results(coded, chosen, labels, prep.groups, pairs, cfg, weighted)
    warnings.extend(nps_warnings(chosen, prep.codings, cfg))
    warnings.extend(_data_warnings(items, plans, waves))

    segments, units, notes = _segments(prep, segmented, cfg, labels, [i.item for i in items],
                                       set(chosen))  # fmt: skip
    warnings.extend(notes)
    head = next((i for i in items if i.item == prep.headline_item), None)
    if head is not None:
        headline = headline_from_item(head, cfg)
    else:
        empty = CompositeGroups(dict.fromkeys(prep.groups, EMPTY), 0)
        headline = composite_headline(composite or empty, pairs, cfg, ranges)
    return AnalysisResult(
        cxgap_version=__version__,
        settings=Settings(
            confidence=cfg.confidence,
            alpha=round(cfg.alpha, 12),
            agree=rule.describe(),
            adjust=cfg.adjust,
            min_gap_pp=cfg.min_gap_pp,
            default_scale=cfg.scale_for("").name if cfg.scale_is_set else "auto",
        ),
        groups=[_group_info(p, counts, waves, cfg) for p in plans],
        comparisons=[Pair(a=a, b=b) for a, b in pairs],
        headline=headline,
        items=items,
        findings=findings_of(items, pairs, cfg),
        excluded=Excluded(
            only_in={p.group: prep.only[p.group] for p in plans},
            not_items={s.item: s.reason for s in prep.skipped},
        ),
        warnings=[*warnings, *raking],
        nps=nps,
        segments=segments,
        raking=report,
        units=units,
    )


def _segments(
    prep: Prepared,
    segmented: pl.DataFrame | None,
    cfg: Config,
    labels: Mapping[str, str],
    order: Sequence[str],
    nps: Collection[str] = (),
) -> tuple[list[SegmentBreakdown], UnitView | None, list[str]]:
    """The gap per segment of each segment column and the per-unit view (the unit
    column's), items in the items table's ``order``; and warnings (a column the reference
    group's file lacks; a unit column no other group's file has)."""
    if not cfg.breakdown_columns() or segmented is None:
        return [], None, []
    from cxgap.analysis.segments import segment_results  # only when segmented

    found, warnings = segment_results(segmented, prep.codings, labels, prep.groups,
                                      prep.pairs(cfg), cfg, prep.rule, prep.weighted)  # fmt: skip
    at = {item: k for k, item in enumerate(order)}
    found = [b.model_copy(update={"items": sorted(b.items, key=lambda i: at[i.item])})
             for b in found]  # fmt: skip
    segments = [b for b in found if b.column in cfg.segment_columns]
    unit = next((b for b in found if b.column == cfg.unit_column), None)
    if unit is None:
        return segments, None, warnings
    from cxgap.analysis.units import unit_view

    view = unit_view(unit, prep.pairs(cfg), cfg, nps)
    if not view.comparisons:
        others = [prep.groups[0]] if len(prep.groups) == 2 else prep.groups[:-1]
        warnings.append(
            f"--unit {unit.column}: the {' and '.join(others)}' file has no {unit.column!r} "
            f"column, so there is no per-unit view (it sets each unit's {others[0]} against "
            f"its own customers); the gap by {unit.column} is shown as a segment table, the "
            f"{others[0]}' overall figure in every unit"
        )
    return segments, view, warnings


def _item_results(
    coded: pl.DataFrame,
    prep: Prepared,
    cfg: Config,
    pairs: list[tuple[str, str]],
    ranges: Mapping[str, WeightRange],
    designs: Mapping[tuple[str, str], DesignMean],
) -> list[ItemResult]:
    codings, rule, plans = prep.codings, prep.rule, prep.plans
    groups = group_counts(coded_cells(coded), codings, rule, prep.groups, prep.weighted, designs)
    labels = [_label(c.item, cfg, plans) for c in codings]
    gaps = compare_groups(
        [c.item for c in codings], labels, groups, pairs, cfg, weight_ranges=ranges
    )
    results = [
        ItemResult(**gap.model_dump(), scale=_scale_info(c, rule))
        for gap, c in zip(gaps, codings, strict=True)
    ]
    return sorted(results, key=lambda r: (r.primary.gap is None, -(r.primary.gap or 0.0), r.item))


def weight_ranges(prep: Prepared) -> dict[str, WeightRange]:
    """Each weighted group's (smallest, largest) weight, as its counting pass found it (a
    counts file keeps them too)."""
    out: dict[str, WeightRange] = {}
    for plan in prep.plans:
        found = prep.weight_ranges.get(plan.group)
        if plan.group in prep.weighted and found is not None and prep.raked is None:
            out[plan.group] = (float(found[0]), float(found[1]))
    return out


def wave_weight_ranges(prep: Prepared, used: Mapping[str, object]) -> dict[str, WeightRange]:
    """Each weighted group's weight range in the wave its counts come from (``used``: group
    to wave label): the file's when the file has that one wave; none when the counting
    pass did not take it per wave (a figure of all waves is no figure of one)."""
    out: dict[str, WeightRange] = {}
    for group, whole in weight_ranges(prep).items():
        source = used.get(group)
        found = (
            prep.wave_weight_ranges.get(group, {}).get(source) if isinstance(source, str) else None
        )
        if found is not None:
            out[group] = found
        elif len(prep.waves.get(group, [])) <= 1:
            out[group] = whole
    return out


def _scale_info(coding: ItemCoding, rule: AgreeRule) -> ScaleInfo:
    scale = coding.scale
    return ScaleInfo(
        name=scale.name,
        codes=list(scale.codes),
        labels=list(scale.labels) if scale.labels else None,
        agree_from=rule.threshold(scale),
        source=coding.source,
        reason=coding.reason,
    )


def _label(item: str, cfg: Config, plans: Sequence[FilePlan] = ()) -> str:
    """The item's wording: from the config, else from the customers' (then the leaders')
    export, else the item name as written (case and underscores kept: "STEM_outreach")."""
    spec = cfg.items.get(item)
    if spec is not None and spec.label:
        return spec.label
    for plan in reversed(plans):
        column = plan.items.get(item)
        text = plan.survey.labels.get(column, "") if column else ""
        text = " ".join(text.split())
        if text and text != column:
            return text
    return item


def _group_info(
    plan: FilePlan, counts: pl.DataFrame, waves: dict[str, list[str]], cfg: Config
) -> GroupInfo:
    mine = counts.filter(pl.col("group") == plan.group)
    first_item = next(iter(plan.items), None)
    rows = int(mine.filter(pl.col("item") == first_item)["n"].sum()) if first_item else 0
    return GroupInfo(
        name=plan.group,
        label=cfg.group_label(plan.group),
        path=str(plan.survey.path),
        format=plan.survey.format,
        rows=rows,
        waves=waves[plan.group],
    )


def _data_warnings(
    items: list[ItemResult], plans: list[FilePlan], waves: dict[str, list[str]]
) -> list[str]:
    out: list[str] = []
    for plan in plans:
        if len(waves[plan.group]) > 1:
            out.append(
                f"{plan.group}: {len(waves[plan.group])} waves in column "
                f"{plan.wave_column!r} are pooled"
            )
    columns = {p.group: p.items for p in plans}
    for item in items:
        for group, stats in item.groups.items():
            # (an item without a column in a group's file is said once, when items are decided)
            if stats.n == 0 and item.item in columns.get(group, {item.item: ""}):
                out.append(f"item {item.item!r}: no valid answers from {group}")
    return out
