"""Derived importance: how strongly each item moves with the headline item among customers.

Importance-performance analysis needs, per item, an importance. Asking for it
doubles a survey's length, so practitioners derive it: the correlation, among
customers, between the item and the overall item. Pearson's r of two coded answers
is a function of their cross-tab (each pair of answers with its count), so one
streaming pass counts every item against the headline item and the correlations
come from the counts (:func:`cxgap.stats.correlation.pearson_from_cells`). When the
cross-tab has a ``w_sum`` column (weighted customers: the weight sum of each cell), r is the
weighted Pearson r over the cells (:func:`~cxgap.stats.correlation.weighted_pearson_from_cells`),
the correlation in the population the weights stand for.

References
----------
Martilla, J. A. and James, J. C. (1977). Importance-performance analysis.
Journal of Marketing 41(1), 77-79.
"""

from __future__ import annotations

import polars as pl

from cxgap.code.coding import ItemCoding
from cxgap.scan.passes import CROSSTAB_ORDER
from cxgap.stats.correlation import pearson_from_cells, weighted_pearson_from_cells


def importance_from_crosstab(
    table: pl.DataFrame | None,
    codings: list[ItemCoding],
    overall: str,
    *,
    wave: str | None = None,
) -> dict[str, float | None]:
    """Pearson r of each item with ``overall`` (None where undefined) over the
    respondents who answered both, in one ``wave`` when given, else all rows; weighted by
    the cells' ``w_sum`` when the cross-tab has that column."""
    by_item = {c.item: c for c in codings}
    if table is None or overall not in by_item:
        return {}
    if wave is not None:
        table = table.filter(pl.col("wave") == wave)
    weighted = "w_sum" in table.columns
    sums = [pl.col("n").sum(), *([pl.col("w_sum").sum()] if weighted else [])]
    pooled = table.group_by("item", "value", "by_value").agg(sums)
    pooled = pooled.sort(CROSSTAB_ORDER[1:], nulls_last=False)
    others = [c for c in codings if c.item != overall]
    cells: dict[str, tuple[list[int], list[int], list[int], list[float]]] = {
        c.item: ([], [], [], []) for c in others
    }
    y_codes = by_item[overall].codes
    weight = pl.col("w_sum") if weighted else pl.col("n").cast(pl.Float64)
    columns = [pl.col("item", "value", "by_value", "n"), weight.alias("__w")]
    for item, value, by_value, n, w in pooled.select(columns).rows():
        if item not in cells:
            continue
        x = by_item[item].codes.get(value) if value is not None else None
        y = y_codes.get(by_value) if by_value is not None else None
        if x is None or y is None:
            continue  # one of the two not answered (or not on its scale)
        xs, ys, ns, ws = cells[item]
        xs.append(x)
        ys.append(y)
        ns.append(int(n))
        ws.append(float(w))
    out: dict[str, float | None] = {overall: 1.0}
    for c in others:
        xs, ys, ns, ws = cells[c.item]
        out[c.item] = (
            weighted_pearson_from_cells(xs, ys, ns, ws)
            if weighted
            else pearson_from_cells(xs, ys, ns)
        )
    return out
