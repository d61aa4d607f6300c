"""Native PowerPoint charts for the deck: each chart kind PowerPoint can draw becomes a
chart with its data in an embedded workbook ("Edit data"), styled from the theme; the
rest stay pictures, and their slide's notes say why.

Each drawer is ``draw(slide, result, theme, box) -> note``: it adds the chart (or table)
in ``box`` and returns what the slide's notes should add about how it is drawn.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cxgap.charts.native import bars, lines, tables

#: chart kind -> its native drawer.
NATIVE: dict[str, Callable[..., str]] = {
    "headline": bars.headline,
    "dumbbell": bars.dumbbell,
    "diverging": lines.diverging,
    "ranking": bars.ranking,
    "slope": lines.slope,
    "heatmap": tables.heatmap,
    "nps": bars.nps,
    "units": bars.units,
    "trend": lines.trend,
}

#: chart kind -> why it stays a picture.
PICTURES: dict[str, str] = {
    "quadrant": "numbered points with hollow ghost markers and quadrant labels",
    "johari": "numbered points coloured by quadrant with crosshair intervals and dashed thresholds",
    "johari-waves": "panels of numbered points, one per wave, each split at its own thresholds",
}

#: Words of a picture's subtitle or footnote that its native chart says otherwise.
WORDS: dict[str, tuple[str, str]] = {
    "diverging": ("Non-answers (right panel)", "Non-answers (in each bar's label)"),
    "units": ("A point: one", "A pair of bars: one"),
    "dumbbell": ("grey lines: gap not significant", "n.s.: gap not significant"),
    "trend": ("bands:", "error bars:"),
}


def native_words(kind: str, text: str) -> str:
    """``text`` (a picture's subtitle or footnote) as it is true of the native chart."""
    if kind == "diverging":  # which bar is which group: the native chart's labels say
        text = re.sub(r"; (upper bar|bars top to bottom).*?; agree share at the right\.",
                      "; each group's agree share and non-answers in its label.", text)  # fmt: skip
    if kind == "heatmap":  # the table marks a suppressed cell with its text, not hatching
        text = re.sub(r"Hatched: fewer than (\d+) respondents \((.*?)\)\.",
                      r"\2 = fewer than \1 respondents (suppressed).", text)  # fmt: skip
    old, new = WORDS.get(kind, ("", ""))
    return text.replace(old, new) if old else text


def picture_note(kind: str) -> str:
    return (
        f"This chart is a picture: PowerPoint cannot draw its {PICTURES[kind]} natively. "
        "Its numbers are below."
    )


__all__ = ["NATIVE", "PICTURES", "native_words", "picture_note"]
