"""What the native deck's texts say is what its charts show: the heatmap table's footnote
names its mark (no hatching), the bars' key reads in the group order as the bars do, the
slope chart's labels do not overlap, its subtitle names the colours as they look."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from tests.conftest import ROOT

from cxgap import analyze, load_config
from cxgap.charts import kinds_of
from cxgap.charts.deck import build_deck
from cxgap.charts.layers import hue_name
from cxgap.config import Theme
from cxgap.model import AnalysisResult

SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="module")
def deck() -> tuple[AnalysisResult, list[object]]:
    cfg = load_config(SAMPLE / "cxgap.toml")
    result = analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", cfg,
                     groups={"frontline": SAMPLE / "frontline.csv"}, importance=True)  # fmt: skip
    slides = list(Presentation(io.BytesIO(build_deck(result, None, cfg.theme))).slides)
    kinds = kinds_of(result, False)
    return result, [slides[1 + kinds.index(k)] for k in ("heatmap", "dumbbell", "slope", "units")]


def _texts(slide: object) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]  # type: ignore[attr-defined]


def _chart(slide: object) -> object:
    return next(s.chart for s in slide.shapes if s.has_chart)  # type: ignore[attr-defined]


def test_the_heatmap_tables_footnote_names_its_mark(deck) -> None:  # type: ignore[no-untyped-def]
    _, (heat, *_) = deck
    text = " ".join(_texts(heat))
    assert "Hatched" not in text
    assert "supp. = fewer than 20 respondents (suppressed)." in text


def test_the_bars_key_reads_in_the_group_order(deck) -> None:  # type: ignore[no-untyped-def]
    result, (_, dumbbell, _, units) = deck
    for slide in (dumbbell, units):
        chart = _chart(slide)
        names = [s.name for s in chart.plots[0].series]  # type: ignore[attr-defined]
        assert chart.category_axis.reverse_order  # type: ignore[attr-defined]  # series top down
        assert not chart.has_legend  # type: ignore[attr-defined]
        key = next(t for t in _texts(slide) if t.startswith("\u25a0"))
        assert re.findall(r"\u25a0 (.+?)\s{3,}", key + "   ") == names
    series = _chart(dumbbell).plots[0].series  # type: ignore[attr-defined]
    assert [s.name.lower() for s in series] == [g.label for g in result.groups]


def test_the_slope_labels_do_not_overlap(deck) -> None:  # type: ignore[no-untyped-def]
    _, (_, _, slope, _) = deck
    shape = next(s for s in slope.shapes if s.has_chart)  # type: ignore[attr-defined]
    height_pt = shape.height / 12700
    plot = shape.chart.plots[0]
    placed = []
    for series in plot.series:
        y = series._element.find(f".//{qn('c:dLbl')}//{qn('c:y')}")
        value = series.values[-1]
        placed.append(0.04 + 0.86 * (1 - value) + (float(y.get("val")) if y is not None else 0))
    assert len(placed) == 14
    placed.sort()
    gaps = [b - a for a, b in itertools.pairwise(placed)]
    assert min(gaps) * height_pt >= 10 * 1.4  # 10 pt labels, a line apart
    assert placed[0] >= 0.04 - 1e-9 and placed[-1] <= 0.90 + 1e-9  # within the plot


def test_the_colours_are_named_as_they_look(deck) -> None:  # type: ignore[no-untyped-def]
    _, (_, _, slope, _) = deck
    subtitle = " ".join(_texts(slope))
    assert "orange: blind spot, green: hidden strength" in subtitle and "red" not in subtitle
    assert "grey: neither" in subtitle
    assert hue_name(Theme().blind_spot_color) == "orange"
    assert [hue_name(c) for c in ("#FF0000", "#0072B2", "#CC79A7", "#222222")] == [
        "red",
        "blue",
        "pink",
        "black",
    ]
