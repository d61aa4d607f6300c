"""Rows whose wave cell is blank in a file with a wave column: in the pooled figures (a
pooled ``analyze`` counts every row) but in no wave (``trend``, ``check`` and ``--wave``
select rows by their label). They are counted, never dropped in silence: the warnings
say how many, where the first is, and which views leave them out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from cxgap.io.plan import FilePlan
from cxgap.io.source import SurveyFile


@dataclass(frozen=True)
class BlankWaves:
    """One group's rows with a blank wave."""

    path: str
    column: str
    rows: int
    #: the 1-based row of the first (None: not known, e.g. a counts file written without it)
    first: int | None
    #: every row's wave is blank: the file reads as one without waves
    every: bool = False


def counted_blanks(counts: pl.DataFrame, plan: FilePlan) -> int:
    """The rows without a wave label in one group's counts counted by wave: the first
    item's respondents (blank answers included) whose wave is null."""
    first = next(iter(plan.items), None)
    if plan.wave_column is None or first is None or counts.is_empty():
        return 0
    mine = counts.filter(
        (pl.col("group") == plan.group) & (pl.col("item") == first) & pl.col("wave").is_null()
    )
    return int(mine["n"].sum())


def first_blank_rows(survey: SurveyFile, column: str, limit: int = 1) -> list[int]:
    """The 1-based rows of the first ``limit`` blank wave cells: one scan of the column
    (run only when the counting pass found some)."""
    query = (
        survey.scan(text_columns=[column])
        .select(pl.col(column).is_null().alias("blank"))
        .with_row_index("__row")
        .filter(pl.col("blank"))
        .head(limit)
    )
    return [survey.locate(int(i))[1] for i in survey.collect(query)["__row"].to_list()]


def find_blank_waves(
    plans: Sequence[FilePlan],
    blanks: Mapping[str, int],
    waves: Mapping[str, list[str]],
    first_rows: Mapping[str, int] | None = None,
) -> dict[str, BlankWaves]:
    """Per group with any, its blank wave cells (``blanks``: their count per group). The
    first one's row comes from ``first_rows`` (a counts file's metadata) or, when None,
    from a scan of the rows (only for a group that has some and some labelled rows)."""
    out: dict[str, BlankWaves] = {}
    for plan in plans:
        rows = blanks.get(plan.group, 0)
        if not rows or plan.wave_column is None:
            continue
        every = not waves.get(plan.group)
        if first_rows is not None:
            first = first_rows.get(plan.group)
        else:
            found = [] if every else first_blank_rows(plan.survey, plan.wave_column)
            first = found[0] if found else None
        out[plan.group] = BlankWaves(
            str(plan.survey.path), plan.wave_column, rows, first, every=every
        )
    return out


def no_waves(rows: int) -> str:
    """What becomes of a file whose wave column is blank in every row."""
    return f"read as a file without waves (its {rows:,} rows count in every wave)"


#: What trend, check and --wave do with a row whose wave is blank.
LEFT_OUT = "trend, check and --wave leave them out of every wave"


def blank_wave_note(group: str, found: BlankWaves, view: Literal["pooled", "waves"]) -> str:
    """The warning: how many, where, and what the view does with them."""
    if found.every:
        return (
            f"{group}: column {found.column!r} is blank in every row ({found.path}): "
            + no_waves(found.rows)
        )
    where = found.path + (f", first at row {found.first}" if found.first is not None else "")
    fate = (
        f"counted in the pooled figures; {LEFT_OUT}"
        if view == "pooled"
        else "left out of every wave (only a pooled analyze counts them)"
    )
    what = f"{found.rows:,} row(s) with a blank wave in column {found.column!r}"
    return f"{group}: {what} ({where}): {fate}"


def blank_wave_notes(
    found: Mapping[str, BlankWaves], view: Literal["pooled", "waves"]
) -> list[str]:
    """The warnings of every group's blank wave cells, for a pooled or a per-wave view."""
    return [blank_wave_note(group, blanks, view) for group, blanks in found.items()]


def scan_blank_waves(survey: SurveyFile, column: str, limit: int) -> tuple[int, int, list[int]]:
    """For ``validate``: the blank wave cells, the rows, and the first ``limit`` blank
    cells' rows (a scan of the wave column; a second only when some are blank)."""
    query = survey.scan(text_columns=[column]).select(
        pl.col(column).null_count().alias("blank"), pl.len().alias("rows")
    )
    found = survey.collect(query)
    blank, rows = int(found["blank"][0]), int(found["rows"][0])
    return blank, rows, first_blank_rows(survey, column, limit) if 0 < blank < rows else []
