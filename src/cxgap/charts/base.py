"""What every chart shares: the slide frame, sizes, the theme, and deterministic files."""

from __future__ import annotations

import functools
import io
import textwrap
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imread

from cxgap.config import Theme
from cxgap.errors import ConfigError, UsageError
from cxgap.model import AnalysisResult, ItemResult
from cxgap.render.text import weights_short

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Named sizes in inches. "slide" is a full 16:9 slide (13.333 x 7.5 in).
SIZES: dict[str, tuple[float, float]] = {
    "slide": (13.333, 7.5),
    "half": (6.667, 7.5),
    "square": (7.5, 7.5),
}
DPI = 200

# Font sizes in points: nothing under 12 pt at slide size.
TITLE_PT = 24
SUBTITLE_PT = 16
LABEL_PT = 14
SMALL_PT = 12

#: Likert levels, negative to positive, BrBG (colour-blind safe, and no group colour).
LEVEL_COLORS_5 = ("#A6611A", "#DFC27D", "#D9D9D9", "#80CDC1", "#018571")


@dataclass(frozen=True)
class ChartTexts:
    """The words of a chart: what a deck puts in editable text boxes."""

    title: str
    subtitle: str
    footnote: str


_TEXTS: weakref.WeakKeyDictionary[Figure, ChartTexts] = weakref.WeakKeyDictionary()
#: The theme each chart was drawn in: ``save`` writes the file in the same one.
_THEMES: weakref.WeakKeyDictionary[Figure, Theme] = weakref.WeakKeyDictionary()
_HEADER: ContextVar[bool] = ContextVar("cxgap_chart_header", default=True)
_DRAWING: ContextVar[Theme | None] = ContextVar("cxgap_chart_theme", default=None)


@contextmanager
def without_header() -> Iterator[None]:
    """Draw charts without title, subtitle and footnote (a deck sets them as text)."""
    token = _HEADER.set(False)
    try:
        yield
    finally:
        _HEADER.reset(token)


def chart_texts(fig: Figure) -> ChartTexts:
    return _TEXTS[fig]


def parse_size(spec: str) -> tuple[float, float]:
    """'slide', 'half', 'square', or inches as 'WxH' (e.g. '10x5.625')."""
    if spec in SIZES:
        return SIZES[spec]
    try:
        w, h = (float(x) for x in spec.lower().split("x"))
    except ValueError:
        raise UsageError(
            f"size {spec!r} is not slide, half, square or WIDTHxHEIGHT in inches"
        ) from None
    if not (2 <= w <= 40 and 2 <= h <= 40):
        raise UsageError(f"size {spec!r}: width and height must be 2 to 40 inches")
    return w, h


def theme_rc(theme: Theme) -> dict[str, Any]:
    """rcParams for readable, deterministic output (on top of matplotlib's defaults)."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [theme.font_family, "DejaVu Sans"],
        "font.size": LABEL_PT,
        "axes.edgecolor": "#BBBBBB",
        "axes.labelcolor": theme.text_color,
        "axes.titlesize": SUBTITLE_PT,
        "text.color": theme.text_color,
        "xtick.color": theme.text_color,
        "ytick.color": theme.text_color,
        "xtick.labelsize": SMALL_PT + 1,
        "ytick.labelsize": SMALL_PT + 1,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "pdf.fonttype": 42,  # embed TrueType, not Type 3
        "ps.fonttype": 42,
        "svg.fonttype": "none",  # keep text as text: searchable and editable
        "svg.hashsalt": "cxgap",  # stable ids
        "path.simplify": True,
        # labels come from data: "$15 to $20" is text, never mathtext
        "text.parse_math": False,
    }


@contextmanager
def themed(theme: Theme) -> Iterator[None]:
    """matplotlib's default rcParams plus the theme, only while a chart is drawn or saved.

    The same input gives the same chart whatever the caller's rcParams (or matplotlibrc),
    and the caller's rcParams and backend are exactly as they were afterwards:
    ``rcParams`` such as the fonts and svg.hashsalt are read both when artists are made
    and when the file is written, so drawing and saving each run inside this.
    """
    token = _DRAWING.set(theme)
    try:
        # "default" leaves out what is no style (backend, interactive ...); the whole
        # of rcParams is put back on exit.
        with matplotlib.style.context(["default", theme_rc(theme)]):
            yield
    finally:
        _DRAWING.reset(token)


_Result = TypeVar("_Result")
_Args = ParamSpec("_Args")


def draws_themed(
    draw: Callable[Concatenate[_Result, Theme, _Args], Figure],
) -> Callable[Concatenate[_Result, Theme, _Args], Figure]:
    """Run a chart kind's ``draw(result, theme, ...)`` inside :func:`themed`."""

    @functools.wraps(draw)
    def in_theme(
        result: _Result, theme: Theme, /, *args: _Args.args, **kwargs: _Args.kwargs
    ) -> Figure:
        with themed(theme):
            return draw(result, theme, *args, **kwargs)

    return in_theme


def frame(
    theme: Theme,
    size: tuple[float, float],
    title: str,
    subtitle: str,
    footnote: str,
    *,
    axes_box: tuple[float, float, float, float] = (0.32, 0.16, 0.64, 0.62),
) -> tuple[Figure, Axes]:
    """A figure with title, subtitle and footnote placed as on a slide, and one axes.

    Called from a kind's ``draw`` (decorated with :func:`draws_themed`), so the theme
    is in force; without it the chart would take the caller's rcParams.
    """
    if _DRAWING.get() is not theme:
        raise RuntimeError("charts are drawn inside themed(theme): decorate draw with draws_themed")
    # A bare Figure with its own Agg canvas: headless, and never pyplot's backend or
    # figure registry, which belong to the user.
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    _TEXTS[fig] = ChartTexts(title, subtitle, footnote)
    _THEMES[fig] = theme
    if not _HEADER.get():
        x0, y0, w, h = axes_box
        ax = fig.add_axes((x0, 0.12, w, 0.78))  # room above for a legend
        return fig, ax
    chars = _chars_per_line(size[0], TITLE_PT, bold=True)
    line = TITLE_PT * 1.25 / 72 / size[1]  # one title line as a share of the height
    fig.text(0.03, 0.955, _wrap(title, chars, 2), fontsize=TITLE_PT, fontweight="bold",
             va="top", ha="left")  # fmt: skip
    sub_chars = _chars_per_line(size[0], SUBTITLE_PT)
    sub_top = 0.955 - _lines(title, chars, 2) * line - 0.012
    fig.text(0.03, sub_top, _wrap(subtitle, sub_chars, 2),
             fontsize=SUBTITLE_PT, va="top", ha="left", color="#444444")  # fmt: skip
    sub_line = SUBTITLE_PT * 1.25 / 72 / size[1]
    header_bottom = sub_top - _lines(subtitle, sub_chars, 2) * sub_line
    x0, y0, w, h = axes_box
    h = min(h, header_bottom - 0.07 - y0)  # leave room under the header for a legend
    foot_chars = _chars_per_line(size[0], SMALL_PT)
    fig.text(0.03, 0.02, _wrap(footnote, foot_chars, 3), fontsize=SMALL_PT, va="bottom",
             ha="left", color="#555555")  # fmt: skip
    _logo(fig, theme)
    ax = fig.add_axes((x0, y0, w, h))
    return fig, ax


def _chars_per_line(width_in: float, points: float, *, bold: bool = False) -> int:
    """How many characters of this size fit across the figure (DejaVu Sans averages)."""
    average = points * (0.64 if bold else 0.56) / 72  # inches per character
    return max(20, int(width_in * 0.93 / average))


def _wrap(text: str, width: int, max_lines: int) -> str:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "\u2026"
    return "\n".join(lines)


def cut_to_lines(text: str, width_in: float, points: float, lines: int, em: float) -> str:
    """``text`` as it fits ``lines`` lines of a box ``width_in`` inches wide at ``points``
    in a font whose characters average ``em`` of its size: itself, or cut after its last
    whole sentence that fits (at a word, with an ellipsis, when that would lose more than
    half): one paragraph, which the box wraps."""
    chars = max(20, int(width_in * 0.93 / (points * em / 72)))
    shown = " ".join(_wrap(text, chars, lines).split("\n"))
    if shown == text:
        return text
    whole = shown.rfind(". ")  # end on the last whole sentence when that keeps most
    return shown[: whole + 1] if whole > len(shown) // 2 else shown


def _lines(text: str, width: int, max_lines: int) -> int:
    return min(len(textwrap.wrap(text, width) or [""]), max_lines)


def short_label(text: str, width: int, lines: int) -> str:
    """An item label in at most ``lines`` lines of ``width`` characters.

    A label too long is cut in the middle ("Our organisation keeps… item_07"):
    labels of one survey often share their beginning and differ at the end.
    """
    room = width * lines - (lines - 1) * 4  # wrapping loses a few characters a line
    if len(text) > room:
        tail = min(18, room // 3)
        text = text[: room - tail - 1].rstrip() + "\u2026" + text[-tail:].lstrip()
    return _wrap(text, width, lines)


def rows_that_fit(height_in: float, share: float = 0.56, *, per_row_pt: float = 13 * 1.3) -> int:
    """How many one-line rows of 13 pt labels fit in ``share`` of the figure height."""
    return max(3, int(height_in * share * 72 / per_row_pt))


def largest_gaps(items: Sequence[ItemResult], limit: int) -> tuple[list[ItemResult], str]:
    """The ``limit`` items with the largest absolute gaps (kept in gap order), and a note
    for the subtitle when some were left out."""
    if len(items) <= limit:
        return list(items), ""
    keep = sorted(items, key=lambda i: -abs(i.primary.gap or 0.0))[:limit]
    kept = [i for i in items if i in keep]
    return kept, f" Showing the {limit} largest gaps of {len(items)} items."


def _logo(fig: Figure, theme: Theme) -> None:
    if not theme.logo:
        return
    path = Path(theme.logo)
    try:
        image = imread(path)
    except (OSError, ValueError, SyntaxError) as exc:
        raise ConfigError(f"theme.logo cannot be read as PNG: {exc}", file=path) from None
    h, w = image.shape[:2]
    box_h = 0.08
    box_w = box_h * (w / h) * fig.get_figheight() / fig.get_figwidth()
    ax = fig.add_axes((0.97 - box_w, 0.90, box_w, box_h))
    ax.imshow(image)
    ax.axis("off")


def footnote(
    result: AnalysisResult, theme: Theme, extra: str = "", *, whiskers: bool = True
) -> str:
    """Source, n per group, field dates (waves) and the confidence level."""
    h = result.headline
    waves = sorted({w for g in result.groups for w in g.waves})
    field = f"Fieldwork: {', '.join(waves)}. " if waves else ""
    conf = f"{result.settings.confidence:.0%}"
    ci = f"Whiskers: {conf} confidence intervals. " if whiskers else f"Confidence level {conf}. "
    ns = ", ".join(f"{h.groups[g.name].n:,} {g.label}" for g in result.groups)
    source = theme.source_for([g.label for g in result.groups])
    weighted = weights_short(result)
    weighted = f"{weighted} " if weighted else ""
    parts = f"{source}. n = {ns}. {weighted}{field}Agree = {result.settings.agree}. {ci}{extra}"
    return parts.strip()


def legend(ax: Axes, entries: Sequence[tuple[str, str]], **kwargs: Any) -> None:
    """A legend of coloured patches: (label, colour) pairs."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=color, label=label) for label, color in entries]
    ax.legend(handles=handles, frameon=False, fontsize=SMALL_PT, **kwargs)


def pct_axis(ax: Axes, axis: str = "x", limits: tuple[float, float] = (0.0, 1.0)) -> None:
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v * 100:.0f}%"))
    target.set_major_locator(MultipleLocator(0.25 if limits[1] - limits[0] > 0.6 else 0.1))
    (ax.set_xlim if axis == "x" else ax.set_ylim)(*limits)


def save(fig: Figure, path: str | Path, fmt: str | None = None) -> bytes:
    """The chart's bytes, deterministic for the same input (no dates, stable ids).

    Written in the theme the chart was drawn in (fonts, svg.hashsalt, pdf.fonttype are
    read now), whatever the caller's rcParams.
    """
    kind = (fmt or Path(path).suffix.lstrip(".")).lower()
    metadata: dict[str, str | None]
    if kind == "png":
        metadata = {"Software": None}
    elif kind == "svg":
        metadata = {"Date": None, "Creator": None}
    elif kind == "pdf":
        metadata = {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}
    else:
        raise UsageError(f"chart format {kind!r}: expected png, svg or pdf")
    _printable(fig)
    buffer = io.BytesIO()
    theme = _THEMES.get(fig)
    with themed(theme) if theme is not None else nullcontext():
        fig.savefig(buffer, format=kind, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


#: Control characters (but the line break): no font draws them, and matplotlib warns.
_CONTROL = dict.fromkeys([*range(0, 10), *range(11, 32), 127])


def _printable(fig: Figure) -> None:
    """Every text of the chart without control characters (labels come from data)."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        shown = text.get_text()
        if not shown.isprintable() and shown != (clean := shown.translate(_CONTROL)):
            text.set_text(clean)


def level_colors(points: int) -> Sequence[str]:
    """One colour per scale point, negative to positive."""
    if points == 5:
        return LEVEL_COLORS_5
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["BrBG"]
    return [to_hex(cmap(0.1 + 0.8 * k / (points - 1))) for k in range(points)]
