"""The per-unit view: each unit's (branch, store, team) leaders against its own customers.

Where the compared groups' files both carry the unit column, every figure is the
unit's own: the gap per unit and item (``breakdown``, as a segment table), the units
ranked by their gap, and the correlation across units between one group's view and the
other's (does the branch whose leaders think best serve best?). Small units are
suppressed as segments are.
"""

from __future__ import annotations

from pydantic import Field

from cxgap.model.common import Interval, _Model
from cxgap.model.segments import SegmentBreakdown


class UnitRank(_Model):
    """One unit in a comparison's ranking."""

    unit: str
    shares: dict[str, float] = Field(
        description="Per group of the comparison: its mean agree share in the unit, over "
        "the comparison's items."
    )
    gap: float = Field(description="a's mean share minus b's.")
    n: dict[str, int] = Field(description="Per group: respondents in the unit (the most "
                              "who answered any of the items).")  # fmt: skip


class UnitCorrelation(_Model):
    """Pearson's r across the ranked units between a's and b's mean shares."""

    r: float | None = Field(description="None with fewer than 3 units or no variation.")
    ci: Interval = Field(description="Fisher's z interval (None with fewer than 4 units).")
    units: int = Field(description="The units the correlation is over.")


class UnitComparison(_Model):
    """One comparison (both groups with the unit column) across the units."""

    a: str
    b: str
    items: list[str] = Field(
        description="The items the units' means are over: shown for both groups in every "
        "ranked unit (NPS items aside)."
    )
    ranking: list[UnitRank] = Field(description="The units, largest gap first.")
    left_out: dict[str, str] = Field(
        description="The units not ranked, each with why: no respondents of a group, fewer "
        "than min_cell_n, suppressed with a smaller unit (so that its figures cannot be "
        "worked out from the overall ones), or too few items shown beside the other units."
    )
    correlation: UnitCorrelation


class UnitView(_Model):
    """The per-unit view of one unit column."""

    column: str = Field(description="The unit column (unit_column, --unit).")
    units: list[str] = Field(description="Its labels, in order.")
    comparisons: list[UnitComparison] = Field(
        description="Each comparison whose groups' files both have the column."
    )
    breakdown: SegmentBreakdown = Field(
        description="The gap per unit and item, with intervals and suppression, as a segment table."
    )
