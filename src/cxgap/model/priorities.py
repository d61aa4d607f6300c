"""Priorities: do the groups order the items alike, and do leaders know what moves customers'
overall verdict; and the Johari view (each item's quadrant of one group's agreement against
another's).

Correlations are -1..1; shares and gaps are fractions, as everywhere in the contract.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cxgap.model.common import Interval, _Model

Quadrant = Literal["shared_strength", "blind_spot", "hidden_strength", "shared_weakness"]
QUADRANTS: tuple[Quadrant, ...] = (
    "shared_strength",
    "blind_spot",
    "hidden_strength",
    "shared_weakness",
)


class RankAgreement(_Model):
    """How alike two orderings of the same items are."""

    n_items: int = Field(description="Items ordered by both (both figures defined).")
    spearman: float | None = Field(description="Spearman's rho (average ranks for ties).")
    spearman_ci: Interval = Field(
        description="Fisher-z interval of rho with var(atanh rho) = 1.06 / (n - 3) (Fieller, "
        "Hartley and Pearson 1957); null for n < 4 or rho = +-1."
    )
    kendall: float | None = Field(description="Kendall's tau-b (tie-corrected).")
    kendall_ci: Interval = Field(
        description="Fisher-z interval of tau-b with var(atanh tau) = 0.437 / (n - 4) "
        "(Fieller, Hartley and Pearson 1957); null for n < 5 or tau = +-1."
    )


class ComparisonPriorities(_Model):
    """One comparison: group a's item ordering by agree share against group b's."""

    a: str
    b: str
    ranks: RankAgreement = Field(description="Agreement of the two orderings by share.")
    profile_r: float | None = Field(
        description="Pearson's r of the two groups' share profiles over the items."
    )
    profile_ci: Interval = Field(
        description="Fisher-z interval of profile_r, var(atanh r) = 1 / (n - 3)."
    )
    mean_abs_gap: float | None = Field(
        description="Mean absolute gap over the items, a fraction (x100: pp)."
    )
    a_top: str | None = Field(description="The item group a agrees with most.")
    b_top: str | None = Field(description="The item group b agrees with most.")


class ImportanceAgreement(_Model):
    """The reference group's derived importance against another group's importance."""

    group: str = Field(description="Whose derived importance (the reference group).")
    against: str = Field(description="The group whose view of importance it is held against.")
    measure: str = Field(description="How importance is derived, in words.")
    top: str | None = Field(
        description="The item whose answers move most with the headline item in the "
        "reference group (largest derived importance); null when not computed."
    )
    against_kind: Literal["stated", "derived"] | None = Field(
        description="The other group's importance: 'stated' (importance items), 'derived' "
        "(its own cross-tab), or null when not available."
    )
    against_top: str | None = Field(description="The other group's most important item.")
    against_importance: dict[str, float] = Field(
        default_factory=dict,
        description="The other group's importance per item: stated (the mean answer to its "
        "theme's importance item, 0 = the scale's lowest code, 1 = its highest) or derived "
        "(Pearson r with the headline item in its own answers).",
    )
    ranks: RankAgreement | None = Field(
        description="Agreement of the two importance orderings over the items both have; "
        "null when not available."
    )
    note: str = Field(description="What is and is not available, and why, in words.")


class JohariItem(_Model):
    item: str
    x: float | None = Field(description="Group a's agree share.")
    y: float | None = Field(description="Group b's agree share.")
    quadrant: Quadrant | None = Field(description="Null when either share is undefined.")


class Johari(_Model):
    """The Johari view of one comparison: a's agreement (x) against b's (y) per item."""

    a: str
    b: str
    threshold: Literal["median", "level"] = Field(
        description="'median': each group's median share over the items; 'level': the "
        "configured level (johari_threshold) for both."
    )
    x_cut: float | None = Field(description="Group a's threshold (a share is high at or above).")
    y_cut: float | None = Field(description="Group b's threshold.")
    counts: dict[Quadrant, int] = Field(description="Items per quadrant.")
    items: list[JohariItem] = Field(description="In the items table's order.")


class Priorities(_Model):
    """Rank and profile agreement per comparison, derived importance, the Johari view."""

    comparisons: list[ComparisonPriorities] = Field(
        description="In the result's comparison order (the headline comparison first)."
    )
    importance: ImportanceAgreement = Field(
        description="Derived importance in the reference group against the headline "
        "comparison's other group."
    )
    johari: list[Johari] = Field(description="Per comparison, in the result's order.")
    method: str = Field(description="The methods, in words.")
