"""Quotes the CSV reader cannot read past: analyze, counts and validate name the same
problem (file, line, column, what was expected) with one catalogue kind, in text, in
JSON and for a UTF-16 copy; polars' own parser text never reaches the user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cxgap.cli import app
from cxgap.io.csv import CsvSurvey
from cxgap.io.fields import _ill_formed, _well_formed

runner = CliRunner()
HEADER = "id,q1,q2,q3\n"
LEADERS = HEADER + "".join(
    f"l{i},{1 + i % 5},{1 + (i * 2) % 5},{1 + (i * 3) % 5}\n" for i in range(12)
)
ROWS = [f"c{i},{1 + i % 5},{1 + i * 3 % 5},{1 + i * 2 % 5}\n" for i in range(12)]


def _files(tmp_path: Path, line: str, at: int = 3, encoding: str = "utf-8") -> tuple[Path, Path]:
    """The leaders' file and a customers' file with ``line`` as its line ``at`` (from 1)."""
    leaders, customers = tmp_path / "leaders.csv", tmp_path / "customers.csv"
    leaders.write_text(LEADERS)
    rows = list(ROWS)
    rows.insert(at - 2, line)
    customers.write_bytes((HEADER + "".join(rows)).encode(encoding))
    return leaders, customers


def _run(*args: str) -> tuple[int, str, str]:
    out = runner.invoke(app, list(args))
    return out.exit_code, out.stdout, out.stderr


def _all_commands(
    leaders: Path, customers: Path, tmp_path: Path
) -> tuple[list[str], dict[str, object]]:
    """The error lines of analyze and counts, and validate's one error as JSON; each
    command's JSON error agrees with validate's problem on code, line and column."""
    lines = []
    for command in (["analyze"], ["counts", "-o", str(tmp_path / "c.parquet")]):
        code, out, err = _run(*command, str(leaders), str(customers))
        assert code == 2 and out == "", (command, err)
        assert "could not parse" not in err and "`" not in err and "malformed" not in err
        lines.append(err.strip())
    code, out, _ = _run("validate", str(leaders), str(customers), "-f", "json")
    assert code == 1
    errors = [p for p in json.loads(out)["problems"] if p["severity"] == "error"]
    assert len(errors) == 1, errors
    problem = errors[0]
    code, _, err = _run("analyze", str(leaders), str(customers), "-f", "json")
    raised = json.loads(err)
    assert code == 2 and raised["code"] == problem["code"] and raised["column"] == problem["column"]
    assert [raised["row"]] == [e["row"] for e in problem["examples"]]
    assert problem["message"] == f"{raised['message']} ({raised['hint']})"  # the same words
    assert lines[0] == lines[1]  # analyze and counts: the same line
    return lines, problem


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_quote_that_never_closes_is_named_with_its_line_and_column(
    tmp_path: Path, encoding: str
) -> None:
    # polars said: cannot read: could not parse `"4,2,... [unreadable], with no line;
    # validate said ragged-row: analyze and validate now say the same, at the quote
    leaders, customers = _files(tmp_path, 'cx,"4,2,3\n', at=5, encoding=encoding)
    lines, problem = _all_commands(leaders, customers, tmp_path)
    assert lines[0].startswith(f"cxgap: error: {customers}, line 5, column 'q1': ")
    assert "a quote opened at line 5 in column 'q1' never closes" in lines[0]
    assert "expected a closing quote before the end of the line" in lines[0]
    assert lines[0].endswith("[unclosed-quote]")
    assert (problem["code"], problem["file"], problem["column"]) == (
        "unclosed-quote",
        str(customers),
        "q1",
    )
    table = _run("validate", str(leaders), str(customers), "--format", "table")[1]
    assert "(first: line 5)" in table and "(first: row 5)" not in table  # a line of the file


def test_a_quote_that_closes_lines_later_names_both_lines(tmp_path: Path) -> None:
    leaders, customers = _files(tmp_path, 'cx,"4,2,3\ncy,"5,1,2\n', at=4)
    lines, _ = _all_commands(leaders, customers, tmp_path)
    assert f"{customers}, line 4, column 'q1': " in lines[0] and "[unclosed-quote]" in lines[0]
    assert "closes only at line 5, so lines 4-5 run together as one answer" in lines[0]
    assert "expected a closing quote before the end of line 4" in lines[0]


def test_a_lone_quote_inside_a_field_says_what_csv_reads(tmp_path: Path) -> None:
    # It was "3 field(s) where the header has 4" on a line that has 4: the quote ran on
    leaders, customers = _files(tmp_path, 'cx,Agree "really,2,3\n', at=6)
    lines, _ = _all_commands(leaders, customers, tmp_path)
    assert f"{customers}, line 6, column 'q1': " in lines[0] and "[stray-quote]" in lines[0]
    assert "line 6 has 4 field(s) as CSV reads it" in lines[0]
    assert "RFC 4180 allows a quote only in a field enclosed in quotes" in lines[0]
    assert '"Agree ""really"' in lines[0]  # the field as it should be written
    assert "field(s) where the header has" not in lines[0]


def test_text_after_a_closing_quote_is_named(tmp_path: Path) -> None:
    leaders, customers = _files(tmp_path, 'cx,"4"x,2,3\n', at=3)
    lines, _ = _all_commands(leaders, customers, tmp_path)
    assert f"{customers}, line 3, column 'q1': text after the closing quote" in lines[0]
    assert lines[0].endswith("[stray-quote]")


def test_quotes_inside_a_field_are_named_even_when_they_pair_up(tmp_path: Path) -> None:
    # The field scan paired the two quotes across the comma (4 fields, not ragged) where
    # CSV reads 5; polars reads it or fails, query by query: RFC 4180 allows neither quote
    leaders, customers = _files(tmp_path, 'cx,4,say "yes,maybe" now\n', at=3)
    lines, _ = _all_commands(leaders, customers, tmp_path)
    assert f"{customers}, line 3, column 'q2': " in lines[0] and "[stray-quote]" in lines[0]
    assert "line 3 has 4 field(s) as CSV reads it" in lines[0]


def test_a_parse_failure_nothing_explains_is_not_polars_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CsvSurvey, "diagnose", lambda self, reason: None)
    leaders, customers = _files(tmp_path, 'cx,"4,2,3\n', at=5)
    code, _, err = _run("analyze", str(leaders), str(customers))
    assert code == 2 and "[unreadable]" in err and "not valid CSV" in err
    assert "`" not in err and "could not parse" not in err


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([b",", b"a", b"\n", b'"', b"\r", b"\x00", b"\xef\xbb\xbf"])).map(
        b"".join
    ),
    st.booleans(),
)
def test_the_quick_check_of_a_blocks_quotes_is_the_exact_pattern(data: bytes, first: bool) -> None:
    # The field scan counts a block by toggling on every quote only when this check says
    # every quote is well formed; the check works on bytes methods, the pattern is exact.
    exact = b'"' in _well_formed(b",", first).sub(b"", data)
    assert _ill_formed(data, b",", first) == exact


def test_quotes_that_pair_up_inside_a_field_are_read_as_written(tmp_path: Path) -> None:
    # free text as people type it (12" pizza); polars reads it as written, and so does
    # cxgap: only a lone quote or a pair around a separator stops the reader
    header = "id,comment,q1\n"
    rows = [f'{i},12" pizza and 6" sub {i},{1 + i % 5}\n' for i in range(12)]
    path = tmp_path / "typed.csv"
    path.write_text(header + "".join(rows))
    code, out, err = _run("analyze", str(path), str(path), "-f", "json")
    assert code == 0, err
    (item,) = json.loads(out)["items"]
    expected = sum(1 + i % 5 >= 4 for i in range(12))
    assert (item["groups"]["customers"]["n"], item["groups"]["customers"]["agree"]) == (
        12, expected)  # fmt: skip
    code, out, _ = _run("validate", str(path), "-f", "json")
    assert code == 0 and not [p for p in json.loads(out)["problems"] if p["severity"] == "error"]
