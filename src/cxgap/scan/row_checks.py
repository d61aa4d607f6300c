"""Checks that read a file's rows for validate: ragged lines, where an answer first
stands, respondents who answer every item alike, rows with a blank wave."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from cxgap.code.coding import ItemCoding
from cxgap.errors import (
    BlankWave,
    CxgapError,
    DuplicateId,
    RaggedRow,
    StraightLiners,
)
from cxgap.io.csv import quote_error
from cxgap.io.fields import format_lines
from cxgap.io.plan import FilePlan
from cxgap.io.source import SurveyFile, duplicate_ids
from cxgap.model import Example, Problem
from cxgap.scan.blank_waves import LEFT_OUT, no_waves, scan_blank_waves
from cxgap.scan.counting import respondent_tally

MAX_EXAMPLES = 3
#: Ranges of ragged lines written out per field count (then "and N more").
RAGGED_RANGES = 50
#: A respondent gives the same answer to every item (and at least this many items).
STRAIGHT_LINE_MIN_ITEMS = 3


def problem(
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


def ragged(survey: SurveyFile) -> list[Problem]:
    """Every ragged line of each delimited file, one problem per field count; then the
    first quote the reader cannot read past (the scan stops there), as analyze says it."""
    out = []
    for part in survey.parts():
        found = part.field_scan()
        if found is not None and found.quote is not None:
            error = quote_error(part.path, found, found.quote, part.columns)
            message = f"{error.message} ({error.hint})"
            examples = [Example(row=error.row, value="")]
            out.append(problem(type(error), str(part.path), error.column, 1, message, examples))
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
            out.append(problem(RaggedRow, str(part.path), None, len(lines), message, examples))
    return out


def first_rows(survey: SurveyFile, column: str, values: list[str]) -> list[Example]:
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


def straight_liners(plan: FilePlan, codings: list[ItemCoding], group: str = "") -> list[Problem]:
    """Respondents who gave the same answer to every item they answered, among the items
    on the codes most items have: the same code on a scale of another length or range
    ("Slightly helpful" of 7 points, "Extremely useful" of 5, both 5) is no same answer."""
    scales: dict[tuple[int, ...], list[ItemCoding]] = {}
    for c in codings:
        scales.setdefault(c.scale.codes, []).append(c)
    if len(scales) > 1:
        codings = max(scales.values(), key=len)  # ties: the first codes met
    if len(codings) < STRAIGHT_LINE_MIN_ITEMS:
        return []
    codes = codings[0].scale.codes
    among = f" of the {len(codings)} items on codes {codes[0]}-{codes[-1]}" * (len(scales) > 1)
    tally, width = respondent_tally(
        plan.survey,
        columns={c.item: plan.items[c.item] for c in codings},
        codes={c.item: c.codes for c in codings},
    )
    flat = (pl.col("answered") >= STRAIGHT_LINE_MIN_ITEMS) & (pl.col("lowest") == pl.col("highest"))
    query = tally.select(flat.sum().alias("n"), pl.len().alias("rows"))
    found = plan.survey.collect(query, width=width)
    n, rows = int(found["n"][0] or 0), int(found["rows"][0])
    if not n:
        return []
    return [problem(
        StraightLiners, str(plan.survey.path), None, n,
        f"{n} of {rows} respondents gave the same answer to every item they answered"
        f"{among} (at least {STRAIGHT_LINE_MIN_ITEMS}){group}; check for careless responding",
    )]  # fmt: skip


def duplicates(plan: FilePlan, group: str, severity: Literal["error", "warning"]) -> list[Problem]:
    """Repeated respondent ids in the file (with the first few), when it has an id column."""
    if plan.id_column is None:
        return []
    extra, ids = duplicate_ids(plan.survey, plan.id_column)
    if not extra:
        return []
    return [problem(
        DuplicateId, str(plan.survey.path), plan.id_column, extra,
        DuplicateId.template.format(extra=extra, examples=", ".join(ids)) + group,
        [Example(row=None, value=v) for v in ids], severity=severity,
    )]  # fmt: skip


def blank_waves(plan: FilePlan, group: str) -> list[Problem]:
    """Rows with a blank wave cell, said as analyze says them (see cxgap.scan.blank_waves)."""
    column = plan.wave_column
    if column is None:
        return []
    blank, rows, first = scan_blank_waves(plan.survey, column, MAX_EXAMPLES)
    if not blank:
        return []
    if blank == rows:
        message = f"column {column!r} is blank in every row{group}: {no_waves(rows)}"
    else:
        message = (
            f"{blank:,} of {rows:,} row(s) have a blank wave{group}: analyze counts them when "
            f"it pools the waves; {LEFT_OUT}"
        )
    examples = [Example(row=r, value="") for r in first]
    return [problem(BlankWave, str(plan.survey.path), column, blank, message, examples)]
