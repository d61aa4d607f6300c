"""CSV: one row for the headline, then one row per item; floats at 12 significant digits."""

from __future__ import annotations

import csv
import io

from cxgap.model import AnalysisResult, GapStats
from cxgap.render.numbers import format_float

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "row",
    "item",
    "label",
    *(
        f"{g}_{f}"
        for g in ("leaders", "customers")
        for f in ("n", "missing", "agree", "share", "ci_lo", "ci_hi", "mean")
    ),
    "gap",
    "gap_ci_lo",
    "gap_ci_hi",
    "ratio",
    "p_value",
    "p_adjusted",
    "test",
    "mwu_p",
    "cohens_h",
    "significant",
    "flag",
)


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
    for g in (stats.leaders, stats.customers):
        row += [g.n, g.missing, g.agree, g.share, g.ci[0], g.ci[1], g.mean]
    row += [
        stats.gap,
        stats.gap_ci[0],
        stats.gap_ci[1],
        stats.ratio,
        stats.p_value,
        stats.p_adjusted,
        stats.test,
        stats.mwu_p,
        stats.cohens_h,
        stats.significant,
        stats.flag,
    ]
    return [csv_cell(v) for v in row]


def render_csv(result: AnalysisResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow(_row("headline", result.headline))
    for item in result.items:
        writer.writerow(_row("item", item))
    return out.getvalue()
