"""Net Promoter Score results: each group's NPS on a 0-10 likelihood-to-recommend item and
the gap between groups (for instance leaders' predicted NPS against customers' actual).

Like every share in the contract, NPS values and gaps are fractions (-1..1): multiply by
100 for the usual points.
"""

from __future__ import annotations

from pydantic import Field

from cxgap.model.common import Interval, _Model


class NpsGroup(_Model):
    """One group's NPS on one item."""

    n: int = Field(description="Respondents who answered 0-10.")
    missing: int = Field(description="Respondents who did not answer.")
    promoters: float | None = Field(description="Share answering 9 or 10.")
    passives: float | None = Field(description="Share answering 7 or 8.")
    detractors: float | None = Field(description="Share answering 0 to 6.")
    nps: float | None = Field(
        description="Promoters' share minus detractors' share, a fraction -1..1 (x100: points)."
    )
    se: float | None = Field(description="Standard error of nps (see the method).")
    ci: Interval = Field(description="Wald interval of nps, within -1..1.")
    weighted: bool = Field(False, description="Whether the figures use the group's weights.")
    n_eff: float | None = Field(
        None, description="Kish's effective n of the answers when weighted (else None)."
    )


class NpsComparison(_Model):
    """The NPS gap between two groups on one item: a's NPS minus b's."""

    a: str
    b: str
    gap: float | None = Field(description="a's nps minus b's, a fraction (x100: points).")
    gap_ci: Interval = Field(description="Wald interval of the gap.")
    p_value: float | None = Field(description="Two-sided z test of equal NPS.")
    p_adjusted: float | None = Field(
        description="p_value adjusted over the NPS family (every NPS item x comparison)."
    )
    significant: bool = Field(description="p_adjusted below alpha.")


class NpsResult(_Model):
    """An item on the 0-10 likelihood-to-recommend scale, as NPS."""

    item: str
    label: str
    groups: dict[str, NpsGroup]
    comparisons: list[NpsComparison]

    def comparison(self, a: str, b: str) -> NpsComparison | None:
        return next((c for c in self.comparisons if (c.a, c.b) == (a, b)), None)
