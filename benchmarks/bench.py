"""`make bench`: cxgap analyze on a 10-million-row customers export vs a bare polars.read_csv.

Generates the seeded export once (benchmarks/make_bench_data.py, ~530 MB, cached
in .bench/), then runs each command in its own process, alternating, several
times, and reports the median wall time and peak RSS of each and their ratio.

Targets (issue 2): analyze wall time <= the bare read (ratio <= 1.0), peak RSS < 600 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".bench" / "customers_10m.csv"
LEADERS = ROOT / "data" / "sample" / "leaders.csv"

# Runs a command as a child and prints its wall time and peak RSS (the child's alone).
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "peak_mb": peak_kib / 1024, "rc": proc.returncode}))
"""


def measure(cmd: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"command failed ({result['rc']}): {' '.join(cmd)}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"generating {DATA} ({args.rows:,} rows) ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "make_bench_data.py"),
                str(DATA),
                "--rows",
                str(args.rows),
            ],
            check=True,
        )
    cxgap = str(Path(sys.executable).with_name("cxgap"))
    analyze = [cxgap, "analyze", str(LEADERS), str(DATA), "--format", "json", "--output", "-"]
    bare = [sys.executable, "-c", f"import polars; polars.read_csv({str(DATA)!r})"]
    runs: dict[str, list[dict[str, float]]] = {"analyze": [], "read_csv": []}
    measure(analyze)  # warm the page cache for both
    for _ in range(args.runs):
        runs["analyze"].append(measure(analyze))
        runs["read_csv"].append(measure(bare))
    size_mb = DATA.stat().st_size / 1e6
    print(f"customers export: {DATA.name}, {size_mb:,.0f} MB; {args.runs} runs each, medians")
    print(f"{'command':<34}{'wall s':>10}{'peak RSS MB':>14}")
    med = {}
    for name, label in (
        ("analyze", "cxgap analyze (streaming)"),
        ("read_csv", "polars.read_csv (bare)"),
    ):
        wall = statistics.median(r["wall"] for r in runs[name])
        peak = statistics.median(r["peak_mb"] for r in runs[name])
        med[name] = (wall, peak)
        print(f"{label:<34}{wall:>10.2f}{peak:>14.0f}")
    ratios = [a["wall"] / b["wall"] for a, b in zip(runs["analyze"], runs["read_csv"], strict=True)]
    ratio = statistics.median(ratios)
    print(
        f"wall-time ratio analyze/read_csv: {ratio:.2f} (target <= 1.00)"
        f" {'ok' if ratio <= 1.0 else 'MISSED'}"
    )
    print(
        f"analyze peak RSS: {med['analyze'][1]:.0f} MB (target < 600 MB)"
        f" {'ok' if med['analyze'][1] < 600 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
