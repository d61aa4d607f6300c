"""One export that several groups answered, split by a group column into the groups.

The split is checked before anything is counted: a leaders or customers value that
matches no row is an error naming the file, the column and the values the column
does hold (with counts, and the closest one when a value differs only in case or
spacing); rows that mark neither group are left out with a warning.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

import polars as pl

from cxgap.config import Config
from cxgap.errors import UnknownColumn, UnknownGroupValue
from cxgap.io.source import FilteredSurvey, SurveyFile

#: Distinct values of the group column listed in a message.
SHOWN_VALUES = 8


def split_by_group(surveys: Mapping[str, SurveyFile], cfg: Config) -> dict[str, SurveyFile]:
    """Each group's rows of its survey: those whose group column holds the group's values."""
    column = cfg.group_column
    assert column is not None
    for survey in surveys.values():
        if column not in survey.columns:
            raise UnknownColumn(file=survey.path, setting="group_column", name=column)
    out: dict[str, SurveyFile] = {}
    notes: list[str] = []
    seen: dict[str, dict[str | None, int]] = {}  # one pass when one file serves all
    for group, survey in surveys.items():
        wanted = cfg.values_for(group)
        key = str(survey.path)
        first = key not in seen
        if first:
            seen[key] = group_values(survey, column)
        held = seen[key]
        if not any(held.get(v) for v in wanted):
            raise unknown_group_value(survey, column, group, wanted, held)
        if first:
            notes += ungrouped_note(survey, column, held, cfg, list(surveys))
        out[group] = FilteredSurvey(survey, column, wanted)
    head = next(iter(out.values()))
    head.notes = [*head.notes, *notes]
    return out


def group_values(survey: SurveyFile, column: str) -> dict[str | None, int]:
    """Each value of the group column (spaces trimmed, as the split compares) and its count."""
    values = survey.collect(
        survey.scan([]).group_by(pl.col(column).cast(pl.String).str.strip_chars()).len()
    )
    return {v: int(n) for v, n in values.rows()}


def unknown_group_value(
    survey: SurveyFile,
    column: str,
    group: str,
    wanted: Sequence[str],
    held: dict[str | None, int],
) -> UnknownGroupValue:
    """The error for values that match no row: what the column holds instead."""
    ranked = sorted(held.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))
    shown = ", ".join(
        f"{'(blank)' if v is None else repr(v)} ({n:,}x)" for v, n in ranked[:SHOWN_VALUES]
    )
    if len(ranked) > SHOWN_VALUES:
        shown += f" and {len(ranked) - SHOWN_VALUES} more"
    if not ranked:
        shown = "no rows at all"
    near = [m for v in wanted if (m := closest_value(v, [k for k in held if k is not None]))]
    hint = (
        "did you mean " + " or ".join(repr(m) for m in dict.fromkeys(near)) + "? values match "
        "exactly (case and spaces inside count)"
        if near
        else (f"--{group}-value" if group in ("leaders", "customers") else f"groups.{group}.values")
        + " must be one of the values the column holds"
    )
    return UnknownGroupValue(
        file=survey.path,
        column=column,
        hint=hint,
        group=group.removesuffix("s"),
        wanted=", ".join(repr(v) for v in wanted),
        held=shown,
    )


def closest_value(value: str, candidates: Sequence[str]) -> str | None:
    """The candidate ``value`` was probably meant as: equal but for case and spacing,
    else the closest spelling (difflib, ratio >= 0.75)."""

    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    same = [c for c in candidates if norm(c) == norm(value)]
    if same:
        return same[0]
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.75)
    return close[0] if close else None


def ungrouped_note(
    survey: SurveyFile,
    column: str,
    held: dict[str | None, int],
    cfg: Config,
    groups: Sequence[str],
) -> list[str]:
    """A note on rows whose group value marks no group (they are left out)."""
    known = {v for g in groups for v in cfg.values_for(g)}
    stray = [(v, n) for v, n in held.items() if v not in known]
    if not stray:
        return []
    ordered = sorted(stray, key=lambda x: (-x[1], x[0] is None, str(x[0])))[:5]
    shown = ", ".join(f"{'blank' if v is None else repr(v)} ({n}x)" for v, n in ordered)
    total = sum(n for _, n in stray)
    return [f"{survey.path}: {total} row(s) have a {column!r} value that marks no group, "
            f"left out: {shown}"]  # fmt: skip
