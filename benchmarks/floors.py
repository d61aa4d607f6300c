"""The floors `make bench` measures cxgap against: the same per-(item, code) counts,
computed with no cxgap code, each run as its own process by benchmarks/bench.py.

    python benchmarks/floors.py polars FILE --items a,b,c --codes 1,2,3,4,5
    python benchmarks/floors.py polars FILE --items a,b,c --labels 'Disagree,Agree'
    python benchmarks/floors.py duckdb FILE --items a,b,c --codes 1,2,3,4,5
    python benchmarks/floors.py read_csv FILE

``polars``: a lazy scan, each item column read as Int16 (codes) or text (labels), one
plain ``(pl.col(item) == code).sum()`` per (item, code), collected with the streaming
engine. ``duckdb``: the same sums in SQL over the CSV. ``read_csv``: a bare
``polars.read_csv`` of the whole file (a reference, no counting). The first two print
the counts as JSON, ``{item: [count per code, in the order given]}``, so bench.py can
check that cxgap counted the same answers.
"""

from __future__ import annotations

import argparse
import json
import sys


def polars_counts(path: str, items: list[str], answers: list[int] | list[str]) -> list[int]:
    import polars as pl

    dtype = pl.Int16 if isinstance(answers[0], int) else pl.String
    lf = pl.scan_csv(path, schema_overrides=dict.fromkeys(items, dtype))
    sums = [
        pl.col(item).eq(answer).sum().alias(f"{i}:{k}")
        for i, item in enumerate(items)
        for k, answer in enumerate(answers)
    ]
    row = lf.select(sums).collect(engine="streaming").row(0)
    return [int(n) for n in row]


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_counts(path: str, items: list[str], answers: list[int] | list[str]) -> list[int]:
    import duckdb

    kind = "SMALLINT" if isinstance(answers[0], int) else "VARCHAR"
    types = ", ".join(f"{_sql_text(item)}: '{kind}'" for item in items)
    values = [str(a) if isinstance(a, int) else _sql_text(a) for a in answers]
    sums = ", ".join(f'sum(("{item}" = {value})::INTEGER)' for item in items for value in values)
    query = f"SELECT {sums} FROM read_csv({_sql_text(path)}, types = {{{types}}})"
    row = duckdb.connect().execute(query).fetchall()[0]
    return [int(n or 0) for n in row]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("engine", choices=("polars", "duckdb", "read_csv"))
    parser.add_argument("path")
    parser.add_argument("--items", default="", help="item columns, comma-separated")
    parser.add_argument("--codes", default="", help="integer codes, comma-separated")
    parser.add_argument("--labels", default="", help="text answers, comma-separated")
    args = parser.parse_args()
    if args.engine == "read_csv":
        import polars as pl

        pl.read_csv(args.path)
        return
    items = args.items.split(",")
    answers: list[int] | list[str] = (
        [int(c) for c in args.codes.split(",")] if args.codes else args.labels.split(",")
    )
    count = polars_counts if args.engine == "polars" else duckdb_counts
    flat = count(args.path, items, answers)
    k = len(answers)
    json.dump({item: flat[i * k : (i + 1) * k] for i, item in enumerate(items)}, sys.stdout)


if __name__ == "__main__":
    main()
