"""What the commands report: the analysis of all rows or one wave, and with charts (decks,
reports) the trend and derived importance, from one counting pass over each file."""

from __future__ import annotations

from collections.abc import Mapping

from cxgap.analysis.build import analyze, analyze_prepared
from cxgap.analysis.by_wave import (
    analyze_wave,
    wave_result,
    waves_of,
    waves_prepared,
)
from cxgap.analysis.trend import trend_of
from cxgap.config import Config
from cxgap.counts import Input
from cxgap.errors import UsageError
from cxgap.model import (
    AnalysisResult,
    TrendResult,
)
from cxgap.scan.prepare import group_inputs, prepare


def analysis_and_trend(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    groups: Mapping[str, Input] | None = None,
    wave: str | None = None,
    importance: bool = True,
    source: str = "auto",
) -> tuple[AnalysisResult, TrendResult | None]:
    """What charts, decks and reports show, from one counting pass over each file.

    ``wave`` None: with two or more waves the latest wave and the trend, else the
    analysis of all rows and no trend. ``wave`` "latest" or a label: that wave's
    analysis, and the trend when there are two or more waves. The analysis shown
    carries derived importance unless ``importance`` is False.
    """
    cfg = config or Config()
    inputs = group_inputs(leaders, customers, cfg, groups)
    prep = prepare(inputs, cfg, crosstab=importance, source=source,
                   segments=bool(cfg.count_keys()))  # fmt: skip
    if wave is None and len(waves_of(prep, cfg)) < 2:
        return analyze_prepared(prep, cfg, importance), None
    target = wave or "latest"
    analyses = waves_prepared(prep, cfg, importance_for=target if importance else None)
    by_wave = trend_of(analyses, cfg) if len(analyses.waves) > 1 else None
    return wave_result(analyses, target), by_wave


def analysis_for(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    groups: Mapping[str, Input] | None = None,
    wave: str | None = None,
    charts: bool = False,
    source: str = "auto",
    importance: bool = False,
) -> tuple[AnalysisResult, TrendResult | None]:
    """What ``cxgap analyze`` reports: all rows pooled (``wave`` None) or one wave ("latest"
    or a label). With ``charts``, also what the charts draw: derived importance, and the
    trend when a wave is chosen from several; charts of pooled waves are refused (they
    would mix waves without saying so). ``importance``: derived importance without charts."""

    cfg = config or Config()
    if wave is None:
        result = analyze(leaders, customers, cfg, groups=groups, importance=charts or importance,
                         source=source)  # fmt: skip
        if charts and len({w for g in result.groups for w in g.waves}) > 1:
            raise UsageError(
                "--charts with several waves: choose one with --wave (e.g. --wave latest)"
            )
        return result, None
    if charts:
        return analysis_and_trend(leaders, customers, cfg, groups=groups, wave=wave, source=source)
    found = analyze_wave(leaders, customers, cfg, groups=groups, wave=wave, source=source,
                         importance=importance)  # fmt: skip
    return found, None
