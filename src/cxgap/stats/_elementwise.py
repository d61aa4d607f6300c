"""One kernel, two kinds of input: Python numbers, or numpy arrays a caller already has.

The kernels of :mod:`cxgap.stats` are elementwise arithmetic written once against a small
namespace of operations (:class:`Ops`: ``where``, ``sqrt``, ``clip``, ...). :data:`FLOATS`
runs a kernel on Python floats, one element at a time: what the commands do with their
dozen items and few comparisons, so that they never import numpy. When a caller passes numpy
arrays, the same kernel runs on whole arrays at once (simulations and calibrations over
thousands of tables) and the results are arrays. numpy is looked up in ``sys.modules``, never
imported: a caller holding an array has imported it already.

Both namespaces do the same IEEE operations in the same order (squares as products, sums
over terms left to right, no division by zero: kernels divide by a stand-in where a result
is undefined and mask it) and take every other function from :mod:`math`, so a kernel gives
the same bits on a float as on the array that holds it.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Sequence
from numbers import Real
from types import ModuleType
from typing import Any, Protocol, TypeAlias, TypeVar

T = TypeVar("T")

#: What the public kernels take: a number, a sequence of numbers, or a numpy array.
ArrayLike: TypeAlias = Any
#: What they give back for it: a float for numbers, a list for a sequence, an ndarray for
#: numpy arrays.
Floats: TypeAlias = Any

_TERMS = "coef has one entry per term; count and nobs have shape (terms, ...)"


class Ops(Protocol):
    """The operations a kernel may use besides arithmetic and comparisons."""

    def where(self, cond: bool, a: T, b: T) -> T: ...
    def sqrt(self, a: float) -> float: ...
    def maximum(self, a: float, b: float) -> float: ...
    def minimum(self, a: float, b: float) -> float: ...
    def clip(self, a: float, lo: float, hi: float) -> float: ...
    def isnan(self, a: float) -> bool: ...
    def apply(self, f: Callable[[float], float], a: float) -> float: ...
    def full_like(self, a: float, value: float) -> float: ...


class _FloatOps:
    """:class:`Ops` on Python floats; NaN wins ``maximum``, ``minimum`` and ``clip``, as in
    numpy."""

    def where(self, cond: bool, a: T, b: T) -> T:
        return a if cond else b

    def sqrt(self, a: float) -> float:
        return math.sqrt(a)

    def maximum(self, a: float, b: float) -> float:
        return a if a >= b or math.isnan(a) else b

    def minimum(self, a: float, b: float) -> float:
        return a if a <= b or math.isnan(a) else b

    def clip(self, a: float, lo: float, hi: float) -> float:
        return self.minimum(self.maximum(a, lo), hi)

    def isnan(self, a: float) -> bool:
        return math.isnan(a)

    def apply(self, f: Callable[[float], float], a: float) -> float:
        return f(a)

    def full_like(self, a: float, value: float) -> float:
        return value


class _ArrayOps:
    """:class:`Ops` on numpy arrays (``np`` is the numpy module the caller imported)."""

    def __init__(self, np: ModuleType) -> None:
        self.np = np

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        return self.np.where(cond, a, b)

    def sqrt(self, a: Any) -> Any:
        return self.np.sqrt(a)

    def maximum(self, a: Any, b: Any) -> Any:
        return self.np.maximum(a, b)

    def minimum(self, a: Any, b: Any) -> Any:
        return self.np.minimum(a, b)

    def clip(self, a: Any, lo: Any, hi: Any) -> Any:
        return self.np.clip(a, lo, hi)

    def isnan(self, a: Any) -> Any:
        return self.np.isnan(a)

    def apply(self, f: Callable[[float], float], a: Any) -> Any:
        arr = self.np.asarray(a, dtype=self.np.float64)
        return self.np.vectorize(f, otypes=[self.np.float64])(arr) if arr.size else arr

    def full_like(self, a: Any, value: float) -> Any:
        return self.np.full(self.np.shape(a), value)


FLOATS: Ops = _FloatOps()


def numpy_in(*args: object) -> ModuleType | None:
    """numpy, when an argument is a numpy array (or a list or tuple holding one); else None."""
    np = sys.modules.get("numpy")
    if np is None:
        return None
    for a in args:
        if isinstance(a, np.ndarray):
            return np
        if isinstance(a, list | tuple) and any(isinstance(v, np.ndarray) for v in a):
            return np
    return None


def elementwise(kernel: Callable[..., Any], *args: ArrayLike, outputs: int = 1) -> Any:
    """``kernel(ops, *values)`` over the elements of ``args`` (numbers and sequences of one
    value broadcast against the others, as in numpy). A kernel with several outputs
    returns a tuple of them, and so does this (``outputs`` says how many, for empty input)."""
    np = numpy_in(*args)
    if np is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            return kernel(_ArrayOps(np), *(np.asarray(a, dtype=np.float64) for a in args))
    if all(isinstance(a, Real) for a in args):
        return kernel(FLOATS, *(float(a) for a in args))
    columns = _columns(args)
    found = [kernel(FLOATS, *values) for values in zip(*columns, strict=True)]
    return found if outputs == 1 else _transpose(found, outputs)


def over_terms(
    kernel: Callable[..., Any],
    coef: Iterable[float],
    count: ArrayLike,
    nobs: ArrayLike,
    *args: ArrayLike,
    outputs: int = 1,
) -> Any:
    """``kernel(ops, coef, x, n, *values)`` for each target of a sum over terms.

    ``count`` and ``nobs`` hold one row per term (shape (terms, k), or (terms,) for one
    target); ``args`` are numbers or one value per target. The kernel gets ``x[g]`` and
    ``n[g]`` for term g: floats, or numpy rows of k targets at once.
    """
    c = [float(v) for v in coef]
    np = numpy_in(count, nobs, *args)
    if np is not None:
        x = np.asarray(count, dtype=np.float64)
        n = np.asarray(nobs, dtype=np.float64)
        if x.ndim < 1 or x.shape != n.shape or x.shape[0] != len(c):
            raise ValueError(_TERMS)
        with np.errstate(divide="ignore", invalid="ignore"):
            arrays = (np.asarray(a, dtype=np.float64) for a in args)
            return kernel(_ArrayOps(np), c, x, n, *arrays)
    xs, ns = list(count), list(nobs)
    if len(xs) != len(c) or len(ns) != len(c):
        raise ValueError(_TERMS)
    values = [*xs, *ns, *args]
    terms = len(c)
    found = [
        kernel(FLOATS, c, list(v[:terms]), list(v[terms : 2 * terms]), *v[2 * terms :])
        for v in zip(*_columns(values), strict=True)
    ]
    if all(isinstance(v, Real) for v in values):  # one target
        return found[0]
    return found if outputs == 1 else _transpose(found, outputs)


def _columns(args: Sequence[ArrayLike]) -> list[list[float]]:
    """Every argument as a list of floats of one length: numbers and sequences of one
    value are repeated (numpy's broadcasting, in one dimension)."""
    listed = [[float(a)] if isinstance(a, Real) else [float(v) for v in a] for a in args]
    lengths = {len(a) for a in listed} - {1}
    if len(lengths) > 1:
        raise ValueError(f"sequences of different lengths: {sorted(lengths)}")
    size = lengths.pop() if lengths else 1
    return [a * size if len(a) == 1 else a for a in listed]


def _transpose(found: list[tuple[float, ...]], outputs: int) -> tuple[list[float], ...]:
    if not found:
        return tuple([] for _ in range(outputs))
    return tuple(list(column) for column in zip(*found, strict=True))
