"""Small edges of the settings and readers: confidence, alpha as printed, Parquet NaN."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cxgap import Config, analyze
from cxgap.cli import app
from cxgap.config import build_config
from cxgap.errors import ConfigError
from cxgap.render.json import render_json

runner = CliRunner()


@pytest.mark.parametrize("value", [math.nan, math.inf, 0.5, 1.0, 0.3, 1.5])
def test_confidence_must_lie_strictly_between_half_and_one(value: float) -> None:
    with pytest.raises(ConfigError, match=r"strictly between 0\.5 and 1"):
        build_config({"confidence": value}, "command line")


def test_confidence_nan_on_the_command_line_gets_the_range_message(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("q\n5\n4\n", encoding="utf-8")
    out = runner.invoke(app, ["analyze", str(path), str(path), "--confidence", "nan"])
    assert out.exit_code == 2
    assert "strictly between 0.5 and 1" in out.output and "NaN" in out.output
    help_text = runner.invoke(app, ["analyze", "--help"], env={"COLUMNS": "200"}).output
    assert "strictly between 0.5 and 1" in " ".join(help_text.split())


@pytest.mark.parametrize(("confidence", "alpha"), [(0.95, "0.05"), (0.9, "0.1"), (0.99, "0.01")])
def test_alpha_prints_as_the_complement_of_confidence(
    tmp_path: Path, confidence: float, alpha: str
) -> None:
    path = tmp_path / "l.csv"
    path.write_text("q\n5\n4\n1\n", encoding="utf-8")
    cfg = Config(confidence=confidence, headline_item="q")
    assert cfg.alpha == float(alpha)
    assert f'"alpha": {alpha},' in render_json(analyze(path, path, cfg))


def test_parquet_float_nan_is_a_non_answer(tmp_path: Path) -> None:
    # Before: 'NaN' was an answer off the scale and stopped the run.
    leaders = tmp_path / "l.parquet"
    customers = tmp_path / "c.parquet"
    pl.DataFrame({"q": [5.0, 4.0, math.nan, None, 1.0]}).write_parquet(leaders)
    pl.DataFrame({"q": [5.0, 2.0, math.nan, 1.0]}).write_parquet(customers)
    q = analyze(leaders, customers, Config(headline_item="q")).headline
    assert (q.groups["leaders"].n, q.groups["leaders"].missing, q.groups["leaders"].agree) == (
        3,
        2,
        2,
    )
    assert (
        q.groups["customers"].n,
        q.groups["customers"].missing,
        q.groups["customers"].agree,
    ) == (3, 1, 1)
    out = runner.invoke(app, ["validate", str(leaders), str(customers)])
    assert out.exit_code == 0, out.output


def test_load_config_returns_the_config_with_its_path(tmp_path: Path) -> None:
    from cxgap.config import load_config

    path = tmp_path / "cxgap.toml"
    path.write_text('agree = "top-box"\n')
    cfg = load_config(path)
    assert cfg.agree == "top-box" and cfg.source_path == path
    assert cfg.model_copy(update={"confidence": 0.9}).source_path == path
    assert load_config(search_from=tmp_path).source_path == path
    assert load_config(search_from=Path("/")).source_path is None
