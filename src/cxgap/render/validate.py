"""The validation report as a terminal table, or one line per problem for logs and
editors (JSON is the model itself)."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxgap.model import Problem, ValidationReport


def _examples(p: Problem, *, bare_rows: bool = True) -> str:
    """The first examples: ``row 3: 'Agreee'``; rows without a value only if ``bare_rows``."""
    where = "; ".join(
        (f"row {e.row}: {e.value!r}" if e.value else f"row {e.row}")
        if e.row is not None
        else repr(e.value)
        for e in p.examples
        if e.value or bare_rows
    )
    return f" (first: {where})" if where else ""


def problem_line(p: Problem) -> str:
    """``file:row:column: [code] message``, leaving out the parts that do not apply.

    The row is the first example's (a physical line for ragged lines); a column name
    that holds a colon or a space is quoted so the line still splits cleanly.
    """
    row = next((e.row for e in p.examples if e.row is not None), None)
    column = p.column
    if column is not None and (not column or any(ch.isspace() or ch == ":" for ch in column)):
        column = repr(column)
    parts = [x for x in (p.file, None if row is None else str(row), column) if x is not None]
    where = ":".join(parts)
    warning = "warning: " if p.severity == "warning" else ""
    text = f"[{p.code}] {warning}{p.message}{_examples(p, bare_rows=False)}"
    text = " ".join(text.split())  # one line, whatever the data hold
    return f"{where}: {text}" if where else text


def render_validation_lines(report: ValidationReport) -> str:
    """One line per problem, errors first: clickable in editors and CI logs."""
    return "".join(problem_line(p) + "\n" for p in report.problems)


def verdict(report: ValidationReport) -> str:
    word = "valid" if report.valid else "NOT valid"
    return f"cxgap validate: {word} ({report.errors} error(s), {report.warnings} warning(s))"


def render_validation_table(
    report: ValidationReport, *, color: bool = False, width: int = 140
) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, emoji=False)  # fmt: skip
    console.print(Text(verdict(report), style="bold green" if report.valid else "bold red"))
    if report.problems:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for name, justify in (("", "left"), ("File", "left"), ("Column", "left"),
                              ("Count", "right"), ("Problem", "left")):  # fmt: skip
            table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for p in report.problems:
            message = p.message + _examples(p)
            table.add_row(
                Text(p.severity, style="red" if p.severity == "error" else "yellow"),
                Text(p.file or ""),
                Text(p.column or ""),
                f"{p.count:,}",
                Text(f"[{p.code}] {message}"),
            )
        console.print(table)
    for s in report.scales:  # one line per item: the scale chosen and why
        console.print(Text(f"scale {s.scale} ({s.source}): {s.column}: {s.reason}"))
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))
