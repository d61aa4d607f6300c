"""CSV: one row for the headline, then one row per item; floats at 12 significant digits.

A group's columns are named for it (``leaders_share``); the headline comparison's
are ``gap`` ...; another comparison's ``leaders_vs_frontline_gap`` ... A weighted group's
share is weighted, and its ``_se`` (design-based), ``_n_eff`` (Kish), ``_deff`` and
``_weight_cv`` are set (blank for an unweighted group).
"""

from __future__ import annotations

import csv
import io

from cxgap.model import AnalysisResult, GapStats
from cxgap.render.numbers import format_float

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

GROUP_FIELDS = (
    "n", "missing", "agree", "share", "ci_lo", "ci_hi", "mean", "se", "n_eff", "deff",
    "weight_cv",
)  # fmt: skip
COMPARISON_FIELDS = (
    "gap", "gap_ci_lo", "gap_ci_hi", "ratio", "p_value", "p_adjusted", "test", "mwu_p",
    "cohens_h", "significant", "flag",
)  # fmt: skip


def columns(result: AnalysisResult) -> list[str]:
    """row, item, label; each group's fields (``leaders_share`` ...); the headline
    comparison's (``gap`` ...); each other comparison's (``leaders_vs_frontline_gap`` ...)."""
    out = ["row", "item", "label"]
    out += [f"{g}_{f}" for g in result.group_names for f in GROUP_FIELDS]
    out += list(COMPARISON_FIELDS)
    out += [f"{c.a}_vs_{c.b}_{f}" for c in result.comparisons[1:] for f in COMPARISON_FIELDS]
    return out


def safe_text(value: str) -> str:
    """Neutralise spreadsheet formula injection in a text cell."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_cell(value: object) -> str:
    """A CSV cell: blank for None, true/false, floats at the documented precision."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_float(value)
    return str(value)


def _row(kind: str, stats: GapStats) -> list[str]:
    row: list[object] = [kind, safe_text(stats.item), safe_text(stats.label)]
    for g in stats.groups.values():
        w = g.weighted
        row += [g.n, g.missing, g.agree, g.share, g.ci[0], g.ci[1], g.mean]
        row += [w.se, w.n_eff, w.deff, w.weight_cv] if w else [None] * 4
    for c in stats.comparisons:
        row += [
            c.gap, c.gap_ci[0], c.gap_ci[1], c.ratio, c.p_value, c.p_adjusted, c.test,
            c.mwu_p, c.cohens_h, c.significant, c.flag,
        ]  # fmt: skip
    return [csv_cell(v) for v in row]


def render_csv(result: AnalysisResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(result))
    writer.writerow(_row("headline", result.headline))
    for item in result.items:
        writer.writerow(_row("item", item))
    return out.getvalue()
