"""The DuckDB engine: its counts file is the local one, row for row and bit for bit, and the
analysis of it gives the same JSON (the sample; generated tables with waves, segments,
weights, bad weights, text and integer codes, the composite headline and importance)."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from tests.conftest import SAMPLE
from tests.engines_data import analysis_json, grossed_up, same_counts, survey_rows, write

from cxgap.config import Config, load_config
from cxgap.engines.counts import count_engine
from cxgap.engines.duckdb import DuckDBEngine
from cxgap.errors import InvalidWeight
from cxgap.scan.count_out import count

pytest.importorskip("duckdb")

GROUPS = ("leaders", "frontline", "customers")


@pytest.fixture(scope="module")
def cfg() -> Config:
    return load_config(SAMPLE / "cxgap.toml")


def _engines(paths: dict[str, Path]) -> dict[str, DuckDBEngine]:
    return {g: DuckDBEngine(None, str(p)) for g, p in paths.items()}


def test_sample_counts_equal_the_local_counts(tmp_path: Path, cfg: Config) -> None:
    paths = {g: SAMPLE / f"{g}.csv" for g in GROUPS}
    mine = count_engine(_engines(paths), cfg)
    local = count(
        paths["leaders"], paths["customers"], cfg, groups={"frontline": paths["frontline"]}
    )
    same_counts(mine, local, label="duckdb:")
    for importance in (False, True):
        assert analysis_json(mine, tmp_path, cfg, importance=importance) == analysis_json(
            local, tmp_path, cfg, importance=importance
        )


def _generated(
    tmp_path: Path, suffix: str, *, text: bool, headline: bool, bad: int = 0
) -> dict[str, Path]:
    return {
        "leaders": write(survey_rows(1, 300, text=text, prefix="L", headline=headline),
                         tmp_path / f"leaders{suffix}"),
        "customers": write(survey_rows(2, 900, text=text, prefix="C", headline=headline, bad=bad),
                           tmp_path / f"customers{suffix}"),
    }  # fmt: skip


CASES = [
    pytest.param(".parquet", True, True, id="parquet-text-importance"),
    pytest.param(".parquet", False, True, id="parquet-integer-importance"),
    pytest.param(".parquet", True, False, id="parquet-text-composite"),
    pytest.param(".parquet", False, False, id="parquet-integer-composite"),
    pytest.param(".csv", True, False, id="csv-text-composite"),
    pytest.param(".csv", False, False, id="csv-integer-composite"),
    pytest.param(".csv", False, True, id="csv-integer-importance"),
]


@pytest.mark.parametrize(("suffix", "text", "headline"), CASES)
def test_generated_counts_equal_the_local_counts(
    tmp_path: Path, suffix: str, text: bool, headline: bool
) -> None:
    cfg = Config(segment_columns=["region", "channel"])
    if headline:
        cfg = Config(segment_columns=["region", "channel"], headline_item="overall")
    paths = _generated(tmp_path, suffix, text=text, headline=headline)
    mine = count_engine(_engines(paths), cfg)
    local = count(paths["leaders"], paths["customers"], cfg)
    same_counts(mine, local)
    importance = headline
    assert analysis_json(mine, tmp_path, cfg, importance=importance) == analysis_json(
        local, tmp_path, cfg, importance=importance
    )


@pytest.mark.parametrize("text", [True, False])
def test_bad_weights_dropped_as_locally(tmp_path: Path, text: bool) -> None:
    cfg = Config(segment_columns=["region"], invalid_weights="drop")
    paths = _generated(tmp_path, ".csv", text=text, headline=False, bad=7)
    mine = count_engine(_engines(paths), cfg)
    local = count(paths["leaders"], paths["customers"], cfg)
    same_counts(mine, local)


def test_bad_weights_stop_with_the_same_error(tmp_path: Path) -> None:
    cfg = Config(headline_item="overall")
    paths = _generated(tmp_path, ".csv", text=True, headline=True, bad=3)
    with pytest.raises(InvalidWeight) as local:
        count(paths["leaders"], paths["customers"], cfg)
    with pytest.raises(InvalidWeight) as mine:
        count_engine(_engines(paths), cfg)
    assert mine.value.code == local.value.code == "invalid-weight"
    assert mine.value.column == "weight"
    assert "3 row(s) with a bad weight" in str(mine.value)
    assert str(mine.value).startswith("duckdb:")


def test_one_wave_integer_composite(tmp_path: Path) -> None:
    # one wave: the integer pass's tallies leave fixed point from a single row
    paths = {}
    for group, seed, k in (("leaders", 3, 200), ("customers", 4, 700)):
        rows = survey_rows(seed, k, text=False, prefix=group[0], headline=False)
        paths[group] = write(rows.with_columns(wave=pl.lit("2026Q2")), tmp_path / f"{group}.csv")
    cfg = Config(segment_columns=["channel"])
    same_counts(
        count_engine(_engines(paths), cfg), count(paths["leaders"], paths["customers"], cfg)
    )


def test_one_table_split_by_a_group_column(tmp_path: Path) -> None:
    leaders = survey_rows(5, 250, text=True, prefix="L").with_columns(role=pl.lit(" leader"))
    customers = survey_rows(6, 800, text=True, prefix="C").with_columns(role=pl.lit("customer"))
    stray = survey_rows(7, 20, text=True, prefix="X").with_columns(role=pl.lit("intern"))
    path = write(pl.concat([leaders, customers, stray]), tmp_path / "all.parquet")
    cfg = Config(group_column="role", leaders_values=["leader"], customers_values=["customer"],
                 segment_columns=["region"], headline_item="overall")  # fmt: skip
    mine = count_engine(DuckDBEngine(None, str(path)), cfg)
    same_counts(mine, count(path, path, cfg))


def test_a_table_in_a_database_file(tmp_path: Path) -> None:
    import duckdb

    paths = _generated(tmp_path, ".parquet", text=False, headline=True)
    database = tmp_path / "survey.duckdb"
    con = duckdb.connect(str(database))
    for group, path in paths.items():
        con.execute(f"CREATE TABLE {group} AS SELECT * FROM read_parquet('{path}')")
    con.close()
    cfg = Config(segment_columns=["region", "channel"], headline_item="overall")
    engines = {g: DuckDBEngine(f"duckdb:///{database}", g) for g in paths}
    mine = count_engine(engines, cfg)  # type: ignore[arg-type]
    same_counts(mine, count(paths["leaders"], paths["customers"], cfg), label="duckdb:")


def test_typed_float_weights_and_codes(tmp_path: Path) -> None:
    # Parquet with a DOUBLE weight and float-coded items (NaN a blank, 4.0 read "4.0")
    paths = {}
    for group, seed, k in (("leaders", 8, 200), ("customers", 9, 600)):
        rows = survey_rows(seed, k, text=False, prefix=group[0], headline=False)
        rows = rows.with_columns(
            pl.col("weight").cast(pl.Float64),
            pl.col("speed").cast(pl.Float64).fill_null(float("nan")),
        )
        paths[group] = write(rows, tmp_path / f"{group}.parquet")
    cfg = Config(segment_columns=["region"])
    mine = count_engine(_engines(paths), cfg)
    same_counts(mine, count(paths["leaders"], paths["customers"], cfg))
    assert "4.0" in pl.read_parquet(io.BytesIO(mine))["value"].to_list()


def test_sample_waves_a_file_per_wave(tmp_path: Path, cfg: Config) -> None:
    # a quoted glob: DuckDB reads every wave's file as one table, as cxgap reads them
    paths = {g: str(SAMPLE / f"{g}*.csv") for g in ("leaders", "customers")}
    mine = count_engine({g: DuckDBEngine(None, p) for g, p in paths.items()}, cfg)
    local = count(paths["leaders"], paths["customers"], cfg)
    same_counts(mine, local)
    assert analysis_json(mine, tmp_path, cfg) == analysis_json(local, tmp_path, cfg)
    assert set(pl.read_parquet(io.BytesIO(mine))["wave"].unique()) == {"2026Q2", "2026Q3"}


def test_a_wide_table(tmp_path: Path) -> None:
    # more than 64 items: the local path takes its general pass and sniffs 1,000 rows
    paths = {}
    for group, seed, k in (("leaders", 21, 150), ("customers", 22, 1_200)):
        base = survey_rows(seed, k, text=False, prefix=group[0], headline=False)
        extra = {f"q{n:02d}": base["speed"].shift(n % 7, fill_value=3) for n in range(70)}
        paths[group] = write(base.with_columns(**extra), tmp_path / f"{group}.parquet")
    cfg = Config()
    mine = count_engine(_engines(paths), cfg)
    same_counts(mine, count(paths["leaders"], paths["customers"], cfg))
    assert analysis_json(mine, tmp_path, cfg) == analysis_json(
        count(paths["leaders"], paths["customers"], cfg), tmp_path, cfg
    )


@pytest.mark.parametrize("text", [True, False])
def test_later_rows_change_the_composite_votes(tmp_path: Path, text: bool) -> None:
    # the first 10,000 rows never say the top answer to "care": the first rows' votes
    # differ from all rows', and the composite takes a pass of its own (summed exactly)
    leaders = survey_rows(31, 200, text=text, prefix="L", headline=False)
    customers = survey_rows(32, 10_600, text=text, prefix="C", headline=False)
    top = "Strongly agree" if text else 5
    low = "Agree" if text else 4
    care = [low if (v == top and n < 10_000) else v for n, v in enumerate(customers["care"])]
    customers = customers.with_columns(pl.Series("care", care, dtype=customers["care"].dtype))
    leaders = leaders.with_columns(pl.col("care").replace(top, low))
    paths = {
        "leaders": write(leaders, tmp_path / "leaders.parquet"),
        "customers": write(customers, tmp_path / "customers.parquet"),
    }
    cfg = Config(segment_columns=["region"])
    mine = count_engine(_engines(paths), cfg)
    same_counts(mine, count(paths["leaders"], paths["customers"], cfg))


def test_the_source_is_named_as_given(tmp_path: Path) -> None:
    # a URL-like name keeps its double slash in the counts file
    paths = _generated(tmp_path, ".parquet", text=True, headline=True)
    engines = _engines(paths)
    engines["customers"].label = "s3://bucket/survey/customers.parquet"
    cfg = Config(headline_item="overall")
    data = count_engine(engines, cfg)
    assert b"duckdb:s3://bucket/survey/customers.parquet" in data


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_weights_in_the_millions_sum_exactly(tmp_path: Path, suffix: str) -> None:
    paths = {g: write(f, tmp_path / f"{g}{suffix}") for g, f in grossed_up(5).items()}
    cfg = Config(segment_columns=["region"], headline_item="overall")
    same_counts(
        count_engine(_engines(paths), cfg), count(paths["leaders"], paths["customers"], cfg)
    )


@pytest.mark.parametrize("mode", ["error", "drop"])
def test_no_good_weight_stops_as_locally(tmp_path: Path, mode: str) -> None:
    # dropping every row's bad weight would leave the customers no respondent
    cfg = Config(invalid_weights=mode)  # type: ignore[arg-type]
    paths = _generated(tmp_path, ".csv", text=True, headline=False, bad=900)
    with pytest.raises(InvalidWeight) as local:
        count(paths["leaders"], paths["customers"], cfg)
    with pytest.raises(InvalidWeight) as mine:
        count_engine(_engines(paths), cfg)
    assert "900 row(s) with a bad weight" in str(mine.value)
    assert mine.value.hint == local.value.hint
    assert mine.value.hint is not None and "no row has a good weight" in mine.value.hint
