"""The result of ``cxgap analyze``: every group per item, every comparison, findings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

if TYPE_CHECKING:
    import polars as pl

from cxgap.model.common import (
    _ANALYSIS_COLUMNS,
    Comparison,
    GapStats,
    GroupInfo,
    GroupStats,
    Pair,
    ScaleInfo,
    Settings,
    _frame,
    _group_cells,
    _Model,
)
from cxgap.model.nps import NpsResult
from cxgap.model.priorities import Priorities
from cxgap.model.raking import RakeReport
from cxgap.model.segments import SegmentBreakdown
from cxgap.model.units import UnitView


class ItemResult(GapStats):
    scale: ScaleInfo
    importance: float | None = Field(
        None,
        description="Derived importance: Pearson r with the headline item in the reference "
        "group (customers), weighted when their cross-tab carries weight sums (computed for "
        "the importance-performance chart; null otherwise).",
    )


class Headline(GapStats):
    source: Literal["item", "composite"] = Field(
        description="'item': the headline item; 'composite': respondents who agree on at "
        "least half of the items they answered."
    )
    text: str = Field(description="The sentence a reader sees first.")


class ComparisonFindings(_Model):
    a: str
    b: str
    blind_spots: list[str] = Field(description="Items a rates higher than b, largest gap first.")
    hidden_strengths: list[str] = Field(
        description="Items b rates higher than a, largest gap first."
    )


class Findings(_Model):
    rule: str = Field(description="The rule that flagged the items below, in words.")
    comparisons: list[ComparisonFindings] = Field(
        description="Per comparison, in the result's order (the headline comparison first)."
    )
    summary: list[str] = Field(
        default_factory=list, description="What the flags say, in sentences."
    )

    @property
    def primary(self) -> ComparisonFindings:
        return self.comparisons[0]

    @property
    def blind_spots(self) -> list[str]:
        """The headline comparison's blind spots."""
        return self.primary.blind_spots

    @property
    def hidden_strengths(self) -> list[str]:
        """The headline comparison's hidden strengths."""
        return self.primary.hidden_strengths


class Excluded(_Model):
    only_in: dict[str, list[str]] = Field(
        description="Group -> items in its file that are not in every group's file."
    )
    not_items: dict[str, str] = Field(description="Column -> why it was not analysed.")


class AnalysisResult(_Model):
    """Everything one ``cxgap analyze`` run found."""

    schema_version: Literal[2] = 2
    cxgap_version: str
    settings: Settings
    groups: list[GroupInfo] = Field(description="In group order (leaders first, customers last).")
    comparisons: list[Pair] = Field(description="The first is the headline comparison.")
    headline: Headline
    items: list[ItemResult] = Field(description="Sorted by the headline gap, largest first.")
    findings: Findings
    excluded: Excluded
    warnings: list[str]
    nps: list[NpsResult] = Field(
        default_factory=list,
        description="Net Promoter Score of each 0-10 recommend item (see nps_items), per group "
        "and comparison.",
    )
    segments: list[SegmentBreakdown] = Field(
        default_factory=list,
        description="The gap per segment of each segment column (segment_columns, --by).",
    )
    raking: RakeReport | None = Field(
        None, description="How the reference group was raked to margins ([rake], --rake)."
    )
    units: UnitView | None = Field(
        None,
        description="The per-unit view (unit_column, --unit): each unit's leaders against "
        "its own customers.",
    )
    priorities: Priorities | None = Field(
        None,
        description="Rank and profile agreement of the groups' item orderings, derived "
        "importance, and the Johari view per comparison.",
    )

    def group(self, name: str) -> GroupInfo:
        return next(g for g in self.groups if g.name == name)

    def breakdowns(self) -> list[SegmentBreakdown]:
        """Every segment table: each segment column's, then the unit column's (once,
        when it is a segment column too)."""
        unit = [self.units.breakdown] if self.units is not None else []
        return [*self.segments, *(b for b in unit if b.column not in
                                  [s.column for s in self.segments])]  # fmt: skip

    @property
    def group_names(self) -> list[str]:
        return [g.name for g in self.groups]

    def to_polars(self) -> pl.DataFrame:
        """The result as one long frame for analysts: a row per item (the headline
        first, ``headline`` true) and group, with the group's counts and share, and a row
        per item and comparison with its gap, interval, p-values and flag (``group``
        null, ``a`` and ``b`` set)."""
        rows: list[dict[str, Any]] = []
        for stat in (self.headline, *self.items):
            head = stat is self.headline
            rows += [_group_row(stat, g, s, headline=head) for g, s in stat.groups.items()]
            rows += [_comparison_row(stat, c, headline=head) for c in stat.comparisons]
        return _frame(rows, _ANALYSIS_COLUMNS)


def _group_row(stat: GapStats, group: str, mine: GroupStats, *, headline: bool) -> dict[str, Any]:
    return {
        "item": stat.item, "label": stat.label, "headline": headline, "group": group,
        **_group_cells(mine), "mean": mine.mean,
    }  # fmt: skip


def _comparison_row(stat: GapStats, c: Comparison, *, headline: bool) -> dict[str, Any]:
    return {
        "item": stat.item, "label": stat.label, "headline": headline, "a": c.a, "b": c.b,
        "gap": c.gap, "gap_ci_low": c.gap_ci[0], "gap_ci_high": c.gap_ci[1],
        "p_value": c.p_value, "p_adjusted": c.p_adjusted, "significant": c.significant,
        "flag": c.flag,
    }  # fmt: skip
