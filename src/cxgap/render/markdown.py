"""Markdown: for pull requests, wikis and CI step summaries."""

from __future__ import annotations

from cxgap.model import AnalysisResult, GapStats
from cxgap.render import text as t


def _escape(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _line(stats: GapStats, alpha: float) -> str:
    cells = [
        _escape(stats.label),
        t.group_cell(stats.leaders),
        t.group_cell(stats.customers),
        f"{t.pp(stats.gap)} pp",
        t.interval_pp(stats.gap_ci),
        t.ratio(stats.ratio),
        t.pvalue(stats.p_adjusted) + t.stars(stats, alpha),
        t.flag_text(stats),
    ]
    return "| " + " | ".join(cells) + " |"


def render_markdown(result: AnalysisResult) -> str:
    s = result.settings
    conf = f"{s.confidence:.0%}"
    lines = [
        "# Leader-customer perception gap",
        "",
        f"**{_escape(result.headline.text)}**",
        "",
        f"| Item | Leaders agree ({conf} CI) | Customers agree ({conf} CI) | Gap | Gap {conf} CI "
        f"| Ratio | p ({s.adjust}) | Finding |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    lines += [_line(item, s.alpha) for item in result.items]
    lines += [
        "",
        f"Agree = {s.agree}. Gap = leaders minus customers, in percentage points; "
        f"intervals: Wilson (shares), Newcombe hybrid score (gaps). "
        f"Flagged when {result.findings.rule}.",
        "",
        "## Findings",
        "",
    ]
    by_name = {i.item: i for i in result.items}
    if result.findings.blind_spots:
        lines.append("**Blind spots** (leaders rate higher than customers):")
        lines += [
            f"- {_escape(by_name[i].label)}: {t.pp(by_name[i].gap)} pp"
            for i in result.findings.blind_spots
        ]
    if result.findings.hidden_strengths:
        lines.append("**Hidden strengths** (customers rate higher than leaders):")
        lines += [
            f"- {_escape(by_name[i].label)}: {t.pp(by_name[i].gap)} pp"
            for i in result.findings.hidden_strengths
        ]
    if not (result.findings.blind_spots or result.findings.hidden_strengths):
        lines.append("No item meets the rule.")
    lines += [
        "",
        f"Leaders: `{result.leaders.path}` ({result.leaders.rows:,} rows); "
        f"customers: `{result.customers.path}` ({result.customers.rows:,} rows).",
    ]
    if result.warnings:
        lines += ["", "## Warnings", ""] + [f"- {_escape(w)}" for w in result.warnings]
    return "\n".join(lines) + "\n"
