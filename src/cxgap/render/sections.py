"""The analysis's NPS and per-segment sections, as rows of text that the table, Markdown
and CSV renderers lay out each in their own way. A suppressed figure is shown as
:data:`SUPPRESSED`, never as a number."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxgap.model import AnalysisResult
from cxgap.model.nps import NpsGroup, NpsResult
from cxgap.model.segments import SegmentBreakdown, SegmentItem
from cxgap.render import text as t

#: Characters between two columns of a terminal table (padding, divider, padding).
COLUMN_GAP = 3
#: What stands in for a suppressed figure.
SUPPRESSED = "supp."


def nps_score(group: NpsGroup) -> str:
    """'+12 (4 to 20) n=120': NPS in points with its interval."""
    if group.nps is None:
        return f"n/a n={group.n:,}"
    return f"{t.pp(group.nps)} ({t.interval_pp(group.ci)}) n={group.n:,}"


def nps_header(result: AnalysisResult) -> list[str]:
    """Item, each group's NPS, each comparison's gap in points, its p (adjusted)."""
    groups = [f"{g.label[:1].upper()}{g.label[1:]} NPS" for g in result.groups]
    gaps = [f"Gap {result.group(c.a).label} - {result.group(c.b).label}"
            for c in result.comparisons]  # fmt: skip
    return ["Item", *groups, *gaps, f"p ({result.settings.adjust})"]


def nps_row(result: AnalysisResult, found: NpsResult) -> list[str]:
    main = found.comparisons[0] if found.comparisons else None
    return [
        found.label,
        *(nps_score(found.groups[g.name]) for g in result.groups),
        *(f"{t.pp(c.gap)} ({t.interval_pp(c.gap_ci)})" for c in found.comparisons),
        t.pvalue(main.p_adjusted) if main else "n/a",
    ]


def nps_note(result: AnalysisResult) -> str:
    return (
        "NPS = % promoters (9-10) minus % detractors (0-6), in points; intervals: Wald on "
        "the multinomial variance (the design-based variance when weighted); gaps: "
        f"two-sample z test, {result.settings.adjust} over the NPS items."
    )


def segment_header(result: AnalysisResult, breakdown: SegmentBreakdown) -> list[str]:
    return ["Item", *breakdown.segments, f"Differs? p ({result.settings.adjust})"]


def segment_row(item: SegmentItem, comparison: int = 0) -> list[str]:
    """An item's gap in each segment (pp), then the heterogeneity test's adjusted p."""
    cells = []
    for cell in item.cells:
        gap = cell.comparisons[comparison]
        cells.append(SUPPRESSED if gap.suppressed else t.pp(gap.gap))
    test = item.heterogeneity[comparison] if item.heterogeneity else None
    p = t.pvalue(test.p_adjusted) if test is not None else "n/a"
    return [item.label, *cells, p + ("*" if test is not None and test.significant else "")]


def segment_title(result: AnalysisResult, breakdown: SegmentBreakdown) -> str:
    main = result.comparisons[0]
    return (
        f"Gap by {breakdown.column}: {result.group(main.a).label} minus "
        f"{result.group(main.b).label}, in percentage points"
    )


def segment_note(result: AnalysisResult, breakdown: SegmentBreakdown) -> str:
    main = result.comparisons[0]
    stand_in = [result.group(g).label for g, own in breakdown.own_segment.items() if not own]
    parts = [
        f"{SUPPRESSED} = fewer than {breakdown.min_cell_n} respondents in the cell "
        f"({breakdown.suppressed} figure(s) suppressed)."
    ]
    if len(stand_in) == 1:
        parts.append(
            f"The {stand_in[0]} file has no {breakdown.column} column: its overall figure "
            "stands in for every segment."
        )
    elif stand_in:
        parts.append(
            f"The {' and '.join(stand_in)} files have no {breakdown.column} column: their "
            "overall figures stand in for every segment."
        )
    blank = {g: n for g, n in breakdown.unlabelled.items() if n}
    if blank:
        parts.append(
            "In no segment (blank label): "
            + ", ".join(f"{n:,} {result.group(g).label}" for g, n in blank.items())
            + "."
        )
    parts.append(
        "Differs? = Cochran's Q test that the "
        f"{result.group(main.a).label}-{result.group(main.b).label} gap is the same in every "
        "segment; * = significant."
    )
    return " ".join(parts)


def print_sections(console: Console, result: AnalysisResult, width: int) -> None:
    """The NPS table and one gap table per segment column, for the terminal; numbers
    never wrap, labels are cut to fit, and every text from the data is printed literally."""
    from cxgap.render.table import shorten

    blocks: list[tuple[str, list[str], list[list[str]], str]] = []
    if result.nps:
        rows = [nps_row(result, found) for found in result.nps]
        blocks.append(("Net Promoter Score", nps_header(result), rows, nps_note(result)))
    for breakdown in result.segments:
        rows = [segment_row(item) for item in breakdown.items]
        blocks.append((segment_title(result, breakdown), segment_header(result, breakdown),
                       rows, segment_note(result, breakdown)))  # fmt: skip
    for title, header, rows, note in blocks:
        numbers = [max(cell_len(h), *(cell_len(r[k]) for r in rows)) for k, h in
                   enumerate(header) if k]  # fmt: skip
        room = width - sum(numbers) - COLUMN_GAP * len(numbers)
        label = max(12, min(48, room))
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("Item", width=label, no_wrap=True, overflow="ellipsis")
        for h in header[1:]:
            table.add_column(Text(h), justify="right", no_wrap=True)
        for row in rows:
            table.add_row(Text(shorten(row[0], label)), *(Text(c) for c in row[1:]))
        console.print()
        console.print(Text(title, style="bold"))
        console.print(table)
        console.print(Text(note, style="dim"))
