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

from cxgap.coding import ItemCoding
from cxgap.counts import crosstab_query
from cxgap.plan import FilePlan
from cxgap.stats.correlation import pearson_from_cells


def derived_importance(
    plan: FilePlan, codings: list[ItemCoding], overall: str, *, wave: str | None = None
) -> dict[str, float | None]:
    """Pearson r of each item with ``overall`` in one file (None where undefined),
    over the respondents who answered both, in the rows of one ``wave`` when given
    (and the file has a wave column)."""
    by_item = {c.item: c for c in codings}
    if overall not in by_item:
        return {}
    others = [c for c in codings if c.item != overall]
    if not others:
        return {overall: 1.0}
    where = (plan.wave_column, wave) if wave is not None and plan.wave_column else None
    query = crosstab_query(
        plan.survey,
        columns={c.item: plan.items[c.item] for c in others},
        by=plan.items[overall],
        where=where,
    )
    # sorted: the sums then add up in one order, so r is the same to the last bit
    table = plan.survey.collect(query).sort("item", "value", "by_value", nulls_last=False)
    cells: dict[str, tuple[list[int], list[int], list[int]]] = {
        c.item: ([], [], []) for c in others
    }
    y_codes = by_item[overall].codes
    for item, value, by_value, n in table.select("item", "value", "by_value", "n").rows():
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
