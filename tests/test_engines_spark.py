"""The Spark engine: its counts file is the local engine's, row for row and bit for bit,
and the analysis of it gives the same JSON, on the sample and on generated tables with
waves, segments and weights (Parquet and CSV files, and a table name); hostile names are
quoted; ``--engine spark`` on counts, analyze, trend and check. One Spark session serves
the whole run (tests/engines_fixtures.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from tests.conftest import SAMPLE
from tests.engines_data import analysis_json, grossed_up, same_counts, survey_rows, write
from typer.testing import CliRunner

from cxgap.cli import app
from cxgap.config import Config, load_config
from cxgap.counts import META_KEY
from cxgap.engines.counts import count_engine
from cxgap.scan.count_out import count

pytestmark = pytest.mark.spark
runner = CliRunner()
GROUPS = ("leaders", "frontline", "customers")
SPLIT = {"group_column": "role", "leaders_values": ["leader"], "customers_values": ["customer"]}
SPLIT_FLAGS = [
    "--group-column", "role", "--leaders-value", "leader", "--customers-value", "customer",
]  # fmt: skip


def _engine(spark: Any, source: str) -> Any:
    from cxgap.engines.spark import SparkEngine

    return SparkEngine(source, session=spark)


def _counted(spark: Any, sources: str | dict[str, str], cfg: Config) -> bytes:
    from cxgap.engines.open import close

    engines = (
        _engine(spark, sources)
        if isinstance(sources, str)
        else {g: _engine(spark, s) for g, s in sources.items()}
    )
    try:
        return count_engine(engines, cfg)
    finally:
        close(engines)


def test_sample_counts_equal_the_local_counts(spark: Any, tmp_path: Path) -> None:
    cfg = load_config(SAMPLE / "cxgap.toml")
    paths = {g: SAMPLE / f"{g}.csv" for g in GROUPS}
    mine = _counted(spark, {g: str(p) for g, p in paths.items()}, cfg)
    local = count(
        paths["leaders"], paths["customers"], cfg, groups={"frontline": paths["frontline"]}
    )
    same_counts(mine, local, label="spark:")
    for importance in (False, True):
        assert analysis_json(mine, tmp_path, cfg, importance=importance) == analysis_json(
            local, tmp_path, cfg, importance=importance
        )


def one_table(text: bool) -> pl.DataFrame:
    """Leaders and customers in one table (a role column), three waves, two segment
    keys, weights, some blanks."""
    leaders = survey_rows(11, 250, text=text, prefix="L").with_columns(role=pl.lit("leader"))
    customers = survey_rows(12, 700, text=text, prefix="C").with_columns(role=pl.lit("customer"))
    return pl.concat([leaders, customers])


@pytest.mark.parametrize("kind", ["parquet", "csv", "table"])
def test_one_generated_table_counts_as_locally(spark: Any, tmp_path: Path, kind: str) -> None:
    rows = one_table(text=kind != "parquet")
    path = write(rows, tmp_path / ("all.csv" if kind == "csv" else "all.parquet"))
    source = str(path)
    if kind == "table":  # a table the session knows, by a name that needs quoting
        spark.read.parquet(str(path)).createOrReplaceTempView("`survey all; --`")
        source = "`survey all; --`"
    cfg = Config(**SPLIT, segment_columns=["region", "channel"], headline_item="overall")
    mine = _counted(spark, source, cfg)
    local = count(path, path, cfg)
    same_counts(mine, local, label="spark:")
    assert analysis_json(mine, tmp_path, cfg, importance=True) == analysis_json(
        local, tmp_path, cfg, importance=True
    )
    table = pl.read_parquet(io.BytesIO(mine))
    assert table["wave"].n_unique() == 3 and {"region", "channel"} <= set(table.columns)
    assert table.schema["n"] == pl.Int64 and (table["w_sum"] != table["n"]).any()


def test_composite_headline_per_group_files(spark: Any, tmp_path: Path) -> None:
    paths = {
        g: write(survey_rows(s, k, text=False, prefix=g[0], headline=False), tmp_path / f"{g}.csv")
        for g, s, k in (("leaders", 21, 200), ("customers", 22, 600))
    }
    cfg = Config(segment_columns=["channel"])
    mine = _counted(spark, {g: str(p) for g, p in paths.items()}, cfg)
    local = count(paths["leaders"], paths["customers"], cfg)
    same_counts(mine, local)
    assert analysis_json(mine, tmp_path, cfg) == analysis_json(local, tmp_path, cfg)


def test_hostile_column_names_are_quoted(spark: Any, tmp_path: Path) -> None:
    hostile = {"speed": "sp`eed'; DROP TABLE x; --", "care": 'ca"re (1-5)'}
    rows = one_table(text=True).rename(hostile)
    path = write(rows, tmp_path / "hostile.csv")
    cfg = Config(**SPLIT)
    mine = _counted(spark, str(path), cfg)
    same_counts(mine, count(path, path, cfg))
    assert set(hostile.values()) <= set(pl.read_parquet(io.BytesIO(mine))["item"].to_list())


# -- the command line -------------------------------------------------------------------


def _run(args: list[str]) -> Any:
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output
    return result


def test_cli_engine_spark_on_counts_analyze_trend_and_check(spark: Any, tmp_path: Path) -> None:
    path = write(one_table(text=True), tmp_path / "all.parquet")
    flags = [*SPLIT_FLAGS, "--by", "region,channel", "--headline-item", "overall"]
    spark_flags = ["--engine", "spark", "--table", str(path), "--spark-conf", "spark.x=1"]
    out = tmp_path / "counts.parquet"
    made = _run(["counts", *spark_flags, *flags, "-o", str(out)])
    assert made.exit_code == 0, made.output
    local = tmp_path / "local.parquet"
    assert _run(["counts", str(path), *flags, "-o", str(local)]).exit_code == 0
    same_counts(out.read_bytes(), local.read_bytes(), label="spark:")
    meta = json.loads(pl.read_parquet_metadata(out)[META_KEY])
    assert {g["path"] for g in meta["groups"].values()} == {f"spark:{path}"}

    by_file = _run(["analyze", str(out), *flags, "-f", "json"])
    by_engine = _run(["analyze", *spark_flags, *flags, "-f", "json"])
    assert by_engine.exit_code == by_file.exit_code == 0, by_engine.output
    assert by_engine.stdout == by_file.stdout
    for command in (["trend"], ["check", "--format", "json"]):
        from_file = _run([*command, str(out), *flags])
        from_engine = _run([*command, *spark_flags, *flags])
        assert from_engine.exit_code == from_file.exit_code, from_engine.output
        assert from_engine.stdout == from_file.stdout


def test_cli_engine_errors_are_one_line(spark: Any, tmp_path: Path) -> None:
    missing = _run(["analyze", "--engine", "spark", "--table", "no_such_table", *SPLIT_FLAGS])
    assert missing.exit_code == 2
    assert "no table 'no_such_table' in the Spark engine" in missing.output
    assert "[table-not-found]" in missing.output and len(missing.output.splitlines()) == 1
    bad_conf = _run(["counts", "--engine", "spark", "--table", "t", "--spark-conf", "novalue",
                     "-o", str(tmp_path / "c.parquet")])  # fmt: skip
    assert bad_conf.exit_code == 2 and "expected KEY=VALUE" in bad_conf.output
    with_url = _run(["counts", "--engine", "spark", "--table", "t", "--connection", "x=1",
                     "-o", str(tmp_path / "c.parquet")])  # fmt: skip
    assert with_url.exit_code == 2 and "Spark reads --table" in with_url.output
    not_spark = _run(["analyze", "--engine", "duckdb", "--table", "t.csv", "--spark-conf", "a=b"])
    assert not_spark.exit_code == 2 and "go with --engine spark" in not_spark.output
    nothing = _run(["analyze"])
    assert nothing.exit_code == 2 and "--engine with --table" in nothing.output
    both = _run(["analyze", str(tmp_path / "x.csv"), "--engine", "spark", "--table", "t"])
    assert both.exit_code == 2 and "give no files" in both.output


def test_weights_in_the_millions_sum_exactly(spark: Any, tmp_path: Path) -> None:
    # Spark's FLOOR of a double is a 64-bit integer, and its cast of a double to a decimal
    # goes through the double's shortest text: neither may touch the fixed-point sums.
    paths = {g: write(f, tmp_path / f"{g}.parquet") for g, f in grossed_up(5).items()}
    cfg = Config(segment_columns=["region"], headline_item="overall")
    mine = _counted(spark, {g: str(p) for g, p in paths.items()}, cfg)
    same_counts(mine, count(paths["leaders"], paths["customers"], cfg), label="spark:")
