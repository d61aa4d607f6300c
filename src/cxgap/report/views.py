"""The report's views: the same items seen overall, in one wave, or in one segment.

Every chart and the item table of the report draw from one list of :class:`View`: each
item's figure per group (share, interval, n) and per comparison (gap, interval, p,
flag), as the result holds them. A figure the view does not have (a comparison the trend
does not track, a suppressed cell) is ``None`` with the reason in ``note``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cxgap.model import AnalysisResult, TrendResult
from cxgap.model.segments import SegmentBreakdown


@dataclass(frozen=True)
class Cell:
    """One group's agree share on one item in one view."""

    share: float | None
    ci: tuple[float | None, float | None]
    n: int
    n_eff: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Gap:
    """One comparison's gap on one item in one view (a minus b)."""

    gap: float | None
    ci: tuple[float | None, float | None]
    p: float | None
    p_adjusted: float | None
    flag: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Row:
    item: str
    label: str
    cells: dict[str, Cell | None]
    gaps: list[Gap | None]
    flags: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class View:
    key: str
    label: str
    note: str
    rows: list[Row]


#: Segments of one column that get a view of their own (each view is drawn in full, so
#: the file grows with them); the rest are in the segment tables, and the page says so.
MAX_SEGMENT_VIEWS = 24


def views(result: AnalysisResult, trend: TrendResult | None) -> list[View]:
    """Overall first (the latest wave's when there are waves), then each earlier wave
    (oldest first), then each segment of each column (the first
    :data:`MAX_SEGMENT_VIEWS` of a column)."""
    out = [_overall(result, trend)]
    if trend is not None and len(trend.waves) > 1:  # the latest wave is the overall view
        out += [_wave(result, trend, k) for k in range(len(trend.waves) - 1)]
    for breakdown in result.breakdowns():
        out += _segments(result, breakdown, len(out))
    return out


def left_out(result: AnalysisResult) -> dict[str, int]:
    """Segment column -> how many of its segments have no view of their own."""
    return {b.column: len(b.segments) - MAX_SEGMENT_VIEWS
            for b in result.breakdowns() if len(b.segments) > MAX_SEGMENT_VIEWS}  # fmt: skip


def overall_flags(result: AnalysisResult) -> dict[str, list[str | None]]:
    """Item -> each comparison's flag in the whole analysis (every view shows these)."""
    return {i.item: [c.flag for c in i.comparisons] for i in result.items}


def _overall(result: AnalysisResult, trend: TrendResult | None) -> View:
    flags = overall_flags(result)
    rows = []
    for item in result.items:
        cells: dict[str, Cell | None] = {
            name: Cell(g.share, g.ci, g.n, g.weighted.n_eff if g.weighted else None)
            for name, g in item.groups.items()
        }
        gaps: list[Gap | None] = [
            Gap(c.gap, c.gap_ci, c.p_value, c.p_adjusted, c.flag) for c in item.comparisons
        ]
        rows.append(Row(item.item, item.label, cells, gaps, flags[item.item]))
    latest = f" ({trend.waves[-1]}, the latest wave)" if trend and len(trend.waves) > 1 else ""
    note = f"Every respondent{latest}; p adjusted ({result.settings.adjust})."
    return View("v0", f"All respondents{latest}", note, rows)


def _wave(result: AnalysisResult, trend: TrendResult, k: int) -> View:
    wave = trend.waves[k]
    flags = overall_flags(result)
    pair = (trend.comparison.a, trend.comparison.b)
    index = [(c.a, c.b) for c in result.comparisons]
    rows = []
    for item in trend.items:
        point = next((p for p in item.points if p.wave == wave), None)
        cells: dict[str, Cell | None] = dict.fromkeys(result.group_names)
        gaps: list[Gap | None] = [None] * len(index)
        if point is not None:
            for name, g in point.groups.items():
                n_eff = g.weighted.n_eff if g.weighted else None
                cells[name] = Cell(g.share, g.ci, g.n, n_eff)
            if pair in index:
                gaps[index.index(pair)] = Gap(point.gap, point.gap_ci, None, None)
        rows.append(Row(item.item, item.label, cells, gaps, flags.get(item.item, [])))
    a, b = (trend.groups.get(name, name) for name in pair)
    note = (
        f"Wave {wave}: each group's share in this wave and the {a} - {b} gap (the gap the "
        "trend tracks; other comparisons are not computed per wave). Flags are the latest "
        "analysis's."
    )
    return View(f"v{1 + k}", f"Wave {wave}", note, rows)


def _segments(result: AnalysisResult, breakdown: SegmentBreakdown, start: int) -> list[View]:
    flags = overall_flags(result)
    index = [(c.a, c.b) for c in result.comparisons]
    out = []
    for s, segment in enumerate(breakdown.segments[:MAX_SEGMENT_VIEWS]):
        rows = []
        for item in breakdown.items:
            cell = next((c for c in item.cells if c.segment == segment), None)
            cells: dict[str, Cell | None] = dict.fromkeys(result.group_names)
            gaps: list[Gap | None] = [None] * len(index)
            if cell is not None:
                for name, g in cell.groups.items():
                    note = (
                        f"suppressed: {g.reason or 'fewer than ' + str(breakdown.min_cell_n)}"
                        if g.suppressed
                        else ("" if g.own_segment else "its overall figure stands in")
                    )
                    share = None if g.suppressed else g.share
                    cells[name] = Cell(share, g.ci, g.n, None, note)
                for c in cell.comparisons:
                    if (c.a, c.b) in index:
                        gaps[index.index((c.a, c.b))] = Gap(
                            None if c.suppressed else c.gap, c.gap_ci, c.p_value, None,
                            note="suppressed" if c.suppressed else "",
                        )  # fmt: skip
            rows.append(Row(item.item, item.label, cells, gaps, flags.get(item.item, [])))
        note = (
            f"{breakdown.column} = {segment}: shares in this segment (cells under "
            f"{breakdown.min_cell_n} respondents suppressed); p unadjusted (a segment's gap "
            "is descriptive). Flags are the whole analysis's."
        )
        key = f"v{start + s}"
        out.append(View(key, f"{breakdown.column}: {segment}", note, rows))
    return out
