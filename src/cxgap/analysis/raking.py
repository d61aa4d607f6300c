"""Raking wired into an analysis: the reference group's counts raked to the config's margins
(``[rake]``, ``--rake margins.toml``) before any statistic, and the report of it.

The reference group (customers) is raked: the sample that stands for a population. Its
rows of the counts table are replaced by the raked ones, so every share, interval, gap,
NPS and segment figure is the raked one; each share's standard error is R's on the raked
design (:func:`cxgap.weighting.rake.raked_share`), per wave.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import polars as pl

from cxgap.config import Config
from cxgap.counts_table import in_order, pooled
from cxgap.errors import ConfigError
from cxgap.model.raking import MarginResult, RakeReport
from cxgap.scan.prepare import Prepared
from cxgap.stats.design import DesignMean
from cxgap.weighting.rake import RakeResult, rake_counts, raked_share


def rake_prepared(prep: Prepared, cfg: Config) -> None:
    """Rake the reference group of ``prep`` in place (nothing without ``cfg.rake``)."""
    spec = cfg.rake
    if spec is None or prep.raked is not None:
        return
    group = prep.groups[-1]
    if prep.needs_composite():
        raise ConfigError(
            "raking needs a headline item: the composite headline is counted per respondent "
            "before raking, so it would not be raked",
            setting="rake",
            hint="set headline_item (or --headline-item) to an item of both files",
        )
    table = prep.segmented if prep.segmented is not None else prep.counts
    result = rake_counts(table, spec, group)
    rest = table.filter(pl.col("group") != group)
    segments = [c for c in cfg.count_keys() if c in table.columns]
    raked = in_order(pl.concat([rest, result.table.select(rest.columns)]), segments)
    prep.segmented = raked
    prep.counts = pooled(raked)
    prep.raked = result
    prep.warnings.extend(result.notes())
    miss = report_of(result).largest_miss
    prep.warnings.append(
        f"The raked {group}' weighted margins match their targets (largest miss "
        f"{miss:.1e} of a target)"
        if miss < 1e-6
        else f"The raked {group}' weighted margins miss their targets by up to {miss:.1%} "
        "(trimming): see raking.margins in --format json"
    )


def raked_designs(
    prep: Prepared, waves: Mapping[str, list[str]]
) -> tuple[dict[tuple[str, str], DesignMean], list[str]]:
    """The raked group's agree share per item on its raked design, (group, item) -> its
    DesignMean (R's svymean SE of a raked design), for a result of one wave (or of data
    with one wave); and a warning when the result pools raked waves (each wave is raked
    on its own, and the pooled share then takes the weights-only standard error)."""
    raked = prep.raked
    if raked is None:
        return {}, []
    fitted = [f.wave for f in raked.fits]
    mine = waves.get(raked.group, [])
    if len(fitted) == 1:
        wave = fitted[0]
    elif len(mine) == 1 and mine[0] in fitted:
        wave = mine[0]
    else:
        return {}, [
            f"{raked.group}: raked wave by wave; the standard errors of the waves pooled are "
            "those of the raked weights alone (a wave's analysis, --wave, gives the raked "
            "design's)"
        ]
    out = {}
    for coding in prep.codings:
        start = prep.rule.threshold(coding.scale, coding.item)
        agree = {value for value, code in coding.codes.items() if code >= start}
        answers = set(coding.codes)  # what is no code ("Don't know") is no answer
        out[raked.group, coding.item] = raked_share(raked, coding.item, agree, wave, answers)
    return out, []


def report_of(result: RakeResult) -> RakeReport:
    """The JSON report of a raking: the sweeps, and every margin category's check."""
    margins = [
        MarginResult(wave=m.wave, variable=m.variable, category=m.category, target=m.target,
                     achieved=m.achieved, difference=m.difference)
        for m in result.check
    ]  # fmt: skip
    misses = [abs(m.difference) / m.target for m in margins if m.target > 0]
    misses = [m for m in misses if math.isfinite(m)]
    return RakeReport(
        group=result.group,
        variables=list(result.variables),
        sweeps={str(w) if w is not None else "": n for w, n in result.iterations.items()},
        unchanged=result.unchanged,
        largest_miss=max(misses, default=0.0),
        margins=margins,
        notes=result.notes(),
    )
