"""`make bench-spark`: the counts of a table too big for one machine's patience, three ways.

Not part of `make test`. A seeded customers' table of ``--rows`` (default 100 million)
rows is generated once as Parquet (``.bench/customers_<rows>.parquet``, streamed by
polars: twelve 1-5 items with about 3% blanks, a wave, a region and a weight), and its
counts table (against the bundled leaders' file) is computed by:

- the local engine: ``cxgap counts LEADERS TABLE.parquet``;
- DuckDB: ``cxgap counts --engine duckdb --table leaders=... --table customers=...``;
- a local Spark session: the same with ``--engine spark --spark-master local[2]``.

Each runs once, in its own process (wall time; peak RSS of the largest process the
command waited for), and the three counts files are checked to hold the same table.
Then an estimate of the Spark cluster a billion-row table needs, from the throughput
measured here less Spark's fixed cost, measured on 100,000 rows (see ``estimate``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import polars as pl
from bench import BENCH, CXGAP, LEADERS, ROOT, run
from make_bench_data import ITEMS, REGIONS


def generate(path: Path, rows: int, seed: int = 20261126) -> None:
    """The table, streamed to Parquet: each answer a hash of (row, item, seed), so any
    machine writes the same file without holding it."""
    row = pl.int_range(0, rows, dtype=pl.Int64)

    def draw(k: int, modulo: int) -> pl.Expr:
        return (row * 1_000_003 + k).hash(seed) % modulo

    items = [
        pl.when(draw(k, 100) < 3).then(None).otherwise(draw(k + 50, 5) + 1)
        .cast(pl.Int8).alias(name)
        for k, name in enumerate(ITEMS)
    ]  # fmt: skip
    region = pl.lit(pl.Series(REGIONS)).get(draw(99, len(REGIONS)).cast(pl.Int64))
    weight = (draw(98, 2000).cast(pl.Float64) / 1000 + 0.25).round(4)
    frame = pl.LazyFrame().select(
        pl.lit("2026Q3").alias("wave"), region.alias("region"), weight.alias("weight"), *items
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    frame.sink_parquet(tmp, row_group_size=1_000_000)
    tmp.replace(path)


def estimate(rows: int, spark_seconds: float, cores: int = 2) -> str:
    """The cores a billion-row table needs to be counted in about five minutes, scaling
    the rows per core-second measured here (an aggregation like this one scales about
    linearly: each core reduces its own row groups to a few thousand cells, and the
    shuffle moves only those cells)."""
    per_core = rows / spark_seconds / cores
    target = 300.0
    needed = 1e9 / per_core / target
    return (
        f"Spark here: {per_core / 1e6:.2f} M rows per core-second ({rows:,} rows, {cores} "
        f"cores, {spark_seconds:.0f} s). A billion rows in about 5 minutes: "
        f"{needed:.0f} cores (e.g. {max(1, -(-int(needed) // 8))} executors of 8 cores); "
        f"in about 30 minutes: {needed / 6:.0f} cores. Reading Parquet from object storage "
        "rather than a local disk, add a margin for the network."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000_000)
    args = parser.parse_args()
    table = BENCH / f"customers_{args.rows}.parquet"
    if not table.exists():
        print(f"generating {table} ...", flush=True)
        generate(table, args.rows)
    size = table.stat().st_size / 1e6
    tmp = Path(tempfile.mkdtemp())
    out = {name: tmp / f"{name}.parquet" for name in ("local", "duckdb", "spark")}
    tables = ["--table", f"leaders={LEADERS}", "--table", f"customers={table}"]
    commands = {
        "local": [CXGAP, "counts", str(LEADERS), str(table), "-o", str(out["local"])],
        "duckdb": [CXGAP, "counts", "--engine", "duckdb", *tables, "-o", str(out["duckdb"])],
        "spark": [CXGAP, "counts", "--engine", "spark", "--spark-master", "local[2]", *tables,
                  "-o", str(out["spark"])],
    }  # fmt: skip
    print(f"\n== bench-spark: {table.name}, {args.rows:,} rows, {size:.0f} MB Parquet ==")
    print(f"{'engine':<10}{'wall s':>10}{'peak MB':>10}{'M rows/s':>10}")
    found = {}
    for name, cmd in commands.items():
        r = run(cmd, (0,))
        found[name] = r
        print(f"{name:<10}{r.wall:>10.1f}{r.peak_mb:>10.0f}{args.rows / r.wall / 1e6:>10.1f}")
    tables_of = {n: pl.read_parquet(p) for n, p in out.items()}
    same = all(tables_of[n].equals(tables_of["local"]) for n in tables_of)
    print(f"check: the three counts tables are equal: {'ok' if same else 'DIFFER'}")
    # Spark's fixed cost (the JVM, the session, the plan's first compilation): the same
    # command on a table of 100,000 rows; the estimate scales what the rows add to it
    small = BENCH / "customers_100000.parquet"
    if not small.exists():
        generate(small, 100_000)
    start = run([*commands["spark"][:-3], f"customers={small}", "-o", str(tmp / "s.parquet")],
                (0,))  # fmt: skip
    print(f"spark on 100,000 rows (its fixed cost): {start.wall:.1f} s")
    print(estimate(args.rows - 100_000, max(found["spark"].wall - start.wall, 1e-3)))
    summary = {n: {"wall": round(r.wall, 2), "peak_mb": round(r.peak_mb)} for n, r in
               found.items()}  # fmt: skip
    print(json.dumps({"rows": args.rows, "same": same, **summary}))
    if not same:
        sys.exit(1)
    assert ROOT.exists()


if __name__ == "__main__":
    main()
