"""The PostgreSQL engine on a real server (started by tests/engines_fixtures.py): its
counts file is the local engine's, row for row and bit for bit, and the analysis of it
gives the same JSON, on the sample and on a generated table with waves, segments and
weights (loaded with COPY from the same data); hostile names are quoted; the password
never shows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
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
from engines_fixtures import PostgresServer

pytestmark = pytest.mark.postgres
runner = CliRunner()
GROUPS = ("leaders", "frontline", "customers")
PG_TYPES = {pl.Int64: "bigint", pl.Float64: "double precision", pl.String: "text"}


@pytest.fixture(scope="module")
def conn(postgres_server: PostgresServer) -> Iterator[Any]:
    import psycopg

    with psycopg.connect(postgres_server.url, autocommit=True) as connection:
        yield connection


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_csv(conn: Any, table: str, path: Path) -> None:
    """A CSV export as a table of text columns, with COPY: an empty field NULL, a quoted
    empty one '' (as cxgap's reader)."""
    from psycopg import sql

    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in header)
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))
    conn.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(table), columns))
    copy = sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, HEADER true)")
    with conn.cursor() as cur, cur.copy(copy.format(sql.Identifier(table))) as sink:
        sink.write(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))


def load_frame(conn: Any, table: str, frame: pl.DataFrame) -> None:
    """A typed table (bigint codes, text answers and weights) from the rows, with COPY."""
    from psycopg import sql

    columns = sql.SQL(", ").join(
        sql.SQL("{} " + _pg_type(dtype)).format(sql.Identifier(name))
        for name, dtype in frame.schema.items()
    )
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))
    conn.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(table), columns))
    copy = sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(table))
    with conn.cursor() as cur, cur.copy(copy) as sink:
        for row in frame.iter_rows():
            sink.write_row(row)


def _pg_type(dtype: Any) -> str:
    for kind, name in PG_TYPES.items():
        if dtype == kind:
            return name
    raise AssertionError(f"no PostgreSQL type for {dtype}")


def _counted(server: PostgresServer, tables: str | dict[str, str], cfg: Config) -> bytes:
    from cxgap.engines.open import close
    from cxgap.engines.postgres import PostgresEngine

    engines: Any = (
        PostgresEngine(server.url, tables)
        if isinstance(tables, str)
        else {g: PostgresEngine(server.url, t) for g, t in tables.items()}
    )
    try:
        return count_engine(engines, cfg)
    finally:
        close(engines)


def test_sample_counts_equal_the_local_counts(
    postgres_server: PostgresServer, conn: Any, tmp_path: Path
) -> None:
    cfg = load_config(SAMPLE / "cxgap.toml")
    paths = {g: SAMPLE / f"{g}.csv" for g in GROUPS}
    for group, path in paths.items():
        load_csv(conn, f"sample {group}", path)
    mine = _counted(postgres_server, {g: quoted(f"sample {g}") for g in GROUPS}, cfg)
    local = count(
        paths["leaders"], paths["customers"], cfg, groups={"frontline": paths["frontline"]}
    )
    same_counts(mine, local, label="postgres:")
    for importance in (False, True):
        assert analysis_json(mine, tmp_path, cfg, importance=importance) == analysis_json(
            local, tmp_path, cfg, importance=importance
        )
    assert postgres_server.password.encode() not in mine


def one_table(text: bool) -> pl.DataFrame:
    leaders = survey_rows(31, 250, text=text, prefix="L").with_columns(role=pl.lit("leader"))
    customers = survey_rows(32, 700, text=text, prefix="C").with_columns(role=pl.lit("customer"))
    return pl.concat([leaders, customers])


SPLIT = {"group_column": "role", "leaders_values": ["leader"], "customers_values": ["customer"]}


@pytest.mark.parametrize("text", [True, False], ids=["text-codes", "integer-codes"])
def test_a_generated_table_counts_as_locally(
    postgres_server: PostgresServer, conn: Any, tmp_path: Path, text: bool
) -> None:
    rows = one_table(text)
    path = write(rows, tmp_path / "all.parquet")
    hostile = 'survey "all"; DROP TABLE x; --'
    load_frame(conn, hostile, rows)
    cfg = Config(**SPLIT, segment_columns=["region", "channel"], headline_item="overall")
    mine = _counted(postgres_server, quoted(hostile), cfg)
    local = count(path, path, cfg)
    same_counts(mine, local, label="postgres:")
    assert analysis_json(mine, tmp_path, cfg, importance=True) == analysis_json(
        local, tmp_path, cfg, importance=True
    )
    table = pl.read_parquet(io.BytesIO(mine))
    assert table["wave"].n_unique() == 3 and (table["w_sum"] != table["n"]).any()


def test_hostile_column_names_are_quoted(
    postgres_server: PostgresServer, conn: Any, tmp_path: Path
) -> None:
    hostile = {"speed": "sp'eed\"; DROP TABLE x; --", "care": "ca re (1-5)"}
    rows = one_table(text=True).rename(hostile)
    path = write(rows, tmp_path / "hostile.csv")
    load_csv(conn, "hostile columns", path)
    cfg = Config(**SPLIT)
    mine = _counted(postgres_server, quoted("hostile columns"), cfg)
    same_counts(mine, count(path, path, cfg))
    assert set(hostile.values()) <= set(pl.read_parquet(io.BytesIO(mine))["item"].to_list())


def test_cli_counts_never_shows_the_password(
    postgres_server: PostgresServer, conn: Any, tmp_path: Path
) -> None:
    rows = one_table(text=True)
    load_frame(conn, "cli_table", rows)
    out = tmp_path / "counts.parquet"
    flags = ["--group-column", "role", "--leaders-value", "leader", "--customers-value",
             "customer", "--by", "region"]  # fmt: skip
    engine = ["--engine", "postgres", "--connection", postgres_server.url]
    made = runner.invoke(app, ["counts", *engine, "--table", "cli_table", *flags, "-o", str(out)])
    assert made.exit_code == 0, made.output
    secret = postgres_server.password
    assert secret not in made.output and secret.encode() not in out.read_bytes()
    meta = json.loads(pl.read_parquet_metadata(out)[META_KEY])
    assert {g["path"] for g in meta["groups"].values()} == {"postgres:cli_table"}
    analysed = runner.invoke(
        app, ["analyze", *engine, "--table", "cli_table", *flags, "-f", "json"]
    )
    from_file = runner.invoke(app, ["analyze", str(out), *flags, "-f", "json"])
    assert analysed.exit_code == from_file.exit_code == 0, analysed.output
    assert analysed.stdout == from_file.stdout and secret not in analysed.output
    for args in (
        ["--table", "no_such_table"],
        ["--table", "cli_table", "--connection", postgres_server.url.replace(secret, "wrong")],
        [
            "--table",
            "cli_table",
            "--connection",
            postgres_server.url.replace("127.0.0.1", "127.0.0.1:1"),
        ],
    ):
        failed = runner.invoke(app, ["counts", *engine, *args, *flags, "-o", str(out)])
        assert failed.exit_code == 2, failed.output
        assert len(failed.output.strip().splitlines()) == 1 and "Traceback" not in failed.output
        assert secret not in failed.output and "wrong" not in failed.output


def test_weights_in_the_millions_sum_exactly(
    postgres_server: PostgresServer, conn: Any, tmp_path: Path
) -> None:
    # PostgreSQL turns a double into a numeric through 15 significant digits: the fixed
    # point of a weight of a few hundred already has more.
    groups = grossed_up(5)
    paths = {g: write(f, tmp_path / f"{g}.parquet") for g, f in groups.items()}
    for group, frame in groups.items():
        load_frame(conn, f"grossed {group}", frame)
    cfg = Config(segment_columns=["region"], headline_item="overall")
    mine = _counted(postgres_server, {g: quoted(f"grossed {g}") for g in groups}, cfg)
    same_counts(mine, count(paths["leaders"], paths["customers"], cfg), label="postgres:")
