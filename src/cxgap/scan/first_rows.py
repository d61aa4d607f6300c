"""Each group's file before its counting pass: the sniff of its first rows (plain
non-items dropped, integer columns and wave labels spotted), and what its last column,
where a short line shows, needs from the pass."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from cxgap.code.items import declared_scales, item_scales, vocabularies
from cxgap.config import Config
from cxgap.errors import HeaderOnly
from cxgap.io.plan import FilePlan
from cxgap.io.source import WIDE_QUERY_COLUMNS, SurveyFile
from cxgap.scan.sniff import SNIFF_ROWS, Sniff, small_integer, sniff_items


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


def _integer_last(plan: FilePlan, head: pl.DataFrame) -> bool:
    """Whether the integer pass may read the file's last column (no item) as small
    integers, for its blanks alone: the first rows give it answers, all small integers,
    and the reader's scan is plain. A platform layout's scan drops the rows blank in
    every column, and a blank written " " reads as text but not as an integer: a row
    blank but for it would drop out of the count."""
    last = last_column(plan)
    if last not in head.columns or last in _read_apart(plan) or not plan.survey.plain_head:
        return False
    column = pl.col(last)
    found = head.select(
        small_integer(column).all().alias("integers"), column.is_not_null().any().alias("some")
    ).row(0)
    return bool(found[0] and found[1])


def _read_apart(plan: FilePlan) -> set[str]:
    """The columns a pass reads for a purpose of their own: wave, weight, segment keys."""
    keys = [plan.wave_column, plan.weight_column, *plan.segment_columns]
    return {c for c in keys if c is not None}


def last_column(plan: FilePlan) -> str | None:
    """The file's last column when it is no item (its blanks are then counted apart)."""
    last = _final_column(plan)
    return None if last is None or last in plan.items.values() else last


def last_column_blanks(plan: FilePlan, counts: pl.DataFrame) -> int | None:
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


#: The rows sniffed in a wide file that has more (see sniff_files).
WIDE_SNIFF_ROWS = 1_000


def sniff_files(plans: list[FilePlan], cfg: Config) -> tuple[list[FilePlan], dict[str, Sniff]]:
    """Sniff each file's first rows: drop obvious non-items, spot integer-only columns.

    A wide file (more than WIDE_QUERY_COLUMNS item columns) takes the general counting
    pass anyway (see count_file), which judges every column on all its rows. Its first
    WIDE_SNIFF_ROWS rows are sniffed only when it has more rows than that: then the
    free text, ids and dates they show are not counted at all (their distinct answers
    would be most of the counts table); a shorter file is judged on its counts alone.
    """
    out: list[FilePlan] = []
    sniffs: dict[str, Sniff] = {}
    seen: dict[tuple[object, ...], tuple[FilePlan, Sniff]] = {}
    for plan in plans:
        key = same_file(plan)
        if key in seen:  # one export serving two groups: sniffed once
            first, sniff = seen[key]
            out.append(replace(plan, items=dict(first.items)))
            sniffs[plan.group] = sniff
            continue
        wide = len(plan.items) > WIDE_QUERY_COLUMNS
        head = plan.survey.head(WIDE_SNIFF_ROWS + 1 if wide else SNIFF_ROWS)
        if not head.height and _no_rows(plan.survey):
            raise HeaderOnly(file=plan.survey.path)
        if wide:
            if head.height <= WIDE_SNIFF_ROWS:
                out.append(plan)
                sniffs[plan.group] = Sniff(frozenset(), [], {})
                seen[key] = (plan, sniffs[plan.group])
                continue
            head = head.head(WIDE_SNIFF_ROWS)
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
        if plan.wave_column in head.columns:
            labels = head[plan.wave_column].drop_nulls().unique().to_list()
            sniff = replace(sniff, waves=frozenset(labels))
        sniff = replace(sniff, integer_last=_integer_last(plan, head))
        gone = {n.item for n in sniff.not_items}
        out.append(replace(plan, items={k: v for k, v in plan.items.items() if k not in gone}))
        sniffs[plan.group] = sniff
        seen[key] = (out[-1], sniff)
    return out, sniffs


def same_file(plan: FilePlan) -> tuple[object, ...]:
    """What makes two groups' plans read the same rows the same way: the same opened
    export (one file given for two groups, not split by a group column), the same item
    columns and the same named items."""
    return (id(plan.survey), tuple(plan.items.items()), plan.named, plan.wave_column,
            plan.segment_columns)  # fmt: skip
