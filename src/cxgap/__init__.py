"""cxgap: the gap between what leaders believe and what customers report.

>>> import cxgap
>>> result = cxgap.analyze("leaders.csv", "customers.csv")   # doctest: +SKIP
>>> result.headline.text                                     # doctest: +SKIP

Heavy modules (polars, numpy) load on first use, so ``import cxgap`` and
``cxgap --help`` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cxgap._version import __version__

if TYPE_CHECKING:
    from cxgap.analysis import analyze, analyze_counts
    from cxgap.config import Config, load_config
    from cxgap.errors import CxgapError
    from cxgap.model import AnalysisResult
    from cxgap.prepare import count

__all__ = [
    "AnalysisResult",
    "Config",
    "CxgapError",
    "__version__",
    "analyze",
    "analyze_counts",
    "count",
    "load_config",
]

_LAZY = {
    "analyze": "cxgap.analysis",
    "analyze_counts": "cxgap.analysis",
    "count": "cxgap.prepare",
    "Config": "cxgap.config",
    "load_config": "cxgap.config",
    "CxgapError": "cxgap.errors",
    "AnalysisResult": "cxgap.model",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cxgap' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
