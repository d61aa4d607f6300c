"""Typed results: what every renderer reads and what ``cxgap.analyze`` returns.

These models are the JSON contract (``schema_version`` 1); ``cxgap schema``
prints the JSON Schema generated from them. Shares are fractions 0..1, gaps
are fractions (multiply by 100 for percentage points). A statistic that is
undefined (no answers, a zero denominator) is ``None``, never NaN or Infinity.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Interval = tuple[float | None, float | None]
TestName = Literal["score", "fisher_exact"]
Flag = Literal["blind_spot", "hidden_strength"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GroupStats(_Model):
    """One group's answers to one item."""

    n: int = Field(description="Valid answers (non-answers excluded).")
    missing: int = Field(description="Non-answers: blank, N/A, Don't know, ...")
    agree: int = Field(description="Valid answers that meet the agree rule.")
    share: float | None = Field(description="agree / n; null when n is 0.")
    ci: Interval = Field(description="Wilson score interval of share.")
    mean: float | None = Field(None, description="Mean code of the valid answers.")
    distribution: list[int] = Field(
        default_factory=list, description="Answers per scale code, in scale order."
    )


class ScaleInfo(_Model):
    name: str
    codes: list[int]
    labels: list[str] | None
    agree_from: int = Field(description="Lowest code that counts as agree.")


class GapStats(_Model):
    """Leaders against customers on one item (or the headline)."""

    item: str
    label: str = Field(description="The item's wording.")
    leaders: GroupStats
    customers: GroupStats
    gap: float | None = Field(description="leaders.share - customers.share.")
    gap_ci: Interval = Field(description="Newcombe hybrid score interval of gap.")
    ratio: float | None = Field(description="leaders.share / customers.share; null if undefined.")
    p_value: float | None = Field(description="Two-sided test of gap = 0.")
    p_adjusted: float | None = Field(description="p_value adjusted across items.")
    test: TestName | None = Field(description="Which test gave p_value.")
    mwu_p: float | None = Field(description="Mann-Whitney U p-value over the whole scale.")
    cohens_h: float | None = Field(description="Cohen's h effect size.")
    significant: bool = Field(description="p_adjusted < alpha.")
    flag: Flag | None = Field(
        description="blind_spot (leaders above customers) or hidden_strength, when flagged."
    )


class ItemResult(GapStats):
    scale: ScaleInfo


class Headline(GapStats):
    source: Literal["item", "composite"] = Field(
        description="'item': the headline item; 'composite': respondents whose mean over "
        "answered items meets the agree rule."
    )
    text: str = Field(description="The sentence a reader sees first.")


class InputInfo(_Model):
    path: str
    format: str
    rows: int
    waves: list[str] = Field(default_factory=list)


class Settings(_Model):
    confidence: float
    alpha: float
    agree: str
    adjust: Literal["holm", "bh", "none"]
    min_gap_pp: float
    default_scale: str


class Findings(_Model):
    rule: str = Field(description="The rule that flagged the items below, in words.")
    blind_spots: list[str] = Field(description="Items, largest gap first.")
    hidden_strengths: list[str] = Field(description="Items, largest gap first.")


class Excluded(_Model):
    only_in_leaders: list[str]
    only_in_customers: list[str]
    not_items: dict[str, str] = Field(description="Column -> why it was not analysed.")


class AnalysisResult(_Model):
    """Everything one ``cxgap analyze`` run found."""

    schema_version: Literal[1] = 1
    cxgap_version: str
    settings: Settings
    leaders: InputInfo
    customers: InputInfo
    headline: Headline
    items: list[ItemResult] = Field(description="Sorted by gap, largest first.")
    findings: Findings
    excluded: Excluded
    warnings: list[str]
