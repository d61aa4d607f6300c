"""``analyze``: two survey exports in, one :class:`AnalysisResult` out.

The flow: plan each file's columns -> one streaming pass per file to a counts
table -> decide each item's scale on the counts -> every statistic from the
coded counts, vectorised over items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from cxgap._version import __version__
from cxgap.coding import (
    SNIFF_ROWS,
    ItemCoding,
    NotAnItem,
    Sniff,
    code_counts,
    sniff_items,
)
from cxgap.config import Config
from cxgap.counted import CountsFile, Input, StoredPasses, decode, encode
from cxgap.counts import (
    LAST_BLANKS,
    TALLY,
    count_answers,
    count_query,
    integer_count_query,
    integer_counts_table,
)
from cxgap.errors import DuplicateId, HeaderOnly, InputError, NeedsRows, UsageError
from cxgap.gaps import GroupCounts, compare_groups
from cxgap.headline import (
    EMPTY,
    Composite,
    CompositePair,
    composite_counts,
    composite_headline,
    composite_votes,
    headline_from_item,
    headline_item,
    provisional_votes,
)
from cxgap.importance import crosstab, importance_from_crosstab
from cxgap.io import open_survey
from cxgap.io.source import (
    WIDE_QUERY_COLUMNS,
    DedupedSurvey,
    SurveyFile,
    duplicate_ids,
)
from cxgap.items import decide_items, declared_scales, item_scales, vocabularies
from cxgap.model import (
    AnalysisResult,
    Excluded,
    Findings,
    InputInfo,
    ItemResult,
    ScaleInfo,
    Settings,
)
from cxgap.plan import FilePlan, plan_file
from cxgap.scales import AgreeRule
from cxgap.split import split_by_group

GROUPS = ("leaders", "customers")


def analyze(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    importance: bool = False,
    source: str = "auto",
) -> AnalysisResult:
    """Compare leaders' and customers' answers item by item.

    Parameters
    ----------
    leaders, customers : path or opened SurveyFile
        The two exports (CSV or Parquet, detected from content).
    config : Config, optional
        Settings; defaults when omitted (``cxgap.load_config`` reads a file).
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
    return analyze_prepared(prepare(leaders, customers, cfg, source=source), cfg, importance)


def analyze_counts(
    path: str | Path, config: Config | None = None, *, importance: bool = False
) -> AnalysisResult:
    """:func:`analyze` on a counts file written by :func:`count` (``cxgap counts``): the
    same result as on the exports it was counted from."""
    counted = CountsFile(Path(path))
    return analyze(counted, counted, config, importance=importance)


def analyze_prepared(prep: Prepared, cfg: Config, importance: bool = False) -> AnalysisResult:
    """The analysis of all rows, from files already counted (see :func:`prepare`)."""
    composite = None
    if prep.needs_composite():
        found = prep.composite(by_wave=False)
        composite = CompositePair(
            found.counts["leaders"][None], found.counts["customers"][None], len(found.items)
        )
    result = build_result(prep, prep.counts, cfg, prep.waves, composite)
    if importance:
        weights = importance_from_crosstab(prep.crosstab(cfg), prep.codings, prep.headline_for(cfg))
        items = [i.model_copy(update={"importance": weights.get(i.item)}) for i in result.items]
        result = result.model_copy(update={"items": items})
    return result


@dataclass
class Prepared:
    """Both files counted and every item's scale decided: what each result is built from."""

    plans: list[FilePlan]
    counts: pl.DataFrame
    codings: list[ItemCoding]
    skipped: list[NotAnItem]
    only: dict[str, list[str]]
    warnings: list[str]
    waves: dict[str, list[str]]
    rule: AgreeRule
    #: the analysed item the headline reports (None: the composite headline)
    headline_item: str | None = None
    #: columns the first rows showed are not items (before counting)
    presniffed: list[NotAnItem] = field(default_factory=list)
    #: from a counts file: what the row passes gave when it was counted
    stored: StoredPasses | None = None
    #: the composite headline tallied by the counting pass (waves pooled)
    early: StoredPasses | None = None

    def needs_composite(self) -> bool:
        return self.headline_item is None

    def composite(self, *, by_wave: bool) -> Composite:
        """The composite headline's counts per group (and wave): a pass over the rows,
        or a counts file's tallies."""
        stored = self.stored or self.early
        return composite_counts(
            self.plans, self.codings, self.rule, self.warnings,
            by_wave=by_wave, counts=self.counts, stored=stored,
        )  # fmt: skip

    def crosstab(self, cfg: Config) -> pl.DataFrame | None:
        """The customers' cross-tab of each item against the headline item, per wave."""
        overall = self.headline_for(cfg)
        if self.stored is None:
            return crosstab(self.plans[1], self.codings, overall)
        if self.stored.crosstab is None or self.stored.crosstab_by != overall:
            raise NeedsRows(
                file=self.stored.path,
                what=f"the customers' answers against {overall!r} (derived importance)",
                hint=f"count the exports again with headline_item = {overall!r}",
            )
        return self.stored.crosstab

    def headline_for(self, cfg: Config) -> str:
        """The headline item's name as analysed (for derived importance)."""
        return self.headline_item or cfg.headline_item


def prepare(
    leaders: Input,
    customers: Input,
    cfg: Config,
    *,
    by_wave: bool = False,
    source: str = "auto",
) -> Prepared:
    """Open, plan, sniff and count both files, then decide each item's scale.

    ``by_wave`` keeps the wave of every count (the general pass); otherwise the
    integer fast path may pool waves. ``leaders`` may be a :class:`CountsFile` (then
    ``customers`` is ignored): its counts stand in for the rows.
    """
    if isinstance(leaders, CountsFile):
        found = decode(leaders.path)
        return _decide(found.plans, found.counts, found.presniffed, cfg, found.stored)
    surveys = [_open(s, source, cfg) for s in (leaders, customers)]
    if cfg.group_column:  # one export that both groups answered: split it by the column
        surveys = split_by_group(surveys, cfg)
    plans = [
        _apply_duplicates(plan_file(s, g, cfg), cfg) for s, g in zip(surveys, GROUPS, strict=True)
    ]
    in_both = set(plans[0].items) & set(plans[1].items)
    plans, sniffs = _sniff(plans, cfg)
    samples = {g: sn.sample for g, sn in sniffs.items() if sn.sample is not None}
    votes = provisional_votes(plans, samples, cfg)
    counted = [_count(p, sniffs[p.group], cfg, by_wave=by_wave, votes=votes) for p in plans]
    counts = pl.concat([c.counts for c in counted])
    for plan, c in zip(plans, counted, strict=True):
        blanks = c.last_blanks if c.last_blanks is not None else _last_column_blanks(plan, counts)
        plan.survey.check_ragged(last_column_blanks=blanks)
    waves = {p.group: c.waves for p, c in zip(plans, counted, strict=True)}
    # Columns dropped by the sniff are reported like those the full pass rejects.
    dropped = {n.item: n for p in plans for n in sniffs[p.group].not_items if n.item in in_both}
    prep = _decide(plans, counts, list(dropped.values()), cfg, None, waves)
    tallies = [c.tally for c in counted if c.tally is not None]
    if votes is not None and tallies and prep.needs_composite():
        final, _ = composite_votes(prep.codings, prep.rule, counts, [p.group for p in plans])
        if final == votes:  # the first rows decided the composite as all rows do
            prep.early = StoredPasses(composite=pl.concat(tallies), composite_votes=votes)
        else:
            prep.warnings.append(
                "the composite headline took a second pass over the rows: the first rows "
                "showed other scales than all rows do"
            )
    return prep


def _open(given: Input, source: str, cfg: Config) -> SurveyFile:
    if isinstance(given, SurveyFile):
        return given
    if isinstance(given, CountsFile):
        raise UsageError(f"{given.path}: a counts file holds both groups; give it alone")
    return open_survey(given, source, wave_column=cfg.wave_column)


def _decide(
    plans: list[FilePlan],
    counts: pl.DataFrame,
    presniffed: list[NotAnItem],
    cfg: Config,
    stored: StoredPasses | None,
    waves: dict[str, list[str]] | None = None,
) -> Prepared:
    """Each item's scale decided on the counts (from rows or from a counts file)."""
    if waves is None:
        waves = {
            p.group: sorted(
                set(counts.filter(pl.col("group") == p.group)["wave"].drop_nulls().to_list())
            )
            for p in plans
        }
    codings, skipped, only, warnings = decide_items(counts, plans, cfg, presniffed)
    # The same file may serve both groups: say each note once.
    warnings = list(dict.fromkeys([n for p in plans for n in p.survey.notes] + warnings))
    return Prepared(
        plans,
        counts,
        codings,
        skipped,
        only,
        warnings,
        waves,
        AgreeRule.parse(cfg.agree),
        headline_item(cfg, codings, plans, skipped),
        presniffed,
        stored,
    )


def count(
    leaders: Input, customers: Input, config: Config | None = None, *, source: str = "auto"
) -> bytes:
    """The counts file of two exports (see :mod:`cxgap.counted`): counted by wave, with
    the composite headline's tallies (no headline item) or the customers' cross-tab
    against the headline item (for derived importance). Written with ``cxgap counts``;
    ``analyze(CountsFile(path), None)`` analyses it as the exports."""
    cfg = config or Config()
    prep = prepare(leaders, customers, cfg, by_wave=True, source=source)
    stored = StoredPasses()
    if prep.needs_composite():
        found = prep.composite(by_wave=True)
        rows = [
            (group, wave, sum(c.distribution), c.agree, c.missing)
            for group, by_wave in found.counts.items()
            for wave, c in by_wave.items()
        ]
        tallies = pl.DataFrame(
            rows, schema=["group", "wave", "n", "agree", "missing"], orient="row"
        ).sort("group", "wave", nulls_last=False)
        stored = StoredPasses(composite=tallies, composite_votes=found.votes)
    elif prep.headline_item is not None:
        table = prep.crosstab(cfg)
        stored = StoredPasses(crosstab=table, crosstab_by=prep.headline_item)
    return encode(prep.plans, prep.counts, prep.presniffed, stored)


def _no_rows(survey: SurveyFile) -> bool:
    """Whether the file really has no responses: polars also returns no rows from a
    malformed CSV (a stray quote), and only reading the cells says which it is."""
    found = survey.collect(survey.scan([]).select(pl.all().count()))
    return not any(found.row(0)) if found.height else True


def _last_column(plan: FilePlan) -> str | None:
    """The file's last column when it is no item (its blanks are then counted apart)."""
    if plan.survey.parts() != [plan.survey] or not plan.survey.columns:
        return None
    last = plan.survey.columns[-1]
    return None if last in plan.items.values() else last


def _last_column_blanks(plan: FilePlan, counts: pl.DataFrame) -> int | None:
    """Blank cells in the file's last column, when its every row was counted (else None).

    A line with too few fields leaves the last column blank, so none there proves the
    file has no short line without reading it again.
    """
    if plan.survey.parts() != [plan.survey] or not plan.survey.columns:
        return None
    last = plan.survey.columns[-1]
    item = next((i for i, c in plan.items.items() if c == last), None)
    if item is None:
        return None
    blank = counts.filter(
        (pl.col("group") == plan.group) & (pl.col("item") == item) & pl.col("value").is_null()
    )
    return int(blank["n"].sum())


def _apply_duplicates(plan: FilePlan, cfg: Config) -> FilePlan:
    """The duplicates policy: stop on repeated respondent ids, or keep the first/last."""
    if cfg.duplicates == "unchecked" or plan.id_column is None:
        return plan
    if cfg.duplicates == "error":
        extra, examples = duplicate_ids(plan.survey, plan.id_column)
        if extra:
            raise DuplicateId(
                file=plan.survey.path,
                extra=extra,
                examples=", ".join(examples),
                column=plan.id_column,
                hint='to keep one row of each, set duplicates = "keep_first" (or "keep_last")',
            )
        return plan
    keep = "first" if cfg.duplicates == "keep_first" else "last"
    extra, _ = duplicate_ids(plan.survey, plan.id_column)
    survey = DedupedSurvey(plan.survey, plan.id_column, keep)
    if extra:
        survey.notes = [*survey.notes, f"{plan.survey.path}: {extra} repeated respondent id(s); "
                        f"kept the {keep} row of each"]  # fmt: skip
    return replace(plan, survey=survey)


def _sniff(plans: list[FilePlan], cfg: Config) -> tuple[list[FilePlan], dict[str, Sniff]]:
    """Sniff each file's first rows: drop obvious non-items, spot integer-only columns.

    A wide file is not sniffed: it takes the general counting pass anyway (see _count),
    which judges every column on all its rows, and sniffing its first rows would cost
    as much as counting them.
    """
    out: list[FilePlan] = []
    sniffs: dict[str, Sniff] = {}
    for plan in plans:
        if len(plan.items) > WIDE_QUERY_COLUMNS:
            if not plan.survey.head(1).height and _no_rows(plan.survey):
                raise HeaderOnly(file=plan.survey.path)
            out.append(plan)
            sniffs[plan.group] = Sniff(frozenset(), [], {})
            continue
        head = plan.survey.head(SNIFF_ROWS)
        if not head.height and _no_rows(plan.survey):
            raise HeaderOnly(file=plan.survey.path)
        sniff = sniff_items(
            head,
            plan.items,
            default_scale=cfg.scale_for(""),
            item_scales=item_scales(cfg),
            vocabularies=vocabularies(cfg),
            non_answers=cfg.non_answers,
            strict=plan.named,
            declared=declared_scales([plan], cfg),
            scale_set=cfg.scale_is_set,
        )
        gone = {n.item for n in sniff.not_items}
        out.append(replace(plan, items={k: v for k, v in plan.items.items() if k not in gone}))
        sniffs[plan.group] = sniff
    return out, sniffs


@dataclass(frozen=True)
class _Counted:
    counts: pl.DataFrame
    waves: list[str]
    #: the composite headline's tally, when the pass could take it (see provisional_votes)
    tally: pl.DataFrame | None = None
    #: blank cells in the file's last column, when the pass counted them
    last_blanks: int | None = None


def _count(
    plan: FilePlan,
    sniff: Sniff,
    cfg: Config,
    *,
    by_wave: bool,
    votes: dict[str, dict[str, int]] | None = None,
) -> _Counted:
    """The counting pass over one file, and the waves it holds.

    When the sniffed rows hold only integer codes, one pass counts each
    expected code per item (no unpivot; waves pooled, as analyze reports
    them). If any later answer is not such a code, that pass is thrown away
    and the general pass runs: it reads answers as text and handles anything.
    The one-pass sums grow with items times codes, so a wide file (hundreds of
    columns, usually few rows) takes the general pass, whose cost follows cells.
    The integer pass also tallies the composite headline with ``votes`` (the first
    rows' decision), in the same pass.
    """
    narrow = len(plan.items) <= WIDE_QUERY_COLUMNS
    if narrow and sniff.integer_items >= set(plan.items) and not (by_wave and plan.wave_column):
        codes = {
            item: [*cfg.scale_for(item).codes, *sniff.integer_values.get(item, ())]
            for item in plan.items
        }
        fits = (
            votes is not None
            and set(votes) <= set(plan.items)
            and all(a.lstrip("-").isdigit() for answers in votes.values() for a in answers)
        )
        last = _last_column(plan)
        query = integer_count_query(
            plan.survey, columns=plan.items, codes=codes, wave=plan.wave_column,
            votes=votes if fits else None, blanks_of=last,
        )  # fmt: skip

        try:
            row = plan.survey.collect(query)
            fast = integer_counts_table(row, group=plan.group)
        except InputError:  # a later answer was not a small integer
            fast = None
        if fast is not None:
            tally = None
            if fits:
                n, agree, missing = (int(row[k][0]) for k in TALLY)
                tally = pl.DataFrame(
                    [(plan.group, None, n, agree, missing)],
                    schema=["group", "wave", "n", "agree", "missing"],
                    orient="row",
                )
            blanks = int(row[LAST_BLANKS][0]) if last is not None else None
            return _Counted(*fast, tally, blanks)
    query = count_query(plan.survey, group=plan.group, columns=plan.items, wave=plan.wave_column)
    counts = count_answers([(plan.survey, query)])
    return _Counted(counts, sorted({w for w in counts["wave"].to_list() if w is not None}))


def build_result(
    prep: Prepared,
    counts: pl.DataFrame,
    cfg: Config,
    waves: dict[str, list[str]],
    composite: CompositePair | None,
    extra_warnings: Sequence[str] = (),
) -> AnalysisResult:
    """The AnalysisResult for these counts (all of them, or one wave's)."""
    rule = prep.rule
    plans = prep.plans
    warnings = [*prep.warnings, *extra_warnings]
    coded = code_counts(counts, prep.codings)
    items = _item_results(coded, prep.codings, cfg, rule, plans)
    warnings.extend(_data_warnings(items, plans, waves))

    head = next((i for i in items if i.item == prep.headline_item), None)
    if head is not None:
        headline = headline_from_item(head, cfg)
    else:
        headline = composite_headline(composite or CompositePair(EMPTY, EMPTY, 0), cfg)

    flagged = [i for i in items if i.flag is not None]
    findings = Findings(
        rule=(f"adjusted p < {cfg.alpha:.2g} ({cfg.adjust}) and |gap| >= {cfg.min_gap_pp:g} pp"),
        blind_spots=[i.item for i in flagged if i.flag == "blind_spot"],
        hidden_strengths=[
            i.item
            for i in sorted(flagged, key=lambda r: r.gap or 0.0)
            if i.flag == "hidden_strength"
        ],
    )
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
        leaders=_input_info(plans[0], counts, waves),
        customers=_input_info(plans[1], counts, waves),
        headline=headline,
        items=items,
        findings=findings,
        excluded=Excluded(
            only_in_leaders=prep.only["leaders"],
            only_in_customers=prep.only["customers"],
            not_items={s.item: s.reason for s in prep.skipped},
        ),
        warnings=warnings,
    )


def _item_results(
    coded: pl.DataFrame,
    codings: list[ItemCoding],
    cfg: Config,
    rule: AgreeRule,
    plans: Sequence[FilePlan],
) -> list[ItemResult]:
    pooled = coded.group_by("group", "item", "code").agg(pl.col("n").sum())
    lookup: dict[tuple[str, str, int | None], int] = {
        (g, i, c): int(n) for g, i, c, n in pooled.iter_rows()
    }
    groups: dict[str, list[GroupCounts]] = {g: [] for g in GROUPS}
    for coding in codings:
        for group in GROUPS:
            dist = [lookup.get((group, coding.item, code), 0) for code in coding.scale.codes]
            groups[group].append(
                GroupCounts(
                    distribution=dist,
                    missing=lookup.get((group, coding.item, None), 0),
                    codes=list(coding.scale.codes),
                    agree_from=rule.threshold(coding.scale, coding.item),
                )
            )
    labels = [_label(c.item, cfg, plans) for c in codings]
    gaps = compare_groups(
        [c.item for c in codings], labels, groups["leaders"], groups["customers"], cfg
    )
    results = [
        ItemResult(**gap.model_dump(), scale=_scale_info(c, rule))
        for gap, c in zip(gaps, codings, strict=True)
    ]
    return sorted(results, key=lambda r: (r.gap is None, -(r.gap or 0.0), r.item))


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


def _input_info(plan: FilePlan, counts: pl.DataFrame, waves: dict[str, list[str]]) -> InputInfo:
    mine = counts.filter(pl.col("group") == plan.group)
    first_item = next(iter(plan.items), None)
    rows = int(mine.filter(pl.col("item") == first_item)["n"].sum()) if first_item else 0
    return InputInfo(
        path=str(plan.survey.path), format=plan.survey.format, rows=rows, waves=waves[plan.group]
    )


def _data_warnings(
    items: list[ItemResult], plans: list[FilePlan], waves: dict[str, list[str]]
) -> list[str]:
    out: list[str] = []
    for plan in plans:
        if plan.weight_column:
            out.append(
                f"{plan.group}: weight column {plan.weight_column!r} is read but weights are "
                "not applied yet; estimates are unweighted"
            )
        if len(waves[plan.group]) > 1:
            out.append(
                f"{plan.group}: {len(waves[plan.group])} waves in column "
                f"{plan.wave_column!r} are pooled"
            )
    for item in items:
        for group in GROUPS:
            stats = getattr(item, group)
            if stats.n == 0:
                out.append(f"item {item.item!r}: no valid answers from {group}")
    return out
