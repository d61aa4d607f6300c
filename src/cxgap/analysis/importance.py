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

from cxgap.code.coding import ItemCoding
from cxgap.scan.passes import CROSSTAB_ORDER
from cxgap.stats.correlation import pearson_from_cells


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
    pooled = pooled.sort(CROSSTAB_ORDER[1:], nulls_last=False)
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
