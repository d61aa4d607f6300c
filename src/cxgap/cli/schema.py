"""``cxgap schema``: the JSON Schema of ``cxgap analyze --format json``."""

from __future__ import annotations

from pathlib import Path

import typer

from cxgap.cli.common import run_guarded


def schema_command(
    kind: str = typer.Argument(
        "analysis",
        help="analysis (analyze --format json), trend, check, validate (their --format "
        "json), or counts (the metadata of a counts file).",
    ),
    output: Path = typer.Option(
        Path("-"), "--output", "-o", help="Write here instead of stdout ('-')."
    ),
) -> None:
    """Print the JSON Schema of a JSON output (schema_version 2, validate 1; counts_version 3).

    Example:

    \b
        cxgap schema -o cxgap-report.schema.json
        cxgap schema trend -o cxgap-trend.schema.json
    """

    def body() -> None:
        from cxgap.errors import UsageError
        from cxgap.io.output import write_output
        from cxgap.render.json import SCHEMA_KINDS, json_schema

        if kind not in SCHEMA_KINDS:
            raise UsageError(f"unknown schema {kind!r}; expected one of {', '.join(SCHEMA_KINDS)}")
        write_output(output, json_schema(kind))

    run_guarded(body, debug=False)
