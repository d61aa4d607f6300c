"""The slope chart primitive: lines, dots and labels on a given Axes; labels never overlap;
None breaks a line; no global matplotlib state; the same PNG bytes in every process."""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
from collections.abc import Sequence
from typing import Literal, TypeVar

import matplotlib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from tests.conftest import ROOT

from cxgap.charts.base import SMALL_PT, save, themed
from cxgap.charts.slope import draw_slopes, spread
from cxgap.config import Theme

A = TypeVar("A", bound=Artist)
THEME = Theme()
GROUPS = ["Leaders", "Frontline", "Customers"]
COLORS = [THEME.leaders_color, "#CC79A7", THEME.customers_color]
#: 12 items as the bundled sample has them (leaders, frontline, customers), one None.
LABELS = [
    "A clear picture of the experience we want to be known for",
    "Information given to customers is correct",
    "Promises made to customers are kept",
    "Customers' problems get solved",
    "Customer feedback changes how we work",
    "Staff have the skills, information and room to act",
    "Staff treat customers with warmth",
    "A person is reachable when automation does not help",
    "One experience across web, app, store, phone and chat",
    "What marketing promises is what operations deliver",
    "One person owns a problem until it is fixed",
    "Leadership gives customer experience attention and resources",
]
SHARES: list[list[float | None]] = [
    [0.880, 0.416, 0.353],
    [0.882, 0.742, 0.569],
    [0.832, 0.579, 0.371],
    [0.739, 0.677, 0.321],
    [0.771, 0.263, 0.173],
    [0.686, None, 0.461],  # frontline not asked: the line breaks at the frontline
    [0.552, 0.615, 0.678],
    [0.735, 0.657, 0.219],
    [0.525, 0.472, 0.254],
    [0.778, 0.537, 0.297],
    [0.672, 0.447, 0.263],
    [0.780, 0.754, 0.730],
]
HIGHLIGHT: list[str | None] = [None] * 12
HIGHLIGHT[3] = HIGHLIGHT[7] = THEME.blind_spot_color


def _draw(
    shares: Sequence[Sequence[float | None]] = SHARES,
    highlight: Sequence[str | None] = HIGHLIGHT,
    labels: Sequence[str] = LABELS,
    groups_at: Literal["top", "bottom"] = "top",
) -> tuple[Figure, Axes]:
    """Draw on a bare Figure with its own Agg canvas, slide-sized at 100 dpi."""
    with themed(THEME):
        fig = Figure(figsize=(13.333, 7.5), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.06, 0.06, 0.92, 0.84))
        draw_slopes(
            ax,
            list(labels),
            GROUPS,
            [list(r) for r in shares],
            COLORS,
            list(highlight),
            muted=THEME.muted_color,
            groups_at=groups_at,
        )
    return fig, ax


def _by_gid(ax: Axes, prefix: str, kind: type[A]) -> dict[int, A]:
    """The artists whose gid is ``prefix`` and an item's number, by that number."""
    found = {}
    for artist in ax.get_children():
        gid = artist.get_gid() or ""
        if gid.startswith(prefix):
            assert isinstance(artist, kind)
            found[int(gid.removeprefix(prefix))] = artist
    return found


def _png() -> bytes:
    """The chart's PNG as cxgap writes chart files (charts.base.save: no Software)."""
    fig, _ = _draw()
    with themed(THEME):
        return save(fig, "slope.png")


def test_a_line_per_item_and_a_dot_per_share_in_its_groups_colour() -> None:
    _, ax = _draw()
    lines = _by_gid(ax, "slope-line-", Line2D)
    dots = _by_gid(ax, "slope-dots-", PathCollection)
    assert sorted(lines) == sorted(dots) == list(range(12))
    assert sum(len(d.get_offsets()) for d in dots.values()) == 12 * 3 - 1  # one None
    for k, collection in dots.items():
        groups = [round(float(x)) for x, _ in collection.get_offsets()]
        assert groups == [g for g, v in enumerate(SHARES[k]) if v is not None]
        faces = [to_hex(c) for c in collection.get_facecolors()]
        assert faces == [COLORS[g].lower() for g in groups]
        ys = [float(y) for _, y in collection.get_offsets()]
        assert ys == pytest.approx([v for v in SHARES[k] if v is not None])


def test_highlighted_items_take_their_colour_and_the_rest_are_muted() -> None:
    _, ax = _draw()
    lines = _by_gid(ax, "slope-line-", Line2D)
    labels = _by_gid(ax, "slope-label-", Text)
    for k in range(12):
        line, label = lines[k], labels[k]
        expected = HIGHLIGHT[k] or THEME.muted_color
        assert to_hex(line.get_color()) == expected.lower()
        assert line.get_linewidth() > 2 if HIGHLIGHT[k] else line.get_linewidth() < 2
        assert label.get_fontweight() == ("bold" if HIGHLIGHT[k] else "normal")
        assert label.get_fontsize() >= SMALL_PT


def test_none_breaks_the_line_and_leaves_out_the_dot() -> None:
    shares: list[list[float | None]] = [[0.8, None, 0.3], [0.7, 0.5, None], [None, None, None]]
    shares += [[0.2 + 0.05 * k, 0.3, 0.4 - 0.02 * k] for k in range(3)]
    _, ax = _draw(shares, [None] * 6, [f"Item {k}" for k in range(6)])
    lines = _by_gid(ax, "slope-line-", Line2D)
    dots = _by_gid(ax, "slope-dots-", PathCollection)

    def segments(k: int) -> int:  # strokes drawn: a NaN lifts the pen
        return sum(code == 2 for _, code in lines[k].get_path().iter_segments())  # LINETO

    assert [segments(k) for k in range(6)] == [0, 1, 0, 2, 2, 2]
    assert 2 not in dots  # no share at all: no dots, and no label
    assert [len(d.get_offsets()) for _, d in sorted(dots.items())] == [2, 2, 3, 3, 3]
    assert sorted(_by_gid(ax, "slope-label-", Text)) == [0, 1, 3, 4, 5]
    # a label whose line ends before the last group is joined to its end, dotted
    leader = _by_gid(ax, "slope-leader-", Line2D)[1]
    assert leader.get_linestyle() == ":"
    assert leader.get_path().vertices[0][0] == pytest.approx(1, abs=0.1)


@pytest.mark.parametrize("groups_at", ["top", "bottom"])
def test_labels_never_overlap_and_stay_in_the_axes(groups_at: Literal["top", "bottom"]) -> None:
    for shares in (SHARES, [[0.9, 0.6, 0.30 + 0.004 * k] for k in range(12)]):  # a crowd
        fig, ax = _draw(shares, groups_at=groups_at)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        labels = _by_gid(ax, "slope-label-", Text)
        assert len(labels) == 12
        boxes = [t.get_window_extent(renderer) for t in labels.values()]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), (a, b)
        frame = ax.get_window_extent(renderer)
        for box in boxes:
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1
            assert box.x1 <= fig.bbox.x1
        # the labels keep the order of their lines' ends
        ends = [shares[k][-1] or 0.0 for k in sorted(labels)]
        ys = [labels[k].get_position()[1] for k in sorted(labels)]
        assert sorted(range(12), key=lambda k: (ends[k], k)) == sorted(
            range(12), key=lambda k: (ys[k], k)
        )


def test_a_leader_line_only_for_labels_that_moved() -> None:
    spaced: list[list[float | None]] = [[0.9, 0.6, 0.05 + 0.08 * k] for k in range(12)]
    _, ax = _draw(spaced)
    assert _by_gid(ax, "slope-leader-", Line2D) == {}
    _, ax = _draw([[0.9, 0.6, 0.40 + 0.002 * k] for k in range(12)])
    assert len(_by_gid(ax, "slope-leader-", Line2D)) >= 10


@pytest.mark.parametrize("groups_at", ["top", "bottom"])
def test_group_names_are_bold_tick_labels_in_their_colours(
    groups_at: Literal["top", "bottom"],
) -> None:
    _, ax = _draw(groups_at=groups_at)
    ticks = [t for t in ax.get_xticklabels() if t.get_visible()]
    assert [t.get_text() for t in ticks] == GROUPS
    assert [to_hex(t.get_color()) for t in ticks] == [c.lower() for c in COLORS]
    assert all(t.get_fontweight() == "bold" for t in ticks)
    tick = ax.xaxis.get_major_ticks()[0]
    assert tick.label2.get_visible() is (groups_at == "top")
    assert tick.label1.get_visible() is (groups_at == "bottom")
    assert ax.get_ylim() == pytest.approx((-0.03, 1.03))
    assert ax.yaxis.get_major_formatter()(0.5, 0) == "50%"


def test_no_global_matplotlib_state() -> None:
    before = dict(matplotlib.rcParams)
    with matplotlib.rc_context({"font.size": 7, "lines.linewidth": 9}):
        inside = dict(matplotlib.rcParams)
        fig = Figure(figsize=(13.333, 7.5), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.06, 0.06, 0.92, 0.84))
        draw_slopes(ax, LABELS, GROUPS, SHARES, COLORS, HIGHLIGHT, muted="#999999")
        assert dict(matplotlib.rcParams) == inside
    assert dict(matplotlib.rcParams) == before
    # pyplot is never imported (it would pick a backend and keep a figure registry)
    code = (
        "import sys; from tests.test_slope import _png; _png(); "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_png_bytes_are_identical_across_processes() -> None:
    from PIL import Image

    code = "import sys; from tests.test_slope import _png; sys.stdout.buffer.write(_png())"
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            cwd=ROOT,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert runs[0] == _png()
    image = Image.open(io.BytesIO(runs[0]))
    assert image.size == (2666, 1500)  # slide size at cxgap's 200 dpi
    assert "Software" not in image.info


def test_mismatched_inputs_are_refused() -> None:
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    with pytest.raises(ValueError, match="colours"):
        draw_slopes(ax, ["a"], GROUPS, [[0.1, 0.2, 0.3]], COLORS[:2], [None], muted="#999")
    with pytest.raises(ValueError, match="one of each per item"):
        draw_slopes(ax, ["a", "b"], GROUPS, [[0.1, 0.2, 0.3]], COLORS, [None], muted="#999")
    with pytest.raises(ValueError, match="2 shares for 3 groups"):
        draw_slopes(ax, ["a"], GROUPS, [[0.1, 0.2]], COLORS, [None], muted="#999")
    with pytest.raises(ValueError, match=r"not 0\.\.1"):
        draw_slopes(ax, ["a"], GROUPS, [[0.1, 1.2, 0.3]], COLORS, [None], muted="#999")


@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from([0.02, 0.04, 0.07])), min_size=1, max_size=20
    )
)
def test_spread_keeps_order_range_and_room(boxes: list[tuple[float, float]]) -> None:
    targets = [t for t, _ in boxes]
    heights = [h for _, h in boxes]
    lo, hi = -0.03, 1.03
    centres = spread(targets, heights, lo, hi)
    order = sorted(range(len(boxes)), key=lambda i: (targets[i], i))
    assert sorted(range(len(boxes)), key=lambda i: (centres[i], order.index(i))) == order
    for a, b in itertools.pairwise(order):
        assert centres[b] - centres[a] >= (heights[a] + heights[b]) / 2 - 1e-9
    for c, h in zip(centres, heights, strict=True):
        assert lo - 1e-9 <= c - h / 2 and c + h / 2 <= hi + 1e-9


def test_spread_leaves_labels_with_room_where_they_are() -> None:
    assert spread([0.1, 0.5, 0.9], [0.05] * 3, 0.0, 1.0) == [0.1, 0.5, 0.9]
    # two close labels move apart evenly about their mean
    low, high = spread([0.50, 0.51], [0.1, 0.1], 0.0, 1.0)
    assert (low, high) == pytest.approx((0.455, 0.555))
    # a label at the top edge is pushed down into range
    assert spread([1.0], [0.1], 0.0, 1.0) == pytest.approx([0.95])
