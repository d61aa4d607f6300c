"""Priorities: rank and profile agreement (against scipy and worked by hand), the intervals'
coverage (a seeded simulation), derived importance's finding, the Johari view."""

from __future__ import annotations

import csv
import json
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from scipy import stats as sp

from cxgap.analysis.priorities import johari_cuts, quadrant_of, rank_agreement
from cxgap.config import Config, load_config
from cxgap.errors import ConfigError
from cxgap.stats.rank import (
    KENDALL_VARIANCE,
    SPEARMAN_VARIANCE,
    average_ranks,
    fisher_interval,
    kendall_tau_b,
    mean_absolute_difference,
    pearson,
    spearman,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


@pytest.mark.parametrize("seed", range(8))
def test_rank_statistics_equal_scipy_with_and_without_ties(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(5, 20)
    ties = seed % 2 == 0  # shares rounded to whole per cent tie often
    x = [round(rng.random(), 1 if ties else 6) for _ in range(n)]
    y = [round(0.5 * a + 0.5 * rng.random(), 1 if ties else 6) for a in x]
    assert spearman(x, y) == pytest.approx(sp.spearmanr(x, y).statistic, abs=1e-12)
    assert kendall_tau_b(x, y) == pytest.approx(
        sp.kendalltau(x, y, variant="b").statistic, abs=1e-12
    )
    assert pearson(x, y) == pytest.approx(sp.pearsonr(x, y).statistic, abs=1e-12)
    assert average_ranks(x) == pytest.approx(list(sp.rankdata(x)))


def test_a_hand_worked_example() -> None:
    # x 1..5, y swaps two neighbouring pairs: sum d^2 = 4, rho = 1 - 6 * 4 / (5 * 24) = 0.8;
    # of the 10 pairs 2 are discordant: tau = (8 - 2) / 10 = 0.6.
    x, y = [1, 2, 3, 4, 5], [2, 1, 4, 3, 5]
    found = rank_agreement(x, y, 0.95)
    assert found.spearman == pytest.approx(0.8)
    assert found.kendall == pytest.approx(0.6)
    # rho: atanh 0.8 = 1.098612, se = sqrt(1.06 / 2) = 0.728011, 1.959964 se = 1.426875:
    # tanh(-0.328263) = -0.316959, tanh(2.525487) = 0.987275
    assert found.spearman_ci == pytest.approx((-0.316959, 0.987275), abs=1e-6)
    # tau: atanh 0.6 = 0.693147, se = sqrt(0.437 / 1) = 0.661060, 1.959964 se = 1.295654:
    # tanh(-0.602507) = -0.538830, tanh(1.988801) = 0.963228
    assert found.kendall_ci == pytest.approx((-0.538830, 0.963228), abs=1e-6)
    # ties: x = 1 1 2 3, y = 1 2 2 3: 4 concordant, 0 discordant, one tie in each of x and y
    # of 6 pairs: tau-b = 4 / sqrt(5 * 5) = 0.8; ranks 1.5 1.5 3 4 and 1 2.5 2.5 4: rho =
    # 3.75 / 4.5
    assert kendall_tau_b([1, 1, 2, 3], [1, 2, 2, 3]) == pytest.approx(0.8)
    assert spearman([1, 1, 2, 3], [1, 2, 2, 3]) == pytest.approx(3.75 / 4.5)
    assert mean_absolute_difference([0.5, 0.2], [0.1, 0.4]) == pytest.approx(0.3)


def test_undefined_cases_are_none_not_nan() -> None:
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    assert kendall_tau_b([2, 2], [1, 2]) is None
    assert fisher_interval(0.5, 3, SPEARMAN_VARIANCE, 0.95) == (None, None)  # n - 3 = 0
    assert fisher_interval(0.5, 4, KENDALL_VARIANCE, 0.95) == (None, None)  # n - 4 = 0
    assert fisher_interval(1.0, 12, SPEARMAN_VARIANCE, 0.95) == (None, None)
    assert mean_absolute_difference([], []) is None
    found = rank_agreement([0.1], [0.2], 0.95)
    assert found.spearman is None and found.kendall is None and found.n_items == 1


def _bivariate(rng: random.Random, n: int, rho: float) -> tuple[list[float], list[float]]:
    xs, ys = [], []
    for _ in range(n):
        a, b = rng.gauss(0, 1), rng.gauss(0, 1)
        xs.append(a)
        ys.append(rho * a + math.sqrt(1 - rho * rho) * b)
    return xs, ys


@pytest.mark.parametrize(("n", "rho"), [(12, 0.5), (20, 0.0), (10, 0.7)])
def test_the_intervals_cover_as_stated(n: int, rho: float) -> None:
    """Seeded simulation: bivariate-normal scores of n items; the population Spearman rho is
    (6 / pi) asin(rho / 2), Kendall's tau (2 / pi) asin(rho), Pearson's r rho. Each 95%
    interval covers its parameter in 93-97.5% of 2,000 samples (2 SE of 2,000 draws is
    1 pp; the Fieller variances are approximations, slightly conservative for tau)."""
    rng = random.Random(20261126 + n)
    targets = {
        "spearman": 6 / math.pi * math.asin(rho / 2),
        "kendall": 2 / math.pi * math.asin(rho),
    }
    hits = dict.fromkeys(targets, 0)
    draws = 2000
    for _ in range(draws):
        xs, ys = _bivariate(rng, n, rho)
        found = rank_agreement(xs, ys, 0.95)
        for name, target in targets.items():
            lo, hi = getattr(found, f"{name}_ci")  # (None, None) at +-1: counted a miss
            hits[name] += lo is not None and hi is not None and lo <= target <= hi
    for name, hit in hits.items():
        assert 0.93 <= hit / draws <= 0.975, (name, hit / draws)


def test_a_wrong_variance_would_fail_the_coverage_check() -> None:
    """The coverage test can fail: Pearson's variance 1/(n-3) for rho covers too little."""
    rng = random.Random(7)
    target = 6 / math.pi * math.asin(0.25)
    hits = 0
    for _ in range(2000):
        xs, ys = _bivariate(rng, 12, 0.5)
        lo, hi = fisher_interval(spearman(xs, ys), 12, (0.6, 3), 0.95)
        assert lo is not None and hi is not None
        hits += lo <= target <= hi
    assert hits / 2000 < 0.93


def test_johari_quadrants_and_thresholds() -> None:
    assert quadrant_of(0.8, 0.7, 0.5, 0.5) == "shared_strength"
    assert quadrant_of(0.8, 0.3, 0.5, 0.5) == "blind_spot"
    assert quadrant_of(0.2, 0.7, 0.5, 0.5) == "hidden_strength"
    assert quadrant_of(0.2, 0.3, 0.5, 0.5) == "shared_weakness"
    assert quadrant_of(0.5, 0.5, 0.5, 0.5) == "shared_strength"  # at the threshold: high
    assert johari_cuts([0.1, 0.9, 0.5, 0.3], [0.2, 0.4, 0.6], "median") == (0.4, 0.4)
    assert johari_cuts([0.1], [0.2], 0.6) == (0.6, 0.6)
    assert Config(johari_threshold=0.5).johari_threshold == 0.5


def test_a_johari_threshold_out_of_range_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "cxgap.toml"
    path.write_text("johari_threshold = 1.5\n")
    with pytest.raises(ConfigError, match="johari_threshold"):
        load_config(path)


@pytest.fixture(scope="module")
def three():  # type: ignore[no-untyped-def]
    import cxgap

    cfg = load_config(SAMPLE / "cxgap.toml")
    others = {"frontline": SAMPLE / "frontline.csv"}
    return cxgap.analyze(
        SAMPLE / "leaders.csv", SAMPLE / "customers.csv", cfg, groups=others, importance=True
    )


def test_the_sample_priorities_follow_the_shares(three) -> None:  # type: ignore[no-untyped-def]
    found = three.priorities
    assert [(c.a, c.b) for c in found.comparisons] == [(c.a, c.b) for c in three.comparisons]
    headline, nps = three.headline.item, {n.item for n in three.nps}
    items = [i for i in three.items if i.item != headline and i.item not in nps]
    for c, johari in zip(found.comparisons, found.johari, strict=True):
        xs = [i.groups[c.a].share for i in items]
        ys = [i.groups[c.b].share for i in items]
        assert c.ranks.n_items == len(items) == 12
        assert c.ranks.spearman == pytest.approx(sp.spearmanr(xs, ys).statistic, abs=1e-12)
        assert c.ranks.kendall == pytest.approx(sp.kendalltau(xs, ys).statistic, abs=1e-12)
        assert c.profile_r == pytest.approx(sp.pearsonr(xs, ys).statistic, abs=1e-12)
        gaps = [abs(x - y) for x, y in zip(xs, ys, strict=True)]  # type: ignore[operator]
        assert c.mean_abs_gap == pytest.approx(sum(gaps) / len(gaps))
        assert sum(johari.counts.values()) == 12
        assert johari.x_cut == pytest.approx(sorted(xs)[5] / 2 + sorted(xs)[6] / 2)  # type: ignore[operator]
    imp = found.importance
    top = max((i for i in items), key=lambda i: i.importance or -1.0)
    assert imp.top == top.item and imp.against == "leaders" and imp.against_kind == "derived"
    # leaders' own derived importance: Pearson r of each item with the headline item over
    # the leaders who answered both, straight from the rows (scipy as the oracle)
    rows = list(csv.DictReader((SAMPLE / "leaders.csv").open(encoding="utf-8")))
    for i in items:
        pairs = [(float(r[i.item]), float(r[headline])) for r in rows
                 if r[i.item].strip() and r[headline].strip()]  # fmt: skip
        expected = sp.pearsonr([a for a, _ in pairs], [b for _, b in pairs]).statistic
        assert imp.against_importance[i.item] == pytest.approx(expected, abs=1e-9), i.item
    ours = [i.importance for i in items]
    theirs = [imp.against_importance[i.item] for i in items]
    assert imp.ranks is not None
    assert imp.ranks.spearman == pytest.approx(sp.spearmanr(ours, theirs).statistic, abs=1e-12)
    leaders_top = max(items, key=lambda i: imp.against_importance[i.item])
    sentence = (
        f"Leaders' own overall verdict moves most with {leaders_top.label}; customers' "
        f"overall verdict moves most with {top.label} (r = {top.importance:.2f})."
    )
    assert sentence in three.findings.summary


def test_without_importance_the_section_says_so() -> None:
    import cxgap

    cfg = load_config(SAMPLE / "cxgap.toml")
    result = cxgap.analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", cfg)
    assert result.priorities is not None
    assert result.priorities.importance.top is None
    assert "not computed" in result.priorities.importance.note
    assert not any("overall verdict" in s for s in result.findings.summary)


def test_a_stated_level_places_every_item_against_it() -> None:
    import cxgap

    cfg = load_config(SAMPLE / "cxgap.toml").model_copy(update={"johari_threshold": 0.5})
    result = cxgap.analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", cfg)
    johari = result.priorities.johari[0]  # type: ignore[union-attr]
    assert (johari.threshold, johari.x_cut, johari.y_cut) == ("level", 0.5, 0.5)
    for q in johari.items:
        assert q.quadrant == quadrant_of(q.x, q.y, 0.5, 0.5)  # type: ignore[arg-type]


def test_quadrants_in_json_and_markdown(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cxgap.cli import app

    args = ["analyze", str(SAMPLE / "leaders.csv"), str(SAMPLE / "customers.csv"),
            "-c", str(SAMPLE / "cxgap.toml")]  # fmt: skip
    out = CliRunner().invoke(app, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    quadrants = {q["item"]: q["quadrant"] for q in data["priorities"]["johari"][0]["items"]}
    assert quadrants["listening_changes"] == "blind_spot"
    markdown = CliRunner().invoke(app, [*args, "--format", "markdown"]).output
    assert "## The Johari view: leaders against customers" in markdown
    assert "| Customer feedback changes how we work | 77% | 17% | blind spot |" in markdown
    assert "## Priorities: do the groups order the items alike?" in markdown


def test_the_johari_chart_is_the_same_bytes_in_another_process() -> None:
    code = (
        "import sys, pathlib; from cxgap import analyze; from cxgap.config import load_config\n"
        "from cxgap.charts.base import parse_size, save\n"
        "from cxgap.charts.render import draw_chart\n"
        "s = pathlib.Path('data/sample'); cfg = load_config(s / 'cxgap.toml')\n"
        "cfg = cfg.model_copy(update={'segment_columns': ['region']})\n"
        "r = analyze(s / 'leaders.csv', s / 'customers.csv', cfg)\n"
        "fig = draw_chart('johari', r, cfg.theme, parse_size('slide'))\n"
        "sys.stdout.buffer.write(save(fig, 'x.png'))\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    ]  # fmt: skip
    assert runs[0] == runs[1] and runs[0].startswith(b"\x89PNG")


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    path.write_text("\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n")
    return path


def test_stated_importance_from_the_leaders_importance_items(tmp_path: Path) -> None:
    """Leaders answer an importance item per theme (only they are asked); each item's
    stated importance is its theme's mean answer as a position on the 1-5 scale."""
    import cxgap

    rng = random.Random(3)
    items = ["q1", "q2", "q3", "q4", "q5"]
    lead = [[*(rng.randint(1, 5) for _ in items), rng.randint(1, 5), a, b]
            for a, b in [(5, 2), (4, 2), (5, 3), (3, 1), (5, 2), (4, 2)] * 5]  # fmt: skip
    cust = [[*(rng.randint(1, 5) for _ in items), rng.randint(1, 5)] for _ in range(80)]
    leaders = _write(tmp_path / "leaders.csv", [*items, "overall", "imp_a", "imp_b"], lead)
    customers = _write(tmp_path / "customers.csv", [*items, "overall"], cust)
    cfg = Config(headline_item="overall",
                 stated_importance={"imp_a": ["q1", "q2"], "imp_b": ["q[34]"]})  # fmt: skip
    result = cxgap.analyze(leaders, customers, cfg, importance=True)
    imp = result.priorities.importance  # type: ignore[union-attr]
    assert imp.against_kind == "stated"
    a = (sum(r[-2] for r in lead) / len(lead) - 1) / 4  # mean 4.333: 0.8333
    b = (sum(r[-1] for r in lead) / len(lead) - 1) / 4  # mean 2.0: 0.25
    assert imp.against_importance == pytest.approx({"q1": a, "q2": a, "q3": b, "q4": b})
    assert imp.ranks is not None and imp.ranks.n_items == 4  # q5 has no theme
    labels = [i.item for i in result.items]
    ours = [
        next(i.importance for i in result.items if i.item == q) for q in ("q1", "q2", "q3", "q4")
    ]
    assert imp.ranks.kendall == pytest.approx(
        sp.kendalltau(ours, [a, a, b, b]).statistic, abs=1e-12
    )
    assert "q5" in labels
    assert any(s.startswith("Leaders rank q1 first in stated importance") for s in
               result.findings.summary)  # fmt: skip
    assert not any("imp_a" in w for w in result.warnings)  # asked of leaders by design
    # a counts file keeps the importance items' counts: the same priorities from it
    counted = tmp_path / "counts.parquet"
    counted.write_bytes(cxgap.count(leaders, customers, cfg))
    again = cxgap.analyze_counts(counted, cfg, importance=True)
    assert again.priorities == result.priorities


def test_the_trend_holds_each_waves_johari_view_and_its_chart_draws(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cxgap.analysis.trend import trend
    from cxgap.cli import app

    cfg = load_config(SAMPLE / "cxgap.toml")
    leaders = sorted(SAMPLE.glob("leaders*.csv"))
    customers = sorted(SAMPLE.glob("customers*.csv"))
    by_wave = trend([str(p) for p in leaders], [str(p) for p in customers], cfg)
    assert list(by_wave.johari) == by_wave.waves == ["2026Q2", "2026Q3"]
    for view in by_wave.johari.values():
        assert sum(view.counts.values()) == 12 and (view.a, view.b) == ("leaders", "customers")
    out = tmp_path / "jw.png"
    args = ["chart", "johari-waves", str(SAMPLE / "leaders*.csv"), str(SAMPLE / "customers*.csv"),
            "-c", str(SAMPLE / "cxgap.toml"), "-o", str(out)]  # fmt: skip
    found = CliRunner().invoke(app, args)
    assert found.exit_code == 0, found.output
    assert out.read_bytes().startswith(b"\x89PNG")


def test_analyze_importance_adds_what_drives_the_verdict() -> None:
    from typer.testing import CliRunner

    from cxgap.cli import app

    args = ["analyze", str(SAMPLE / "leaders.csv"), str(SAMPLE / "customers.csv"),
            "-c", str(SAMPLE / "cxgap.toml"), "--format", "json"]  # fmt: skip
    plain = json.loads(CliRunner().invoke(app, args).output)["priorities"]["importance"]
    found = CliRunner().invoke(app, [*args, "--importance"])
    assert found.exit_code == 0, found.output
    data = json.loads(found.output)
    imp = data["priorities"]["importance"]
    assert plain["top"] is None and "analyze --importance" in plain["note"]
    assert imp["top"] == "basics_problems_solved" and imp["against_kind"] == "derived"
    assert any("overall verdict moves most with" in s for s in data["findings"]["summary"])
