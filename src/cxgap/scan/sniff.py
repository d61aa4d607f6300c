"""The first rows of a file, before the counting pass: obvious non-items, integer columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from cxgap.code.choose import ScaleChoice
from cxgap.code.coding import NotAnItem, answer_table, resolve_items
from cxgap.scales import (
    VOCABULARIES,
    Scale,
)

#: How many leading responses are sniffed before the counting pass.
SNIFF_ROWS = 10_000
#: A sniffed column is dropped before the pass only with at least this many
#: answers of which at most SNIFF_MAX_FIT fit a scale.
SNIFF_MIN_ANSWERS = 200
SNIFF_MAX_FIT = 0.05


@dataclass(frozen=True)
class Sniff:
    """What the first rows of a file say about its item columns."""

    #: every sniffed answer is blank or a small integer: parse the column as Int16
    integer_items: frozenset[str]
    #: clearly not items (free text, demographics): left out of the counting pass
    not_items: list[NotAnItem]
    #: the integers seen in each integer item (that the sniff keeps)
    integer_values: dict[str, list[int]] = field(default_factory=dict)
    #: the first rows' answer counts (item, value, n) of the columns it keeps
    sample: pl.DataFrame | None = None
    #: the wave labels in the first rows (empty without a wave column)
    waves: frozenset[str] = frozenset()
    #: the file's last column, no item, is blank or a small integer in every first row
    integer_last: bool = False


def small_integer(value: pl.Expr) -> pl.Expr:
    """Whether a text answer is blank or a small integer written as the integer reads back
    ("4", not "04" or "-0"): what a column read as Int16 keeps as written."""
    return value.is_null() | value.str.contains(r"^(0|-?[1-9]\d{0,3})$")


def sniff_items(
    sample: pl.DataFrame,
    columns: Mapping[str, str],
    *,
    default_scale: Scale,
    item_scales: Mapping[str, Scale],
    non_answers: Iterable[str] = (),
    strict: Iterable[str] = (),
    vocabularies: Sequence[Scale] = VOCABULARIES,
    declared: Mapping[str, ScaleChoice | None] | None = None,
    scale_set: bool = True,
) -> Sniff:
    """Classify item columns from a file's first rows (vectorised over the sample)."""
    if sample.height == 0 or not columns:
        return Sniff(frozenset(), [], {})
    # Each column's distinct answers counted where it stands, then stacked: an unpivot
    # first would hold a row (and the item's name) per cell of the sample.
    per_column = sample.lazy().select(
        pl.col(col).cast(pl.String).alias("value").value_counts(name="n").implode().alias(item)
        for item, col in columns.items()
    )
    counts = (
        per_column.unpivot(variable_name="item", value_name="counts")
        .explode("counts")
        .unnest("counts")
        .with_columns(pl.col("n").cast(pl.Int64))
        .collect()
    )
    # The integer pass stores the number, and the counts must keep each answer as written.
    small_int = small_integer(pl.col("value"))
    integer = counts.group_by("item").agg(small_int.all().alias("ok")).filter("ok")["item"]
    strict_set = set(strict)
    answers = answer_table(counts, non_answers, distinct=True)
    _, _, skipped = resolve_items(
        counts,
        [i for i in columns if i not in strict_set],
        default_scale=default_scale,
        item_scales=item_scales,
        non_answers=non_answers,
        vocabularies=vocabularies,
        declared=declared,
        scale_set=scale_set,
        answers=answers,
    )
    answered = answers.filter(~pl.col("missing"))
    volume = dict(answered.group_by("item").agg(pl.col("n").sum()).iter_rows())
    dropped = []
    for s in skipped:
        if volume.get(s.item, 0) >= SNIFF_MIN_ANSWERS and s.fit <= SNIFF_MAX_FIT:
            reason = f"{s.reason} (judged from the first {sample.height:,} rows)"
            dropped.append(NotAnItem(s.item, reason, s.fit))
    # what is kept of the columns that stay (a dropped one is no item to count)
    gone = {d.item for d in dropped}
    kept = counts.filter(~pl.col("item").is_in(gone))
    ints = kept.filter(pl.col("item").is_in(integer.to_list()) & pl.col("value").is_not_null())
    seen: dict[str, list[int]] = {}
    for item, value in ints.select("item", "value").iter_rows():
        seen.setdefault(item, []).append(int(value))
    return Sniff(frozenset(integer.to_list()), dropped, seen, kept)
