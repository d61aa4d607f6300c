"""`cxgap sql` and `cxgap counts --engine duckdb`: the printed SQL parses back in every
dialect and, run on DuckDB, counts what the local engine counts; hostile names are
quoted, never interpolated; connection strings never show; errors are the catalogue's."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import polars as pl
import pytest
import sqlglot
from sqlglot import exp
from tests.conftest import SAMPLE
from tests.engines_data import same_counts, survey_rows, write
from typer.testing import CliRunner

from cxgap.cli import app
from cxgap.config import Config, load_config
from cxgap.engines.counts import count_engine
from cxgap.engines.duckdb import DuckDBEngine
from cxgap.engines.printed import printed_sql
from cxgap.engines.query import DIALECTS
from cxgap.engines.result import count_result
from cxgap.errors import EngineUnavailable, TableNotFound, UnknownColumn, UsageError
from cxgap.scan.count_out import count

duckdb = pytest.importorskip("duckdb")
runner = CliRunner()

HOSTILE_TABLE = '"; DROP TABLE x; --'
#: column names that break naive SQL: quotes, spaces, backticks, SQL, unicode
RENAMED = {
    "speed": 'it\'s "speed"',
    "care": "care `q2` ; DROP TABLE x; --",
    "fair price": "prix équitable ✓",
    "weight": 'w"eight',
    "region": "re gion",
}


def _one_table(tmp_path: Path, *, rename: bool = False) -> tuple[Path, Config]:
    """Leaders and customers in one Parquet table, told apart by a group column."""
    leaders = survey_rows(11, 300, text=True, prefix="L", headline=False, bad=2)
    customers = survey_rows(12, 900, text=True, prefix="C", headline=False, bad=3)
    marks = ("lead'er\"; --", "customer")
    frame = pl.concat(
        [leaders.with_columns(role=pl.lit(marks[0])), customers.with_columns(role=pl.lit(marks[1]))]
    )
    names = RENAMED if rename else {}
    frame = frame.rename(names)
    cfg = Config(
        group_column="role", leaders_values=[marks[0]], customers_values=[marks[1]],
        segment_columns=[names.get("region", "region"), "channel"], invalid_weights="drop",
        weight_column=names.get("weight", "weight"),
    )  # fmt: skip
    return write(frame, tmp_path / "responses.parquet"), cfg


def _database(tmp_path: Path, source: Path, table: str, schema: str | None = None) -> Path:
    database = tmp_path / "db.duckdb"
    con = duckdb.connect(str(database))
    con.execute("CREATE TABLE x AS SELECT 1 AS canary")
    target = exp.Table(this=exp.to_identifier(table, quoted=True))
    if schema is not None:
        target.set("db", exp.to_identifier(schema, quoted=True))
    if schema is not None:
        con.execute(
            exp.Create(this=exp.to_identifier(schema, quoted=True), kind="SCHEMA").sql("duckdb")
        )
    select = exp.select("*").from_(exp.func("read_parquet", exp.Literal.string(str(source))))
    con.execute(exp.Create(this=target, kind="TABLE", expression=select).sql("duckdb"))
    con.close()
    return database


def _tables(database: Path) -> set[str]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    finally:
        con.close()


def test_hostile_names_are_quoted_not_run(tmp_path: Path) -> None:
    source, cfg = _one_table(tmp_path, rename=True)
    database = _database(tmp_path, source, HOSTILE_TABLE)
    mine = count_engine(DuckDBEngine(str(database), HOSTILE_TABLE), cfg)
    same_counts(mine, count(source, source, cfg), label=f"duckdb:{HOSTILE_TABLE}")
    assert _tables(database) == {"x", HOSTILE_TABLE}
    found = pl.read_parquet(io.BytesIO(mine))
    assert {"re gion", "channel"} <= set(found.columns)
    assert set(found["item"].unique()) >= {RENAMED["speed"], RENAMED["care"], RENAMED["fair price"]}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("rename", [False, True], ids=["plain", "hostile"])
def test_printed_sql_parses_back_and_counts_on_duckdb(
    tmp_path: Path, dialect: str, rename: bool
) -> None:
    # printed for the dialect, parsed back, run on DuckDB: its saved result (decided on a
    # sample of the table) makes the counts file the exports make
    source, cfg = _one_table(tmp_path, rename=rename)
    table = HOSTILE_TABLE if rename else "responses"
    database = _database(tmp_path, source, table, schema="warehouse")
    whole = pl.read_parquet(source)
    sample = write(whole.head(400).vstack(whole.tail(400)), tmp_path / "sample.parquet")
    text = printed_sql(DuckDBEngine(None, str(sample)), f"warehouse.{table}", cfg, dialect)
    parsed = sqlglot.parse_one(text, read=dialect)
    assert isinstance(parsed, exp.Select)
    assert not any(isinstance(e, exp.Drop) for e in parsed.walk())
    on_duckdb = sqlglot.transpile(text, read=dialect, write="duckdb")[0]
    con = duckdb.connect(str(database))
    cursor = con.execute(on_duckdb)
    names = [d[0] for d in cursor.description]
    rows = pl.DataFrame(cursor.fetchall(), schema=names, orient="row", infer_schema_length=None)
    con.close()
    assert _tables(database) == {"x", table}
    saved = tmp_path / ("result.csv" if dialect == "spark" else "result.parquet")
    if saved.suffix == ".csv":
        rows.with_columns(pl.col("w_sum", "w2_sum").cast(pl.String)).write_csv(saved)
    else:
        rows.write_parquet(saved)
    mine = count_result(DuckDBEngine(None, str(sample)), [saved], cfg, f"warehouse.{table}")
    same_counts(mine, count(source, source, cfg), label="sql:warehouse.")


def test_distinct_step_lists_every_answer(tmp_path: Path) -> None:
    source, cfg = _one_table(tmp_path)
    text = printed_sql(DuckDBEngine(None, str(source)), "responses", cfg, "duckdb", "distinct")
    con = duckdb.connect()
    con.execute(f"CREATE TABLE responses AS SELECT * FROM read_parquet('{source}')")
    found = con.execute(text.split(";")[0] if text.count(";") == 1 else text).fetchall()
    parts = {r[0] for r in found}
    assert parts == {"distinct", "weights"}
    bad = sum(r[-3] for r in found if r[0] == "weights")
    assert bad == 5  # the rows with a bad weight, per group: 2 and 3


def test_cli_counts_with_duckdb_equals_local_counts(tmp_path: Path) -> None:
    config = SAMPLE / "cxgap.toml"
    out, local = tmp_path / "engine.parquet", tmp_path / "local.parquet"
    tables = [f"--table={g}={SAMPLE / g}.csv" for g in ("leaders", "frontline", "customers")]
    result = runner.invoke(app, ["counts", "--engine", "duckdb", *tables, "-c", str(config),
                                 "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    exports = [str(SAMPLE / "leaders.csv"), str(SAMPLE / "customers.csv")]
    result = runner.invoke(app, ["counts", *exports, "--frontline", str(SAMPLE / "frontline.csv"),
                                 "-c", str(config), "-o", str(local)])  # fmt: skip
    assert result.exit_code == 0, result.output
    same_counts(out.read_bytes(), local.read_bytes(), label="duckdb:")


def test_cli_sql_prints_a_query_for_each_dialect(tmp_path: Path) -> None:
    source, cfg = _one_table(tmp_path)
    flags = ["--group-column", "role", "--leaders-value", cfg.leaders_values[0],
             "--customers-value", "customer", "--by", "region,channel"]  # fmt: skip
    config = tmp_path / "cxgap.toml"
    config.write_text('invalid_weights = "drop"\n', encoding="utf-8")
    flags += ["-c", str(config)]
    for dialect in DIALECTS:
        result = runner.invoke(app, ["sql", "--dialect", dialect, "--table", "db.responses",
                                     "--sample", str(source), *flags])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert sqlglot.parse_one(result.stdout, read=dialect) is not None
    result = runner.invoke(
        app, ["sql", "--dialect", "oracle", "--table", "t", "--sample", str(source), *flags]
    )
    assert result.exit_code == 2 and "expected one of duckdb" in result.output
    result = runner.invoke(app, ["sql", "--dialect", "duckdb", "--table", "t"])
    assert result.exit_code == 2 and "--sample" in result.output


def test_connection_strings_never_show(tmp_path: Path) -> None:
    secret = "hunter2-s3cret"
    url = f"duckdb:///{tmp_path}/missing.duckdb?user=me&password={secret}"
    result = runner.invoke(app, ["counts", "--engine", "duckdb", "--connection", url,
                                 "--table", "t", "-o", str(tmp_path / "c.parquet")])  # fmt: skip
    assert result.exit_code == 2
    assert "engine-unreachable" in result.output and secret not in result.output
    assert "Traceback" not in result.output
    # a database in a folder named like a password: the counts file names the table only
    folder = tmp_path / secret
    folder.mkdir()
    source, cfg = _one_table(tmp_path)
    database = _database(folder, source, "responses")
    data = count_engine(DuckDBEngine(f"duckdb:///{database}", "responses"), cfg)
    assert secret.encode() not in data
    assert b"duckdb:responses" in data


def test_errors_are_the_catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, cfg = _one_table(tmp_path)
    database = _database(tmp_path, source, "responses")
    with pytest.raises(TableNotFound, match="'responses'"):
        DuckDBEngine(str(database), "respones")
    with pytest.raises(UnknownColumn, match="group_column"):
        count_engine(
            DuckDBEngine(str(database), "responses"), cfg.model_copy(update={"group_column": "rol"})
        )
    with pytest.raises(UsageError, match="group_column"):
        count_engine(DuckDBEngine(str(database), "responses"), Config())
    engine = DuckDBEngine(str(database), "responses")
    with pytest.raises(UsageError, match="not a group name"):
        count_engine({"leaders": engine, "Board X": engine, "customers": engine}, Config())
    with pytest.raises(UnknownColumn, match="segment_columns"):
        count_engine(DuckDBEngine(str(database), "responses"),
                     cfg.model_copy(update={"segment_columns": ["nowhere"]}))  # fmt: skip
    result = runner.invoke(app, ["counts", "--engine", "duckdb", "--connection", str(database),
                                 "--table", "nope", "-o", str(tmp_path / "c.parquet")])  # fmt: skip
    assert result.exit_code == 2 and "table-not-found" in result.output
    assert "Traceback" not in result.output
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(EngineUnavailable) as missing:
        DuckDBEngine(None, str(source))
    assert "pip install 'cxgap[sql]'" in str(missing.value)
    result = runner.invoke(app, ["counts", "--engine", "duckdb", "--table", str(source),
                                 "-o", str(tmp_path / "c.parquet")])  # fmt: skip
    assert result.exit_code == 2 and "engine-unavailable" in result.output


def test_sample_composite_headline(tmp_path: Path) -> None:
    cfg = load_config(SAMPLE / "cxgap.toml")
    cfg = cfg.model_copy(update={"exclude_columns": [*cfg.exclude_columns, "overall_strong_cx"]})
    paths = {g: SAMPLE / f"{g}.csv" for g in ("leaders", "customers")}
    mine = count_engine({g: DuckDBEngine(None, str(p)) for g, p in paths.items()}, cfg)
    same_counts(mine, count(paths["leaders"], paths["customers"], cfg))


def test_cli_help_and_guards(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--help"])
    assert "sql" in result.output
    result = runner.invoke(app, ["sql", "--help"])
    assert "--dialect" in result.output and "--sample" in result.output
    result = runner.invoke(app, ["counts", "--help"])
    assert "--engine" in result.output and "--table" in result.output
    source, _ = _one_table(tmp_path)
    out = str(tmp_path / "c.parquet")
    # the counts file is never written over the table it counts
    result = runner.invoke(app, ["counts", "--engine", "duckdb", "--table", str(source),
                                 "--group-column", "role", "-o", str(source)])  # fmt: skip
    assert result.exit_code == 2
    assert pl.read_parquet(source).height == 1200
    result = runner.invoke(
        app, ["counts", "--table", str(source), "-o", str(tmp_path / "c.parquet")]
    )
    assert result.exit_code == 2 and "--engine" in result.output
    result = runner.invoke(app, ["counts", str(source), "--engine", "duckdb",
                                 "--table", str(source), "-o", out])  # fmt: skip
    assert result.exit_code == 2 and "no export files" in result.output


def test_cli_sql_then_counts_from_the_result(tmp_path: Path) -> None:
    # the analyst's round trip: print the query, run it where the data are, save the
    # result, turn it into the counts file
    source, cfg = _one_table(tmp_path)
    config = tmp_path / "cxgap.toml"
    config.write_text('invalid_weights = "drop"\n', encoding="utf-8")
    flags = ["--group-column", "role", "--leaders-value", cfg.leaders_values[0],
             "--customers-value", "customer", "--by", "region,channel"]  # fmt: skip
    flags += ["-c", str(config)]
    query = tmp_path / "counts.sql"
    result = runner.invoke(app, ["sql", "--dialect", "duckdb", "--table", "responses",
                                 "--sample", str(source), "-o", str(query), *flags])  # fmt: skip
    assert result.exit_code == 0, result.output
    con = duckdb.connect()
    con.execute(f"CREATE TABLE responses AS SELECT * FROM read_parquet('{source}')")
    saved = tmp_path / "result.csv"
    con.execute(f"COPY ({query.read_text().rstrip().rstrip(';')}) TO '{saved}' (HEADER)")
    con.close()
    out = tmp_path / "counts.parquet"
    result = runner.invoke(app, ["counts", "--result", str(saved), "--sample", str(source),
                                 "--table", "responses", "-o", str(out), *flags])  # fmt: skip
    assert result.exit_code == 0, result.output
    same_counts(out.read_bytes(), count(source, source, cfg), label="sql:responses")
    result = runner.invoke(app, ["counts", "--result", str(saved), "-o", str(out), *flags])
    assert result.exit_code == 2 and "--sample" in result.output
