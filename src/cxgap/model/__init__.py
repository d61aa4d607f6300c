"""Typed results: what every renderer reads and what ``cxgap.analyze`` returns.

These models are the JSON contract (``schema_version`` 2; validate reports 1); ``cxgap schema``
prints the JSON Schema generated from them. Shares are fractions 0..1, gaps are fractions
(multiply by 100 for percentage points). A statistic that is undefined (no answers, a zero
denominator) is ``None``, never NaN or Infinity. One module per result: ``common`` (a
group's answers, a comparison, settings), ``analysis``, ``trend``, ``gate`` (check) and
``validation``; ``counts`` is a counts file's metadata; ``v1`` reads version-1 reports.
"""

from cxgap.model.analysis import (
    AnalysisResult,
    ComparisonFindings,
    Excluded,
    Findings,
    Headline,
    ItemResult,
)
from cxgap.model.common import (
    Comparison,
    Flag,
    GapStats,
    GroupInfo,
    GroupStats,
    Interval,
    IntervalMethod,
    Pair,
    ScaleInfo,
    Settings,
    TestName,
    WeightedStats,
)
from cxgap.model.gate import BaselineInfo, CheckResult, Rule, Status, Verdict
from cxgap.model.trend import Change, ItemTrend, Measure, TrendResult, WavePoint
from cxgap.model.validation import Example, ItemScale, Problem, ValidationReport

__all__ = [
    "AnalysisResult", "BaselineInfo", "Change", "CheckResult", "Comparison",
    "ComparisonFindings", "Example", "Excluded", "Findings", "Flag", "GapStats", "GroupInfo",
    "GroupStats", "Headline", "Interval", "IntervalMethod", "ItemResult", "ItemScale",
    "ItemTrend", "Measure", "Pair", "Problem", "Rule", "ScaleInfo", "Settings", "Status",
    "TestName", "TrendResult", "ValidationReport", "Verdict", "WavePoint", "WeightedStats",
]  # fmt: skip
