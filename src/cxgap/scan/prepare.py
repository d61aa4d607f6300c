"""Rows to counts: open every group's export, plan its columns, sniff, count, decide the items.

The stage before the analysis: everything here reads rows (or a counts file that
stands in for them) and hands the analysis a :class:`Prepared`: the counts table, each
item's coding, and what the row passes (composite headline, importance cross-tab)
need. :func:`count` writes it all as a counts file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from cxgap.code.coding import ItemCoding, NotAnItem
from cxgap.code.items import decide_items, declared_scales, item_scales, vocabularies
from cxgap.config import Config
from cxgap.counts import (
    CountsFile,
    Input,
    StoredPasses,
    check_settings,
    decode,
    encode,
    holds_both,
    is_counts_file,
)
from cxgap.errors import DuplicateId, HeaderOnly, InputError, NeedsRows, UsageError
from cxgap.io import open_survey
from cxgap.io.plan import FilePlan, plan_file
from cxgap.io.source import (
    WIDE_QUERY_COLUMNS,
    DedupedSurvey,
    SurveyFile,
    duplicate_ids,
)
from cxgap.scales import AgreeRule
from cxgap.scan.counting import (
    LAST_BLANKS,
    TALLY,
    WAVE_KEY,
    count_answers,
    count_query,
    integer_count_query,
    integer_counts_table,
)
from cxgap.scan.passes import (
    Composite,
    composite_counts,
    composite_votes,
    crosstab,
    headline_item,
    provisional_votes,
)
from cxgap.scan.sniff import SNIFF_ROWS, Sniff, sniff_items
from cxgap.scan.split import split_by_group

#: Each group's export(s), in group order (see group_inputs).
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

    def needs_composite(self) -> bool:
        return self.headline_item is None

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
            by_wave=by_wave, counts=self.counts, stored=stored,
        )  # fmt: skip

    def crosstab(self, cfg: Config) -> pl.DataFrame | None:
        """The reference group's cross-tab of each item against the headline item, per wave."""
        overall = self.headline_for(cfg)
        if self.stored is None:
            return crosstab(self.reference, self.codings, overall)
        if overall not in {c.item for c in self.codings}:
            return None  # no headline item: no importance, as from the rows
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
    found: dict[str, Input] = {"leaders": leaders}
    if customers is not None:
        found["customers"] = customers
    if _counts_file({**found, **given}) is not None:
        return {**found, **given}  # the counts file holds every group
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
            raise UsageError(
                f"group {name!r} has no export: give it (--{name} FILE), or set "
                f"[groups.{name}] files (or values, with group_column)"
            )
    return {name: found[name] for name in cfg.group_names(given) if name in found}


def prepare(
    inputs: GroupInputs,
    cfg: Config,
    *,
    by_wave: bool = True,
    source: str = "auto",
) -> Prepared:
    """Open, plan, sniff and count every group's file, then decide each item's scale.

    Every count keeps its wave, unless ``by_wave`` is False: then the integer pass may
    pool the waves (faster; for an analysis of all rows). An input may be a
    :class:`CountsFile` (given alone, or as every group's): its counts stand in for the rows.
    """
    counts_file = _counts_file(inputs)
    if counts_file is not None:
        found = decode(counts_file.path)
        check_settings(counts_file.path, found.settings, cfg)
        return _decide(found.plans, found.counts, found.presniffed, cfg, found.stored)
    if len(inputs) < 2:
        raise UsageError(
            "give the customers' export too (or the one export both groups answered "
            "twice, with group_column set)"
        )
    surveys = {g: _open(s, source, cfg) for g, s in inputs.items()}
    if cfg.group_column:  # one export that the groups answered: split it by the column
        surveys = split_by_group(surveys, cfg)
    plans = [_apply_duplicates(plan_file(s, g, cfg), cfg) for g, s in surveys.items()]
    in_all = set.intersection(*(set(p.items) for p in plans))
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
    dropped = {n.item: n for p in plans for n in sniffs[p.group].not_items if n.item in in_all}
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
    prep = prepare(group_inputs(leaders, customers, cfg, groups), cfg, source=source)
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
    return encode(prep.plans, prep.counts, prep.presniffed, stored, cfg)


def _no_rows(survey: SurveyFile) -> bool:
    """Whether the file really has no responses: polars also returns no rows from a
    malformed CSV (a stray quote), and only reading the cells says which it is."""
    found = survey.collect(survey.scan([]).select(pl.all().count()))
    return not any(found.row(0)) if found.height else True


def _final_column(plan: FilePlan) -> str | None:
    """The file's last column, where a short line shows (None for a joined survey)."""
    if plan.survey.parts() != [plan.survey] or not plan.survey.columns:
        return None
    return plan.survey.columns[-1]


def _last_column(plan: FilePlan) -> str | None:
    """The file's last column when it is no item (its blanks are then counted apart)."""
    last = _final_column(plan)
    return None if last is None or last in plan.items.values() else last


def _last_column_blanks(plan: FilePlan, counts: pl.DataFrame) -> int | None:
    """Blank cells in the file's last column, when its every row was counted (else None).

    A line with too few fields leaves the last column blank, so none there proves the
    file has no short line without reading it again.
    """
    last = _final_column(plan)
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


#: The rows sniffed in a wide file that has more (see _sniff).
WIDE_SNIFF_ROWS = 1_000


def _sniff(plans: list[FilePlan], cfg: Config) -> tuple[list[FilePlan], dict[str, Sniff]]:
    """Sniff each file's first rows: drop obvious non-items, spot integer-only columns.

    A wide file (more than WIDE_QUERY_COLUMNS item columns) takes the general counting
    pass anyway (see _count), which judges every column on all its rows. Its first
    WIDE_SNIFF_ROWS rows are sniffed only when it has more rows than that: then the
    free text, ids and dates they show are not counted at all (their distinct answers
    would be most of the counts table); a shorter file is judged on its counts alone.
    """
    out: list[FilePlan] = []
    sniffs: dict[str, Sniff] = {}
    for plan in plans:
        rows = SNIFF_ROWS
        if len(plan.items) > WIDE_QUERY_COLUMNS:
            head = plan.survey.head(WIDE_SNIFF_ROWS + 1)
            if not head.height and _no_rows(plan.survey):
                raise HeaderOnly(file=plan.survey.path)
            if head.height <= WIDE_SNIFF_ROWS:
                out.append(plan)
                sniffs[plan.group] = Sniff(frozenset(), [], {})
                continue
            rows = WIDE_SNIFF_ROWS
        head = plan.survey.head(rows)
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
    by_wave: bool = True,
    votes: dict[str, dict[str, int]] | None = None,
) -> _Counted:
    """The counting pass over one file, and the waves it holds.

    When the sniffed rows hold only integer codes, one pass counts each
    expected code per item and wave (no unpivot). If any later answer is not
    such a code, that pass is thrown away and the general pass runs: it reads
    answers as text and handles anything.
    The one-pass sums grow with items times codes, so a wide file (hundreds of
    columns, usually few rows) takes the general pass, whose cost follows cells.
    The integer pass also tallies the composite headline with ``votes`` (the first
    rows' decision), in the same pass.
    """
    narrow = len(plan.items) <= WIDE_QUERY_COLUMNS
    if narrow and sniff.integer_items >= set(plan.items):
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
            votes=votes if fits else None, blanks_of=last, by_wave=by_wave,
        )  # fmt: skip

        try:
            row = plan.survey.collect(query)
            fast = integer_counts_table(row, group=plan.group)
        except InputError:  # a later answer was not a small integer
            fast = None
        if fast is not None:
            tally = None
            if fits:
                tally = row.select(
                    pl.lit(plan.group).alias("group"),
                    pl.col(WAVE_KEY).alias("wave"),
                    *(pl.col(k).cast(pl.Int64).alias(name)
                      for k, name in zip(TALLY, ("n", "agree", "missing"), strict=True)),
                ).sort("wave", nulls_last=False)  # fmt: skip
            blanks = int(row[LAST_BLANKS].sum()) if last is not None else None
            return _Counted(*fast, tally, blanks)
    query = count_query(plan.survey, group=plan.group, columns=plan.items, wave=plan.wave_column)
    counts = count_answers([(plan.survey, query)])
    return _Counted(counts, sorted({w for w in counts["wave"].to_list() if w is not None}))
