"""Waves: ordering, per-wave analysis, one file per wave, and change statistics."""

from __future__ import annotations

import math
from pathlib import Path
from statistics import NormalDist

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SAMPLE, Writer

from cxgap import Config, analyze
from cxgap.analysis.by_wave import analyze_waves
from cxgap.analysis.trend import trend
from cxgap.errors import ConfigError, InputError
from cxgap.render.trend import render_trend_markdown, render_trend_table
from cxgap.stats import newcombe_interval, wilson_interval
from cxgap.stats.changes import (
    combination_interval,
    combination_test,
    corrected_wilson_limits,
    mover_difference,
)
from cxgap.waves import order_waves, wave_date, wave_from_name


def share_change_ci(
    x1: object, n1: object, x0: object, n0: object, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """The interval trend prints beside a share's change, built independently of
    :func:`combination_interval`: MOVER over the continuity-corrected Wilson limits."""
    a1, b1 = (np.asarray(v, dtype=float) for v in (x1, n1))
    a0, b0 = (np.asarray(v, dtype=float) for v in (x0, n0))
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    l1, u1 = corrected_wilson_limits(a1, b1, z)
    l0, u0 = corrected_wilson_limits(a0, b0, z)
    return mover_difference(a1 / b1, l1, u1, a0 / b0, l0, u0)


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["2026Q3", "2025Q4", "2026Q1"], ["2025Q4", "2026Q1", "2026Q3"]),
        (["Q1 2026", "Q4 2025"], ["Q4 2025", "Q1 2026"]),
        (["2026-10", "2026-02", "2025-12"], ["2025-12", "2026-02", "2026-10"]),
        (["Jul 2026", "Dec 2025", "March 2026"], ["Dec 2025", "March 2026", "Jul 2026"]),
        (["2026-07-15", "2026-01-31"], ["2026-01-31", "2026-07-15"]),
        (["W10", "W2", "W1"], ["W1", "W2", "W10"]),
    ],
)
def test_waves_order_naturally(labels: list[str], expected: list[str]) -> None:
    assert order_waves(labels) == expected


def test_explicit_wave_order_wins_and_must_be_complete() -> None:
    assert order_waves(["spring", "autumn"], ["spring", "autumn"]) == ["spring", "autumn"]
    with pytest.raises(ConfigError, match="winter"):
        order_waves(["spring", "winter"], ["spring"])


def test_wave_dates_and_names() -> None:
    assert str(wave_date("2026Q3")) == "2026-07-01"
    assert wave_date("2026Q5") is None
    assert wave_from_name("customers_2026Q3") == "2026Q3"
    assert wave_from_name("export-2026-07") == "2026-07"
    assert wave_from_name("survey") == "survey"


def test_mover_with_wilson_limits_is_newcombe() -> None:
    # MOVER applied to two Wilson intervals is Newcombe's method 10 by construction.
    x1, n1, x2, n2 = (
        np.array([56, 9, 5]),
        np.array([70, 10, 56]),
        np.array([48, 3, 0]),
        np.array([80, 10, 29]),
    )
    l1, u1 = wilson_interval(x1, n1)
    l2, u2 = wilson_interval(x2, n2)
    lo, hi = mover_difference(x1 / n1, l1, u1, x2 / n2, l2, u2)
    ref_lo, ref_hi = newcombe_interval(x1, n1, x2, n2)
    np.testing.assert_allclose(lo, ref_lo, atol=1e-14)
    np.testing.assert_allclose(hi, ref_hi, atol=1e-14)


def test_mover_hand_worked() -> None:
    # gap now 0.50 (0.40, 0.58), gap before 0.30 (0.20, 0.38):
    # lower = 0.20 - sqrt(0.10^2 + 0.08^2) = 0.071938..., upper = 0.20 + sqrt(0.08^2 + 0.10^2).
    lo, hi = mover_difference([0.5], [0.4], [0.58], [0.3], [0.2], [0.38])
    assert lo[0] == pytest.approx(0.2 - math.sqrt(0.0164), abs=1e-12)
    assert hi[0] == pytest.approx(0.2 + math.sqrt(0.0164), abs=1e-12)


def test_gap_change_test_agrees_with_its_interval_hand_worked() -> None:
    # p = 0.8, 0.3 now; 0.7, 0.4 before; n = 100 each: d = 0.2. The MOVER interval
    # touches 0 at the p-value's level: at confidence 1 - p its lower limit is 0.
    x, n = [[80], [30], [70], [40]], [[100], [100], [100], [100]]
    p = combination_test([1, -1, -1, 1], x, n)[0]
    # 0.0419 (0.0279 without the continuity correction; the Wald test said 0.0272)
    assert p == pytest.approx(0.0419, abs=5e-5)
    assert combination_test([1, -1, -1, 1], x, n, correction=0.0)[0] == pytest.approx(
        0.0279, abs=5e-5
    )
    z = NormalDist().inv_cdf(1 - p / 2)
    _, lo, _ = combination_interval([1, -1, -1, 1], x, n, z)
    assert lo[0] == pytest.approx(0.0, abs=1e-12)


def _two_wave_files(table: Writer) -> tuple[Path, Path, Path, Path, Path]:
    lead = {"wave": ["2026Q2"] * 6 + ["2026Q3"] * 6,
            "q": ["5", "4", "1", "2", "5", "4", "5", "5", "5", "4", "1", "2"],
            "r": ["1", "2", "3", "4", "5", "5", "2", "2", "2", "4", "4", "4"]}  # fmt: skip
    cust = {"wave": ["2026Q3"] * 5 + ["2026Q2"] * 5,
            "q": ["1", "2", "2", "1", "4", "5", "4", "2", "1", "5"],
            "r": ["5", "5", "1", "1", "1", "2", "2", "4", "4", "4"]}  # fmt: skip
    leaders = table("l.csv", lead)
    customers = table("c.csv", cust)
    q2_l = table("l_2026Q2.csv", {k: v[:6] for k, v in lead.items() if k != "wave"})
    q3_l = table("l_2026Q3.csv", {k: v[6:] for k, v in lead.items() if k != "wave"})
    q2_c = table("c_2026Q2.csv", {k: v[5:] for k, v in cust.items() if k != "wave"})
    table("c_2026Q3.csv", {k: v[:5] for k, v in cust.items() if k != "wave"})
    return leaders, customers, q2_l, q3_l, q2_c


def test_each_wave_equals_analysing_that_wave_alone(table: Writer) -> None:
    leaders, customers, q2_l, _, q2_c = _two_wave_files(table)
    waves = analyze_waves(leaders, customers, Config(headline_item="q"))
    assert waves.waves == ["2026Q2", "2026Q3"]
    alone = analyze(q2_l, q2_c, Config(headline_item="q"))
    per_wave = waves.results["2026Q2"]
    for name in ("q", "r"):
        a = next(i for i in alone.items if i.item == name)
        b = next(i for i in per_wave.items if i.item == name)
        assert a.model_dump() == b.model_dump()


@pytest.mark.parametrize("codes", [True, False], ids=["integer pass", "text pass"])
def test_pooled_analysis_lists_every_wave(table: Writer, codes: bool) -> None:
    # The integer pass reads only the first and last wave label; a wave between them
    # (and the order of the rows) must not be lost.
    answers = ["5", "4", "2", "1", "4", "5"] if codes else ["Agree", "Disagree"] * 3
    waves = ["2026Q3", "2026Q1", "2026Q2", "2026Q3", "2026Q1", "2026Q2"]
    lead = table("l.csv", {"wave": waves, "q": answers, "r": answers})
    cust = table("c.csv", {"wave": waves[::-1], "q": answers, "r": answers[::-1]})
    result = analyze(lead, cust, Config(headline_item="q"))
    for group in result.groups:
        assert group.waves == ["2026Q1", "2026Q2", "2026Q3"]
    one = table("one.csv", {"wave": ["2026Q2"] * 6, "q": answers, "r": answers})
    assert analyze(one, one, Config(headline_item="q")).groups[0].waves == ["2026Q2"]


@pytest.mark.parametrize(
    "labels",
    [["2026Q1", "2026Q2", None], ["2026Q1", "2026Q1", "2026Q2"], ["2026Q1", "2026Q1", None]],
    ids=["another wave and blanks after the first rows", "another wave", "blank waves"],
)
def test_counts_by_wave_when_the_first_rows_show_one_wave(
    table: Writer, labels: list[str | None]
) -> None:
    # The integer pass groups by wave only when the first rows show several; otherwise
    # it sums, and a wave (or a blank label) after them must still be counted apart.
    from cxgap.scan.prepare import group_inputs, prepare
    from cxgap.scan.sniff import SNIFF_ROWS

    rng = np.random.default_rng(7)
    sizes = [SNIFF_ROWS + 10, 30, 20]
    waves = [w for w, k in zip(labels, sizes, strict=True) for _ in range(k)]
    rows = {"wave": waves, "q": [str(v) for v in rng.integers(1, 6, sum(sizes))],
            "r": [str(v) for v in rng.integers(1, 6, sum(sizes))]}  # fmt: skip
    path = table("c.csv", rows)
    cfg = Config(headline_item="q")
    prep = prepare(group_inputs(path, path, cfg, None), cfg, by_wave=True, crosstab=True)
    got = (
        prep.counts.filter(pl.col("group") == "customers", pl.col("value").is_not_null())
        .select("item", "wave", "value", "n").sort("item", "wave", "value", nulls_last=False)
    )  # fmt: skip
    frame = pl.DataFrame(rows).unpivot(index="wave", variable_name="item", value_name="value")
    expected = (
        frame.group_by("item", "wave", "value").agg(n=pl.len().cast(pl.Int64))
        .select("item", "wave", "value", "n").sort("item", "wave", "value", nulls_last=False)
    )  # fmt: skip
    assert got.equals(expected)
    crossed = prep.crosstab(cfg).filter(pl.col("item") == "r")
    assert crossed["n"].sum() == sum(sizes)
    assert sorted({w for w in crossed["wave"].to_list() if w}) == sorted({w for w in labels if w})


def test_one_file_per_wave_equals_a_wave_column(table: Writer, tmp_path: Path) -> None:
    leaders, customers, *_ = _two_wave_files(table)
    by_column = trend(leaders, customers, Config(headline_item="q"))
    by_files = trend(
        str(tmp_path / "l_*.csv"), str(tmp_path / "c_*.csv"), Config(headline_item="q")
    )
    assert by_files.waves == by_column.waves
    assert by_files.model_dump(exclude={"warnings"}) == by_column.model_dump(exclude={"warnings"})


def test_trend_changes_are_computed_from_the_wave_counts(table: Writer) -> None:
    leaders, customers, *_ = _two_wave_files(table)
    result = trend(leaders, customers, Config(headline_item="q"))
    q = next(i for i in result.items if i.item == "q")
    q2, q3 = q.points
    assert (
        q2.groups["customers"].agree,
        q2.groups["customers"].n,
        q3.groups["customers"].agree,
        q3.groups["customers"].n,
    ) == (3, 5, 1, 5)
    change = next(c for c in q.changes if c.measure == "customers_share")
    assert change.change == pytest.approx(1 / 5 - 3 / 5)
    lo, hi = share_change_ci([1], [5], [3], [5])
    assert change.ci == (pytest.approx(lo[0]), pytest.approx(hi[0]))
    assert change.test == "newcombe_inverted"
    gap = next(c for c in q.changes if c.measure == "gap")
    assert gap.change == pytest.approx((q3.gap or 0) - (q2.gap or 0))


def test_leaders_without_waves_count_in_every_wave(table: Writer) -> None:
    leaders = table("l.csv", {"q": ["5", "4", "1"]})
    customers = table("c.csv", {"wave": ["2026Q1", "2026Q2"], "q": ["5", "1"]})
    result = trend(leaders, customers, Config(headline_item="q"))
    assert [p.groups["leaders"].n for p in result.headline.points] == [3, 3]


def test_missing_wave_is_carried_forward_with_a_warning(table: Writer) -> None:
    leaders = table("l.csv", {"wave": ["2026Q1"], "q": ["5"]})
    customers = table("c.csv", {"wave": ["2026Q1", "2026Q2"], "q": ["5", "1"]})
    result = trend(leaders, customers, Config(headline_item="q"))
    assert [p.groups["leaders"].n for p in result.headline.points] == [1, 1]
    assert "wave 2026Q2: leaders carried forward from 2026Q1" in result.warnings


def test_trend_without_waves_is_a_clear_error(table: Writer) -> None:
    leaders = table("l.csv", {"q": ["5"]})
    with pytest.raises(InputError, match="no waves"):
        trend(leaders, leaders)


def test_sample_trend_finds_the_drop() -> None:
    cfg = Config.model_validate({"exclude_columns": ["comment", "function", "channel", "region"]})
    result = trend(str(SAMPLE / "leaders*.csv"), str(SAMPLE / "customers*.csv"), cfg)
    assert result.waves == ["2026Q2", "2026Q3"]
    solved = next(i for i in result.items if i.item == "basics_problems_solved")
    drop = next(c for c in solved.changes if c.measure == "customers_share")
    assert drop.change is not None and drop.change < -0.05
    assert drop.significant


@settings(max_examples=60, deadline=None)
@given(
    n=st.lists(st.integers(1, 400), min_size=4, max_size=4),
    f=st.lists(st.floats(0, 1), min_size=4, max_size=4),
)
def test_mover_interval_contains_the_estimate(n: list[int], f: list[float]) -> None:
    x = [round(a * b) for a, b in zip(f, n, strict=True)]
    g1 = newcombe_interval([x[0]], [n[0]], [x[1]], [n[1]])
    g0 = newcombe_interval([x[2]], [n[2]], [x[3]], [n[3]])
    e1 = x[0] / n[0] - x[1] / n[1]
    e0 = x[2] / n[2] - x[3] / n[3]
    lo, hi = mover_difference([e1], g1[0], g1[1], [e0], g0[0], g0[1])
    assert lo[0] <= e1 - e0 + 1e-12 <= hi[0] + 2e-12
    assert lo[0] >= -2 and hi[0] <= 2


def _leaders_once(
    table: Writer, lead: tuple[int, int], cust: list[tuple[int, int]]
) -> tuple[Path, Path]:
    """Leaders surveyed once (no wave column); customers in waves 2026Q2, 2026Q3, ..."""
    leaders = table("l.csv", {"q": ["5"] * lead[0] + ["1"] * (lead[1] - lead[0])})
    waves, answers = [], []
    for k, (agree, n) in enumerate(cust):
        waves += [f"2026Q{k + 2}"] * n
        answers += ["5"] * agree + ["1"] * (n - agree)
    return leaders, table("c.csv", {"wave": waves, "q": answers})


def test_same_leaders_in_both_waves_cancel_in_the_gap_change(table: Writer) -> None:
    # 32/40 leaders surveyed once; customers 500/1000 -> 350/1000. The gap's change is
    # the customers' change negated, with its Newcombe interval and its test; before,
    # the leaders' variance was counted twice (CI -3 to +33 pp, not significant).
    leaders, customers = _leaders_once(table, (32, 40), [(500, 1000), (350, 1000)])
    result = trend(leaders, customers, Config(headline_item="q"))
    by = {c.measure: c for c in result.headline.changes}
    cust, lead, gap = by["customers_share"], by["leaders_share"], by["gap"]
    lo, hi = share_change_ci([350], [1000], [500], [1000])
    assert cust.ci == (pytest.approx(lo[0]), pytest.approx(hi[0]))
    assert gap.change == pytest.approx(0.15)
    assert gap.ci == (pytest.approx(-hi[0]), pytest.approx(-lo[0]))
    assert (gap.p_value, gap.test, gap.significant) == (cust.p_value, cust.test, True)
    assert gap.ci[0] is not None and gap.ci[0] > 0.10
    assert lead.change == 0 and lead.ci == (None, None) and lead.p_value is None
    assert lead.test is None and lead.note is not None and "same answers" in lead.note
    assert any("leaders: the same answers in 2026Q2 and 2026Q3" in w for w in result.warnings)


def test_carried_forward_leaders_are_the_same_sample(table: Writer) -> None:
    leaders = table("l.csv", {"wave": ["2026Q2"] * 40, "q": ["5"] * 32 + ["1"] * 8})
    _, customers = _leaders_once(table, (1, 1), [(500, 1000), (350, 1000)])
    result = trend(leaders, customers, Config(headline_item="q"))
    gap = next(c for c in result.headline.changes if c.measure == "gap")
    assert gap.test == "newcombe_inverted" and gap.change == pytest.approx(0.15)
    assert gap.significant


def test_independent_waves_use_the_mover_test(table: Writer) -> None:
    leaders, customers, *_ = _two_wave_files(table)
    result = trend(leaders, customers, Config(headline_item="q"))
    gap = next(c for c in result.headline.changes if c.measure == "gap")
    assert gap.test == "mover_inverted" and gap.note is None
    assert not any("same answers" in w for w in result.warnings)


def test_trend_marks_changes_that_use_a_small_group(table: Writer) -> None:
    leaders, customers = _leaders_once(table, (16, 20), [(500, 1000), (300, 1000)])
    result = trend(leaders, customers, Config(headline_item="q"))
    by = {c.measure: c for c in result.headline.changes}
    assert result.min_n == 30
    assert not by["customers_share"].small_n
    assert by["gap"].small_n and by["leaders_share"].small_n
    text = render_trend_table(result)
    assert "(n < 30)" in text and "fewer than 30" in text
    assert "(n < 30)" in render_trend_markdown(result)
    headline_row = next(line for line in text.splitlines() if "Headline:" in line)
    assert headline_row.count("(n < 30)") == 1  # the gap's change, not the customers'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ((0, 10), (4, 10)),  # Fisher p = 0.087, yet Newcombe's CI (+3.8 to +68.7 pp) excludes 0
        ((3, 100), (10, 100)),  # score p = 0.045, yet the CI (-0.05 to +14.7 pp) holds 0
        ((1, 30), (7, 30)),  # Fisher p = 0.052 beside a CI of +2.4 to +37.8 pp
        ((500, 1000), (350, 1000)),
        ((5, 5), (5, 5)),
    ],
)
def test_share_change_star_agrees_with_its_interval(
    table: Writer, before: tuple[int, int], after: tuple[int, int]
) -> None:
    # The star (p < alpha) and the interval printed beside it must tell the same story:
    # the share's change is tested by inverting its own (continuity-corrected)
    # Newcombe interval. The comments give the uncorrected intervals.
    leaders, customers = _leaders_once(table, (32, 40), [before, after])
    result = trend(leaders, customers, Config(headline_item="q"))
    cust = next(c for c in result.headline.changes if c.measure == "customers_share")
    lo, hi = share_change_ci([after[0]], [after[1]], [before[0]], [before[1]])
    assert cust.ci == (pytest.approx(lo[0]), pytest.approx(hi[0]))
    assert cust.significant == bool(lo[0] > 0 or hi[0] < 0)
    assert cust.test == "newcombe_inverted"
    expected = combination_test([1, -1], [[after[0]], [before[0]]], [[after[1]], [before[1]]])
    assert cust.p_value == pytest.approx(expected[0], rel=1e-12)


def test_share_change_test_agrees_with_its_interval_on_a_grid() -> None:
    # Every table with 10 and 30 per wave, and 40 vs 1,000: two-sided p < 0.05 exactly
    # when the 95% interval printed beside it excludes 0 (score and Fisher disagreed
    # with the uncorrected Newcombe interval on 12, 8 and 104 of them).
    from cxgap.analysis.trend import share_change_test

    for n0, n1 in [(10, 10), (30, 30), (40, 1000)]:
        x0 = np.repeat(np.arange(n0 + 1), n1 + 1).astype(float)
        x1 = np.tile(np.arange(n1 + 1), n0 + 1).astype(float)
        size0, size1 = np.full(x0.size, float(n0)), np.full(x0.size, float(n1))
        lo, hi = share_change_ci(x1, size1, x0, size0, 0.95)
        p = share_change_test(x1, size1, x0, size0)
        excludes = (lo > 0) | (hi < 0)
        near = np.abs(p - 0.05) < 1e-9
        assert ((p < 0.05) == excludes)[~near].all()


def test_trend_csv_carries_small_n_and_the_note(table: Writer) -> None:
    # 16/20 leaders surveyed once: their change has no interval (a note says why) and
    # the gap's change uses a group below min_n; the CSV says both, as the JSON does.
    import csv
    import io

    from cxgap.render.trend import render_trend_csv

    leaders, customers = _leaders_once(table, (16, 20), [(500, 1000), (300, 1000)])
    result = trend(leaders, customers, Config(headline_item="q"))
    rows = list(csv.DictReader(io.StringIO(render_trend_csv(result))))
    head = [r for r in rows if r["item"] == "headline"]
    first, second = head
    assert second["gap_change_small_n"] == "true"
    assert second["customers_change_small_n"] == "false"
    assert "same answers" in second["leaders_change_note"]
    assert second["leaders_change_ci_lo"] == "" and second["customers_change_note"] == ""
    assert second["customers_change_test"] == "newcombe_inverted"
    assert first["gap_change_small_n"] == "" and first["leaders_change_note"] == ""


@pytest.mark.parametrize(
    ("after", "cell"),
    [(540, "+4.0 (-0.5 to +8.5)"), (545, "+4.5 (+0.0 to +9.0) *")],
)
def test_trend_change_cells_show_which_side_of_zero_the_interval_is(
    table: Writer, after: int, cell: str
) -> None:
    # Rounded to whole pp both intervals printed "+0 to +8/9", one with a star and one
    # without: the page could not show why.
    leaders, customers = _leaders_once(table, (32, 40), [(500, 1000), (after, 1000)])
    result = trend(leaders, customers, Config(headline_item="q"))
    for text in (render_trend_table(result, width=140), render_trend_markdown(result)):
        row = next(line for line in text.splitlines() if "Headline" in line)
        assert cell in row


def test_trend_table_shows_the_headline_item_once() -> None:
    # The headline item was printed twice: as "Headline: ..." and again as an item.
    cfg = Config.model_validate(
        {"headline_item": "overall_strong_cx",
         "exclude_columns": ["comment", "function", "channel", "region"]}
    )  # fmt: skip
    result = trend(str(SAMPLE / "leaders*.csv"), str(SAMPLE / "customers*.csv"), cfg)
    label = result.headline.label
    assert any(i.item == "overall_strong_cx" for i in result.items)  # the JSON keeps it
    for text in (render_trend_table(result, width=200), render_trend_markdown(result)):
        assert text.count(label) == 1
        assert any("Headline:" in line and label in line for line in text.splitlines())


@pytest.mark.parametrize("width", [80, 100, 140])
def test_trend_table_fits_the_terminal_without_cutting_numbers(width: int) -> None:
    from cxgap.config import load_config
    from cxgap.render.text import pp
    from cxgap.render.trend import render_trend_table

    cfg = load_config(SAMPLE / "cxgap.toml")
    result = trend(str(SAMPLE / "leaders*.csv"), str(SAMPLE / "customers*.csv"), cfg)
    text = render_trend_table(result, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    body = text.split("─" * 10, 1)[1].split("Changes in pp", 1)[0]
    assert body.count("(") == body.count(")") > 0  # no interval cut
    assert "…)" not in body
    for item in result.items:  # every change printed whole
        for change in item.changes:
            if change.measure in ("customers_share", "gap"):
                assert pp(change.change, 1) in body
    # each row: one line of values and at most one more (labels on two lines at most)
    rows = [line for line in body.splitlines() if line.strip() and not line.startswith("─")]
    assert len(rows) <= 2 * len(result.items)


def test_analysis_and_trend_equals_the_separate_analyses() -> None:
    # charts, decks and reports count each file once (analysis_and_trend) and must
    # show exactly what analyze / analyze_wave and trend give on their own
    from cxgap.analysis.by_wave import analyze_wave
    from cxgap.analysis.run import analysis_and_trend
    from cxgap.config import load_config

    cfg = load_config(SAMPLE / "cxgap.toml")
    leaders, customers = SAMPLE / "leaders.csv", SAMPLE / "customers.csv"
    result, none = analysis_and_trend(leaders, customers, cfg)
    assert none is None
    alone = analyze(leaders, customers, cfg, importance=True)
    assert result.model_dump_json() == alone.model_dump_json()
    assert any(i.importance is not None and i.importance < 1 for i in result.items)

    many = str(SAMPLE / "leaders*.csv"), str(SAMPLE / "customers*.csv")
    latest, by_wave = analysis_and_trend(*many, cfg)
    assert by_wave is not None and len(by_wave.waves) == 2
    assert latest.model_dump_json() == analyze_wave(*many, cfg, importance=True).model_dump_json()
    assert by_wave.model_dump_json() == trend(*many, cfg).model_dump_json()
    first, _ = analysis_and_trend(*many, cfg, wave=by_wave.waves[0], importance=False)
    assert (
        first.model_dump_json() == analyze_wave(*many, cfg, wave=by_wave.waves[0]).model_dump_json()
    )
    with pytest.raises(Exception, match="not in the data"):
        analysis_and_trend(*many, cfg, wave="1999Q1")


def test_results_as_long_polars_frames() -> None:
    from cxgap.config import load_config

    cfg = load_config(SAMPLE / "cxgap.toml")
    result = analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", cfg)
    frame = result.to_polars()
    # a row per item (and the headline) and group, and one per item and comparison
    assert frame.height == 3 * (len(result.items) + 1)
    assert frame.filter("headline")["item"].to_list() == [result.headline.item] * 3
    first = result.items[0]
    mine = ~pl.col("headline") & (pl.col("item") == first.item)
    row = frame.filter(mine & (pl.col("group") == "customers")).row(0, named=True)
    assert (row["n"], row["agree"], row["share"], row["ci_low"], row["gap"]) == (
        first.groups["customers"].n,
        first.groups["customers"].agree,
        first.groups["customers"].share,
        first.groups["customers"].ci[0],
        None,
    )
    gap = frame.filter(mine & pl.col("group").is_null()).row(0, named=True)
    assert (gap["a"], gap["b"], gap["gap"], gap["gap_ci_high"], gap["flag"]) == (
        "leaders",
        "customers",
        first.primary.gap,
        first.primary.gap_ci[1],
        first.primary.flag,
    )
    by_wave = trend(str(SAMPLE / "leaders*.csv"), str(SAMPLE / "customers*.csv"), cfg)
    long = by_wave.to_polars()
    assert long.height == 2 * len(by_wave.waves) * (len(by_wave.items) + 1)
    point = by_wave.items[0].points[-1]
    mine = (pl.col("item") == by_wave.items[0].item) & ~pl.col("headline")
    got = long.filter(mine & (pl.col("wave") == point.wave) & (pl.col("group") == "leaders"))
    assert got.select("share", "gap").row(0) == (point.groups["leaders"].share, point.gap)
