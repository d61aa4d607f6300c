"""Renderers for ``cxgap trend``: table, Markdown and long-format CSV (JSON is the model)."""

from __future__ import annotations

import csv
import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxgap.config.sections import upper_first
from cxgap.model import Change, ItemTrend, TrendResult, WavePoint
from cxgap.render import text as t
from cxgap.render.csv import csv_cell, safe_text
from cxgap.render.labels import shorten
from cxgap.render.table import print_bullets


def _latest(trend: ItemTrend, measure: str) -> Change | None:
    found = [c for c in trend.changes if c.measure == measure]
    return found[-1] if found else None


def _change_cell(change: Change | None, alpha: float, min_n: int, sep: str = " ") -> str:
    """'-8.8 (-10.8 to -6.9) *'; ``sep`` between the value and its interval ("\\n" to
    stack them in a narrow terminal)."""
    if change is None or change.change is None:
        return "n/a"
    mark = ""
    if change.p_adjusted is not None and change.p_adjusted < alpha:
        mark = " *"
    if change.small_n:
        mark += f" (n < {min_n})"
    # One decimal: whole pp would print an interval of -0.4 to +8.4 as "+0 to +8",
    # beside a star or not, and the reader could not see which side of 0 it lies.
    if change.note is not None and change.ci == (None, None):
        return f"{t.pp(change.change, 1)}{mark}{sep}(same answers)"
    lo, hi = change.ci
    interval = "n/a" if lo is None or hi is None else f"{t.pp(lo, 1)} to {t.pp(hi, 1)}"
    if sep == " ":
        return f"{t.pp(change.change, 1)} ({interval}){mark}"
    return f"{t.pp(change.change, 1)}{mark}{sep}({interval})"


def _legend(result: TrendResult) -> str:
    s = result.settings
    key = ""
    if len(result.groups) > 2 and len({g[:1] for g in result.groups}) == len(result.groups):
        key = "; ".join(f"{g[:1].upper()} = {label}" for g, label in result.groups.items()) + ". "
    return (
        key
        + (
            f"Changes in pp with {s.confidence:.0%} CI (continuity-corrected score intervals: "
            f"Newcombe for shares, MOVER for the gap; the tests invert them); "
            f"* = adjusted p < {s.alpha:g} ({s.adjust} across items); (n < {result.min_n}) = a "
            f"group the change uses has fewer than {result.min_n} valid answers (min_n; check "
            f"calls such a rule inconclusive)."
        )
        + _weights(result)
    )


def _weights(result: TrendResult) -> str:
    """' Weighted: customers (effective n 950-1,010); ...' when a group is weighted."""
    parts = []
    for group, label in result.groups.items():
        n_eff = [
            w.n_eff
            for trend in _rows(result)
            for point in trend[0].points
            if (g := point.groups.get(group)) is not None
            and (w := g.weighted) is not None
            and w.n_eff is not None
        ]
        if n_eff:
            low, high = f"{min(n_eff):,.0f}", f"{max(n_eff):,.0f}"
            parts.append(f"{label} (effective n {low if low == high else f'{low}-{high}'})")
    if not parts:
        return ""
    return (
        f" Weighted: {'; '.join(parts)}: weighted shares, whose changes use their "
        "design-based variance."
    )


def _point_cell(point: WavePoint, sep: str = " / ") -> str:
    """'81% / 24% / +57': each group's share (leaders, customers), the gap (on a line of
    its own when ``sep`` is a newline; with three groups or more every share too)."""
    shares = [t.pct(g.share) for g in point.groups.values()]
    between = "\n" if sep == "\n" and len(shares) > 2 else " / "
    return f"{between.join(shares)}{sep}{t.pp(point.gap)}"


def _reference(result: TrendResult) -> str:
    """The group whose share change is shown: the headline comparison's second (customers)."""
    return result.comparison.b


def _rows(result: TrendResult) -> list[tuple[ItemTrend, bool]]:
    return [(result.headline, True)] + [(i, False) for i in result.items]


def _shown_rows(result: TrendResult) -> list[tuple[ItemTrend, bool]]:
    """The table's and Markdown's rows: the headline item once, as the headline."""
    return [(t, head) for t, head in _rows(result) if head or t.item != result.headline.item]


def render_trend_table(result: TrendResult, *, color: bool = False, width: int = 140) -> str:
    s = result.settings
    last = f"{result.waves[-2]} to {result.waves[-1]}" if len(result.waves) > 1 else "n/a"
    # Below this width a change's interval goes under its value, so labels keep room.
    sep = " " if width >= 100 + 14 * len(result.waves) else "\n"
    when = f"\n{last}" if sep == " " else ""  # narrow: the wave pair is said above
    rows: list[tuple[str, bool, list[str]]] = []
    for trend, is_head in _shown_rows(result):
        cells = [_point_cell(point, " / " if sep == " " else "\n") for point in trend.points]
        for measure in (f"{_reference(result)}_share", "gap"):
            cells.append(_change_cell(_latest(trend, measure), s.alpha, result.min_n, sep))
        rows.append((("Headline: " if is_head else "") + trend.label, is_head, cells))
    names = list(result.groups)
    if len(names) > 2:  # initials, said under the table (L = leaders ...)
        names = [g[:1].upper() for g in names] if len({g[:1] for g in names}) == len(names) \
            else names  # fmt: skip
    point_head = (" / " if sep == " " else " /\n").join([*names, "gap"])
    if sep == "\n" and len(names) > 2:  # narrow: a line per group, as in the cells
        point_head = "\n".join([*names, "gap"])
    headers = [f"{wave}\n{point_head}" for wave in result.waves]
    headers += [f"{upper_first(_reference(result))}\nchange{when}", f"Gap\nchange{when}"]
    # The label gets what the numbers leave, at most 40 characters, cut to two lines:
    # numbers never wrap. Measured on the table itself (rich adds padding of its own).
    label_width = 40
    for _ in range(3):
        table = _trend_table(rows, headers, label_width)
        natural = Console(width=10_000).measure(table).maximum
        if natural <= width or label_width <= 12:
            break
        label_width = max(12, label_width - (natural - width))
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, emoji=False)  # fmt: skip
    changes = f"; changes from {last}" if len(result.waves) > 1 else ""
    console.print(Text(f"Waves: {', '.join(result.waves)}{changes}", style="bold"))
    console.print(table)
    console.print(_legend(result))
    print_bullets(console, result.warnings)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def _trend_table(
    rows: list[tuple[str, bool, list[str]]], headers: list[str], label_width: int
) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Item", no_wrap=True, width=label_width)
    for head in headers:
        table.add_column(Text(head), justify="right", no_wrap=True)
    for label, is_head, cells in rows:
        first = Text(shorten(label, label_width), style="bold" if is_head else "")
        table.add_row(first, *(Text(c) for c in cells))
    return table


def render_trend_markdown(result: TrendResult) -> str:
    s = result.settings
    ref = _reference(result)
    head = ["Item", *result.waves, f"{upper_first(ref)} change (latest)", "Gap change (latest)"]
    lines = [
        "# Leader-customer gap by wave",
        "",
        f"Each wave: {' / '.join(result.groups)} agree, gap "
        f"({result.comparison.a} - {result.comparison.b}) in pp.",
        "",
        "| " + " | ".join(head) + " |",
        "|---|" + "---:|" * (len(head) - 1),
    ]
    for trend, is_head in _shown_rows(result):
        label = ("**Headline:** " if is_head else "") + trend.label.replace("|", "\\|")
        cells = [label] + [_point_cell(p) for p in trend.points]
        cells.append(_change_cell(_latest(trend, f"{ref}_share"), s.alpha, result.min_n))
        cells.append(_change_cell(_latest(trend, "gap"), s.alpha, result.min_n))
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        _legend(result),
    ]
    if result.warnings:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in result.warnings]
    return "\n".join(lines) + "\n"


#: Per change (customers', leaders', gap's): as in the JSON's ``changes``.
_CHANGE_FIELDS = ("value", "ci_lo", "ci_hi", "p_value", "p_adjusted", "test", "small_n", "note")


def _measures(result: TrendResult) -> dict[str, int]:
    """The changes' measures in column order: customers' share, leaders' share, gap."""
    pair = result.comparison
    return {f"{pair.b}_share": 0, f"{pair.a}_share": 1, "gap": 2}


def csv_columns(result: TrendResult) -> list[str]:
    """item, label, wave; each group's n, agree, share; the gap; each change's fields."""
    return [
        "item", "label", "wave",
        *(f"{g}_{f}" for g in result.groups for f in ("n", "agree", "share")),
        "gap", "gap_ci_lo", "gap_ci_hi",
        *(f"{m.removesuffix('_share')}_change_{f}" for m in _measures(result)
          for f in _CHANGE_FIELDS),
    ]  # fmt: skip


def render_trend_csv(result: TrendResult) -> str:
    """Long format: one row per (item, wave); changes are from the previous wave."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_columns(result))
    measures = _measures(result)
    for trend, is_head in _rows(result):
        name = "headline" if is_head else trend.item
        for point in trend.points:
            width = len(_CHANGE_FIELDS)
            changes: list[object] = [None] * (width * len(measures))
            for c in trend.changes:
                if c.to_wave == point.wave:
                    k = measures[c.measure] * width
                    changes[k : k + width] = [
                        c.change, c.ci[0], c.ci[1], c.p_value, c.p_adjusted, c.test, c.small_n,
                        None if c.note is None else safe_text(c.note),
                    ]  # fmt: skip
            groups = [v for g in point.groups.values() for v in (g.n, g.agree, g.share)]
            row = [
                safe_text(name), safe_text(trend.label), safe_text(point.wave), *groups,
                point.gap, point.gap_ci[0], point.gap_ci[1], *changes,
            ]  # fmt: skip
            writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()
