"""The analysis's NPS and per-segment sections, as rows of text that the table, Markdown
and CSV renderers lay out each in their own way. A suppressed figure is shown as
:data:`SUPPRESSED`, never as a number."""

from __future__ import annotations

import textwrap

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxgap.model import AnalysisResult
from cxgap.model.nps import NpsComparison, NpsGroup, NpsResult
from cxgap.model.segments import SegmentBreakdown, SegmentItem
from cxgap.render import priorities
from cxgap.render import text as t
from cxgap.render.labels import shorten
from cxgap.render.units import unit_blocks

#: Characters between two columns of a terminal table (padding, divider, padding).
COLUMN_GAP = 3
#: What stands in for a suppressed figure.
SUPPRESSED = "supp."


def nps_score(group: NpsGroup, *, bare: bool = False) -> str:
    """'+12 (+4 to +20)': NPS in points with its interval ('+12' bare)."""
    if group.nps is None:
        return "n/a"
    return t.pp(group.nps) if bare else f"{t.pp(group.nps)} ({t.interval_pp(group.ci)})"


def _gap(c: NpsComparison, bare: bool) -> str:
    return t.pp(c.gap) if bare or c.gap is None else f"{t.pp(c.gap)} ({t.interval_pp(c.gap_ci)})"


def nps_header(result: AnalysisResult, *, others: bool = True) -> list[str]:
    """Item, each group's NPS, the headline comparison's gap and its p (adjusted), then
    (``others``) each other comparison's gap."""
    groups = [g.label[:1].upper() + g.label[1:] for g in result.groups]
    rest = [f"{result.group(c.a).label} - {result.group(c.b).label}"
            for c in result.comparisons[1:]] if others else []  # fmt: skip
    return ["Item", *groups, "Gap", f"p ({result.settings.adjust})", *rest]


def nps_row(
    result: AnalysisResult,
    found: NpsResult,
    *,
    bare: bool = False,
    others: bool = True,
    bare_gap: bool = False,
) -> list[str]:
    main = found.comparisons[0] if found.comparisons else None
    rest = [_gap(c, bare) for c in found.comparisons[1:]] if others else []
    return [
        found.label,
        *(nps_score(found.groups[g.name], bare=bare) for g in result.groups),
        _gap(main, bare_gap) if main else "n/a",
        t.pvalue(main.p_adjusted) if main else "n/a",
        *rest,
    ]


def nps_note(result: AnalysisResult) -> str:
    return (
        "NPS = % promoters (9-10) minus % detractors (0-6), in points; intervals: Wald on "
        "the multinomial variance (the design-based variance when weighted); gaps: "
        f"two-sample z test, {result.settings.adjust} over every NPS item \u00d7 comparison "
        f"({_count(sum(len(n.comparisons) for n in result.nps), 'p-value')})."
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def segment_header(result: AnalysisResult, breakdown: SegmentBreakdown) -> list[str]:
    return ["Item", *breakdown.segments, f"Differs? p ({result.settings.adjust})"]


def segment_label(result: AnalysisResult, item: SegmentItem) -> str:
    """An item's label in a segment table: an NPS item's says its figure is the
    promoters' share (the agree share), not NPS."""
    nps = {n.item for n in result.nps}
    return f"{item.label} (promoters' share)" if item.item in nps else item.label


def segment_rows(result: AnalysisResult, breakdown: SegmentBreakdown) -> list[list[str]]:
    return [[segment_label(result, item), *segment_row(item)[1:]] for item in breakdown.items]


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


def noun(result: AnalysisResult, breakdown: SegmentBreakdown) -> str:
    """What one column of the table is: a unit of the per-unit view, else a segment."""
    unit = result.units is not None and result.units.breakdown.column == breakdown.column
    return "unit" if unit and breakdown.column not in [b.column for b in result.segments] else (
        "segment")  # fmt: skip


def segment_note(result: AnalysisResult, breakdown: SegmentBreakdown) -> str:
    main = result.comparisons[0]
    word = noun(result, breakdown)
    stand_in = [result.group(g).label for g, own in breakdown.own_segment.items() if not own]
    parts = [
        f"{SUPPRESSED} = fewer than {breakdown.min_cell_n} respondents in the cell "
        f"({breakdown.suppressed} figure(s) suppressed)."
    ]
    if len(stand_in) == 1:
        parts.append(
            f"The {stand_in[0]} file has no {breakdown.column} column: its overall figure "
            f"stands in for every {word}."
        )
    elif stand_in:
        parts.append(
            f"The {' and '.join(stand_in)} files have no {breakdown.column} column: their "
            f"overall figures stand in for every {word}."
        )
    blank = {g: n for g, n in breakdown.unlabelled.items() if n}
    if blank:
        parts.append(
            f"In no {word} (blank label): "
            + ", ".join(f"{n:,} {result.group(g).label}" for g, n in blank.items())
            + "."
        )
    parts.append(
        "Differs? = Cochran's Q test that the "
        f"{result.group(main.a).label}-{result.group(main.b).label} gap is the same in every "
        f"{word}; * = significant."
    )
    if len(result.comparisons) > 1:
        parts.append(f"The other comparisons' gaps by {word}: --format json or csv.")
    return " ".join(parts)


#: A section table: title, header, rows, the note under it.
Block = tuple[str, list[str], list[list[str]], str]


def blocks(result: AnalysisResult) -> list[Block]:
    """The NPS table and one table per segment column, every column shown (Markdown, the
    report; the terminal drops columns to fit, see :func:`print_sections`)."""
    out: list[Block] = []
    if result.nps:
        rows = [nps_row(result, found) for found in result.nps]
        out.append(("Net Promoter Score", nps_header(result), rows, nps_note(result)))
    out += unit_blocks(result)
    for b in result.breakdowns():
        out.append((segment_title(result, b), segment_header(result, b),
                    segment_rows(result, b), segment_note(result, b)))  # fmt: skip
    out += [block for block, _ in priorities.blocks(result)]
    return out


def print_sections(console: Console, result: AnalysisResult, width: int) -> None:
    """The NPS table and one gap table per segment column, for the terminal; numbers
    never wrap, labels are cut to fit, and every text from the data is printed literally.
    When the NPS table is too wide, the other comparisons' gaps go first, then the
    groups' intervals; a segment table too wide keeps the segments that fit."""
    if result.nps:
        note = nps_note(result)
        levels = ((False, True, False), (False, False, False), (True, True, False),
                  (True, False, False), (True, False, True))  # fmt: skip
        for bare, others, bare_gap in levels:
            header = nps_header(result, others=others)
            rows = [nps_row(result, f, bare=bare, others=others, bare_gap=bare_gap)
                    for f in result.nps]  # fmt: skip
            if _fits(header, rows, width):
                break
        hidden = ["the groups' intervals"] if bare else []
        hidden += (
            ["the other comparisons' gaps"] if not others and len(result.comparisons) > 1 else []
        )
        if hidden:
            note += (f" Not shown at this width: {' and '.join(hidden)} (a wider terminal, or "
                     "--format markdown or json).")  # fmt: skip
        _print(console, "Net Promoter Score", header, rows, note, width)
    for title, header, rows, note in unit_blocks(result):
        _print(console, title, header, rows, note, width)
    for b in result.breakdowns():
        header = segment_header(result, b)
        rows = segment_rows(result, b)
        note = segment_note(result, b)
        while len(header) > 3 and not _fits(header, rows, width):
            header = [*header[:-2], header[-1]]  # the last segment that does not fit
            rows = [[*r[:-2], r[-1]] for r in rows]
        hidden = b.segments[len(header) - 2 :]
        if hidden:
            note += (f" Not shown at this width: {', '.join(hidden)} (a wider terminal, or "
                     "--format markdown, csv or json).")  # fmt: skip
        _print(console, segment_title(result, b), header, rows, note, width)
    for (title, header, rows, note), drops in priorities.blocks(result):
        hidden = []
        for k in drops:
            if _fits(header, rows, width):
                break
            hidden.append(header[k].strip())
            header = header[:k] + header[k + 1 :]
            rows = [r[:k] + r[k + 1 :] for r in rows]
        if hidden:
            note += (f" Not shown at this width: {', '.join(dict.fromkeys(hidden))} (a wider "
                     "terminal, or --format markdown or json).")  # fmt: skip
        _print(console, title, header, rows, note, width)


#: The narrowest item label a section table keeps before it drops columns.
LABEL_MIN = 20


def _widths(header: list[str], rows: list[list[str]]) -> list[int]:
    """Each column's width: its widest cell, or its header's longest word (headers wrap)."""
    return [max([*map(cell_len, h.split()), *(cell_len(r[k]) for r in rows), 1])
            for k, h in enumerate(header)]  # fmt: skip


def _fits(header: list[str], rows: list[list[str]], width: int) -> bool:
    numbers = _widths(header, rows)[1:]
    return sum(numbers) + COLUMN_GAP * len(numbers) + LABEL_MIN <= width


def _print(console: Console, title: str, header: list[str], rows: list[list[str]], note: str,
           width: int) -> None:  # fmt: skip
    numbers = _widths(header, rows)[1:]
    label = max(LABEL_MIN, min(48, width - sum(numbers) - COLUMN_GAP * len(numbers)))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(header[0], width=label, no_wrap=True, overflow="ellipsis")
    for h, w in zip(header[1:], numbers, strict=True):
        lines = textwrap.wrap(h, w, break_long_words=False) if cell_len(h) > w else [h]
        table.add_column(Text("\n".join(lines)), justify="right", no_wrap=True, min_width=w)
    for row in rows:
        table.add_row(Text(shorten(row[0], label)), *(Text(c) for c in row[1:]))
    console.print()
    console.print(Text(title, style="bold"))
    if rows:
        console.print(table)
    console.print(Text(note, style="dim"))
