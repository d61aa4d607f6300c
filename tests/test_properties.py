"""Property-based tests: the counts pass agrees with a plain Python count, readers agree
with each other, and no input makes cxgap raise anything but its own errors."""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import write_table

from cxgap import Config, analyze
from cxgap.errors import CxgapError
from cxgap.io import open_survey
from cxgap.scales import VOCABULARIES
from cxgap.scan.counting import count_answers, count_query
from cxgap.scan.weights import take_bad

ANSWERS = ["1", "2", "3", "4", "5", "", "N/A", "Don't know", " 4 ", "5.0"]
CODE = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, " 4 ": 4, "5.0": 5}

answers = st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lead=answers, cust=answers)
def test_counts_match_a_plain_count_in_csv_and_parquet(lead: list[str], cust: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lf = write_table(folder / "l.csv", {"id": range(len(lead)), "q": lead})
        cf = write_table(folder / "c.csv", {"id": range(len(cust)), "q": cust})
        pq = folder / "l.parquet"
        pl.DataFrame({"id": list(range(len(lead))), "q": lead}).write_parquet(pq)
        # Named, so that a column of non-answers only (or one repeated answer) stays an item.
        cfg = Config(headline_item="q", include_items=["q"])
        results = [analyze(lf, cf, cfg), analyze(pq, cf, cfg)]
    for result in results:
        item = result.items[0]
        for group, raw in (("leaders", lead), ("customers", cust)):
            stats = item.groups[group]
            codes = Counter(CODE[a] for a in raw if a in CODE)
            assert stats.distribution == [codes[c] for c in range(1, 6)]
            assert stats.missing == len(raw) - sum(codes.values())
            assert stats.agree == codes[4] + codes[5]
    assert results[0].items[0].model_dump() == results[1].items[0].model_dump()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(st.text(max_size=12), min_size=1, max_size=12),
    header=st.text(min_size=1, max_size=10),
)
def test_arbitrary_cells_raise_only_cxgap_errors(cells: list[str], header: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lf = write_table(folder / "l.csv", {header: cells})
        cf = write_table(folder / "c.csv", {header: list(reversed(cells))})
        with contextlib.suppress(CxgapError):
            analyze(lf, cf)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_raise_only_cxgap_errors(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bad = Path(tmp) / "bad.csv"
        bad.write_bytes(data)
        good = write_table(Path(tmp) / "good.csv", {"q": ["5", "4"]})
        with contextlib.suppress(CxgapError):
            analyze(bad, good)


def test_counts_table_shape_with_weights_waves_and_segments(tmp_path: Path) -> None:
    path = write_table(
        tmp_path / "c.csv",
        {
            "wave": ["W1", "W1", "W2", "W2"],
            "region": ["N", "S", "N", "N"],
            "weight": ["2", "0.5", "1", "bad"],
            "q": ["5", "5", "1", ""],
        },
    )
    survey = open_survey(path)
    query = count_query(
        survey,
        group="customers",
        columns={"q": "q"},
        wave="wave",
        segments=["region"],
        weight="weight",
    )
    # the pass's own columns (rows with a bad weight, the weights' range) come off
    table, bad, span = take_bad(count_answers([(survey, query)]), "q")
    assert table.columns == ["group", "item", "wave", "region", "value", "n", "w_sum", "w2_sum"]
    rows = {
        (r["wave"], r["region"], r["value"]): (r["n"], r["w_sum"], r["w2_sum"])
        for r in table.iter_rows(named=True)
    }
    assert rows[("W1", "N", "5")] == (1, 2.0, 4.0)
    assert rows[("W1", "S", "5")] == (1, 0.5, 0.25)
    assert rows[("W2", "N", "1")] == (1, 1.0, 1.0)
    # an unparseable weight is in no count (never taken as 1): counted apart
    assert ("W2", "N", None) not in rows and len(rows) == 3
    assert bad == 1 and span == (0.5, 2.0)


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters_give_the_same_result(tmp_path: Path, sep: str) -> None:
    lead = write_table(tmp_path / "l.csv", {"q": ["5", "4", "1"], "r": ["2", "3", "4"]}, sep=sep)
    cust = write_table(tmp_path / "c.csv", {"q": ["1", "1", "5"], "r": ["5", "5", "5"]})
    result = analyze(lead, cust)
    assert {i.item: i.groups["leaders"].agree for i in result.items} == {"q": 2, "r": 1}


_ANSWERS = st.lists(
    st.sampled_from([
        "Strongly agree", "Agree", "Neutral", "Disagree", "Very satisfied", "Never", "Often",
        "1", "2", "5", "7", "11", "-1", "4.5", "1 - Not at all", "5 - Completely", "blue",
        "red", "n/a", "Don't know", "2024-01-03", "some free text", "other text", "",
        "0", "100", "42", "-2", "4,0", "Very likely7", "1990", "2024/1/3 10:00",
        "\u0662\u0660\u0662\u0664-01-03", "Caf\u00e9 2024-01-03", "\uff12\uff10-1-3",
    ]),
    min_size=1, max_size=30,
)  # fmt: skip


def _one_item(answers: list[str]) -> Any:
    """The answer table's rows of one item "q" answered ``answers``, split by item."""
    from cxgap.code.answers import by_item
    from cxgap.code.coding import answer_table
    from cxgap.scales import VOCABULARIES

    counts = pl.DataFrame(
        {"group": "customers", "item": "q", "wave": None,
         "value": [a or None for a in answers], "n": [1] * len(answers)},
        schema_overrides={"wave": pl.String, "value": pl.String, "n": pl.Int64},
    )  # fmt: skip
    table = answer_table(counts.group_by("group", "item", "wave", "value").agg(
        pl.col("n").sum()), ())  # fmt: skip
    return by_item(table, VOCABULARIES)["q"]


@settings(max_examples=300, deadline=None)
@given(_ANSWERS, st.sampled_from([None, "1-5", "agreement-5"]))
def test_the_summary_chooses_the_scale_choose_scale_chooses(
    answers: list[str], scale: str | None
) -> None:
    # The shortcuts a wide export takes (plain numbers by their range, text that plainly
    # fits no scale) must never choose otherwise than choose_scale on the answers' rows.
    from cxgap.code.choose import choose_scale
    from cxgap.code.coding import _choose
    from cxgap.config import Config
    from cxgap.scales import VOCABULARIES

    found = _one_item(answers)
    cfg = Config(scale=scale) if scale else Config()
    default, scale_set = cfg.scale_for(""), scale is not None
    answered = found.frame.filter(~pl.col("missing"))
    expected = choose_scale(answered, default, scale_set=scale_set)
    assert _choose(found, default, scale_set, VOCABULARIES) == expected


@settings(max_examples=300, deadline=None)
@given(_ANSWERS)
def test_the_summary_adds_up_the_answers_rows(answers: list[str]) -> None:
    # Each item's summary is one polars aggregation; here the same sums over its rows.
    found = _one_item(answers)
    a = found
    valid = [r for r in a.rows if not r[a.missing]]

    def given(rows: list[Any]) -> int:
        return sum(r[a.n] for r in rows)

    text = [r for r in valid if r[a.code] is None]
    coded = [r for r in valid if r[a.code] is not None and r[a.code] >= 0]
    numeric = [r for r in valid if r[a.code] is not None and not r[a.labelled]]
    decimal = [r for r in valid if r[a.decimal]]
    known = {label for v in VOCABULARIES for label in v.label_map()}
    s = found.summary
    assert (s.total, s.distinct, s.most) == (given(valid), len(valid), max(
        (r[a.n] for r in valid), default=0))  # fmt: skip
    assert s.blank == given([r for r in a.rows if r[a.value] is None])
    assert s.plain == all(r[a.code] is not None and not r[a.labelled] for r in valid)
    assert (s.text_rows, s.text_n) == (len(text), given(text))
    assert s.known_n == given([r for r in text if r[a.norm] in known])
    codes = [r[a.code] for r in coded]
    assert (s.coded_rows, s.coded_n) == (len(coded), given(coded))
    assert (s.coded_low, s.coded_high) == (min(codes, default=None), max(codes, default=None))
    numbers = [r[a.code] for r in numeric]
    assert s.numeric_n == given(numeric)
    assert (s.numeric_low, s.numeric_high) == (
        min(numbers, default=None), max(numbers, default=None))  # fmt: skip
    assert s.decimal_n == given(decimal)
    assert s.first_decimal == (decimal[0][a.value] if decimal else None)
    date = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")
    assert s.date_n == given([r for r in valid if r[a.norm] and date.search(r[a.norm])])
    ranked = sorted(valid, key=lambda r: (-r[a.n], r[a.value]))
    assert s.top == [r[a.value] for r in ranked[:4]]
    assert s.shown == [r[a.value] for r in a.rows if r[a.value] is not None][:3]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([None, 1, 2, 3, 4, 5, 9]), min_size=3, max_size=3),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(["upper", "lower", "scattered"]),
    st.booleans(),
)
def test_composite_tally_of_the_integer_pass_counts_votes(
    rows: list[list[int | None]], agree: str, nine_votes: bool
) -> None:
    # The tally's cheap form (one comparison per item where every code votes) and its
    # general form (a code that does not vote) against a plain count of the votes.
    from cxgap.scan.integer_pass import TALLY, composite_tally

    plus = {"upper": [4, 5], "lower": [1, 2], "scattered": [1, 5]}[agree]
    votes = {str(c): 1 if c in plus else -1 for c in (1, 2, 3, 4, 5)}
    if nine_votes:
        votes["9"] = -1
    frame = pl.DataFrame(rows, schema=["a", "b", "c"], orient="row").cast(pl.Int16)
    codes = [1, 2, 3, 4, 5, 9]
    tally = frame.select(m.sum() for m in composite_tally([(c, votes, codes) for c in "abc"]))
    expected = [0, 0, 0]
    for row in rows:
        cast = [votes[str(v)] for v in row if v is not None and str(v) in votes]
        if cast:
            expected[0] += 1
            expected[1] += sum(cast) >= 0
        else:
            expected[2] += 1
    assert [int(tally[k][0]) for k in TALLY] == expected
