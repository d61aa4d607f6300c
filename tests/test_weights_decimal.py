"""Weights written with a decimal comma, and a group none of whose rows has a good weight.

A `;` or tab file (European Excel's CSV) writes a weight as ``0,72``: read as 0.72, the
analysis is the one of the same rows written with decimal points, through the text pass
and the integer pass alike. In a `,` file a quoted ``"1,5"`` stays a bad weight (with a
hint), and grouped digits (``1.234,5``) are bad weights in any file. When no row of a
group has a good weight, analyze, counts, the API and validate all stop with the same
invalid-weight error (exit 2; validate: that one error, no false header-only), whether
bad weights are errors or dropped.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest
from tests.engines_data import survey_rows
from typer.testing import CliRunner

import cxgap
from cxgap.cli import app
from cxgap.config import Config
from cxgap.errors import EXIT_BAD_INPUT, HeaderOnly, InvalidWeight

runner = CliRunner()


def _pair(folder: Path, *, text: bool, comma: bool, separator: str = ";") -> tuple[Path, Path]:
    """Leaders (unweighted) and weighted customers in ``folder``, under the same names
    whatever the writing: the customers' weights with a decimal comma and ``separator``
    when ``comma``, else with points in a plain `,` file."""
    folder.mkdir()
    leaders = survey_rows(3, 120, text=text, prefix="L").drop("weight")
    customers = survey_rows(4, 300, text=text, prefix="C")
    leaders.write_csv(folder / "leaders.csv")
    if comma:
        written = customers.with_columns(pl.col("weight").str.replace(".", ",", literal=True))
        assert written["weight"].str.contains(r"^\d+,\d+$").all()
        written.write_csv(folder / "customers.csv", separator=separator)
    else:
        customers.write_csv(folder / "customers.csv")
    return folder / "leaders.csv", folder / "customers.csv"


def _json(folder: Path, *args: str) -> str:
    out = folder / "out.json"
    run = runner.invoke(app, [*args, "--format", "json", "-o", str(out)])
    assert run.exit_code == 0, run.output
    return out.read_text().replace(str(folder), "FOLDER")


@pytest.mark.parametrize("text", [True, False], ids=["labels", "codes"])
def test_decimal_comma_weights_give_the_analysis_of_decimal_points(
    tmp_path: Path, text: bool
) -> None:
    found = {}
    for comma in (True, False):
        folder = tmp_path / ("comma" if comma else "point")
        leaders, customers = _pair(folder, text=text, comma=comma)
        found[comma] = _json(folder, "analyze", str(leaders), str(customers), "--importance")
        # by wave and segment too (the integer pass then scatters the weights)
        found[comma, "by"] = _json(
            folder, "analyze", str(leaders), str(customers), "--by", "region", "--wave", "2026Q1"
        )
        report = cxgap.validate([leaders, customers])
        assert not [p for p in report.problems if p.code in ("invalid-weight", "header-only")]
    assert found[True] == found[False]
    assert found[True, "by"] == found[False, "by"]
    weighted = json.loads(found[True])["items"][0]["groups"]["customers"]["weighted"]
    assert weighted is not None and 0.2 <= weighted["weight_min"] < weighted["weight_max"] <= 3.0


def test_a_tab_file_reads_decimal_commas_and_the_counts_equal(tmp_path: Path) -> None:
    tab = _pair(tmp_path / "tab", text=False, comma=True, separator="\t")
    point = _pair(tmp_path / "point", text=False, comma=False)
    counts = [pl.read_parquet(io.BytesIO(cxgap.count(*pair))) for pair in (tab, point)]
    assert counts[0].height > 0 and counts[0].equals(counts[1])


def _customers(path: Path, weights: list[str], separator: str) -> Path:
    lines = [separator.join(["id", "q1", "weight"])]
    lines += [separator.join([f"c{k}", str(1 + k % 5), w]) for k, w in enumerate(weights)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _leaders(path: Path) -> Path:
    path.write_text("id,q1\n" + "".join(f"l{k},{1 + k % 5}\n" for k in range(20)))
    return path


def test_a_quoted_decimal_comma_in_a_comma_file_is_a_bad_weight(tmp_path: Path) -> None:
    customers = _customers(tmp_path / "c.csv", ["1.5", '"1,5"', "2"] * 5, ",")
    leaders = _leaders(tmp_path / "l.csv")
    with pytest.raises(InvalidWeight) as caught:
        cxgap.analyze(leaders, customers, Config(scale="1-5"))
    assert caught.value.row == 3 and "bad weight '1,5'" in caught.value.message
    assert caught.value.hint is not None
    assert caught.value.hint.startswith("a decimal comma is read only in a file separated by")


@pytest.mark.parametrize("value", ["1.234,5", "1,234.5", "1,2,3", "1 234,5", ",5", "1,"])
def test_grouped_or_odd_digits_are_bad_weights_in_a_semicolon_file(
    tmp_path: Path, value: str
) -> None:
    customers = _customers(tmp_path / "c.csv", ["0,5", value, "2"] * 5, ";")
    leaders = _leaders(tmp_path / "l.csv")
    with pytest.raises(InvalidWeight) as caught:
        cxgap.analyze(leaders, customers, Config(scale="1-5"))
    assert caught.value.row == 3 and f"bad weight {value!r}" in caught.value.message
    assert "5 row(s) with a bad weight" in caught.value.message
    assert "decimal comma" not in (caught.value.hint or "")  # this file reads them


@pytest.mark.parametrize("mode", ["error", "drop"])
def test_no_good_weight_in_a_group_is_one_error_everywhere(tmp_path: Path, mode: str) -> None:
    # a `,` file of decimal-comma weights: every row's weight is bad
    customers = _customers(tmp_path / "c.csv", ['"0,72"', '"1,07"'] * 30, ",")
    leaders = _leaders(tmp_path / "l.csv")
    config = tmp_path / "cxgap.toml"
    config.write_text(f'invalid_weights = "{mode}"\nscale = "1-5"\n')
    cfg = Config(invalid_weights=mode, scale="1-5")  # type: ignore[arg-type]
    with pytest.raises(InvalidWeight) as caught:
        cxgap.analyze(leaders, customers, cfg)
    error = caught.value
    assert (error.file, error.row, error.column) == (str(customers), 2, "weight")
    assert "60 row(s) with a bad weight" in error.message
    assert error.hint is not None and "no row has a good weight" in error.hint
    files = [str(leaders), str(customers), "--config", str(config)]
    for command, suffix in (("analyze", "json"), ("counts", "parquet")):
        out = tmp_path / f"{command}.{suffix}"
        run = runner.invoke(app, [command, *files, "-o", str(out)])
        assert run.exit_code == EXIT_BAD_INPUT, run.output
        assert "[invalid-weight]" in run.stderr and "no row has a good weight" in run.stderr
        assert "Traceback" not in run.stderr and not out.exists()
    # validate: the same error, once, and no header-only (the file has 60 rows)
    report = cxgap.validate([leaders, customers], cfg)
    assert not report.valid
    errors = [p for p in report.problems if p.severity == "error"]
    assert [p.code for p in errors] == [InvalidWeight.code]
    assert errors[0].message == f"{error.message} ({error.hint})"
    assert not [p for p in report.problems if p.code == HeaderOnly.code]
    run = runner.invoke(app, ["validate", *files])
    assert run.exit_code == 1 and "header-only" not in run.output


def test_dropping_some_bad_weights_still_runs(tmp_path: Path) -> None:
    # the error above is for a group left empty, not for every drop
    customers = _customers(tmp_path / "c.csv", ["abc", "1,5", "2"] * 10, ";")
    leaders = _leaders(tmp_path / "l.csv")
    cfg = Config(invalid_weights="drop", scale="1-5")
    result = cxgap.analyze(leaders, customers, cfg)
    assert result.items[0].groups["customers"].n == 20
    assert any("10 row(s) with a bad weight" in w for w in result.warnings)
    report = cxgap.validate([leaders, customers], cfg)
    assert report.valid


def test_one_group_of_a_split_file_without_a_good_weight(tmp_path: Path) -> None:
    rows = ["id;role;q1;weight"]
    rows += [f"m{k};manager;{1 + k % 5};x" for k in range(10)]
    rows += [f"c{k};customer;{1 + k % 5};{1 + k % 3},5" for k in range(30)]
    path = tmp_path / "one.csv"
    path.write_text("\n".join(rows) + "\n")
    cfg = Config(
        group_column="role", invalid_weights="drop", scale="1-5",
        leaders_values=["manager"], customers_values=["customer"],
    )  # fmt: skip
    with pytest.raises(InvalidWeight) as caught:
        cxgap.analyze(path, path, cfg)
    assert caught.value.row == 2 and "10 row(s) with a bad weight" in caught.value.message
    report = cxgap.validate([path], cfg)
    assert [p.code for p in report.problems if p.severity == "error"] == [InvalidWeight.code]
