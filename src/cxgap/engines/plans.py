"""From the local path's plans to the query builder's inputs, and back from its results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from cxgap.config import Config
from cxgap.counts_table import WEIGHT_SCALE, unfixed
from cxgap.engines.expressions import AGREES
from cxgap.engines.query import GroupQuery, TableQuery
from cxgap.io.plan import FilePlan
from cxgap.io.source import WIDE_QUERY_COLUMNS
from cxgap.scan.sniff import Sniff


def table_query(
    plans: Sequence[FilePlan],
    cfg: Config,
    table: tuple[str, ...],
    *,
    votes: Mapping[str, Mapping[str, int]] | None = None,
    cross: tuple[str, tuple[str, ...]] | None = None,
    reference: str | None = None,
) -> TableQuery:
    """The builder's view of the groups one engine's table holds: each group's rows,
    items, wave, segment keys and weight; the composite's votes (each group's over the
    items it has) or each group's cross-tab against the headline item (where it has it)."""
    types: dict[str, str] = {}
    groups = []
    for plan in plans:
        survey = plan.survey
        types.update(getattr(survey, "types", {}))
        mine = None
        if votes is not None:
            mine = {item: dict(v) for item, v in votes.items() if item in plan.items}
        crossed = None
        # the reference group's cross-tab, and each other group's that has the headline
        # item (its own derived importance), as the local pass counts them
        if cross is not None and (plan.group == reference or cross[0] in plan.items):
            by, items = cross
            crossed = (by, tuple(i for i in items if i in plan.items))
        groups.append(
            GroupQuery(
                group=plan.group,
                items=dict(plan.items),
                where=getattr(survey, "where", None),
                wave=plan.wave_column,
                segments={key: key for key in plan.segment_columns},
                weight=plan.weight_column,
                votes=mine or None,
                crosstab=crossed,
            )
        )
    return TableQuery(table, types, groups, tuple(cfg.count_keys()))


def integer_path(plan: FilePlan, sniff: Sniff, cfg: Config, distinct: pl.DataFrame) -> bool:
    """Whether the local path counts this group with its integer pass: few items, every
    sniffed answer a small integer, and every answer one of the expected codes."""
    if len(plan.items) > WIDE_QUERY_COLUMNS or not sniff.integer_items >= set(plan.items):
        return False
    mine = distinct.filter((pl.col("group") == plan.group) & pl.col("value").is_not_null())
    seen: dict[str, set[str]] = {}
    for item, value in mine.select("item", "value").iter_rows():
        seen.setdefault(item, set()).add(value)
    for item in plan.items:
        codes = {str(c) for c in (*cfg.scale_for(item).codes, *sniff.integer_values.get(item, ()))}
        if not seen.get(item, set()) <= codes:
            return False
    return True


#: The composite cells' columns as the aggregation gives them (fixed-point sums kept).
CELLS = {"group": pl.String, "wave": pl.String, "value": pl.String, "n": pl.Int64,
         "f_sum": pl.Int128, "f2_sum": pl.Int128}  # fmt: skip


def composite_cells(rows: pl.DataFrame, segments: Sequence[str]) -> pl.DataFrame:
    """The composite part's rows: group, wave, segment keys, class, n and the fixed-point
    sums (zero for an unweighted group)."""
    return rows.select(
        pl.col("group").cast(pl.String), pl.col("wave").cast(pl.String),
        *(pl.col(s).cast(pl.String) for s in segments), pl.col("value").cast(pl.String),
        pl.col("n").cast(pl.Int64),
        pl.col("w_sum").cast(pl.Int128).fill_null(0).alias("f_sum"),
        pl.col("w2_sum").cast(pl.Int128).fill_null(0).alias("f2_sum"),
    )  # fmt: skip


def text_cells(cells: pl.DataFrame, plan: FilePlan, item: str) -> pl.DataFrame:
    """The composite cells as the local text pass counts them: the class as an item's
    answers, each cell's sums back from fixed point (the counts when unweighted)."""
    weighted = plan.weight_column is not None
    sums = [
        (unfixed(pl.col(f)) if weighted else pl.col("n").cast(pl.Float64)).alias(name)
        for f, name in (("f_sum", "w_sum"), ("f2_sum", "w2_sum"))
    ]
    keys = [c for c in cells.columns if c not in ("group", "value", "n", "f_sum", "f2_sum")]
    table = cells.select(
        "group", pl.lit(item, dtype=pl.String).alias("item"), *keys, "value", "n", *sums
    )
    return table.sort(["group", "item", *keys, "value"], nulls_last=False)


def rows_tally(cells: pl.DataFrame, plan: FilePlan, *, integer: bool) -> pl.DataFrame:
    """A group's composite tallies per wave summed exactly: group, wave and the tally
    columns. Each sum leaves fixed point as the local pass that counts it does: the
    integer pass (``integer``) from its rows per wave, the composite's own pass in its
    grouping (polars divides a column of several values by multiplying with the inverse,
    a single value exactly: the same steps give the same bits)."""
    value = pl.col("value")
    answered, agrees = value.is_not_null(), value == AGREES
    weighted = plan.weight_column is not None

    def total(column: str, which: pl.Expr) -> pl.Expr:
        if weighted:
            found = pl.col(column).filter(which).sum()
            return found if integer else unfixed(found)
        return pl.col("n").filter(which).sum().cast(pl.Float64)

    sums = [
        pl.col("n").filter(answered).sum().alias("n"),
        pl.col("n").filter(agrees).sum().alias("agree"),
        pl.col("n").filter(value.is_null()).sum().alias("missing"),
        total("f_sum", answered).alias("w_n"),
        total("f_sum", agrees).alias("w_agree"),
        total("f2_sum", answered).alias("w2_n"),
        total("f2_sum", agrees).alias("w2_agree"),
    ]
    per_wave = cells.group_by("wave").agg(sums)
    if integer and weighted:  # the fixed-point sums per wave, then out of fixed point
        names = ("w_n", "w_agree", "w2_n", "w2_agree")
        per_wave = per_wave.with_columns(unfixed(pl.col(n).fill_null(0)).alias(n) for n in names)
    return _typed_tally(per_wave, plan.group)


def _typed_tally(frame: pl.DataFrame, group: str) -> pl.DataFrame:
    return frame.select(
        pl.lit(group, dtype=pl.String).alias("group"),
        pl.col("wave").cast(pl.String),
        pl.col("n", "agree", "missing").fill_null(0).cast(pl.Int64),
        pl.col("w_n", "w_agree", "w2_n", "w2_agree").fill_null(0).cast(pl.Float64),
    ).sort("wave", nulls_last=False)


def exact_division(sums: pl.Series) -> pl.Series:
    """Fixed-point sums out of fixed point one by one (as the integer pass's cross-tab
    does: ``float(sum) / WEIGHT_SCALE``, the correctly rounded quotient)."""
    return pl.Series(
        sums.name, [None if v is None else float(v) / WEIGHT_SCALE for v in sums.to_list()],
        dtype=pl.Float64,
    )  # fmt: skip
