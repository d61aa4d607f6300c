"""``cxgap schema``: the JSON Schema of ``cxgap analyze --format json``."""

from __future__ import annotations

from pathlib import Path

import typer

from cxgap.cli.common import run_guarded


def schema_command(
    output: Path = typer.Option(
        Path("-"), "--output", "-o", help="Write here instead of stdout ('-')."
    ),
) -> None:
    """Print the JSON Schema of the analysis report (schema_version 1).

    Example:

    \b
        cxgap schema -o cxgap-report.schema.json
    """

    def body() -> None:
        from cxgap.io.output import write_output
        from cxgap.render.json import json_schema

        write_output(output, json_schema())

    run_guarded(body, debug=False)
