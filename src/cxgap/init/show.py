"""The proposal for a terminal: the pairs with their confidence and method, then the
columns left out and why. Every name and text from the exports is a rich ``Text``
(never markup), with control characters shown escaped."""

from __future__ import annotations

import io
import re

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from cxgap.config.sections import possessive
from cxgap.init.model import LeftOut, PairProposal

#: How many columns that are not items each file's summary names.
NOT_ITEMS_NAMED = 4
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def shown(text: str) -> str:
    """Text as one line: a line break or other control character as its escape."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def short(text: str, room: int) -> str:
    """``text`` cut to fit ``room`` characters (at least 30): its start and its end, cut at
    words (the rows of a matrix differ at the end of their text)."""
    room = max(room, 30)
    if len(text) <= room:
        return text
    keep = room - 5
    head = text[: keep // 2]
    head = head.rsplit(" ", 1)[0] if " " in head[keep // 4 :] else head
    tail = text[len(text) - (keep - len(head)) :]
    tail = tail.split(" ", 1)[1] if " " in tail[: len(tail) // 2] else tail
    return f"{head} ... {tail}"


def proposal_table(proposal: PairProposal, *, color: bool = False, width: int = 100) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, emoji=False)  # fmt: skip
    groups = proposal.groups
    live = len(proposal.accepted)
    below = len(proposal.pairs) - live
    title = (f"{live} pair(s) at confidence {proposal.threshold:.2f} or more"
             + (f", {below} below it (written commented out)" if below else ""))  # fmt: skip
    console.print(Text(title, style="bold"))
    if proposal.pairs:
        # one row per pair: its confidence, how it was found, then the item, each group's
        # column and the evidence, one per line (long question texts wrap in place)
        table = Table(header_style="bold", pad_edge=False, show_lines=True)
        table.add_column("conf", justify="right", no_wrap=True)
        table.add_column("method", no_wrap=True)
        table.add_column("item: each group's column; why", ratio=1, overflow="fold")
        for pair in proposal.pairs:
            dim = "" if pair.accepted else "dim"
            columns = dict(pair.columns)
            marks = {m.group: "" if m.accepted else " (below the threshold)" for m in pair.others}
            columns.update({m.group: m.column for m in pair.others})
            texts = {**pair.texts, **{m.group: m.text for m in pair.others if m.text}}
            where = Table.grid(padding=(0, 1, 0, 0))
            where.add_column(no_wrap=True, style=dim)
            where.add_column(ratio=1, overflow="fold", style=dim)
            for group in groups:
                column = columns.get(group)
                value = Text(shown(column) if column is not None else "-")
                if texts.get(group):
                    room = width - 22 - max(len(g) for g in groups) - len(value)
                    value.append(": " + short(shown(texts[group]), room))
                value.append(marks.get(group, ""), style="yellow")
                where.add_row(Text(group + ":"), value)
            cell = Group(
                Text(shown(pair.item), style="bold " + dim if dim else "bold"),
                where,
                Text(shown("; ".join(pair.evidence)), style="dim"),
            )
            table.add_row(
                Text(f"{pair.confidence:.2f}", style="green" if pair.accepted else "yellow"),
                Text(pair.method, style=dim),
                cell,
            )
        console.print(table)
    _left_out(console, proposal)
    return buffer.getvalue()


def _left_out(console: Console, proposal: PairProposal) -> None:
    paired = [x for x in proposal.left_out if x.kind != "not an item"]
    if paired:
        console.print()
        console.print(Text("Item columns in no pair", style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for x in paired:
            grid.add_row(Text(x.group), Text(f"{shown(x.column)}: {x.kind}: {shown(x.reason)}"))
        console.print(grid)
    for group in proposal.groups:
        nots = [x for x in proposal.left_out if x.group == group and x.kind == "not an item"]
        if nots:
            console.print()
            console.print(Text(f"Not items in the {possessive(group)} file ({len(nots)}):",
                               style="bold"))  # fmt: skip
            grid = Table.grid()
            grid.add_column(width=2)
            grid.add_column(ratio=1, overflow="fold")
            for x in nots[:NOT_ITEMS_NAMED]:
                grid.add_row("", Text(f"{shown(x.column)}: {shown(x.reason)}"))
            console.print(grid)
            if len(nots) > NOT_ITEMS_NAMED:
                console.print(Text(f"  ... and {len(nots) - NOT_ITEMS_NAMED} more "
                                   "(listed in the written file)"))  # fmt: skip


def summary_line(proposal: PairProposal, path: str) -> str:
    """What was written, and the analysis to run with it."""
    first, second, *more = proposal.groups
    command = ["cxgap analyze", _quoted(proposal.files[first]), _quoted(proposal.files[second])]
    for group in more:
        flag = "--frontline" if group == "frontline" else f"--group {group}="
        command.append(f"{flag}{'' if flag.endswith('=') else ' '}{_quoted(proposal.files[group])}")
    if path != "cxgap.toml":
        command.append(f"--config {_quoted(path)}")
    below = len(proposal.pairs) - len(proposal.accepted)
    return (f"Wrote {path}: {len(proposal.accepted)} pair(s) live, {below} commented out. "
            f"Review it, then run:\n  {' '.join(command)}")  # fmt: skip


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


__all__ = ["LeftOut", "proposal_table", "shown", "summary_line"]
