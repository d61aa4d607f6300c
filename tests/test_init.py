"""cxgap init on generated exports: the exact pairing, the confidence order, the reasons
columns are left out, the written config (hostile names too) read back by analyze, and
the command's prompt, --yes and --force."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxgap import analyze
from cxgap.cli import app
from cxgap.config import load_config
from cxgap.errors import UsageError
from cxgap.init import PairProposal, config_text, propose_pairs
from cxgap.init.score import normal_text, wording_score
from cxgap.init.toml_out import toml_string
from init_data import (
    DECOY,
    LEADERS,
    QUALTRICS_ITEMS,
    write_frontline,
    write_pair,
    write_qualtrics_pair,
)

runner = CliRunner()


def _proposal(tmp_path: Path, **kwargs: object) -> tuple[PairProposal, Path, Path]:
    leaders, customers = write_pair(tmp_path)
    found = propose_pairs({"leaders": leaders, "customers": customers}, **kwargs)  # type: ignore[arg-type]
    return found, leaders, customers


def test_generated_pair_is_paired_exactly_and_by_the_right_method(tmp_path: Path) -> None:
    found, _, _ = _proposal(tmp_path)
    got = {p.columns["leaders"]: (p.columns["customers"], p.method) for p in found.accepted}
    expected = {lead: pair for lead, pair in LEADERS.items() if pair[0] is not None}
    assert got == expected
    assert found.pairs == found.accepted  # nothing below the threshold here
    kinds = {(x.group, x.column): x.kind for x in found.left_out}
    assert kinds == {
        ("leaders", "Timestamp"): "not an item",
        ("leaders", "Any comments?"): "not an item",
        ("leaders", "We publish our delivery times on every product page"): "no partner",
        ("customers", "Timestamp"): "not an item",
        ("customers", "Your postcode"): "not an item",
        ("customers", DECOY): "scale mismatch",
    }
    decoy = next(x for x in found.left_out if x.column == DECOY)
    assert "agreement-5 (5 points) against 0-10 (11 points)" in decoy.reason


def test_confidence_orders_the_evidence(tmp_path: Path) -> None:
    found, _, _ = _proposal(tmp_path)
    conf = {p.columns["leaders"]: p.confidence for p in found.pairs}
    assert [p.confidence for p in found.pairs] == sorted(conf.values(), reverse=True)
    assert conf["Q2"] == 0.95  # the same id, no question text to confirm it
    assert conf["Q3_1"] == 0.9  # the same id written two ways
    assert conf["Q2"] > conf["Q3_1"]
    bank = [p for p in found.pairs if p.method == "bank"]
    assert {p.bank_item for p in bank} == {"basics_promises_kept", "basics_clear_process"}
    assert all(p.confidence >= 0.9 and p.label for p in bank)
    # a leader's prediction and a customer's first-person wording of one question agree
    invoices = next(p for p in found.pairs if "invoices" in p.columns["leaders"])
    assert invoices.confidence == 1.0


def test_a_threshold_above_a_pair_comments_it_out(tmp_path: Path) -> None:
    found, _, _ = _proposal(tmp_path, threshold=0.92)
    below = {p.columns["leaders"] for p in found.pairs if not p.accepted}
    assert below == {"Q3_1"}
    text = config_text(found)
    assert '# leaders = "Q3_1"' in text and '\nleaders = "Q3_1"' not in text
    assert "# below the threshold (0.92): commented out" in text


def test_a_same_name_pair_below_the_threshold_is_not_paired_by_analyze(tmp_path: Path) -> None:
    found, leaders, customers = _proposal(tmp_path, threshold=0.96)
    q2 = next(p for p in found.pairs if p.item == "Q2")
    assert q2.confidence == 0.95 and not q2.accepted
    text = config_text(found)
    assert tomllib.loads(text)["exclude_columns"] == ["Q2"]
    assert "# to accept it, also take 'Q2' out of exclude_columns" in text
    path = tmp_path / "cxgap.toml"
    path.write_text(text, encoding="utf-8")
    result = analyze(leaders, customers, load_config(path))
    # without the exclusion analyze would pair the two Q2 columns by their name
    assert "Q2" not in {i.item for i in result.items}
    assert {i.item for i in result.items} == {p.item for p in found.accepted}


def test_qualtrics_exports_pair_by_their_question_rows_not_their_ids(tmp_path: Path) -> None:
    leaders, customers = write_qualtrics_pair(tmp_path)
    found = propose_pairs({"leaders": leaders, "customers": customers})
    got = {p.columns["leaders"]: (p.columns["customers"], p.bank_item) for p in found.accepted}
    # the customers' file lists the items in reverse order under other ids
    assert got == {"QL1": ("C_9", QUALTRICS_ITEMS[0]), "QL2": ("C_8", QUALTRICS_ITEMS[1]),
                   "QL3": ("C_7", QUALTRICS_ITEMS[2])}  # fmt: skip
    # one id, two questions: the question rows outweigh the id
    q9 = next(p for p in found.pairs if p.item == "Q9")
    assert not q9.accepted and q9.confidence == 0.5
    assert any("question texts differ" in e for e in q9.evidence)
    assert {x.column for x in found.left_out} == {"StartDate", "ResponseId"}
    path = tmp_path / "cxgap.toml"
    path.write_text(config_text(found), encoding="utf-8")
    result = analyze(leaders, customers, load_config(path))
    assert {i.item for i in result.items} == set(QUALTRICS_ITEMS)


def test_wording_normalisation_meets_leaders_and_customers_halfway() -> None:
    assert normal_text("Our customers would say we keep our promises.") == normal_text(
        "You keep your promises"
    )
    assert wording_score("We answer quickly", "I am answered quickly") >= 0.9
    # rows of one matrix share the question; the row's words decide
    stem = "How often does your company do the following activities? - "
    assert wording_score(stem + "Contribute code upstream", stem + "Hire developers") < 0.5


def test_written_config_round_trips_through_analyze(tmp_path: Path) -> None:
    found, leaders, customers = _proposal(tmp_path)
    path = tmp_path / "cxgap.toml"
    path.write_text(config_text(found), encoding="utf-8")
    result = analyze(leaders, customers, load_config(path))
    analysed = {i.item: i for i in result.items}
    assert set(analysed) == {p.item for p in found.accepted}
    promises = analysed["basics_promises_kept"]
    assert promises.label == "Promises made to customers are kept"
    # the decoy shares no name with a leaders' column: it is only in the customers' file
    assert DECOY in result.excluded.only_in["customers"]


def test_frontline_columns_join_their_pairs(tmp_path: Path) -> None:
    leaders, customers = write_pair(tmp_path)
    frontline = write_frontline(tmp_path)
    files = {"leaders": leaders, "customers": customers, "frontline": frontline}
    found = propose_pairs(files)
    members = {p.item: (m.column, m.method) for p in found.pairs for m in p.others}
    assert members == {
        "Q2": ("Q2", "id"),
        "basics_clear_process": (
            "Our processes are clear enough that I can explain them to customers.", "bank"),
        "basics_promises_kept": (
            "I can keep the promises that Acme makes to customers.", "wording"),
    }  # fmt: skip
    alone = {(x.column, x.kind) for x in found.left_out if x.group == "frontline"}
    assert alone == {("We decide on our own how to fix a problem", "no partner"),
                     ("Shift", "not an item")}  # fmt: skip
    path = tmp_path / "cxgap.toml"
    path.write_text(config_text(found), encoding="utf-8")
    result = analyze(leaders, customers, load_config(path), groups={"frontline": frontline})
    with_frontline = {i.item for i in result.items if i.groups["frontline"].n > 0}
    assert with_frontline == set(members)


HOSTILE = {
    'Say "hi" ] # [items.x]\nnext \\ line\x7f': 'Say "hi" ] # [items.x]\nnext \\ line\x7f',
    "a = b # c [[d]]": "a = b # c [[d]]",
    "tab\there 'quoted' \u2028 end": "tab\there 'quoted' \u2028 end",
}


def test_hostile_column_names_keep_the_toml_valid(tmp_path: Path) -> None:
    leaders, customers = write_pair(tmp_path, hostile=HOSTILE)
    found = propose_pairs({"leaders": leaders, "customers": customers}, threshold=0.99)
    text = config_text(found)
    data = tomllib.loads(text)  # valid TOML, live and commented entries alike
    mapped = {spec["leaders"]: spec["customers"] for spec in data["items"].values()}
    for name in HOSTILE:
        assert mapped[name] == HOSTILE[name]
    for line in text.split("\n"):  # every comment stays one comment line
        assert not any(ch in "\r\x7f\x85\u2028\u2029" or ord(ch) < 0x20 != (ch == "\t")
                       for ch in line)  # fmt: skip
    # uncommenting every pair below the threshold gives valid TOML too
    uncommented = "\n".join(
        line[2:] if line.startswith(("# [items.", "# leaders", "# customers", "# label"))
        else line for line in text.split("\n")
    )  # fmt: skip
    assert len(tomllib.loads(uncommented)["items"]) == len(found.pairs)
    path = tmp_path / "cxgap.toml"
    path.write_text(text, encoding="utf-8")
    result = analyze(leaders, customers, load_config(path))
    assert {i.item for i in result.items} == {p.item for p in found.accepted}


@pytest.mark.parametrize(
    "text",
    ["plain", 'q"uote', "back\\slash", "nl\nx", "\x00\x1f\x7f", "é ✓", "\u2028\x85", "\ud800"],
)
def test_toml_string_reads_back_as_written(text: str) -> None:
    # a lone surrogate (no Unicode character; Python's surrogateescape) reads back as U+FFFD
    expected = "\ufffd" if text == "\ud800" else text
    assert tomllib.loads(f"k = {toml_string(text)}")["k"] == expected


def _cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["init", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_cli_writes_the_file_and_asks_before_overwriting(tmp_path: Path) -> None:
    leaders, customers = write_pair(tmp_path)
    out = tmp_path / "cxgap.toml"
    code, stdout, err = _cli(str(leaders), str(customers), "-o", str(out))
    assert code == 0, err
    assert "7 pair(s)" not in stdout and "6 pair(s) at confidence 0.80 or more" in stdout
    assert "scale mismatch" in stdout and "Wrote" in stdout
    written = out.read_text(encoding="utf-8")
    out.write_text("# mine\n", encoding="utf-8")
    code, stdout, err = _cli(str(leaders), str(customers), "-o", str(out), stdin="n\n")
    assert code == 0 and "Overwrite it?" in err and "nothing written" in err
    assert out.read_text(encoding="utf-8") == "# mine\n"
    code, stdout, _ = _cli(str(leaders), str(customers), "-o", str(out), stdin="y\n")
    assert code == 0 and out.read_text(encoding="utf-8") == written
    out.write_text("# mine\n", encoding="utf-8")
    code, _, err = _cli(str(leaders), str(customers), "-o", str(out))  # no answer: a script
    assert code == 2 and "--yes" in err and "[usage]" in err
    assert out.read_text(encoding="utf-8") == "# mine\n"
    for flag in ("--yes", "--force"):
        out.write_text("# mine\n", encoding="utf-8")
        code, stdout, err = _cli(str(leaders), str(customers), "-o", str(out), flag)
        assert code == 0, err
        assert "Overwrite" not in stdout + err and out.read_text(encoding="utf-8") == written


def test_cli_stdout_and_errors(tmp_path: Path) -> None:
    leaders, customers = write_pair(tmp_path)
    code, stdout, err = _cli(str(leaders), str(customers), "-o", "-")
    assert code == 0
    assert tomllib.loads(stdout)["items"] and "pair(s) at confidence" in err
    code, _, err = _cli(str(leaders), str(tmp_path / "missing.csv"), "-o", "-")
    assert code == 2 and "[file-not-found]" in err and "Traceback" not in err
    code, _, err = _cli(str(leaders), str(customers), "--threshold", "1.5")
    assert code == 2
    before = leaders.read_bytes()
    code, stdout, err = _cli(str(leaders), str(customers), "-o", str(leaders))
    assert code == 2 and "[output]" in err and "Overwrite" not in stdout + err
    assert leaders.read_bytes() == before


def test_the_api_refuses_bad_arguments(tmp_path: Path) -> None:
    import cxgap

    assert cxgap.propose_pairs is propose_pairs  # the package's API, loaded on first use
    leaders, customers = write_pair(tmp_path)
    with pytest.raises(UsageError, match="threshold"):
        propose_pairs({"leaders": leaders, "customers": customers}, threshold=0)
    with pytest.raises(UsageError, match="two groups"):
        propose_pairs({"leaders": leaders})
    with pytest.raises(UsageError, match="group name"):
        propose_pairs({"leaders": leaders, "Customers!": customers})


def test_the_commands_default_threshold_is_the_apis() -> None:
    from cxgap.init import DEFAULT_THRESHOLD

    result = runner.invoke(app, ["init", "--help"], env={"COLUMNS": "200"})
    assert f"[default: {DEFAULT_THRESHOLD}" in result.stdout


def test_help_does_not_load_rapidfuzz() -> None:
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    proc = subprocess.run([sys.executable, "-m", "cxgap", "init", "--help"],
                          capture_output=True, text=True, env=env)  # fmt: skip
    assert proc.returncode == 0
    mods = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "cxgap.cli.init" in mods
    assert not {m for m in mods if m.split(".")[0] in {"rapidfuzz", "polars"}}
