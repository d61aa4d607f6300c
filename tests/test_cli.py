"""The CLI through Typer's runner: every option, golden outputs, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from tests.conftest import ROOT, Writer
from typer.testing import CliRunner

from cxgap.cli import app

runner = CliRunner()
LEADERS = "data/sample/leaders.csv"
CUSTOMERS = "data/sample/customers.csv"
CONFIG = "data/sample/cxgap.toml"
FRONTLINE = "data/sample/frontline.csv"
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("table", "txt"), ("json", "json"), ("csv", "csv"), ("markdown", "md")]
)
def test_sample_outputs_match_golden_files(fmt: str, suffix: str) -> None:
    code, out, err = invoke("analyze", LEADERS, CUSTOMERS, "--config", CONFIG, "--format", fmt)
    assert code == 0, err
    assert out == (GOLDEN / f"sample.{suffix}").read_text(encoding="utf-8")


def test_json_validates_against_published_schema() -> None:
    code, schema_text, _ = invoke("schema")
    assert code == 0
    schema = json.loads(schema_text)
    _, out, _ = invoke("analyze", LEADERS, CUSTOMERS, "-c", CONFIG, "-f", "json")
    report = json.loads(out)
    jsonschema.validate(report, schema)
    assert report["schema_version"] == 2
    item = report["items"][0]
    assert set(item) >= {"item", "label", "groups", "comparisons", "scale"}
    assert list(item["groups"]) == ["leaders", "customers"]
    assert set(item["groups"]["leaders"]) >= {"n", "missing", "agree", "share", "ci"}
    (comparison,) = item["comparisons"]
    assert set(comparison) >= {
        "a", "b", "gap", "gap_ci", "ratio", "p_value", "p_adjusted", "test", "mwu_p",
        "cohens_h", "significant", "flag",
    }  # fmt: skip
    broken = dict(report, schema_version=1)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_output_file_is_written_atomically_and_identically(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for target in (first, second):
        code, out, _ = invoke(
            "analyze", LEADERS, CUSTOMERS, "-c", CONFIG, "-f", "json", "-o", str(target)
        )
        assert code == 0 and out == ""
    assert first.read_bytes() == second.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    leaders = tmp_path / "l.csv"
    leaders.write_bytes((ROOT / LEADERS).read_bytes())
    before = leaders.read_bytes()
    code, _, err = invoke("analyze", str(leaders), CUSTOMERS, "-o", str(leaders))
    assert code == 2
    assert "over an input file" in err
    assert leaders.read_bytes() == before


def test_options_override_config() -> None:
    code, out, _ = invoke(
        "analyze",
        LEADERS,
        CUSTOMERS,
        "-c",
        CONFIG,
        "-f",
        "json",
        "--agree",
        "top-box",
        "--confidence",
        "0.9",
        "--adjust",
        "bh",
        "--min-gap-pp",
        "30",
        "--headline-item",
        "ambition_clear",
    )
    assert code == 0
    report = json.loads(out)
    s = report["settings"]
    assert (s["agree"], s["confidence"], s["adjust"], s["min_gap_pp"]) == ("top-box", 0.9, "bh", 30)
    assert report["headline"]["item"] == "ambition_clear"
    gaps = {i["item"]: i["comparisons"][0]["gap"] for i in report["items"]}
    assert all(
        gaps[name] * 100 >= 30 for name in report["findings"]["comparisons"][0]["blind_spots"]
    )
    assert (
        "basics_correct_info" not in report["findings"]["comparisons"][0]["blind_spots"]
    )  # top-box gap < 30


def test_scale_and_id_column_options(table: Writer) -> None:
    leaders = table("l.csv", {"rid": ["a", "b", "c"], "q": ["7", "6", "1"]})
    customers = table("c.csv", {"rid": ["x", "y", "z"], "q": ["1", "2", "7"]})
    code, out, err = invoke(
        "analyze",
        str(leaders),
        str(customers),
        "-f",
        "json",
        "--scale",
        "1-7",
        "--id-column",
        "rid",
    )
    assert code == 0, err
    report = json.loads(out)
    assert [i["item"] for i in report["items"]] == ["q"]
    assert report["items"][0]["scale"]["codes"] == [1, 2, 3, 4, 5, 6, 7]
    code, _, err = invoke("analyze", str(leaders), str(customers), "--id-column", "nope")
    assert code == 2 and "id_column 'nope'" in err


def test_config_found_in_pyproject(
    tmp_path: Path, table: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaders = table("l.csv", {"q": ["5", "4", "3"]})
    customers = table("c.csv", {"q": ["5", "1", "1"]})
    (tmp_path / "pyproject.toml").write_text('[tool.cxgap]\nagree = "top-box"\n')
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("analyze", str(leaders), str(customers), "-f", "json")
    assert code == 0
    assert json.loads(out)["items"][0]["groups"]["leaders"]["agree"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "missing.csv", CUSTOMERS], "missing.csv: file not found"),
        (["analyze", LEADERS, CUSTOMERS, "--agree", "most"], "agree"),
        (["analyze", LEADERS, CUSTOMERS, "--confidence", "1.5"], "confidence"),
        (["analyze", LEADERS, CUSTOMERS, "-c", "nope.toml"], "nope.toml: config file not found"),
        (["analyze", LEADERS, CUSTOMERS, "-o", "no/such/dir/out.json"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "cxgap.toml"
    bad.write_text("agree = \n")
    code, _, err = invoke("analyze", LEADERS, CUSTOMERS, "-c", str(bad))
    assert code == 2 and str(bad) in err and "not valid TOML" in err


def test_internal_error_is_exit_3_with_report_request(monkeypatch: pytest.MonkeyPatch) -> None:
    import cxgap.analysis.run

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(cxgap.analysis.run, "analysis_for", boom)
    code, _, err = invoke("analyze", LEADERS, CUSTOMERS)
    assert code == 3 and "bug in cxgap" in err and "Traceback" not in err
    code, _, err = invoke("analyze", LEADERS, CUSTOMERS, "--debug")
    assert code == 3 and "Traceback" in err


def test_usage_error_exit_code() -> None:
    code, _, _ = invoke("analyze", LEADERS)
    assert code == 2


def test_version() -> None:
    from cxgap import __version__

    code, out, _ = invoke("--version")
    assert code == 0 and out.strip() == f"cxgap {__version__}"


def test_table_honours_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, coloured, _ = invoke("analyze", LEADERS, CUSTOMERS, "-c", CONFIG)
    assert "\x1b[" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = invoke("analyze", LEADERS, CUSTOMERS, "-c", CONFIG)
    assert "\x1b[" not in plain


def _imported_modules(*args: str, codes: tuple[int, ...] = (0,)) -> set[str]:
    """The modules ``python ARGS`` imports (``-X importtime``); it must exit with one of
    ``codes``."""
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env)
    assert proc.returncode in codes, proc.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}


def test_help_imports_no_heavy_modules() -> None:
    mods = _imported_modules("-m", "cxgap", "--help")
    heavy = {
        m for m in mods if m.split(".")[0] in {"scipy", "matplotlib", "polars", "numpy", "pandas"}
    }
    assert heavy == set()


def test_analyze_imports_no_scipy() -> None:
    mods = _imported_modules(
        "-m", "cxgap", "analyze", LEADERS, CUSTOMERS, "-f", "json", "-o", os.devnull
    )
    assert "polars" in mods
    assert not {m for m in mods if m.split(".")[0] in {"scipy", "matplotlib"}}


_LAZY_IMPORT = """
import gc, cxgap
seen = []
gc.callbacks.append(lambda phase, info: seen.append(phase))
gc.collect()
before = len(seen)
{setup}
cxgap.analyze, cxgap.Config  # the first use imports polars and the models
print(len(seen) - before <= 2, gc.isenabled())  # a collection's start and stop
"""


@pytest.mark.parametrize(("setup", "enabled"), [("", True), ("gc.disable()", False)])
def test_first_use_pauses_the_collector_and_restores_it(setup: str, enabled: bool) -> None:
    """The library's first use imports with the cyclic collector paused, and leaves it on
    or off as the program had it: one collection at most, once it is back on (a hundred
    without the pause)."""
    code = _LAZY_IMPORT.format(setup=setup)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["True", str(enabled)]


_AT_EXIT = """
import atexit, gc, sys
import cxgap.cli

atexit.register(lambda: print(gc.get_freeze_count() > 0, gc.isenabled()))
sys.argv = ["cxgap", "analyze", *sys.argv[1:]]
cxgap.cli.main()
"""


@pytest.mark.parametrize(
    ("args", "code"),
    [([LEADERS, CUSTOMERS, "-f", "json", "-o", "-"], 0), ([LEADERS, "missing.csv"], 2)],
)
def test_the_command_leaves_its_objects_to_the_system_at_exit(args: list[str], code: int) -> None:
    """The command ends with its objects frozen, on success and on an error: Python's last
    collection at exit walked them all (about 60 ms of the sample's run). Exit handlers
    still run, and the output is whole."""
    proc = subprocess.run([sys.executable, "-c", _AT_EXIT, *args], capture_output=True, text=True)
    assert proc.returncode == code, proc.stderr[-2000:]
    *printed, last = proc.stdout.splitlines()
    assert last.split() == ["True", "False"]
    if code == 0:
        assert json.loads("\n".join(printed))["schema_version"] == 2


WAVES = ["data/sample/leaders*.csv", "data/sample/customers*.csv", "-c", CONFIG]
#: Every command that runs the statistics, on the sample. None may import numpy: it costs
#: about 60 ms of the 0.4 s the sample's analysis has (the kernels in stats/ take numpy
#: arrays from callers who have them, and never import it).
WITHOUT_NUMPY = {
    "headline item": ["analyze", LEADERS, CUSTOMERS, "-c", CONFIG],
    "composite headline": ["analyze", LEADERS, CUSTOMERS, "--exclude", "overall_strong_cx"],
    "waves": ["analyze", *WAVES],
    "three groups": ["analyze", LEADERS, CUSTOMERS, "--frontline", FRONTLINE, "-c", CONFIG],
    "trend": ["trend", *WAVES, "--frontline", FRONTLINE],
    "check": ["check", *WAVES],
    "validate": ["validate", LEADERS, CUSTOMERS, FRONTLINE],
    "counts": ["counts", *WAVES],
}


@pytest.mark.parametrize("command", list(WITHOUT_NUMPY))
def test_statistics_commands_import_no_numpy(command: str, tmp_path: Path) -> None:
    args = WITHOUT_NUMPY[command]
    out = tmp_path / ("counts.parquet" if args[0] == "counts" else "out.json")
    fmt = [] if args[0] == "counts" else ["--format", "json"]
    mods = _imported_modules("-m", "cxgap", *args, *fmt, "-o", str(out), codes=(0, 1))
    assert "polars" in mods and out.stat().st_size > 0  # the command ran to the end
    assert not {m for m in mods if m.split(".")[0] == "numpy"}


def test_python_api_returns_what_the_cli_prints() -> None:
    from cxgap import analyze, load_config
    from cxgap.render import render

    cfg = load_config(CONFIG)
    result = analyze(LEADERS, CUSTOMERS, cfg)
    _, out, _ = invoke("analyze", LEADERS, CUSTOMERS, "-c", CONFIG, "-f", "json")
    assert render(result, "json") == out


def test_readme_config_example_is_valid() -> None:
    import re
    import tomllib

    from cxgap.config import build_config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Configuration.*?```toml\n(.*?)```", readme, re.S)
    assert block is not None
    cfg = build_config(tomllib.loads(block.group(1)), "README.md")
    assert cfg.items["ambition"].leaders == "Q3"
    assert cfg.non_answers == ["Not relevant"]


def test_readme_python_example_runs() -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"### From Python.*?```python\n(.*?)```", readme, re.S)
    assert block is not None
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    assert namespace["result"].headline.item == "overall_strong_cx"  # type: ignore[attr-defined]


def test_output_file_gets_the_usual_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "r.md"
        code, _, _ = invoke("analyze", LEADERS, CUSTOMERS, "-f", "markdown", "-o", str(target))
    finally:
        os.umask(old)
    assert code == 0
    assert target.stat().st_mode & 0o777 == 0o644
    assert target.read_text(encoding="utf-8").startswith("# Leader-customer perception gap")


def test_help_keeps_square_brackets_and_lists_commands() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    for command in ("analyze", "trend", "check", "schema"):
        assert command in out
    _, out, _ = invoke("check", "--help")
    assert "[check] in cxgap.toml" in " ".join(out.split())
    _, out, _ = invoke("analyze", "--help")
    assert "[tool.cxgap]" in out


def test_readme_sample_output_is_the_real_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    golden = (GOLDEN / "sample.txt").read_text(encoding="utf-8").splitlines()
    block = readme.split("```\n81% of leaders", 1)[1].split("```", 1)[0]
    rows = [line for line in block.splitlines() if "n=" in line]
    assert rows
    assert all(row in golden for row in rows)


def test_output_to_a_named_pipe_or_device_keeps_it(tmp_path: Path) -> None:
    """`-o /dev/null` or a FIFO is written into, never replaced by a plain file
    (a rename over /dev/null, as root, used to turn it into a regular file)."""
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = invoke("analyze", LEADERS, CUSTOMERS, "-f", "csv", "-o", str(fifo))
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith(b"row,item,label")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temp file left
    before = Path(os.devnull).stat()
    code, _, err = invoke("analyze", LEADERS, CUSTOMERS, "-f", "json", "-o", os.devnull)
    assert code == 0, err
    after = Path(os.devnull).stat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [
        ("--confidence", "1", "--confidence: must lie strictly between 0.5 and 1"),
        ("--scale", "7-1", "--scale: scale '7-1' needs"),
        ("--min-gap-pp", "-5", "--min-gap-pp: "),
    ],
)
def test_a_bad_flag_is_named_not_blamed_on_the_config_file(
    flag: str, value: str, said: str
) -> None:
    code, _, err = invoke("analyze", LEADERS, CUSTOMERS, "-c", CONFIG, flag, value)
    assert code == 2
    assert said in err
    assert "cxgap.toml" not in err


def test_a_bad_config_value_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "cxgap.toml"
    bad.write_text("confidence = 2\n")
    code, _, err = invoke("analyze", LEADERS, CUSTOMERS, "-c", str(bad))
    assert code == 2
    assert f"{bad}: confidence: must lie strictly between" in err


def test_every_registered_renderer_renders_its_kind(sample_result: object) -> None:
    # Outputs register by (result kind, format); each one must import and render.
    from cxgap.analysis.gate import check
    from cxgap.analysis.trend import trend
    from cxgap.analysis.validation import validate
    from cxgap.config import load_config
    from cxgap.render import BINARY_FORMATS, RENDERERS, formats_of, kind_of, render, render_bytes

    cfg = load_config(CONFIG)
    waves = str(ROOT / "data/sample/leaders*.csv"), str(ROOT / "data/sample/customers*.csv")
    results = {
        "analysis": sample_result,
        "trend": trend(*waves, cfg),
        "check": check(*waves, cfg),
        "validate": validate(list(waves), cfg),
    }
    assert {kind for kind, _ in RENDERERS} == set(results)
    for (kind, fmt), _ in RENDERERS.items():
        result = results[kind]
        assert kind_of(result) == kind  # type: ignore[arg-type]
        if fmt in BINARY_FORMATS:
            assert render_bytes(result, fmt).startswith(b"PK\x03\x04")  # type: ignore[arg-type]
            with pytest.raises(ValueError, match="binary format"):
                render(result, fmt)  # type: ignore[arg-type]
            continue
        text = render(result, fmt, width=100)  # type: ignore[arg-type]
        # one line per problem: none for the sample's valid files
        assert text.strip() or (kind, fmt) == ("validate", "lines"), (kind, fmt)
    assert formats_of("check") == ["table", "json", "markdown", "junit", "xlsx"]
    with pytest.raises(ValueError, match="no 'csv' output for a check result"):
        render(results["check"], "csv")  # type: ignore[arg-type]
