"""The result of ``cxgap check``: one verdict per rule and target."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

if TYPE_CHECKING:
    pass

from cxgap.model.analysis import AnalysisResult
from cxgap.model.common import Interval, _Model

Rule = Literal["max_gap_pp", "max_drop_pp", "max_gap_widening_pp", "max_nps_drop"]
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
