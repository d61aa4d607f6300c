"""Weights through the counting stage: the counts' w_sum and w2_sum, the composite's
weighted tally, the cross-tab's w_sum and the weights' range, from the text pass and the
integer pass alike, each against a direct polars computation from the rows; and bad
weights, which stop the run (or, asked, are dropped) and are never taken as 1."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from tests.conftest import ROOT
from typer.testing import CliRunner

import cxgap.scan.per_file as per_file
from cxgap.analysis.build import analyze
from cxgap.analysis.validation import validate
from cxgap.cli import app
from cxgap.config import Config
from cxgap.counts import META_KEY, CountsFile, decode
from cxgap.errors import EXIT_BAD_INPUT, InvalidWeight, RaggedRow, UnknownColumn
from cxgap.scan.count_out import count
from cxgap.scan.prepare import Prepared, group_inputs, prepare
from cxgap.stats.design import share_from_cells

runner = CliRunner()
REFERENCE = ROOT / "tests" / "survey_reference"
ITEMS = ("q", "r", "s")
PASSES = ("integer", "text")


def _rows(seed: int = 7, k: int = 500, weight: object = None) -> pl.DataFrame:
    """Respondents in two waves and three regions (some blank), three 1-5 items with
    blanks, and a weight each (log-normal unless ``weight`` is given)."""
    rng = np.random.default_rng(seed)
    items = {
        item: [None if rng.random() < 0.1 else str(c) for c in rng.integers(1, 6, k)]
        for item in ITEMS
    }
    weights = np.round(np.exp(rng.normal(0.0, 0.6, k)), 4) if weight is None else [weight] * k
    return pl.DataFrame({
        "respondent_id": [f"R{i}" for i in range(k)],
        "wave": rng.choice(["2026Q1", "2026Q2"], k),
        "region": [None if rng.random() < 0.1 else r for r in rng.choice(["N", "S", "E"], k)],
        "weight": weights, **items,
    })  # fmt: skip


def _write(rows: pl.DataFrame, path: Path) -> Path:
    rows.write_csv(path)  # blanks as empty fields
    return path


def _direct(rows: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The counts per (keys, item, value), null answers included, straight from the rows."""
    w = pl.col("weight").cast(pl.Float64)
    return (
        rows.unpivot(on=list(ITEMS), index=[*keys, "weight"], variable_name="item")
        .group_by([*keys, "item", "value"])
        .agg(pl.len().cast(pl.Int64).alias("n"), w.sum().alias("w_sum"),
             (w * w).sum().alias("w2_sum"))
        .sort([*keys, "item", "value"], nulls_last=False)
    )  # fmt: skip


def _same(got: pl.DataFrame, want: pl.DataFrame) -> None:
    """Equal keys and counts; the sums to 1e-9 relative (they add in another order)."""
    assert got.select(pl.exclude("w_sum", "w2_sum")).equals(
        want.select(pl.exclude("w_sum", "w2_sum"))
    )
    for column in ("w_sum", "w2_sum"):
        assert np.allclose(got[column].to_numpy(), want[column].to_numpy(), rtol=1e-9, atol=0)


@pytest.fixture
def pass_used(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which counting pass ran, with which weight column: the text pass when the test's
    parameter says so (the integer pass then finds nothing), else the integer pass."""
    seen: list[str] = []
    integer, text = per_file.integer_count_query, per_file.count_query

    def spy_integer(*a: object, **kw: object) -> object:
        seen.append(f"integer:{kw['weight']}")
        return integer(*a, **kw)  # type: ignore[arg-type]

    def spy_text(*a: object, **kw: object) -> object:
        seen.append(f"text:{kw['weight']}")
        return text(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(per_file, "integer_count_query", spy_integer)
    monkeypatch.setattr(per_file, "count_query", spy_text)
    if request.param == "text":
        monkeypatch.setattr(per_file, "integer_pass", lambda *a, **kw: None)
    return seen


def _prepared(customers: Path, leaders: Path, cfg: Config, **kw: bool) -> Prepared:
    return prepare(group_inputs(leaders, customers, cfg), cfg, **kw)


@pytest.mark.parametrize("pass_used", PASSES, indirect=True)
def test_weighted_counts_equal_a_direct_computation(
    tmp_path: Path, pass_used: list[str], request: pytest.FixtureRequest
) -> None:
    kind = request.node.callspec.params["pass_used"]
    rows = _rows()
    customers = _write(rows, tmp_path / "customers.csv")
    leaders = _write(_rows(seed=8, k=60).drop("weight"), tmp_path / "leaders.csv")
    cfg = Config(segment_columns=["region"], headline_item="q")
    prep = _prepared(customers, leaders, cfg, segments=True)
    assert (
        f"{kind}:weight" in pass_used
        and f"{'text' if kind == 'integer' else 'integer'}:weight" not in pass_used
    )
    assert prep.segmented is not None
    mine = prep.segmented.filter(pl.col("group") == "customers")
    got = mine.select("wave", "region", "item", "value", "n", "w_sum", "w2_sum")
    _same(got.sort("wave", "region", "item", "value", nulls_last=False),
          _direct(rows, ["wave", "region"]))  # fmt: skip
    # item non-response is a cell of its own, weighted like the answers
    assert mine.filter(pl.col("value").is_null())["w_sum"].sum() > 0
    # the pooled counts, the range, and the unweighted group's sums are its counts
    pooled = prep.counts.filter(pl.col("group") == "customers").select(
        "wave", "item", "value", "n", "w_sum", "w2_sum"
    )
    _same(pooled.sort("wave", "item", "value", nulls_last=False), _direct(rows, ["wave"]))
    w = rows["weight"]
    assert prep.weight_ranges == {"leaders": None, "customers": (w.min(), w.max())}
    lead = prep.counts.filter(pl.col("group") == "leaders")
    assert lead["w_sum"].equals(lead["n"].cast(pl.Float64).alias("w_sum"))
    assert any("weighted by 'weight': customers; leaders without such a column" in x
               for x in prep.warnings)  # fmt: skip


def _tally_direct(rows: pl.DataFrame, by_wave: bool) -> pl.DataFrame:
    """The composite's weighted tally from the rows: a respondent answered when any item
    is answered, agrees when the items at 4 or 5 are at least half of those answered."""
    answered = pl.sum_horizontal(pl.col(i).is_not_null() for i in ITEMS)
    agreed = pl.sum_horizontal(
        pl.col(i).cast(pl.Int64).is_in([4, 5]).fill_null(False) for i in ITEMS
    )
    w = pl.col("weight")
    some, agrees = pl.col("a") > 0, (pl.col("a") > 0) & (2 * pl.col("g") >= pl.col("a"))
    keyed = rows.with_columns(
        a=answered, g=agreed, wave=pl.col("wave") if by_wave else pl.lit(None, pl.String)
    )
    return (
        keyed.group_by("wave")
        .agg(
            n=some.sum().cast(pl.Int64), agree=agrees.sum().cast(pl.Int64),
            missing=(~some).sum().cast(pl.Int64),
            w_n=w.filter(some).sum(), w_agree=w.filter(agrees).sum(),
            w2_n=(w * w).filter(some).sum(), w2_agree=(w * w).filter(agrees).sum(),
        )
        .sort("wave", nulls_last=False)
    )  # fmt: skip


def _equal_tallies(got: pl.DataFrame, want: pl.DataFrame) -> None:
    counts = ["wave", "n", "agree", "missing"]
    assert got.select(counts).equals(want.select(counts))
    for column in ("w_n", "w_agree", "w2_n", "w2_agree"):
        assert np.allclose(got[column].to_numpy(), want[column].to_numpy(), rtol=1e-9, atol=0)


@pytest.mark.parametrize("pass_used", PASSES, indirect=True)
def test_composite_tally_is_weighted(tmp_path: Path, pass_used: list[str]) -> None:
    rows = _rows(seed=11)
    customers = _write(rows, tmp_path / "customers.csv")
    leaders = _write(_rows(seed=12, k=60), tmp_path / "leaders.csv")
    cfg = Config(scale="1-5")
    prep = _prepared(customers, leaders, cfg)
    assert prep.early is not None and prep.early.composite is not None  # tallied in the pass
    tally = prep.early.composite.filter(pl.col("group") == "customers")
    assert tally.schema["w_n"] == pl.Float64
    _equal_tallies(tally, _tally_direct(rows, by_wave=True))
    # the composite's table, pooled (the stored tallies) and by a pass of its own
    found = prep.composite(by_wave=False).tallies.filter(pl.col("group") == "customers")
    _equal_tallies(found, _tally_direct(rows, by_wave=False))
    prep.early = None
    again = prep.composite(by_wave=True).tallies.filter(pl.col("group") == "customers")
    _equal_tallies(again, _tally_direct(rows, by_wave=True))
    # and through a counts file, as written and read back
    path = tmp_path / "counts.parquet"
    path.write_bytes(count(leaders, customers, cfg))
    stored = decode(path).stored.composite
    assert stored is not None
    _equal_tallies(stored.filter(pl.col("group") == "customers"), _tally_direct(rows, by_wave=True))


def test_unweighted_tally_sums_are_its_counts(tmp_path: Path) -> None:
    rows = _rows(seed=13).drop("weight")
    leaders = _write(_rows(seed=14, k=60).drop("weight"), tmp_path / "leaders.csv")
    prep = _prepared(_write(rows, tmp_path / "customers.csv"), leaders, Config(scale="1-5"))
    assert prep.early is not None and prep.early.composite is not None
    tally = prep.early.composite
    assert tally["w_n"].equals(tally["n"].cast(pl.Float64).alias("w_n"))
    assert tally["w2_agree"].equals(tally["agree"].cast(pl.Float64).alias("w2_agree"))
    assert prep.weight_ranges == {"leaders": None, "customers": None}


@pytest.mark.parametrize("pass_used", PASSES, indirect=True)
def test_crosstab_is_weighted(tmp_path: Path, pass_used: list[str]) -> None:
    rows = _rows(seed=21)
    customers = _write(rows, tmp_path / "customers.csv")
    leaders = _write(_rows(seed=22, k=60).drop("weight"), tmp_path / "leaders.csv")
    cfg = Config(headline_item="q")
    prep = _prepared(customers, leaders, cfg, crosstab=True)
    got = prep.crosstab(cfg)
    assert got is not None
    want = (
        rows.unpivot(on=["r", "s"], index=["wave", "q", "weight"], variable_name="item")
        .group_by("wave", "item", "value", pl.col("q").alias("by_value"))
        .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("weight").sum().alias("w_sum"))
        .sort("wave", "item", "value", "by_value", nulls_last=False)
    )
    assert got.select(pl.exclude("w_sum")).equals(want.select(pl.exclude("w_sum")))
    assert np.allclose(got["w_sum"].to_numpy(), want["w_sum"].to_numpy(), rtol=1e-9, atol=0)


@pytest.mark.parametrize("pass_used", PASSES, indirect=True)
def test_weights_of_one_are_the_counts(tmp_path: Path, pass_used: list[str]) -> None:
    rows = _rows(seed=31, weight="1.0")
    leaders = _write(_rows(seed=32, k=60), tmp_path / "leaders.csv")
    prep = _prepared(_write(rows, tmp_path / "customers.csv"), leaders, Config(scale="1-5"))
    counts = prep.counts.filter(pl.col("group") == "customers")
    assert counts["w_sum"].equals(counts["n"].cast(pl.Float64).alias("w_sum"))
    assert counts["w2_sum"].equals(counts["n"].cast(pl.Float64).alias("w2_sum"))
    assert prep.weight_ranges["customers"] == (1.0, 1.0)


@pytest.mark.parametrize("pass_used", PASSES, indirect=True)
def test_the_reference_customers_weights(pass_used: list[str]) -> None:
    """tests/survey_reference/customers.csv, the data R's numbers are computed on."""
    cfg = Config()
    prep = _prepared(REFERENCE / "customers.csv", REFERENCE / "leaders.csv", cfg)
    rows = pl.read_csv(REFERENCE / "customers.csv")
    sums = (
        prep.counts.filter(pl.col("group") == "customers")
        .group_by("item")
        .agg(pl.col("n").sum(), pl.col("w_sum").sum(), pl.col("w2_sum").sum())
    )
    total, squares = rows["weight"].sum(), (rows["weight"] ** 2).sum()
    assert sums.height == 5 and (sums["n"] == rows.height).all()
    assert np.allclose(sums["w_sum"].to_numpy(), total, rtol=1e-12)
    assert np.allclose(sums["w2_sum"].to_numpy(), squares, rtol=1e-12)
    answered = (
        prep.counts.filter((pl.col("group") == "customers") & (pl.col("item") == "recommend"))
        .filter(pl.col("value").is_not_null())["w_sum"].sum()
    )  # fmt: skip
    want = rows.filter(pl.col("recommend").is_not_null())["weight"].sum()
    assert answered == pytest.approx(want, rel=1e-12)


# -- bad weights -------------------------------------------------------------------------

BAD = ["", "0", "-1.5", "NaN", "inf", "-inf", "heavy"]


def _with_bad(tmp_path: Path, value: str, at: int = 17, *, labels: bool = False) -> Path:
    """The customers' file with a bad weight at data rows ``at`` and ``at + 5`` (0-based):
    the first one is physical line at + 2 of the file, as an editor numbers them."""
    rows = _rows(seed=41, k=80)
    weights = [str(w) for w in rows["weight"]]
    weights[at] = weights[at + 5] = value
    rows = rows.with_columns(pl.Series("weight", weights))
    if labels:  # answers as text: the integer pass is not tried
        names = {"1": "Strongly disagree", "2": "Disagree", "3": "Neutral", "4": "Agree",
                 "5": "Strongly agree"}  # fmt: skip
        rows = rows.with_columns(pl.col(i).replace(names) for i in ITEMS)
    return _write(rows, tmp_path / "customers.csv")


@pytest.mark.parametrize("labels", [False, True], ids=["integer", "text"])
@pytest.mark.parametrize("value", BAD)
def test_a_bad_weight_is_an_error_naming_row_and_column(
    tmp_path: Path, value: str, labels: bool
) -> None:
    customers = _with_bad(tmp_path, value, labels=labels)
    leaders = _write(_rows(seed=42, k=30).drop("weight"), tmp_path / "leaders.csv")
    with pytest.raises(InvalidWeight) as caught:
        analyze(leaders, customers)
    error = caught.value
    assert (error.file, error.row, error.column) == (str(customers), 19, "weight")
    shown = repr(value) if value else "(blank)"
    assert f"bad weight {shown}: expected a positive number" in error.message
    assert "(2 row(s) with a bad weight in all)" in error.message
    # the command line: exit 2, one line naming the same, no traceback, nothing written
    out_path = tmp_path / "out.json"
    out = runner.invoke(app, ["analyze", str(leaders), str(customers), "-o", str(out_path)])
    assert out.exit_code == EXIT_BAD_INPUT
    assert f"{customers}, row 19, column 'weight': bad weight {shown}" in out.stderr
    assert "[invalid-weight]" in out.stderr and "Traceback" not in out.stderr
    assert not out_path.exists()
    # validate reports the same problem from the same catalogue entry
    report = validate([leaders, customers])
    found = [p for p in report.problems if p.code == InvalidWeight.code]
    assert not report.valid and len(found) == 1
    assert found[0].severity == "error" and found[0].count == 2
    assert found[0].column == "weight" and found[0].examples[0].row == 19
    assert found[0].message.startswith(error.message)
    cli = runner.invoke(app, ["validate", str(leaders), str(customers), "--format", "json"])
    assert cli.exit_code == 1  # validate: 1 when any problem is an error
    assert any(p["code"] == "invalid-weight" for p in json.loads(cli.stdout)["problems"])


@pytest.mark.parametrize("pass_used", PASSES, indirect=True)
def test_drop_leaves_out_exactly_the_bad_rows(tmp_path: Path, pass_used: list[str]) -> None:
    customers = _with_bad(tmp_path, "-2", at=3)
    leaders = _write(_rows(seed=42, k=30).drop("weight"), tmp_path / "leaders.csv")
    cfg = Config(invalid_weights="drop", segment_columns=["region"])
    prep = _prepared(customers, leaders, cfg, segments=True)
    rows = pl.read_csv(customers, infer_schema=False).filter(
        pl.col("weight").cast(pl.Float64, strict=False) > 0
    )
    assert rows.height == 78
    assert prep.segmented is not None
    got = prep.segmented.filter(pl.col("group") == "customers").select(
        "wave", "region", "item", "value", "n", "w_sum", "w2_sum"
    )
    want = _direct(rows.with_columns(pl.col("weight").cast(pl.Float64)), ["wave", "region"])
    _same(got.sort("wave", "region", "item", "value", nulls_last=False), want)
    note = [w for w in prep.warnings if "bad weight" in w]
    assert len(note) == 1 and f"{customers}: 2 row(s) with a bad weight" in note[0]
    assert 'invalid_weights = "drop"' in note[0]
    # validate says the same, as a warning
    report = validate([leaders, customers], cfg)
    found = [p for p in report.problems if p.code == InvalidWeight.code]
    assert report.valid and found[0].severity == "warning" and found[0].message == note[0]


def test_invalid_weights_takes_error_or_drop_only() -> None:
    with pytest.raises(ValueError, match="invalid_weights"):
        Config(invalid_weights="one")  # type: ignore[arg-type]


# -- --weights ---------------------------------------------------------------------------


def test_weights_flag_names_the_column(tmp_path: Path) -> None:
    rows = _rows(seed=51).rename({"weight": "wt"})
    customers = _write(rows, tmp_path / "customers.csv")
    leaders = _write(_rows(seed=52, k=40).rename({"weight": "wt"}), tmp_path / "leaders.csv")
    argv = [str(leaders), str(customers), "--headline-item", "q"]
    out = runner.invoke(
        app, ["counts", *argv, "--weights", "wt", "-o", str(tmp_path / "c.parquet")]
    )
    assert out.exit_code == 0, out.stderr
    table = pl.read_parquet(tmp_path / "c.parquet").filter(pl.col("group") == "customers")
    sums = table.group_by("item").agg(pl.col("w_sum").sum())["w_sum"].to_numpy()
    assert np.allclose(sums, rows["wt"].sum(), rtol=1e-12)
    # without the flag, "wt" is no weight column: an unweighted count
    plain = runner.invoke(app, ["counts", *argv, "-o", str(tmp_path / "p.parquet")])
    assert plain.exit_code == 0, plain.stderr
    unweighted = pl.read_parquet(tmp_path / "p.parquet")
    assert unweighted["w_sum"].equals(unweighted["n"].cast(pl.Float64).alias("w_sum"))


@pytest.mark.parametrize("command", ["analyze", "validate", "trend", "check", "counts", "report"])
def test_a_weights_column_a_file_lacks_is_an_error(tmp_path: Path, command: str) -> None:
    customers = _write(_rows(seed=61).rename({"weight": "wt"}), tmp_path / "customers.csv")
    leaders = _write(_rows(seed=62, k=40).drop("weight"), tmp_path / "leaders.csv")
    suffix = {"counts": ".parquet", "report": ".html"}.get(command, ".txt")
    out_path = tmp_path / f"out{suffix}"
    out = runner.invoke(app, [command, str(leaders), str(customers), "--weights", "wt",
                              "--format" if command == "validate" else "-o",
                              "table" if command == "validate" else str(out_path)])  # fmt: skip
    # validate lists it among the problems (exit 1), the others stop on it (exit 2)
    assert out.exit_code == (1 if command == "validate" else EXIT_BAD_INPUT), out.stdout
    assert "Traceback" not in out.stderr + out.stdout
    said = out.stdout if command == "validate" else out.stderr
    assert str(leaders) in said and "weight_column 'wt' is not a column of this file" in said
    assert not out_path.exists()
    with pytest.raises(UnknownColumn):
        analyze(leaders, customers, Config(weight_column="wt"))


@pytest.mark.parametrize("command", ["analyze", "validate", "trend", "check", "chart", "deck",
                                     "report", "counts"])  # fmt: skip
def test_every_reading_command_takes_weights(command: str) -> None:
    argv = [command, "dumbbell", "--help"] if command == "chart" else [command, "--help"]
    out = runner.invoke(app, argv, env={"COLUMNS": "200"})
    assert out.exit_code == 0 and "--weights" in out.stdout


def test_a_weighted_counts_file_keeps_the_weighted_passes(tmp_path: Path) -> None:
    rows = _rows(seed=71)
    customers = _write(rows, tmp_path / "customers.csv")
    leaders = _write(_rows(seed=72, k=60).drop("weight"), tmp_path / "leaders.csv")
    cfg = Config(headline_item="q")
    path = tmp_path / "counts.parquet"
    path.write_bytes(count(leaders, customers, cfg))
    found = decode(path)
    w = rows["weight"]
    assert found.weight_ranges == {"leaders": None, "customers": (w.min(), w.max())}
    prep = _prepared(customers, leaders, cfg, crosstab=True)
    assert prep.weight_ranges == found.weight_ranges
    direct = prep.crosstab(cfg)
    assert found.stored.crosstab is not None and direct is not None
    assert found.stored.crosstab.equals(direct)  # the cross-tab with its weight sums
    assert found.stored.crosstab["w_sum"].sum() == pytest.approx(2 * w.sum(), rel=1e-12)
    # read back in place of the exports: the same counts, sums and ranges
    back = prepare({"counts": CountsFile(path)}, cfg)
    assert back.weight_ranges == found.weight_ranges
    assert back.counts.equals(prep.counts)


def test_an_unweighted_counts_file_is_written_as_before(tmp_path: Path) -> None:
    rows = _rows(seed=73).drop("weight")
    customers = _write(rows, tmp_path / "customers.csv")
    leaders = _write(_rows(seed=74, k=60).drop("weight"), tmp_path / "leaders.csv")
    for cfg in (Config(headline_item="q"), Config(scale="1-5")):
        path = tmp_path / "counts.parquet"
        path.write_bytes(count(leaders, customers, cfg))
        meta = json.loads(pl.read_parquet_metadata(path)[META_KEY])
        assert all("weight_range" not in g for g in meta["groups"].values())
        if meta["composite"]:
            assert {len(t) for t in meta["composite"]["tallies"]} == {5}
        if meta["crosstab"]:
            assert {len(r) for r in meta["crosstab"]["rows"]} == {5}
        # and read with sums equal to the counts
        stored = decode(path).stored
        table = stored.composite if stored.composite is not None else stored.crosstab
        assert table is not None
        w = "w_n" if "w_n" in table.columns else "w_sum"
        assert table[w].equals(table["n"].cast(pl.Float64).alias(w))


def test_a_bad_weight_in_a_later_wave_file_names_that_file(tmp_path: Path) -> None:
    first, second = _rows(seed=81, k=50), _rows(seed=82, k=50)
    weights = [str(v) for v in second["weight"]]
    weights[9] = "0"
    _write(first.with_columns(wave=pl.lit("2026Q1")), tmp_path / "customers_2026Q1.csv")
    later = _write(second.with_columns(pl.Series("weight", weights), wave=pl.lit("2026Q2")),
                   tmp_path / "customers_2026Q2.csv")  # fmt: skip
    leaders = _write(_rows(seed=83, k=30).drop("weight"), tmp_path / "leaders.csv")
    with pytest.raises(InvalidWeight) as caught:
        analyze(leaders, str(tmp_path / "customers_*.csv"))
    assert (caught.value.file, caught.value.row) == (str(later), 11)
    assert "bad weight '0'" in caught.value.message


def test_a_bad_weight_in_one_export_split_by_a_column(tmp_path: Path) -> None:
    rows = _rows(seed=91, k=60)
    weights = [str(v) for v in rows["weight"]]
    weights[20] = "n/a"
    both = _write(
        rows.with_columns(pl.Series("weight", weights),
                          role=pl.Series(["L" if i % 3 == 0 else "C" for i in range(60)])),
        tmp_path / "both.csv",
    )  # fmt: skip
    cfg = Config(group_column="role", leaders_values=["L"], customers_values=["C"])
    with pytest.raises(InvalidWeight) as caught:
        analyze(both, both, cfg)
    assert (caught.value.file, caught.value.row, caught.value.column) == (str(both), 22, "weight")
    report = validate([both], cfg)
    found = [p for p in report.problems if p.code == InvalidWeight.code]
    assert found and found[0].examples[0].row == 22


def test_typed_weights_of_a_parquet_export(tmp_path: Path) -> None:
    rows = _rows(seed=95, k=40)
    weights = rows["weight"].to_list()
    weights[5] = float("nan")
    customers = tmp_path / "customers.parquet"
    rows.with_columns(pl.Series("weight", weights, dtype=pl.Float64)).write_parquet(customers)
    leaders = _write(_rows(seed=96, k=30).drop("weight"), tmp_path / "leaders.csv")
    with pytest.raises(InvalidWeight) as caught:
        analyze(leaders, customers)
    # the reader reads NaN in a float column as missing (pandas writes blanks so): a blank
    assert caught.value.row == 6 and "bad weight (blank)" in caught.value.message
    good = tmp_path / "good.parquet"
    rows.write_parquet(good)
    prep = _prepared(good, leaders, Config(scale="1-5"))
    sums = prep.counts.filter(pl.col("group") == "customers").group_by("item").agg(
        pl.col("w_sum").sum()
    )  # fmt: skip
    assert np.allclose(sums["w_sum"].to_numpy(), rows["weight"].sum(), rtol=1e-12)


@pytest.mark.parametrize("pass_used", PASSES, indirect=True)
def test_a_dropped_row_does_not_hide_a_short_line(tmp_path: Path, pass_used: list[str]) -> None:
    # the last column is an item: its blanks prove there is no short line, unless rows
    # were dropped, whose blanks the counts no longer hold
    lines = ["id,weight,q,r", *(f"{i},1.5,{1 + i % 5},{1 + i % 4}" for i in range(30)), "99,-1,3"]
    customers = tmp_path / "customers.csv"
    customers.write_text("\n".join(lines) + "\n")
    leaders = _write(_rows(seed=97, k=30).drop("weight"), tmp_path / "leaders.csv")
    cfg = Config(invalid_weights="drop", scale="1-5")
    with pytest.raises(RaggedRow) as caught:
        analyze(leaders, customers, cfg)
    assert caught.value.row == 32


def test_validate_lists_the_first_bad_weights_with_their_values(tmp_path: Path) -> None:
    from cxgap import validate

    leaders = tmp_path / "l.csv"
    leaders.write_text("id,q1\nl1,4\nl2,5\n")
    customers = tmp_path / "c.csv"
    customers.write_text("id,q1,weight\nr1,4,1.0\nr2,5,\nr3,3,0\nr4,2,-1\nr5,4,abc\nr6,5,2\n")
    report = validate([leaders, customers])
    (problem,) = [p for p in report.problems if p.code == "invalid-weight"]
    assert problem.count == 4
    assert [(e.row, e.value) for e in problem.examples] == [(3, "(blank)"), (4, "0"), (5, "-1")]


@pytest.mark.parametrize("pass_used", PASSES, indirect=True)
def test_counted_cells_give_r_surveys_weighted_shares(
    pass_used: list[str], request: pytest.FixtureRequest
) -> None:
    """The counting pass's cells, null answers included, into the design kernel: R
    survey's svymean on tests/survey_reference/customers.csv (reference.json), to 1e-9."""
    reference = json.loads((REFERENCE / "reference.json").read_text(encoding="utf-8"))
    prep = _prepared(REFERENCE / "customers.csv", REFERENCE / "leaders.csv", Config(scale="1-5"))
    kind = request.node.callspec.params["pass_used"]
    assert f"{kind}:weight" in pass_used and {p.split(":")[0] for p in pass_used} == {kind}
    mine = prep.counts.filter(pl.col("group") == "customers")
    for item, want in reference["weighted"].items():
        cells = mine.filter(pl.col("item") == item)
        n_all = int(cells["n"].sum())  # every respondent, answered or not
        answered = cells.filter(pl.col("value").is_not_null())
        share = share_from_cells(
            [(int(v) >= 4, n, w, w2) for v, n, w, w2 in
             answered.select("value", "n", "w_sum", "w2_sum").iter_rows()],
            n_all,
        )  # fmt: skip
        assert (share.n, share.n_all) == (want["n"], want["n_all"])
        assert share.estimate == pytest.approx(want["estimate"], abs=1e-9, rel=0)
        assert share.se == pytest.approx(want["se"], abs=1e-9, rel=0)
        assert share.kish_n == pytest.approx(want["kish_n"], rel=1e-9)
