"""The PostgreSQL and Spark engines on their own: a query, the columns, exact types
through Arrow, hostile names quoted, and their errors (one line, no secret)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from cxgap.errors import EngineUnreachable, TableNotFound, UsageError
from engines_fixtures import PostgresServer

HOSTILE_TABLE = 'we"ird; DROP TABLE t; --'
HOSTILE_COLUMN = "a 'b\" `c`; --"


# -- PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_table(postgres_server: PostgresServer) -> str:
    """A table with a hostile name and column, made with psycopg's quoting."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(postgres_server.url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE TABLE {} ({} text, w double precision, k bigint)").format(
                sql.Identifier(HOSTILE_TABLE), sql.Identifier(HOSTILE_COLUMN)
            )
        )
        with (
            conn.cursor() as cur,
            cur.copy(sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(HOSTILE_TABLE))) as copy,
        ):
            for row in (("x", 0.5, 1), ("x", 1.25, 2), (None, 2.0, 3)):
                copy.write_row(row)
    return '"' + HOSTILE_TABLE.replace('"', '""') + '"'


@pytest.mark.postgres
def test_postgres_columns_and_an_exact_query(
    postgres_server: PostgresServer, pg_table: str
) -> None:
    from cxgap.engines.postgres import PostgresEngine

    engine = PostgresEngine(postgres_server.url, pg_table)
    try:
        assert engine.table == (HOSTILE_TABLE,)
        assert engine.columns() == [
            (HOSTILE_COLUMN, "text"), ("w", "double precision"), ("k", "bigint"),
        ]  # fmt: skip
        column = '"' + HOSTILE_COLUMN.replace('"', '""') + '"'
        got = engine.run(
            f"SELECT {column} AS v, count(*) AS n, "
            f"sum(round(w::numeric * 1000000000000)) AS w_sum FROM {pg_table} "
            f"GROUP BY 1 ORDER BY 1 NULLS FIRST"
        )
    finally:
        engine.close()
    assert got.schema == pl.Schema({"v": pl.String, "n": pl.Int64, "w_sum": pl.Decimal(38, 0)})
    assert got.to_dicts() == [
        {"v": None, "n": 1, "w_sum": Decimal(2 * 10**12)},
        {"v": "x", "n": 2, "w_sum": Decimal(175 * 10**10)},
    ]


@pytest.mark.postgres
def test_postgres_empty_result_keeps_its_types(
    postgres_server: PostgresServer, pg_table: str
) -> None:
    from cxgap.engines.postgres import PostgresEngine

    engine = PostgresEngine(postgres_server.url, pg_table)
    try:
        got = engine.run(f"SELECT k, count(*) AS n FROM {pg_table} WHERE false GROUP BY k")
    finally:
        engine.close()
    assert got.height == 0 and got.schema == pl.Schema({"k": pl.Int64, "n": pl.Int64})


@pytest.mark.postgres
def test_postgres_errors_are_one_line_without_the_password(
    postgres_server: PostgresServer, pg_table: str
) -> None:
    from cxgap.engines.postgres import PostgresEngine

    password = postgres_server.password
    wrong = postgres_server.url.replace(password, password + "-wrong")
    with pytest.raises(EngineUnreachable) as caught:
        PostgresEngine(wrong, pg_table)
    shown = str(caught.value)
    assert "password authentication failed" in shown and "127.0.0.1" in shown
    assert password not in shown and "\n" not in shown
    closed = f"postgresql://u:{password}@127.0.0.1:1/db"
    with pytest.raises(EngineUnreachable) as caught:
        PostgresEngine(closed, "t")
    assert password not in str(caught.value) and "127.0.0.1:1" in str(caught.value)
    with pytest.raises(UsageError):
        PostgresEngine(postgres_server.url, '"unterminated')
    engine = PostgresEngine(postgres_server.url, "no_such_table")
    try:
        with pytest.raises(TableNotFound, match="no_such_table"):
            engine.columns()
        with pytest.raises(EngineUnreachable) as failed:
            engine.run("SELECT nope FROM no_such_table_either WHERE")
        assert password not in str(failed.value) and "\n" not in str(failed.value)
    finally:
        engine.close()


def test_a_connection_string_is_redacted_however_it_is_written() -> None:
    from cxgap.engines.postgres import Secret

    for url, password in [
        ("postgresql://ann:s3cr%40t@db.example:6543/survey", "s3cr@t"),
        ("host=db.example port=6543 user=ann password='s3cr@t' dbname=survey", "s3cr@t"),
    ]:
        secret = Secret(url)
        assert secret.where() == "db.example:6543/survey as ann"
        for leak in (url, password, "s3cr%40t"):
            assert "s3cr" not in secret.redact(f"failed: {leak} and more")
    broken = Secret("postgresql://ann:hunter2@db:notaport/x?bad")
    assert "hunter2" not in broken.redact("invalid: postgresql://ann:hunter2@db:notaport/x")
    assert "hunter2" not in broken.redact("password=hunter2 host=db")


# -- Spark ---------------------------------------------------------------------------------


def _frame() -> pl.DataFrame:
    return pl.DataFrame({HOSTILE_COLUMN: ["x", "x", None], "w": [0.5, 1.25, 2.0], "k": [1, 2, 3]})


def _spark_sum(column: str, table: str) -> str:
    quoted = "`" + column.replace("`", "``") + "`"
    return (
        f"SELECT {quoted} AS v, count(*) AS n, "
        f"sum(cast(round(cast(w AS double) * 1000000000000) AS decimal(38, 0))) AS w_sum "
        f"FROM {table} "
        f"GROUP BY 1 ORDER BY 1 NULLS FIRST"
    )


@pytest.mark.spark
@pytest.mark.parametrize("kind", ["parquet", "csv", "table"])
def test_spark_reads_files_or_a_table_and_answers_exactly(
    spark: Any, tmp_path: Path, kind: str
) -> None:
    from cxgap.engines.spark import SparkEngine

    frame = _frame()
    if kind == "parquet":
        source = str(tmp_path / "in.parquet")
        frame.write_parquet(source)
    elif kind == "csv":
        source = str(tmp_path / "in.csv")
        frame.write_csv(source)
    else:
        source = "`" + HOSTILE_TABLE.replace("`", "``") + "`"
        spark.createDataFrame(frame.to_arrow()).createOrReplaceTempView(source)
    engine = SparkEngine(source, session=spark)
    try:
        if kind == "table":
            assert engine.table == (HOSTILE_TABLE,)
        types = dict(engine.columns())
        assert list(types) == [HOSTILE_COLUMN, "w", "k"]
        assert types["w"] == ("string" if kind == "csv" else "double")
        view = ".".join("`" + p.replace("`", "``") + "`" for p in engine.table)
        got = engine.run(_spark_sum(HOSTILE_COLUMN, view))
    finally:
        engine.close()
    assert got.schema == pl.Schema({"v": pl.String, "n": pl.Int64, "w_sum": pl.Decimal(38, 0)})
    assert got.to_dicts() == [
        {"v": None, "n": 1, "w_sum": Decimal(2 * 10**12)},
        {"v": "x", "n": 2, "w_sum": Decimal(175 * 10**10)},
    ]
    if kind != "table":  # the view cxgap registered is gone, the session still runs
        assert not spark.catalog.tableExists(engine.table[0])
    assert spark.range(1).count() == 1


@pytest.mark.spark
def test_spark_errors_are_one_line(spark: Any, tmp_path: Path) -> None:
    from cxgap.engines.spark import SparkEngine

    with pytest.raises(TableNotFound, match="no_such_table") as caught:
        SparkEngine("db_nope.no_such_table", session=spark)
    assert "\n" not in str(caught.value)
    with pytest.raises(TableNotFound, match="PATH_NOT_FOUND"):
        SparkEngine(str(tmp_path / "missing.parquet"), session=spark)
    source = tmp_path / "in.parquet"
    _frame().write_parquet(source)
    engine = SparkEngine(str(source), session=spark)
    try:
        with pytest.raises(EngineUnreachable, match="UNRESOLVED_COLUMN") as failed:
            engine.run(f"SELECT nope FROM `{engine.table[0]}`")
        assert "\n" not in str(failed.value) and "at org.apache" not in str(failed.value)
    finally:
        engine.close()


def test_spark_without_java_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from cxgap.engines import spark as engine
    from cxgap.errors import EngineUnavailable

    monkeypatch.setenv("JAVA_HOME", "/nonexistent")
    monkeypatch.setattr(engine, "_running_session", lambda: None)
    with pytest.raises(EngineUnavailable, match="no Java found") as caught:
        engine.SparkEngine("t")
    assert "JAVA_HOME" in str(caught.value)


@pytest.mark.spark
def test_spark_reads_a_csv_as_cxgap_does(spark: Any, tmp_path: Path) -> None:
    """Every cell text; an empty field null, a quoted empty one "" (as the local reader)."""
    from cxgap.engines.spark import SparkEngine

    source = tmp_path / "in.csv"
    source.write_text('a,b,c\nx,"",\n"",,4\n" sp ","q""uote",\n', encoding="utf-8")
    engine = SparkEngine(str(source), session=spark)
    try:
        assert engine.columns() == [("a", "string"), ("b", "string"), ("c", "string")]
        got = engine.run(f"SELECT * FROM `{engine.table[0]}`")
    finally:
        engine.close()
    assert got.rows() == [("x", "", None), ("", None, "4"), (" sp ", 'q"uote', None)]


def test_missing_python_packages_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from cxgap.engines import spark as engine
    from cxgap.engines.postgres import PostgresEngine
    from cxgap.errors import EngineUnavailable

    monkeypatch.setattr(engine, "java_found", lambda: True)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import fails as if absent
    with pytest.raises(EngineUnavailable, match=r"pyspark is not installed") as caught:
        engine.start_session()
    assert caught.value.hint == "pip install 'cxgap[spark]'"
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(EngineUnavailable, match=r"psycopg is not installed") as missing:
        PostgresEngine("postgresql://ann:hunter2@db/x", "t")
    assert missing.value.hint == "pip install 'cxgap[sql]'" and "hunter2" not in str(missing.value)


def test_a_java_that_cannot_start_spark_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cxgap.engines import spark as engine
    from cxgap.errors import EngineUnavailable

    java = tmp_path / "jre" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text('#!/bin/sh\necho "Unsupported major.minor version" >&2\nexit 1\n')
    java.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jre"))
    monkeypatch.setattr(engine, "_running_session", lambda: None)
    with pytest.raises(EngineUnavailable, match="Java exited before Spark started") as caught:
        engine.SparkEngine(str(tmp_path / "in.parquet"))
    assert "Java 17" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.postgres
def test_postgres_schema_qualified_names(postgres_server: PostgresServer) -> None:
    import psycopg

    from cxgap.engines.postgres import PostgresEngine

    with psycopg.connect(postgres_server.url, autocommit=True) as conn:
        conn.execute('CREATE SCHEMA IF NOT EXISTS "Odd Schema"')
        conn.execute('CREATE TABLE IF NOT EXISTS "Odd Schema"."t.1" (a bigint)')
        conn.execute('INSERT INTO "Odd Schema"."t.1" VALUES (7)')
    engine = PostgresEngine(postgres_server.url, '"Odd Schema"."t.1"')
    try:
        assert engine.table == ("Odd Schema", "t.1") and engine.columns() == [("a", "bigint")]
        assert engine.run('SELECT a FROM "Odd Schema"."t.1"').to_dicts() == [{"a": 7}]
    finally:
        engine.close()


@pytest.mark.spark
def test_spark_database_qualified_table(spark: Any) -> None:
    from cxgap.engines.spark import SparkEngine

    spark.sql("CREATE DATABASE IF NOT EXISTS `odd_db`")
    spark.createDataFrame(_frame().to_arrow()).write.mode("overwrite").saveAsTable("`odd_db`.t")
    engine = SparkEngine("`odd_db`.t", session=spark)
    try:
        assert engine.table == ("odd_db", "t") and [c for c, _ in engine.columns()][1:] == [
            "w",
            "k",
        ]
        assert engine.run("SELECT count(*) AS n FROM `odd_db`.t").to_dicts() == [{"n": 3}]
    finally:
        engine.close()
    assert spark.catalog.tableExists("odd_db.t")  # a table it was given is left alone
