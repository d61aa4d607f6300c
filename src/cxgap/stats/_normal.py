"""The standard normal distribution from the standard library (no scipy)."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

_STD = NormalDist()


def z_for_confidence(confidence: float) -> float:
    """Two-sided critical value: the (1 + confidence) / 2 quantile of N(0, 1)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return _STD.inv_cdf(0.5 + confidence / 2.0)


def two_sided_p(z: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """P(|Z| >= |z|) for a standard normal Z, computed as erfc(|z| / sqrt 2)."""
    arr = np.abs(np.asarray(z, dtype=np.float64))
    erfc = np.vectorize(math.erfc, otypes=[np.float64])
    out: npt.NDArray[np.float64] = erfc(arr / math.sqrt(2.0)) if arr.size else arr
    return np.minimum(out, 1.0)
