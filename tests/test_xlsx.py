"""--format xlsx: the workbook read back with openpyxl (a reader independent of the writer)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.conftest import ROOT, Writer
from typer.testing import CliRunner

from cxgap.cli import app
from cxgap.render.numbers import stable_float
from cxgap.render.xlsx import NUMBER_FORMATS, sheet_name

runner = CliRunner()
SAMPLE = "data/sample"
LEADERS, CUSTOMERS = f"{SAMPLE}/leaders.csv", f"{SAMPLE}/customers.csv"
WAVES = (f"{SAMPLE}/leaders*.csv", f"{SAMPLE}/customers*.csv")
CONFIG = f"{SAMPLE}/cxgap.toml"
THREE = (LEADERS, CUSTOMERS, "--frontline", f"{SAMPLE}/frontline.csv", "-c", CONFIG)


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


def _book(path: Path) -> Any:
    return openpyxl.load_workbook(path)


def _records(sheet: Any) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _cells(book: Any) -> list[Any]:
    return [c for ws in book for row in ws.iter_rows() for c in row]


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    """The three-group sample by region: the workbook and the JSON of the same run."""
    folder = tmp_path_factory.mktemp("xlsx")
    args = (*THREE, "--by", "region")
    assert _run("analyze", *args, "-f", "xlsx", "-o", str(folder / "a.xlsx"))[0] == 0
    assert _run("analyze", *args, "-f", "json", "-o", str(folder / "a.json"))[0] == 0
    return _book(folder / "a.xlsx"), json.loads((folder / "a.json").read_text())


def test_analysis_workbook_has_a_sheet_per_table_and_notes(analysis: Any) -> None:
    book, data = analysis
    assert book.sheetnames == ["Items", "Comparisons", "NPS", "NPS gaps", "By region",
                               "Segment tests", "Units by branch", "Unit correlation",
                               "By branch", "Unit tests", "Priorities", "Johari",
                               "Notes"]  # fmt: skip
    items = _records(book["Items"])
    assert [r["Item"] for r in items] == [data["headline"]["item"]] + [
        i["item"] for i in data["items"]
    ]
    assert next(book["Items"].iter_rows(values_only=True))[:9] == (
        "Row", "Item", "Label", "Scale", "Agree from", "leaders n", "leaders missing",
        "leaders agree", "leaders share",
    )  # fmt: skip
    comparisons = _records(book["Comparisons"])
    assert len(comparisons) == 3 * (1 + len(data["items"]))
    region = _records(book["By region"])
    assert len(region) == len(data["segments"][0]["items"]) * len(data["segments"][0]["segments"])
    for ws in book:  # frozen header row and an autofilter over the table, every sheet
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    assert not [c for c in _cells(book) if c.data_type == "f"]  # no formula anywhere


def test_numbers_equal_the_json_and_carry_formats(analysis: Any) -> None:
    book, data = analysis
    items = book["Items"]
    header = [c.value for c in items[1]]
    first = data["items"][0]
    row = next(r for r in items.iter_rows(min_row=3) if r[1].value == first["item"])
    share = row[header.index("customers share")]
    assert share.value == first["groups"]["customers"]["share"]  # exactly: the JSON's digits
    assert share.number_format == NUMBER_FORMATS["share"] == "0.0%"
    assert row[header.index("leaders n")].value == first["groups"]["leaders"]["n"]
    assert row[header.index("leaders n")].number_format == "#,##0"
    comparisons = book["Comparisons"]
    header = [c.value for c in comparisons[1]]
    main = first["comparisons"][0]
    row = next(r for r in comparisons.iter_rows(min_row=2)
               if r[1].value == first["item"] and r[0].value == "item")  # fmt: skip
    gap = row[header.index("Gap")]
    assert gap.value == stable_float(main["gap"] * 100)  # pp: the JSON's fraction x 100
    assert gap.number_format == '+0.0" pp";-0.0" pp";0.0" pp"'
    assert row[header.index("Gap CI low")].value == stable_float(main["gap_ci"][0] * 100)
    p = row[header.index("Adjusted p")]
    assert p.value == main["p_adjusted"] and p.number_format == NUMBER_FORMATS["p"]
    assert row[header.index("Significant")].value is main["significant"]
    assert row[header.index("Flag")].value == main["flag"].replace("_", " ")
    width = comparisons.column_dimensions["C"].width  # Label: as wide as its longest
    assert max(len(r["Label"]) for r in _records(comparisons)) < width < 62.5  # MAX_WIDTH + padding


def test_notes_state_method_settings_and_warnings(analysis: Any) -> None:
    book, data = analysis
    notes = [(r["Section"], r["Name"], r["Value"]) for r in _records(book["Notes"])]
    values = {(s, n): v for s, n, v in notes}
    assert values[("Result", "headline")] == data["headline"]["text"]
    assert values[("Settings", "confidence")] == 0.95  # a number, not text
    assert values[("Settings", "adjustment")] == "holm"
    assert values[("Method", "share interval")].startswith("Wilson score interval")
    assert "Holm" in values[("Method", "adjustment")]
    assert "x 3 comparisons" in values[("Method", "adjustment")]
    tests = [v for s, n, v in notes if (s, n) == ("Method", "test")]
    used = {c["test"] for i in data["items"] for c in i["comparisons"]}
    assert len(tests) == len(used) == 2  # score (unweighted pairs), design_z (weighted)
    assert "suppressed" in values[("Method", "segments by region")]
    assert [v for s, _, v in notes if s == "Warnings"] == data["warnings"]
    assert [v for s, _, v in notes if s == "Findings"] == data["findings"]["summary"]


FORMULA = "=cmd|' /C calc'!A0"


def _hostile(table: Writer, tmp_path: Path) -> tuple[Path, Path, Path]:
    segment = "Region: [EU]/*?\\ of the customer who answered"  # forbidden chars, > 31
    n_lead, n_cust = 40, 120
    leaders = table("leaders.csv", {
        FORMULA: [str(1 + k % 5) for k in range(n_lead)],
        "q2": [str(1 + k % 4) for k in range(n_lead)],
    })  # fmt: skip
    customers = table("customers.csv", {
        FORMULA: [str(1 + k % 3) for k in range(n_cust)],
        "q2": [str(2 + k % 4) for k in range(n_cust)],
        segment: [("=1+2", "+SUM(A1)", "-3", "@A1")[k % 4] for k in range(n_cust)],
    })  # fmt: skip
    config = tmp_path / "cxgap.toml"
    config.write_text(
        f"segment_columns = [{json.dumps(segment)}]\nmin_cell_n = 10\n"
        "[items.q2]\nlabel = \"@SUM(1+1)*cmd|' /C calc'!A0\"\n"
        f'[items.{json.dumps(FORMULA)}]\nlabel = "\\tTAB label"\n',
        encoding="utf-8",
    )
    return leaders, customers, config


def test_formula_like_text_stays_text_and_sheet_names_are_sanitised(
    table: Writer, tmp_path: Path
) -> None:
    leaders, customers, config = _hostile(table, tmp_path)
    out = tmp_path / "h.xlsx"
    code, err = _run("analyze", str(leaders), str(customers), "-c", str(config), "-f", "xlsx",
                     "-o", str(out))  # fmt: skip
    assert code == 0, err
    book = _book(out)
    name = "By Region_ _EU_____ of the cust"
    assert book.sheetnames == ["Items", "Comparisons", name, "Segment tests", "Priorities",
                               "Johari", "Notes"]  # fmt: skip
    assert len(name) == 31
    cells = _cells(book)
    assert not [c for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in tuple("=+-@\t")]
    texts = {c.value for c in risky}
    assert {"=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "=1+2", "+SUM(A1)", "-3",
            "@A1", "\tTAB label"} <= texts  # fmt: skip
    for c in risky:  # a string cell, quote-prefixed so that editing it keeps it text
        assert c.data_type == "s" and c.quotePrefix, (c.coordinate, c.value)
    plain = book["Items"]["A2"]  # other text is not marked
    assert plain.value == "headline" and plain.data_type == "s" and not plain.quotePrefix


@pytest.mark.parametrize(
    ("wanted", "taken", "expected"),
    [
        ("Items", set(), "Items"),
        ("a[b]c:d*e?f/g\\h", set(), "a_b_c_d_e_f_g_h"),
        ("x" * 40, set(), "x" * 31),
        ("items", {"items"}, "items (2)"),
        ("ITEMS", {"items", "items (2)"}, "ITEMS (3)"),
        ("y" * 40, {"y" * 31}, "y" * 27 + " (2)"),
        ("'quoted'", set(), "quoted"),
        ("", set(), "Sheet"),
        ("History", set(), "Sheet History"),
        ("tab\there", set(), "tab_here"),
    ],
)
def test_sheet_name(wanted: str, taken: set[str], expected: str) -> None:
    used = set(taken)
    got = sheet_name(wanted, used)
    assert got == expected
    assert got.lower() in used and len(got) <= 31


def test_workbook_bytes_are_identical_across_processes(tmp_path: Path) -> None:
    outs = [tmp_path / "one.xlsx", tmp_path / "two.xlsx"]
    env = {**os.environ, "TZ": "UTC"}
    for k, out in enumerate(outs):
        env["TZ"] = ("UTC", "America/Los_Angeles")[k]  # and not the machine's time zone
        proc = subprocess.run(
            [sys.executable, "-m", "cxgap", "analyze", *THREE, "--by", "region", "-f", "xlsx",
             "-o", str(out)],
            capture_output=True, env=env, cwd=ROOT, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
    data = outs[0].read_bytes()
    assert data == outs[1].read_bytes()
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z' in core


def test_trend_workbook(tmp_path: Path) -> None:
    out, js = tmp_path / "t.xlsx", tmp_path / "t.json"
    assert _run("trend", *WAVES, "-c", CONFIG, "-f", "xlsx", "-o", str(out))[0] == 0
    assert _run("trend", *WAVES, "-c", CONFIG, "-f", "json", "-o", str(js))[0] == 0
    book, data = _book(out), json.loads(js.read_text())
    assert book.sheetnames == ["Waves", "Changes", "Notes"]
    waves = _records(book["Waves"])
    point = data["headline"]["points"][-1]
    row = next(r for r in waves if r["Row"] == "headline" and r["Wave"] == point["wave"])
    assert row["customers share"] == point["groups"]["customers"]["share"]
    assert row["Gap leaders - customers"] == stable_float(point["gap"] * 100)
    changes = _records(book["Changes"])
    assert len(changes) == sum(len(t["changes"]) for t in [data["headline"], *data["items"]])
    change = data["items"][0]["changes"][0]
    row = next(r for r in changes if r["Item"] == data["items"][0]["item"]
               and r["Measure"] == change["measure"])  # fmt: skip
    assert row["Change"] == stable_float(change["change"] * 100)
    assert book["Changes"]["G2"].number_format == NUMBER_FORMATS["pp"]
    notes = {r["Name"]: r["Value"] for r in _records(book["Notes"])}
    assert "k = 0.75" in notes["change in a share"]
    assert notes["waves"] == ", ".join(data["waves"])


def test_check_workbook_keeps_the_exit_code(tmp_path: Path) -> None:
    out, js = tmp_path / "c.xlsx", tmp_path / "c.json"
    code, _ = _run("check", *WAVES, "-c", CONFIG, "-f", "xlsx", "-o", str(out))
    assert code == 1  # the sample's 2026Q3 drop breaches max_drop_pp
    _run("check", *WAVES, "-c", CONFIG, "-f", "json", "-o", str(js))
    book, data = _book(out), json.loads(js.read_text())
    assert book.sheetnames[:3] == ["Verdicts", "Rules", "Items"]
    assert book.sheetnames[-1] == "Notes"
    verdicts = _records(book["Verdicts"])
    assert [(v["Rule"], v["Item"], v["Status"]) for v in verdicts] == [
        (v["rule"], v["item"], v["status"]) for v in data["verdicts"]
    ]
    failed = next(k for k, v in enumerate(data["verdicts"]) if v["status"] == "fail")
    assert verdicts[failed]["Value"] == data["verdicts"][failed]["value_pp"]
    assert verdicts[failed]["p (breach)"] == data["verdicts"][failed]["p_breach"]
    assert {(v["Rule"], v["Unit"]) for v in verdicts} >= {("max_nps_drop", "points"),
                                                        ("max_drop_pp", "pp")}  # fmt: skip
    rules = {r["Rule"]: r["Setting"] for r in _records(book["Rules"])}
    assert rules["max_drop_pp"] == 5 and rules["require_significance"] is True
    notes = {(r["Section"], r["Name"]): r["Value"] for r in _records(book["Notes"])}
    assert notes[("Result", "status")] == "fail"
    assert ("Current analysis: Method", "share interval") in notes


@pytest.mark.parametrize("command", ["analyze", "trend", "check"])
def test_xlsx_to_stdout_is_a_usage_error_before_reading(command: str) -> None:
    code, err = _run(command, "missing-l.csv", "missing-c.csv", "-f", "xlsx")
    assert code == 2
    assert "--format xlsx writes a binary workbook" in err and "[usage]" in err
    code, err = _run(command, "missing-l.csv", "missing-c.csv", "-f", "xlsx", "-o", "-")
    assert code == 2 and "[usage]" in err


def test_xlsx_output_is_atomic_and_never_over_an_input(tmp_path: Path) -> None:
    target = tmp_path / "leaders.csv"
    target.write_bytes((ROOT / LEADERS).read_bytes())
    code, err = _run("analyze", str(target), CUSTOMERS, "-f", "xlsx", "-o", str(target))
    assert code == 2 and "refusing to write the output over an input file" in err
    assert target.read_bytes() == (ROOT / LEADERS).read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_raking_sheet_and_notes(tmp_path: Path) -> None:
    margins = tmp_path / "margins.toml"
    margins.write_text("[rake.margins.region]\nNorth = 0.3\nSouth = 0.3\nEast = 0.2\n"
                       "West = 0.2\n", encoding="utf-8")  # fmt: skip
    out, js = tmp_path / "r.xlsx", tmp_path / "r.json"
    args = (LEADERS, CUSTOMERS, "-c", CONFIG, "--rake", str(margins))
    assert _run("analyze", *args, "-f", "xlsx", "-o", str(out))[0] == 0
    assert _run("analyze", *args, "-f", "json", "-o", str(js))[0] == 0
    book, data = _book(out), json.loads(js.read_text())
    assert book.sheetnames == ["Items", "Comparisons", "NPS", "NPS gaps", "Units by branch",
                               "Unit correlation", "By branch", "Unit tests", "Priorities",
                               "Johari", "Raking", "Notes"]  # fmt: skip
    rows = _records(book["Raking"])
    want = data["raking"]["margins"]
    assert [(r["Category"], r["Target"], r["Achieved"]) for r in rows] == [
        (m["category"], m["target"], m["achieved"]) for m in want
    ]
    notes = [r["Value"] for r in _records(book["Notes"]) if r["Name"] == "raking"]
    assert notes[0].startswith("customers raked to margins of region")


def test_a_counts_file_gives_the_same_workbook(tmp_path: Path) -> None:
    counts, one, two = tmp_path / "c.parquet", tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    assert _run("counts", LEADERS, CUSTOMERS, "-c", CONFIG, "-o", str(counts))[0] == 0
    assert _run("analyze", str(counts), "-c", CONFIG, "-f", "xlsx", "-o", str(one))[0] == 0
    assert _run("analyze", LEADERS, CUSTOMERS, "-c", CONFIG, "-f", "xlsx", "-o", str(two))[0] == 0
    assert one.read_bytes() == two.read_bytes()


def test_a_composite_headline_row_says_so() -> None:
    import cxgap
    from cxgap.render import render_bytes

    cfg = cxgap.load_config(CONFIG).model_copy(update={"exclude_items": ["overall_strong_cx"]})
    result = cxgap.analyze(LEADERS, CUSTOMERS, cfg)
    assert result.headline.source == "composite"
    book = openpyxl.load_workbook(io.BytesIO(render_bytes(result, "xlsx")))
    row = _records(book["Items"])[0]
    assert (row["Row"], row["Scale"], row["Agree from"]) == ("headline", "composite", None)
    assert row["customers share"] == stable_float(result.headline.groups["customers"].share or 0)


def test_the_priorities_sheets_equal_the_json(analysis: Any) -> None:
    book, data = analysis
    pri = data["priorities"]
    rows = _records(book["Priorities"])
    first = pri["comparisons"][0]
    assert (rows[0]["A"], rows[0]["B"]) == (first["a"], first["b"])
    assert rows[0]["Spearman"] == first["ranks"]["spearman"]
    assert rows[0]["Kendall tau-b"] == first["ranks"]["kendall"]
    johari = _records(book["Johari"])
    want = [(j["a"], i["item"], (i["quadrant"] or "").replace("_", " ") or None)
            for j in pri["johari"] for i in j["items"]]  # fmt: skip
    assert [(r["A"], r["Item"], r["Quadrant"]) for r in johari] == want
    notes = [r[1] for r in book["Notes"].iter_rows(values_only=True)]
    assert "priorities" in notes
