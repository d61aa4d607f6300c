from __future__ import annotations

import csv
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from cxgap.config import Config
from cxgap.model import AnalysisResult, TrendResult

# The services the engines' tests need (PostgreSQL, Spark), started by the tests.
pytest_plugins = ["engines_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

Writer = Callable[..., Path]

# Property tests draw the same examples on every run and every machine, so a run
# cannot pass or fail by chance. HYPOTHESIS_PROFILE=explore draws new ones (run it
# locally when changing a kernel); a failure found there becomes an @example.
settings.register_profile(
    "repeatable",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def write_table(path: Path, columns: dict[str, Sequence[object]], *, sep: str = ",") -> Path:
    """Write a small wide CSV from columns (all the same length)."""
    names = list(columns)
    rows = zip(*(columns[n] for n in names), strict=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=sep, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
    return path


@pytest.fixture
def table(tmp_path: Path) -> Writer:
    def make(name: str, columns: dict[str, Sequence[object]], **kw: str) -> Path:
        return write_table(tmp_path / name, columns, **kw)

    return make


@pytest.fixture(scope="session")
def sample_result() -> AnalysisResult:
    """The bundled sample analysed with its config (as `make demo` does)."""
    from cxgap.analysis.build import analyze
    from cxgap.config import load_config

    config = load_config(SAMPLE / "cxgap.toml")
    return analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", config)


# Variables a user's shell or a CI runner may set that change what cxgap prints.
_OUTSIDE_ENV = (
    "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM", "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY", "HYPOTHESIS_PROFILE",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from the same environment, whatever the machine's shell sets."""
    for name in _OUTSIDE_ENV:
        monkeypatch.delenv(name, raising=False)


#: The sample's latest wave analysed (with importance), its trend, and the config.
SampleWaves = tuple[AnalysisResult, TrendResult, Config]


@pytest.fixture(scope="session")
def sample_waves() -> SampleWaves:
    """The sample's waves segmented by region, so that every chart kind (the heatmap too)
    can be drawn: the latest wave's analysis, the trend and the config."""
    from cxgap.analysis.by_wave import analyze_wave
    from cxgap.analysis.trend import trend
    from cxgap.config import load_config

    cfg = load_config(SAMPLE / "cxgap.toml").model_copy(update={"segment_columns": ["region"]})
    leaders, customers = str(SAMPLE / "leaders*.csv"), str(SAMPLE / "customers*.csv")
    return (
        analyze_wave(leaders, customers, cfg, importance=True),
        trend(leaders, customers, cfg),
        cfg,
    )
