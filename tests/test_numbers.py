"""Floats in JSON and CSV are the same bytes on every machine (issue: last-bit libm differences)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxgap.model import AnalysisResult
from cxgap.render.csv import csv_cell
from cxgap.render.json import render_json
from cxgap.render.numbers import SIGNIFICANT_DIGITS, format_float, stable_data, stable_float


def _neighbours(x: float, steps: int = 4) -> list[float]:
    """``x`` and the floats a few units in the last place either side of it."""
    out = [x]
    lo = hi = x
    for _ in range(steps):
        lo, hi = math.nextafter(lo, -math.inf), math.nextafter(hi, math.inf)
        out += [lo, hi]
    return out


@pytest.mark.parametrize(
    ("value", "text"),
    [
        # The value that differed between two machines (Cohen's h of the sample).
        (0.9868885308685031, "0.986888530869"),
        (0.9868885308685029, "0.986888530869"),
        (0.050000000000000044, "0.05"),
        (1 - 0.95, "0.05"),
        (0.1 + 0.2, "0.3"),
        (-1.2345678901234e-05, "-1.23456789012e-05"),
        (57.0, "57.0"),
        (-0.0, "0.0"),
        (1e-300, "1e-300"),
    ],
)
def test_floats_are_written_at_twelve_significant_digits(value: float, text: str) -> None:
    assert SIGNIFICANT_DIGITS == 12
    assert format_float(value) == text
    assert csv_cell(value) == text


@pytest.mark.parametrize(
    "value", [0.9868885308685031, 0.2416107382550336, 0.6, 1 / 3, 2 / 3, math.pi, 0.05, 123.456]
)
def test_last_bit_differences_give_the_same_text(value: float) -> None:
    assert len({format_float(v) for v in _neighbours(value)}) == 1


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_stable_float_reads_back_and_is_idempotent(value: float) -> None:
    once = stable_float(value)
    assert stable_float(once) == once
    assert float(format_float(value)) == once
    assert once == 0.0 or abs(once - value) <= abs(value) * 10.0 ** (1 - SIGNIFICANT_DIGITS)


def test_stable_data_walks_nested_structures() -> None:
    data = {"a": [0.1 + 0.2, {"b": (1 - 0.95, 3)}], "c": "0.30000000000000004", "d": None}
    assert stable_data(data) == {
        "a": [0.3, {"b": [0.05, 3]}],
        "c": "0.30000000000000004",
        "d": None,
    }


def test_json_report_carries_no_float_beyond_the_precision(sample_result: AnalysisResult) -> None:
    def floats(node: object) -> list[float]:
        if isinstance(node, float):
            return [node]
        if isinstance(node, dict):
            return [f for v in node.values() for f in floats(v)]
        if isinstance(node, list):
            return [f for v in node for f in floats(v)]
        return []

    values = floats(json.loads(render_json(sample_result)))
    assert values, "the sample report has floats"
    assert all(v == stable_float(v) for v in values)
    assert all(len(repr(abs(v)).replace(".", "").lstrip("0")) <= 16 for v in values)


def test_json_bytes_do_not_change_when_a_statistic_moves_by_one_ulp(
    sample_result: AnalysisResult,
) -> None:
    item = sample_result.items[0]
    assert item.primary.cohens_h is not None
    nudged_item = item.model_copy(update={"cohens_h": math.nextafter(item.primary.cohens_h, 2.0)})
    nudged = sample_result.model_copy(update={"items": [nudged_item, *sample_result.items[1:]]})
    assert render_json(nudged) == render_json(sample_result)
