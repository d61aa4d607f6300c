"""The shared pieces of the result types: a group's answers, a comparison, settings.

Shares are fractions 0..1, gaps are fractions (x100 for percentage points); an undefined
statistic is ``None``, never NaN or Infinity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    import polars as pl

Interval = tuple[float | None, float | None]
TestName = Literal["score", "fisher_exact", "design_z"]
IntervalMethod = Literal["wilson", "beta", "logit"]
Flag = Literal["blind_spot", "hidden_strength"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WeightedStats(_Model):
    """A weighted group's design: how its weights inflate the variance of its share.

    The share is sum(w, agree) / sum(w) over the answered; ``se`` is its linearisation
    standard error, R survey's ``svymean(~y, svydesign(ids = ~1, weights = ~w), na.rm =
    TRUE)``; Kish's effective n is sum(w)^2 / sum(w^2) over the answered, the design effect
    of unequal weighting n / n_eff = 1 + cv^2 (Kish 1965)."""

    se: float | None = Field(description="Design-based standard error of share.")
    n_eff: float | None = Field(description="Kish effective sample size of the answered.")
    deff: float | None = Field(description="Kish design effect of unequal weighting, n / n_eff.")
    weight_cv: float | None = Field(
        description="Coefficient of variation of the answered's weights (divisor n)."
    )
    weight_sum: float = Field(description="Sum of the answered's weights.")
    weight_min: float | None = Field(
        None, description="The group's smallest weight (null when not known: a counts file)."
    )
    weight_max: float | None = Field(None, description="The group's largest weight.")
    interval: IntervalMethod = Field(
        description="Method of ci: 'wilson' on n_eff, 'beta' (Korn-Graubard) or 'logit' "
        "(R svyciprop's methods)."
    )


class GroupStats(_Model):
    """One group's answers to one item."""

    n: int = Field(description="Valid answers (non-answers excluded).")
    missing: int = Field(description="Non-answers: blank, N/A, Don't know, ...")
    agree: int = Field(description="Valid answers that meet the agree rule.")
    share: float | None = Field(
        description="agree / n (weighted: the agreeing's weight over the answered's); null "
        "when n is 0."
    )
    ci: Interval = Field(
        description="Wilson score interval of share (weighted: see weighted.interval)."
    )
    mean: float | None = Field(None, description="Mean code of the valid answers.")
    distribution: list[int] = Field(
        default_factory=list, description="Answers per scale code, in scale order."
    )
    weighted: WeightedStats | None = Field(
        None,
        description="The weights' figures when the group is weighted (share and mean are "
        "then weighted, n, agree and distribution stay counts of respondents); null when not.",
    )


class ScaleInfo(_Model):
    name: str
    codes: list[int]
    labels: list[str] | None
    agree_from: int = Field(description="Lowest code that counts as agree.")
    source: Literal["config", "metadata", "labels", "observed range"] = Field(
        "config",
        description="Where the scale came from: config, declared metadata (SPSS "
        "value labels), the answers' labels, or the observed range of numeric codes (a guess).",
    )
    reason: str = Field("", description="Why this scale, in words.")


class Comparison(_Model):
    """One group against another (``a`` minus ``b``) on one item or the headline."""

    a: str = Field(description="The first group (earlier in the group order).")
    b: str = Field(description="The second group.")
    gap: float | None = Field(description="a's share minus b's share.")
    gap_ci: Interval = Field(
        description="Newcombe hybrid score interval of gap (with weights: on each share's "
        "Wilson interval on Kish's effective n)."
    )
    ratio: float | None = Field(description="a's share / b's share; null if undefined.")
    p_value: float | None = Field(description="Two-sided test of gap = 0.")
    p_adjusted: float | None = Field(
        description="p_value adjusted over the family: every item x every comparison."
    )
    test: TestName | None = Field(
        description="Which test gave p_value: 'design_z' (Wald z on the design-based "
        "variances) when either group is weighted."
    )
    mwu_p: float | None = Field(
        description="Mann-Whitney U p-value over the whole scale; null when either group is "
        "weighted (it assumes unweighted counts)."
    )
    cohens_h: float | None = Field(description="Cohen's h effect size.")
    significant: bool = Field(description="p_adjusted < alpha.")
    flag: Flag | None = Field(
        description="blind_spot (a above b: the earlier layer believes more than the later "
        "reports) or hidden_strength (a below b), when flagged."
    )


class GapStats(_Model):
    """Every group's answers to one item (or the headline), and every comparison."""

    item: str
    label: str = Field(description="The item's wording.")
    groups: dict[str, GroupStats] = Field(description="Group name -> its answers, in group order.")
    comparisons: list[Comparison] = Field(
        description="In the result's comparison order; the first is the headline comparison."
    )

    @property
    def primary(self) -> Comparison:
        """The headline comparison (by default the ends of the group order)."""
        return self.comparisons[0]

    def comparison(self, a: str, b: str) -> Comparison:
        return next(c for c in self.comparisons if (c.a, c.b) == (a, b))


class GroupInfo(_Model):
    """One group of respondents and the file its answers came from."""

    name: str = Field(description="The group's name: leaders, frontline, customers, ...")
    label: str = Field(description="How a reader sees it named: 'frontline staff'.")
    path: str
    format: str
    rows: int
    waves: list[str] = Field(default_factory=list)


class Pair(_Model):
    """A comparison as data: group ``a`` against group ``b`` (gap = a - b)."""

    a: str
    b: str


class Settings(_Model):
    confidence: float
    alpha: float
    agree: str
    adjust: Literal["holm", "bh", "none"]
    min_gap_pp: float
    default_scale: str = Field(
        description="The scale given for items the evidence leaves open (--scale or "
        "'scale' in config), or 'auto': each item's scale decided from its answers."
    )


_GROUP_COLUMNS: dict[str, str] = {
    "n": "Int64", "missing": "Int64", "agree": "Int64", "share": "Float64",
    "ci_low": "Float64", "ci_high": "Float64",
}  # fmt: skip
_GAP_COLUMNS: dict[str, str] = {"gap": "Float64", "gap_ci_low": "Float64", "gap_ci_high": "Float64"}
_ANALYSIS_COLUMNS: dict[str, str] = {
    "item": "String", "label": "String", "headline": "Boolean", "group": "String",
    **_GROUP_COLUMNS, "mean": "Float64", "a": "String", "b": "String", **_GAP_COLUMNS,
    "p_value": "Float64", "p_adjusted": "Float64", "significant": "Boolean", "flag": "String",
}  # fmt: skip
_TREND_COLUMNS: dict[str, str] = {
    "item": "String", "label": "String", "headline": "Boolean", "wave": "String",
    "group": "String", **_GROUP_COLUMNS, **_GAP_COLUMNS,
}  # fmt: skip


def _group_cells(stats: GroupStats) -> dict[str, Any]:
    return {"n": stats.n, "missing": stats.missing, "agree": stats.agree,
            "share": stats.share, "ci_low": stats.ci[0], "ci_high": stats.ci[1]}  # fmt: skip


def _frame(rows: list[dict[str, Any]], columns: dict[str, str]) -> pl.DataFrame:
    import polars as pl

    schema = {name: getattr(pl, dtype) for name, dtype in columns.items()}
    return pl.DataFrame(rows, schema=schema, orient="row")
