"""``cxgap trend LEADERS CUSTOMERS``."""

from __future__ import annotations

from pathlib import Path

from cxgap.cli import options as opt
from cxgap.cli.common import binary_needs_file, rendered, run_guarded, working
from cxgap.cli.engine_input import with_engine
from cxgap.cli.options import OutputFormat


@opt.with_inputs
@with_engine
def trend_command(
    leaders: str = opt.LEADERS,
    customers: str | None = opt.CUSTOMERS,
    fmt: OutputFormat = opt.FORMAT,
    output: str = opt.OUTPUT,
    config: Path | None = opt.CONFIG,
    wave_column: str | None = opt.WAVE_COLUMN,
    agree: str | None = opt.AGREE,
    confidence: float | None = opt.CONFIDENCE,
    adjust: opt.Adjust | None = opt.ADJUST,
    headline_item: str | None = opt.HEADLINE_ITEM,
    debug: bool = opt.DEBUG,
    inputs: opt.Inputs = opt.DEFAULT_INPUTS,
) -> None:
    """Each wave's shares and gap, and the change from wave to wave.

    Waves come from a wave column, or from one file per wave (quote the glob so
    cxgap, not the shell, expands it). Quarters (2026Q3), months (2026-07) and
    ISO dates order themselves; other labels need wave_order in the config.
    A group without waves (leaders surveyed once) counts in every wave.

    Example:

    \b
        cxgap trend leaders.csv customers.csv
        cxgap trend 'leaders*.csv' 'customers*.csv' --format csv -o trend.csv
        cxgap trend 'leaders*.csv' 'customers*.csv' --format xlsx -o trend.xlsx
        cxgap trend --engine postgres --connection "$PGURL" --table responses \\
            --group-column role --leaders-value leader --customers-value customer
    """

    def body() -> None:
        from cxgap.analysis.trend import trend
        from cxgap.io.output import write_output

        binary_needs_file(fmt.value, output)

        cfg = inputs.config(
            config,
            wave_column=wave_column,
            agree=agree,
            confidence=confidence,
            adjust=adjust,
            headline_item=headline_item,
        )
        with working(f"Reading {leaders}" + (f" and {customers}" if customers else "")):
            result = trend(
                *inputs.pair(leaders, customers, cfg),
                cfg,
                groups=inputs.others(cfg),
                source=inputs.source,
            )
        text = rendered(result, fmt.value, output, table=fmt is OutputFormat.table)
        write_output(output, text, inputs=inputs.paths(cfg, leaders, customers))

    run_guarded(body, debug=debug, json_errors=fmt is OutputFormat.json)
