"""Typed results: what every renderer reads and what ``cxgap.analyze`` returns.

These models are the JSON contract (``schema_version`` 2; validate reports 1); ``cxgap schema``
prints the JSON Schema generated from them. Shares are fractions 0..1, gaps
are fractions (multiply by 100 for percentage points). A statistic that is
undefined (no answers, a zero denominator) is ``None``, never NaN or Infinity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    import polars as pl

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
    gap_ci: Interval = Field(description="Newcombe hybrid score interval of gap.")
    ratio: float | None = Field(description="a's share / b's share; null if undefined.")
    p_value: float | None = Field(description="Two-sided test of gap = 0.")
    p_adjusted: float | None = Field(
        description="p_value adjusted over the family: every item x every comparison."
    )
    test: TestName | None = Field(description="Which test gave p_value.")
    mwu_p: float | None = Field(description="Mann-Whitney U p-value over the whole scale.")
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


class ItemResult(GapStats):
    scale: ScaleInfo
    importance: float | None = Field(
        None,
        description="Derived importance: Pearson r with the headline item in the reference "
        "group (customers) (computed for the importance-performance chart; null otherwise).",
    )


class Headline(GapStats):
    source: Literal["item", "composite"] = Field(
        description="'item': the headline item; 'composite': respondents who agree on at "
        "least half of the items they answered."
    )
    text: str = Field(description="The sentence a reader sees first.")


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

    def group(self, name: str) -> GroupInfo:
        return next(g for g in self.groups if g.name == name)

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


def _frame(rows: list[dict[str, Any]], columns: dict[str, str]) -> pl.DataFrame:
    import polars as pl

    schema = {name: getattr(pl, dtype) for name, dtype in columns.items()}
    return pl.DataFrame(rows, schema=schema, orient="row")


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


Rule = Literal["max_gap_pp", "max_drop_pp", "max_gap_widening_pp"]
Status = Literal["pass", "fail", "warn", "inconclusive"]


class Verdict(_Model):
    """One rule on one target (the headline or an item)."""

    rule: Rule
    item: str
    target: Literal["headline", "item"]
    status: Status
    value_pp: float | None = Field(description="The gap, drop or widening, in pp.")
    threshold_pp: float
    ci_pp: Interval = Field(description="Two-sided interval of the value, in pp.")
    bound_pp: float | None = Field(
        None,
        description="One-sided lower confidence bound the test used, in pp: at level "
        "1 - alpha/f with f the target's Holm factor. A breach is significant exactly when "
        "it lies above the threshold.",
    )
    p_breach: float | None = Field(
        description="One-sided p-value of H0 'value <= threshold' (Holm-adjusted over every "
        "tested target of the rule); at least 0.5 when the value is within the threshold."
    )
    message: str


class BaselineInfo(_Model):
    source: Literal["report", "wave"]
    wave: str | None
    path: str | None


class CheckResult(_Model):
    """Everything one ``cxgap check`` run decided."""

    schema_version: Literal[2] = 2
    kind: Literal["check"] = "check"
    cxgap_version: str
    status: Literal["pass", "fail", "inconclusive"]
    current_wave: str | None
    baseline: BaselineInfo | None
    rules: dict[str, float | int | bool | str | list[str] | None]
    alpha: float
    verdicts: list[Verdict]
    current: AnalysisResult = Field(description="The current analysis; usable as a baseline.")
    warnings: list[str]


class Example(_Model):
    row: int | None
    value: str | None


class Problem(_Model):
    """One kind of problem in one file (and column), with how often it occurs."""

    code: str = Field(description="Stable code from the error catalogue, e.g. 'off-scale'.")
    severity: Literal["error", "warning"]
    file: str | None
    column: str | None
    count: int = Field(description="How many cells, rows or columns it affects.")
    message: str
    examples: list[Example] = Field(default_factory=list, description="The first few.")


class ItemScale(_Model):
    """The scale chosen for one item of one file, and why."""

    file: str
    item: str
    column: str
    scale: str
    source: Literal["config", "metadata", "labels", "observed range"]
    reason: str


class ValidationReport(_Model):
    """Everything ``cxgap validate`` found."""

    schema_version: Literal[1] = 1
    kind: Literal["validate"] = "validate"
    cxgap_version: str
    valid: bool = Field(description="No errors (warnings allowed).")
    files: list[str]
    errors: int
    warnings: int
    problems: list[Problem]
    scales: list[ItemScale] = Field(
        default_factory=list, description="Each item's scale, and why (one per file and item)."
    )
