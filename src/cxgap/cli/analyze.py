"""``cxgap analyze LEADERS CUSTOMERS``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from cxgap.cli.common import run_guarded, terminal_width, use_color


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Adjust(StrEnum):
    holm = "holm"
    bh = "bh"
    none = "none"


def analyze_command(
    leaders: Path = typer.Argument(
        ..., help="Leaders' export (CSV or Parquet).", show_default=False
    ),
    customers: Path = typer.Argument(
        ..., help="Customers' export (CSV or Parquet).", show_default=False
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Output format."),
    output: str = typer.Option(
        "-", "--output", "-o", help="Write the report to this file ('-' = stdout)."
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        "-c",
        help="Config file (cxgap.toml, or a pyproject.toml with [tool.cxgap]). "
        "Default: the nearest one from the working directory up.",
    ),
    agree: str | None = typer.Option(
        None, help="Agree rule: top-box, top2 (default), top3, or '>=N'."
    ),
    scale: str | None = typer.Option(
        None, help="Scale of numeric codes: 1-5 (default), 1-7, 0-10, or a vocabulary name."
    ),
    confidence: float | None = typer.Option(
        None, help="Confidence level of intervals (default 0.95)."
    ),
    adjust: Adjust | None = typer.Option(
        None, help="Multiple-comparison adjustment across items (default holm)."
    ),
    min_gap_pp: float | None = typer.Option(
        None, "--min-gap-pp", help="Smallest gap in percentage points flagged (default 5)."
    ),
    headline_item: str | None = typer.Option(
        None, help="Item reported as the headline (default overall_strong_cx)."
    ),
    id_column: str | None = typer.Option(None, help="Respondent id column."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
) -> None:
    """Compare leaders' and customers' answers item by item.

    Prints the headline ("80% of leaders vs 24% of customers agree ..."), then
    each item's agree shares, the gap with its interval, the adjusted p-value
    and the blind spots and hidden strengths it finds.

    Example:

        cxgap analyze leaders.csv customers.csv

        cxgap analyze leaders.csv customers.csv --format json -o report.json

        cxgap analyze leaders.csv customers.csv --scale 1-7 --agree top3 --adjust bh
    """

    def body() -> None:
        from cxgap.analysis import analyze
        from cxgap.config import load_config
        from cxgap.io.output import write_output
        from cxgap.render import render

        cfg, _ = load_config(
            config,
            {
                "agree": agree,
                "scale": scale,
                "confidence": confidence,
                "adjust": adjust.value if adjust else None,
                "min_gap_pp": min_gap_pp,
                "headline_item": headline_item,
                "id_column": id_column,
            },
        )
        result = analyze(leaders, customers, cfg)
        to_terminal = output == "-" and fmt is OutputFormat.table
        text = render(
            result,
            fmt.value,
            color=to_terminal and use_color(),
            width=terminal_width() if to_terminal else 140,
        )
        write_output(output, text, inputs=[leaders, customers])

    run_guarded(body, debug=debug)
