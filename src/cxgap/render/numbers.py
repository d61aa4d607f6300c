"""Floats as written to machine-readable outputs: the same bytes on every machine.

Transcendental functions (``asin``, ``exp``, ``erfc`` ...) may differ in the last
bit between CPUs and C libraries, so a statistic printed with all 17 significant
digits can differ between two machines that ran the same input. Every float that
JSON and CSV outputs carry is therefore rounded to :data:`SIGNIFICANT_DIGITS`
significant digits and written in the shortest form that reads back as that
rounded value (``0.05``, not ``0.050000000000000044``).

Twelve digits keep far more precision than any survey statistic has (a share
from a million answers is known to about six digits) while leaving four digits
of headroom below a double's ~16, where machines disagree.
"""

from __future__ import annotations

import math
from typing import Any

SIGNIFICANT_DIGITS = 12


def stable_float(value: float) -> float:
    """``value`` rounded to :data:`SIGNIFICANT_DIGITS` significant digits.

    Non-finite values pass through unchanged (the renderers refuse or blank them),
    and ``-0.0`` becomes ``0.0`` so that a sign bit left by rounding never shows.
    """
    if not math.isfinite(value):
        return value
    rounded = float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    return rounded + 0.0  # -0.0 -> 0.0


def format_float(value: float) -> str:
    """The text of a float in CSV and other plain-text machine outputs."""
    return repr(stable_float(value))


def stable_data(data: Any) -> Any:
    """A JSON-ready structure (dicts, lists, scalars) with every float made stable."""
    if isinstance(data, float):
        return stable_float(data)
    if isinstance(data, dict):
        return {k: stable_data(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [stable_data(v) for v in data]
    return data
