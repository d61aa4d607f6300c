"""Rows to counts: open every group's export, plan its columns, sniff, count, decide the items.

The stage before the analysis: everything here reads rows (or a counts file that
stands in for them) and hands the analysis a :class:`Prepared`: the counts table, each
item's coding, and what the row passes (composite headline, importance cross-tab)
need. :func:`count` writes it all as a counts file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from cxgap.code.coding import ItemCoding, NotAnItem
from cxgap.code.items import decide_items
from cxgap.config import Config
from cxgap.config.sections import group_name_problem, possessive
from cxgap.counts import (
    CountsFile,
    Input,
    StoredPasses,
    decode,
    holds_both,
    is_counts_file,
)
from cxgap.counts_settings import check_settings
from cxgap.counts_table import in_order, pooled
from cxgap.errors import NeedsRows, UsageError
from cxgap.io import open_survey
from cxgap.io.plan import FilePlan, check_keys, name_key, plan_file
from cxgap.io.source import (
    SurveyFile,
)
from cxgap.scales import AgreeRule
from cxgap.scan.blank_waves import BlankWaves, counted_blanks, find_blank_waves
from cxgap.scan.first_rows import last_column_blanks, sniff_files
from cxgap.scan.passes import (
    CROSSTAB_ORDER,
    Composite,
    composite_counts,
    composite_votes,
    crosstab,
    headline_item,
    provisional_votes,
)
from cxgap.scan.per_file import apply_duplicates, count_files
from cxgap.scan.split import split_by_group
from cxgap.scan.weights import weight_notes

#: Each group's export(s), in group order (see group_inputs).
if TYPE_CHECKING:
    from cxgap.weighting.rake import RakeResult

GroupInputs = Mapping[str, Input]


@dataclass
class Prepared:
    """Every group's file counted and every item's scale decided: what each result is
    built from."""

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
    #: the composite headline tallied by the counting pass, per wave
    early: StoredPasses | None = None
    #: the headline comparison's groups (leaders and customers): they decide the items
    heads: tuple[str, str] = ("leaders", "customers")
    #: per group, its cross-tab against an item, counted in the counting pass
    early_crosstabs: dict[str, tuple[str, pl.DataFrame]] = field(default_factory=dict)
    #: the counts keeping their segment keys, when counted so (``counts`` pools them)
    segmented: pl.DataFrame | None = None
    #: per group, its weights' lowest and highest value (None: unweighted; {}: not known)
    weight_ranges: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    #: per group, the same per wave, when the counting pass took them ({}: not known)
    wave_weight_ranges: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    #: the reference group raked to the config's margins (see cxgap.analysis.raking)
    raked: RakeResult | None = None
    #: per group with any, its rows whose wave cell is blank (see cxgap.scan.blank_waves)
    blank_waves: dict[str, BlankWaves] = field(default_factory=dict)
    #: per group, what its count said of its bad weights (kept in a counts file)
    weight_notes: dict[str, list[str]] = field(default_factory=dict)

    def needs_composite(self) -> bool:
        return self.headline_item is None

    @property
    def weighted(self) -> set[str]:
        """The groups whose figures are weighted: a weight column, or raked."""
        found = {p.group for p in self.plans if p.weight_column}
        return found | ({self.raked.group} if self.raked is not None else set())

    @property
    def groups(self) -> list[str]:
        """The groups, in order (boardroom first, the reference group last)."""
        return [p.group for p in self.plans]

    @property
    def reference(self) -> FilePlan:
        """The reference group's plan (customers: importance and drops are theirs)."""
        return self.plans[-1]

    def pairs(self, cfg: Config) -> list[tuple[str, str]]:
        return cfg.pairs(self.groups)

    def composite(self, *, by_wave: bool) -> Composite:
        """The composite headline's counts per group (and wave): a pass over the rows,
        or a counts file's tallies."""
        stored = self.stored or self.early
        return composite_counts(
            self.plans, self.codings, self.rule, self.warnings,
            by_wave=by_wave, counts=self.counts, stored=stored, heads=self.heads,
        )  # fmt: skip

    def crosstab(self, cfg: Config, group: str | None = None) -> pl.DataFrame | None:
        """A group's cross-tab of each item against the headline item, per wave (default:
        the reference group's). Another group's is None when its file lacks the headline
        item, or a counts file does not hold it (counted by an earlier cxgap)."""
        overall = self.headline_for(cfg)
        plan = self.reference if group is None else next(
            p for p in self.plans if p.group == group
        )  # fmt: skip
        if self.stored is None:
            early = self.early_crosstabs.get(plan.group)
            analysed = {c.item for c in self.codings}
            if early is not None and early[0] == overall and overall in analysed:
                others = analysed - {overall}
                table = early[1].filter(pl.col("item").is_in(sorted(others)))
                return table.sort(CROSSTAB_ORDER, nulls_last=False)
            if plan is not self.reference and overall not in plan.items:
                return None
            return crosstab(plan, self.codings, overall)
        if overall not in {c.item for c in self.codings}:
            return None  # no headline item: no importance, as from the rows
        if plan is not self.reference:
            found = self.stored.group_crosstabs.get(plan.group)
            return found if self.stored.crosstab_by == overall else None
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


def group_inputs(
    leaders: Input,
    customers: Input | None,
    cfg: Config,
    others: Mapping[str, Input] | None = None,
) -> dict[str, Input]:
    """Each group's input in group order: leaders and customers as given, the others as
    given (``--frontline``) or from config (``[groups.NAME] files``, relative to the config
    file; or ``values`` of group_column in the leaders' export)."""
    given = dict(others or {})
    for name, value in given.items():
        problem = group_name_problem(name)
        if problem:
            raise UsageError(f"groups: {problem}")
        if value is None:
            raise UsageError(f"groups: no export given for {name!r}")
    found: dict[str, Input] = {"leaders": leaders}
    if customers is not None:
        found["customers"] = customers
    if _counts_file(found) is not None:
        if given:
            raise UsageError(
                "a counts file holds every group it was counted with: give it alone "
                f"(count the exports again with {', '.join(given)} to add them)"
            )
        return found
    for name in cfg.group_names(given):
        spec = cfg.groups.get(name)
        if name in given:
            found[name] = given[name]
        elif spec is not None and spec.files and name not in found:
            base = cfg.source_path.parent if cfg.source_path else Path()
            paths = [str(base / f) for f in spec.files]
            found[name] = paths[0] if len(paths) == 1 else paths
        elif spec is not None and spec.values and cfg.group_column and name not in found:
            found[name] = leaders
        elif name not in found and name != "customers":
            flag = "--frontline FILE" if name == "frontline" else f"--group {name}=FILE"
            raise UsageError(
                f"group {name!r} has no export: give it ({flag}), or set "
                f"[groups.{name}] files (or values, with group_column)"
            )
    return {name: found[name] for name in cfg.group_names(given) if name in found}


def prepare(
    inputs: GroupInputs,
    cfg: Config,
    *,
    by_wave: bool = True,
    source: str = "auto",
    crosstab: bool = False,
    segments: bool = False,
) -> Prepared:
    """Open, plan, sniff and count every group's file, then decide each item's scale.

    Every count keeps its wave, unless ``by_wave`` is False: then the integer pass may
    pool the waves (faster; for an analysis of all rows). With ``crosstab`` (derived
    importance is wanted), the reference group's pass also counts each item against the
    headline item where it can. With ``segments``, the counts keep the segment keys
    (``segmented``; the analyses' counts pool them). An input may be a
    :class:`CountsFile` (given alone, or as every group's): its counts stand in for the
    rows.
    """
    counts_file = _counts_file(inputs)
    if counts_file is not None:
        found = decode(counts_file.path)
        check_settings(counts_file.path, found.settings, cfg)
        held = {p.group for p in found.plans}
        wanted = [g for g, spec in cfg.groups.items() if (spec.files or spec.values)]
        missing = [g for g in wanted if g not in held]
        if missing:
            raise NeedsRows(
                file=counts_file.path,
                what=f"the {', '.join(missing)} group (the config names it; the counts file "
                f"holds {', '.join(sorted(held))})",
                hint="count the exports again with that group, or leave it out of the config",
            )
        presniffed = [NotAnItem(*row) for row in found.presniffed]
        prep = _decide(found.plans, found.counts, presniffed, cfg, found.stored)
        prep.segmented = found.segmented
        prep.weight_ranges = found.weight_ranges
        prep.wave_weight_ranges = found.wave_weight_ranges
        said = [found.weight_notes.get(p.group, []) for p in found.plans]
        prep.warnings += weight_notes(found.plans, said)  # as the rows' run says it
        no_wave = {p.group: counted_blanks(found.counts, p) for p in found.plans}
        prep.blank_waves = find_blank_waves(found.plans, no_wave, prep.waves, found.blank_rows)
        return prep
    if len(inputs) < 2:
        raise UsageError(
            "give the customers' export too (or the one export both groups answered "
            "twice, with group_column set)"
        )
    # one path given for two groups is opened once, as the command line does: its rows
    # are then sniffed and counted once (see count_files)
    opened: dict[object, SurveyFile] = {}
    surveys: dict[str, SurveyFile] = {}
    for g, given in inputs.items():
        key = str(given) if isinstance(given, str | Path) else id(given)
        if key not in opened:
            opened[key] = _open(given, source, cfg)
            opened[key].prefetch()
        surveys[g] = opened[key]
    if cfg.group_column:  # one export that the groups answered: split it by the column
        shared = {g: sv for g, sv in surveys.items() if cfg.values_for(g)}
        split = split_by_group(shared, cfg)  # a group with a file of its own stays whole
        surveys = {g: split.get(g, sv) for g, sv in surveys.items()}
    plans = [apply_duplicates(plan_file(s, g, cfg), cfg) for g, s in surveys.items()]
    if segments:
        check_keys(plans, cfg)
    in_all = set.intersection(*(set(p.items) for p in plans))
    plans, sniffs = sniff_files(plans, cfg)
    samples = {g: sn.sample for g, sn in sniffs.items() if sn.sample is not None}
    votes = provisional_votes(plans, samples, cfg)
    cross = _crosstab_by(plans, cfg) if crosstab else None
    counted = count_files(plans, sniffs, cfg, by_wave=by_wave, votes=votes, crosstab_by=cross,
                          segments=segments)  # fmt: skip
    segmented = in_order(pl.concat([c.counts for c in counted], how="diagonal"),
                         cfg.count_keys())  # fmt: skip
    counts = pooled(segmented)
    for plan, c in zip(plans, counted, strict=True):
        blanks = c.last_blanks if c.last_blanks is not None else last_column_blanks(plan, counts)
        if c.dropped and c.last_blanks is None:  # dropped rows may hide a short line's blank
            blanks = None
        plan.survey.check_ragged(last_column_blanks=blanks)
    waves = {p.group: c.waves for p, c in zip(plans, counted, strict=True)}
    # Columns dropped by the sniff are reported like those the full pass rejects.
    dropped = {n.item: n for p in plans for n in sniffs[p.group].not_items if n.item in in_all}
    prep = _decide(plans, counts, list(dropped.values()), cfg, None, waves)
    if segments:
        prep.segmented = segmented
    prep.weight_ranges = {p.group: c.weight_range for p, c in zip(plans, counted, strict=True)}
    prep.wave_weight_ranges = {p.group: c.wave_ranges for p, c in zip(plans, counted, strict=True)}
    prep.warnings += weight_notes(plans, [c.notes for c in counted])
    prep.weight_notes = {p.group: list(c.notes) for p, c in zip(plans, counted, strict=True)}
    no_wave = {p.group: c.blank_waves for p, c in zip(plans, counted, strict=True)}
    prep.blank_waves = find_blank_waves(plans, no_wave, waves)
    for c, p in zip(counted, plans, strict=True):
        if cross and p.group in cross and c.crosstab is not None:
            prep.early_crosstabs[p.group] = (cross[p.group], c.crosstab)
    tallies = [c.tally for c in counted if c.tally is not None]
    if votes is not None and tallies and prep.needs_composite():
        final, _ = composite_votes(prep.codings, prep.rule, counts, list(prep.heads))
        if final == votes:  # the first rows decided the composite as all rows do
            prep.early = StoredPasses(composite=pl.concat(tallies), composite_votes=votes)
        elif any(c.integer and c.tally is not None for c in counted):
            # said when the integer pass's tally is lost, as ever; the text pass's (a later
            # saving) is dropped without a word, so that no run's warnings change
            prep.warnings.append(
                "the composite headline took a second pass over the rows: the first rows "
                "showed other scales than all rows do"
            )
    return prep


def _crosstab_by(plans: list[FilePlan], cfg: Config) -> dict[str, str] | None:
    """{group: the headline item as its plan names it} for each group whose columns have
    the headline item, when the reference group's have it (else None: no importance)."""
    key = name_key(cfg.headline_item)
    found = {p.group: next((i for i in p.items if name_key(i) == key), None) for p in plans}
    if found[plans[-1].group] is None:
        return None
    return {g: item for g, item in found.items() if item is not None}


def _counts_file(inputs: GroupInputs) -> CountsFile | None:
    """The counts file given in place of the exports: a CountsFile, or the path of one
    given alone (or as every group's)."""
    given = list(inputs.values())
    first = given[0] if given else None
    if isinstance(first, CountsFile):
        return first
    if isinstance(first, str | Path) and is_counts_file(first):
        if all(str(g) == str(first) for g in given):
            return CountsFile(Path(first))
        raise holds_both(first)
    return None


def _open(given: Input, source: str, cfg: Config) -> SurveyFile:
    if isinstance(given, SurveyFile):
        return given
    if isinstance(given, CountsFile):
        raise holds_both(given.path)
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
    heads = cfg.pairs([p.group for p in plans])[0]
    headline = headline_item(cfg, codings, plans, skipped)
    if headline is None:
        key = name_key(cfg.headline_item)
        having = [p.group for p in plans if any(name_key(c) == key for c in p.survey.columns)]
        if having:
            where = (
                "is in every file but is no item (see excluded.not_items)"
                if len(having) == len(plans)
                else "is only in the " + " and ".join(possessive(g) for g in having) + " file"
                + ("s" if len(having) > 1 else "")
            )  # fmt: skip
            warnings.append(
                f"the headline item {cfg.headline_item!r} {where}: the headline is the composite"
            )
    return Prepared(
        plans,
        counts,
        codings,
        skipped,
        only,
        warnings,
        waves,
        AgreeRule.parse(cfg.agree),
        headline,
        presniffed,
        stored,
        heads=(heads[0], heads[1]),
    )
