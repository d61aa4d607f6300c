"""The report's interactive charts, drawn as small inline SVG in Python.

Each mark (a dot and its interval) is a ``<g class="mark">`` that a keyboard reaches
(``tabindex="0"``), that names its numbers for a screen reader (``aria-label``) and for a
mouse without the script (``<title>``), and whose ``data-k`` keys the numbers the page's
script shows in its tooltip (:class:`Marks`, the page's JSON data island). Every text from
the data is escaped; the output depends on the result alone (byte-identical runs).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

from cxgap.render.text import pvalue
from cxgap.report.views import Cell, Gap, View

WIDTH = 960
LABEL_W = 365
X0, X1 = 385.0, 940.0
ROW_H = 30
TOP = 44
DASH = "\u2013"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def share_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def share_words(
    who: str, share: float | None, ci: tuple[float | None, float | None], n: int
) -> str:
    """A share mark's text alternative: whose share, the share, its interval and n."""
    return f"{who}: {share_text(share)} agree ({ci_text(ci)}), n={n:,}"


def ci_text(ci: tuple[float | None, float | None], points: bool = False) -> str:
    lo, hi = ci
    if lo is None or hi is None:
        return "n/a"
    if points:
        return f"{_signed(lo)} to {_signed(hi)} pp"
    return f"{lo * 100:.1f}{DASH}{hi * 100:.1f}%"


def _signed(value: float) -> str:
    return f"{round(value * 100, 1) + 0.0:+.1f}"


def gap_text(value: float | None) -> str:
    return "n/a" if value is None else f"{_signed(value)} pp"


p_text = pvalue  # the p-value as every output writes it


class Marks:
    """The numbers behind every mark, keyed ``m0``, ``m1``, ... in drawing order."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, object]] = {}

    def add(self, title: str, rows: Sequence[tuple[str, str]]) -> str:
        key = f"m{len(self.data)}"
        self.data[key] = {"t": title, "r": [[k, v] for k, v in rows if v]}
        return key


def _mark(key: str, label: str, body: str, group: int | None = None) -> str:
    g = "" if group is None else f' data-g="{group}"'
    return (
        f'<g class="mark" tabindex="0" role="img" data-k="{key}"{g} aria-label="{esc(label)}">'
        f"<title>{esc(label)}</title>{body}</g>"
    )


def _whisker(x_lo: float, x_hi: float, x: float, y: float, colour: str, hollow: bool) -> str:
    fill = "#fff" if hollow else colour
    return (
        f'<line x1="{x_lo:.1f}" y1="{y:.1f}" x2="{x_hi:.1f}" y2="{y:.1f}" stroke="{colour}" '
        f'stroke-width="2"/><circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="{fill}" '
        f'stroke="{colour}" stroke-width="2"/>'
    )


def _label(text: str, y: float, strong: bool = False) -> str:
    short = text if len(text) <= 46 else text[:45].rstrip() + "\u2026"
    weight = ' font-weight="bold"' if strong else ""
    return (
        f'<text x="{LABEL_W}" y="{y + 4:.1f}" text-anchor="end"{weight}>{esc(short)}'
        f"<title>{esc(text)}</title></text>"
    )


def _frame(
    height: float, ticks: Sequence[tuple[float, str]], title: str, zero: float | None
) -> str:
    grid = "".join(
        f'<line x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{height - 10:.1f}" class="grid"/>'
        f'<text x="{x:.1f}" y="{TOP - 14}" text-anchor="middle" class="tick">{esc(t)}</text>'
        for x, t in ticks
    )
    if zero is not None:
        grid += (
            f'<line x1="{zero:.1f}" y1="{TOP - 8}" x2="{zero:.1f}" y2="{height - 10:.1f}" '
            'class="zero"/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="group" aria-label="{esc(title)}" class="chart">{grid}'
    )


def share_chart(
    view: View, groups: Sequence[tuple[str, str]], colours: dict[str, str], marks: Marks,
    headline: str,
) -> str:  # fmt: skip
    """Each item's agree share per group with its interval, on 0-100%."""
    height = TOP + ROW_H * len(view.rows) + 16
    x = _scale(0.0, 1.0)
    ticks = [(x(v / 100), f"{v}%") for v in (0, 25, 50, 75, 100)]
    out = [_frame(height, ticks, f"Agree share per group: {view.label}", None)]
    spread = min(7.0, 20.0 / max(len(groups), 1))
    for i, row in enumerate(view.rows):
        y = TOP + ROW_H * i + ROW_H / 2
        out.append(_label(row.label, y, row.item == headline))
        for gi, (name, label) in enumerate(groups):
            cell = row.cells.get(name)
            if cell is None or cell.share is None:
                continue
            yy = y + (gi - (len(groups) - 1) / 2) * spread
            lo, hi = (v if v is not None else cell.share for v in cell.ci)
            body = _whisker(x(lo), x(hi), x(cell.share), yy, colours[name], bool(cell.note))
            key = marks.add(f"{label}: {row.label}", _share_rows(cell, view.label))
            words = share_words(f"{label}, {row.label}", cell.share, cell.ci, cell.n)
            out.append(_mark(key, words, body, gi))
    out.append("</svg>")
    return "".join(out)


def _share_rows(cell: Cell, view: str) -> list[tuple[str, str]]:
    return [
        ("Agree", share_text(cell.share)),
        ("Interval", ci_text(cell.ci)),
        ("n", f"{cell.n:,}"),
        ("Effective n", "" if cell.n_eff is None else f"{cell.n_eff:,.0f}"),
        ("View", view),
        ("Note", cell.note),
    ]


def gap_chart(
    view: View, k: int, pair: str, domain: tuple[float, float], colours: dict[str, str],
    marks: Marks, adjust: str,
) -> str:  # fmt: skip
    """Each item's gap on comparison ``k`` with its interval; flags coloured."""
    height = TOP + ROW_H * len(view.rows) + 16
    x = _scale(*domain)
    step = 0.1 if domain[1] - domain[0] <= 1.2 else 0.25
    first = round(domain[0] / step)
    ticks = [(x(v * step), _tick(v * step)) for v in range(first, round(domain[1] / step) + 1)]
    out = [_frame(height, ticks, f"Gap {pair}: {view.label}", x(0.0))]
    for i, row in enumerate(view.rows):
        y = TOP + ROW_H * i + ROW_H / 2
        out.append(_label(row.label, y))
        gap = row.gaps[k] if k < len(row.gaps) else None
        if gap is None or gap.gap is None:
            note = "not in this view" if gap is None else (gap.note or "n/a")
            out.append(f'<text x="{X0}" y="{y + 4:.1f}" class="na">{esc(note)}</text>')
            continue
        colour = colours.get(gap.flag or "", colours["muted"])
        lo, hi = (v if v is not None else gap.gap for v in gap.ci)
        body = _whisker(x(lo), x(hi), x(gap.gap), y, colour, False)
        key = marks.add(f"{pair}: {row.label}", _gap_rows(gap, pair, view.label, adjust))
        words = f"{row.label}, gap {pair}: {gap_text(gap.gap)} ({ci_text(gap.ci, True)})"
        out.append(_mark(key, words + (f", {_flag(gap.flag)}" if gap.flag else ""), body))
    out.append("</svg>")
    return "".join(out)


def _tick(value: float) -> str:
    points = round(value * 100)
    return f"{points:+d}" if points else "0"


def _flag(flag: str | None) -> str:
    return {"blind_spot": "blind spot", "hidden_strength": "hidden strength"}.get(flag or "", "")


def _gap_rows(gap: Gap, pair: str, view: str, adjust: str) -> list[tuple[str, str]]:
    return [
        ("Gap", gap_text(gap.gap)),
        ("Interval", ci_text(gap.ci, True)),
        ("p", "" if gap.p is None else p_text(gap.p)),
        (f"p adjusted ({adjust})", "" if gap.p_adjusted is None else p_text(gap.p_adjusted)),
        ("Flag", _flag(gap.flag)),
        ("Comparison", pair),
        ("View", view),
    ]


def gap_domain(all_views: Sequence[View], k: int) -> tuple[float, float]:
    """One scale for comparison ``k`` in every view, zero included, in 10 pp steps."""
    values = [0.0]
    for view in all_views:
        for row in view.rows:
            gap = row.gaps[k] if k < len(row.gaps) else None
            if gap is not None and gap.gap is not None:
                values += [v for v in (gap.gap, *gap.ci) if v is not None]
    lo, hi = min(values), max(values)
    return (_round_out(lo, -1), _round_out(hi, 1))


def _round_out(value: float, direction: int) -> float:
    steps = math.floor(value * 10) if direction < 0 else math.ceil(value * 10)
    return max(-1.0, min(1.0, steps / 10))


def _scale(lo: float, hi: float) -> Callable[[float], float]:
    span = (hi - lo) or 1.0
    return lambda v: X0 + (X1 - X0) * (v - lo) / span
