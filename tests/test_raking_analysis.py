"""Raking wired into the analysis (``[rake]``, ``--rake``): the customers' raked shares and
standard errors are R survey's (svymean on rake()), through the API and the command line,
the margin check is reported, and raking needs what it rakes by."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ROOT
from typer.testing import CliRunner

from cxgap import analyze
from cxgap.cli import app
from cxgap.config import Config, load_config, load_rake_spec
from cxgap.errors import CxgapError

HERE = ROOT / "tests" / "survey_reference"
ITEMS = ("basics_correct_info", "ownership_problem", "channels_consistent", "overall_strong_cx")
R_TOL = 1e-9
runner = CliRunner()


def reference() -> dict[str, Any]:
    found: dict[str, Any] = json.loads((HERE / "reference.json").read_text(encoding="utf-8"))
    return found


def margins_file(tmp_path: Path) -> Path:
    """R's population totals of region and channel, as a margins file."""
    lines = ["[rake]"]
    for variable, totals in reference()["raked"]["margins"].items():
        lines += [f"[rake.margins.{variable}]", 'kind = "totals"']
        lines += [f"{category} = {total}" for category, total in totals.items()]
    path = tmp_path / "margins.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_raked_shares_and_ses_equal_r(tmp_path: Path) -> None:
    spec = load_rake_spec(margins_file(tmp_path))
    cfg = Config(rake=spec, scale="1-5")
    result = analyze(HERE / "leaders.csv", HERE / "customers.csv", cfg)
    want = reference()["raked"]["shares"]
    for item in ITEMS:
        mine = next(i for i in result.items if i.item == item).groups["customers"]
        assert mine.share == pytest.approx(want[item]["estimate"], abs=R_TOL, rel=0)
        assert mine.weighted is not None
        assert mine.weighted.se == pytest.approx(want[item]["se"], abs=R_TOL, rel=0)
        # the leaders are not raked (and have no weights)
        assert next(i for i in result.items if i.item == item).groups["leaders"].weighted is None
    report = result.raking
    assert report is not None and report.group == "customers"
    assert report.variables == ["region", "channel"] and not report.unchanged
    assert report.largest_miss < 1e-9
    targets = reference()["raked"]["margins"]
    for m in report.margins:
        assert m.target == targets[m.variable][m.category]
        assert m.achieved == pytest.approx(m.target, rel=1e-9)
    assert any(w.startswith("Raked the customers to region, channel") for w in result.warnings)
    assert any("match their targets" in w for w in result.warnings)


def test_rake_from_the_command_line_and_its_json(tmp_path: Path) -> None:
    path = margins_file(tmp_path)
    args = [str(HERE / "leaders.csv"), str(HERE / "customers.csv"), "--scale", "1-5"]
    out = runner.invoke(app, ["analyze", *args, "--rake", str(path), "--format", "json"])
    assert out.exit_code == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["raking"]["group"] == "customers"
    assert len(found["raking"]["margins"]) == 7  # 4 regions, 3 channels
    plain = json.loads(runner.invoke(app, ["analyze", *args, "--format", "json"]).stdout)
    assert plain["raking"] is None
    # the raked share moved: R's, not the weights-only one
    want = reference()["raked"]["shares"]["overall_strong_cx"]["estimate"]
    head = found["headline"]["groups"]["customers"]["share"]
    assert head == pytest.approx(want, abs=1e-11) and head != plain["headline"]["groups"][
        "customers"]["share"]  # fmt: skip


def test_a_margin_that_is_no_column_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text("[rake.margins.county]\nA = 0.5\nB = 0.5\n", encoding="utf-8")
    args = [str(HERE / "leaders.csv"), str(HERE / "customers.csv"), "--rake", str(path)]
    out = runner.invoke(app, ["analyze", *args])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert "county" in out.stderr


def test_raking_needs_a_headline_item(tmp_path: Path) -> None:
    spec = load_rake_spec(margins_file(tmp_path))
    cfg = Config(rake=spec, scale="1-5", exclude_items=["overall_strong_cx"])
    with pytest.raises(CxgapError, match="raking needs a headline item"):
        analyze(HERE / "leaders.csv", HERE / "customers.csv", cfg)


def test_a_non_answer_is_no_answer_of_the_raked_share(tmp_path: Path) -> None:
    """The sample's customers answer "Don't know" and "N/A" too: those are left out of the
    raked share and its effective n, as of the weighted one (one margin: one sweep, so
    the raked weights are w x target / the region's weight total)."""
    import polars as pl

    shares = {"North": 0.25, "South": 0.30, "East": 0.25, "West": 0.20}
    path = tmp_path / "m.toml"
    path.write_text("[rake.margins.region]\n" + "".join(f"{k} = {v}\n" for k, v in shares.items()))
    sample = ROOT / "data" / "sample"
    cfg = load_config(sample / "cxgap.toml").model_copy(update={"rake": load_rake_spec(path)})
    result = analyze(sample / "leaders.csv", sample / "customers.csv", cfg)
    rows = pl.read_csv(sample / "customers.csv")
    total = rows["weight"].sum()
    by_region = dict(rows.group_by("region").agg(pl.col("weight").sum()).iter_rows())
    raked = rows.with_columns(
        w=pl.col("weight")
        * pl.col("region").replace_strict({r: shares[r] * total / by_region[r] for r in shares})
    )
    answered = raked.filter(
        pl.col("overall_strong_cx").is_in(
            ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
             "Strongly agree"]
        )
    )  # fmt: skip
    w = answered["w"]
    agree = answered.filter(pl.col("overall_strong_cx").is_in(["Agree", "Strongly agree"]))
    mine = result.headline.groups["customers"]
    assert mine.share == pytest.approx(agree["w"].sum() / w.sum(), rel=1e-12)
    assert mine.weighted is not None
    assert mine.weighted.n_eff == pytest.approx(w.sum() ** 2 / (w * w).sum(), rel=1e-12)
    assert mine.n == answered.height


@pytest.mark.parametrize(
    ("margins", "words"),
    [
        ("[rake.margins.region]\nNorth = 0.5\nSouth = 0.3\nWset = 0.2\n",
         ["'Wset' of 'region' has no respondents", "the sample's categories: 'East'"]),
        ("[rake.margins.region]\nNorth = 0.5\nsouth = 0.5\n", ["the sample writes it 'South'"]),
        ("[rake.margins.regoin]\nNorth = 0.5\nSouth = 0.5\n",
         ["rake 'regoin' is not a column", "names a column of the customers' file"]),
        ("[rake.margins.function]\nSales = 1.0\n", ["have no 'function'", "no such column"]),
    ],
)  # fmt: skip
def test_a_margin_the_sample_does_not_match_is_named_with_what_it_has(
    tmp_path: Path, margins: str, words: list[str]
) -> None:
    path = tmp_path / "m.toml"
    path.write_text(margins, encoding="utf-8")
    sample = ROOT / "data" / "sample"
    out = runner.invoke(app, ["analyze", str(sample / "leaders.csv"),
                              str(sample / "customers.csv"), "--rake", str(path)])  # fmt: skip
    assert out.exit_code == 2 and "Traceback" not in out.output
    for word in words:
        assert word in out.stderr


def test_raked_beta_interval_equals_r_svyciprop(tmp_path: Path) -> None:
    """A calibrated design keeps those who did not answer (weight 0): R's beta interval
    rescales n* by t quantiles on every respondent's rows against n - 1 degrees of freedom."""
    spec = load_rake_spec(margins_file(tmp_path))
    cfg = Config(rake=spec, scale="1-5", interval="beta")
    result = analyze(HERE / "leaders.csv", HERE / "customers.csv", cfg)
    want = reference()["raked"]["beta"]
    for item in ITEMS:
        mine = next(i for i in result.items if i.item == item).groups["customers"]
        assert mine.ci == pytest.approx(tuple(want[item]), abs=R_TOL, rel=0)
