"""The gap per segment (analysis/segments.py): each segment's figures equal an analysis of
that segment's rows alone, small cells are suppressed, a group without the column stands
in with its overall figure, and the heterogeneity test keeps its false alarm rate."""

from __future__ import annotations

import math
import random
from pathlib import Path

import polars as pl
import pytest
from scipy import stats as sps
from tests.conftest import ROOT

from cxgap import analyze, analyze_counts, count
from cxgap.config import Config
from cxgap.stats.heterogeneity import chi2_sf, cochran_q, null_variance, pooled_share

SAMPLE = ROOT / "data" / "sample"
LABELS = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    pl.DataFrame(rows).write_csv(path)
    return path


def people(prefix: str, region_sizes: dict[str | None, int], seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for region, size in region_sizes.items():
        for _ in range(size):
            out.append({"id": f"{prefix}{len(out)}", "region": region,
                        "q1": rng.choice(LABELS), "q2": rng.choice(LABELS)})  # fmt: skip
    return out


def test_each_segment_equals_the_analysis_of_its_rows(tmp_path: Path) -> None:
    leaders = write(tmp_path / "leaders.csv", people("L", {"North": 40, "South": 35}, 1))
    customers = write(
        tmp_path / "customers.csv", people("C", {"North": 120, "South": 90, None: 7}, 2)
    )
    cfg = Config(segment_columns=["region"])
    result = analyze(leaders, customers, cfg)
    (by_region,) = result.segments
    assert by_region.column == "region" and by_region.segments == ["North", "South"]
    assert by_region.own_segment == {"leaders": True, "customers": True}
    assert by_region.unlabelled == {"leaders": 0, "customers": 7}
    for k, name in enumerate(by_region.segments):
        alone = analyze(
            write(tmp_path / f"l{k}.csv", [r for r in people("L", {"North": 40, "South": 35}, 1)
                                           if r["region"] == name]),
            write(tmp_path / f"c{k}.csv", [r for r in people("C", {"North": 120, "South": 90,
                                           None: 7}, 2) if r["region"] == name]),
        )  # fmt: skip
        for item in by_region.items:
            cell = item.cells[k]
            want = next(i for i in alone.items if i.item == item.item)
            assert cell.segment == name
            for g in ("leaders", "customers"):
                assert cell.groups[g].share == want.groups[g].share
                assert cell.groups[g].ci == want.groups[g].ci
                assert cell.groups[g].n == want.groups[g].n
            got, ref = cell.comparisons[0], want.comparisons[0]
            assert (got.gap, got.gap_ci, got.p_value) == (ref.gap, ref.gap_ci, ref.p_value)
    # the pooled items are those of the run without segments
    plain = analyze(leaders, customers)
    assert [i.model_dump() for i in result.items] == [i.model_dump() for i in plain.items]


def test_small_cells_are_suppressed_and_a_group_without_the_column_stands_in(
    tmp_path: Path,
) -> None:
    leaders = write(tmp_path / "leaders.csv", [{k: v for k, v in r.items() if k != "region"}
                                               for r in people("L", {None: 50}, 3)])  # fmt: skip
    customers = write(tmp_path / "customers.csv",
                      people("C", {"East": 80, "North": 60, "West": 12}, 4))  # fmt: skip
    result = analyze(leaders, customers, Config(segment_columns=["region"], min_cell_n=30))
    (by_region,) = result.segments
    assert by_region.own_segment == {"leaders": False, "customers": True}
    # West's customers on q1 and q2, and North's with them (else overall - East = West)
    assert by_region.suppressed == 4
    overall = {i.item: i.groups["leaders"] for i in result.items}
    for item in by_region.items:
        east, north, west = item.cells
        assert east.groups["leaders"].share == overall[item.item].share
        assert not east.groups["leaders"].own_segment
        assert east.groups["customers"].share is not None
        small = west.groups["customers"]
        assert small.suppressed and small.share is None and small.ci == (None, None)
        assert small.reason == "fewer than 30 respondents" and small.n == 12
        assert west.comparisons[0].suppressed and west.comparisons[0].gap is None
        hidden = north.groups["customers"]
        assert hidden.suppressed and hidden.share is None and hidden.n == 60
        assert hidden.reason is not None and "cannot be worked out" in hidden.reason
        assert north.comparisons[0].gap is None
        # one segment left: no test of a difference across segments
        (test,) = item.heterogeneity
        assert test.q is None and test.df == 0 and not test.significant
    text = result.model_dump_json()
    assert '"suppressed":true' in text.replace(" ", "")


def test_two_small_segments_need_no_third_and_blank_labels_are_trimmed(tmp_path: Path) -> None:
    leaders = write(tmp_path / "leaders.csv", people("L", {"East": 40, "West ": 10}, 8))
    rows = people("C", {"East": 80, " East": 5, "North": 12, "West": 20, " ": 6}, 9)
    customers = write(tmp_path / "customers.csv", rows)
    result = analyze(leaders, customers, Config(segment_columns=["region"]))
    (by_region,) = result.segments
    assert by_region.segments == ["East", "North", "West"]  # "East " is East
    assert by_region.unlabelled == {"leaders": 0, "customers": 6}
    east, north, west = by_region.items[0].cells
    assert east.groups["customers"].n == 85  # " East" trimmed
    # customers: North and West are small, East stays; leaders: West is small (10) and
    # North has no leaders (it hides nothing), so East goes with West
    assert not east.groups["customers"].suppressed
    assert north.groups["customers"].suppressed and west.groups["customers"].suppressed
    assert east.groups["leaders"].suppressed and "cannot be worked out" in (
        east.groups["leaders"].reason or ""
    )


def test_a_segment_column_only_the_leaders_have_is_a_warning(tmp_path: Path) -> None:
    leaders = write(tmp_path / "leaders.csv", people("L", {"East": 40, "West": 40}, 1))
    rows = [{k: v for k, v in r.items() if k != "region"} for r in people("C", {None: 90}, 2)]
    customers = write(tmp_path / "customers.csv", rows)
    result = analyze(leaders, customers, Config(segment_columns=["region"]))
    assert result.segments == []
    assert any("no 'region' column" in w for w in result.warnings)


def test_the_same_test_is_adjusted_once_with_three_groups(tmp_path: Path) -> None:
    files = {
        name: write(tmp_path / f"{name}.csv", [{k: v for k, v in r.items() if k != "region"}
                                               for r in people(name[0], {None: 60}, seed)])
        for name, seed in (("leaders", 1), ("frontline", 2))
    }  # fmt: skip
    customers = write(tmp_path / "customers.csv", people("C", {"A": 80, "B": 90, "C": 70}, 3))
    cfg = Config(segment_columns=["region"])
    three = analyze(files["leaders"], customers, cfg, groups={"frontline": files["frontline"]})
    two = analyze(files["leaders"], customers, cfg)
    for item3, item2 in zip(three.segments[0].items, two.segments[0].items, strict=True):
        tests = {(t.a, t.b): t for t in item3.heterogeneity}
        lc, fc = tests["leaders", "customers"], tests["frontline", "customers"]
        assert lc.q == fc.q and lc.p_adjusted == fc.p_adjusted  # one test: only customers vary
        assert tests["leaders", "frontline"].df == 0  # neither varies
        # adjusted over the two items, as without the frontline
        assert lc.p_adjusted == item2.heterogeneity[0].p_adjusted


def test_heterogeneity_is_cochrans_q_on_the_segments_gaps(tmp_path: Path) -> None:
    customers = write(tmp_path / "customers.csv",
                      people("C", {"A": 60, "B": 70, "C": 80}, 5))  # fmt: skip
    leaders = write(tmp_path / "leaders.csv", people("L", {"A": 40, "B": 45, "C": 50}, 6))
    result = analyze(leaders, customers, Config(segment_columns=["region"], adjust="holm"))
    (by_region,) = result.segments
    ps = []
    for item in by_region.items:
        gaps = [cell.comparisons[0].gap or 0.0 for cell in item.cells]
        variances = [0.0] * len(gaps)
        for g in ("leaders", "customers"):
            x = [(cell.groups[g].share or 0.0) * cell.groups[g].n for cell in item.cells]
            n = [cell.groups[g].n for cell in item.cells]
            pooled = sum(x) / sum(n)  # the group's share over the segments
            for k in range(len(gaps)):
                variances[k] += pooled * (1 - pooled) / n[k]
        w = [1 / v for v in variances]
        mean = sum(wi * g for wi, g in zip(w, gaps, strict=True)) / sum(w)
        q = sum(wi * (g - mean) ** 2 for wi, g in zip(w, gaps, strict=True))
        (test,) = item.heterogeneity
        assert test.q == pytest.approx(q, rel=1e-12)
        assert test.df == 2
        assert test.p_value == pytest.approx(sps.chi2.sf(q, 2), rel=1e-10)
        ps.append(test.p_value or 1.0)
    # Holm over the two items of the column
    low, high = sorted(ps)
    adjusted = sorted(t.p_adjusted or 0.0 for i in by_region.items for t in i.heterogeneity)
    assert adjusted[0] == pytest.approx(min(1.0, 2 * low), rel=1e-12)
    assert adjusted[1] == pytest.approx(max(min(1.0, 2 * low), high), rel=1e-12)


def test_segments_from_a_counts_file_equal_those_from_the_exports(tmp_path: Path) -> None:
    cfg = Config(segment_columns=["region", "channel"])
    leaders, customers = SAMPLE / "leaders.csv", SAMPLE / "customers.csv"
    direct = analyze(leaders, customers, cfg)
    path = tmp_path / "counts.parquet"
    path.write_bytes(count(leaders, customers, cfg))
    again = analyze_counts(path, cfg)
    assert [s.column for s in direct.segments] == ["region", "channel"]
    assert again.model_dump_json() == direct.model_dump_json()


def test_chi2_sf_against_scipy() -> None:
    for df in (1, 2, 3, 5, 10, 40):
        for x in (0.01, 0.5, 1.0, 3.0, 7.5, 20.0, 60.0, 150.0):
            assert chi2_sf(x, df) == pytest.approx(sps.chi2.sf(x, df), rel=1e-12, abs=1e-300)
    assert chi2_sf(0.0, 3) == 1.0 and math.isnan(chi2_sf(1.0, 0))


@pytest.mark.parametrize(("share", "sizes"), [(0.5, (40, 60, 80, 120)), (0.15, (30, 45, 60, 200))])
def test_heterogeneity_false_alarm_rate_stays_under_alpha(
    share: float, sizes: tuple[int, ...]
) -> None:
    """Equal gaps in every segment (the boundary of the null): the test rejects at most
    alpha of the time, beyond simulation error. The leaders' share is overall, so the
    gaps differ only by the customers' shares."""
    rng = random.Random(20261126)
    runs, alpha, rejected = 4000, 0.05, 0
    for _ in range(runs):
        shares = [sum(rng.random() < share for _ in range(n)) / n for n in sizes]
        pooled = pooled_share(shares, sizes)
        found = cochran_q([0.7 - p for p in shares], [null_variance(pooled, n) for n in sizes])
        rejected += found.p_value < alpha
    rate = rejected / runs
    assert rate <= alpha + 2 * math.sqrt(alpha * (1 - alpha) / runs)


def test_q_with_one_side_overall_is_pearsons_chi_square() -> None:
    # one side overall: Q with null variances is Pearson's chi-square of the k x 2 table
    sizes, agree = (50, 80, 120), (20, 41, 48)
    shares = [x / n for x, n in zip(agree, sizes, strict=True)]
    pooled = pooled_share(shares, sizes)
    found = cochran_q([0.6 - p for p in shares], [null_variance(pooled, n) for n in sizes])
    table = [[x, n - x] for x, n in zip(agree, sizes, strict=True)]
    chi2, p, df, _ = sps.chi2_contingency(table, correction=False)
    assert found.q == pytest.approx(chi2, rel=1e-12) and found.df == df
    assert found.p_value == pytest.approx(p, rel=1e-10)


def test_false_alarm_rate_with_both_sides_per_segment() -> None:
    """A regional leadership team: both sides vary by segment, the gaps are equal."""
    rng = random.Random(7)
    runs, alpha, rejected = 3000, 0.05, 0
    lead_sizes, cust_sizes, lead_p, cust_p = (12, 20, 30), (40, 90, 150), 0.8, 0.45
    for _ in range(runs):
        lead = [sum(rng.random() < lead_p for _ in range(n)) / n for n in lead_sizes]
        cust = [sum(rng.random() < cust_p for _ in range(n)) / n for n in cust_sizes]
        pl_, pc = pooled_share(lead, lead_sizes), pooled_share(cust, cust_sizes)
        variances = [null_variance(pl_, a) + null_variance(pc, b)
                     for a, b in zip(lead_sizes, cust_sizes, strict=True)]  # fmt: skip
        gaps = [a - b for a, b in zip(lead, cust, strict=True)]
        rejected += cochran_q(gaps, variances).p_value < alpha
    assert rejected / runs <= alpha + 2 * math.sqrt(alpha * (1 - alpha) / runs)


def test_a_weighted_segment_is_rs_domain_estimate() -> None:
    """A segment of a weighted sample is a domain: its share and standard error equal R
    survey's svyby(~y, ~region, design, svymean, na.rm = TRUE) (tests/survey_reference),
    whose variance keeps the whole sample's n."""
    import json

    here = ROOT / "tests" / "survey_reference"
    want = json.loads((here / "reference.json").read_text(encoding="utf-8"))["by_region"]
    cfg = Config(segment_columns=["region"], scale="1-5", min_cell_n=1)
    result = analyze(here / "leaders.csv", here / "customers.csv", cfg)
    (by_region,) = result.segments
    item = next(i for i in by_region.items if i.item == "basics_correct_info")
    assert [c.segment for c in item.cells] == sorted(want)
    for cell in item.cells:
        mine = cell.groups["customers"]
        assert mine.share == pytest.approx(want[cell.segment]["estimate"], abs=1e-9, rel=0)
        assert mine.se == pytest.approx(want[cell.segment]["se"], abs=1e-9, rel=0)
        assert cell.groups["leaders"].se is None  # unweighted
