"""An engine's table to a counts file, with the decisions the local path makes.

The flow (:func:`count_engine`): the table's columns and first rows give each group's
plan and sniff (:mod:`cxgap.io.plan`, :mod:`cxgap.scan.per_file`, as for an export); the
distinct-values query gives each column's answers, from which the items and their scales
are decided (:func:`cxgap.code.items.decide_items`); then one aggregation query gives the
counts table, the composite headline's tallies or the cross-tab, and the weights' range;
:func:`cxgap.counts.encode` writes the counts file. Its metadata names where the table
came from (the engine's dialect and the table's name), never a connection string.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from cxgap.code.items import decide_items
from cxgap.config import Config
from cxgap.config.sections import group_name_problem
from cxgap.counts import NotItem, StoredPasses, encode
from cxgap.counts_table import FIXED, in_order, unfixed
from cxgap.engines.plans import (
    composite_cells,
    exact_division,
    integer_path,
    rows_tally,
    table_query,
    text_cells,
)
from cxgap.engines.query import (
    COMPOSITE,
    COUNTS,
    CROSSTAB,
    DISTINCT,
    WEIGHTS,
    GroupQuery,
    TableQuery,
    bad_weight_query,
    counts_query,
    distinct_query,
    head_query,
    sql,
    values_query,
)
from cxgap.errors import HeaderOnly, InvalidWeight, NeedsRows, UnknownColumn, UsageError
from cxgap.io.plan import FilePlan, missing_key, plan_file
from cxgap.io.source import SurveyFile
from cxgap.scales import AgreeRule
from cxgap.scan.counting import COMPOSITE as COMPOSITE_ITEM
from cxgap.scan.first_rows import sniff_files
from cxgap.scan.passes import (
    CROSSTAB_ORDER,
    composite_votes,
    headline_item,
    provisional_votes,
)
from cxgap.scan.per_file import class_tally
from cxgap.scan.sniff import Sniff
from cxgap.scan.split import ungrouped_note, unknown_group_value
from cxgap.scan.weights import ALL_BAD_HINT, DROP_HINT, W_MAX, W_MIN, dropped_note, wave_spans

if TYPE_CHECKING:
    from cxgap.engines import Engine


def label(engine: Engine) -> str:
    """Where a table came from, as the counts file and messages name it: the engine's
    dialect and the table's name (``duckdb:main.responses``); never a connection string.

    Two optional attributes of an engine change it: ``label`` (str) names the table in
    place of its parts (``duckdb:/data/responses.parquet``), and ``source`` (str) is the
    whole name as given (``sql:project.survey.responses``, the table a saved query result
    came from); an engine must not use either name for anything else."""
    source = getattr(engine, "source", None)
    if isinstance(source, str):  # said in full (a query's result: where it ran)
        return source
    shown = getattr(engine, "label", None)
    name = shown if isinstance(shown, str) else ".".join(engine.table)
    return f"{engine.dialect}:{name}"


class _Where(type(Path())):  # type: ignore[misc]
    """Where a table came from, as a path that keeps its text (``spark:s3://bucket/x``:
    a Path would fold the double slash)."""

    _text: str

    def __new__(cls, text: str) -> _Where:
        found: _Where = super().__new__(cls, text)
        found._text = text
        return found

    def __str__(self) -> str:
        return self._text


class EngineSurvey(SurveyFile):
    """A table (or one group's rows of it) in an engine: its columns, first rows and the
    queries that count it; never its rows."""

    def __init__(
        self, engine: Engine, columns: Sequence[tuple[str, str]],
        where: tuple[str, tuple[str, ...]] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(_Where(label(engine)), [c for c, _ in columns], 0)
        self.format = engine.dialect  # type: ignore[misc]
        self.engine = engine
        self.types = dict(columns)
        self.where = where

    def head(self, rows: int) -> pl.DataFrame:
        query = head_query(self.engine.table, self.types, self.where, rows)
        found = self.engine.run(sql(query, self.engine.dialect))
        return found.select(pl.col(c).cast(pl.String) for c in self.columns)

    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        raise NeedsRows(
            file=self.path, what="the table's rows on this machine",
            hint="the engine counts them; this step is not available for a table",
        )  # fmt: skip


@dataclass(frozen=True)
class Opened:
    """Each group's survey of a table, and the engines in the order they were given."""

    surveys: dict[str, EngineSurvey]
    engines: list[Engine]


def open_groups(engines: Engine | Mapping[str, Engine], cfg: Config) -> Opened:
    """Each group's rows: a table per group, or one table split by ``group_column``."""
    if not isinstance(engines, Mapping):
        return Opened(_split(engines, cfg), [engines])
    if "leaders" not in engines or "customers" not in engines:
        raise UsageError("give the leaders' and the customers' tables (or one table and "
                         "group_column)")  # fmt: skip
    for name in engines:
        problem = group_name_problem(name, positional=False)
        if problem:
            raise UsageError(f"groups: {problem}")
    order = [g for g in cfg.group_names(engines) if g in engines]
    surveys = {g: EngineSurvey(engines[g], engines[g].columns()) for g in order}
    return Opened(surveys, list(dict.fromkeys(engines.values())))


def _split(engine: Engine, cfg: Config) -> dict[str, EngineSurvey]:
    columns = engine.columns()
    whole = EngineSurvey(engine, columns)
    column = cfg.group_column
    if column is None:
        raise UsageError(
            "one table holds every group only with group_column set (or give a table per "
            "group: --table leaders=T1 --table customers=T2)"
        )
    if column not in whole.columns:
        raise UnknownColumn(file=whole.path, setting="group_column", name=column)
    found = engine.run(sql(values_query(engine.table, column), engine.dialect))
    held: dict[str | None, int] = {v: int(n) for v, n in found.select("value", "n").rows()}
    groups = [g for g in cfg.group_names() if cfg.values_for(g)]
    out: dict[str, EngineSurvey] = {}
    for group in groups:
        wanted = cfg.values_for(group)
        if not any(held.get(v) for v in wanted):
            raise unknown_group_value(whole, column, group, wanted, held)
        out[group] = EngineSurvey(engine, columns, (column, tuple(wanted)))
    if "leaders" not in out or "customers" not in out:
        raise UsageError("group_column needs the leaders' and the customers' values "
                         "(leaders_values, customers_values)")  # fmt: skip
    head = next(iter(out.values()))
    head.notes = [*head.notes, *ungrouped_note(whole, column, held, cfg, groups)]
    return out


def _run(engine: Engine, query: object) -> pl.DataFrame:
    from sqlglot import exp

    assert isinstance(query, exp.Expression)
    return engine.run(sql(query, engine.dialect))


@dataclass(frozen=True)
class Decided:
    """What the first rows and the distinct answers decided: each group's plan and sniff,
    the distinct answers (a counts table without waves), the composite's votes (the first
    rows' and all rows') or the headline item's cross-tab, and which groups the local
    path would count with its integer pass."""

    plans: list[FilePlan]
    sniffs: dict[str, Sniff]
    distinct: pl.DataFrame
    presniffed: list[NotItem]
    votes: dict[str, dict[str, int]] | None
    early_votes: dict[str, dict[str, int]] | None
    cross: tuple[str, tuple[str, ...]] | None
    integer: dict[str, bool]

    def queries(self, cfg: Config) -> list[tuple[Engine, TableQuery]]:
        """The aggregation's inputs: per engine, its groups."""
        reference = self.plans[-1].group
        return [
            (engine, table_query(mine, cfg, engine.table, votes=self.votes, cross=self.cross,
                                 reference=reference))
            for engine, mine in _by_engine(self.plans)
        ]  # fmt: skip


def decide(engines: Engine | Mapping[str, Engine], cfg: Config) -> Decided:
    """The columns, first rows and distinct answers of each group's table, and the
    decisions the local path takes on them (plans, sniffs, items, scales, votes)."""
    if cfg.duplicates != "unchecked":
        raise UsageError(
            f"duplicates = {cfg.duplicates!r} is not available for a table in an engine "
            "(rows have no order there): de-duplicate the table, or leave duplicates unchecked"
        )
    opened = open_groups(engines, cfg)
    plans = [plan_file(s, g, cfg) for g, s in opened.surveys.items()]
    keys = {c for p in plans for c in p.segment_columns}
    missing = [n for n in cfg.count_keys() if n not in keys]
    if missing:
        raise missing_key(plans, cfg, missing[0])
    in_all = set.intersection(*(set(p.items) for p in plans))
    for plan in plans:
        if not plan.survey.head(1).height:
            raise HeaderOnly(file=plan.survey.path)
    plans, sniffs = sniff_files(plans, cfg)
    samples = {g: sn.sample for g, sn in sniffs.items() if sn.sample is not None}
    early_votes = provisional_votes(plans, samples, cfg)
    distinct = _distinct(plans, cfg)
    presniffed = {n.item: n for p in plans for n in sniffs[p.group].not_items if n.item in in_all}
    codings, skipped, _, _ = decide_items(distinct, plans, cfg, list(presniffed.values()))
    headline = headline_item(cfg, codings, plans, skipped)
    heads = cfg.pairs([p.group for p in plans])[0]
    votes: dict[str, dict[str, int]] | None = None
    cross: tuple[str, tuple[str, ...]] | None = None
    if headline is None:
        rule = AgreeRule.parse(cfg.agree)
        votes, _ = composite_votes(codings, rule, distinct, list(heads))
    else:
        cross = (headline, tuple(c.item for c in codings if c.item != headline))
    integer = {p.group: integer_path(p, sniffs[p.group], cfg, distinct) for p in plans}
    sniffed = [(n.item, n.reason, n.fit, n.kind) for n in presniffed.values()]
    return Decided(plans, sniffs, distinct, sniffed, votes, early_votes, cross, integer)


#: Where the aggregation query's rows come from: the engine runs it (None), or another
#: source answers it (a result saved where the query ran: see cxgap.engines.result).
Answer = Callable[["Engine", TableQuery], pl.DataFrame] | None


def count_engine(
    engines: Engine | Mapping[str, Engine], cfg: Config | None = None, *, answer: Answer = None
) -> bytes:
    """The counts file of a table in an engine (one table with ``group_column``) or of a
    table per group (``{"leaders": e1, "customers": e2, ...}``): equal, row for row and
    bit for bit, to ``cxgap counts`` on exports of the same rows."""
    cfg = cfg or Config()
    d = decide(engines, cfg)
    plans = d.plans
    found = _aggregate(d, cfg, answer)
    table = in_order(pl.concat([found.counts[p.group] for p in plans], how="diagonal"),
                     cfg.count_keys())  # fmt: skip
    stored = StoredPasses()
    if d.votes is not None:
        early = d.early_votes if d.early_votes == d.votes else None
        tallies = [
            _tallies(p, found.composite[p.group], integer=d.integer[p.group], early=early)
            for p in plans
        ]
        frame = pl.concat(tallies).sort("group", "wave", nulls_last=False)
        stored = StoredPasses(composite=frame, composite_votes=d.votes)
    elif d.cross is not None:
        stored = StoredPasses(crosstab=found.crosstab, crosstab_by=d.cross[0],
                              group_crosstabs=found.crosstabs)  # fmt: skip
    return encode(plans, table, d.presniffed, stored, cfg, found.ranges, found.wave_ranges,
                  weight_notes=found.notes)  # fmt: skip


def _distinct(plans: list[FilePlan], cfg: Config) -> pl.DataFrame:
    """The distinct answers of every group's items as a counts table (no waves, segments
    or weights: what the items' scales are decided from); stops on bad weights."""
    frames = []
    for engine, mine in _by_engine(plans):
        t = table_query(mine, cfg, engine.table)
        rows = _run(engine, distinct_query(t))
        _check_weights(rows, mine, cfg, t)
        frames.append(rows.filter(pl.col("part") == DISTINCT))
    rows = pl.concat(frames, how="diagonal_relaxed")
    n = pl.col("n").cast(pl.Int64)
    table = rows.select(
        pl.col("group").cast(pl.String), pl.col("item").cast(pl.String),
        pl.lit(None, dtype=pl.String).alias("wave"), pl.col("value").cast(pl.String),
        n.alias("n"), n.cast(pl.Float64).alias("w_sum"), n.cast(pl.Float64).alias("w2_sum"),
    )  # fmt: skip
    return table.select(FIXED).sort(["group", "item", "value"], nulls_last=False)


def _by_engine(plans: list[FilePlan]) -> list[tuple[Engine, list[FilePlan]]]:
    out: dict[int, tuple[Engine, list[FilePlan]]] = {}
    for plan in plans:
        survey = plan.survey
        assert isinstance(survey, EngineSurvey)
        out.setdefault(id(survey.engine), (survey.engine, []))[1].append(plan)
    return list(out.values())


def _check_weights(rows: pl.DataFrame, plans: list[FilePlan], cfg: Config, t: object) -> None:
    weights = rows.filter(pl.col("part") == WEIGHTS)
    for plan in plans:
        mine = weights.filter(pl.col("group") == plan.group)
        bad = int(mine["bad"].sum() or 0) if mine.height else 0
        # no good weight at all: dropping the bad ones would leave the group no respondent
        every = bool(bad) and mine["w_min"].drop_nulls().len() == 0
        if not bad or plan.weight_column is None or (cfg.invalid_weights != "error" and not every):
            continue
        survey = plan.survey
        assert isinstance(survey, EngineSurvey)
        g = GroupQuery(plan.group, plan.items, survey.where, weight=plan.weight_column)
        example = _run(survey.engine, bad_weight_query(t, g))  # type: ignore[arg-type]
        text = example["value"][0] if example.height else None
        raise InvalidWeight(
            file=str(survey.path), column=plan.weight_column,
            value="(blank)" if text is None or not str(text).strip() else repr(str(text)),
            count=f"{bad:,}", hint=ALL_BAD_HINT if every else DROP_HINT,
        )  # fmt: skip


@dataclass(frozen=True)
class _Found:
    counts: dict[str, pl.DataFrame]
    composite: dict[str, pl.DataFrame]
    crosstab: pl.DataFrame | None
    ranges: dict[str, tuple[float, float] | None]
    #: the other groups' cross-tabs against the headline item (their own importance)
    crosstabs: dict[str, pl.DataFrame]
    #: per weighted group, its weights' range per wave
    wave_ranges: dict[str, dict[str, tuple[float, float]]]
    #: per group, the rows left out for a bad weight, said as the local count says them
    notes: dict[str, list[str]]


def _aggregate(d: Decided, cfg: Config, answer: Answer = None) -> _Found:
    """The aggregation query on each engine, its parts as frames."""
    reference = d.plans[-1].group
    counts: dict[str, pl.DataFrame] = {}
    composite: dict[str, pl.DataFrame] = {}
    ranges: dict[str, tuple[float, float] | None] = {}
    wave_ranges: dict[str, dict[str, tuple[float, float]]] = {}
    notes: dict[str, list[str]] = {}
    crosstab = None
    crosstabs: dict[str, pl.DataFrame] = {}
    segments = cfg.count_keys()
    for engine, t in d.queries(cfg):
        rows = answer(engine, t) if answer else _run(engine, counts_query(t, exact=True))
        for plan in (p for p in d.plans if p.group in {g.group for g in t.groups}):
            own = rows.filter(pl.col("group") == plan.group)
            counts[plan.group] = _cells(own.filter(pl.col("part") == COUNTS), plan, segments)
            part = own.filter(pl.col("part") == COMPOSITE)
            composite[plan.group] = composite_cells(part, segments)
            w = own.filter(pl.col("part") == WEIGHTS)
            low, high = (w["w_min"].min(), w["w_max"].max()) if w.height else (None, None)
            ranges[plan.group] = (
                (float(low), float(high))  # type: ignore[arg-type]
                if plan.weight_column and low is not None and high is not None else None
            )  # fmt: skip
            if plan.weight_column:
                spans = w.rename({"w_min": W_MIN, "w_max": W_MAX})
                wave_ranges[plan.group] = wave_spans(spans, "wave")
                bad = int(w["bad"].sum() or 0)  # (with "error" the distinct query stopped)
                if bad:
                    notes[plan.group] = [dropped_note(plan.survey, plan.weight_column, bad)]
            if plan.group == reference and d.cross is not None:
                part = own.filter(pl.col("part") == CROSSTAB)
                crosstab = _crosstab(part, plan, d.integer[reference])
            elif d.cross is not None and d.cross[0] in plan.items:
                part = own.filter(pl.col("part") == CROSSTAB)
                crosstabs[plan.group] = _crosstab(part, plan, d.integer[plan.group])
    return _Found(counts, composite, crosstab, ranges, crosstabs, wave_ranges, notes)


def _sums(plan: FilePlan) -> list[pl.Expr]:
    if plan.weight_column is None:
        return [pl.col("n").cast(pl.Float64).alias(c) for c in ("w_sum", "w2_sum")]
    return [unfixed(pl.col(c).cast(pl.Int128)).alias(c) for c in ("w_sum", "w2_sum")]


def _cells(rows: pl.DataFrame, plan: FilePlan, segments: Sequence[str]) -> pl.DataFrame:
    """A part's rows as counts-table rows (the sums back from fixed point)."""
    return rows.select(
        pl.col("group").cast(pl.String), pl.col("item").cast(pl.String),
        pl.col("wave").cast(pl.String), *(pl.col(s).cast(pl.String) for s in segments),
        pl.col("value").cast(pl.String), pl.col("n").cast(pl.Int64).alias("n"), *_sums(plan),
    )  # fmt: skip


def _crosstab(rows: pl.DataFrame, plan: FilePlan, integer: bool) -> pl.DataFrame:
    """The cross-tab part's rows; a weighted integer pass's sums leave fixed point one by
    one, as that pass's do (see exact_division)."""
    found = rows.select(
        pl.col("wave").cast(pl.String), pl.col("item").cast(pl.String),
        pl.col("value").cast(pl.String), pl.col("by_value").cast(pl.String),
        pl.col("n").cast(pl.Int64), _sums(plan)[0],
    )  # fmt: skip
    if integer and plan.weight_column is not None:
        found = found.with_columns(exact_division(rows["w_sum"].cast(pl.Int128)))
    return found.sort(CROSSTAB_ORDER, nulls_last=False)


def _tallies(
    plan: FilePlan, cells: pl.DataFrame, *, integer: bool,
    early: Mapping[str, Mapping[str, int]] | None,
) -> pl.DataFrame:  # fmt: skip
    """A group's composite tallies per wave, summed as the local path sums them: over the
    segment cells in floating point where its text pass tallies (the first rows' votes
    held, and the pass read text), else exactly (the integer pass, the composite's own
    pass)."""
    tallied = early is not None and set(early) <= set(plan.items)
    if tallied and not integer:
        return class_tally(text_cells(cells, plan, COMPOSITE_ITEM), plan.group)
    fits = early is not None and all(
        a.lstrip("-").isdigit() for answers in early.values() for a in answers
    )  # the integer pass tallies only then (else the composite's own pass does)
    return rows_tally(cells, plan, integer=integer and tallied and fits)
