"""``validate``: every problem in the input files, collected rather than raised.

Each file is read once for its counts (the same pass as ``analyze``); a few
targeted queries then find the first rows of each problem. Problems are
grouped by kind and column with a count and the first few examples, so ten
thousand bad cells make one line, not ten thousand.

Every problem is a kind from the catalogue in :mod:`cxgap.errors` (its ``code``
and severity come from the class), the same classes ``analyze`` raises, so the
two never disagree on what is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import polars as pl

from cxgap._version import __version__
from cxgap.coding import ItemCoding, Unrecognised, resolve_items
from cxgap.config import Config
from cxgap.counts import count_answers, count_query
from cxgap.errors import (
    AllMissing,
    CxgapError,
    DuplicateId,
    HeaderOnly,
    NanText,
    NoCommonItems,
    NoItems,
    NotAnItem,
    OnlyInOneFile,
    RaggedRow,
    ReaderNote,
    ScaleError,
    StraightLiners,
    UsageError,
)
from cxgap.io import open_survey
from cxgap.io.fields import format_lines
from cxgap.io.source import SurveyFile, duplicate_ids
from cxgap.items import check_included, declared_scales
from cxgap.model import Example, ItemScale, Problem, ValidationReport
from cxgap.plan import FilePlan, plan_file
from cxgap.scales import VOCABULARIES
from cxgap.split import split_by_group

MAX_EXAMPLES = 3
#: Ranges of ragged lines written out per field count (then "and N more").
RAGGED_RANGES = 50
NAN_TEXT = {"nan", "-nan", "inf", "-inf", "+inf", "infinity", "-infinity", "null", "none"}
#: A respondent gives the same answer to every item (and at least this many items).
STRAIGHT_LINE_MIN_ITEMS = 3


def validate(
    files: Sequence[str | Path], config: Config | None = None, *, source: str = "auto"
) -> ValidationReport:
    """Check each file against the schema and config; with two files, also their pairing.
    One file with ``group_column`` set is checked as the two groups it is split into."""
    cfg = config or Config()
    problems: list[Problem] = []
    plans: list[FilePlan] = []
    split = bool(cfg.group_column) and len(files) == 1
    scales: list[ItemScale] = []
    for k, path in enumerate(files):
        group = ("leaders", "customers")[k] if len(files) == 2 and k < 2 else "customers"
        try:
            survey = open_survey(path, source, wave_column=cfg.wave_column)
            if split:  # the two groups analyze would make of it
                halves = split_by_group([survey, survey], cfg)
                parts = list(zip(("leaders", "customers"), halves, strict=True))
            else:
                parts = [(group, survey)]
            mine = [plan_file(s, g, cfg.with_items_in(survey.columns)) for g, s in parts]
        except UsageError:
            raise  # the command line, not the file: exit 2 as for any command
        except CxgapError as exc:
            problems.append(_from_error(exc, str(path)))
            continue
        for plan in mine:
            plans.append(plan)
            problems += _check_file(plan, cfg, scales)
    if len(plans) == 2:
        problems += _check_pair(plans, problems)
    # Both halves of a split file share its file-level problems (ragged lines ...): once each.
    problems = list({p.model_dump_json(): p for p in problems}.values())
    problems.sort(key=lambda p: (p.severity != "error", p.file or "", p.code, p.column or ""))
    errors = sum(p.severity == "error" for p in problems)
    return ValidationReport(
        cxgap_version=__version__,
        valid=errors == 0,
        files=[str(f) for f in files],
        errors=errors,
        warnings=len(problems) - errors,
        problems=problems,
        scales=list({s.model_dump_json(): s for s in scales}.values()),
    )


def _problem(
    kind: type[CxgapError],
    file: str | None,
    column: str | None,
    count: int,
    message: str | None = None,
    examples: Sequence[Example] = (),
    severity: Literal["error", "warning"] | None = None,
) -> Problem:
    """One problem of a catalogue kind (its template is the message unless one is given)."""
    return Problem(
        code=kind.code,
        severity=severity or kind.severity,
        file=file,
        column=column,
        count=count,
        message=message if message is not None else kind.template,
        examples=list(examples),
    )


def _from_error(exc: CxgapError, file: str) -> Problem:
    """A raised error as a problem: same code, same message."""
    examples = [Example(row=exc.row, value="")] if exc.row is not None else []
    message = exc.message + (f" ({exc.hint})" if exc.hint else "")
    return Problem(code=exc.code, severity=exc.severity, file=exc.file or file,
                   column=exc.column, count=1, message=message, examples=examples)  # fmt: skip


def _ragged(survey: SurveyFile) -> list[Problem]:
    """Every ragged line of each delimited file, one problem per field count."""
    out = []
    for part in survey.parts():
        found = part.field_scan()
        if found is None or not found.ragged:
            continue
        unlisted = found.ragged - len(found.lines)
        for fields, lines in found.by_fields().items():
            word = "line" if len(lines) == 1 else "lines"
            message = (
                f"{len(lines):,} line(s) with {fields} field(s) where the header has "
                f"{found.expected}: {word} {format_lines(lines, len(lines), limit=RAGGED_RANGES)}"
            )
            if unlisted:
                message += f" ({unlisted:,} more ragged lines not itemised)"
            examples = [Example(row=n, value="") for n in lines[:MAX_EXAMPLES]]
            out.append(_problem(RaggedRow, str(part.path), None, len(lines), message, examples))
    return out


def _check_file(plan: FilePlan, cfg: Config, scales: list[ItemScale]) -> list[Problem]:
    survey, name = plan.survey, str(plan.survey.path)
    out = [_problem(ReaderNote, name, None, 1, note) for note in survey.notes]
    ragged = _ragged(survey)
    out += ragged
    if cfg.include_items:
        try:  # the same check analyze makes, so the two never disagree
            check_included(cfg.include_items, [plan])
        except CxgapError as exc:
            return [*out, _from_error(exc, name)]
    if not plan.items:
        out.append(_problem(NoItems, name, None, 0))
        return out
    try:
        counts = count_answers(
            [(survey, count_query(survey, group=plan.group, columns=plan.items))]
        )
    except RaggedRow:
        if ragged:  # listed above, line by line
            return out
        raise
    except CxgapError as exc:
        return [*out, _from_error(exc, name)]
    rows = int(counts.filter(pl.col("item") == next(iter(plan.items)))["n"].sum())
    if rows == 0:
        return [*out, _problem(HeaderOnly, name, None, 0)]
    custom = cfg.custom_scales()
    codings, unknown, skipped = resolve_items(
        counts,
        list(plan.items),
        default_scale=cfg.scale_for(""),
        item_scales={k: cfg.scale_for(k) for k, v in cfg.items.items() if v.scale},
        non_answers=cfg.non_answers,
        strict=plan.named,
        vocabularies=(*VOCABULARIES, *custom.values()),
        declared=declared_scales([plan], cfg),
        scale_set=cfg.scale_is_set,
        validating=True,
    )
    # An empty column is no item to analyze unless the user named it: listed (and
    # reported all-missing below), never counted as one, so the two never disagree.
    items = [c for c in codings if c.n_answers > 0 or c.item in plan.named]
    scales.extend(
        ItemScale(file=name, item=c.item, column=plan.items[c.item], scale=c.scale.name,
                  source=c.source, reason=c.reason)
        for c in items
    )  # fmt: skip
    for problem in unknown:
        out += _unrecognised(plan, problem)
    for s in skipped:
        out.append(_problem(NotAnItem, name, plan.items[s.item], 1, s.reason))
    if not items and not unknown:
        out.append(_problem(NoItems, name, None, 0))
    for coding in codings:
        if coding.n_answers == 0:
            column = plan.items[coding.item]
            out.append(_problem(AllMissing, name, column, rows))
    if plan.id_column is not None:
        extra, ids = duplicate_ids(survey, plan.id_column)
        if extra:
            out.append(_problem(
                DuplicateId, name, plan.id_column, extra,
                DuplicateId.template.format(extra=extra, examples=", ".join(ids)),
                [Example(row=None, value=v) for v in ids],
                severity="error" if cfg.duplicates == "error" else "warning",
            ))  # fmt: skip
    out += _straight_liners(plan, codings)
    return out


def _unrecognised(plan: FilePlan, problem: Unrecognised) -> list[Problem]:
    survey, column = plan.survey, plan.items[problem.item]
    nan = [(v, n) for v, n in problem.values if v.strip().lower() in NAN_TEXT]
    other = [(v, n) for v, n in problem.values if v.strip().lower() not in NAN_TEXT]
    out = []
    kinds: tuple[tuple[type[ScaleError], list[tuple[str, int]], str], ...] = (
        (NanText, nan, "text such as NaN or inf where an answer was expected"),
        (ScaleError, other, _expected(problem)),
    )
    for kind, values, what in kinds:
        if not values:
            continue
        shown = ", ".join(f"{v!r} ({n}x)" for v, n in values[:5])
        more = f" and {len(values) - 5} more distinct" if len(values) > 5 else ""
        out.append(_problem(
            kind, str(survey.path), column, sum(n for _, n in values),
            f"{what}; found {shown}{more}", _first_rows(survey, column, [v for v, _ in values]),
        ))  # fmt: skip
    return out


def _expected(problem: Unrecognised) -> str:
    scale = problem.scale
    if scale.labels:
        return f"answers outside the {scale.name} labels and the non-answers"
    return f"answers outside the {scale.name} codes and the non-answers"


def _first_rows(survey: SurveyFile, column: str, values: list[str]) -> list[Example]:
    query = (
        survey.scan([column])
        .select(pl.col(column).cast(pl.String))
        .with_row_index("__row")
        .filter(pl.col(column).is_in(values))
        .head(MAX_EXAMPLES)
    )
    found = survey.collect(query)
    return [
        Example(row=survey.locate(int(r))[1], value=str(v))
        for r, v in zip(found["__row"].to_list(), found[column].to_list(), strict=True)
    ]


def _straight_liners(plan: FilePlan, codings: list[ItemCoding]) -> list[Problem]:
    if len(codings) < STRAIGHT_LINE_MIN_ITEMS:
        return []
    codes = [
        pl.col(plan.items[c.item]).cast(pl.String).replace_strict(c.codes, default=None,
                                                                  return_dtype=pl.Int64)
        for c in codings
    ]  # fmt: skip
    answers = pl.concat_list(codes).list.drop_nulls()
    flat = (answers.list.len() >= STRAIGHT_LINE_MIN_ITEMS) & (answers.list.n_unique() == 1)
    columns = [plan.items[c.item] for c in codings]
    query = plan.survey.scan(columns).select(flat.sum().alias("n"), pl.len().alias("rows"))
    found = plan.survey.collect(query, width=len(codes))
    n, rows = int(found["n"][0] or 0), int(found["rows"][0])
    if not n:
        return []
    return [_problem(
        StraightLiners, str(plan.survey.path), None, n,
        f"{n} of {rows} respondents gave the same answer to every item they answered "
        f"(at least {STRAIGHT_LINE_MIN_ITEMS}); check for careless responding",
    )]  # fmt: skip


def _check_pair(plans: list[FilePlan], problems: list[Problem]) -> list[Problem]:
    lead, cust = plans
    bad_columns = {p.column for p in problems if p.code == NotAnItem.code}
    lead_items = {i for i, c in lead.items.items() if c not in bad_columns}
    cust_items = {i for i, c in cust.items.items() if c not in bad_columns}
    out = []
    common = lead_items & cust_items
    if not common:
        out.append(_problem(NoCommonItems, None, None, 0,
                            "no item is in both files (match by column name, or map columns "
                            "in [items])"))  # fmt: skip
    for plan, mine, other in ((lead, lead_items, cust_items), (cust, cust_items, lead_items)):
        only = sorted(mine - other)
        if only:
            out.append(_problem(
                OnlyInOneFile, str(plan.survey.path), None, len(only),
                f"{len(only)} item(s) only in this file, left out of comparisons: "
                + ", ".join(only[:8]) + (" ..." if len(only) > 8 else ""),
            ))  # fmt: skip
    return out
