"""``cxgap analyze LEADERS CUSTOMERS``."""

from __future__ import annotations

from pathlib import Path

import typer

from cxgap.cli import options as opt
from cxgap.cli.common import binary_needs_file, rendered, run_guarded, working
from cxgap.cli.engine_input import with_engine
from cxgap.cli.options import OutputFormat


@opt.with_inputs
@with_engine
def analyze_command(
    leaders: str = opt.LEADERS,
    customers: str | None = opt.CUSTOMERS,
    fmt: OutputFormat = opt.FORMAT,
    output: str = opt.OUTPUT,
    config: Path | None = opt.CONFIG,
    agree: str | None = opt.AGREE,
    confidence: float | None = opt.CONFIDENCE,
    adjust: opt.Adjust | None = opt.ADJUST,
    min_gap_pp: float | None = typer.Option(
        None, "--min-gap-pp", help="Smallest gap in percentage points flagged (default 5)."
    ),
    headline_item: str | None = opt.HEADLINE_ITEM,
    wave: str | None = typer.Option(
        None,
        help="Analyse one wave ('latest' for the last); default: all rows, pooled, "
        "with a warning when there are several waves.",
    ),
    importance: bool = typer.Option(
        False,
        "--importance",
        help="Also derive each item's importance (its correlation with the headline item, "
        "in customers' and leaders' answers) for the priorities section; --charts does too.",
    ),
    charts: Path | None = typer.Option(
        None, help="Also write every chart kind into this folder (PNG, SVG and PDF)."
    ),
    chart_format: str = typer.Option(
        "png,svg,pdf", help="With --charts: the formats, comma-separated."
    ),
    size: str = typer.Option(
        "slide", help="With --charts: slide, half, square, or WIDTHxHEIGHT in inches."
    ),
    debug: bool = opt.DEBUG,
    inputs: opt.Inputs = opt.DEFAULT_INPUTS,
) -> None:
    """Compare leaders' and customers' answers item by item (and any other group's).

    Prints the headline ("80% of leaders vs 24% of customers agree ..."), then
    each item's agree shares, the gap with its interval, the adjusted p-value
    and the blind spots and hidden strengths it finds. With --frontline (or
    --group NAME=FILE), every group's share, each comparison's gap, and where
    the message is lost and where the experience breaks.

    Example:

    \b
        cxgap analyze leaders.csv customers.csv
        cxgap analyze leaders.csv customers.csv --frontline frontline.csv
        cxgap analyze leaders.csv customers.csv --format json -o report.json
        cxgap analyze leaders.csv customers.csv --format xlsx -o report.xlsx
        cxgap analyze leaders.csv customers.csv --scale 1-7 --agree top3
        cxgap analyze leaders.csv customers.csv --charts charts/ --size half
        cxgap analyze leaders.csv customers.csv --importance
        cxgap analyze survey.csv --group-column role \\
            --leaders-value Manager --customers-value Customer
        cxgap analyze counts.parquet
        cxgap analyze --engine spark --table lake.survey.responses \\
            --group-column role --leaders-value leader --customers-value customer
    """

    def body() -> None:
        from cxgap.analysis.run import analysis_for
        from cxgap.errors import UsageError
        from cxgap.io.output import write_output

        binary_needs_file(fmt.value, output)

        cfg = inputs.config(
            config,
            agree=agree,
            confidence=confidence,
            adjust=adjust,
            min_gap_pp=min_gap_pp,
            headline_item=headline_item,
        )
        formats = [f.strip().lower() for f in chart_format.split(",") if f.strip()]
        bad = [f for f in formats if f not in ("png", "svg", "pdf")]
        if bad:
            raise UsageError(f"--chart-format: {', '.join(bad)}; expected png, svg or pdf")
        second = customers if customers is not None else leaders
        with working(f"Reading {leaders} and {second}"):
            result, by_wave = analysis_for(
                *inputs.pair(leaders, customers, cfg), cfg, groups=inputs.others(cfg),
                source=inputs.source,
                wave=wave, charts=charts is not None, importance=importance,
            )  # fmt: skip
        if charts is not None:
            from cxgap.charts import parse_size
            from cxgap.charts.render import write_charts

            write_charts(charts, result, by_wave, cfg.theme, parse_size(size), formats,
                         inputs=inputs.paths(cfg, leaders, second))  # fmt: skip
        text = rendered(result, fmt.value, output, table=fmt is OutputFormat.table)
        write_output(output, text, inputs=inputs.paths(cfg, leaders, second))

    run_guarded(body, debug=debug, json_errors=fmt is OutputFormat.json)
