"""Raking a group's counts table to population margins, per wave.

The rake variables are segment keys of the counts table, so every respondent of a cell
(one label of each rake variable) gets the same factor: the cells are the counts of one
item summed over its answer values (blanks included), raking runs over them
(:mod:`cxgap.stats.rake`), and the raked table is the table with each cell's w_sum and
w2_sum mapped: w_sum -> f w_sum, w2_sum -> f^2 w2_sum (with trimming, w -> a w + b per
respondent: w_sum -> a w_sum + b n, w2_sum -> a^2 w2_sum + 2 a b w_sum + b^2 n).

Each wave is raked on its own: a tracking survey's waves are separate samples of the same
population, and each wave should represent it (pooling waves before raking would let one
wave's excess make up for another's shortfall).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import polars as pl

from cxgap.config.rake import RakeSpec
from cxgap.config.sections import possessive
from cxgap.counts_table import FIXED, WEIGHT_SUMS, keys_of
from cxgap.errors import (
    RakeCategoryMissing,
    RakeCategoryUntargeted,
    RakeCells,
    RakeNotConverged,
    RakeNotSegment,
    UsageError,
)
from cxgap.stats.design import DesignMean
from cxgap.stats.rake import Fit, Trim, ValueCell, margin_totals, rake_cells, raked_mean, trim_cells

#: A factor this close to 1 counts as 1 (the sample already matched the targets).
UNCHANGED = 1e-9


@dataclass(frozen=True)
class MarginCheck:
    """One category's weighted total after raking against its target."""

    wave: str | None
    variable: str
    category: str
    target: float
    achieved: float

    @property
    def difference(self) -> float:
        return self.achieved - self.target


@dataclass(frozen=True)
class WaveFit:
    """The raking of one wave: its cells (labels per rake variable, respondents, original
    weight sums), the fit, the trimming (None without a cap), and whether every factor
    is 1 (the sample already matched the targets)."""

    wave: str | None
    labels: tuple[tuple[str, ...], ...]
    n: tuple[int, ...]
    w_sum: tuple[float, ...]
    fit: Fit
    trim: Trim | None
    unchanged: bool

    def scale(self) -> tuple[float, ...]:
        """Each cell's raked weight sum / original weight sum."""
        if self.trim is None:
            return self.fit.factors
        t = self.trim
        return tuple(
            (t.scale[k] * w + t.shift[k] * self.n[k]) / w if w > 0 else t.scale[k]
            for k, w in enumerate(self.w_sum)
        )


@dataclass(frozen=True)
class RakeResult:
    """A group's counts raked to the margins.

    ``table``: the group's rows of the counts table with raked w_sum and w2_sum
    (``original``: the same rows before raking);
    ``factors``: a row per wave and cell (the rake variables' labels, ``n``, the
    original ``w_sum``, ``factor`` = raked / original weight sum, ``raked_w_sum``,
    ``trimmed``); ``check``: every margin category's target and achieved total per wave;
    ``iterations``: the sweeps per wave; ``unchanged``: every factor is 1 in every wave
    (the sample already matched the targets, which :meth:`notes` says)."""

    group: str
    variables: tuple[str, ...]
    table: pl.DataFrame
    original: pl.DataFrame
    factors: pl.DataFrame
    check: tuple[MarginCheck, ...]
    fits: tuple[WaveFit, ...]

    @property
    def iterations(self) -> dict[str | None, int]:
        return {f.wave: f.fit.sweeps for f in self.fits}

    @property
    def unchanged(self) -> bool:
        return all(f.unchanged for f in self.fits)

    def notes(self) -> list[str]:
        """What a report should say about the raking, one sentence each."""
        said = []
        for f in self.fits:
            where = f" in wave {f.wave}" if f.wave is not None else ""
            if f.unchanged:
                said.append(
                    f"Raking left the {possessive(self.group)} weights as they were{where}: "
                    "the sample already matched every target (every factor is 1)."
                )
            else:
                low, high = min(f.scale()), max(f.scale())
                said.append(
                    f"Raked the {self.group} to {', '.join(self.variables)}{where} in "
                    f"{f.fit.sweeps} sweep(s); factors {low:.3g} to {high:.3g}."
                )
            if f.trim is not None and any(f.trim.trimmed):
                said.append(
                    f"{sum(f.trim.trimmed)} cell(s) trimmed at {f.trim.upper:.4g}{where}; "
                    "the margins then miss their targets by the amounts checked."
                )
        return said


def rake_counts(table: pl.DataFrame, spec: RakeSpec, group: str) -> RakeResult:
    """Rake one group of a counts table to the spec's margins, each wave on its own.

    Raises the catalogue's raking errors: a margin that is not a segment key, a target
    category without respondents, respondents in a category without a target, no
    convergence within ``max_iterations`` sweeps, items that count different respondents."""
    variables = tuple(spec.margins)
    segments = [k for k in keys_of(table) if k not in FIXED]
    for name in variables:
        if name not in segments:
            keys = ", ".join(repr(s) for s in segments) or "none"
            raise RakeNotSegment(name=name, keys=keys, column=name)
    own = table.filter(pl.col("group") == group)
    if own.is_empty():
        held = ", ".join(sorted(table.get_column("group").unique().to_list()))
        raise UsageError(f"the counts table has no group {group!r} (it has: {held})")
    cells = _cells(own, list(variables))
    fits = []
    checks: list[MarginCheck] = []
    for wave_frame in cells.partition_by("wave", maintain_order=True):
        fit, check = _rake_wave(wave_frame, spec, variables)
        fits.append(fit)
        checks.extend(check)
    rows = []
    for f in fits:
        scale = f.scale()
        for k, label in enumerate(f.labels):
            trimmed = f.trim is not None and f.trim.trimmed[k]
            rows.append((f.wave, *label, f.n[k], f.w_sum[k], *_affine(f, k), scale[k], trimmed))
    maps = pl.DataFrame(
        rows,
        schema={"wave": pl.String, **dict.fromkeys(variables, pl.String), "n": pl.Int64,
                "w_sum": pl.Float64, "a": pl.Float64, "b": pl.Float64,
                "factor": pl.Float64, "trimmed": pl.Boolean},
        orient="row",
    )  # fmt: skip
    on = ["wave", *variables]
    a, b = pl.col("a"), pl.col("b")
    raked = (
        own.join(maps.select(*on, "a", "b"), on=on, how="left", nulls_equal=True)
        .with_columns(
            w2_sum=a * a * pl.col("w2_sum") + 2.0 * a * b * pl.col("w_sum") + b * b * pl.col("n"),
            w_sum=a * pl.col("w_sum") + b * pl.col("n"),
        )
        .select(own.columns)
    )
    factors = maps.with_columns(raked_w_sum=pl.col("w_sum") * pl.col("factor")).select(
        *on, "n", "w_sum", "factor", "raked_w_sum", "trimmed"
    )
    return RakeResult(group, variables, raked, own, factors, tuple(checks), tuple(fits))


def _affine(fit: WaveFit, k: int) -> tuple[float, float]:
    if fit.trim is None:
        return fit.fit.factors[k], 0.0
    return fit.trim.scale[k], fit.trim.shift[k]


def _cells(own: pl.DataFrame, variables: list[str]) -> pl.DataFrame:
    """Per wave and cell of the rake variables: respondents, weight sums, read from the
    first item of each wave, after checking every item counts the same respondents."""
    per_item = own.group_by("wave", "item", *variables).agg(pl.col("n").sum(), *WEIGHT_SUMS)
    first = own.group_by("wave").agg(pl.col("item").min().alias("first"))
    per_item = per_item.join(first, on="wave", how="left", nulls_equal=True)
    cells = per_item.filter(pl.col("item") == pl.col("first")).drop("item", "first")
    on = ["wave", *variables]
    items = per_item.select("wave", "item").unique()
    expected = items.join(cells.select(*on, pl.col("n").alias("n_first")), on="wave",
                          nulls_equal=True)  # fmt: skip
    short = expected.join(per_item, on=["item", *on], how="left", nulls_equal=True).filter(
        pl.col("n").fill_null(0) != pl.col("n_first")
    )
    extra = per_item.join(cells.select(on), on=on, how="anti", nulls_equal=True)
    compared = pl.concat([short.select("wave", "item"), extra.select("wave", "item")])
    if not compared.is_empty():
        row = compared.row(0, named=True)
        other = first.filter(pl.col("wave").eq_missing(row["wave"]))["first"][0]
        where = f" of wave {row['wave']}" if row["wave"] is not None else ""
        raise RakeCells(item=row["item"], other=other, where=where)
    return cells.sort("wave", *variables, nulls_last=False)


def _rake_wave(
    cells: pl.DataFrame, spec: RakeSpec, variables: Sequence[str]
) -> tuple[WaveFit, list[MarginCheck]]:
    wave: str | None = cells["wave"][0]
    where = f" in wave {wave}" if wave is not None else ""
    labels_raw = list(cells.select(variables).iter_rows())
    n = [int(x) for x in cells["n"]]
    w_sum = [float(x) for x in cells["w_sum"]]
    sample_total = math.fsum(w_sum)
    wanted = spec.totals(sample_total)
    for m, variable in enumerate(variables):
        target = wanted[variable]
        counts: dict[str | None, int] = {}
        weights: dict[str | None, float] = {}
        for k, label in enumerate(labels_raw):
            counts[label[m]] = counts.get(label[m], 0) + n[k]
            weights[label[m]] = weights.get(label[m], 0.0) + w_sum[k]
        if set(counts) == {None}:
            raise RakeCategoryUntargeted(
                f"{counts[None]} respondent(s){where} have no {variable!r}: the file of the "
                f"group raked has no such column, or it is blank in every row",
                column=variable,
                hint="a rake variable names a column of the raked (customers') file",
            )
        seen = sorted(c for c in counts if c is not None)
        for wanted_category, value in target.items():
            if value > 0.0 and counts.get(wanted_category, 0) == 0:
                near = [c for c in seen if c.casefold() == wanted_category.casefold()]
                raise RakeCategoryMissing(
                    category=wanted_category, variable=variable, why="has no respondents",
                    where=where, column=variable,
                    hint=(f"the sample writes it {near[0]!r}" if near else
                          f"the sample's categories: {', '.join(map(repr, seen))}"),
                )  # fmt: skip
        for category, count in counts.items():
            if category is None or not target.get(category, 0.0) > 0.0:
                why = "no target" if category not in target else "a target of 0"
                shown = "a blank" if category is None else f"category {category!r}"
                raise RakeCategoryUntargeted(
                    count=count, where=where, category=shown, variable=variable, why=why,
                    column=variable,
                )  # fmt: skip
        for category, value in target.items():
            if value > 0.0 and not weights.get(category, 0.0) > 0.0:
                why = (
                    "has no respondents"
                    if counts.get(category, 0) == 0
                    else "has respondents whose weights are all 0"
                )
                raise RakeCategoryMissing(
                    category=category, variable=variable, why=why, where=where, column=variable
                )
    labels = [tuple(str(x) for x in label) for label in labels_raw]
    targets = [{c: t for c, t in wanted[v].items() if t > 0.0} for v in variables]
    fit = rake_cells(
        labels, w_sum, targets, epsilon=spec.tolerance * sample_total,
        max_sweeps=spec.max_iterations,
    )  # fmt: skip
    raked = [f * w for f, w in zip(fit.factors, w_sum, strict=True)]
    if not fit.converged:
        worst = max(
            _check(wave, labels, raked, variables, targets),
            key=lambda c: abs(c.difference) / c.target,
        )
        raise RakeNotConverged(
            sweeps=fit.sweeps, where=where, variable=worst.variable, category=worst.category,
            achieved=f"{worst.achieved:.10g}", target=f"{worst.target:.10g}", column=worst.variable,
        )  # fmt: skip
    trim = trim_cells(n, w_sum, fit.factors, spec.cap) if spec.cap is not None else None
    if trim is not None:
        raked = [trim.scale[k] * w_sum[k] + trim.shift[k] * n[k] for k in range(len(n))]
    unchanged = all(abs(f - 1.0) <= UNCHANGED for f in fit.factors) and not (
        trim is not None and any(trim.trimmed)
    )
    wave_fit = WaveFit(wave, tuple(labels), tuple(n), tuple(w_sum), fit, trim, unchanged)
    return wave_fit, _check(wave, labels, raked, variables, targets)


def _check(
    wave: str | None,
    labels: Sequence[Sequence[str]],
    raked: Sequence[float],
    variables: Sequence[str],
    targets: Sequence[dict[str, float]],
) -> list[MarginCheck]:
    """Every target category's achieved weighted total against its target."""
    found = []
    for m, variable in enumerate(variables):
        achieved = margin_totals(labels, raked, m)
        for category, target in targets[m].items():
            found.append(MarginCheck(wave, variable, category, target, achieved.get(category, 0.0)))
    return found


def raked_share(
    result: RakeResult,
    item: str,
    agree: Collection[str],
    wave: str | None = None,
    answers: Collection[str] | None = None,
) -> DesignMean:
    """The raked share of ``item``'s answers in ``agree`` (answer values as the counts
    table writes them) among those who answered, in one wave, with R's svymean SE on the
    raked design (:func:`cxgap.stats.rake.raked_mean`): exact after trimming only when the
    weights within each cell are equal. ``answers``: the values that are answers (a
    "Don't know" is not: it counts as a blank); None: every value written."""
    fits = [f for f in result.fits if f.wave == wave]
    if not fits:
        waves = ", ".join(str(f.wave) for f in result.fits)
        raise UsageError(f"no wave {wave!r} was raked (waves: {waves})")
    fit = fits[0]
    index = {label: k for k, label in enumerate(fit.labels)}
    variables = list(result.variables)
    rows = (
        result.original.filter(pl.col("item") == item, pl.col("wave").eq_missing(wave))
        .group_by(*variables, "value")
        .agg(pl.col("n").sum(), *WEIGHT_SUMS)
    )
    if rows.is_empty():
        raise UsageError(f"the counts table has no item {item!r} for the {result.group}")
    agreeing = set(agree)
    values = [
        ValueCell(
            index[tuple(str(x) for x in row[: len(variables)])],
            None
            if row[-4] is None or (answers is not None and row[-4] not in answers)
            else float(row[-4] in agreeing),
            int(row[-3]),
            float(row[-2]),
            float(row[-1]),
        )
        for row in rows.iter_rows()
    ]
    return raked_mean(values, fit.labels, fit.fit.steps, fit.scale())
