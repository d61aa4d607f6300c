"""The report's methods section states the figures of the result it shows: a weighted trend
report's weights are the latest wave's, the NPS adjustment is over what the code adjusts,
the orderings' intervals and the Johari thresholds are stated, the unit column is a unit."""

from __future__ import annotations

import html as htmllib
import re

import polars as pl
import pytest
from tests.conftest import ROOT

from cxgap import load_config
from cxgap.analysis.run import analysis_and_trend
from cxgap.model import AnalysisResult
from cxgap.report import build_report

LEADERS, CUSTOMERS = (
    str(ROOT / "data/sample/leaders*.csv"),
    str(ROOT / "data/sample/customers*.csv"),
)


@pytest.fixture(scope="module")
def run() -> tuple[AnalysisResult, dict[str, str]]:
    cfg = load_config(ROOT / "data/sample/cxgap.toml")
    frontline = {"frontline": str(ROOT / "data/sample/frontline.csv")}
    result, by_wave = analysis_and_trend(LEADERS, CUSTOMERS, cfg, groups=frontline)
    assert by_wave is not None and len(by_wave.waves) > 1
    page = build_report(result, by_wave, cfg.theme)
    section = re.search(r'<section id="methods">(.*?)</section>', page, re.S)
    assert section is not None
    methods = {}
    for entry in re.findall(r"<li>(.*?)</li>", section.group(1), re.S):
        head = re.match(r"<b>(.*?)\.</b>", entry)
        assert head is not None
        methods[head.group(1)] = htmllib.unescape(re.sub(r"<[^>]+>", "", entry))
    return result, methods


def test_the_weights_range_is_the_shown_waves(run) -> None:  # type: ignore[no-untyped-def]
    result, methods = run
    wave = result.groups[1].waves
    assert len(wave) == 1
    # independently: the customers' weights in the latest wave, from the files
    frames = [pl.read_csv(p) for p in sorted((ROOT / "data/sample").glob("customers*.csv"))]
    weights = pl.concat([f.select("wave", "weight") for f in frames]).filter(
        pl.col("wave") == wave[0]
    )["weight"]
    pooled = pl.concat([f["weight"] for f in frames])
    assert (pooled.min(), pooled.max()) != (weights.min(), weights.max())  # the test can fail
    found = re.search(r"weights (\d+\.\d+)\u2013(\d+\.\d+)", methods["Weights"])
    assert found is not None, methods["Weights"]
    assert (float(found.group(1)), float(found.group(2))) == (
        round(float(weights.min()), 2),  # type: ignore[arg-type]
        round(float(weights.max()), 2),  # type: ignore[arg-type]
    )


def test_the_nps_adjustment_is_over_every_item_and_comparison(run) -> None:  # type: ignore[no-untyped-def]
    result, methods = run
    family = sum(len(n.comparisons) for n in result.nps)
    assert family == len(result.nps) * len(result.comparisons) == 3
    assert f"holm over every NPS item \u00d7 comparison ({family} p-values)" in methods["NPS"]
    assert "over the NPS items" not in methods["NPS"]
    first = result.nps[0].comparisons  # holm over 3: the smallest p is tripled
    smallest = min(first, key=lambda c: c.p_value or 1.0)
    assert smallest.p_value is not None and smallest.p_adjusted is not None
    assert smallest.p_adjusted == pytest.approx(min(1.0, 3 * smallest.p_value))


def test_orderings_and_johari_thresholds_are_stated(run) -> None:  # type: ignore[no-untyped-def]
    result, methods = run
    text = methods["Orderings"]
    assert "Spearman's \u03c1" in text and "Kendall's \u03c4-b" in text
    assert "1.06 / (n \u2212 3)" in text and "0.437 / (n \u2212 4)" in text
    johari = result.priorities.johari[0]  # type: ignore[union-attr]
    assert johari.threshold == "median"
    a, b = result.group(johari.a).label, result.group(johari.b).label
    assert f"{a} {johari.x_cut:.0%} and {b} {johari.y_cut:.0%} (each group's median" in text


def test_the_unit_column_is_called_a_unit(run) -> None:  # type: ignore[no-untyped-def]
    _, methods = run
    assert "Units (branch)" in methods
    assert not any(k.startswith("Segments") for k in methods)
    assert "Each unit's share and gap" in methods["Units (branch)"]
