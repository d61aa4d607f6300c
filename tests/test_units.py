"""The per-unit view (analysis/units.py): each unit's leaders against its own customers,
units ranked by their gap over the same items, and the correlation across units with
Fisher's z interval (scipy's pearsonr as the oracle)."""

from __future__ import annotations

import csv
import io
import json
import math
import random
from pathlib import Path

import polars as pl
import pytest
from scipy import stats as sps
from tests.conftest import ROOT
from typer.testing import CliRunner

from cxgap import analyze
from cxgap.cli import app
from cxgap.config import Config, load_config
from cxgap.errors import UnknownColumn
from cxgap.render.csv import render_csv
from cxgap.stats.correlation import fisher_interval, pearson

SAMPLE = ROOT / "data" / "sample"
LABELS = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
runner = CliRunner()


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    pl.DataFrame(rows).write_csv(path)
    return path


def people(prefix: str, units: dict[str, tuple[int, float]], seed: int) -> list[dict[str, object]]:
    """Respondents per unit: (how many, the chance of agreeing) each; q3 is blank in unit
    'Tiny' (no one answers it there)."""
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for unit, (size, agree) in units.items():
        for _ in range(size):
            row: dict[str, object] = {"id": f"{prefix}{len(out)}", "branch": unit}
            for q in ("q1", "q2", "q3"):
                row[q] = rng.choice(LABELS[3:] if rng.random() < agree else LABELS[:3])
            out.append(row)
    return out


LEADERS = {"North": (40, 0.9), "South": (35, 0.6), "East": (38, 0.8), "West": (36, 0.7),
           "Central": (45, 0.75), "Tiny": (5, 0.9)}  # fmt: skip
CUSTOMERS = {"North": (300, 0.2), "South": (250, 0.5), "East": (280, 0.35), "West": (260, 0.4),
             "Central": (240, 0.3), "Tiny": (200, 0.5)}  # fmt: skip


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return (write(tmp_path / "leaders.csv", people("L", LEADERS, 1)),
            write(tmp_path / "customers.csv", people("C", CUSTOMERS, 2)))  # fmt: skip


def test_units_ranked_and_correlated_from_their_own_rows(files: tuple[Path, Path]) -> None:
    result = analyze(*files, Config(unit_column="branch"))
    view = result.units
    assert view is not None and view.column == "branch"
    assert view.units == ["Central", "East", "North", "South", "Tiny", "West"]
    assert result.segments == []  # a unit column is not a segment column
    (c,) = view.comparisons
    assert (c.a, c.b) == ("leaders", "customers")
    # Tiny's 5 leaders are under min_cell_n (30), and South's 35, the next smallest, are
    # suppressed with them (else Tiny's figure could be worked out from the overall one)
    assert c.left_out == {
        "South": "suppressed with a smaller unit, so that its figures cannot be worked out "
        "from the overall ones",
        "Tiny": "fewer than 30 leaders",
    }
    assert view.breakdown.suppressed > 0
    assert sorted(c.items) == ["q1", "q2", "q3"]  # in the items table's order
    rows = pl.read_csv(files[0]), pl.read_csv(files[1])
    for rank in c.ranking:
        # each unit's figure is the mean over the items of its own respondents' agree share
        for group, frame in zip(("leaders", "customers"), rows, strict=True):
            mine = frame.filter(pl.col("branch") == rank.unit)
            shares = [mine[q].is_in(LABELS[3:]).sum() / mine[q].is_not_null().sum()
                      for q in ("q1", "q2", "q3")]  # fmt: skip
            assert rank.shares[group] == pytest.approx(sum(shares) / 3, abs=1e-12)
        assert rank.gap == pytest.approx(rank.shares["leaders"] - rank.shares["customers"])
        assert rank.n == {"leaders": LEADERS[rank.unit][0], "customers": CUSTOMERS[rank.unit][0]}
    assert [r.gap for r in c.ranking] == sorted((r.gap for r in c.ranking), reverse=True)
    assert c.ranking[0].unit == "North"  # the most confident leaders, the least satisfied
    xs = [r.shares["leaders"] for r in c.ranking]
    ys = [r.shares["customers"] for r in c.ranking]
    oracle = sps.pearsonr(xs, ys)
    low, high = oracle.confidence_interval(0.95)
    assert c.correlation.r == pytest.approx(oracle.statistic, abs=1e-12)
    assert c.correlation.ci == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))
    assert c.correlation.units == 4


def test_a_unit_without_leaders_is_suppressed_for_them(tmp_path: Path) -> None:
    """A unit only the customers' file has: the leaders' cells there hold no one and are
    suppressed (effective n 0), while its customers' figures are their own rows'."""
    leaders = write(tmp_path / "leaders.csv", people("L", LEADERS, 1))
    customers = write(
        tmp_path / "customers.csv", people("C", {**CUSTOMERS, "Ghost": (120, 0.5)}, 2)
    )
    view = analyze(leaders, customers, Config(unit_column="branch")).units
    assert view is not None and "Ghost" in view.units
    rows = pl.read_csv(customers).filter(pl.col("branch") == "Ghost")
    for item in view.breakdown.items:
        (ghost,) = [cell for cell in item.cells if cell.segment == "Ghost"]
        mine = ghost.groups["leaders"]
        assert (mine.n, mine.share, mine.suppressed) == (0, None, True)
        assert mine.reason == "fewer than 30 respondents"
        theirs = ghost.groups["customers"]
        assert theirs.n == rows[item.item].is_not_null().sum() == 120
        agree = rows[item.item].is_in(LABELS[3:]).sum() / 120
        assert theirs.share == pytest.approx(agree, abs=1e-12)
        assert all(gap.suppressed and gap.gap is None for gap in ghost.comparisons)


def test_fisher_interval_against_scipy_and_its_limits() -> None:
    rng = random.Random(7)
    for n in (4, 5, 12, 40):
        xs = [rng.random() for _ in range(n)]
        ys = [x + rng.gauss(0, 0.3) for x in xs]
        r = pearson(xs, ys)
        assert r is not None
        found = sps.pearsonr(xs, ys)
        assert r == pytest.approx(found.statistic, abs=1e-12)
        for level in (0.9, 0.95, 0.99):
            low, high = found.confidence_interval(level)
            got = fisher_interval(r, n, level)
            assert got is not None
            assert got == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))
    assert fisher_interval(0.5, 3) is None  # no interval under 4 pairs
    assert pearson([1.0, 2.0], [2.0, 1.0]) is None  # nor a correlation under 3
    assert pearson([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]) is None  # nor without variation


def test_fisher_interval_covers_at_its_level() -> None:
    # seeded simulation: bivariate normal units (r = 0.6), 8 units a run
    rng = random.Random(20261126)
    runs, covered, rho = 2000, 0, 0.6
    for _ in range(runs):
        xs, ys = [], []
        for _ in range(8):
            x = rng.gauss(0, 1)
            xs.append(x)
            ys.append(rho * x + math.sqrt(1 - rho * rho) * rng.gauss(0, 1))
        r = pearson(xs, ys)
        assert r is not None
        ci = fisher_interval(r, 8, 0.95)
        assert ci is not None
        covered += ci[0] <= rho <= ci[1]
    assert 0.93 <= covered / runs <= 0.97


def test_without_the_column_in_the_leaders_file_a_warning(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "branch"} for r in people("L", LEADERS, 1)]
    leaders = write(tmp_path / "leaders.csv", rows)
    customers = write(tmp_path / "customers.csv", people("C", CUSTOMERS, 2))
    result = analyze(leaders, customers, Config(unit_column="branch"))
    assert result.units is not None and result.units.comparisons == []
    assert any("--unit branch" in w and "no per-unit view" in w for w in result.warnings)
    with pytest.raises(UnknownColumn) as caught:
        analyze(leaders, customers, Config(unit_column="store"))
    assert "unit_column" in str(caught.value)


def test_unit_names_from_data_are_text_everywhere(tmp_path: Path) -> None:
    hostile = {"=HYPERLINK(\"x\")": (40, 0.9), "[bold]Red[/bold]": (40, 0.5),
               "<b>East</b>": (40, 0.7), "Plain": (40, 0.6)}  # fmt: skip
    customers = {k: (200, 0.3 + 0.1 * i) for i, k in enumerate(hostile)}
    leaders = write(tmp_path / "l.csv", people("L", hostile, 3))
    custom = write(tmp_path / "c.csv", people("C", customers, 4))
    out = runner.invoke(app, ["analyze", str(leaders), str(custom), "--unit", "branch"])
    assert out.exit_code == 0, out.stderr
    assert "[bold]Red[/bold]" in out.stdout  # rich markup printed literally
    md = runner.invoke(app, ["analyze", str(leaders), str(custom), "--unit", "branch", "-f",
                             "markdown"])  # fmt: skip
    assert "<b>" not in md.stdout and "| &lt;b&gt;East&lt;/b&gt; |" in md.stdout
    result = analyze(leaders, custom, Config(unit_column="branch"))
    cells = [row for row in csv.reader(io.StringIO(render_csv(result))) if row[0] == "unit"]
    assert cells and all(not c.startswith("=") for row in cells for c in row)


def test_sample_per_unit_view_in_every_output() -> None:
    cfg = load_config(SAMPLE / "cxgap.toml")
    assert cfg.unit_column == "branch"
    result = analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", cfg,
                     groups={"frontline": SAMPLE / "frontline.csv"})  # fmt: skip
    view = result.units
    assert view is not None
    # every comparison has the column on both sides: leaders-customers, leaders-frontline,
    # frontline-customers; Derby's leaders are the most confident, its customers the least
    pairs = [(c.a, c.b) for c in view.comparisons]
    assert pairs == [("leaders", "customers"), ("leaders", "frontline"), ("frontline", "customers")]
    main = view.comparisons[0]
    assert main.ranking[0].unit == "Derby"
    top = max(main.ranking, key=lambda r: r.shares["leaders"])
    low = min(main.ranking, key=lambda r: r.shares["customers"])
    assert top.unit == low.unit == "Derby"
    data = json.loads(result.model_dump_json())
    assert data["units"]["comparisons"][0]["ranking"][0]["unit"] == "Derby"


def test_unit_chart_is_the_same_bytes_in_another_process() -> None:
    import os
    import subprocess
    import sys

    code = (
        "import sys, pathlib; from cxgap import analyze; from cxgap.config import load_config\n"
        "from cxgap.charts.base import chart_texts, parse_size, save\n"
        "from cxgap.charts.render import draw_chart\n"
        "s = pathlib.Path('data/sample'); cfg = load_config(s / 'cxgap.toml')\n"
        "r = analyze(s / 'leaders.csv', s / 'customers.csv', cfg)\n"
        "fig = draw_chart('units', r, cfg.theme, parse_size('slide'))\n"
        "sys.stderr.write(chart_texts(fig).title)\n"
        "sys.stdout.buffer.write(save(fig, 'x.png'))\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        for seed in ("1", "2")
    ]  # fmt: skip
    assert runs[0].stdout[:8] == b"\x89PNG\r\n\x1a\n" and runs[0].stdout == runs[1].stdout
    assert runs[0].stderr.decode().startswith("Derby: where leaders' view")


@pytest.mark.parametrize("option", [["--unit", "store"], ["--by", "store"]])
def test_validate_and_analyze_agree_on_a_key_no_file_has(
    files: tuple[Path, Path], option: list[str]
) -> None:
    args = [str(files[0]), str(files[1]), *option, "--format", "json"]
    analysed = runner.invoke(app, ["analyze", *args])
    assert analysed.exit_code == 2
    checked = runner.invoke(app, ["validate", *args])
    found = json.loads(checked.stdout)
    assert not found["valid"]
    codes = [p["code"] for p in found["problems"] if p["severity"] == "error"]
    assert codes == [json.loads(analysed.stderr or analysed.stdout)["code"]] == ["unknown-column"]


def test_the_workbook_has_the_per_unit_sheets(tmp_path: Path) -> None:
    import openpyxl

    from cxgap.render.numbers import stable_float

    out = tmp_path / "r.xlsx"
    args = [str(SAMPLE / "leaders.csv"), str(SAMPLE / "customers.csv"), "-c",
            str(SAMPLE / "cxgap.toml")]  # fmt: skip
    done = runner.invoke(app, ["analyze", *args, "-f", "xlsx", "-o", str(out)])
    assert done.exit_code == 0, done.stderr
    found = json.loads(runner.invoke(app, ["analyze", *args, "-f", "json"]).stdout)
    book = openpyxl.load_workbook(out)
    assert {"Units by branch", "Unit correlation", "By branch", "Unit tests"} <= set(
        book.sheetnames
    )
    rows = list(book["Units by branch"].iter_rows(values_only=True))
    first = found["units"]["comparisons"][0]["ranking"][0]
    assert rows[1][:4] == ("Derby", "leaders", "customers", 1)
    assert rows[1][4] == first["shares"]["leaders"]
    assert rows[1][6] == stable_float(first["gap"] * 100)
    corr = list(book["Unit correlation"].iter_rows(values_only=True))[1]
    assert corr[3] == found["units"]["comparisons"][0]["correlation"]["r"]
    notes = [r[1] for r in book["Notes"].iter_rows(values_only=True)]
    assert "units by branch" in notes


def test_when_no_unit_can_be_ranked_every_output_says_why(tmp_path: Path) -> None:
    few = {"North": (12, 0.9), "South": (10, 0.5), "East": (11, 0.6)}
    leaders = write(tmp_path / "l.csv", people("L", few, 5))
    customers = write(tmp_path / "c.csv", people("C", dict.fromkeys(few, (200, 0.4)), 6))
    args = ["analyze", str(leaders), str(customers), "--unit", "branch"]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.stderr
    assert "No branch could be ranked. Not ranked: East (fewer than 30 leaders)" in out.stdout
    md = runner.invoke(app, [*args, "-f", "markdown"])
    assert md.exit_code == 0 and "No branch could be ranked" in md.stdout
    chart = runner.invoke(app, ["chart", "units", str(leaders), str(customers), "--unit",
                                "branch", "-o", str(tmp_path / "u.png")])  # fmt: skip
    assert chart.exit_code == 2 and "no branch could be ranked" in chart.stderr
    assert not (tmp_path / "u.png").exists()


def test_units_are_compared_on_the_items_they_share() -> None:
    # the sample at min_cell_n = 30: its branches have 28 to 30 leaders an item, so most
    # cells are suppressed, a different few in each branch; the units ranked share the
    # items they are compared on, and the others say why they are not ranked
    result = analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv",
                     Config(unit_column="branch"))  # fmt: skip
    assert result.units is not None
    (c,) = result.units.comparisons
    assert len(c.items) >= 13 // 2 and len(c.ranking) >= 1
    for rank in c.ranking:
        s = result.units.breakdown.segments.index(rank.unit)
        for item in result.units.breakdown.items:
            if item.item in c.items:
                assert not item.cells[s].comparisons[0].suppressed
    assert set(c.left_out) | {r.unit for r in c.ranking} == set(result.units.units)
    assert all(
        why.startswith(("only ", "fewer than", "suppressed with", "no "))
        for why in c.left_out.values()
    )
