"""The interactive HTML report: its data island, marks, table, methods, size and
determinism; and, in a headless Chromium, hover, focus, sorting, filters, views and print."""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from tests.browser import CHROMIUM, Browser
from tests.conftest import ROOT, write_table

from cxgap import Config, analyze, load_config
from cxgap.analysis.by_wave import analyze_wave
from cxgap.analysis.trend import trend
from cxgap.model import AnalysisResult, TrendResult
from cxgap.report import build_report
from cxgap.report.page import data_island

LEADERS, CUSTOMERS = (
    str(ROOT / "data/sample/leaders*.csv"),
    str(ROOT / "data/sample/customers*.csv"),
)
EVIL = '</script><script>alert("x")</script> & <b>bold</b>'


@pytest.fixture(scope="module")
def sample() -> tuple[AnalysisResult, TrendResult, Config, str]:
    cfg = load_config(ROOT / "data/sample/cxgap.toml").model_copy(
        update={"segment_columns": ["region"]}
    )
    result = analyze_wave(LEADERS, CUSTOMERS, cfg, importance=True)
    by_wave = trend(LEADERS, CUSTOMERS, cfg)
    return result, by_wave, cfg, build_report(result, by_wave, cfg.theme)


def island(page: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r'<script type="application/json" id="cxgap-data">(.*?)</script>', page,
                      re.S)  # fmt: skip
    assert found is not None
    data: dict = json.loads(found.group(1))  # type: ignore[type-arg]
    return data


def test_the_island_cannot_be_broken_out_of() -> None:
    text = data_island({"label": EVIL})
    assert text.count("</script>") == 1 and "<b>" not in text and "&" not in text[40:-9]
    assert json.loads(text[text.index(">") + 1 : -len("</script>")]) == {"label": EVIL}


def test_item_labels_from_the_data_are_escaped_everywhere(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    items = {f"q{k}": [str(v) for v in rng.integers(1, 6, 60)] for k in range(4)}
    cust = {k: [str(v) for v in rng.integers(1, 6, 300)] for k in items}
    cfg = Config.model_validate({"items": {"q1": {"label": EVIL}}})
    result = analyze(write_table(tmp_path / "l.csv", items),
                     write_table(tmp_path / "c.csv", cust), cfg)  # fmt: skip
    page = build_report(result)
    assert "<script>alert" not in page and "<b>bold" not in page
    assert htmllib.escape(EVIL) in page  # the table and the charts show it as text
    titles = [m["t"] for m in island(page)["marks"].values()]
    assert any(EVIL in t for t in titles)  # and the tooltip's data keep it whole
    # only the page's own two scripts
    assert page.count("<script") == 2 and page.count("</script>") == 2


def test_every_mark_is_focusable_labelled_and_in_the_island(sample) -> None:  # type: ignore[no-untyped-def]
    page = sample[3]
    marks = re.findall(r'<g class="mark" tabindex="0" role="img" data-k="(m\d+)"[^>]* '
                       r'aria-label="([^"]+)"><title>([^<]+)</title>', page)  # fmt: skip
    data = island(page)["marks"]
    assert len(marks) == page.count('class="mark"') == len(data) > 100
    assert all(label == title for _, label, title in marks)
    result = sample[0]
    top = result.items[0]
    leaders = top.groups["leaders"]
    first = data[marks[0][0]]
    assert first["t"] == f"leaders: {top.label}"
    assert ["Agree", f"{leaders.share * 100:.1f}%"] in first["r"]
    assert ["n", f"{leaders.n:,}"] in first["r"]
    lo, hi = leaders.ci
    assert lo is not None and hi is not None and leaders.share is not None
    assert marks[0][1] == (
        f"leaders, {top.label}: {leaders.share * 100:.1f}% agree "
        f"({lo * 100:.1f}\u2013{hi * 100:.1f}%), n={leaders.n:,}"
    )


def test_views_cover_waves_and_segments(sample) -> None:  # type: ignore[no-untyped-def]
    _, by_wave, _, page = sample
    labels = [v["label"] for v in island(page)["views"]]
    assert labels[0] == f"All respondents ({by_wave.waves[-1]}, the latest wave)"
    assert [f"Wave {w}" for w in by_wave.waves[:-1]] == labels[1:2]
    assert f"Wave {by_wave.waves[-1]}" not in labels  # the first view is that wave
    assert "region: East" in labels and "branch: Aberdeen" in labels
    assert page.count('<tbody class="variant"') == len(labels)


def test_methods_state_the_runs_rules(sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, cfg, page = sample
    methods = page[page.index('<section id="methods">') :]
    assert "Holm's step-down" in methods and "z = 1.9600" in methods
    assert "fewer than 20 respondents" in methods and "Cochran's Q" in methods
    assert "Newcombe's hybrid score" in methods and "NPS = % promoters" in methods
    assert "Kish" in methods and "design-based variances" in methods
    other = analyze_wave(LEADERS, CUSTOMERS, cfg.model_copy(update={"adjust": "bh",
                         "confidence": 0.9, "segment_columns": []}))  # fmt: skip
    again = build_report(other)
    assert "Benjamini-Hochberg" in again and "z = 1.6449" in again and "Holm" not in again


def test_report_is_deterministic_small_and_offline(sample) -> None:  # type: ignore[no-untyped-def]
    result, by_wave, cfg, page = sample
    assert page == build_report(result, by_wave, cfg.theme)
    assert len(page.encode()) < 2_000_000
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", page)
    assert "fetch(" not in page and "XMLHttpRequest" not in page
    script = (ROOT / "src/cxgap/report/assets/report.js").read_text()
    assert len(script.splitlines()) < 400


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def page(sample, tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(sample[3], encoding="utf-8")
    browser = Browser(path.as_uri())
    yield browser
    browser.close()


def tip(browser: Browser) -> str:
    text: str = browser.eval("document.getElementById('tip').hidden ? '' : "
                             "document.getElementById('tip').textContent")  # fmt: skip
    return text


@needs_chromium
def test_hover_and_focus_show_the_numbers(sample, page: Browser) -> None:  # type: ignore[no-untyped-def]
    result = sample[0]
    top = result.items[0]
    leaders, gap = top.groups["leaders"], top.primary
    x, y = page.centre('#explore .variant:not([hidden]) .mark[data-g="0"]')
    page.mouse("mouseMoved", x, y)
    shown = tip(page)
    assert f"Agree{leaders.share * 100:.1f}%" in shown and f"n{leaders.n:,}" in shown
    assert top.label in shown
    page.mouse("mouseMoved", 5, 5)
    assert tip(page) == ""
    # the keyboard: focus the first gap mark
    page.eval("document.querySelector('#explore div[data-cmp]:not([hidden]) .mark').focus()")
    shown = tip(page)
    assert f"Gap{gap.gap * 100:+.1f} pp" in shown and "Flagblind spot" in shown
    assert page.eval("document.activeElement.getAttribute('aria-describedby')") == "tip"
    page.key("Escape", 27)
    assert tip(page) == ""


def rows(browser: Browser) -> list[str]:
    found: list[str] = browser.eval(
        "Array.from(document.querySelectorAll('#item-table tbody:not([hidden]) tr'))"
        ".filter(r => !r.hidden).map(r => r.children[0].textContent)"
    )
    return found


@needs_chromium
def test_sorting_and_filtering_the_table(sample, page: Browser) -> None:  # type: ignore[no-untyped-def]
    result = sample[0]
    assert rows(page) == [i.label for i in result.items]  # as the analysis sorts them
    by_customers = sorted(result.items, key=lambda i: i.groups["customers"].share or 0)
    heads = page.eval("Array.from(document.querySelectorAll('#item-table thead th'))"
                      ".map(h => h.textContent)")  # fmt: skip
    col = heads.index("Customers agree (95% CI)")
    x, y = page.centre(f'#item-table button[data-col="{col}"]')
    page.mouse("click", x, y)
    assert rows(page) == [i.label for i in by_customers]
    assert page.eval(f"document.querySelectorAll('#item-table thead th')[{col}]"
                     ".getAttribute('aria-sort')") == "ascending"  # fmt: skip
    page.key("Enter", 13)  # the focused header again: descending
    assert rows(page) == [i.label for i in reversed(by_customers)]
    # filter by flag: the hidden strengths only
    page.eval("var s=document.getElementById('flag-filter'); s.value='c0:hidden_strength';"
              "s.dispatchEvent(new Event('change'))")  # fmt: skip
    strengths = [i.label for i in result.items if i.primary.flag == "hidden_strength"]
    assert sorted(rows(page)) == sorted(strengths) and strengths
    assert page.eval("document.getElementById('shown').textContent") == (
        f"{len(strengths)} of {len(result.items)} items shown"
    )
    page.eval("var s=document.getElementById('flag-filter'); s.value='';"
              "s.dispatchEvent(new Event('change'))")  # fmt: skip
    assert len(rows(page)) == len(result.items)
    # filter by theme: the sample's items are named as in the item bank
    page.eval("var s=document.getElementById('theme-filter'); s.value='Basics';"
              "s.dispatchEvent(new Event('change'))")  # fmt: skip
    basics = [i.label for i in result.items if i.item.startswith("basics_")]
    assert sorted(rows(page)) == sorted(basics) and len(basics) == 3
    page.eval("var s=document.getElementById('theme-filter'); s.value='';"
              "s.dispatchEvent(new Event('change'))")  # fmt: skip


@needs_chromium
def test_the_view_select_switches_charts_and_table_to_a_segment(sample, page: Browser) -> None:  # type: ignore[no-untyped-def]
    result = sample[0]
    region = next(b for b in result.segments if b.column == "region")
    key = next(v["key"] for v in island(sample[3])["views"] if v["label"] == "region: East")
    page.eval(f"var s=document.getElementById('view'); s.value='{key}';"
              "s.dispatchEvent(new Event('change'))")  # fmt: skip
    cell = next(c for c in region.items[0].cells if c.segment == "East")
    customers = cell.groups["customers"]
    x, y = page.centre('#explore .variant:not([hidden]) .mark[data-g="1"]')
    page.mouse("mouseMoved", x, y)
    assert f"n{customers.n:,}" in tip(page) and "Viewregion: East" in tip(page)
    shown = page.eval("document.querySelector('#item-table tbody:not([hidden])')"
                      ".getAttribute('data-view')")  # fmt: skip
    assert shown == key
    # a group toggled off hides its marks
    page.eval("var b=document.querySelector('[data-toggle-g=\"0\"]'); b.click()")
    assert page.eval("getComputedStyle(document.querySelector("
                     "'#explore .mark[data-g=\"0\"]')).display") == "none"  # fmt: skip
    page.eval("document.querySelector('[data-toggle-g=\"0\"]').click()")


@needs_chromium
def test_print_hides_the_controls_and_fits_a4_and_letter(page: Browser, tmp_path: Path) -> None:
    page.send("Emulation.setEmulatedMedia", media="print")
    try:
        assert page.eval("getComputedStyle(document.querySelector('.controls')).display") == "none"
        widths = page.eval("Array.from(document.querySelectorAll('figure svg'))"
                           ".map(s => s.getBoundingClientRect().width)")  # fmt: skip
        assert widths and max(widths) <= page.eval("document.documentElement.clientWidth")
    finally:
        page.send("Emulation.setEmulatedMedia", media="")
    for name, size in (("a4", (8.27, 11.69)), ("letter", (8.5, 11.0))):
        pdf = tmp_path / f"{name}.pdf"
        page.pdf(pdf, *size)
        assert pdf.read_bytes()[:5] == b"%PDF-"


@needs_chromium
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext (poppler-utils)")
def test_printed_table_heads_every_page_it_spans(sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Chromium paints no button in a repeated table head: print shows plain heading text."""
    path, pdf = tmp_path / "report.html", tmp_path / "a4.pdf"
    path.write_text(sample[3], encoding="utf-8")
    fresh = Browser(path.as_uri())  # as opened: the first view, the table unsorted
    try:
        fresh.pdf(pdf, 8.27, 11.69)
    finally:
        fresh.close()
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    pages = [" ".join(p.split()) for p in text.split("\f")]
    spanned = [p for p in pages if "n_eff=" in p]  # the item table's cells
    assert len(spanned) > 1
    for printed in spanned:
        assert "Item Theme" in printed and "Finding (leaders" in printed, printed


def test_many_segments_keep_the_file_small(tmp_path: Path) -> None:
    """40 stores: the first MAX_SEGMENT_VIEWS get a view, the page says the rest are in
    the segment table, and the file stays under 2 MB."""
    from cxgap.report.views import MAX_SEGMENT_VIEWS

    rng = np.random.default_rng(5)
    items = {f"q{k:02d}": [str(v) for v in rng.integers(1, 6, 200)] for k in range(20)}
    cust = {k: [str(v) for v in rng.integers(1, 6, 4000)] for k in items}
    cust["store"] = [f"Store {k % 40:02d}" for k in range(4000)]
    cfg = Config.model_validate({"segment_columns": ["store"], "min_cell_n": 5})
    result = analyze(write_table(tmp_path / "l.csv", items),
                     write_table(tmp_path / "c.csv", cust), cfg)  # fmt: skip
    page = build_report(result)
    views = island(page)["views"]
    assert len(views) == 1 + MAX_SEGMENT_VIEWS < 1 + 40
    assert views[-1]["label"] == f"store: Store {MAX_SEGMENT_VIEWS - 1:02d}"
    assert f"store: {40 - MAX_SEGMENT_VIEWS} more segments than the views hold" in page
    assert "Store 39" in page  # in the segment table
    assert len(page.encode()) < 2_000_000
