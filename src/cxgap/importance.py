"""Derived importance: how strongly each item moves with the headline item among customers.

Importance-performance analysis needs, per item, an importance. Asking for it
doubles a survey's length, so practitioners derive it: the correlation, among
customers, between the item and the overall item. Pearson's r needs only five
sums per item (n, sum x, sum y, sum xy, sum x^2, sum y^2 over respondents who
answered both), so it is one more streaming pass that returns a handful of numbers.

References
----------
Martilla, J. A. and James, J. C. (1977). Importance-performance analysis.
Journal of Marketing 41(1), 77-79.
"""

from __future__ import annotations

import math

import polars as pl

from cxgap.coding import ItemCoding
from cxgap.plan import FilePlan


def derived_importance(
    plan: FilePlan, codings: list[ItemCoding], overall: str, *, wave: str | None = None
) -> dict[str, float | None]:
    """Pearson r of each item with ``overall`` in one file (None where undefined),
    over the rows of one ``wave`` when given (and the file has a wave column)."""
    by_item = {c.item: c for c in codings}
    if overall not in by_item:
        return {}
    others = [c for c in codings if c.item != overall]

    def code(c: ItemCoding) -> pl.Expr:
        return (
            pl.col(plan.items[c.item])
            .cast(pl.String)
            .replace_strict(c.codes, default=None, return_dtype=pl.Float64)
        )

    y = code(by_item[overall])
    sums: list[pl.Expr] = []
    for k, c in enumerate(others):
        x = code(c)
        both = x.is_not_null() & y.is_not_null()
        xb, yb = pl.when(both).then(x), pl.when(both).then(y)
        sums += [
            both.sum().alias(f"n{k}"),
            xb.sum().alias(f"x{k}"),
            yb.sum().alias(f"y{k}"),
            (xb * yb).sum().alias(f"xy{k}"),
            (xb * xb).sum().alias(f"xx{k}"),
            (yb * yb).sum().alias(f"yy{k}"),
        ]
    columns = [plan.items[c.item] for c in codings]
    scan = plan.survey.scan(text_columns=columns)
    if wave is not None and plan.wave_column:
        scan = scan.filter(pl.col(plan.wave_column).cast(pl.String) == wave)
    query = scan.select(sums)
    row = plan.survey.collect(query, width=len(codings)).row(0, named=True)
    out: dict[str, float | None] = {overall: 1.0}
    for k, c in enumerate(others):
        n = float(row[f"n{k}"] or 0)
        sx, sy = float(row[f"x{k}"] or 0), float(row[f"y{k}"] or 0)
        cov = n * float(row[f"xy{k}"] or 0) - sx * sy
        vx = n * float(row[f"xx{k}"] or 0) - sx * sx
        vy = n * float(row[f"yy{k}"] or 0) - sy * sy
        out[c.item] = cov / math.sqrt(vx * vy) if n > 2 and vx > 0 and vy > 0 else None
    return out
