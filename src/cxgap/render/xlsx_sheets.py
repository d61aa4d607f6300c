"""The tables of a result as the workbook shows them: one :class:`Table` per sheet.

A table is a sheet name, typed columns and rows of plain values; the writer
(:mod:`cxgap.render.xlsx`) turns a column's kind into a number format. Shares are
fractions (shown as percent); gaps and changes are percentage points (the JSON's
fraction x 100), NPS in points; p-values as they are. A suppressed or undefined figure
is a blank cell, never a number.

Each kind of result lists its tables in one place (:data:`ANALYSIS_TABLES`,
:data:`TREND_TABLES`, :data:`CHECK_TABLES`): adding a table is adding a function that
returns it (or none, when the result has no such table) and naming it there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cxgap.model import AnalysisResult, GroupStats
from cxgap.render.numbers import stable_float

if TYPE_CHECKING:
    from cxgap.model.segments import SegmentBreakdown

Cell = str | int | float | bool | None


@dataclass(frozen=True)
class Column:
    """A column: its header and its kind (``text``, ``bool``, or a key of
    :data:`cxgap.render.xlsx.NUMBER_FORMATS`); ``width`` fixes its width."""

    header: str
    kind: str = "text"
    width: int | None = None


@dataclass(frozen=True)
class Table:
    """One sheet: its name (sanitised when written), columns and rows."""

    name: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    #: Wrap long text in its cells (the Notes sheet).
    wrap: bool = False


def pp(value: float | None) -> float | None:
    """A fraction as percentage points: the JSON's value (12 significant digits) x 100."""
    return None if value is None else stable_float(value) * 100


def _ci(ci: tuple[float | None, float | None], scale: Callable[[Any], Any]) -> list[Cell]:
    return [scale(ci[0]), scale(ci[1])]


def _same(value: Any) -> Any:
    return value


# -- analyze -----------------------------------------------------------------------------


def _group_columns(name: str, weighted: bool) -> list[Column]:
    cols = [Column(f"{name} n", "int"), Column(f"{name} missing", "int"),
            Column(f"{name} agree", "int"), Column(f"{name} share", "share"),
            Column(f"{name} CI low", "share"), Column(f"{name} CI high", "share"),
            Column(f"{name} mean", "number")]  # fmt: skip
    if weighted:
        cols += [Column(f"{name} SE", "se"), Column(f"{name} n_eff", "count"),
                 Column(f"{name} deff", "number")]  # fmt: skip
    return cols


def _group_cells(g: GroupStats | None, weighted: bool) -> list[Cell]:
    if g is None:
        return [None] * (10 if weighted else 7)
    cells: list[Cell] = [g.n, g.missing, g.agree, g.share, *_ci(g.ci, _same), g.mean]
    if weighted:
        w = g.weighted
        cells += [w.se, w.n_eff, w.deff] if w else [None] * 3
    return cells


def _weighted_groups(result: AnalysisResult) -> set[str]:
    return {name for stat in (result.headline, *result.items)
            for name, g in stat.groups.items() if g.weighted is not None}  # fmt: skip


def items_table(result: AnalysisResult) -> list[Table]:
    """A row per item (the headline first): each group's counts, share and interval."""
    weighted = _weighted_groups(result)
    importance = any(i.importance is not None for i in result.items)
    columns = [Column("Row"), Column("Item"), Column("Label"), Column("Scale"),
               Column("Agree from", "int")]  # fmt: skip
    for g in result.group_names:
        columns += _group_columns(g, g in weighted)
    if importance:
        columns.append(Column("Importance (r)", "number"))
    scales = {i.item: i.scale for i in result.items}
    rows: list[list[Cell]] = []
    for stat in (result.headline, *result.items):
        scale = scales.get(stat.item) if result.headline.source == "item" else None
        if stat is not result.headline:
            scale = scales[stat.item]
        row: list[Cell] = [
            "headline" if stat is result.headline else "item", stat.item, stat.label,
            scale.name if scale else "composite", scale.agree_from if scale else None,
        ]  # fmt: skip
        for g in result.group_names:
            row += _group_cells(stat.groups.get(g), g in weighted)
        if importance:
            row.append(getattr(stat, "importance", None))
        rows.append(row)
    return [Table("Items", columns, rows)]


COMPARISON_COLUMNS = [
    Column("Row"), Column("Item"), Column("Label"), Column("A"), Column("B"),
    Column("Gap", "pp"), Column("Gap CI low", "pp"), Column("Gap CI high", "pp"),
    Column("Ratio", "ratio"), Column("p", "p"), Column("Adjusted p", "p"),
    Column("Significant", "bool"), Column("Flag"), Column("Test"),
    Column("Mann-Whitney p", "p"), Column("Cohen's h", "number"),
]  # fmt: skip


def comparisons_table(result: AnalysisResult) -> list[Table]:
    """A row per item (the headline first) and comparison: gap (a - b), interval, p,
    adjusted p, flag."""
    rows: list[list[Cell]] = []
    for stat in (result.headline, *result.items):
        for c in stat.comparisons:
            rows.append([
                "headline" if stat is result.headline else "item", stat.item, stat.label,
                c.a, c.b, pp(c.gap), *_ci(c.gap_ci, pp), c.ratio, c.p_value, c.p_adjusted,
                c.significant, (c.flag or "").replace("_", " ") or None, c.test, c.mwu_p,
                c.cohens_h,
            ])  # fmt: skip
    return [Table("Comparisons", COMPARISON_COLUMNS, rows)]


def nps_tables(result: AnalysisResult) -> list[Table]:
    """Each NPS item's groups (shares of promoters ..., NPS in points) and its gaps."""
    if not result.nps:
        return []
    columns = [Column("Item"), Column("Label")]
    for g in result.group_names:
        columns += [Column(f"{g} n", "int"), Column(f"{g} missing", "int"),
                    Column(f"{g} promoters", "share"), Column(f"{g} passives", "share"),
                    Column(f"{g} detractors", "share"), Column(f"{g} NPS", "points"),
                    Column(f"{g} CI low", "points"), Column(f"{g} CI high", "points")]  # fmt: skip
    rows: list[list[Cell]] = []
    gaps: list[list[Cell]] = []
    for found in result.nps:
        row: list[Cell] = [found.item, found.label]
        for g in result.group_names:
            s = found.groups.get(g)
            row += ([s.n, s.missing, s.promoters, s.passives, s.detractors, pp(s.nps),
                     *_ci(s.ci, pp)] if s else [None] * 8)  # fmt: skip
        rows.append(row)
        gaps += [[found.item, found.label, c.a, c.b, pp(c.gap), *_ci(c.gap_ci, pp), c.p_value,
                  c.p_adjusted, c.significant] for c in found.comparisons]  # fmt: skip
    gap_columns = [Column("Item"), Column("Label"), Column("A"), Column("B"),
                   Column("NPS gap", "points"), Column("Gap CI low", "points"),
                   Column("Gap CI high", "points"), Column("p", "p"), Column("Adjusted p", "p"),
                   Column("Significant", "bool")]  # fmt: skip
    return [Table("NPS", columns, rows), Table("NPS gaps", gap_columns, gaps)]


def segment_tables(result: AnalysisResult) -> list[Table]:
    """A sheet per segment column (named for it): a row per item and segment with each
    group's share and each comparison's gap; then the heterogeneity tests."""
    if not result.segments:
        return []
    out = [_segment_table(result, b) for b in result.segments]
    return [*out, _tests_table("Segment tests", result.segments)]


def _tests_table(name: str, breakdowns: Sequence[SegmentBreakdown]) -> Table:
    """Cochran's Q per column, item and comparison: does the gap differ across them?"""
    columns = [Column("Column"), Column("Item"), Column("Label"), Column("A"),
               Column("B"), Column("Cochran's Q", "number"), Column("df", "int"),
               Column("p", "p"), Column("Adjusted p", "p"),
               Column("Significant", "bool")]  # fmt: skip
    rows: list[list[Cell]] = [
        [b.column, item.item, item.label, h.a, h.b, h.q, h.df, h.p_value, h.p_adjusted,
         h.significant]
        for b in breakdowns for item in b.items for h in item.heterogeneity
    ]  # fmt: skip
    return Table(name, columns, rows)


def _segment_table(result: AnalysisResult, b: SegmentBreakdown) -> Table:
    columns = [Column("Item"), Column("Label"), Column(b.column)]
    for g in result.group_names:
        columns += [Column(f"{g} n", "int"), Column(f"{g} share", "share"),
                    Column(f"{g} CI low", "share"), Column(f"{g} CI high", "share"),
                    Column(f"{g} suppressed", "bool")]  # fmt: skip
    for c in result.comparisons:
        columns += [Column(f"{c.a} - {c.b} gap", "pp"), Column(f"{c.a} - {c.b} CI low", "pp"),
                    Column(f"{c.a} - {c.b} CI high", "pp"),
                    Column(f"{c.a} - {c.b} p", "p")]  # fmt: skip
    rows: list[list[Cell]] = []
    for item in b.items:
        for cell in item.cells:
            row: list[Cell] = [item.item, item.label, cell.segment]
            for g in result.group_names:
                s = cell.groups.get(g)
                row += [s.n, s.share, *_ci(s.ci, _same), s.suppressed] if s else [None] * 5
            for gap in cell.comparisons:
                row += [pp(gap.gap), *_ci(gap.gap_ci, pp), gap.p_value]
            rows.append(row)
    return Table(f"By {b.column}", columns, rows)


def raking_table(result: AnalysisResult) -> list[Table]:
    """Each margin category's target and achieved total after raking."""
    if result.raking is None:
        return []
    columns = [Column("Wave"), Column("Variable"), Column("Category"),
               Column("Target", "count"), Column("Achieved", "count"),
               Column("Difference", "count")]  # fmt: skip
    rows: list[list[Cell]] = [[m.wave, m.variable, m.category, m.target, m.achieved,
                               m.difference] for m in result.raking.margins]  # fmt: skip
    return [Table("Raking", columns, rows)]


def units_tables(result: AnalysisResult) -> list[Table]:
    """The per-unit view: the units ranked per comparison (and those not ranked, with
    why), the correlation across units, then the unit column's gap per unit and item and
    its tests (as a segment column's, unless it is one)."""
    view = result.units
    if view is None:
        return []
    columns = [Column(view.column), Column("A"), Column("B"), Column("Rank", "int"),
               Column("A share", "share"), Column("B share", "share"), Column("Gap", "pp"),
               Column("A n", "int"), Column("B n", "int"), Column("Items", "int"),
               Column("Not ranked because")]  # fmt: skip
    rows: list[list[Cell]] = [
        [r.unit, c.a, c.b, k + 1, r.shares[c.a], r.shares[c.b], pp(r.gap), r.n[c.a], r.n[c.b],
         len(c.items), None]
        for c in view.comparisons for k, r in enumerate(c.ranking)
    ]  # fmt: skip
    rows += [[unit, c.a, c.b, None, None, None, None, None, None, None, why]
             for c in view.comparisons for unit, why in c.left_out.items()]  # fmt: skip
    corr_columns = [Column("A"), Column("B"), Column("Units", "int"), Column("r", "number"),
                    Column("CI low", "number"), Column("CI high", "number")]  # fmt: skip
    corr: list[list[Cell]] = [
        [c.a, c.b, c.correlation.units, c.correlation.r, *_ci(c.correlation.ci, _same)]
        for c in view.comparisons
    ]
    out = [Table(f"Units by {view.column}", columns, rows),
           Table("Unit correlation", corr_columns, corr)]  # fmt: skip
    b = view.breakdown
    if b in result.breakdowns() and b not in result.segments:
        out += [_segment_table(result, b), _tests_table("Unit tests", [b])]
    return out


def priorities_tables(result: AnalysisResult) -> list[Table]:
    """Priorities: per comparison the agreement of the groups' item orderings and
    profiles; then each item's Johari quadrant per comparison."""
    pri = result.priorities
    if pri is None:
        return []
    columns = [Column("A"), Column("B"), Column("Items", "int"), Column("Spearman", "number"),
               Column("Spearman CI low", "number"), Column("Spearman CI high", "number"),
               Column("Kendall tau-b", "number"), Column("Kendall CI low", "number"),
               Column("Kendall CI high", "number"), Column("Profile r", "number"),
               Column("Profile CI low", "number"), Column("Profile CI high", "number"),
               Column("Mean absolute gap", "pp"), Column("A's top item"),
               Column("B's top item")]  # fmt: skip
    rows: list[list[Cell]] = [
        [c.a, c.b, c.ranks.n_items, c.ranks.spearman, *_ci(c.ranks.spearman_ci, _same),
         c.ranks.kendall, *_ci(c.ranks.kendall_ci, _same), c.profile_r,
         *_ci(c.profile_ci, _same), pp(c.mean_abs_gap), c.a_top, c.b_top]
        for c in pri.comparisons
    ]  # fmt: skip
    imp = pri.importance
    if imp.ranks is not None:
        r = imp.ranks
        rows.append([f"{imp.group} (importance)", f"{imp.against} ({imp.against_kind})",
                     r.n_items, r.spearman, *_ci(r.spearman_ci, _same), r.kendall,
                     *_ci(r.kendall_ci, _same), None, None, None, None, imp.top,
                     imp.against_top])  # fmt: skip
    labels = {i.item: i.label for i in result.items}
    johari_columns = [Column("A"), Column("B"), Column("Item"), Column("Label"),
                      Column("A share", "share"),
                      Column("B share", "share"), Column("Quadrant"),
                      Column("A threshold", "share"), Column("B threshold", "share")]  # fmt: skip
    johari: list[list[Cell]] = [
        [j.a, j.b, i.item, labels.get(i.item), i.x, i.y,
         (i.quadrant or "").replace("_", " ") or None, j.x_cut, j.y_cut]
        for j in pri.johari for i in j.items
    ]  # fmt: skip
    return [Table("Priorities", columns, rows), Table("Johari", johari_columns, johari)]


Builder = Callable[[Any], list[Table]]

#: The tables of an analysis, in sheet order.
ANALYSIS_TABLES: Sequence[Builder] = (
    items_table, comparisons_table, nps_tables, segment_tables, units_tables,
    priorities_tables, raking_table,
)  # fmt: skip


__all__ = ["ANALYSIS_TABLES", "Builder", "Cell", "Column", "Table", "pp"]
