"""Chart titles that state the finding in both directions.

A gap chart's title must be true of what the chart highlights: blind spots (leaders
more positive than customers) and hidden strengths (customers more positive), each
as flagged by the findings rule, so a title never says "no gap" over a highlighted
one. Every title names both directions, including when one of them is empty.
"""

from __future__ import annotations

from cxgap.config.sections import upper_first
from cxgap.model import AnalysisResult
from cxgap.render.text import pp


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def findings_title(result: AnalysisResult) -> str:
    """How many blind spots and hidden strengths, out of how many items (short enough
    for two lines of a slide title)."""
    of = _count(len(result.items), "item", "items")
    blind, hidden = len(result.findings.blind_spots), len(result.findings.hidden_strengths)
    spots = "blind spot" if blind == 1 else "blind spots"
    strengths = "hidden strength" if hidden == 1 else "hidden strengths"
    pair = result.comparisons[0]
    a, b = result.group(pair.a).label, result.group(pair.b).label
    if blind and hidden:
        return (f"{upper_first(a)} more positive on {blind} of {of} ({spots}), "
                f"{b} on {hidden} ({strengths})")  # fmt: skip
    if blind:
        return f"{upper_first(a)} more positive on {blind} of {of} ({spots}); no hidden strength"
    if hidden:
        return f"No blind spot; {b} more positive on {hidden} of {of} ({strengths})"
    return f"No blind spot and no hidden strength on any of {of}"


def largest_title(result: AnalysisResult) -> str:
    """How many blind spots and hidden strengths and the largest of each (the chart
    names them: labels would not fit a two-line title)."""
    by_item = {i.item: i for i in result.items}
    blind = [by_item[n].primary.gap or 0.0 for n in result.findings.blind_spots if n in by_item]
    hidden = [
        by_item[n].primary.gap or 0.0 for n in result.findings.hidden_strengths if n in by_item
    ]
    if not blind and not hidden:
        return "No blind spot and no hidden strength meets the rule"

    def part(gaps: list[float], one: str, many: str, largest: float) -> str:
        if len(gaps) == 1:
            return f"1 {one}, {pp(largest)} pp"
        return f"{len(gaps)} {many}, largest {pp(largest)} pp"

    first = part(blind, "blind spot", "blind spots", max(blind)) if blind else "No blind spot"
    second = (
        part(hidden, "hidden strength", "hidden strengths", min(hidden))
        if hidden
        else "no hidden strength"
    )
    return f"{first}; {second}"
