"""Markdown: for pull requests, wikis and CI step summaries."""

from __future__ import annotations

from cxgap.model import AnalysisResult, GapStats
from cxgap.render import sections
from cxgap.render import text as t


def markdown_text(value: str) -> str:
    """Text from the data as Markdown text: a pipe never splits a table cell, and HTML
    (which Markdown renderers pass through) is shown, not run."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("\n", " "))  # fmt: skip


def _line(stats: GapStats, alpha: float) -> str:
    main = stats.primary
    cells = [
        markdown_text(stats.label),
        *(t.group_cell(g) for g in stats.groups.values()),
        f"{t.pp(main.gap)} pp",
        *(f"{t.pp(c.gap)} pp" for c in stats.comparisons[1:]),
        t.interval_pp(main.gap_ci),
        t.ratio(main.ratio),
        t.pvalue(main.p_adjusted) + t.stars(main, alpha),
        t.flag_text(main),
    ]
    return "| " + " | ".join(cells) + " |"


def _title(label: str) -> str:
    return label[:1].upper() + label[1:]


def render_markdown(result: AnalysisResult) -> str:
    s = result.settings
    conf = f"{s.confidence:.0%}"
    groups = [f"{_title(g.label)} agree ({conf} CI)" for g in result.groups]
    others = [
        f"Gap {result.group(c.a).label} - {result.group(c.b).label}" for c in result.comparisons[1:]
    ]
    head = ["Item", *groups, "Gap", *others, f"Gap {conf} CI", "Ratio", f"p ({s.adjust})",
            "Finding"]  # fmt: skip
    align = ["---", *["---:"] * (len(head) - 2), "---"]
    title = "Leader-customer perception gap" if len(result.groups) == 2 else "Perception gaps"
    lines = [
        f"# {title}",
        "",
        f"**{markdown_text(result.headline.text)}**",
        "",
        "| " + " | ".join(markdown_text(h) for h in head) + " |",
        "|" + "|".join(align) + "|",
    ]
    lines += [_line(item, s.alpha) for item in result.items]
    lines += [
        "",
        f"Agree = {s.agree}. Gap = {t.gap_words(result).replace(' - ', ' minus ')}, in "
        "percentage points; intervals: Wilson (shares), Newcombe hybrid score (gaps). "
        f"Flagged when {result.findings.rule}{t.family(result)}.",
        *(["", markdown_text(w)] if (w := t.weights_note(result)) else []),
        "",
        "## Findings",
        "",
    ]
    lines += [f"- {markdown_text(line)}" for line in result.findings.summary]
    if result.findings.summary:
        lines.append("")
    by_name = {i.item: i for i in result.items}
    several = len(result.findings.comparisons) > 1
    for k, found in enumerate(result.findings.comparisons):
        a, b = result.group(found.a).label, result.group(found.b).label
        if several:
            lines += [f"### {_title(a)} vs {b}", ""]
        if found.blind_spots:
            lines.append(f"**Blind spots** ({a} rate higher than {b}):")
            lines += [
                f"- {markdown_text(by_name[i].label)}: {t.pp(by_name[i].comparisons[k].gap)} pp"
                for i in found.blind_spots
            ]
        if found.hidden_strengths:
            lines.append(f"**Hidden strengths** ({b} rate higher than {a}):")
            lines += [
                f"- {markdown_text(by_name[i].label)}: {t.pp(by_name[i].comparisons[k].gap)} pp"
                for i in found.hidden_strengths
            ]
        if not (found.blind_spots or found.hidden_strengths):
            lines.append("No item meets the rule.")
        if several:
            lines.append("")
    inputs = "; ".join(
        f"{g.label if k else _title(g.label)}: `{g.path}` ({g.rows:,} rows)"
        for k, g in enumerate(result.groups)
    )
    if not several:  # each comparison's findings already end with a blank line
        lines.append("")
    lines.append(f"{inputs}.")
    lines += _sections(result)
    if result.warnings:
        lines += ["", "## Warnings", ""] + [f"- {markdown_text(w)}" for w in result.warnings]
    return "\n".join(lines) + "\n"


def _sections(result: AnalysisResult) -> list[str]:
    """The NPS table and a table per segment column (see :mod:`cxgap.render.sections`)."""
    lines: list[str] = []
    for title, header, rows, note in sections.blocks(result):
        lines += ["", f"## {markdown_text(title)}", ""]
        lines.append("| " + " | ".join(markdown_text(h) for h in header) + " |")
        lines.append("|---|" + "|".join(["---:"] * (len(header) - 1)) + "|")
        lines += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in rows]
        lines += ["", markdown_text(note)]
    return lines
