"""The terminal table (rich): headline first, items sorted by gap, findings below.

The table fits the terminal: numbers never wrap, labels are cut with an ellipsis to
at most two lines (the full wording stays in JSON, CSV and Markdown), and when the
terminal is narrow the least important columns go first: the ratio, then the
Mann-Whitney p-value, then the gap's interval. Every text that comes from the data
is printed literally (``Question [Row]`` is not rich markup).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxgap.model import AnalysisResult, Comparison, GapStats
from cxgap.render import text as t
from cxgap.render.labels import shorten
from cxgap.render.sections import print_sections

GAP_STYLE = {"blind_spot": "bold red", "hidden_strength": "bold green"}
#: Characters between two columns (padding, divider, padding).
COLUMN_GAP = 3
#: The label column's width: at least ITEM_MIN before optional columns are kept,
#: at most ITEM_MAX (longer labels take a second line).
ITEM_MIN, ITEM_MAX = 26, 48
#: The narrowest label column, whatever the labels ("q1"): its heading is "Item".
ITEM_FLOOR = 8
#: Optional columns, dropped in this order when the terminal is narrow (then the other
#: comparisons' gaps, the groups' intervals, and the p-value: see _trials).
DROP_ORDER = ("ratio", "mwu", "gap_ci")
#: How group cells are written: on one line, on two (share and interval; n), or bare
#: (share; n) when even two lines do not fit.
LINE, COMPACT, BARE = 0, 1, 2


@dataclass(frozen=True)
class _Column:
    key: str
    header: str
    justify: str
    cell: Callable[[GapStats, float, int], Text]


def _gap_text(c: Comparison) -> Text:
    style = GAP_STYLE.get(c.flag or "", "dim" if not c.significant else "")
    return Text(f"{t.pp(c.gap)}", style=style)


def _group(stats: GapStats, group: str, level: int) -> Text:
    g = stats.groups[group]
    if g.share is None:
        return Text(f"n/a\nn={g.n:,}" if level else f"n/a n={g.n:,}")
    share = t.pct(g.share) if level == BARE else f"{t.pct(g.share)} ({t.interval_pct(g.ci)})"
    if not level:
        return Text(f"{share} n={g.n:,}{t.n_eff_text(g)}")
    # on lines of their own, a weighted group's n and effective n keep the column narrow
    return Text("\n".join([share, f"n={g.n:,}", *t.n_eff_text(g).split()]))


def _finding(c: Comparison, level: int) -> Text:
    words = t.flag_text(c)
    style = GAP_STYLE.get(c.flag or "", "")
    return Text(words.replace(" ", "\n") if level else words, style=style)


def _group_column(name: str, label: str, conf: str, level: int) -> _Column:
    title = f"{label[:1].upper()}{label[1:]}"
    header = "\n".join(textwrap.wrap(title, 10)) if level == BARE else f"{title}\n{conf} CI"
    return _Column(name, header, "right", lambda s, a, c: _group(s, name, c))


def _other_gap(k: int, a_name: str, b_name: str) -> _Column:
    """Another comparison's gap, in pp (its interval and tests are in the other formats)."""
    return _Column(f"gap{k}", f"{a_name}-{b_name}\npp", "right",
                   lambda s, a, c: _gap_text(s.comparisons[k]))  # fmt: skip


def _gap_ci(stats: GapStats, alpha: float, level: int) -> Text:
    return Text(t.interval_pp(stats.primary.gap_ci))


def _columns(result: AnalysisResult, level: int = LINE) -> list[_Column]:
    conf = f"{result.settings.confidence:.0%}"
    short = initials(result)
    # weighted comparisons have no Mann-Whitney test: no column of n/a
    rank_test = any(i.primary.mwu_p is not None for i in result.items)
    columns = [
        *(_group_column(g.name, g.label, conf, level) for g in result.groups),
        _Column("gap", "Gap\npp", "right", lambda s, a, c: _gap_text(s.primary)),
        *(_other_gap(k, short[p.a], short[p.b]) for k, p in enumerate(result.comparisons) if k),
        _Column("gap_ci", f"Gap\n{conf} CI", "right", _gap_ci),
        _Column("ratio", "Ratio", "right", lambda s, a, c: Text(t.ratio(s.primary.ratio))),
        _Column("p", "p\nadj", "right", lambda s, a, c: Text(t.pvalue(s.primary.p_adjusted))),
        _Column("stars", "", "left", lambda s, a, c: Text(t.stars(s.primary, a))),
        _Column(
            "mwu", "Mann-\nWhitney p", "right", lambda s, a, c: Text(t.pvalue(s.primary.mwu_p))
        ),
        _Column("finding", "Finding", "left", lambda s, a, c: _finding(s.primary, c)),
    ]
    return [c for c in columns if c.key != "mwu" or rank_test]


def _width(header: str, cells: list[Text]) -> int:
    lines = header.split("\n") + [line for c in cells for line in c.plain.split("\n")]
    return max(cell_len(line) for line in lines)


def _trials(result: AnalysisResult) -> list[tuple[set[str], int]]:
    """(columns dropped, group cell level), tried in turn until the table fits."""
    trials: list[tuple[set[str], int]] = [(set(), LINE), (set(), COMPACT)]
    for k in range(1, len(DROP_ORDER) + 1):
        trials.append((set(DROP_ORDER[:k]), COMPACT))
    # The other comparisons' gaps tell where the layers part: they stay longer than the
    # groups' intervals.
    if len(result.groups) < 3:
        return trials
    others = {f"gap{k}" for k in range(1, len(result.comparisons))}
    most, tests = {*DROP_ORDER, *others}, {"p", "stars"}
    # the Finding column still says which gaps are significant
    return [*trials, (set(DROP_ORDER), BARE), ({*DROP_ORDER, *tests}, BARE), (most, BARE),
            ({*most, *tests}, BARE)]  # fmt: skip


def _caption(result: AnalysisResult, shown: set[str], level: int) -> str:
    """What the table's columns mean, for the columns it shows."""
    s = result.settings
    conf = f"{s.confidence:.0%}"
    short = initials(result)
    key = "".join(
        f"; {short[c.a]}-{short[c.b]} = {result.group(c.a).label} - {result.group(c.b).label}"
        for k, c in enumerate(result.comparisons)
        if k and f"gap{k}" in shown
    )
    text = f"Agree = {s.agree}. Gap = {t.gap_words(result)} in pp{key}"
    if len(result.groups) < 3:  # two groups: as it has always read
        intervals = f"; {conf} CI: Wilson (shares), Newcombe (gap)."
    else:
        methods = [m for m, on in (("Wilson (shares)", level != BARE),
                                   ("Newcombe (gap)", "gap_ci" in shown)) if on]  # fmt: skip
        intervals = f"; {conf} CI: {', '.join(methods)}." if methods else "."
    tests = ""
    if "p" in shown:
        tests = (f" p adjusted by {s.adjust}{t.family(result)}; * < {s.alpha:g}, ** < 0.01, "
                 "*** < 0.001.")  # fmt: skip
    weighted = t.weights_note(result)
    return text + intervals + tests + (f" {weighted}" if weighted else "")


def initials(result: AnalysisResult) -> dict[str, str]:
    """Each group's initial (L, F, C), or its name where two groups share an initial."""
    first = [g.name[:1].upper() for g in result.groups]
    return {g.name: (i if first.count(i) == 1 else g.name)
            for g, i in zip(result.groups, first, strict=True)}  # fmt: skip


def _layout(result: AnalysisResult, width: int) -> tuple[list[_Column], int, int]:
    """The columns kept, how group cells are written, and the label width."""
    s = result.settings
    trials = _trials(result)
    rows = list(result.items)
    labels = [" ".join(i.label.split()) for i in rows]
    longest = max((cell_len(x) for x in labels), default=4)
    kept: list[_Column] = []
    compact = LINE
    room = 0
    for k, (dropped, compact) in enumerate(trials):
        kept = [c for c in _columns(result, compact) if c.key not in dropped]
        used = sum(_width(c.header, [c.cell(i, s.alpha, compact) for i in rows]) for c in kept)
        room = width - used - COLUMN_GAP * len(kept)
        # One-line rows only when every label fits on its line; else rows take two
        # lines, and the label gets the room the second line of numbers frees.
        # (the label column is never under ITEM_FLOOR wide, however short the labels)
        if room >= max(ITEM_FLOOR, min(longest, ITEM_MAX) if k == 0 else min(ITEM_MIN, longest)):
            break
    return kept, compact, max(ITEM_FLOOR, min(room, ITEM_MAX, max(longest, 4)))


def build_table(result: AnalysisResult, width: int = 140) -> Table:
    s = result.settings
    columns, level, item_width = _layout(result, width)
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title_justify="left",
        caption=Text(_caption(result, {c.key for c in columns}, level), justify="left"),
        caption_justify="left",
    )
    table.add_column("Item", width=item_width, no_wrap=True, overflow="ellipsis")
    for c in columns:
        table.add_column(Text(c.header), justify=c.justify, no_wrap=True)  # type: ignore[arg-type]
    for item in result.items:
        table.add_row(
            Text(shorten(item.label, item_width)),
            *(c.cell(item, s.alpha, level) for c in columns),
        )
    return table


def print_bullets(console: Console, lines: list[str]) -> None:
    """Each line as "  - text", wrapped lines indented under the text, printed literally."""
    if not lines:
        return
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=3, justify="right")
    grid.add_column(ratio=1, overflow="fold")
    for line in lines:
        grid.add_row("-", Text(line))
    console.print(grid)


def render_table(result: AnalysisResult, *, color: bool = False, width: int = 140) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    console.print(Text(result.headline.text, style="bold"))
    console.print()
    console.print(build_table(result, width))
    kept, level, _ = _layout(result, width)
    hidden = [c.header.replace("-\n", "-").replace("\n", " ") for c in _columns(result)
              if c.key not in {k.key for k in kept} and c.key != "stars"]  # fmt: skip
    if level == BARE:
        hidden.insert(0, "the groups' intervals")
    if hidden:
        console.print()
        console.print(Text(f"Not shown at this width: {', '.join(hidden)} (a wider terminal, "
                           "or --format markdown, csv or json, shows every column).",
                           style="dim"))  # fmt: skip
    console.print()
    _findings(console, result)
    print_sections(console, result, width)
    if result.warnings:
        console.print()
        console.print(Text("Warnings", style="bold yellow"))
        print_bullets(console, result.warnings)
    # Rich pads every line to the table's width; trailing blanks only get in the way.
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def _findings(console: Console, result: AnalysisResult) -> None:
    by_name = {i.item: i for i in result.items}
    f = result.findings
    console.print(Text(f"Findings (flagged when {f.rule})", style="bold"))
    print_bullets(console, f.summary)
    several = len(f.comparisons) > 1
    for k, found in enumerate(f.comparisons):
        a, b = result.group(found.a).label, result.group(found.b).label
        if several:
            console.print(Text(f"  {a[:1].upper()}{a[1:]} vs {b}", style="bold"))
        indent = "    " if several else "  "
        if found.blind_spots:
            console.print(Text(f"{indent}Blind spots: {a} rate higher than {b}", style="red"))
            for name in found.blind_spots:
                item = by_name[name]
                console.print(Text(f"{indent}  {t.pp(item.comparisons[k].gap)} pp  {item.label}"))
        if found.hidden_strengths:
            console.print(
                Text(f"{indent}Hidden strengths: {b} rate higher than {a}", style="green")
            )
            for name in found.hidden_strengths:
                item = by_name[name]
                console.print(Text(f"{indent}  {t.pp(item.comparisons[k].gap)} pp  {item.label}"))
        if not (found.blind_spots or found.hidden_strengths):
            console.print(Text(f"{indent}No item meets the rule."))
