"""Raking's errors and its margins (config/rake.py, the rake errors of errors/rake.py): every
way a margins file, a [rake] section or a counts table can be wrong is one catalogue error
naming what to change. The R comparisons are in test_rake.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from tests.conftest import ROOT
from tests.test_rake import ITEMS, counts_of, customers, r_margins

from cxgap.config import RakeSpec, build_config, load_config, load_rake_spec
from cxgap.errors import (
    CATALOGUE,
    ConfigError,
    RakeCategoryMissing,
    RakeCategoryUntargeted,
    RakeCells,
    RakeMargins,
    RakeNotConverged,
    RakeNotSegment,
)
from cxgap.stats.rake import rake_cells
from cxgap.weighting import rake_counts


def test_a_rake_variable_must_be_a_segment_key() -> None:
    table = counts_of(customers(), segments=("region",))
    with pytest.raises(RakeNotSegment, match=r"'channel'.*segment_columns") as err:
        rake_counts(table, r_margins(), "customers")
    assert err.value.column == "channel"
    assert err.value.exit_code == 2


def test_a_target_category_without_respondents() -> None:
    spec = RakeSpec.model_validate(
        {"margins": {"region": {"East": 0.2, "North": 0.2, "South": 0.2, "West": 0.2, "Moon": 0.2}}}
    )
    with pytest.raises(RakeCategoryMissing, match="'Moon' of 'region' has no respondents"):
        rake_counts(counts_of(customers()), spec, "customers")
    zero = customers().with_columns(
        weight=pl.when(pl.col("region") == "West").then(0.0).otherwise(pl.col("weight"))
    )
    spec = r_margins()
    with pytest.raises(RakeCategoryMissing, match=r"'West'.*weights are all 0"):
        rake_counts(counts_of(zero), spec, "customers")


def test_a_sample_category_without_a_target() -> None:
    spec = RakeSpec.model_validate(
        {"margins": {"region": {"kind": "totals", "East": 1, "North": 1, "South": 1}}}
    )
    with pytest.raises(RakeCategoryUntargeted, match=r"in category 'West' of 'region'.*no target"):
        rake_counts(counts_of(customers()), spec, "customers")
    zero = RakeSpec.model_validate(
        {"margins": {"region": {"kind": "totals", "East": 1, "North": 1, "South": 1, "West": 0}}}
    )
    with pytest.raises(RakeCategoryUntargeted, match="a target of 0"):
        rake_counts(counts_of(customers()), zero, "customers")
    blank = customers().with_columns(
        region=pl.when(pl.col("respondent_id") == "C0001").then(None).otherwise(pl.col("region"))
    )
    with pytest.raises(RakeCategoryUntargeted, match="1 respondent\\(s\\) are in a blank"):
        rake_counts(counts_of(blank), r_margins(), "customers")


def test_no_convergence_names_the_furthest_margin() -> None:
    with pytest.raises(RakeNotConverged, match=r"in 2 sweep\(s\).*'region' = '\w+'") as err:
        rake_counts(counts_of(customers()), r_margins(max_iterations=2), "customers")
    assert err.value.code == "rake-not-converged"


def test_items_that_count_different_respondents() -> None:
    table = counts_of(customers())
    broken = table.filter(~((pl.col("item") == ITEMS[2]) & (pl.col("region") == "East")))
    with pytest.raises(RakeCells, match="channels_consistent"):
        rake_counts(broken, r_margins(), "customers")


@pytest.mark.parametrize(
    ("margins", "message"),
    [
        ({"region": {"North": -0.2, "South": 1.2}}, "the share of 'North' is negative"),
        ({"region": {"North": 0.4, "South": 0.5}}, "the shares sum to 0.9, not 1"),
        ({"region": {"kind": "totals", "North": -1, "South": 5}}, "total of 'North' is negative"),
        ({"region": {"kind": "totals", "North": 0}}, "the totals sum to 0"),
        ({"region": {"North": "0.4", "South": 0.6}}, "'North': expected a number"),
        ({"region": {"North": float("nan"), "South": 0.6}}, "not a finite number"),
        ({"region": {"kind": "counts", "North": 1}}, "kind"),
        ({"region": {}}, "no categories"),
        ({}, "none given"),
        (
            {"region": {"kind": "totals", "a": 10}, "channel": {"kind": "totals", "b": 11}},
            "the population totals differ",
        ),
    ],
)
def test_invalid_margins_are_config_errors(margins: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as err:
        build_config({"rake": {"margins": margins}}, "cxgap.toml")
    assert str(err.value).startswith("cxgap.toml: rake")


def test_totals_must_agree_with_the_population_total() -> None:
    with pytest.raises(ValueError, match="population_total 9000"):
        r_margins(population_total=9000)
    assert r_margins(population_total=10_000).population() == 10_000


def test_margins_file_and_config_section(tmp_path: Path) -> None:
    text = """
[rake]
tolerance = 1e-11
max_iterations = 50
cap = 5
[rake.margins.region]
East = 0.25
North = 0.3
South = 0.3
West = 0.15
[rake.margins.channel]
kind = "totals"
phone = 2000
store = 3500
web = 4500
"""
    margins = tmp_path / "margins.toml"
    margins.write_text(text, encoding="utf-8")
    spec = load_rake_spec(margins)
    assert list(spec.margins) == ["region", "channel"]
    assert spec.margins["region"].kind == "shares" and spec.margins["channel"].kind == "totals"
    assert (spec.tolerance, spec.max_iterations, spec.cap) == (1e-11, 50, 5)
    assert spec.totals(1.0)["region"]["East"] == pytest.approx(2500)
    config = tmp_path / "cxgap.toml"
    config.write_text('segment_columns = ["region", "channel"]\n' + text, encoding="utf-8")
    assert load_config(config).rake == spec
    plain = tmp_path / "plain.toml"
    plain.write_text('segment_columns = ["region"]\n', encoding="utf-8")
    assert load_config(plain).rake is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[other]\nx = 1\n", "no \\[rake\\] table"),
        ("[rake\n", "not valid TOML"),
        ("[rake]\nmargin = 1\n[rake.margins.region]\nA = 1\n", "rake.margin: unknown setting"),
        ("[rake]\ncap = 0.5\n[rake.margins.region]\nA = 1\n", "rake.cap: .*greater than 1"),
        ("[rake.margins.region]\nA = 0.5\nB = 0.6\n", "rake.margins.region: the shares sum"),
    ],
)
def test_a_bad_margins_file_is_one_error_naming_the_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    margins = tmp_path / "margins.toml"
    margins.write_text(text, encoding="utf-8")
    with pytest.raises(RakeMargins, match=message) as err:
        load_rake_spec(margins)
    assert err.value.file == str(margins)
    assert str(err.value).startswith(str(margins))
    with pytest.raises(RakeMargins, match="config file not found"):
        load_rake_spec(tmp_path / "missing.toml")


def test_the_raking_errors_are_in_the_catalogue() -> None:
    for code in ("rake-margins", "rake-not-segment", "rake-category-missing",
                 "rake-category-untargeted", "rake-not-converged", "rake-cells"):  # fmt: skip
        assert code in CATALOGUE


def test_the_kernel_refuses_cells_and_targets_that_differ() -> None:
    with pytest.raises(ValueError, match="differ"):
        rake_cells([("a",), ("b",)], [1.0, 1.0], [{"a": 1.0}], epsilon=1e-9, max_sweeps=5)
    fit = rake_cells([("a",), ("b",)], [1.0, 3.0], [{"a": 2.0, "b": 2.0}], epsilon=1e-9,
                     max_sweeps=5)  # fmt: skip
    assert fit.factors == (2.0, 2.0 / 3.0) and fit.converged and fit.sweeps == 2


def test_the_readme_example_is_a_valid_margins_file(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Raking") :]
    block = section[
        section.index("```toml\n") + 8 : section.index("```\n", section.index("```toml"))
    ]
    margins = tmp_path / "margins.toml"
    margins.write_text(block, encoding="utf-8")
    spec = load_rake_spec(margins)
    assert spec.cap == 5 and spec.population() == 12_000
    assert spec.totals(1.0)["region"] == {"North": 4800, "South": 7200}
