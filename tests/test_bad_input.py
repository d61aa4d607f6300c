"""Bad input gets the same verdict from analyze and validate: header-only files, group
values that match no row, ragged lines, files with no item."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import ROOT
from typer.testing import CliRunner

from cxgap import analyze
from cxgap.cli import app
from cxgap.config import Config
from cxgap.errors import HeaderOnly, RaggedRow, UnknownGroupValue
from cxgap.io.fields import scan_fields

runner = CliRunner()
HEADER = "respondent_id,q1,q2,q3\n"
GOOD = HEADER + "r1,4,5,3\nr2,2,4,4\nr3,5,5,5\n"


def _cli(*args: str) -> tuple[int, str, str]:
    out = runner.invoke(app, list(args))
    return out.exit_code, out.stdout, out.stderr


# -- a file with a header and no responses ------------------------------------------------


@pytest.mark.parametrize("empty_is", ["customers", "leaders"])
def test_header_only_file_stops_analyze_naming_the_file(tmp_path: Path, empty_is: str) -> None:
    good, empty = tmp_path / "good.csv", tmp_path / "empty.csv"
    good.write_text(GOOD)
    empty.write_text(HEADER)
    files = [good, empty] if empty_is == "customers" else [empty, good]
    with pytest.raises(HeaderOnly) as caught:
        analyze(*files)
    assert caught.value.file == str(empty) and caught.value.code == "header-only"
    code, out, err = _cli("analyze", *map(str, files))
    assert code == 2 and out == ""
    assert f"{empty}: the file has a header but no responses" in err
    code, _, _ = _cli("validate", *map(str, files))
    assert code == 1  # validate agrees: an error


def test_a_stray_quote_is_named_at_its_line_not_called_header_only(tmp_path: Path) -> None:
    """polars returns no rows from the head of a CSV with a stray quote and then fails
    as "CSV malformed"; that file has responses, and the field scan finds the line."""
    path = tmp_path / "stray.csv"
    path.write_text('a,b,c\n1,2,3\n1,12" pizza,3\n4,5,6\n7,"x""y",9\n8,9,10\n')
    code, _, err = _cli("analyze", str(path), str(path))
    assert code == 2 and "header but no responses" not in err
    assert f"{path}, line 3, column 'b': " in err and "[stray-quote]" in err
    # the line's fields as CSV reads them (3, as the header), and the fix spelt out
    assert "line 3 has 3 field(s) as CSV reads it" in err and '"12"" pizza"' in err


# -- a group value that matches no row ----------------------------------------------------

BOTH = "role,q,r\nLeader,5,4\nLeader,4,4\nCustomer,1,5\nCustomer,2,1\nCustomer,,3\n"


def test_customers_value_matching_no_row_names_file_column_and_values(tmp_path: Path) -> None:
    both = tmp_path / "both.csv"
    both.write_text(BOTH)
    cfg = Config(group_column="role", leaders_values=["Leader"], customers_values=["customer"])
    with pytest.raises(UnknownGroupValue) as caught:
        analyze(both, both, cfg)
    err = caught.value
    assert err.file == str(both) and err.column == "role"
    assert "no row has customer value(s) 'customer'" in err.message
    assert "'Customer' (3x), 'Leader' (2x)" in err.message
    assert err.hint is not None and "did you mean 'Customer'" in err.hint
    split = ["--group-column", "role", "--leaders-value", "Leader"]
    code, out, stderr = _cli("analyze", str(both), *split, "--customers-value", "Custmer")
    assert code == 2 and out == ""
    assert f"{both}, column 'role': no row has customer value(s) 'Custmer'" in stderr
    assert "did you mean 'Customer'" in stderr


def test_validate_checks_the_split_the_config_asks_for(tmp_path: Path) -> None:
    both = tmp_path / "both.csv"
    both.write_text(BOTH)
    config = tmp_path / "cxgap.toml"
    config.write_text('group_column = "role"\nleaders_values = ["Leader"]\n'
                      'customers_values = ["Customers"]\n')  # fmt: skip
    code, out, _ = _cli("validate", str(both), "--config", str(config), "--format", "json")
    assert code == 1
    errors = [p for p in json.loads(out)["problems"] if p["severity"] == "error"]
    assert [(p["code"], p["file"], p["column"]) for p in errors] == [
        ("unknown-group-value", str(both), "role")
    ]
    assert "did you mean 'Customer'" in errors[0]["message"]


def test_leaders_value_matching_no_row_is_an_error_too(tmp_path: Path) -> None:
    both = tmp_path / "both.csv"
    both.write_text(BOTH)
    cfg = Config(group_column="role", leaders_values=["Boss"], customers_values=["Customer"])
    with pytest.raises(UnknownGroupValue, match="no row has leader value"):
        analyze(both, both, cfg)


# -- ragged lines -------------------------------------------------------------------------


def test_field_scan_counts_quoted_separators_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(
        b"a,b,c\n"  # line 1
        b'1,"x, y",3\n'  # 2: a quoted comma is no separator
        b'"multi\nline, text",2,3\n'  # 3-4: a quoted newline starts no record
        b"4,5\n"  # 5: short
        b'"say ""hi"", ok",5,6,7\n'  # 6: escaped quotes; long
        b"\n"  # 7: blank, skipped
        b"8,9,10"  # 8: no final newline
    )
    found = scan_fields(path, ",")
    assert (found.expected, found.ragged, found.lines) == (3, 2, [(5, 2), (6, 4)])
    for chunk in (1, 2, 3, 5, 7):  # records split across reads give the same answer
        assert scan_fields(path, ",", chunk=chunk).lines == [(5, 2), (6, 4)]


_BOM = b"\xef\xbb\xbf"


def _fields_byte_by_byte(data: bytes) -> tuple[int, list[tuple[int, int]], tuple[object, ...]]:
    """The reference, each byte in turn, as RFC 4180 reads leniently: a quote opens a
    quoted field only at a field's start (after the file's byte-order mark too); in it a
    doubled quote is text and a single one closes it; elsewhere a quote is text. A
    newline outside quotes ends a record; a record of nothing (or a lone CR) is blank.
    The first quote the reader cannot read past stops the reading: a quoted field never
    closed, text after a closing quote (but a CR before the line end), a quote inside a
    field that is not in quotes (at the end of its record), unless the quotes of each such
    field pair up and the record has the header's field count. Returns
    the header's fields, the ragged records and the problem: (kind, line, field, closes)."""
    records: list[tuple[int, int]] = []  # (line, fields) of the records that are not blank
    line = start = fields = 1
    state, text = "start", b""
    stray: tuple[int, int] | None = None
    loose, odd = 0, False  # quotes in this field not in quotes; a field with an odd number
    opened = index = 0  # the quoted field's line and index
    breaks = False
    problem: tuple[object, ...] = ()
    for k, byte in enumerate([*data, None]):  # None: the end of the file
        if state == "quoted":
            if byte is None:
                problem = ("unclosed", opened, index, 0)
                break
            text += bytes([byte])
            if byte == ord("\n"):
                line, breaks = line + 1, True
            elif byte == ord('"'):
                state = "quote?"
            continue
        if state == "quote?":  # after a quote in a quoted field
            if byte == ord('"'):
                state = "quoted"
                text += b'"'
                continue
            state = "closed"
        if state in ("closed", "closed-cr"):
            if byte == ord("\r") and state == "closed":
                state = "closed-cr"
                text += b"\r"
                continue
            if (
                byte is not None
                and byte != ord("\n")
                and (byte != ord(",") or state == "closed-cr")
            ):
                problem = (
                    ("unclosed", opened, index, line) if breaks else ("after", opened, index, 0)
                )
                break
            state = "plain"
        if byte is None or byte == ord("\n"):
            odd = odd or loose % 2 == 1
            if stray is not None and (odd or (records and fields != records[0][1])):
                problem = ("stray", *stray, 0)
                break
            if text not in (b"", b"\r"):
                records.append((start, fields))
            if byte is None:
                break
            line += 1
            start, fields, text, stray, state = line, 1, b"", None, "start"
            loose, odd = 0, False
            continue
        text += bytes([byte])
        if k < 3 and data.startswith(_BOM):
            continue  # the byte-order mark: still the first field's start
        if byte == ord(","):
            fields, state = fields + 1, "start"
            odd, loose = odd or loose % 2 == 1, 0
        elif byte == ord('"') and state == "start":
            state, opened, index, breaks = "quoted", line, fields - 1, False
        else:
            if byte == ord('"'):
                stray = stray or (line, fields - 1)
                loose += 1
            state = "plain"
    expected = records[0][1] if records else 0
    return expected, [r for r in records if r[1] != expected], problem


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([b",", b"a", b"1", b"\n", b'"', b"\r", b" ", b"\xef\xbb\xbf"])).map(
        b"".join
    ),
    st.sampled_from([1, 3, 7, 1 << 24]),
)
def test_field_scan_agrees_with_a_byte_by_byte_reading(data: bytes, chunk: int) -> None:
    # Every way the scan takes (a block proved regular at once, records compared one by
    # one, lines read one by one, fields read one by one after an ill-formed quote) and
    # every read size give the reference's answer.
    path = Path(tempfile.mkdtemp()) / "f.csv"
    path.write_bytes(data)
    found = scan_fields(path, ",", chunk=chunk)
    expected, ragged, problem = _fields_byte_by_byte(data)
    assert (found.expected, found.ragged, found.lines) == (expected, len(ragged), ragged)
    q = found.quote
    assert (() if q is None else (q.kind, q.line, q.field, q.closes)) == problem


def test_trailing_delimiter_on_every_line_is_not_ragged(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_text("respondent_id,q1,q2,\nr1,4,5,\nr2,2,,\r\nr3,5,5,\n")
    assert scan_fields(path, ",").ragged == 0
    result = analyze(path, path)
    assert {"q1", "q2"} <= {i.item for i in result.items}
    assert result.group("customers").rows == 3


@pytest.mark.parametrize(("line", "fields"), [("r3,5,5", 3), ("r3,5,5,5,1", 5), ("r3,5", 2)])
def test_ragged_line_stops_analyze_with_line_and_field_counts(
    tmp_path: Path, line: str, fields: int
) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD)
    bad.write_text(HEADER + 'r1,4,5,3\n"r\n2",2,4,4\n' + line + "\nr4,1,1,1\n")
    with pytest.raises(RaggedRow) as caught:
        analyze(good, bad)
    err = caught.value
    assert (err.file, err.row, err.code) == (str(bad), 5, "ragged-row")
    assert err.message == f"{fields} field(s) where the header has 4"
    code, out, stderr = _cli("analyze", str(good), str(bad))
    assert code == 2 and out == ""
    assert f"{bad}, line 5: {fields} field(s) where the header has 4" in stderr


@pytest.mark.parametrize("early", [True, False])
def test_short_line_found_by_the_early_scan_and_by_the_late_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, early: bool
) -> None:
    # A small file's field scan starts on a thread when it is opened; a larger one is
    # scanned only when its last column has blanks. Both find the same short line.
    import cxgap.io.csv as csv_module

    if not early:
        monkeypatch.setattr(csv_module, "EARLY_SCAN_BYTES", 0)
    started: list[bool] = []
    real = csv_module._Early.__init__

    def spy(self: object, scan: object) -> None:
        started.append(True)
        real(self, scan)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_module._Early, "__init__", spy)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD)
    bad.write_text(HEADER + "r1,4,5,3\nr2,2,4\nr3,5,5,5\n")
    with pytest.raises(RaggedRow) as caught:
        analyze(good, bad)
    assert (caught.value.file, caught.value.row) == (str(bad), 3)
    assert bool(started) is early


def test_a_failure_inside_the_early_scan_reaches_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cxgap.io.csv as csv_module

    def broken(*_: object, **__: object) -> None:
        raise PermissionError("scan refused")

    monkeypatch.setattr(csv_module, "scan_fields", broken)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD)
    bad.write_text(HEADER + "r1,4,5,3\nr2,2,4,\n")
    with pytest.raises(PermissionError, match="scan refused"):
        analyze(good, bad)


def test_ragged_semicolon_and_utf16_files(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    semi = tmp_path / "semi.csv"
    semi.write_text(GOOD.replace(",", ";") + "r4;4,0;3\n")
    with pytest.raises(RaggedRow, match="3 field"):
        analyze(good, semi)
    wide = tmp_path / "utf16.csv"
    wide.write_text(GOOD.replace(",", "\t") + "r4\t4\t3\n", encoding="utf-16")
    with pytest.raises(RaggedRow) as caught:
        analyze(good, wide)
    assert caught.value.row == 5


def test_validate_lists_every_ragged_line_grouped(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    rows = [f"r{i},1,2,3" for i in range(1, 30)]
    for k in (3, 4, 5, 20):
        rows[k] = f"r{k},1,2"  # 3 fields
    rows[10] = "r10,1,2,3,4,5"  # 6 fields
    bad.write_text(HEADER + "\n".join(rows) + "\n")
    code, out, _ = _cli("validate", str(bad), "--format", "json")
    assert code == 1
    ragged = [p for p in json.loads(out)["problems"] if p["code"] == "ragged-row"]
    assert [(p["count"], p["severity"]) for p in ragged] == [(4, "error"), (1, "error")]
    assert "lines 5-7, 22" in ragged[0]["message"] and "3 field(s)" in ragged[0]["message"]
    assert [e["row"] for e in ragged[0]["examples"]] == [5, 6, 7]
    assert "line 12" in ragged[1]["message"] and "6 field(s)" in ragged[1]["message"]


def test_no_short_line_is_proved_without_a_second_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A last column with no blank cell proves no line is short: the field scan of a file
    too big to be scanned early (see the early scan's tests) is skipped."""
    monkeypatch.setattr("cxgap.io.csv.EARLY_SCAN_BYTES", 0)
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    calls: list[Path] = []

    def spy(path: Path, separator: str, **kw: int) -> object:
        calls.append(path)
        return scan_fields(path, separator, **kw)

    monkeypatch.setattr("cxgap.io.csv.scan_fields", spy)
    analyze(good, good)
    assert calls == []
    blank = tmp_path / "blank.csv"
    blank.write_text(GOOD + "r4,1,2,\n")
    analyze(good, blank)
    assert calls == [blank]


REAL = ROOT.parent / "shared" / "real-exports"
REAL_TEXT = sorted([*REAL.glob("*/*.csv"), *REAL.glob("*/*.tsv")]) if REAL.exists() else []


@pytest.mark.skipif(not REAL_TEXT, reason="../shared/real-exports not present")
def test_no_real_export_has_a_ragged_line() -> None:
    """Trailing commas (legacy Qualtrics), CRLF records with LF inside cells, UTF-16 TSV,
    no final newline, a last record ending in an empty field: none of them is ragged."""
    from cxgap.io import open_survey

    for path in REAL_TEXT:
        survey = open_survey(path)
        found = survey.field_scan()
        assert found is not None and found.ragged == 0, (path, found.lines[:3])
        assert found.quote is None, (path, found.quote)
        assert found.expected == len(survey.parts()[0].columns), path  # before any rejoining


# -- a file in which no column is an item -------------------------------------------------


def test_validate_calls_a_file_without_items_an_error(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("respondent_id,name,comment\nr1,Ann,fine\nr2,Bob,slow service\n")
    code, out, _ = _cli("validate", str(path), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert not report["valid"]
    assert [p["code"] for p in report["problems"] if p["severity"] == "error"] == ["no-items"]


def test_off_scale_hint_does_not_suggest_the_scale_already_set(tmp_path: Path) -> None:
    from cxgap import Config, analyze
    from cxgap.errors import ScaleError

    path = tmp_path / "l.csv"
    path.write_text("respondent_id,q\n1,Strongly agree\n2,Agree\n3,Maybe\n")
    with pytest.raises(ScaleError) as set_scale:
        analyze(path, path, Config(include_items=["q"], items={"q": {"scale": "1-7"}}))
    assert "was set for this item" in str(set_scale.value.hint)
    assert 'scale = "1-7"' not in str(set_scale.value.hint)
    with pytest.raises(ScaleError) as found:
        analyze(path, path, Config(include_items=["q"]))
    assert 'items.q.scale = "1-7"' in str(found.value.hint)
