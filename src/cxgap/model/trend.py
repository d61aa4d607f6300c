"""The result of ``cxgap trend``: each wave's shares and gap, and the changes between waves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

if TYPE_CHECKING:
    import polars as pl

from cxgap.model.common import (
    _TREND_COLUMNS,
    GroupStats,
    Interval,
    Pair,
    Settings,
    _frame,
    _group_cells,
    _Model,
)
from cxgap.model.priorities import Johari


class WavePoint(_Model):
    """One wave of one item: every group's share and the headline comparison's gap."""

    wave: str
    groups: dict[str, GroupStats] = Field(description="Group name -> its answers in this wave.")
    gap: float | None = Field(description="The headline comparison's gap (a - b).")
    gap_ci: Interval


#: "gap" (the headline comparison's) or "<group>_share", e.g. "customers_share".
Measure = str


class Change(_Model):
    """Wave-over-wave change of one measure: later wave minus earlier wave."""

    from_wave: str
    to_wave: str
    measure: Measure
    change: float | None = Field(description="Fraction; x100 for percentage points.")
    ci: Interval = Field(description="Newcombe (shares) or MOVER (gap) interval.")
    p_value: float | None
    p_adjusted: float | None = Field(description="Adjusted across items for this wave pair.")
    test: Literal["newcombe_inverted", "mover_inverted"] | None = Field(
        description="newcombe_inverted for a share (its Newcombe interval inverted); for a "
        "gap, the share's test when one group's answers are the same in both waves, else "
        "mover_inverted (the MOVER interval inverted). Test and interval always agree."
    )
    significant: bool
    small_n: bool = Field(
        False, description="A group this change uses has fewer valid answers than min_n."
    )
    note: str | None = Field(
        None, description="Why the change has no interval or test, when it has none."
    )


class ItemTrend(_Model):
    item: str
    label: str
    points: list[WavePoint]
    changes: list[Change]


class TrendResult(_Model):
    """Everything one ``cxgap trend`` run found."""

    schema_version: Literal[2] = 2
    kind: Literal["trend"] = "trend"
    cxgap_version: str
    settings: Settings
    groups: dict[str, str] = Field(description="Group name -> how readers see it named, in order.")
    comparison: Pair = Field(description="The comparison whose gap each wave reports.")
    waves: list[str] = Field(description="In wave order.")
    min_n: int = Field(30, description="Changes using a group with fewer answers are marked.")
    headline: ItemTrend
    items: list[ItemTrend]
    warnings: list[str]
    johari: dict[str, Johari] = Field(
        default_factory=dict,
        description="Per wave, the headline comparison's Johari view (the wave's own "
        "thresholds; see the analysis's priorities).",
    )

    def to_polars(self) -> pl.DataFrame:
        """The trend as one long frame: a row per item (the headline first, ``headline``
        true), wave and group, with the group's counts and share and the wave's gap."""
        rows = [
            {
                "item": trend.item,
                "label": trend.label,
                "headline": trend is self.headline,
                "wave": point.wave,
                "group": group,
                **_group_cells(stats),
                "gap": point.gap,
                "gap_ci_low": point.gap_ci[0],
                "gap_ci_high": point.gap_ci[1],
            }
            for trend in (self.headline, *self.items)
            for point in trend.points
            for group, stats in point.groups.items()
        ]
        return _frame(rows, _TREND_COLUMNS)
