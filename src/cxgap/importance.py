"""Derived importance: how strongly each item moves with the headline item among customers.

Importance-performance analysis needs, per item, an importance. Asking for it
doubles a survey's length, so practitioners derive it: the correlation, among
customers, between the item and the overall item. Pearson's r of two coded answers
is a function of their cross-tab (each pair of answers with its count), so one
streaming pass counts every item against the headline item and the correlations
come from the counts (:func:`cxgap.stats.correlation.pearson_from_cells`).

References
----------
Martilla, J. A. and James, J. C. (1977). Importance-performance analysis.
Journal of Marketing 41(1), 77-79.
"""

from __future__ import annotations

import polars as pl

from cxgap.coding import ItemCoding
from cxgap.counts import crosstab_query
from cxgap.errors import InputError
from cxgap.plan import FilePlan
from cxgap.stats.correlation import pearson_from_cells


def crosstab(plan: FilePlan, codings: list[ItemCoding], overall: str) -> pl.DataFrame | None:
    """Every other item's answers against ``overall``'s in one file, per wave (see
    :func:`cxgap.counts.crosstab_query`), sorted; None when ``overall`` is no item."""
    names = {c.item for c in codings}
    if overall not in names:
        return None
    others = [c.item for c in codings if c.item != overall]
    if not others:
        return _EMPTY
    columns = {item: plan.items[item] for item in others}
    by, wave = plan.items[overall], plan.wave_column
    # Items answered in plain integers ("4", as the integer counting pass writes them)
    # are read as integers, which is several times faster than text.
    integer = all(_plain_integer(a) for c in codings for a in c.codes)
    table = None
    if integer:
        query = crosstab_query(plan.survey, columns=columns, by=by, wave=wave, integer=True)
        try:
            table = plan.survey.collect(query)
        except InputError:  # an answer that is not a small integer: read the text
            table = None
    if table is None:
        table = plan.survey.collect(crosstab_query(plan.survey, columns=columns, by=by, wave=wave))
    # sorted: the sums then add up in one order, so r is the same to the last bit
    return table.sort(_ORDER, nulls_last=False)


def _plain_integer(answer: str) -> bool:
    return answer.lstrip("-").isdigit() and answer == str(int(answer))


_ORDER = ["wave", "item", "value", "by_value"]
_EMPTY = pl.DataFrame(
    schema={"wave": pl.String, "item": pl.String, "value": pl.String, "by_value": pl.String,
            "n": pl.Int64}
)  # fmt: skip


def importance_from_crosstab(
    table: pl.DataFrame | None,
    codings: list[ItemCoding],
    overall: str,
    *,
    wave: str | None = None,
) -> dict[str, float | None]:
    """Pearson r of each item with ``overall`` (None where undefined) over the
    respondents who answered both, in one ``wave`` when given, else all rows."""
    by_item = {c.item: c for c in codings}
    if table is None or overall not in by_item:
        return {}
    if wave is not None:
        table = table.filter(pl.col("wave") == wave)
    pooled = table.group_by("item", "value", "by_value").agg(pl.col("n").sum())
    pooled = pooled.sort(_ORDER[1:], nulls_last=False)
    others = [c for c in codings if c.item != overall]
    cells: dict[str, tuple[list[int], list[int], list[int]]] = {
        c.item: ([], [], []) for c in others
    }
    y_codes = by_item[overall].codes
    for item, value, by_value, n in pooled.select("item", "value", "by_value", "n").rows():
        if item not in cells:
            continue
        x = by_item[item].codes.get(value) if value is not None else None
        y = y_codes.get(by_value) if by_value is not None else None
        if x is None or y is None:
            continue  # one of the two not answered (or not on its scale)
        xs, ys, ns = cells[item]
        xs.append(x)
        ys.append(y)
        ns.append(int(n))
    out: dict[str, float | None] = {overall: 1.0}
    for c in others:
        out[c.item] = pearson_from_cells(*cells[c.item])
    return out
