"""cxgap: the gap between what leaders believe and what customers report.

>>> import cxgap
>>> result = cxgap.analyze("leaders.csv", "customers.csv")   # doctest: +SKIP
>>> result.headline.text                                     # doctest: +SKIP

The public API mirrors the commands: ``analyze``, ``analyze_counts``, ``count``, ``trend``,
``check``, ``validate``, ``write_charts``, ``build_deck``, ``build_report``, and
``propose_pairs`` (``cxgap init``: how two exports' items pair); settings are a
``Config`` (``load_config`` reads a file). Every function returns a typed result (or bytes).

Heavy modules (polars, matplotlib) load on first use, so ``import cxgap`` and
``cxgap --help`` stay fast; the statistics never import numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cxgap._version import __version__

if TYPE_CHECKING:
    from cxgap.analysis.build import analyze, analyze_counts
    from cxgap.analysis.gate import check
    from cxgap.analysis.trend import trend
    from cxgap.analysis.validation import validate
    from cxgap.charts.deck import build_deck
    from cxgap.charts.render import write_charts
    from cxgap.config import Config, load_config
    from cxgap.errors import CxgapError
    from cxgap.init import PairProposal, propose_pairs
    from cxgap.model import AnalysisResult, CheckResult, TrendResult, ValidationReport
    from cxgap.report import build_report
    from cxgap.scan.count_out import count

__all__ = [
    "AnalysisResult",
    "CheckResult",
    "Config",
    "CxgapError",
    "PairProposal",
    "TrendResult",
    "ValidationReport",
    "__version__",
    "analyze",
    "analyze_counts",
    "build_deck",
    "build_report",
    "check",
    "count",
    "load_config",
    "propose_pairs",
    "trend",
    "validate",
    "write_charts",
]

_LAZY = {
    "analyze": "cxgap.analysis.build",
    "analyze_counts": "cxgap.analysis.build",
    "count": "cxgap.scan.count_out",
    "trend": "cxgap.analysis.trend",
    "check": "cxgap.analysis.gate",
    "validate": "cxgap.analysis.validation",
    "write_charts": "cxgap.charts.render",
    "build_deck": "cxgap.charts.deck",
    "build_report": "cxgap.report",
    "Config": "cxgap.config",
    "load_config": "cxgap.config",
    "CxgapError": "cxgap.errors",
    "AnalysisResult": "cxgap.model",
    "TrendResult": "cxgap.model",
    "CheckResult": "cxgap.model",
    "ValidationReport": "cxgap.model",
    "propose_pairs": "cxgap.init",
    "PairProposal": "cxgap.init",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cxgap' has no attribute {name!r}")
    import gc
    import importlib

    # The first use imports polars and builds pydantic's models: a few hundred thousand
    # objects and no cyclic garbage, which the collector would walk again and again (a
    # tenth of the import). It is paused for the import alone, and left as it was.
    paused = gc.isenabled()
    gc.disable()
    try:
        found = importlib.import_module(module)
    finally:
        if paused:
            gc.enable()
    return getattr(found, name)


def __dir__() -> list[str]:
    return sorted(__all__)
