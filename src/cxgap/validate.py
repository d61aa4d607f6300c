"""``validate``: every problem in the input files, collected rather than raised.

Each file is read once for its counts (the same pass as ``analyze``); a few
targeted queries then find the first rows of each problem. Problems are
grouped by kind and column with a count and the first few examples, so ten
thousand bad cells make one line, not ten thousand.
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
from cxgap.errors import CxgapError
from cxgap.io import open_survey
from cxgap.io.source import SurveyFile, duplicate_ids
from cxgap.items import declared_scales
from cxgap.model import Example, ItemScale, Problem, ValidationReport
from cxgap.plan import FilePlan, plan_file
from cxgap.scales import VOCABULARIES

MAX_EXAMPLES = 3
NAN_TEXT = {"nan", "-nan", "inf", "-inf", "+inf", "infinity", "-infinity", "null", "none"}
#: A respondent gives the same answer to every item (and at least this many items).
STRAIGHT_LINE_MIN_ITEMS = 3


def validate(
    files: Sequence[str | Path], config: Config | None = None, *, source: str = "auto"
) -> ValidationReport:
    """Check each file against the schema and config; with two files, also their pairing."""
    cfg = config or Config()
    problems: list[Problem] = []
    plans: list[FilePlan] = []
    scales: list[ItemScale] = []
    for k, path in enumerate(files):
        group = ("leaders", "customers")[k] if len(files) == 2 and k < 2 else "customers"
        try:
            survey = open_survey(path, source, wave_column=cfg.wave_column)
            plan = plan_file(survey, group, cfg)
        except CxgapError as exc:
            problems.append(_problem("unreadable", "error", str(path), exc.column, 1, exc.message))
            continue
        plans.append(plan)
        problems += _check_file(plan, cfg, scales)
    if len(plans) == 2:
        problems += _check_pair(plans, problems)
    problems.sort(key=lambda p: (p.severity != "error", p.file or "", p.code, p.column or ""))
    errors = sum(p.severity == "error" for p in problems)
    return ValidationReport(
        cxgap_version=__version__,
        valid=errors == 0,
        files=[str(f) for f in files],
        errors=errors,
        warnings=len(problems) - errors,
        problems=problems,
        scales=scales,
    )


def _problem(
    code: str,
    severity: Literal["error", "warning"],
    file: str | None,
    column: str | None,
    count: int,
    message: str,
    examples: Sequence[Example] = (),
) -> Problem:
    return Problem(
        code=code,
        severity=severity,
        file=file,
        column=column,
        count=count,
        message=message,
        examples=list(examples),
    )


def _check_file(plan: FilePlan, cfg: Config, scales: list[ItemScale]) -> list[Problem]:
    survey, name = plan.survey, str(plan.survey.path)
    out = [_problem("reader_note", "warning", name, None, 1, note) for note in survey.notes]
    if not plan.items:
        out.append(_problem("no_items", "error", name, None, 0, "no columns that could be items"))
        return out
    try:
        counts = count_answers(
            [(survey, count_query(survey, group=plan.group, columns=plan.items))]
        )
    except CxgapError as exc:
        return [*out, _problem("unreadable", "error", name, None, 1, exc.message)]
    rows = int(counts.filter(pl.col("item") == next(iter(plan.items)))["n"].sum())
    if rows == 0:
        return [*out, _problem("header_only", "error", name, None, 0,
                               "the file has a header but no responses")]  # fmt: skip
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
    scales.extend(
        ItemScale(file=name, item=c.item, column=plan.items[c.item], scale=c.scale.name,
                  source=c.source, reason=c.reason)
        for c in codings
    )  # fmt: skip
    for problem in unknown:
        out += _unrecognised(plan, problem)
    for s in skipped:
        out.append(_problem("not_an_item", "warning", name, plan.items[s.item], 1, s.reason))
    for coding in codings:
        if coding.n_answers == 0:
            column = plan.items[coding.item]
            out.append(_problem("all_missing", "warning", name, column, rows,
                                "no valid answer in any row"))  # fmt: skip
    if plan.id_column is not None:
        extra, ids = duplicate_ids(survey, plan.id_column)
        if extra:
            out.append(_problem(
                "duplicate_ids", "error" if cfg.duplicates == "error" else "warning", name,
                plan.id_column, extra, f"{extra} row(s) repeat a respondent id",
                [Example(row=None, value=v) for v in ids],
            ))  # fmt: skip
    out += _straight_liners(plan, codings)
    return out


def _unrecognised(plan: FilePlan, problem: Unrecognised) -> list[Problem]:
    survey, column = plan.survey, plan.items[problem.item]
    nan = [(v, n) for v, n in problem.values if v.strip().lower() in NAN_TEXT]
    other = [(v, n) for v, n in problem.values if v.strip().lower() not in NAN_TEXT]
    out = []
    for code, values, what in (
        ("nan_text", nan, "text such as NaN or inf where an answer was expected"),
        ("unrecognised_answers", other, _expected(problem)),
    ):
        if not values:
            continue
        shown = ", ".join(f"{v!r} ({n}x)" for v, n in values[:5])
        more = f" and {len(values) - 5} more distinct" if len(values) > 5 else ""
        out.append(_problem(
            code, "error", str(survey.path), column, sum(n for _, n in values),
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
        "straight_liners", "warning", str(plan.survey.path), None, n,
        f"{n} of {rows} respondents gave the same answer to every item they answered "
        f"(at least {STRAIGHT_LINE_MIN_ITEMS}); check for careless responding",
    )]  # fmt: skip


def _check_pair(plans: list[FilePlan], problems: list[Problem]) -> list[Problem]:
    lead, cust = plans
    bad_columns = {p.column for p in problems if p.code == "not_an_item"}
    lead_items = {i for i, c in lead.items.items() if c not in bad_columns}
    cust_items = {i for i, c in cust.items.items() if c not in bad_columns}
    out = []
    common = lead_items & cust_items
    if not common:
        out.append(_problem("no_common_items", "error", None, None, 0,
                            "no item is in both files (match by column name, or map columns "
                            "in [items])"))  # fmt: skip
    for plan, mine, other in ((lead, lead_items, cust_items), (cust, cust_items, lead_items)):
        only = sorted(mine - other)
        if only:
            out.append(_problem(
                "only_in_one_file", "warning", str(plan.survey.path), None, len(only),
                f"{len(only)} item(s) only in this file, left out of comparisons: "
                + ", ".join(only[:8]) + (" ..." if len(only) > 8 else ""),
            ))  # fmt: skip
    return out
