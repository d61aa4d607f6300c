"""The report's trend chart (one per item, each group's share wave by wave) and NPS chart
(each group's Net Promoter Score per 0-10 item), drawn as :mod:`cxgap.report.svg` draws."""

from __future__ import annotations

from collections.abc import Sequence

from cxgap.model import AnalysisResult
from cxgap.model.trend import ItemTrend
from cxgap.report.svg import (
    ROW_H,
    TOP,
    WIDTH,
    X0,
    X1,
    Marks,
    _frame,
    _label,
    _mark,
    _whisker,
    ci_text,
    esc,
    gap_text,
    p_text,
    share_text,
    share_words,
)

TREND_H = 260


def trend_chart(
    item: ItemTrend, waves: Sequence[str], groups: Sequence[tuple[str, str]],
    colours: dict[str, str], marks: Marks, pair: str,
) -> str:  # fmt: skip
    """Each group's agree share in each wave, joined by a line, with intervals."""
    bottom = TREND_H - 34.0

    def y(share: float) -> float:
        return TOP + (bottom - TOP) * (1.0 - share)

    left, right = 140.0, X1 - 50.0
    step = (right - left) / max(len(waves) - 1, 1)
    xs = {w: left + step * k if len(waves) > 1 else (left + right) / 2 for k, w in enumerate(waves)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {TREND_H}" '
        f'role="group" aria-label="{esc("Agree share by wave: " + item.label)}" class="chart">'
    ]
    for v in (0, 25, 50, 75, 100):
        out.append(
            f'<line x1="{left - 30}" y1="{y(v / 100):.1f}" x2="{right + 30}" y2="{y(v / 100):.1f}" '
            f'class="grid"/><text x="{left - 36}" y="{y(v / 100) + 4:.1f}" text-anchor="end" '
            f'class="tick">{v}%</text>'
        )
    for w, x in xs.items():
        out.append(f'<text x="{x:.1f}" y="{TREND_H - 12}" text-anchor="middle">{esc(w)}</text>')
    out.append(f'<text x="{left - 30}" y="{TOP - 20}" class="tick">{esc(item.label)}</text>')
    for gi, (name, label) in enumerate(groups):
        points = [(p, p.groups[name]) for p in item.points if name in p.groups]
        line = " ".join(
            f"{xs[p.wave]:.1f},{y(g.share):.1f}" for p, g in points if g.share is not None
        )
        out.append(
            f'<polyline points="{line}" fill="none" stroke="{colours[name]}" '
            f'stroke-width="2" data-g="{gi}"/>'
        )
        for p, g in points:
            if g.share is None:
                continue
            lo, hi = (v if v is not None else g.share for v in g.ci)
            x = xs[p.wave]
            body = (
                f'<line x1="{x:.1f}" y1="{y(lo):.1f}" x2="{x:.1f}" y2="{y(hi):.1f}" '
                f'stroke="{colours[name]}" stroke-width="2"/><circle cx="{x:.1f}" '
                f'cy="{y(g.share):.1f}" r="5.5" fill="{colours[name]}"/>'
            )
            rows = [
                ("Agree", share_text(g.share)),
                ("Interval", ci_text(g.ci)),
                ("n", f"{g.n:,}"),
                (f"Gap {pair}", gap_text(p.gap)),
                ("Wave", p.wave),
            ]
            key = marks.add(f"{label}: {item.label}", rows)
            words = share_words(f"{label}, {item.label}, wave {p.wave}", g.share, g.ci, g.n)
            out.append(_mark(key, words, body, gi))
    out.append("</svg>")
    return "".join(out)


def nps_chart(
    result: AnalysisResult, groups: Sequence[tuple[str, str]], colours: dict[str, str],
    marks: Marks,
) -> str:  # fmt: skip
    """Each group's NPS (-100..+100) per 0-10 item with its interval."""
    height = TOP + ROW_H * len(result.nps) + 16

    def x(v: float) -> float:
        return X0 + (X1 - X0) * (v + 1.0) / 2.0

    ticks = [(x(v / 100), f"{v:+d}" if v else "0") for v in (-100, -50, 0, 50, 100)]
    out = [_frame(height, ticks, "Net Promoter Score per group", x(0.0))]
    spread = min(7.0, 20.0 / max(len(groups), 1))
    for i, found in enumerate(result.nps):
        y0 = TOP + ROW_H * i + ROW_H / 2
        out.append(_label(found.label, y0))
        main = found.comparisons[0] if found.comparisons else None
        for gi, (name, label) in enumerate(groups):
            g = found.groups.get(name)
            if g is None or g.nps is None:
                continue
            yy = y0 + (gi - (len(groups) - 1) / 2) * spread
            lo, hi = (v if v is not None else g.nps for v in g.ci)
            body = _whisker(x(lo), x(hi), x(g.nps), yy, colours[name], False)
            rows = [
                ("NPS", f"{g.nps * 100:+.1f}"),
                ("Interval", ci_text(g.ci, True).replace(" pp", "")),
                ("Promoters", share_text(g.promoters)),
                ("Passives", share_text(g.passives)),
                ("Detractors", share_text(g.detractors)),
                ("n", f"{g.n:,}"),
                ("Effective n", "" if g.n_eff is None else f"{g.n_eff:,.0f}"),
            ]
            if main is not None and gi == 0:
                a, b = result.group(main.a).label, result.group(main.b).label
                rows.append((f"Gap {a} - {b}", gap_text(main.gap)))
                rows.append(("p adjusted", p_text(main.p_adjusted)))
            key = marks.add(f"{label}: {found.label}", rows)
            words = (
                f"{label}, {found.label}: NPS {g.nps * 100:+.1f} ({ci_text(g.ci, True)}), n={g.n:,}"
            )
            out.append(_mark(key, words.replace(" pp)", ")"), body, gi))
    out.append("</svg>")
    return "".join(out)
