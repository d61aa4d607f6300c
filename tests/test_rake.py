"""Raking from the counts table (weighting/rake.py, stats/rake.py, config/rake.py) against
R survey 4.1.1's rake(), trimWeights() and svymean() on the raked design
(tests/survey_reference/reference.json, written by reference.R), and its checks and errors.

The tests go rows -> counts table (polars, with region and channel as segment keys) ->
rake_counts, as the pipeline will; respondents are mapped back to their cells only to
compare R's per-respondent weights."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from tests.conftest import ROOT
from tests.test_design import customers, reference

from cxgap.config import RakeSpec
from cxgap.errors import (
    UsageError,
)
from cxgap.stats.rake import trim_cells
from cxgap.weighting import RakeResult, rake_counts, raked_share

HERE = ROOT / "tests" / "survey_reference"
ITEMS = ("basics_correct_info", "ownership_problem", "channels_consistent", "overall_strong_cx")
R_TOL = 1e-9
AGREE = {"4", "5"}


def counts_of(
    data: pl.DataFrame,
    *,
    weight: str | None = "weight",
    segments: tuple[str, ...] = ("region", "channel"),
    items: tuple[str, ...] = ITEMS,
    wave: str | None = None,
) -> pl.DataFrame:
    """A counts table of the customers: per item, segment cell and answer (blanks as a
    null value), n and the sums of w and w^2."""
    w = pl.col(weight) if weight else pl.lit(1.0, dtype=pl.Float64)
    rows = data.with_columns(w.cast(pl.Float64).alias("__w"))
    if "wave" not in rows.columns:
        rows = rows.with_columns(wave=pl.lit(wave, dtype=pl.String))
    long = rows.unpivot(
        list(items), index=["wave", *segments, "__w"], variable_name="item", value_name="value"
    )
    return (
        long.group_by("item", "wave", *segments, "value")
        .agg(n=pl.len(), w_sum=pl.col("__w").sum(), w2_sum=(pl.col("__w") ** 2).sum())
        .with_columns(
            pl.lit("customers").alias("group"),
            pl.col("value").cast(pl.String),
            pl.col("n").cast(pl.Int64),
            *(pl.col(s).cast(pl.String) for s in segments),
        )
        .select("group", "item", "wave", *segments, "value", "n", "w_sum", "w2_sum")
    )


def r_margins(**settings: Any) -> RakeSpec:
    margins = reference()["raked"]["margins"]
    return RakeSpec.model_validate(
        {
            **settings,
            "margins": {
                "region": {"kind": "totals", **margins["region"]},
                "channel": {"kind": "totals", **margins["channel"]},
            },
        }
    )


TIGHT = {"tolerance": 1e-12, "max_iterations": 1000}


def respondent_weights(result: RakeResult, data: pl.DataFrame, weight: str | None) -> list[float]:
    """Each respondent's raked weight: the cell's map of the original weight."""
    cells = result.factors.select("region", "channel", "factor")
    joined = data.with_row_index("__row").join(cells, on=["region", "channel"], how="left")
    base = joined[weight] if weight else pl.Series([1.0] * joined.height)
    return [float(f * b) for f, b in zip(joined.sort("__row")["factor"], base, strict=True)]


def close(a: float, b: float, tol: float = R_TOL) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(b))


# -- R's numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "key", "sweeps"),
    [
        (TIGHT, "weights", None),
        # R's default control: epsilon = 1 (absolute, >= 1) and maxit = 10.
        ({"tolerance": None, "max_iterations": 10}, "weights_default_control", 4),
    ],
)
def test_raked_weights_equal_r_rake(settings: dict[str, Any], key: str, sweeps: int | None) -> None:
    data = customers()
    if settings["tolerance"] is None:  # R: epsilon >= 1 is absolute, in weight units
        settings = {**settings, "tolerance": 1.0 / data["weight"].sum()}
    result = rake_counts(counts_of(data), r_margins(**settings), "customers")
    expected = reference()["raked"][key]
    found = respondent_weights(result, data, "weight")
    assert len(found) == len(expected) == data.height
    worst = max(abs(a - b) / b for a, b in zip(found, expected, strict=True))
    assert worst < R_TOL
    if sweeps is not None:
        assert result.iterations == {None: sweeps}
    # The loose control stops early: its weights are not the converged ones.
    tight = reference()["raked"]["weights"]
    assert (max(abs(a - b) for a, b in zip(expected, tight, strict=True)) > 1e-6) == (
        key != "weights"
    )


@pytest.mark.parametrize("item", ITEMS)
def test_raked_share_and_se_equal_r_svymean(item: str) -> None:
    result = rake_counts(counts_of(customers()), r_margins(**TIGHT), "customers")
    found = raked_share(result, item, AGREE)
    ref = reference()["raked"]["shares"][item]
    assert close(found.estimate, ref["estimate"])
    assert close(found.se, ref["se"])
    # Not the weights-only SE: raking changes it.
    plain = reference()["weighted"][item]["se"]
    assert abs(found.se - plain) > 1e-4


@pytest.mark.parametrize("item", ITEMS)
def test_unweighted_sample_raked_and_trimmed_equal_r(item: str) -> None:
    data = customers()
    ref = reference()["raked_unweighted"]
    table = counts_of(data, weight=None)
    raked = rake_counts(table, r_margins(**TIGHT), "customers")
    assert close(raked_share(raked, item, AGREE).estimate, ref["shares"][item]["estimate"])
    assert close(raked_share(raked, item, AGREE).se, ref["shares"][item]["se"])
    found = respondent_weights(raked, data, None)
    assert max(abs(a - b) / b for a, b in zip(found, ref["weights"], strict=True)) < R_TOL

    trimmed = rake_counts(table, r_margins(**TIGHT, cap=ref["cap"]), "customers")
    found = respondent_weights(trimmed, data, None)
    expected = ref["trimmed_weights"]
    assert max(abs(a - b) / b for a, b in zip(found, expected, strict=True)) < R_TOL
    assert found != respondent_weights(raked, data, None)
    share = raked_share(trimmed, item, AGREE)
    assert close(share.estimate, ref["trimmed_shares"][item]["estimate"])
    assert close(share.se, ref["trimmed_shares"][item]["se"])


# -- the raked table, the check, the notes ------------------------------------------------


def test_raked_table_maps_each_cells_sums_by_its_factor() -> None:
    heavy = pl.when(pl.col("weight") > 1).then(pl.lit("a")).otherwise(pl.lit("b"))
    data = customers().with_columns(tier=heavy)
    table = counts_of(data, segments=("region", "channel", "tier"))
    result = rake_counts(table, r_margins(**TIGHT), "customers")
    assert result.table.columns == table.columns
    assert result.table.height == table.height
    keys = ["item", "wave", "region", "channel", "tier", "value"]
    factors = result.factors.select("region", "channel", "factor")
    joined = table.join(result.table, on=keys, suffix="_r", nulls_equal=True).join(
        factors, on=["region", "channel"]
    )
    assert joined.height == table.height
    f = joined["factor"]
    assert ((joined["w_sum_r"] - f * joined["w_sum"]).abs() < 1e-9 * joined["w_sum_r"]).all()
    assert ((joined["w2_sum_r"] - f * f * joined["w2_sum"]).abs() < 1e-9 * joined["w2_sum_r"]).all()
    assert (joined["n_r"] == joined["n"]).all()
    # Every item's raked weight total is the population's.
    totals = result.table.group_by("item").agg(pl.col("w_sum").sum())["w_sum"]
    assert all(abs(t - 10_000) < 1e-6 for t in totals)


def test_margin_check_reports_target_achieved_and_difference() -> None:
    result = rake_counts(counts_of(customers()), r_margins(**TIGHT), "customers")
    margins = reference()["raked"]["margins"]
    found = {(c.variable, c.category): c for c in result.check}
    assert set(found) == {(v, c) for v, cats in margins.items() for c in cats}
    for (variable, category), check in found.items():
        assert check.target == margins[variable][category]
        assert abs(check.difference) < 1e-9 * check.target
        assert check.difference == check.achieved - check.target
    assert not result.unchanged
    assert "sweep" in result.notes()[0]


def test_trimming_caps_the_weights_keeps_the_total_and_the_check_shows_the_miss() -> None:
    table = counts_of(customers(), weight=None)
    result = rake_counts(table, r_margins(**TIGHT, cap=1.5), "customers")
    mean = 10_000 / customers().height
    cell_means = result.factors["raked_w_sum"] / result.factors["n"]
    assert cell_means.max() <= 1.5 * mean * (1 + 1e-9)
    assert result.factors["trimmed"].sum() >= 1
    assert abs(result.factors["raked_w_sum"].sum() - 10_000) < 1e-6
    assert max(abs(c.difference) for c in result.check) > 1.0
    assert any("trimmed" in note for note in result.notes())


def test_trim_kernel_redistributes_evenly_until_none_is_above() -> None:
    # Three cells of one respondent each, weights 1, 1, 10: the cap 2 x mean (4) trims 10
    # to 8 then 6.4 ...; the fixed point puts the big one at the cap.
    trim = trim_cells([1, 1, 1], [1.0, 1.0, 10.0], [1.0, 1.0, 1.0], 2.0)
    weights = [trim.scale[k] * w + trim.shift[k] for k, w in enumerate([1.0, 1.0, 10.0])]
    assert math.isclose(sum(weights), 12.0)
    assert math.isclose(trim.upper, 8.0)
    assert max(weights) <= 8.0 * (1 + 1e-12)
    assert math.isclose(weights[2], 8.0) and math.isclose(weights[0], 2.0)
    assert trim.trimmed == (False, False, True)
    none = trim_cells([1, 1], [1.0, 1.0], [1.0, 1.0], 5.0)
    assert none.rounds == 0 and none.trimmed == (False, False)


def test_shares_scale_to_the_sample_total_or_the_population_total() -> None:
    table = counts_of(customers())
    margins = reference()["raked"]["margins"]
    as_shares = {v: {c: t / 10_000 for c, t in cats.items()} for v, cats in margins.items()}
    shares = rake_counts(
        table, RakeSpec.model_validate({**TIGHT, "margins": as_shares}), "customers"
    )
    sample_total = customers()["weight"].sum()
    assert abs(shares.factors["raked_w_sum"].sum() - sample_total) < 1e-9 * sample_total
    scaled = rake_counts(
        table,
        RakeSpec.model_validate({**TIGHT, "population_total": 10_000, "margins": as_shares}),
        "customers",
    )
    totals = rake_counts(table, r_margins(**TIGHT), "customers")
    ratio = (scaled.factors["factor"] / totals.factors["factor"]).to_list()
    assert all(abs(r - 1) < 1e-9 for r in ratio)
    ratio = (shares.factors["factor"] / totals.factors["factor"]).to_list()
    assert all(abs(r - sample_total / 10_000) < 1e-9 for r in ratio)


def test_a_sample_that_already_matches_gets_factors_of_one_and_says_so() -> None:
    table = counts_of(customers())
    cells = table.filter(pl.col("item") == ITEMS[0]).group_by("region").agg(pl.col("w_sum").sum())
    region = dict(cells.iter_rows())
    spec = RakeSpec.model_validate({"margins": {"region": {"kind": "totals", **region}}})
    result = rake_counts(table, spec, "customers")
    assert result.unchanged
    assert all(abs(f - 1) < 1e-12 for f in result.factors["factor"])
    assert result.iterations == {None: 1}
    assert "already matched every target" in result.notes()[0]
    assert all(abs(c.difference) < 1e-9 for c in result.check)


def test_waves_are_raked_one_by_one() -> None:
    data = customers()
    first = counts_of(data.head(150), wave="2025-Q1")
    second = counts_of(data.tail(150), wave="2025-Q2")
    table = pl.concat([first, second])
    result = rake_counts(table, r_margins(**TIGHT), "customers")
    assert result.iterations.keys() == {"2025-Q1", "2025-Q2"}
    for wave in ("2025-Q1", "2025-Q2"):
        checks = [c for c in result.check if c.wave == wave]
        assert len(checks) == 7
        assert all(abs(c.difference) < 1e-9 * c.target for c in checks)
        raked = result.table.filter(pl.col("wave") == wave, pl.col("item") == ITEMS[0])
        assert abs(raked["w_sum"].sum() - 10_000) < 1e-6
    # Each wave alone equals raking that wave's table alone.
    alone = rake_counts(second, r_margins(**TIGHT), "customers")
    both = raked_share(result, ITEMS[1], AGREE, wave="2025-Q2")
    single = raked_share(alone, ITEMS[1], AGREE, wave="2025-Q2")
    assert both.estimate == pytest.approx(single.estimate, rel=1e-12)
    assert both.se == pytest.approx(single.se, rel=1e-12)
    with pytest.raises(UsageError, match="no wave"):
        raked_share(result, ITEMS[1], AGREE)


def test_only_the_named_group_is_raked() -> None:
    table = counts_of(customers())
    other = table.with_columns(group=pl.lit("frontline"))
    result = rake_counts(pl.concat([table, other]), r_margins(**TIGHT), "frontline")
    assert set(result.table["group"]) == {"frontline"}
    with pytest.raises(UsageError, match="no group 'board'"):
        rake_counts(table, r_margins(**TIGHT), "board")
