"""The validation report as a terminal table, or one line per problem for logs and
editors (JSON is the model itself)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxgap.errors import CATALOGUE
from cxgap.model import Problem, ValidationReport


def _examples(p: Problem, *, bare_rows: bool = True) -> str:
    """The first examples: ``row 3: 'Agreee'`` (``line 5`` for a kind that counts the
    file's lines); rows without a value only if ``bare_rows``."""
    kind = CATALOGUE.get(p.code)
    word = kind.row_word if kind is not None else "row"  # a line of the file, or a row
    where = "; ".join(
        (f"{word} {e.row}: {e.value!r}" if e.value else f"{word} {e.row}")
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


#: Problems of one kind in one file shown before the rest are counted (lines and
#: JSON list every one).
SHOWN_PER_KIND = 5
#: Items whose scale is listed one by one; more are summarised by scale and source.
SCALES_LISTED = 30


def _message(p: Problem) -> str:
    """The problem's words, without the file name the heading already gives."""
    message = p.message
    if p.file and message.startswith(f"{p.file}: "):
        message = message[len(p.file) + 2 :]
    where = f"{p.column}: " if p.column else ""
    count = f" ({p.count:,}x)" if p.count > 1 and f"{p.count:,}" not in message else ""
    return f"[{p.code}] {where}{message}{count}{_examples(p)}"


def render_validation_table(
    report: ValidationReport, *, color: bool = False, width: int = 140
) -> str:
    """For a terminal: the verdict, then each file's problems under its name (the
    name said once, every message wrapped under its own start), then the scales."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, emoji=False)  # fmt: skip
    console.print(Text(verdict(report), style="bold green" if report.valid else "bold red"))
    files = list(dict.fromkeys(p.file or "" for p in report.problems))
    for name in files:
        console.print()
        console.print(Text(name or "(all files)", style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, width=7)
        grid.add_column(ratio=1, overflow="fold")
        mine = [p for p in report.problems if (p.file or "") == name]
        seen: dict[tuple[str, str], int] = {}
        for p in mine:
            key = (p.severity, p.code)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > SHOWN_PER_KIND:
                continue
            style = "red" if p.severity == "error" else "yellow"
            grid.add_row(Text(p.severity, style=style), Text(_message(p)))
        for (severity, code), n in seen.items():
            if n > SHOWN_PER_KIND:
                more = f"... {n - SHOWN_PER_KIND:,} more [{code}] {severity}s"
                grid.add_row(Text(""), Text(more + " (--format lines or json lists all)"))
        console.print(grid)
    if report.scales:
        console.print()
        console.print(Text("Scales", style="bold"))
        # one line per decision: the files share it unless their columns differ
        sources = dict.fromkeys(sc.file for sc in report.scales)
        decided: dict[tuple[str, str, str, str, str], list[str]] = {}
        for sc in report.scales:
            decided.setdefault((sc.item, sc.column, sc.scale, sc.source, sc.reason), []).append(
                sc.file
            )
        if len(decided) <= SCALES_LISTED:
            for (_, column, scale, source, reason), where in decided.items():
                only = f" ({', '.join(where)})" if len(where) < len(sources) else ""
                console.print(Text(f"scale {scale} ({source}): {column}{only}: {reason}"))
        else:
            kinds: dict[tuple[str, str], set[str]] = {}
            for item, _, scale, source, _ in decided:
                kinds.setdefault((scale, source), set()).add(item)
            for (scale, source), items in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
                console.print(Text(f"scale {scale} ({source}): {len(items):,} items"))
            console.print(Text("(--format json gives each item's scale and why)"))
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))
