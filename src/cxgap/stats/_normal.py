"""The standard normal distribution from the standard library (no scipy)."""

from __future__ import annotations

import math
from statistics import NormalDist

from cxgap.stats._elementwise import Ops

_STD = NormalDist()


def z_for_confidence(confidence: float) -> float:
    """Two-sided critical value: the (1 + confidence) / 2 quantile of N(0, 1)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return _STD.inv_cdf(0.5 + confidence / 2.0)


def upper_z(level: float) -> float:
    """The critical value a one-sided level leaves above it: Phi^-1(1 - level), computed as
    -Phi^-1(level) so that it stays finite for levels far below 1e-17. NaN outside (0, 1)."""
    return -_STD.inv_cdf(level) if 0.0 < level < 1.0 else math.nan


def two_sided_p(ops: Ops, z: float) -> float:
    """P(|Z| >= |z|) for a standard normal Z, computed as erfc(|z| / sqrt 2) (a kernel:
    see :mod:`cxgap.stats._elementwise`)."""
    return ops.minimum(ops.apply(math.erfc, abs(z) / math.sqrt(2.0)), 1.0)


def upper_tail(ops: Ops, z: float) -> float:
    """P(Z >= z) for a standard normal Z (a kernel)."""
    return 0.5 * ops.apply(math.erfc, z / math.sqrt(2.0))
