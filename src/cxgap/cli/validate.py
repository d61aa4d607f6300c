"""``cxgap validate FILE...``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from cxgap.cli import options as opt
from cxgap.cli.common import run_guarded, terminal_width, use_color


class ValidateFormat(StrEnum):
    table = "table"
    lines = "lines"
    json = "json"


@opt.with_export_inputs
def validate_command(
    files: list[str] = typer.Argument(
        ..., help="Exports to check (one, or leaders then customers)."
    ),
    fmt: ValidateFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="Output format. Default: the table on a terminal, else lines "
        "(file:row:column: [code] message, one per problem).",
    ),
    output: str = opt.OUTPUT,
    config: Path | None = opt.CONFIG,
    debug: bool = opt.DEBUG,
    inputs: opt.Inputs = opt.DEFAULT_INPUTS,
) -> None:
    """List every problem in the files without analysing them; exit 1 if any is an error.

    Problems: unreadable or empty files, a header with no responses, ragged lines
    (every one, grouped by field count), no column that is an item, items in only one
    file, answers that fit no scale (each distinct answer with its count and first
    rows), NaN/inf text, repeated respondent ids, a group value that matches no row,
    items nobody answered, and straight-liners (warnings). Each problem carries its
    code from the catalogue (see the README).

    Example:

    \b
        cxgap validate leaders.csv customers.csv
        cxgap validate export.csv --format json -o problems.json
    """

    to_terminal = output == "-" and sys.stdout.isatty()
    chosen = fmt or (ValidateFormat.table if to_terminal else ValidateFormat.lines)

    def body() -> int:
        from cxgap.analysis.validation import validate
        from cxgap.counts import is_counts_file
        from cxgap.errors import UsageError
        from cxgap.io.output import write_output
        from cxgap.render import render
        from cxgap.render.validate import verdict

        if any(is_counts_file(str(f)) for f in files):
            raise UsageError(
                "validate checks exports; a counts file is checked when it is analysed "
                "(cxgap analyze COUNTS.parquet)"
            )
        cfg = inputs.config(config)
        others = inputs.given_groups()
        if others and len(files) != 2:
            raise UsageError("--frontline and --group go with two exports (LEADERS CUSTOMERS)")
        report = validate(files, cfg, source=inputs.source, groups=others or None)
        if chosen is ValidateFormat.lines:
            typer.echo(verdict(report), err=True)
        text = render(
            report,
            chosen.value,
            color=to_terminal and use_color(),
            width=terminal_width() if to_terminal else 140,
        )
        write_output(output, text)
        return 0 if report.valid else 1

    code = run_guarded(body, debug=debug, json_errors=chosen is ValidateFormat.json)
    if code:
        raise typer.Exit(code)
