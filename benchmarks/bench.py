"""`make bench`: cxgap's speed targets, each measured against a floor in the same run.

The floor of a case is a polars lazy scan of the same file that computes the same
per-(item, code) counts with plain sum expressions and no cxgap code, collected with
the streaming engine (benchmarks/floors.py). Cases (``--case``, repeatable; default all):

sample  the bundled sample: analyze (JSON) <= 0.4 s, deck and report <= 3 s each,
        ``cxgap --help`` <= 0.1 s, whole process (absolute targets; no floor, but
        starting Python and importing polars for reference).
wide    a SurveyMonkey-style export of 1,000 item columns x 1,000 responses: analyze
        and validate about a second (<= 1.25 s) and < 300 MB; the floor here counts
        by an unpivot and group-by of the items read as text.
mixed   a wide export of 1,000 columns x 10,000 rows of which 150 are Likert items
        (the rest ids, dates, free text, numbers, categories, multi-select option
        columns), as both groups: analyze <= 2x the floor, < 300 MB.
long    a 10-million-row customers export of integer codes (leaders: the sample's):
        analyze with the headline item, analyze without it (--exclude
        overall_strong_cx: the composite headline) and analyze with derived
        importance (the command, --importance, and the Python API as its own process)
        each <= 1.3x the floor and <= 450 MB; analyze faster than DuckDB counting the
        same in SQL; for reference,
        ``cxgap chart quadrant`` (importance and a chart: matplotlib's import and the
        drawing add about half a second; <= 450 MB) and a bare polars.read_csv. These
        runs are unweighted (--weights none), as the floor; the file's weights are
        analysed by one more run, weighted and by region: <= 1.5x the unweighted
        analyze, <= 600 MB.
labels  the same 10 million respondents with text labels ("Strongly disagree" ...):
        analyze <= 1.6x the floor (the same sums over the labels), <= 600 MB.

The seeded exports are generated once (benchmarks/make_bench_data.py, cached in
.bench/). Each command runs in its own process, the floor first and then every
command, round after round (``--runs``; default 3 for the 10-million-row cases, 5 for
the others), after one uncounted run of the floor that warms the page cache; the
tables show medians and each command's wall-time ratio to the floor of the same round
(median, and the smallest and largest of the rounds).
The first round keeps what each command prints and checks that cxgap counted the same
answers as the floor. A missed target is printed (MISSED), never an error. DuckDB is
a bench-only dependency (``pip install -e '.[bench]'``, which `make bench` does);
without it its rows are skipped. cxgap's modules are byte-compiled first, as an
installed package's are (pip compiles them; an editable install only on first import,
and never where PYTHONDONTWRITEBYTECODE is set, when every run would pay the compile).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import make_bench_data as data

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench"
LONG = BENCH / "customers_10m.csv"
LABELS = BENCH / "customers_10m_labels.csv"
WIDE = BENCH / "wide_1000x1000.csv"
MIXED = BENCH / "mixed_1000x10000.csv"
SAMPLE = ROOT / "data" / "sample"
LEADERS = SAMPLE / "leaders.csv"
FLOORS = ROOT / "benchmarks" / "floors.py"
PY = sys.executable
CXGAP = str(Path(sys.executable).with_name("cxgap"))
CODES = "1,2,3,4,5"

# The wide case's floor (kept as it was): per-(item, code) counts of the items read as
# text, by one unpivot and group-by in a lazy scan.
_WIDE_FLOOR = """
import sys, polars as pl
lf = pl.scan_csv(sys.argv[1], has_header=False, skip_rows=2, infer_schema=False)
items = lf.collect_schema().names()[4:]
counts = (
    lf.select(items).unpivot(variable_name="item", value_name="code")
    .drop_nulls("code").group_by("item", "code").len().collect()
)
assert counts.height > 0
"""

# Analysis with derived importance through the Python API, as its own process.
_IMPORTANCE = """
import sys, cxgap
cfg = cxgap.load_config(None, {"weight_column": "none"})
result = cxgap.analyze(sys.argv[1], sys.argv[2], cfg, importance=True)
sys.stdout.write(result.model_dump_json())
"""


# Runs a command (argv[2:]) with its output to a file (argv[1]) and prints its wall time
# and peak RSS. A child's peak RSS counts what it inherited from the process that
# started it, so the command is started from this small process, not from bench.py
# (which holds polars): the figures then read no lower than about 10 MB.
_MEASURE = """
import json, resource, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    start = time.perf_counter()
    proc = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
err = proc.stderr.decode(errors="replace")[-2000:]
print(json.dumps({"wall": wall, "peak": peak, "rc": proc.returncode, "err": err}))
"""


@dataclass
class Run:
    wall: float
    peak_mb: float


@dataclass
class Target:
    ratio: float | None = None  # wall time / the floor's, at most
    wall: float | None = None  # seconds, at most
    peak_mb: float | None = None  # MB, at most
    note: str = ""


@dataclass
class Command:
    key: str
    label: str
    argv: list[str]
    target: Target | None = None
    ok: tuple[int, ...] = (0,)
    runs: list[Run] = field(default_factory=list)
    output: Path | None = None  # what the first counted run printed

    def median(self) -> Run:
        return Run(
            statistics.median(r.wall for r in self.runs),
            statistics.median(r.peak_mb for r in self.runs),
        )


@dataclass
class Verdict:
    case: str
    what: str
    figure: str
    target: str
    ok: bool | None  # None: not measured


VERDICTS: list[Verdict] = []


def run(cmd: list[str], ok: tuple[int, ...], out: Path | None = None) -> Run:
    """Run ``cmd`` as a child of a small measuring process (see _MEASURE); its wall
    time and peak RSS. Its output goes to ``out`` (default: nowhere)."""
    measured = subprocess.run(
        [PY, "-S", "-c", _MEASURE, str(out or os.devnull), *cmd],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result = json.loads(measured.stdout)
    if result["rc"] not in ok:
        raise SystemExit(f"command failed ({result['rc']}): {' '.join(cmd)}\n{result['err']}")
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    peak = result["peak"] / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(result["wall"], peak)


def measure(floor: Command, commands: list[Command], runs: int, tmp: Path) -> None:
    """The floor once uncounted (page cache), then ``runs`` rounds of the floor and every
    command; the first round keeps each one's output in ``tmp``."""
    run(floor.argv, floor.ok)
    for r in range(runs):
        for cmd in [floor, *commands]:
            out = tmp / f"{cmd.key}.out" if r == 0 else None
            cmd.runs.append(run(cmd.argv, cmd.ok, out))
            if out is not None:
                cmd.output = out


def ratios(cmd: Command, base: Command) -> list[float]:
    """Wall time over the base's, round by round."""
    return [a.wall / b.wall for a, b in zip(cmd.runs, base.runs, strict=True)]


def ratio(cmd: Command, base: Command) -> float:
    return statistics.median(ratios(cmd, base))


def secs(wall: float) -> str:
    return f"{wall:.3f}" if wall < 1 else f"{wall:.2f}"


def fmt_target(t: Target) -> str:
    parts = []
    if t.ratio is not None:
        parts.append(f"<= {t.ratio:g}x")
    if t.wall is not None:
        parts.append(f"<= {t.wall:g} s")
    if t.peak_mb is not None:
        parts.append(f"<= {t.peak_mb:g} MB")
    return ", ".join(parts)


def report(case: str, floor: Command | None, commands: list[Command]) -> None:
    """One table: median wall time, peak RSS, ratio to the floor, target and verdict."""
    print(f"{'command':<46}{'wall s':>8}{'peak MB':>9}{'x floor':>9}{'min-max':>13}  target")
    for cmd in [floor, *commands] if floor is not None else commands:
        med = cmd.median()
        x, xs, spread = None, "-", "-"
        if floor is not None:
            each = ratios(cmd, floor)
            x = statistics.median(each)
            xs, spread = f"{x:.2f}", f"{min(each):.2f}-{max(each):.2f}"
        line = f"{cmd.label:<46}{secs(med.wall):>8}{med.peak_mb:>9.0f}{xs:>9}{spread:>13}"
        t = cmd.target
        if t is None:
            print(line)
            continue
        ok = (
            (t.ratio is None or (x is not None and x <= t.ratio))
            and (t.wall is None or med.wall <= t.wall)
            and (t.peak_mb is None or med.peak_mb <= t.peak_mb)
        )
        verdict = "ok" if ok else "MISSED"
        print(f"{line}  {fmt_target(t)}  {verdict}")
        figure = f"{secs(med.wall)} s, {med.peak_mb:.0f} MB"
        if t.ratio is not None and x is not None:
            figure = f"{x:.2f}x, {figure}"
        what = cmd.label + (f" ({t.note})" if t.note else "")
        VERDICTS.append(Verdict(case, what, figure, fmt_target(t), ok))


def header(case: str, path: Path | None, shape: str, runs: int) -> None:
    load = os.getloadavg()[0]
    size = f", {path.stat().st_size / 1e6:,.0f} MB" if path is not None else ""
    name = path.name if path is not None else "data/sample"
    print(
        f"\n== {case}: {name}{size}, {shape}; {runs} runs each, medians "
        f"(load average {load:.1f}) =="
    )


def ensure(path: Path, *args: str) -> None:
    if path.exists():
        return
    print(f"generating {path.relative_to(ROOT)} ...", flush=True)
    start = time.perf_counter()
    gen = [PY, str(ROOT / "benchmarks" / "make_bench_data.py"), str(path), *args]
    subprocess.run(gen, check=True)
    print(f"  ({time.perf_counter() - start:.0f} s)", flush=True)


def has_duckdb() -> bool:
    return importlib.util.find_spec("duckdb") is not None


def load_json(cmd: Command) -> Any:
    """What the command printed in the first round, parsed."""
    assert cmd.output is not None
    return json.loads(cmd.output.read_text())


def check(what: str, ok: bool, detail: str = "") -> None:
    """One check of what was measured: same counts, the headline meant, ..."""
    print(f"check: {what}: {'ok' if ok else 'FAILED'}{' (' + detail + ')' if detail else ''}")
    if not ok:
        VERDICTS.append(Verdict("check", what, detail, "as stated", False))


def same_counts(cmd: Command, floor: Command, left_out: tuple[str, ...] = ()) -> None:
    """cxgap's per-(item, code) counts of the customers (items[].customers.distribution
    in its JSON) equal the floor's, for every item but those ``left_out``."""
    counts: dict[str, list[int]] = load_json(floor)
    expected = {k: v for k, v in counts.items() if k not in left_out}
    found = {
        item["item"]: item["groups"]["customers"]["distribution"]
        for item in load_json(cmd)["items"]
    }
    wrong = [k for k in expected if k in found and found[k] != expected[k]]
    missing = [k for k in expected if k not in found]
    extra = [k for k in found if k not in expected]
    detail = f"{len(found)} items; {len(wrong)} differ, {len(missing)} missing, {len(extra)} extra"
    check(f"{cmd.label}: same counts as the floor", not (wrong or missing), detail)


def headline_is(cmd: Command, source: str) -> None:
    headline = load_json(cmd)["headline"]
    found = headline.get("source")
    check(f"{cmd.label}: {source} headline", found == source, f"headline {found}")


# -- the cases ---------------------------------------------------------------------------


def case_sample(runs: int, tmp: Path) -> None:
    cfg = str(SAMPLE / "cxgap.toml")
    pair = [str(LEADERS), str(SAMPLE / "customers.csv"), "-c", cfg]
    reference = Command(
        "python", "python -c 'import polars' (reference)", [PY, "-c", "import polars"]
    )
    commands = [
        reference,
        Command("help", "cxgap --help", [CXGAP, "--help"], Target(wall=0.1)),
        Command(
            "analyze",
            "cxgap analyze (JSON)",
            [CXGAP, "analyze", *pair, "--format", "json", "-o", "-"],
            Target(wall=0.4),
        ),
        Command(
            "deck",
            "cxgap deck",
            [CXGAP, "deck", *pair, "-o", str(tmp / "deck.pptx")],
            Target(wall=3.0),
        ),
        Command(
            "report",
            "cxgap report",
            [CXGAP, "report", *pair, "-o", str(tmp / "report.html")],
            Target(wall=3.0),
        ),
    ]
    run(reference.argv, reference.ok)
    for r in range(runs):
        for cmd in commands:
            out = tmp / f"{cmd.key}.out" if r == 0 else None
            cmd.runs.append(run(cmd.argv, cmd.ok, out))
            cmd.output = cmd.output or out
    header("sample", None, "whole process", runs)
    report("sample", None, commands)
    check(
        "deck and report written",
        all((tmp / f).stat().st_size > 0 for f in ("deck.pptx", "report.html")),
    )


def case_wide(runs: int, tmp: Path) -> None:
    ensure(WIDE, "--wide", "1000", "--rows", "1000")
    floor = Command(
        "floor", "polars lazy scan, unpivot counts (floor)", [PY, "-c", _WIDE_FLOOR, str(WIDE)]
    )
    about = Target(wall=1.25, peak_mb=300, note="about a second: <= 1.25 s")
    commands = [
        Command(
            "analyze",
            "cxgap analyze",
            [CXGAP, "analyze", str(WIDE), str(WIDE), "--format", "json", "-o", "-"],
            about,
        ),
        Command(
            "validate",
            "cxgap validate",
            [CXGAP, "validate", str(WIDE), "--format", "json", "-o", "-"],
            about,
            (0, 1),
        ),
    ]
    measure(floor, commands, runs, tmp)
    header("wide", WIDE, "1,000 item columns x 1,000 rows (SurveyMonkey layout)", runs)
    report("wide", floor, commands)


def case_mixed(runs: int, tmp: Path) -> None:
    ensure(MIXED, "--mixed", "1000", "--rows", "10000")
    columns = data.mixed_columns()
    items = [name for name, kind in columns if kind == "item"]
    floor = Command(
        "floor",
        "polars streaming sums (floor)",
        [PY, str(FLOORS), "polars", str(MIXED), "--items", ",".join(items), "--codes", CODES],
    )
    analyze = Command(
        "analyze",
        "cxgap analyze (the file as both groups)",
        [CXGAP, "analyze", str(MIXED), str(MIXED), "--format", "json", "-o", "-"],
        Target(ratio=2.0, peak_mb=300),
    )
    measure(floor, [analyze], runs, tmp)
    header(
        "mixed", MIXED, f"{len(columns):,} columns ({len(items)} Likert items) x 10,000 rows", runs
    )
    report("mixed", floor, [analyze])
    same_counts(analyze, floor)


def case_long(runs: int, tmp: Path, rows: int) -> None:
    ensure(LONG, "--rows", str(rows))
    items = ",".join(data.ITEMS)
    within = Target(ratio=1.3, peak_mb=450)
    floor = Command(
        "floor",
        "polars streaming sums (floor)",
        [PY, str(FLOORS), "polars", str(LONG), "--items", items, "--codes", CODES],
    )
    read_csv = Command(
        "read_csv", "polars.read_csv, bare (reference)", [PY, str(FLOORS), "read_csv", str(LONG)]
    )
    duck = Command(
        "duckdb",
        "DuckDB SQL sums (reference)",
        [PY, str(FLOORS), "duckdb", str(LONG), "--items", items, "--codes", CODES],
    )
    # the file has a weight column: the floor's counts are unweighted, so are these runs
    cli = [CXGAP, "analyze", str(LEADERS), str(LONG), "--format", "json", "-o", "-",
           "--weights", "none"]  # fmt: skip
    analyze = Command("analyze", "cxgap analyze (headline item)", cli, within)
    weighted = Command(
        "weighted",
        "cxgap analyze --weights weight --by region",
        [*cli[:-2], "--weights", "weight", "--by", "region"],
        Target(None, None, 600, "weighted, by region: <= 1.5x analyze"),
    )
    composite = Command(
        "composite",
        "cxgap analyze --exclude overall_strong_cx",
        [*cli, "--exclude", "overall_strong_cx"],
        Target(1.3, None, 450, "composite headline"),
    )
    importance_cli = Command(
        "importance_cli",
        "cxgap analyze --importance",
        [*cli, "--importance"],
        Target(1.3, None, 450, "derived importance, the command"),
    )
    importance = Command(
        "importance",
        "cxgap.analyze(importance=True), own process",
        [PY, "-c", _IMPORTANCE, str(LEADERS), str(LONG)],
        Target(1.3, None, 450, "derived importance"),
    )
    quadrant = Command(
        "quadrant",
        "cxgap chart quadrant (importance + 1 chart)",
        [
            CXGAP,
            "chart",
            "quadrant",
            str(LEADERS),
            str(LONG),
            "-o",
            str(tmp / "quadrant.svg"),
            "--weights",
            "none",
        ],
        # matplotlib's import and the drawing cost about 0.5 s of their own: a reference
        Target(None, None, 450, "importance via the CLI, and a chart"),
    )

    commands = [read_csv, analyze, weighted, composite, importance_cli, importance, quadrant]
    if has_duckdb():
        commands.insert(1, duck)
    measure(floor, commands, runs, tmp)
    header("long", LONG, f"{rows:,} rows, {len(data.ITEMS)} items, integer codes", runs)
    report("long", floor, commands)
    duckdb_verdict("long", analyze, duck if has_duckdb() else None)
    x = ratio(weighted, analyze)
    verdict = "ok" if x <= 1.5 else "MISSED"
    print(f"{weighted.label} / {analyze.label}: {x:.2f} (target <= 1.5) {verdict}")
    what = "weighted --by region / analyze"
    VERDICTS.append(Verdict("long", what, f"{x:.2f}x", "<= 1.5x", x <= 1.5))
    found = load_json(weighted)
    weighed = found["headline"]["groups"]["customers"]["weighted"] is not None
    by_region = [s["column"] for s in found["segments"]] == ["region"]
    check("weighted run: customers weighted, a table by region", weighed and by_region)
    same_counts(analyze, floor)
    same_counts(composite, floor, left_out=("overall_strong_cx",))
    same_counts(importance_cli, floor)
    same_counts(importance, floor)
    if has_duckdb():
        check("DuckDB: same counts as the floor", load_json(duck) == load_json(floor))
    headline_is(analyze, "item")
    headline_is(composite, "composite")
    for cmd, who in ((importance_cli, "command"), (importance, "API")):
        weights = [i.get("importance") for i in load_json(cmd)["items"]]
        computed = all(w is not None for w in weights)
        check(f"{who}: importance computed", computed, f"{len(weights)} items")
    check("chart quadrant written", (tmp / "quadrant.svg").stat().st_size > 0)


def duckdb_verdict(case: str, cmd: Command, duck: Command | None) -> None:
    what = f"{cmd.label} / DuckDB"
    if duck is None:
        print("DuckDB: not installed, skipped (pip install duckdb, or pip install -e '.[bench]')")
        VERDICTS.append(Verdict(case, what, "not measured", "< 1 (faster)", None))
        return
    x = ratio(cmd, duck)
    print(f"{what}: {x:.2f} (target < 1: faster than DuckDB) {'ok' if x < 1 else 'MISSED'}")
    VERDICTS.append(Verdict(case, what, f"{x:.2f}x", "< 1x (faster)", x < 1))


def case_labels(runs: int, tmp: Path, rows: int) -> None:
    ensure(LABELS, "--rows", str(rows), "--labels")
    items = ",".join(data.ITEMS)
    labels = ",".join(data.LABELS)
    floor = Command(
        "floor",
        "polars streaming sums over labels (floor)",
        [PY, str(FLOORS), "polars", str(LABELS), "--items", items, "--labels", labels],
    )
    duck = Command(
        "duckdb",
        "DuckDB SQL sums over labels (reference)",
        [PY, str(FLOORS), "duckdb", str(LABELS), "--items", items, "--labels", labels],
    )
    analyze = Command(
        "analyze",
        "cxgap analyze (headline item)",
        [
            CXGAP,
            "analyze",
            str(LEADERS),
            str(LABELS),
            "--format",
            "json",
            "-o",
            "-",
            "--weights",
            "none",
        ],
        Target(ratio=1.6, peak_mb=600),
    )
    commands = [duck, analyze] if has_duckdb() else [analyze]
    measure(floor, commands, runs, tmp)
    header("labels", LABELS, f"{rows:,} rows, {len(data.ITEMS)} items, text labels", runs)
    report("labels", floor, commands)
    if has_duckdb():
        print(f"{analyze.label} / DuckDB: {ratio(analyze, duck):.2f} (for reference)")
    same_counts(analyze, floor)


def summary(elapsed: float) -> None:
    print("\n== targets ==")
    for v in VERDICTS:
        mark = {True: "ok", False: "MISSED", None: "skipped"}[v.ok]
        print(f"{mark:<7} {v.case:<7} {v.what}: {v.figure} (target {v.target})")
    missed = sum(v.ok is False for v in VERDICTS)
    met = sum(v.ok is True for v in VERDICTS)
    print(
        f"{met} met, {missed} missed; the whole run took {int(elapsed // 60)} min "
        f"{elapsed % 60:.0f} s"
    )


CASES: dict[str, Callable[[argparse.Namespace, Path], None]] = {
    "sample": lambda a, tmp: case_sample(a.runs or 5, tmp),
    "wide": lambda a, tmp: case_wide(a.runs or 5, tmp),
    "mixed": lambda a, tmp: case_mixed(a.runs or 5, tmp),
    "long": lambda a, tmp: case_long(a.runs or 3, tmp, a.rows),
    "labels": lambda a, tmp: case_labels(a.runs or 3, tmp, a.rows),
}


def byte_compiled() -> None:
    """Byte-compile cxgap's modules (into their __pycache__), as installing it does."""
    spec = importlib.util.find_spec("cxgap")
    assert spec is not None and spec.origin is not None
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    package = str(Path(spec.origin).parent)
    subprocess.run([PY, "-m", "compileall", "-q", package], check=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help="runs of each command (default: 3 for long and labels, else 5)",
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=10_000_000,
        help="rows of the long exports when they are generated",
    )
    parser.add_argument(
        "--case",
        action="append",
        choices=[*CASES, "all"],
        help="run this case (repeatable; default: all)",
    )
    args = parser.parse_args()
    byte_compiled()
    chosen = list(CASES) if not args.case or "all" in args.case else args.case
    start = time.perf_counter()
    print(f"cxgap bench: {', '.join(chosen)}; {os.cpu_count()} CPUs")
    for name in chosen:
        with tempfile.TemporaryDirectory(prefix=f"cxgap-bench-{name}-") as tmp:
            CASES[name](args, Path(tmp))
    summary(time.perf_counter() - start)


if __name__ == "__main__":
    main()
