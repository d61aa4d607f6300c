"""Layers: each item's agree share across the groups in order (boardroom, frontline,
customers) as a slope chart; the headline comparison's flags colour the lines."""

from __future__ import annotations

import colorsys
import textwrap
from typing import TYPE_CHECKING

from cxgap.charts.base import draws_themed, footnote, frame, largest_gaps
from cxgap.charts.slope import draw_slopes
from cxgap.config import Theme
from cxgap.config.sections import upper_first
from cxgap.model import AnalysisResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Items the chart shows at most: the labels need room of their own.
MAX_ITEMS = 16


def title_for(result: AnalysisResult, width_in: float = 13.333) -> str:
    """What the chart shows, short enough for two lines of a title at this width."""
    if [g.name for g in result.groups] == ["leaders", "frontline", "customers"]:
        if width_in < 10:
            return "Where the message is lost, where it breaks"
        return "Where the message is lost, and where the experience breaks"
    labels = [g.label for g in result.groups]
    return f"Agreement from {labels[0]} to {labels[-1]}, item by item"


#: Hue names by the hue angle (degrees) each runs up to.
_HUES = ((15, "red"), (45, "orange"), (70, "yellow"), (170, "green"), (200, "teal"),
         (260, "blue"), (290, "purple"), (340, "pink"), (360, "red"))  # fmt: skip


def hue_name(color: str) -> str:
    """A theme colour ("#RRGGBB") named as it looks: grey when barely saturated, else its
    hue's name (the default vermilion #D55E00 is orange, #009E73 green)."""
    r, g, b = (int(color.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4))
    hue, _, sat = colorsys.rgb_to_hls(r, g, b)
    if sat < 0.15 or max(r, g, b) - min(r, g, b) < 0.1:
        return "black" if max(r, g, b) < 0.2 else "white" if min(r, g, b) > 0.9 else "grey"
    return next(name for top, name in _HUES if hue * 360 < top)


def _steps(result: AnalysisResult) -> str:
    """The findings' sentences on each adjacent step ('The message is lost ... most on
    <item> (+51 pp).'), for the subtitle."""
    steps = [s for s in result.findings.summary[1:] if not s.endswith("on no item.")]
    return " ".join(steps) + " " if steps else ""


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    palette = theme.palette(result.group_names)
    shown, note = largest_gaps(result.items, MAX_ITEMS)
    labels = [g.label for g in result.groups]
    left = max(0.06, 0.8 / size[0])  # room for the percent ticks, in inches
    head = result.comparisons[0]
    fig, ax = frame(
        theme,
        size,
        title_for(result, size[0]),
        f"Share who agree ({result.settings.agree}); {hue_name(theme.blind_spot_color)}: "
        f"blind spot, {hue_name(theme.hidden_strength_color)}: hidden strength "
        f"({result.group(head.a).label} vs {result.group(head.b).label}), "
        f"{hue_name(theme.muted_color)}: neither."
        f"{note} {_steps(result)}".rstrip(),
        footnote(result, theme, f"p adjusted by {result.settings.adjust}.", whiskers=False),
        axes_box=(left, 0.16, 0.96 - left, 0.6),
    )
    flag_colors = {"blind_spot": theme.blind_spot_color,
                   "hidden_strength": theme.hidden_strength_color}  # fmt: skip
    draw_slopes(
        ax,
        [i.label for i in shown],
        # narrow charts: each group's name wrapped, so the names never run together
        [textwrap.fill(upper_first(label), 12 if size[0] < 10 else 40) for label in labels],
        [[i.groups[g.name].share for g in result.groups] for i in shown],
        [palette[g.name] for g in result.groups],
        [flag_colors.get(i.primary.flag or "") for i in shown],
        muted=theme.muted_color,
        text_color=theme.text_color,
    )
    return fig
