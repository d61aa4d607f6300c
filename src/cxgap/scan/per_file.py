"""One group's file in the counting pass: the duplicates policy before it, and its one
streaming counting pass (the sniff of its first rows is :mod:`cxgap.scan.first_rows`)."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from cxgap.config import Config
from cxgap.counts_table import unfixed
from cxgap.errors import DuplicateId, InputError
from cxgap.io.plan import FilePlan
from cxgap.io.source import (
    WIDE_QUERY_COLUMNS,
    DedupedSurvey,
    duplicate_ids,
)
from cxgap.scan import weights as wt
from cxgap.scan.blank_waves import counted_blanks
from cxgap.scan.counting import AGREES, COMPOSITE, count_answers, count_query
from cxgap.scan.first_rows import last_column, same_file
from cxgap.scan.integer_pass import (
    LAST_BLANKS,
    TALLY,
    WAVE_BLANKS,
    integer_count_query,
    integer_counts_table,
    one_wave,
    per_wave,
    wave_labels,
)
from cxgap.scan.integer_row import WAVE_KEY, complete_row, integer_crosstab, weighted
from cxgap.scan.scatter import TooWide, scattered
from cxgap.scan.sniff import Sniff
from cxgap.scan.weights import BAD, W_MAX, W_MIN, bad_weight_error, dropped_note, take_bad


def apply_duplicates(plan: FilePlan, cfg: Config) -> FilePlan:
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


@dataclass(frozen=True)
class Counted:
    """One file's counting pass: its counts (for its group), waves, tally, blanks."""

    counts: pl.DataFrame
    waves: list[str]
    #: the composite headline's tally, when the pass could take it (see provisional_votes):
    #: group, wave and TALLY_COLUMNS (the weighted sums are n and agree when unweighted)
    tally: pl.DataFrame | None = None
    #: blank cells in the file's last column, when the pass counted them
    last_blanks: int | None = None
    #: each item against the headline item (see integer_crosstab), when asked and counted
    crosstab: pl.DataFrame | None = None
    #: counted by the integer pass (see count_file)
    integer: bool = False
    #: the lowest and highest weight of the counted respondents (None: unweighted)
    weight_range: tuple[float, float] | None = None
    #: the same per wave (empty: unweighted, or no wave column)
    wave_ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: what the pass left out, for the warnings (rows with a bad weight, when dropped)
    notes: tuple[str, ...] = ()
    #: rows left out for a bad weight (invalid_weights = "drop"): in no count
    dropped: int = 0
    #: rows whose wave cell is blank, in a file with a wave column (see scan.blank_waves)
    blank_waves: int = 0


def count_file(
    plan: FilePlan,
    sniff: Sniff,
    cfg: Config,
    *,
    by_wave: bool = True,
    votes: dict[str, dict[str, int]] | None = None,
    crosstab_by: str | None = None,
    segments: bool = False,
) -> Counted:
    """The counting pass over one file, and the waves it holds.

    When the sniffed rows hold only integer codes, one pass counts each
    expected code per item and wave (no unpivot; see :func:`integer_pass`). If any
    later answer is not such a code, that pass is thrown away and the general pass
    runs: it reads answers as text and handles anything.
    The one-pass sums grow with items times codes, so a wide file (hundreds of
    columns, usually few rows) takes the general pass, whose cost follows cells.
    Either pass also tallies the composite headline with ``votes`` (the first rows'
    decision), in the same pass. With ``segments``, the counts keep the plan's segment
    keys (else they are pooled). With the plan's weight column, the counts sum the
    weights too; rows with a bad weight stop the run (``invalid_weights = "error"``) or
    are left out of every count (``"drop"``, with a note).
    """
    if len(plan.items) <= WIDE_QUERY_COLUMNS and sniff.integer_items >= set(plan.items):
        found = integer_pass(plan, sniff, cfg, by_wave=by_wave, votes=votes,
                             crosstab_by=crosstab_by, segments=segments)  # fmt: skip
        if found is not None:
            return found
    tallied = votes if votes is not None and set(votes) <= set(plan.items) else None
    query = count_query(
        plan.survey, group=plan.group, columns=plan.items, wave=plan.wave_column,
        segments=plan.segment_columns if segments else (), votes=tallied,
        weight=plan.weight_column,
    )  # fmt: skip
    counts = count_answers([(plan.survey, query)])
    span: tuple[float, float] | None = None
    notes: tuple[str, ...] = ()
    dropped = 0
    spans: dict[str, tuple[float, float]] = {}
    if plan.weight_column is not None:
        spans = wt.wave_spans(counts, "wave")
        counts, dropped, span = take_bad(counts, next(iter(plan.items), ""))
        notes = _bad_weights(plan, cfg, dropped, every=span is None)
    waves = sorted({w for w in counts["wave"].to_list() if w is not None})
    tally = None
    if tallied is not None:
        composite = pl.col("item") == COMPOSITE
        tally = class_tally(counts.filter(composite), plan.group)
        counts = counts.filter(~composite)
    return Counted(counts, waves, tally, weight_range=span, wave_ranges=spans, notes=notes,
                   dropped=dropped, blank_waves=counted_blanks(counts, plan))  # fmt: skip


def _bad_weights(plan: FilePlan, cfg: Config, bad: int, *, every: bool) -> tuple[str, ...]:
    """Stop on rows with a bad weight, or (invalid_weights = "drop") say they are left out;
    stop either way when ``every`` row has one (dropping them would leave no respondent)."""
    if not bad or plan.weight_column is None:
        return ()
    if cfg.invalid_weights == "error" or every:
        raise bad_weight_error(plan.survey, plan.weight_column, bad, every=every)
    return (dropped_note(plan.survey, plan.weight_column, bad),)


#: The composite tally's columns: respondents who answered (n), who agree, who answered
#: none, and the sums of the weights and squared weights of the first two.
TALLY_COLUMNS = ("n", "agree", "missing", "w_n", "w_agree", "w2_n", "w2_agree")


def class_tally(rows: pl.DataFrame, group: str) -> pl.DataFrame:
    """The composite's tally per wave (group, wave, TALLY_COLUMNS) from the counts of
    each respondent's composite class (see count_query)."""
    value = pl.col("value")
    answered, agrees = value.is_not_null(), value == AGREES
    sums = {
        "n": ("n", answered), "agree": ("n", agrees), "missing": ("n", value.is_null()),
        "w_n": ("w_sum", answered), "w_agree": ("w_sum", agrees),
        "w2_n": ("w2_sum", answered), "w2_agree": ("w2_sum", agrees),
    }  # fmt: skip
    return (
        rows.group_by("wave")
        .agg(pl.col(col).filter(which).sum().alias(name) for name, (col, which) in sums.items())
        .select(
            pl.lit(group).alias("group"),
            "wave",
            pl.col("n", "agree", "missing").cast(pl.Int64),
            pl.col("w_n", "w_agree", "w2_n", "w2_agree").cast(pl.Float64),
        )
        .sort("wave", nulls_last=False)
    )


def integer_pass(
    plan: FilePlan,
    sniff: Sniff,
    cfg: Config,
    *,
    by_wave: bool,
    votes: dict[str, dict[str, int]] | None,
    crosstab_by: str | None,
    segments: bool = False,
) -> Counted | None:
    """The integer codes' pass; None when some answer is not an expected code.

    It also tallies the composite headline with ``votes`` (the first rows' decision),
    and counts each item against the item ``crosstab_by`` (for derived importance), in
    the same pass. Counts per wave need a grouping, which costs more than pooled sums:
    it groups when the first rows show several waves; otherwise it sums and reads the
    first and last wave label, and groups in a second pass only when those differ.
    """
    codes = {
        item: [*cfg.scale_for(item).codes, *sniff.integer_values.get(item, ())]
        for item in plan.items
    }
    fits = (
        votes is not None
        and set(votes) <= set(plan.items)
        and all(a.lstrip("-").isdigit() for answers in votes.values() for a in answers)
    )
    last = last_column(plan)
    cross = crosstab_by if crosstab_by in plan.items else None

    # the last column as small integers until a read says otherwise (see _integer_last)
    last_as_int = [sniff.integer_last]

    def counted(grouped: bool) -> pl.DataFrame | None:
        spec: dict[str, Any] = {"columns": plan.items, "codes": codes, "wave": plan.wave_column,
                "votes": votes if fits else None, "blanks_of": last, "crosstab_by": cross,
                "segments": plan.segment_columns if segments else (),
                "weight": plan.weight_column, "integer_last": last_as_int[0]}  # fmt: skip
        query = integer_count_query(plan.survey, by_wave=grouped, **spec)
        try:  # per wave and segment: numpy's scatter-adds (the query where they do not fit)
            with suppress(TooWide):
                # pooled and weighted: weight sums are scatter-adds too
                scatter = grouped or plan.weight_column is not None
                how = spec if grouped else {**spec, "wave": None, "ends_of": plan.wave_column}
                if scatter and plan.weight_column is None:
                    return scattered(plan.survey, query.collect_schema(), **how)
                if scatter:  # weights read untrimmed, and trimmed where some seemed bad
                    found = scattered(plan.survey, query.collect_schema(), **how, trim=False)
                    if not found[BAD].sum():
                        return found
                    return scattered(plan.survey, query.collect_schema(), **how)
            return complete_row(plan.survey.collect(query), codes, cross)
        except InputError:  # a later answer was not a small integer
            if not last_as_int[0]:
                return None
            # Perhaps only in the last column, read as integers for its blanks alone: read
            # as text from now on. (When an item's answer failed, this second read fails
            # too, at the same row, before the general pass: a cost only such files pay.)
            last_as_int[0] = False
            return counted(grouped)

    several = by_wave and plan.wave_column is not None and len(sniff.waves) > 1
    grouped = several or bool(segments and plan.segment_columns)
    row = counted(grouped)
    if row is not None and by_wave and not grouped and plan.wave_column is not None:
        single = one_wave(row)
        if single is not None:  # every row of one wave: the pooled row is that wave's
            row = row.with_columns(pl.lit(single, dtype=pl.String).alias(WAVE_KEY))
        else:  # more waves than the first rows showed
            row = counted(True)
    fast = None if row is None else integer_counts_table(row, group=plan.group)
    if row is None or fast is None:
        return None
    row = per_wave(row)
    span: tuple[float, float] | None = None
    notes: tuple[str, ...] = ()
    dropped = int(row[BAD].sum()) if plan.weight_column is not None else 0
    spans: dict[str, tuple[float, float]] = {}
    if plan.weight_column is not None:
        spans = wt.wave_spans(row, WAVE_KEY)
        low, high = row[W_MIN].min(), row[W_MAX].max()
        if low is not None and high is not None:
            span = (float(low), float(high))  # type: ignore[arg-type]
        notes = _bad_weights(plan, cfg, dropped, every=span is None)
    tally = None
    if fits:
        weighed = weighted(TALLY[0]) in row.columns
        sums = {
            "w_n": (TALLY[0], False), "w_agree": (TALLY[1], False),
            "w2_n": (TALLY[0], True), "w2_agree": (TALLY[1], True),
        }  # fmt: skip
        tally = row.select(
            pl.lit(plan.group).alias("group"),
            pl.col(WAVE_KEY).alias("wave"),
            *(pl.col(k).cast(pl.Int64).alias(name)
              for k, name in zip(TALLY, ("n", "agree", "missing"), strict=True)),
            *((unfixed(pl.col(weighted(k, squares=sq))) if weighed  # fixed point
               else pl.col(k).cast(pl.Float64)).alias(name) for name, (k, sq) in sums.items()),
        ).sort("wave", nulls_last=False)  # fmt: skip
    blanks = int(row[LAST_BLANKS].sum()) if last is not None else None
    crosstab = integer_crosstab(row) if cross is not None else None
    table, waves = fast
    if len(waves) > 1 and not by_wave:  # the pooled pass saw the first and last only
        waves = wave_labels(plan.survey, str(plan.wave_column))
    # a pooled row counted the blank wave cells; rows per wave hold them as a null wave
    pooled_row = WAVE_BLANKS in row.columns and plan.wave_column is not None
    no_wave = int(row[WAVE_BLANKS].sum()) if pooled_row else counted_blanks(table, plan)
    return Counted(table, waves, tally, blanks, crosstab, integer=True, weight_range=span,
                   wave_ranges=spans, notes=notes, dropped=dropped,
                   blank_waves=no_wave)  # fmt: skip


def count_files(
    plans: list[FilePlan],
    sniffs: dict[str, Sniff],
    cfg: Config,
    *,
    by_wave: bool,
    votes: dict[str, dict[str, int]] | None,
    crosstab_by: Mapping[str, str] | None = None,
    segments: bool = False,
) -> list[Counted]:
    """Each group's counting pass; one pass for an export that serves two groups (its
    counts relabelled for the second). ``crosstab_by`` {group: item}: each such group's
    pass also counts each item against the item."""
    out: list[Counted] = []
    seen: dict[tuple[object, ...], Counted] = {}
    for plan in plans:
        key = same_file(plan)
        if key in seen:
            first = seen[key]
            group = pl.lit(plan.group).alias("group")
            out.append(
                replace(
                    first,
                    counts=first.counts.with_columns(group),
                    tally=None if first.tally is None else first.tally.with_columns(group),
                )
            )
            continue
        cross = crosstab_by.get(plan.group) if crosstab_by else None
        found = count_file(
            plan,
            sniffs[plan.group],
            cfg,
            by_wave=by_wave,
            votes=votes,
            crosstab_by=cross,
            segments=segments,
        )
        seen[key] = found
        out.append(found)
    return out
