"""The deck's native charts: what each slide holds, the package opens without repair (every
part its relationships name exists and has a content type; every chart part parses), the
same bytes on every run and in any time zone, data a consultant can edit, and text from
data that cannot break the file."""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from tests.conftest import ROOT, SampleWaves
from typer.testing import CliRunner

from cxgap import Config, load_config
from cxgap.charts import kinds_of
from cxgap.charts.deck import build_deck
from cxgap.charts.native import NATIVE, PICTURES
from cxgap.charts.native.common import clean
from cxgap.cli import app
from cxgap.model import AnalysisResult, TrendResult

runner = CliRunner()
LEADERS, CUSTOMERS = "data/sample/leaders*.csv", "data/sample/customers*.csv"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
C_NS = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@pytest.fixture(scope="module")
def sample(sample_waves: SampleWaves) -> SampleWaves:
    return sample_waves


@pytest.fixture(scope="module")
def deck_bytes(sample: tuple[AnalysisResult, TrendResult, Config]) -> bytes:
    result, by_wave, cfg = sample
    return build_deck(result, by_wave, cfg.theme)


def _slides(data: bytes) -> list[object]:
    from pptx import Presentation

    return list(Presentation(io.BytesIO(data)).slides)


def test_every_kind_powerpoint_draws_is_a_native_chart_and_the_rest_pictures(
    sample: tuple[AnalysisResult, TrendResult, Config], deck_bytes: bytes
) -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    result = sample[0]
    kinds = kinds_of(result, True)
    slides = _slides(deck_bytes)
    expected = {
        "headline": XL_CHART_TYPE.BAR_CLUSTERED,
        "dumbbell": XL_CHART_TYPE.BAR_CLUSTERED,
        "diverging": XL_CHART_TYPE.BAR_STACKED,
        "ranking": XL_CHART_TYPE.BAR_CLUSTERED,
        "nps": XL_CHART_TYPE.BAR_STACKED,
        "units": XL_CHART_TYPE.BAR_CLUSTERED,
        "trend": XL_CHART_TYPE.LINE_MARKERS,
    }
    for kind, slide in zip(kinds, slides[1:], strict=False):
        charts = [s.chart for s in slide.shapes if s.has_chart]  # type: ignore[attr-defined]
        tables = [s for s in slide.shapes if s.has_table]  # type: ignore[attr-defined]
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # type: ignore[attr-defined]
        notes = slide.notes_slide.notes_text_frame.text  # type: ignore[attr-defined]
        if kind in PICTURES:
            assert pictures and not charts and "This chart is a picture" in notes, kind
        elif kind == "heatmap":
            assert tables and not pictures, kind
        else:
            assert kind in NATIVE and len(charts) == 1 and not pictures, kind
            assert charts[0].chart_type == expected[kind], kind
    # the headline's numbers are the chart's data, and its intervals are in the workbook
    headline = next(s.chart for s in slides[1].shapes if s.has_chart)  # type: ignore[attr-defined]
    values = list(headline.plots[0].series[0].values)
    assert values == [result.headline.groups[g.name].share for g in result.groups]
    lo = result.headline.groups["leaders"].ci[0]
    assert lo is not None
    xml = etree.tostring(headline._chartSpace).decode()
    assert "c:errBars" in xml and repr(float(values[0] - lo)) in xml
    book = zipfile.ZipFile(io.BytesIO(headline.part.chart_workbook.xlsx_part.blob))
    assert b"Agree share: interval below" in book.read("xl/sharedStrings.xml")
    assert repr(float(values[0] - lo)).encode() in book.read("xl/worksheets/sheet1.xml")
    # the items table follows the charts, split over slides, every item once
    table_slides = slides[1 + len(kinds) :]
    assert len(table_slides) == 2
    rows = [row.cells[0].text for s in table_slides for sh in s.shapes if sh.has_table  # type: ignore[attr-defined]
            for row in list(sh.table.rows)[1:]]  # fmt: skip
    assert rows == [i.label for i in result.items]


def test_the_package_opens_without_repair(deck_bytes: bytes) -> None:
    """Every relationship's internal target exists, every part has a content type, every
    XML part parses, and each chart names an embedded workbook that is a valid xlsx."""
    package = zipfile.ZipFile(io.BytesIO(deck_bytes))
    names = set(package.namelist())
    types = etree.fromstring(package.read("[Content_Types].xml"))
    defaults = {d.get("Extension").lower() for d in types.iter(f"{CT_NS}Default")}
    overrides = {o.get("PartName").lstrip("/") for o in types.iter(f"{CT_NS}Override")}
    for name in names - {"[Content_Types].xml"}:
        assert name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
    for name in names:
        if name.endswith((".xml", ".rels")):
            etree.fromstring(package.read(name))  # raises on a malformed part
        if not name.endswith(".rels"):
            continue
        base = posixpath.dirname(posixpath.dirname(name))
        for rel in etree.fromstring(package.read(name)).iter(f"{REL_NS}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(base, target))  # fmt: skip
            assert path in names, (name, target)
    charts = sorted(n for n in names if n.startswith("ppt/charts/chart"))
    assert len(charts) == len(NATIVE) - 2  # no slope (two groups), the heatmap is a table
    for chart in charts:
        root = etree.fromstring(package.read(chart))
        assert root.tag == f"{C_NS}chartSpace" and root.find(f"{C_NS}externalData") is not None
        _in_schema_order(root)
        for ref in root.iter(f"{C_NS}f"):  # every reference points into the workbook
            assert ref.text is not None and ref.text.startswith("Sheet1!$")
    workbooks = [n for n in names if n.startswith("ppt/embeddings/")]
    assert len(workbooks) == len(charts)
    for book in workbooks:
        inner = zipfile.ZipFile(io.BytesIO(package.read(book)))
        core = inner.read("docProps/core.xml").decode()
        assert "2000-01-01T00:00:00Z" in core  # XlsxWriter would write the time of the run
        assert {i.date_time for i in inner.infolist()} == {(1980, 1, 1, 0, 0, 0)}


#: The order the chart schema (ECMA-376 DrawingML charts) gives the children that the
#: native charts write by hand: a part out of order is what makes PowerPoint "repair".
SCHEMA_ORDER = {
    "barChart/ser": "idx order tx spPr invertIfNegative pictureOptions dPt dLbls trendline "
    "errBars cat val shape extLst",
    "lineChart/ser": "idx order tx spPr marker dPt dLbls trendline errBars cat val smooth extLst",
    "dLbls": "dLbl delete numFmt spPr txPr dLblPos showLegendKey showVal showCatName "
    "showSerName showPercent showBubbleSize separator showLeaderLines leaderLines extLst",
    "dLbl": "idx delete layout tx numFmt spPr txPr dLblPos showLegendKey showVal showCatName "
    "showSerName showPercent showBubbleSize separator extLst",
    "errBars": "errDir errBarType errValType noEndCap plus minus val spPr extLst",
}
#: Where a stacked bar's data label may sit (outside the end is a clustered bar's only).
STACKED_POSITIONS = {"ctr", "inBase", "inEnd"}


def _in_schema_order(root: etree._Element) -> None:
    for path, names in SCHEMA_ORDER.items():
        order = names.split()
        for element in root.iterfind(".//" + "/".join(f"{C_NS}{p}" for p in path.split("/"))):
            seen = [order.index(etree.QName(child).localname) for child in element]
            assert seen == sorted(seen), (path, [etree.QName(c).localname for c in element])
    for plot in root.iter(f"{C_NS}barChart"):
        if plot.find(f"{C_NS}grouping").get("val") == "stacked":
            assert {p.get("val") for p in plot.iter(f"{C_NS}dLblPos")} <= STACKED_POSITIONS


def test_the_deck_is_the_same_bytes_in_any_run_and_time_zone(tmp_path: Path) -> None:
    runs = []
    for tz in ("UTC", "Pacific/Auckland"):
        out = tmp_path / f"{tz.replace('/', '_')}.pptx"
        args = [sys.executable, "-m", "cxgap", "deck", LEADERS, CUSTOMERS, "-c",
                "data/sample/cxgap.toml", "-o", str(out)]  # fmt: skip
        env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": str(len(runs))}
        subprocess.run(args, cwd=ROOT, check=True, env=env)
        runs.append(out.read_bytes())
    assert runs[0] == runs[1]


def test_pictures_keeps_every_chart_a_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "p.pptx"
    got = runner.invoke(app, ["deck", LEADERS, CUSTOMERS, "-c", "data/sample/cxgap.toml",
                              "--pictures", "-o", str(out)])  # fmt: skip
    assert got.exit_code == 0, got.output
    slides = _slides(out.read_bytes())
    assert not any(s.has_chart for slide in slides for s in slide.shapes)  # type: ignore[attr-defined]
    pictures = [slide for slide in slides if any(s.shape_type == 13 for s in slide.shapes)]  # type: ignore[attr-defined]
    assert len(pictures) == len(slides) - 3  # but the title slide and the two table slides
    assert "--pictures" in runner.invoke(app, ["deck", "--help"]).output


def test_a_chart_edited_through_its_data_shows_the_new_value(
    deck_bytes: bytes, tmp_path: Path
) -> None:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData

    deck = Presentation(io.BytesIO(deck_bytes))
    shape = next(s for s in deck.slides[1].shapes if s.has_chart)
    chart = shape.chart
    data = CategoryChartData(number_format="0%")
    data.categories = ["Leaders", "Customers"]
    data.add_series("Agree share", (0.42, 0.37))
    chart.replace_data(data)
    path = tmp_path / "edited.pptx"
    deck.save(str(path))
    again = Presentation(str(path))
    edited = next(s for s in again.slides[1].shapes if s.has_chart).chart
    assert list(edited.plots[0].series[0].values) == [0.42, 0.37]
    book = zipfile.ZipFile(io.BytesIO(edited.part.chart_workbook.xlsx_part.blob))
    assert b"0.42" in book.read("xl/worksheets/sheet1.xml")
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice is not installed: the edit is checked in the XML only")
    profile = tmp_path / "lo"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", str(path), "--outdir", str(tmp_path)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    pdf = tmp_path / "edited.pdf"
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    labels = {line.strip() for line in text.splitlines()}  # the bars' labels: lines alone
    assert {"42%", "37%"} <= labels and "81%" not in labels


def test_text_from_data_cannot_corrupt_the_file(
    sample: tuple[AnalysisResult, TrendResult, Config],
) -> None:
    result, by_wave, cfg = sample
    bad = "Bad\x00 label\x1b with <tags> & \ufffe controls\x0b" + " very long" * 40
    items = [i.model_copy(update={"label": bad + str(k)}) for k, i in enumerate(result.items)]
    hostile = result.model_copy(update={"items": items})
    data = build_deck(hostile, by_wave, cfg.theme)
    package = zipfile.ZipFile(io.BytesIO(data))
    for name in package.namelist():
        if name.endswith(".xml"):
            etree.fromstring(package.read(name))
    slides = _slides(data)
    ranking = next(s.chart for s in slides[4].shapes if s.has_chart)  # type: ignore[attr-defined]
    labels = list(ranking.plots[0].categories)
    assert labels and all(len(x) <= 200 and "\x00" not in x and "\x1b" not in x for x in labels)
    assert labels[0].startswith("Bad label with <tags> & controls")
    assert clean("a\x00b\tc\nd", 0) == "ab\tc\nd" and clean("a\tb\nc") == "a b c"
    # the workbooks behind "Edit data": a label that reads as a formula or a link is text
    formula = '=HYPERLINK("http://evil.example","click")'
    items = [i.model_copy(update={"label": formula if k % 2 else "https://evil.example"})
             for k, i in enumerate(result.items)]  # fmt: skip
    data = build_deck(result.model_copy(update={"items": items}), by_wave, cfg.theme)
    package = zipfile.ZipFile(io.BytesIO(data))
    books = [n for n in package.namelist() if n.endswith(".xlsx")]
    assert books
    for name in books:
        book = zipfile.ZipFile(io.BytesIO(package.read(name)))
        sheet = book.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet and b"<hyperlink" not in sheet, name
        assert "xl/worksheets/_rels/sheet1.xml.rels" not in book.namelist()


def test_three_groups_slope_lines_and_suppressed_cells_in_the_heatmap_table() -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    from cxgap import analyze

    sample = ROOT / "data" / "sample"
    cfg = load_config(sample / "cxgap.toml").model_copy(
        update={"segment_columns": ["region"], "min_cell_n": 40}  # a branch has ~30 leaders
    )
    result = analyze(sample / "leaders.csv", sample / "customers.csv", cfg,
                     groups={"frontline": sample / "frontline.csv"}, importance=True)  # fmt: skip
    data = build_deck(result, None, cfg.theme)
    package = zipfile.ZipFile(io.BytesIO(data))
    for name in package.namelist():
        if name.startswith("ppt/charts/chart"):
            _in_schema_order(etree.fromstring(package.read(name)))
    kinds = kinds_of(result, False)
    slides = _slides(data)
    slope = slides[1 + kinds.index("slope")]
    chart = next(s.chart for s in slope.shapes if s.has_chart)  # type: ignore[attr-defined]
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert list(chart.plots[0].categories) == ["Leaders", "Frontline staff", "Customers"]
    first = chart.plots[0].series[0]
    assert first.name == result.items[0].label
    assert list(first.values) == [result.items[0].groups[g].share for g in result.group_names]
    heat = slides[1 + kinds.index("heatmap")]
    table = next(s.table for s in heat.shapes if s.has_table)  # type: ignore[attr-defined]
    cells = [c.text for row in list(table.rows)[2:] for c in list(row.cells)[1:]]
    hidden = sum(
        c.comparisons[0].gap is None
        for p in result.breakdowns()
        for i in p.items[:14]
        for c in i.cells
    )
    assert hidden > 0 and cells.count("supp.") == hidden
    fonts = {r.font.name for row in table.rows for c in row.cells
             for p in c.text_frame.paragraphs for r in p.runs}  # fmt: skip
    assert fonts == {cfg.theme.font_family}
    assert all(re.fullmatch(r"[+-]\d+|supp\.", c) for c in cells)
