"""The integer pass per wave and segment, counted by numpy scatter-adds over batches.

:func:`~cxgap.scan.integer_pass.integer_count_query` counts a row per wave and segment
labels by a grouping of one true/false column per (item, code) (and, weighted, two
128-bit fixed-point columns beside each): three columns per count where the pooled sums
need one. This pass gives the same frame from the same scan, read in batches: each item's
answer becomes a small bin (each code from the lowest to the highest expected, below,
above, blank), a few items' bins one code (a *pack*, computed by polars as it reads), and
per batch one ``np.bincount`` per pack counts every combination of those answers per
group label and good or bad weight. Every count of the query is a sum of such cells.

Weight sums stay exact: the fixed-point weight (and squared weight) is a whole float64
(:func:`~cxgap.counts_table.fixed_float`), split here into limbs of 26 bits; a float64
bincount of up to 2**27 such limbs is exact, and the limb sums add as int64 across
batches and as Python integers at the end. Where a batch does not fit (too many group
labels, or a weight beyond 128 bits), :func:`scattered` says so and the caller runs the
query instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from cxgap.counts_table import fixed_float
from cxgap.io.source import SurveyFile, collect_batches
from cxgap.scan.integer_pass import (
    LAST_BLANKS,
    TALLY,
    WAVE_BLANKS,
    WAVE_ENDS,
    composite_tally,
    integer_scan,
    segment_key,
)
from cxgap.scan.integer_row import BLANK, CROSS, WAVE_KEY, weighted
from cxgap.scan.weights import BAD, W_MAX, W_MIN, W, with_weight

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: The cells of one pack (the product of its items' bins): small enough for the cache.
PACK_CELLS = 8192
#: The most cells one pack may count over all the group labels before the pass gives up.
MAX_CELLS = 1 << 20
#: Bits per limb of a fixed-point weight, and rows per batch (float64 sums stay exact).
LIMB, BATCH_ROWS = 26, 1 << 17


class TooWide(Exception):
    """The data do not fit the scatter pass (run the query instead)."""


@dataclass(frozen=True)
class _Axis:
    """One small-integer column of a pack: an item's answer (bins 1, 2, ... for the codes
    from the lowest expected, 0 below and the one after the highest above them, the last
    for a blank), the composite's tally, or a column's blank."""

    expr: pl.Expr
    size: int
    low: int = 0  # an item's lowest expected code: bin 1


def _answer(column: str, expected: Sequence[int]) -> _Axis:
    low, high = min(expected), max(expected)
    at = pl.col(column).clip(low - 1, high + 1) - (low - 1)  # 1, 2, ... for low, low + 1, ...
    return _Axis(at.fill_null(high - low + 3), high - low + 4, low)


def scattered(
    survey: SurveyFile,
    schema: pl.Schema,
    *,
    columns: Mapping[str, str],
    codes: Mapping[str, Sequence[int]],
    wave: str | None = None,
    votes: Mapping[str, Mapping[str, int]] | None = None,
    blanks_of: str | None = None,
    crosstab_by: str | None = None,
    segments: Sequence[str] = (),
    weight: str | None = None,
    ends_of: str | None = None,
    trim: bool = True,
    integer_last: bool = False,
) -> pl.DataFrame:
    """integer_count_query's rows per wave and segment (``schema``: that query's), by
    scatter-adds; raises TooWide when the data do not fit. Arguments as the query's; with
    neither ``wave`` nor ``segments``, its pooled row, whose first and last wave label and
    blank wave labels are those of column ``ends_of`` (if any). ``trim``: as
    :func:`~cxgap.scan.weights.with_weight`'s."""
    axes: dict[str, _Axis] = {i: _answer(c, sorted(set(codes[i]))) for i, c in columns.items()}
    lf = integer_scan(survey, columns, blanks_of, integer_last=integer_last)
    if votes:
        tally = composite_tally(
            [(columns[item], answers, codes[item]) for item, answers in votes.items()]
        )
        lf = lf.with_columns(tally)  # bins: 0 none answered, 1 agree, 2 answered, not
        some, agree = (pl.col(t).cast(pl.Int32) for t in TALLY[:2])
        axes[TALLY[0]] = _Axis(some * 2 - agree, 3)
    if blanks_of:
        axes[LAST_BLANKS] = _Axis(pl.col(blanks_of).is_null().cast(pl.Int32), 2)
    packs = _packs(axes, crosstab_by)
    keys = [pl.col(wave).cast(pl.String)] if wave else []
    keys += [pl.col(name).cast(pl.String) for name in segments]
    out = [k.alias(f"k{i}") for i, k in enumerate(keys)]
    cells = [math.prod(axes[n].size for n in pack) for pack in packs]
    # a row with a bad weight counts in a pack's second half (width: the widest pack)
    bad = pl.col(W).is_null().cast(pl.Int32) * max(cells) if weight else pl.lit(0, pl.Int32)
    for p, pack in enumerate(packs):
        code = pl.lit(0, dtype=pl.Int32)
        for name in pack:
            code = code * axes[name].size + axes[name].expr
        out.append((code + bad).alias(f"p{p}"))
    if weight:
        lf = with_weight(lf, weight, trim=trim, comma=survey.decimal_comma)
        w = pl.col(W)
        out += [fixed_float(w).fill_null(0.0).alias("f"),
                fixed_float(w * w).fill_null(0.0).alias("f2"),
                w.fill_null(math.inf).alias("lo"), w.fill_null(-math.inf).alias("hi")]  # fmt: skip
    if ends_of is not None:
        out.append(pl.col(ends_of).cast(pl.String).alias("e"))
        # a blank label counts where the row does: not where a bad weight drops it
        out.append(pl.col(W).is_not_null().alias("eg") if weight else pl.lit(True).alias("eg"))
    sums, ends = _Sums(cells, len(keys), weight), _Ends()
    for batch in collect_batches(lf.select(out), survey, rows=BATCH_ROWS):
        sums.add(batch)
        if ends_of is not None:
            ends.add(batch["e"], batch["eg"])
    sums.finish()
    if not sums.labels:  # no rows: the query's row of zeros
        raise TooWide("no rows")
    frame = _frame(sums, schema, axes, packs, codes, columns, crosstab_by, wave, segments)
    if WAVE_BLANKS not in schema:
        return frame
    return frame.with_columns(
        pl.lit(ends.first, pl.String).alias(WAVE_ENDS[0]),
        pl.lit(ends.last, pl.String).alias(WAVE_ENDS[1]),
        pl.lit(ends.blanks).cast(schema[WAVE_BLANKS]).alias(WAVE_BLANKS),
    )


class _Ends:
    """The lowest and highest wave label, and the blank ones, over the batches."""

    def __init__(self) -> None:
        self.first: str | None = None
        self.last: str | None = None
        self.blanks = 0

    def add(self, labels: pl.Series, counted: pl.Series) -> None:
        low, high = labels.min(), labels.max()
        if isinstance(low, str) and isinstance(high, str):
            self.first = low if self.first is None else min(self.first, low)
            self.last = high if self.last is None else max(self.last, high)
        self.blanks += int((labels.is_null() & counted).sum())


def _packs(axes: Mapping[str, _Axis], by: str | None) -> list[list[str]]:
    """The axes in packs of at most PACK_CELLS cells; with a cross-tab, the headline item
    first in every pack (each item's cross-tab is a margin of its pack)."""
    first = [by] if by is not None else []
    packs: list[list[str]] = []
    pack, cells = list(first), math.prod(axes[n].size for n in first)
    for name in axes:
        if name == by:
            continue
        if cells * axes[name].size > PACK_CELLS and len(pack) > len(first):
            packs.append(pack)
            pack, cells = list(first), math.prod(axes[n].size for n in first)
        pack.append(name)
        cells *= axes[name].size
    if len(pack) > len(first) or not packs:
        packs.append(pack)
    return packs


class _Sums:
    """Per group label, good or bad weight and pack cell: the counts, and the sums of the
    fixed-point weights and squared weights (per shift: a low and a high word)."""

    def __init__(self, cells: list[int], keys: int, weight: str | None) -> None:
        import numpy as np

        self.np = np
        self.cells, self.keys, self.weighted = cells, keys, weight is not None
        self.good_bad = 2 if self.weighted else 1
        self.width = max(cells)
        self.labels: dict[tuple[str | None, ...], int] = {}
        self.known: list[list[str]] = [[] for _ in range(keys)]
        self.counts = [self._zeros() for _ in cells]
        #: per weight sum ("f", "f2"), shift and pack: the low words (carried into the high
        #: words before they could overflow) and the high words
        self.sums: dict[str, dict[int, list[list[NDArray[np.int64]]]]] = {"f": {}, "f2": {}}
        self.bound: dict[tuple[str, int], float] = {}  # the largest a low word may hold
        self.low = np.full(0, np.inf)
        self.high = np.full(0, -np.inf)

    def _zeros(self) -> NDArray[np.int64]:
        return self.np.zeros((len(self.labels), self.good_bad, self.width), self.np.int64)

    def add(self, batch: pl.DataFrame) -> None:
        """Count a batch."""
        np = self.np
        if not batch.height:
            return
        if batch.height >= 1 << 27:
            raise TooWide("batch")
        group = self._groups(batch)
        self._grow()
        base = group * (self.good_bad * self.width)
        size = len(self.labels) * self.good_bad * self.width
        keys = [base + batch[f"p{p}"].to_numpy() for p in range(len(self.cells))]
        for p, key in enumerate(keys):
            self.counts[p].reshape(-1)[:] += np.bincount(key, minlength=size)
        for name in ("f", "f2") if self.weighted else ():
            for shift, part, top in _parts(np, batch[name].to_numpy()):
                words = self.sums[name].setdefault(shift, [])
                if not words:
                    words += [[self._zeros(), self._zeros()] for _ in self.cells]
                if self.bound.get((name, shift), 0.0) + top * batch.height >= 2.0**62:
                    self._carry(words)
                    self.bound[name, shift] = 2.0**32
                self.bound[name, shift] = self.bound.get((name, shift), 0.0) + top * batch.height
                for (low, _), key in zip(words, keys, strict=True):
                    np.add.at(low.reshape(-1), key, part)  # exact: below 2**62 (the bound)
        if self.weighted and isinstance(group, int):  # the batch is one group's
            self.low[group] = min(self.low[group], batch["lo"].min())
            self.high[group] = max(self.high[group], batch["hi"].max())
        elif self.weighted:
            np.minimum.at(self.low, group, batch["lo"].to_numpy())
            np.maximum.at(self.high, group, batch["hi"].to_numpy())

    def _carry(self, words: list[list[NDArray[np.int64]]]) -> None:
        for low, high in words:
            high += low >> 32
            low &= (1 << 32) - 1

    def finish(self) -> None:
        """Every low word below 2**32 (so margins of them cannot overflow)."""
        for shifts in self.sums.values():
            for words in shifts.values():
                self._carry(words)

    def _groups(self, batch: pl.DataFrame) -> Any:
        """Each row's group id (one int when the batch has one group): its labels'
        combination (numbered over the labels seen so far) mapped to the ids."""
        np = self.np
        code: Any = 0
        for k in range(self.keys):
            column, known = batch[f"k{k}"], self.known[k]
            # (Series methods that polars runs as a query wait for the pass's threads: the
            # few used here do not.)
            blank = column.null_count() > 0
            try:  # the labels seen so far, one of which the first value is: the usual case
                if len(known) == 1 and not blank and (column == known[0]).all():
                    mine: Any = 0
                else:
                    mine = _numbered(np, column, known, blank)
            except pl.exceptions.InvalidOperationError:  # a label not seen before
                known += sorted(set(column.unique().to_list()) - {None, *known})
                mine = _numbered(np, column, known, blank)
            code = code * (len(known) + 1) + mine
        if math.prod(len(known) + 1 for known in self.known) > MAX_CELLS:
            raise TooWide("labels")
        present = [code] if isinstance(code, int) else np.flatnonzero(np.bincount(code)).tolist()
        ids = []
        for combo in present:
            labels: list[str | None] = []
            for known in reversed(self.known):
                combo, at = divmod(combo, len(known) + 1)
                labels.append(known[at] if at < len(known) else None)
            ids.append(self.labels.setdefault(tuple(reversed(labels)), len(self.labels)))
        if len(self.labels) * self.good_bad * self.width > MAX_CELLS:
            raise TooWide("labels")
        if isinstance(code, int):
            return ids[0]
        lookup = np.zeros(present[-1] + 1, np.intp)
        lookup[present] = ids
        return lookup[code]

    def _grow(self) -> None:
        np, have = self.np, self.counts[0].shape[0]
        more = len(self.labels) - have
        if more <= 0:
            return
        pad = ((0, more), (0, 0), (0, 0))
        self.counts = [np.pad(c, pad) for c in self.counts]
        for shifts in self.sums.values():
            for words in shifts.values():
                words[:] = [[np.pad(w, pad) for w in pair] for pair in words]
        self.low = np.pad(self.low, (0, more), constant_values=np.inf)
        self.high = np.pad(self.high, (0, more), constant_values=-np.inf)


def _numbered(np: Any, column: pl.Series, known: list[str], blank: bool) -> Any:
    """Each label's place in ``known`` (a blank's: after them)."""
    at = column.cast(pl.Enum(known)).to_physical().to_numpy()
    return np.where(np.isnan(at), len(known), at).astype(np.intp) if blank else at.astype(np.intp)


def _parts(np: Any, values: NDArray[np.float64]) -> list[tuple[int, NDArray[np.int64], float]]:
    """Whole non-negative float64s as int64 parts, each with its shift and its largest
    possible value: themselves when their largest times their number is below 2**62,
    else limbs of LIMB bits (exact: scaling by a power of two, floor and the difference
    of two whole numbers that share their low bits are)."""
    top = float(values.max())
    if not math.isfinite(top) or top >= 2.0**126:
        raise TooWide("weight")
    if top * values.size < 2.0**62:
        return [(0, values.astype(np.int64), top)]
    out: list[tuple[int, NDArray[np.int64], float]] = []
    rest, unit = values, float(1 << LIMB)
    while rest.max() >= unit:
        high = np.floor(rest * (1 / unit))
        out.append((LIMB * len(out), (rest - high * unit).astype(np.int64), unit))
        rest = high
    return [*out, (LIMB * len(out), rest.astype(np.int64), unit)]


def _frame(
    sums: _Sums,
    schema: pl.Schema,
    axes: Mapping[str, _Axis],
    packs: list[list[str]],
    codes: Mapping[str, Sequence[int]],
    columns: Mapping[str, str],
    by: str | None,
    wave: str | None,
    segments: Sequence[str],
) -> pl.DataFrame:
    """The counts as the query's frame: its columns, types and values; a row per group
    label combination, nulls first."""
    np = sums.np
    where = {name: (p, i) for p, pack in enumerate(packs) for i, name in enumerate(pack)}
    found = sorted(sums.labels.items(), key=lambda kv: [(v is not None, v or "") for v in kv[0]])
    rows = np.array([i for _, i in found], np.intp)
    names = [WAVE_KEY] if wave else []
    names += [segment_key(s) for s in segments]
    values: dict[str, Any] = {WAVE_KEY: [None] * len(found)}
    values.update({name: [labels[k] for labels, _ in found] for k, name in enumerate(names)})

    def margin(source: str, name: str, other: str | None = None) -> Any:
        """Per row, good/bad weight and bin of ``name`` (and of ``other``): the counts
        (``source`` "n") or weight sums ("f", "f2": whole numbers from their limbs) of the
        pack's cells, summed over its other axes."""
        p, i = where[name]
        sizes = [axes[n].size for n in packs[p]]
        keep = [i] if other is None else [i, where[other][1]]
        drop = tuple(2 + j for j in range(len(sizes)) if j not in keep)
        if source == "n":
            layers = [(0, sums.counts[p])]
        else:  # each shift's low and high words
            layers = [(shift + 32 * h, words[p][h])
                      for shift, words in sums.sums[source].items() for h in (0, 1)]  # fmt: skip
        shape = [len(rows), sums.good_bad, *(sizes[j] for j in keep)]
        total: Any = np.zeros(shape, np.int64 if source == "n" else object)
        for shift, layer in layers:
            part = layer[rows][:, :, : math.prod(sizes)].reshape(len(rows), -1, *sizes)
            part = part.sum(axis=drop)  # below 2**63: each cell's below 2**32, or a share
            if other is not None and keep[1] < keep[0]:
                part = part.swapaxes(2, 3)
            total = total + (part if source == "n" else part.astype(object) << shift)
        return total

    def bins(item: str, code: int | None) -> int:
        axis = axes[item]
        return axis.size - 1 if code is None else code - axis.low + 1

    for item in columns:
        expected, axis = sorted(set(codes[item])), axes[item]
        counts = margin("n", item)
        margins = {"f": margin("f", item), "f2": margin("f2", item)} if sums.weighted else {}
        for code in [*expected, None]:
            at = bins(item, code)
            label = f"{item}\x00{'null' if code is None else code}"
            values[label] = counts[:, 0, at]
            if sums.weighted:
                values[weighted(label)] = margins["f"][:, 0, at]
                values[weighted(label, squares=True)] = margins["f2"][:, 0, at]
        inside = {code - axis.low + 1 for code in expected}
        other = [b for b in range(axis.size - 1) if b not in inside]  # and below, above
        values[f"{item}\x00other"] = counts[:, :, other].sum(axis=(1, 2))
    if TALLY[0] in axes:  # bins: 0 none answered, 1 agree, 2 answered, not agree
        for source in ("n", "f", "f2") if sums.weighted else ("n",):
            got = margin(source, TALLY[0])[:, 0]
            for t, value in zip(TALLY, (got[:, 1] + got[:, 2], got[:, 1], got[:, 0]), strict=True):
                values[t if source == "n" else weighted(t, squares=source == "f2")] = value
    if LAST_BLANKS in axes:
        values[LAST_BLANKS] = margin("n", LAST_BLANKS)[:, :, 1].sum(axis=1)
    if by is not None:
        heads = [*sorted(set(codes[by])), None]
        for item in columns:
            if item == by:
                continue
            joint = margin("n", item, by)
            weights = margin("f", item, by) if sums.weighted else None
            for a in [*sorted(set(codes[item])), None]:
                i = bins(item, a)
                for b in heads:
                    j = bins(by, b)
                    label = f"{CROSS}{item}\x00{BLANK if a is None else a}\x00"
                    label += BLANK if b is None else str(b)
                    values[label] = joint[:, 0, i, j]
                    if weights is not None:
                        values[weighted(label)] = weights[:, 0, i, j]
    if sums.weighted:
        values[BAD] = sums.counts[0][rows][:, 1, :].sum(axis=1)
        values[W_MIN] = [None if math.isinf(v) else v for v in sums.low[rows].tolist()]
        values[W_MAX] = [None if math.isinf(v) else v for v in sums.high[rows].tolist()]
    for name in (*WAVE_ENDS, WAVE_BLANKS):  # the pooled row's: the caller sets them
        values.setdefault(name, [None] * len(found))
    return pl.DataFrame([_series(name, values[name], dtype) for name, dtype in schema.items()])


def _series(name: str, value: Any, dtype: pl.DataType) -> pl.Series:
    listed = value if isinstance(value, list) else value.tolist()
    return pl.Series(name, listed, dtype=pl.Int128 if dtype == pl.Int128 else None).cast(dtype)
