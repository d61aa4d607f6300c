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
from cxgap.model.nps import NpsResult
from cxgap.model.segments import SegmentCell, SegmentItem
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
    """The headline and item rows; then, when the result has them, a row per NPS item
    (``row`` "nps": each group's NPS, a fraction -1..1, in its share columns, the NPS
    gaps in the gap columns) and per item and segment (``row`` "segment", with the
    trailing columns ``segment_column``, ``segment`` and each group's ``suppressed``;
    a suppressed figure is blank), and per item and unit of the per-unit view likewise
    (``row`` "unit")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    units = [b for b in result.breakdowns() if b not in result.segments]
    extra = bool(result.segments or units)
    tail = ["segment_column", "segment", *(f"{g}_suppressed" for g in result.group_names)]
    writer.writerow(columns(result) + (tail if extra else []))
    blank = [""] * len(tail) if extra else []
    writer.writerow(_row("headline", result.headline) + blank)
    for item in result.items:
        writer.writerow(_row("item", item) + blank)
    for found in result.nps:
        writer.writerow(_nps_row(found, result.group_names) + blank)
    for kind, b in [*(("segment", b) for b in result.segments), *(("unit", b) for b in units)]:
        for seg_item in b.items:
            for cell in seg_item.cells:
                writer.writerow(_segment_row(seg_item, cell, result.group_names, b.column, kind))
    return out.getvalue()


def _nps_row(found: NpsResult, groups: list[str]) -> list[str]:
    row: list[object] = ["nps", safe_text(found.item), safe_text(found.label)]
    for g in groups:
        s = found.groups[g]
        row += [s.n, s.missing, None, s.nps, s.ci[0], s.ci[1], None]
    for c in found.comparisons:
        row += [c.gap, c.gap_ci[0], c.gap_ci[1], None, c.p_value, c.p_adjusted, "z", None,
                None, c.significant, None]  # fmt: skip
    return [csv_cell(v) for v in row]


def _segment_row(
    item: SegmentItem, cell: SegmentCell, groups: list[str], column: str, kind: str = "segment"
) -> list[str]:
    row: list[object] = [kind, safe_text(item.item), safe_text(item.label)]
    for g in groups:
        s = cell.groups[g]
        row += [s.n, None, None, s.share, s.ci[0], s.ci[1], None]
    for c in cell.comparisons:
        row += [c.gap, c.gap_ci[0], c.gap_ci[1], None, c.p_value, None, None, None, None,
                None, None]  # fmt: skip
    row += [
        safe_text(column),
        safe_text(cell.segment),
        *(cell.groups[g].suppressed for g in groups),
    ]
    return [csv_cell(v) for v in row]
