"""Segment results: the gap per segment (region, channel, ...), each segment's reference
group (customers) against the other group's figure for the same segment where its file
has the segment column, else its overall figure; small cells suppressed; and whether the
gap differs across segments.

Shares and gaps are fractions, as everywhere in the contract. A suppressed figure is
``None`` with ``suppressed`` true and the reason, never a number.
"""

from __future__ import annotations

from pydantic import Field

from cxgap.model.common import Interval, _Model


class SegmentShare(_Model):
    """One group's agree share in one segment (or overall, when ``own_segment`` is false)."""

    n: int = Field(description="Respondents who answered, in the segment.")
    share: float | None = Field(description="Agree share; None when suppressed or no answers.")
    ci: Interval = Field(description="Interval of share (as the items table's).")
    se: float | None = Field(
        None,
        description="A weighted share's design-based standard error, as R's svyby gives a "
        "domain's (the whole sample's n); None when unweighted or suppressed.",
    )
    own_segment: bool = Field(
        description="The segment's own figure; false when the group's file has no such "
        "column and its overall figure stands in."
    )
    suppressed: bool = Field(False, description="Fewer respondents than min_cell_n.")
    reason: str | None = Field(None, description="Why the figure is suppressed.")


class SegmentGap(_Model):
    """One comparison in one segment: a's share minus b's."""

    a: str
    b: str
    gap: float | None = Field(description="None when either side is suppressed.")
    gap_ci: Interval
    p_value: float | None = Field(description="Unadjusted: a segment's gap is descriptive.")
    suppressed: bool = False


class SegmentCell(_Model):
    """One item in one segment."""

    segment: str
    groups: dict[str, SegmentShare]
    comparisons: list[SegmentGap]


class Heterogeneity(_Model):
    """Whether a comparison's gap on one item differs across the segments (Cochran's Q over
    the segments not suppressed)."""

    a: str
    b: str
    q: float | None
    df: int
    p_value: float | None
    p_adjusted: float | None = Field(
        description="Adjusted over the family: every item x comparison of this segment column."
    )
    significant: bool


class SegmentItem(_Model):
    """One item across the segments of one column."""

    item: str
    label: str
    cells: list[SegmentCell]
    heterogeneity: list[Heterogeneity]


class SegmentBreakdown(_Model):
    """Every item across the segments of one segment column."""

    column: str = Field(description="The segment column (region, channel, ...).")
    segments: list[str] = Field(description="Its labels, in order.")
    own_segment: dict[str, bool] = Field(
        description="Per group: whether its file has the column (else its overall figure "
        "stands in for every segment)."
    )
    min_cell_n: int = Field(description="Cells with fewer respondents are suppressed.")
    suppressed: int = Field(description="How many group x item x segment figures are suppressed.")
    unlabelled: dict[str, int] = Field(
        description="Per group: respondents with a blank label, in no segment."
    )
    items: list[SegmentItem]
