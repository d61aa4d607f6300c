"""The validation report as a terminal table (JSON is the model itself)."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxgap.model import ValidationReport


def render_validation_table(
    report: ValidationReport, *, color: bool = False, width: int = 140
) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, emoji=False)  # fmt: skip
    verdict = "valid" if report.valid else "NOT valid"
    console.print(Text(f"cxgap validate: {verdict} ({report.errors} error(s), "
                       f"{report.warnings} warning(s))",
                       style="bold green" if report.valid else "bold red"))  # fmt: skip
    if report.problems:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for name, justify in (("", "left"), ("File", "left"), ("Column", "left"),
                              ("Count", "right"), ("Problem", "left")):  # fmt: skip
            table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for p in report.problems:
            where = "; ".join(
                f"row {e.row}: {e.value!r}" if e.row is not None else repr(e.value)
                for e in p.examples
            )
            message = p.message + (f" (first: {where})" if where else "")
            table.add_row(
                Text(p.severity, style="red" if p.severity == "error" else "yellow"),
                p.file or "",
                p.column or "",
                f"{p.count:,}",
                Text(f"[{p.code}] {message}"),
            )
        console.print(table)
    for s in report.scales:  # one line per item: the scale chosen and why
        console.print(Text(f"scale {s.scale} ({s.source}): {s.column}: {s.reason}"))
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))
