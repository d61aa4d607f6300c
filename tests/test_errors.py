"""The error catalogue: every kind can be raised, is documented, and reaches the CLI the
same way (one line, or JSON with --format json); hints that show config are valid TOML."""

from __future__ import annotations

import json
import re
import string
import tomllib
from pathlib import Path

import pytest
from tests.conftest import ROOT
from typer.testing import CliRunner

from cxgap import analyze
from cxgap.cli import app
from cxgap.config import Config
from cxgap.errors import (
    CATALOGUE,
    ConfigError,
    CxgapError,
    InputError,
    OutputError,
    ScaleError,
    UsageError,
    catalogue_markdown,
    toml_key,
)
from cxgap.io.csv import RAGGED_HINT
from cxgap.model import Example, Problem, ValidationReport
from cxgap.render.validate import problem_line, render_validation_lines

runner = CliRunner()
BASES = (UsageError, ConfigError, InputError, ScaleError, OutputError)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_catalogue_entry_can_be_raised(code: str) -> None:
    kind = CATALOGUE[code]
    assert kind.code == code and re.fullmatch(r"[a-z]+(-[a-z]+)*", code)
    assert kind.title and kind.description.endswith(".")
    details = {name: f"<{name}>" for name in _fields(kind.template)}
    details.pop("file", None), details.pop("row", None), details.pop("column", None)
    with pytest.raises(kind) as caught:
        raise kind(file="f.csv", row=3, column="q", hint="do this", **details)
    err = caught.value
    assert isinstance(err, CxgapError)
    assert str(err).startswith(f"f.csv, {kind.row_word} 3, column 'q': ")
    assert str(err).endswith(" (do this)") and "{" not in err.message
    assert err.to_dict() == {
        "code": code,
        "title": kind.title,
        "message": err.message,
        "file": "f.csv",
        "row": 3,
        "column": "q",
        "hint": "do this",
        "exit_code": kind.exit_code,
    }
    assert kind.exit_code == (3 if code == "internal" else 2)


def test_catalogue_errors_map_onto_the_five_broad_classes() -> None:
    for code, kind in CATALOGUE.items():
        if kind.severity == "error" and code not in ("error", "internal"):
            assert issubclass(kind, BASES), code
    assert {k.code for k in BASES} == {"usage", "config", "input", "off-scale", "output"}
    assert CATALOGUE["ragged-row"].__mro__[1] is InputError


def test_readme_documents_every_code_from_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- catalogue:start -->\n", 1)[1].split("<!-- catalogue:end -->", 1)[0]
    assert block == catalogue_markdown()
    for code in CATALOGUE:
        if code != "error":
            assert f"| `{code}` |" in block


def test_a_second_kind_cannot_reuse_a_code() -> None:
    with pytest.raises(TypeError, match="used twice"):

        class Again(InputError):  # pragma: no cover - the definition itself fails
            code = "ragged-row"


# -- the CLI ------------------------------------------------------------------------------


def _ragged(tmp_path: Path) -> tuple[Path, Path]:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("q1,q2\n4,5\n2,4\n")
    bad.write_text("q1,q2\n4,5\n2\n")
    return good, bad


@pytest.mark.parametrize("command", ["analyze", "trend", "check"])
def test_json_format_prints_the_error_as_json_on_stderr(tmp_path: Path, command: str) -> None:
    good, bad = _ragged(tmp_path)
    out = runner.invoke(app, [command, str(good), str(bad), "--format", "json"])
    assert out.exit_code == 2 and out.stdout == ""
    error = json.loads(out.stderr)
    assert error == {
        "code": "ragged-row",
        "title": "Ragged row",
        "message": "1 field(s) where the header has 2",
        "file": str(bad),
        "row": 3,
        "column": None,
        "hint": RAGGED_HINT,
        "exit_code": 2,
    }
    out = runner.invoke(app, [command, str(good), str(bad)])
    assert out.exit_code == 2
    assert out.stderr.startswith(f"cxgap: error: {bad}, line 3: 1 field(s) where the header")
    assert out.stderr.rstrip().endswith("[ragged-row]")


def test_json_errors_for_usage_and_internal_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, _ = _ragged(tmp_path)
    out = runner.invoke(app, ["validate", str(good), "--source", "sas", "-f", "json"])
    assert out.exit_code == 2 and json.loads(out.stderr)["code"] == "usage"
    import cxgap.analysis.run

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(cxgap.analysis.run, "analysis_for", boom)
    out = runner.invoke(app, ["analyze", str(good), str(good), "-f", "json"])
    error = json.loads(out.stderr)
    assert out.exit_code == 3 and error["code"] == "internal" and error["exit_code"] == 3
    assert error["message"] == "RuntimeError: kaput"


# -- validate's lines ---------------------------------------------------------------------


def test_validate_prints_one_line_per_problem_when_not_a_terminal(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent_id,q 1,q2\nr1,4,5\nr2,Agreee,3\nr3,2\nr4,5,5\n")
    out = runner.invoke(app, ["validate", str(bad)])  # the runner's stdout is no terminal
    assert out.exit_code == 1
    assert out.stdout.splitlines() == [
        f"{bad}:4: [ragged-row] 1 line(s) with 2 field(s) where the header has 3: line 4",
        # no item named: a stray answer leaves the column out with a warning, as in analyze
        f"{bad}:3:'q 1': [not-an-item] warning: fits the 1-5 scale except stray answers "
        "'Agreee' (1x); left out: list them in non_answers, or name the item in "
        "include_items to see each one (first: row 3: 'Agreee')",
    ]
    assert "NOT valid (1 error(s), 1 warning(s))" in out.stderr
    table = runner.invoke(app, ["validate", str(bad), "--format", "table"]).stdout
    # the terminal view: the file named once as a heading, each problem under it
    assert table.count(str(bad)) == 1


def test_problem_line_leaves_out_what_does_not_apply() -> None:
    def problem(**kw: object) -> Problem:
        base: dict[str, object] = {"code": "off-scale", "severity": "error", "file": "c.csv"}
        base.update(column="q", count=2, message="bad\nanswers")
        return Problem.model_validate({**base, **kw})

    ex = [Example(row=4, value="Agreee")]
    assert problem_line(problem(examples=ex)) == (
        "c.csv:4:q: [off-scale] bad answers (first: row 4: 'Agreee')"
    )
    assert problem_line(problem(column="q 1: why?")) == "c.csv:'q 1: why?': [off-scale] bad answers"
    assert problem_line(problem(file=None, column=None)) == "[off-scale] bad answers"
    assert problem_line(problem(severity="warning", column=None)) == (
        "c.csv: [off-scale] warning: bad answers"
    )
    report = ValidationReport(cxgap_version="x", valid=True, files=[], errors=0, warnings=0,
                              problems=[])  # fmt: skip
    assert render_validation_lines(report) == ""


# -- hints that show config must be valid TOML --------------------------------------------

NAMES = ["q1", "How likely? (0-10)", 'The "best" part', "a.b", "tab\there", "Überall"]


@pytest.mark.parametrize("name", NAMES)
def test_toml_key_round_trips(name: str) -> None:
    assert tomllib.loads(f"items.{toml_key(name)}.scale = '1-7'") == {
        "items": {name: {"scale": "1-7"}}
    }


@pytest.mark.parametrize("name", NAMES)
def test_off_scale_hint_is_valid_toml_when_copied(tmp_path: Path, name: str) -> None:
    from tests.conftest import write_table

    path = write_table(tmp_path / "x.csv", {name: ["1", "2", "9", "7"], "r": ["1"] * 4})
    with pytest.raises(ScaleError) as caught:
        analyze(path, path, Config(include_items=[name], scale="1-5"))
    hint = caught.value.hint
    assert hint is not None and "cxgap.toml: " in hint
    snippet = hint.split("cxgap.toml: ", 1)[1]
    assert tomllib.loads(snippet) == {"items": {name: {"scale": "1-7"}}}


def test_duplicates_hint_is_valid_toml_when_copied(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("respondent_id,q\nA,1\nA,2\n")
    with pytest.raises(InputError) as caught:
        analyze(path, path, Config(duplicates="error"))
    assert caught.value.code == "duplicate-id"
    snippet = re.search(r"set (duplicates = \S+)", caught.value.hint or "")
    assert snippet is not None
    assert tomllib.loads(snippet.group(1)) == {"duplicates": "keep_first"}
