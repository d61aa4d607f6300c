"""The terminal table (rich): headline first, items sorted by gap, findings below."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxgap.model import AnalysisResult, GapStats
from cxgap.render import text as t

GAP_STYLE = {"blind_spot": "bold red", "hidden_strength": "bold green"}


def _gap_text(stats: GapStats) -> Text:
    style = GAP_STYLE.get(stats.flag or "", "dim" if not stats.significant else "")
    return Text(f"{t.pp(stats.gap)}", style=style)


def build_table(result: AnalysisResult) -> Table:
    s = result.settings
    conf = f"{s.confidence:.0%}"
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        title_justify="left",
        caption=(
            f"Agree = {s.agree}. Gap = leaders - customers in pp; {conf} CI: Wilson (shares), "
            f"Newcombe (gap). p adjusted by {s.adjust}; * < {s.alpha:g}, ** < 0.01, *** < 0.001."
        ),
        caption_justify="left",
    )
    table.add_column("Item", overflow="fold", max_width=44)
    table.add_column(f"Leaders ({conf} CI)", justify="right")
    table.add_column(f"Customers ({conf} CI)", justify="right")
    table.add_column("Gap pp", justify="right")
    table.add_column(f"Gap {conf} CI", justify="right")
    table.add_column("Ratio", justify="right")
    table.add_column("p adj", justify="right")
    table.add_column("", justify="left")
    table.add_column("Finding", justify="left")
    for item in result.items:
        table.add_row(
            item.label,
            t.group_cell(item.leaders),
            t.group_cell(item.customers),
            _gap_text(item),
            t.interval_pp(item.gap_ci),
            t.ratio(item.ratio),
            t.pvalue(item.p_adjusted),
            t.stars(item, s.alpha),
            Text(t.flag_text(item), style=GAP_STYLE.get(item.flag or "", "")),
        )
    return table


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
    console.print(build_table(result))
    console.print()
    _findings(console, result)
    if result.warnings:
        console.print()
        console.print(Text("Warnings", style="bold yellow"))
        for warning in result.warnings:
            console.print(Text(f"  - {warning}"))
    # Rich pads every line to the table's width; trailing blanks only get in the way.
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def _findings(console: Console, result: AnalysisResult) -> None:
    by_name = {i.item: i for i in result.items}
    f = result.findings
    console.print(Text(f"Findings (flagged when {f.rule})", style="bold"))
    if f.blind_spots:
        console.print(Text("  Blind spots: leaders rate higher than customers", style="red"))
        for name in f.blind_spots:
            item = by_name[name]
            console.print(Text(f"    {t.pp(item.gap)} pp  {item.label}"))
    if f.hidden_strengths:
        console.print(Text("  Hidden strengths: customers rate higher than leaders", style="green"))
        for name in f.hidden_strengths:
            item = by_name[name]
            console.print(Text(f"    {t.pp(item.gap)} pp  {item.label}"))
    if not (f.blind_spots or f.hidden_strengths):
        console.print("  No item meets the rule.")
