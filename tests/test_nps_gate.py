"""The gate's max_nps_drop rule: the customers' NPS drop per NPS item, tested as the drop of
m = (NPS + 1) / 2 with the share-drop machinery; its false alarm rate at the boundary,
seeded, stays under alpha where plain Wald on NPS does not."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps
from tests.conftest import ROOT

from cxgap import check
from cxgap.analysis.by_wave import analyze_wave
from cxgap.config import load_config
from cxgap.errors import UsageError
from cxgap.stats.changes import combination_test

SAMPLE = ROOT / "data" / "sample"
ALPHA = 0.05


def _rates(base: tuple[float, float, float], n0: int, n1: int, limit: float, runs: int,
           seed: int) -> tuple[float, float]:  # fmt: skip
    """False alarm rates at the boundary (the true drop is the limit): the gate's test on
    m, and one-sided Wald on NPS."""
    rng = np.random.default_rng(seed)
    p, q, d = base
    now = (p - limit / 2, q, d + limit / 2)
    c0, c1 = rng.multinomial(n0, base, size=runs), rng.multinomial(n1, now, size=runs)
    m0 = (c0[:, 0] + 0.5 * c0[:, 1]) / n0
    m1 = (c1[:, 0] + 0.5 * c1[:, 1]) / n1
    pv = combination_test([1.0, -1.0], np.array([m0 * n0, m1 * n1]),
                          np.array([[n0] * runs, [n1] * runs], dtype=float), limit / 2,
                          alternative="greater")  # fmt: skip
    gate = float(np.mean(np.asarray(pv) < ALPHA))
    nps0, nps1 = (c0[:, 0] - c0[:, 2]) / n0, (c1[:, 0] - c1[:, 2]) / n1

    def var(c: np.ndarray, n: int) -> np.ndarray:  # type: ignore[type-arg]
        pp, pd = c[:, 0] / n, c[:, 2] / n
        return (pp + pd - (pp - pd) ** 2) / n  # type: ignore[no-any-return]

    z = (nps0 - nps1 - limit) / np.sqrt(var(c0, n0) + var(c1, n1))
    wald = float(np.mean(z > sps.norm.ppf(1 - ALPHA)))
    return gate, wald


@pytest.mark.parametrize(
    ("base", "n0", "n1", "limit"),
    [
        ((0.3, 0.3, 0.4), 30, 30, 0.05),
        ((0.5, 0.3, 0.2), 100, 100, 0.10),
        ((0.8, 0.15, 0.05), 30, 1000, 0.05),
        ((0.05, 0.15, 0.8), 1000, 30, 0.0),
        ((0.1, 0.8, 0.1), 300, 300, 0.05),
    ],
)
def test_false_alarm_rate_at_the_boundary_is_at_most_alpha(
    base: tuple[float, float, float], n0: int, n1: int, limit: float
) -> None:
    runs = 6000
    gate, _ = _rates(base, n0, n1, limit, runs, seed=20261126)
    assert gate <= ALPHA + 2 * math.sqrt(ALPHA * (1 - ALPHA) / runs)


def test_plain_wald_on_nps_would_not_hold_its_size() -> None:
    # where most answers are promoters, 30 answers against 1,000: Wald rejects too often
    gate, wald = _rates((0.8, 0.15, 0.05), 30, 1000, 0.05, 20000, seed=7)
    assert wald > ALPHA + 0.01 and gate < ALPHA


def test_check_reports_the_customers_nps_drop_per_nps_item() -> None:
    cfg = load_config(SAMPLE / "cxgap.toml")
    leaders, customers = str(SAMPLE / "leaders*.csv"), str(SAMPLE / "customers*.csv")
    result = check(leaders, customers, cfg)
    (verdict,) = [v for v in result.verdicts if v.rule == "max_nps_drop"]
    assert verdict.item == "recommend" and verdict.threshold_pp == 5
    now = analyze_wave(leaders, customers, cfg, wave="2026Q3").nps[0].groups["customers"]
    then = analyze_wave(leaders, customers, cfg, wave="2026Q2").nps[0].groups["customers"]
    assert then.nps is not None and now.nps is not None
    assert verdict.value_pp == pytest.approx((then.nps - now.nps) * 100, abs=1e-9)
    lo, hi = verdict.ci_pp
    assert lo is not None and hi is not None and lo < verdict.value_pp < hi
    assert verdict.status in ("warn", "fail") and "NPS" in verdict.message


def test_max_nps_drop_needs_a_baseline() -> None:
    cfg = load_config(SAMPLE / "cxgap.toml")
    with pytest.raises(UsageError, match="max_nps_drop compare with a baseline"):
        check(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", cfg)
