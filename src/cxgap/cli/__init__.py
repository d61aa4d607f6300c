"""The command line: thin commands over the library (``cxgap.analyze`` and friends).

Only typer and rich load at start-up; each command imports the library parts
it needs when it runs, so ``cxgap --help`` never pays for polars, numpy or scipy.
"""

from __future__ import annotations

import gc

import typer

from cxgap._version import __version__
from cxgap.cli.analyze import analyze_command
from cxgap.cli.charts import chart_command, deck_command, report_command
from cxgap.cli.check import check_command
from cxgap.cli.common import EXIT_CODES_HELP
from cxgap.cli.counts import counts_command
from cxgap.cli.init import init_command
from cxgap.cli.schema import schema_command
from cxgap.cli.sql import sql_command
from cxgap.cli.template import template_command
from cxgap.cli.trend import trend_command
from cxgap.cli.validate import validate_command

app = typer.Typer(
    name="cxgap",
    help=(
        "Measure the gap between what leaders believe about their customer experience "
        "and what customers report.\n\n" + EXIT_CODES_HELP
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cxgap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """cxgap command line."""


# The one-line summaries `cxgap --help` lists (click cuts a long first sentence).
app.command("analyze", short_help="Compare the groups' answers item by item.")(analyze_command)
app.command("validate", short_help="List every problem in the exports; exit 1 on an error.")(
    validate_command
)
app.command("trend", short_help="Each wave's shares and gap, and the change between waves.")(
    trend_command
)
app.command("check", short_help="The CI gate: exit 1 when a rule is breached.")(check_command)
app.command("counts", short_help="Count the exports once into a counts table (Parquet).")(
    counts_command
)
app.command("sql", short_help="Print the SQL that counts a table where it lives.")(sql_command)
app.command("chart", short_help="Draw one slide-ready chart (PNG, SVG or PDF).")(chart_command)
app.command("deck", short_help="Build a 16:9 PowerPoint deck of the findings.")(deck_command)
app.command("report", short_help="Write one self-contained HTML report.")(report_command)
app.command("schema", short_help="Print the JSON Schema of a JSON output.")(schema_command)
app.command("template", short_help="Write a paired survey from cxgap's item bank.")(
    template_command
)
app.command("init", short_help="Propose how existing exports' items pair; write cxgap.toml.")(
    init_command
)


def main() -> None:
    # A command runs for seconds and leaves little cyclic garbage (its data live in
    # polars), while its imports (polars, pydantic's models) allocate hundreds of
    # thousands of objects that the collector would walk again and again: a tenth of
    # the bundled sample's analysis. The process ends before it could matter (a deck's
    # peak memory is the same either way). The library leaves the collector alone.
    gc.disable()
    try:
        app()
    finally:
        # At exit Python collects once more, over every object the run made: with the
        # collector off they are all still young, and the walk took longer than the
        # sample's counting and statistics (about 60 ms). Frozen, they are left to the
        # operating system; exit handlers and the flushing of output run as before.
        gc.freeze()
