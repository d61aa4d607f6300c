"""Charts, deck and report: structure, not pixels; determinism; text carries the numbers."""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import ROOT, SampleWaves, Writer, write_table
from typer.testing import CliRunner

from cxgap import Config, analyze
from cxgap.charts import FORMATS, KINDS, kinds_for
from cxgap.charts.base import SMALL_PT, chart_texts, parse_size, save
from cxgap.charts.deck import build_deck
from cxgap.charts.render import chart_bytes, draw_chart, write_charts
from cxgap.charts.report import build_report
from cxgap.cli import app
from cxgap.errors import UsageError
from cxgap.model import AnalysisResult, TrendResult

runner = CliRunner()
LEADERS, CUSTOMERS = "data/sample/leaders*.csv", "data/sample/customers*.csv"


@pytest.fixture(scope="module")
def sample(sample_waves: SampleWaves) -> SampleWaves:
    return sample_waves


def _source(
    kind: str, sample: tuple[AnalysisResult, TrendResult, Config]
) -> AnalysisResult | TrendResult:
    return sample[1] if KINDS[kind][1] == "trend" else sample[0]


@pytest.mark.parametrize("kind", list(KINDS))
def test_png_is_slide_sized_at_200_dpi(kind: str, sample) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    data = chart_bytes(kind, _source(kind, sample), sample[2].theme, parse_size("slide"), "png")
    image = Image.open(io.BytesIO(data))
    assert image.size == (2666, 1500)  # 13.333 x 7.5 in at 200 dpi
    assert round(image.info["dpi"][0]) == 200


@pytest.mark.parametrize("kind", list(KINDS))
def test_svg_and_pdf_are_byte_identical_across_runs(kind: str, sample) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("svg", "pdf"):
        one = chart_bytes(kind, _source(kind, sample), sample[2].theme, parse_size("slide"), fmt)
        two = chart_bytes(kind, _source(kind, sample), sample[2].theme, parse_size("slide"), fmt)
        assert one == two, fmt


@pytest.mark.parametrize("kind", list(KINDS))
def test_pdf_embeds_truetype_fonts_not_type3(kind: str, sample) -> None:  # type: ignore[no-untyped-def]
    pdf = chart_bytes(kind, _source(kind, sample), sample[2].theme, parse_size("slide"), "pdf")
    assert b"/FontFile2" in pdf
    assert b"/Type3" not in pdf
    assert b"CreationDate" not in pdf


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_text_under_12_points_at_slide_size(kind: str, sample) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.text import Text

    fig = draw_chart(kind, _source(kind, sample), sample[2].theme, parse_size("slide"))
    sizes = [
        t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()
    ]
    save(fig, "x.png")
    assert sizes and min(sizes) >= SMALL_PT


def test_svg_text_carries_the_numbers(sample) -> None:  # type: ignore[no-untyped-def]
    result = sample[0]
    svg = chart_bytes("dumbbell", result, sample[2].theme, parse_size("slide"), "svg").decode()
    top = result.items[0]
    assert f"+{round((top.primary.gap or 0) * 100)} pp" in svg
    head = chart_bytes("headline", result, sample[2].theme, parse_size("slide"), "svg").decode()
    assert f"{round((result.headline.groups['leaders'].share or 0) * 100)}%" in head
    assert "n = 117 leaders" in head  # the footnote's n per group


def test_sizes_and_bad_sizes() -> None:
    assert parse_size("half") == (6.667, 7.5)
    assert parse_size("10x5.625") == (10.0, 5.625)
    with pytest.raises(UsageError):
        parse_size("huge")


#: What two groups' charts, decks and reports hold (segmented, as the sample fixture):
#: every kind but the slope chart.
TWO_GROUP_KINDS = kinds_for(2, importance=True, trend=True, segments=True, nps=True, units=True)


def test_three_groups_add_the_slope_chart_to_deck_report_and_charts(tmp_path: Path) -> None:
    from pptx import Presentation

    from cxgap.analysis.run import analysis_and_trend
    from cxgap.config import load_config

    cfg = load_config(ROOT / "data" / "sample" / "cxgap.toml")
    sample = ROOT / "data" / "sample"
    result, by_wave = analysis_and_trend(
        sample / "leaders.csv",
        sample / "customers.csv",
        cfg,
        groups={"frontline": sample / "frontline.csv"},
    )
    assert by_wave is None and result.group_names == ["leaders", "frontline", "customers"]
    # the sample's per-unit view (branch) adds its heatmap and scatter
    kinds = kinds_for(3, importance=True, trend=False, nps=True, segments=True, units=True)
    assert "slope" in kinds and "units" in kinds and "trend" not in kinds
    deck = Presentation(io.BytesIO(build_deck(result, None, cfg.theme)))
    assert len(deck.slides) == 1 + len(kinds) + 2  # and the items table on two slides
    assert deck.slides[0].shapes[0].text_frame.text == (
        "What the boardroom believes, what the frontline sees, what customers get"
    )
    # every subtitle fits its box's two lines; one cut says so, and the notes hold it whole
    slope = list(deck.slides)[1 + kinds.index("slope")]
    subtitle = slope.shapes[2].text_frame.text
    assert subtitle.endswith(("\u2026", ".")) and len(subtitle) <= 2 * 120
    assert subtitle != chart_texts(draw_chart("slope", result, cfg.theme, (12.4, 4.9))).subtitle
    assert "The experience breaks between" in slope.notes_slide.notes_text_frame.text
    html = build_report(result, None, cfg.theme)
    assert html.count('<figure class="static"') == len(kinds)
    assert "The experience breaks between frontline staff and customers" in html
    fig = draw_chart("slope", result, cfg.theme, parse_size("slide"))
    texts = chart_texts(fig)
    assert texts.title == "Where the message is lost, and where the experience breaks"
    assert texts.footnote.startswith("Source: surveys of leaders, frontline staff and customers")
    assert "The message is lost between leaders and frontline staff" in texts.subtitle
    (tmp_path / "slope.png").write_bytes(save(fig, "slope.png"))


def test_slope_chart_is_the_same_bytes_in_another_process(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys, pathlib; from cxgap import analyze; from cxgap.config import load_config\n"
        "from cxgap.charts.base import parse_size, save\n"
        "from cxgap.charts.render import draw_chart\n"
        "s = pathlib.Path('data/sample'); cfg = load_config(s / 'cxgap.toml')\n"
        "r = analyze(s / 'leaders.csv', s / 'customers.csv', cfg,"
        " groups={'frontline': s / 'frontline.csv'})\n"
        "fig = draw_chart('slope', r, cfg.theme, parse_size('slide'))\n"
        "sys.stdout.buffer.write(save(fig, 'x.png'))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            cwd=ROOT,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        for seed in ("1", "2")
    ]
    assert runs[0].stdout[:8] == b"\x89PNG\r\n\x1a\n" and runs[0].stdout == runs[1].stdout


def test_deck_reopens_with_slides_notes_and_editable_titles(sample) -> None:  # type: ignore[no-untyped-def]
    from pptx import Presentation

    result, by_wave, cfg = sample
    data = build_deck(result, by_wave, cfg.theme)
    assert data == build_deck(result, by_wave, cfg.theme)  # byte-identical
    deck = Presentation(io.BytesIO(data))
    assert round(deck.slide_width.inches, 3) == 13.333 and deck.slide_height.inches == 7.5
    assert len(deck.slides) == 1 + len(TWO_GROUP_KINDS) + 2  # the items table: two slides
    titles = [s.shapes[1].text_frame.text for s in list(deck.slides)[1:]]
    fig = draw_chart("dumbbell", result, cfg.theme, parse_size("slide"))
    assert chart_texts(fig).title in titles
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides]
    top = result.items[0]
    assert f"gap +{round((top.primary.gap or 0) * 100)} pp" in notes[2]
    assert deck.core_properties.author == "cxgap"
    times = {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert times == {(2000, 1, 1, 0, 0, 0)}


def test_report_is_self_contained(sample) -> None:  # type: ignore[no-untyped-def]
    result, by_wave, cfg = sample
    html = build_report(result, by_wave, cfg.theme)
    assert html.count('<figure class="static"') == len(TWO_GROUP_KINDS)
    assert not re.search(r"(src|href)=\"https?://", html)
    assert result.headline.text.replace("'", "&#x27;") in html
    assert html == build_report(result, by_wave, cfg.theme)


def test_awkward_case_renders_readably(table: Writer, tmp_path: Path) -> None:
    """30 items with long labels and a leaders' group of 8."""
    rng = np.random.default_rng(7)
    items = {f"item_{k:02d}": [str(v) for v in rng.integers(1, 6, 8)] for k in range(30)}
    items["overall_strong_cx"] = [str(v) for v in rng.integers(1, 6, 8)]
    cust = {k: [str(v) for v in rng.integers(1, 6, 400)] for k in items}
    long = "Our organisation keeps every promise it makes to customers across all channels, "
    cfg = Config.model_validate({"items": {k: {"label": long + k} for k in items}})
    leaders = write_table(tmp_path / "l.csv", items)
    customers = write_table(tmp_path / "c.csv", cust)
    result = analyze(leaders, customers, cfg, importance=True)
    from matplotlib.text import Text

    for kind in ("headline", "dumbbell", "diverging", "ranking", "quadrant"):
        for size in ("slide", "half"):
            fig = draw_chart(kind, result, cfg.theme, parse_size(size))
            sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
            assert min(sizes) >= SMALL_PT
            (tmp_path / f"{kind}-{size}.png").write_bytes(save(fig, "x.png"))


def test_cli_chart_deck_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    cfg = ["-c", "data/sample/cxgap.toml"]
    out = runner.invoke(
        app, ["chart", "ranking", LEADERS, CUSTOMERS, *cfg, "-o", str(tmp_path / "r.svg")]
    )
    assert out.exit_code == 0, out.stderr
    assert (tmp_path / "r.svg").read_text().startswith("<?xml")
    out = runner.invoke(app, ["chart", "pie", LEADERS, CUSTOMERS, "-o", str(tmp_path / "p.png")])
    assert out.exit_code == 2 and "unknown chart kind" in out.stderr
    out = runner.invoke(app, ["chart", "trend", LEADERS, CUSTOMERS, *cfg, "--item", "nope",
                              "-o", str(tmp_path / "t.png")])  # fmt: skip
    assert out.exit_code == 2 and "no item 'nope'" in out.stderr
    out = runner.invoke(app, ["deck", LEADERS, CUSTOMERS, *cfg, "-o", str(tmp_path / "d.pptx")])
    assert out.exit_code == 0 and (tmp_path / "d.pptx").stat().st_size > 100_000
    out = runner.invoke(app, ["report", LEADERS, CUSTOMERS, *cfg, "-o", str(tmp_path / "r.html")])
    assert out.exit_code == 0 and "<svg" in (tmp_path / "r.html").read_text()
    charts = tmp_path / "charts"
    out = runner.invoke(app, ["analyze", LEADERS, CUSTOMERS, *cfg, "--charts", str(charts),
                              "--wave", "latest", "--chart-format", "png,svg",
                              "--by", "region"])  # fmt: skip
    assert out.exit_code == 0, out.stderr
    assert sorted(p.name for p in charts.iterdir()) == sorted(
        f"{k}.{f}" for k in TWO_GROUP_KINDS for f in ("png", "svg")
    )
    out = runner.invoke(app, ["analyze", LEADERS, CUSTOMERS, *cfg, "--charts", str(charts)])
    assert out.exit_code == 2 and "--wave" in out.stderr


def test_help_and_analyze_never_import_matplotlib() -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    for args in (["--help"], ["analyze", "data/sample/leaders.csv", "data/sample/customers.csv",
                              "-o", os.devnull]):  # fmt: skip
        proc = subprocess.run([sys.executable, "-m", "cxgap", *args], capture_output=True,
                              text=True, env=env, cwd=ROOT, check=True)  # fmt: skip
        assert "matplotlib" not in proc.stderr and "pptx" not in proc.stderr


# -- titles state the finding in both directions ------------------------------------------


def _result_with(tmp_path: Path, blind: int, hidden: int) -> AnalysisResult:
    """40 leaders and 40 customers; ``blind`` items leaders rate far higher, ``hidden``
    items customers rate far higher, and two items where both agree alike."""
    lead: dict[str, list[int]] = {}
    cust: dict[str, list[int]] = {}
    for k in range(blind):
        lead[f"b{k}"], cust[f"b{k}"] = [5] * 36 + [2] * 4, [2] * 36 + [5] * 4
    for k in range(hidden):
        lead[f"h{k}"], cust[f"h{k}"] = [2] * 36 + [5] * 4, [5] * 36 + [2] * 4
    for k in range(2):
        lead[f"same{k}"], cust[f"same{k}"] = [4, 2] * 20, [2, 4] * 20
    leaders = write_table(tmp_path / "l.csv", lead)
    customers = write_table(tmp_path / "c.csv", cust)
    return analyze(leaders, customers, Config(headline_item="same0"))


@pytest.mark.parametrize(
    ("blind", "hidden", "dumbbell", "ranking"),
    [
        (
            0,
            2,
            "No blind spot; customers more positive on 2 of 4 items (hidden strengths)",
            "No blind spot; 2 hidden strengths, largest -80 pp",
        ),
        (
            1,
            0,
            "Leaders more positive on 1 of 3 items (blind spot); no hidden strength",
            "1 blind spot, +80 pp; no hidden strength",
        ),
        (
            2,
            1,
            "Leaders more positive on 2 of 5 items (blind spots), customers on 1 (hidden strength)",
            "2 blind spots, largest +80 pp; 1 hidden strength, -80 pp",
        ),
        (
            0,
            0,
            "No blind spot and no hidden strength on any of 2 items",
            "No blind spot and no hidden strength meets the rule",
        ),
    ],
)
def test_gap_chart_titles_state_both_directions(
    tmp_path: Path, blind: int, hidden: int, dumbbell: str, ranking: str
) -> None:
    result = _result_with(tmp_path, blind, hidden)
    assert (len(result.findings.blind_spots), len(result.findings.hidden_strengths)) == (
        blind,
        hidden,
    )
    theme = Config().theme
    titles = {
        kind: chart_texts(draw_chart(kind, result, theme, parse_size("slide"))).title
        for kind in ("dumbbell", "ranking")
    }
    assert titles == {"dumbbell": dumbbell, "ranking": ranking}


# -- charts leave the user's matplotlib state alone ---------------------------------------

#: rcParams a notebook user might have set; none of them may change or leak into a chart.
USER_RC = {
    "font.size": 3,
    "font.family": "serif",
    "svg.hashsalt": "user",
    "svg.fonttype": "path",
    "pdf.fonttype": 3,
    "axes.spines.top": True,
    "axes.linewidth": 4.0,
    "axes.facecolor": "#EEEEFF",
    "figure.facecolor": "#FFEEEE",
    "lines.linewidth": 7.0,
    "lines.markersize": 2.0,
    "grid.linewidth": 5.0,
    "xtick.major.width": 3.0,
    "path.simplify": False,
}


@pytest.fixture
def user_matplotlib() -> Iterator[str]:
    """A user's matplotlib: another backend and rcParams of their own (restored after)."""
    import matplotlib

    backend = matplotlib.get_backend()
    with matplotlib.rc_context():
        matplotlib.use("pdf")
        matplotlib.rcParams.update(USER_RC)
        try:
            yield "pdf"
        finally:
            matplotlib.use(backend)


def test_charts_leave_the_users_rcparams_and_backend_alone(  # type: ignore[no-untyped-def]
    sample, user_matplotlib: str, tmp_path: Path
) -> None:
    import matplotlib

    from cxgap.charts.trend import draw as draw_trend

    result, by_wave, cfg = sample
    before, backend = dict(matplotlib.rcParams), matplotlib.get_backend()
    assert backend == user_matplotlib != "agg"
    for kind in KINDS:
        fig = draw_chart(kind, _source(kind, sample), cfg.theme, parse_size("slide"))
        for fmt in FORMATS:
            save(fig, f"chart.{fmt}")
    save(draw_trend(by_wave, cfg.theme, parse_size("half"), by_wave.items[0].item), "t.svg")
    write_charts(tmp_path, result, by_wave, cfg.theme, parse_size("half"), ["svg"])
    build_deck(result, by_wave, cfg.theme)
    build_report(result, by_wave, cfg.theme)
    assert matplotlib.get_backend() == backend
    assert dict(matplotlib.rcParams) == before


def test_charts_are_the_same_bytes_whatever_the_users_rcparams(sample) -> None:  # type: ignore[no-untyped-def]
    import matplotlib
    import matplotlib.style

    theme, slide = sample[2].theme, parse_size("slide")
    jobs = [(kind, "svg") for kind in KINDS] + [("headline", "png"), ("headline", "pdf")]

    def render() -> list[bytes]:
        return [chart_bytes(k, _source(k, sample), theme, slide, fmt) for k, fmt in jobs]

    with matplotlib.style.context("default"):
        plain = render()
    with matplotlib.rc_context(USER_RC):
        customised = render()
    for (kind, fmt), one, two in zip(jobs, plain, customised, strict=True):
        assert one == two, f"{kind}.{fmt}"


def test_importing_charts_keeps_the_users_backend() -> None:
    import os
    import subprocess
    import sys

    modules = ["cxgap.charts", "cxgap.charts.render", "cxgap.charts.deck", "cxgap.charts.report"]
    modules += [module for module, _ in KINDS.values()]
    code = (
        "import matplotlib\n"
        "before = matplotlib.get_backend(auto_select=False), dict(matplotlib.rcParams.copy())\n"
        f"import {', '.join(modules)}\n"
        "after = matplotlib.get_backend(auto_select=False), dict(matplotlib.rcParams.copy())\n"
        "print(before[0], after[0], before[1] == after[1])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    for chosen, expected in (("svg", "svg svg True"), (None, "None None True")):
        run_env = dict(env, MPLBACKEND=chosen) if chosen else env
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=run_env, cwd=ROOT, check=True)  # fmt: skip
        assert proc.stdout.strip() == expected, (chosen, proc.stdout, proc.stderr)


def test_a_deck_subtitle_is_cut_to_its_box_at_a_sentence_or_a_word() -> None:
    from cxgap.charts.base import cut_to_lines

    short = "Share who agree (top-2-box)."
    assert cut_to_lines(short, 12.4, 15, 2, em=0.56) == short
    two = "First sentence says a good deal about the chart. " * 3 + "x" * 30
    cut = cut_to_lines(two, 6.0, 15, 2, em=0.56)
    assert cut.endswith("chart.") and len(cut) < len(two)
    words = "word " * 200
    cut = cut_to_lines(words, 6.0, 15, 2, em=0.56)
    assert cut.endswith("\u2026") and "\n" not in cut and len(cut) <= 2 * 70
