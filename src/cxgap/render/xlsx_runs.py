"""The tables of a trend and of a check as the workbook shows them (see
:mod:`cxgap.render.xlsx_sheets` for an analysis's), and every result's tables in sheet
order (:func:`tables_of`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cxgap.model import AnalysisResult, CheckResult, TrendResult
from cxgap.render.xlsx_sheets import (
    ANALYSIS_TABLES,
    Builder,
    Cell,
    Column,
    Table,
    _ci,
    _same,
    pp,
)

if TYPE_CHECKING:
    from pydantic import BaseModel


# -- trend and check ---------------------------------------------------------------------


def trend_waves_table(result: TrendResult) -> list[Table]:
    """A row per item (the headline first) and wave: each group's share, and the gap."""
    columns = [Column("Row"), Column("Item"), Column("Label"), Column("Wave")]
    for g in result.groups:
        columns += [Column(f"{g} n", "int"), Column(f"{g} agree", "int"),
                    Column(f"{g} share", "share"), Column(f"{g} CI low", "share"),
                    Column(f"{g} CI high", "share")]  # fmt: skip
    pair = f"{result.comparison.a} - {result.comparison.b}"
    columns += [Column(f"Gap {pair}", "pp"), Column("Gap CI low", "pp"),
                Column("Gap CI high", "pp")]  # fmt: skip
    rows: list[list[Cell]] = []
    for trend in (result.headline, *result.items):
        for point in trend.points:
            row: list[Cell] = ["headline" if trend is result.headline else "item", trend.item,
                               trend.label, point.wave]  # fmt: skip
            for g in result.groups:
                s = point.groups.get(g)
                row += [s.n, s.agree, s.share, *_ci(s.ci, _same)] if s else [None] * 5
            rows.append([*row, pp(point.gap), *_ci(point.gap_ci, pp)])
    return [Table("Waves", columns, rows)]


def trend_changes_table(result: TrendResult) -> list[Table]:
    """Every wave-over-wave change (later minus earlier), in pp, with its test."""
    columns = [Column("Row"), Column("Item"), Column("Label"), Column("From"), Column("To"),
               Column("Measure"), Column("Change", "pp"), Column("CI low", "pp"),
               Column("CI high", "pp"), Column("p", "p"), Column("Adjusted p", "p"),
               Column("Significant", "bool"), Column("Test"), Column("Small n", "bool"),
               Column("Note")]  # fmt: skip
    rows: list[list[Cell]] = [
        ["headline" if trend is result.headline else "item", trend.item, trend.label,
         c.from_wave, c.to_wave, c.measure, pp(c.change), *_ci(c.ci, pp), c.p_value,
         c.p_adjusted, c.significant, c.test, c.small_n, c.note]
        for trend in (result.headline, *result.items) for c in trend.changes
    ]  # fmt: skip
    return [Table("Changes", columns, rows)]


TREND_TABLES: Sequence[Builder] = (trend_waves_table, trend_changes_table)


def _unit(rule: str) -> str:
    """NPS points for the NPS rule, percentage points for the others."""
    return "points" if rule == "max_nps_drop" else "pp"


def verdicts_table(result: CheckResult) -> list[Table]:
    """One row per rule and target: the verdict and the figures behind it, in the rule's
    unit (Unit: pp, or NPS points)."""
    columns = [Column("Rule"), Column("Item"), Column("Target"), Column("Status"),
               Column("Unit"), Column("Value", "points"), Column("Limit", "points"),
               Column("CI low", "points"), Column("CI high", "points"),
               Column("Bound", "points"), Column("p (breach)", "p"),
               Column("Message")]  # fmt: skip
    rows: list[list[Cell]] = [
        [v.rule, v.item, v.target, v.status, _unit(v.rule), v.value_pp, v.threshold_pp,
         *v.ci_pp, v.bound_pp, v.p_breach, v.message]
        for v in result.verdicts
    ]  # fmt: skip
    return [Table("Verdicts", columns, rows)]


def rules_table(result: CheckResult) -> list[Table]:
    """The rules as the gate applied them (config and flags merged)."""
    rows: list[list[Cell]] = []
    for name, value in result.rules.items():
        shown: Cell = ", ".join(value) if isinstance(value, list) else value
        rows.append([name, shown])
    return [Table("Rules", [Column("Rule"), Column("Setting", "value")], rows)]


def current_analysis(result: CheckResult) -> list[Table]:
    """The analysis the gate judged (the current wave): its tables."""
    return [t for build in ANALYSIS_TABLES for t in build(result.current)]


CHECK_TABLES: Sequence[Builder] = (verdicts_table, rules_table, current_analysis)


def tables_of(result: BaseModel) -> list[Table]:
    """Every table of a result, in sheet order."""
    builders: dict[type[Any], Sequence[Builder]] = {
        AnalysisResult: ANALYSIS_TABLES, TrendResult: TREND_TABLES, CheckResult: CHECK_TABLES,
    }  # fmt: skip
    return [t for build in builders[type(result)] for t in build(result)]


__all__ = ["CHECK_TABLES", "TREND_TABLES", "tables_of"]
