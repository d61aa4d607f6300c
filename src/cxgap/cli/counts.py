"""``cxgap counts LEADERS CUSTOMERS -o counts.parquet``."""

from __future__ import annotations

from pathlib import Path

import typer

from cxgap.cli import options as opt
from cxgap.cli.common import run_guarded, working


@opt.with_export_inputs
def counts_command(
    leaders: str = opt.LEADERS,
    customers: str | None = opt.CUSTOMERS,
    output: Path = typer.Option(
        ..., "--output", "-o", help="The counts file to write (.parquet).", show_default=False
    ),
    config: Path | None = opt.CONFIG,
    wave_column: str | None = opt.WAVE_COLUMN,
    agree: str | None = opt.AGREE,
    headline_item: str | None = opt.HEADLINE_ITEM,
    debug: bool = opt.DEBUG,
    inputs: opt.Inputs = opt.DEFAULT_INPUTS,
) -> None:
    """Count the exports once into a counts table that every command can analyse.

    The table (group, item, wave, a column per segment key of segment_columns,
    value, n, weight sums; Parquet, with what the analysis needs besides in its
    metadata) stands in for the exports:
    `cxgap analyze counts.parquet` (and trend, check, chart, deck, report) gives
    the same result as the run on the exports. Columns' roles and the composite
    headline's agree rule are fixed when counting.

    Example:

    \b
        cxgap counts leaders.csv customers.csv -o counts.parquet
        cxgap analyze counts.parquet
    """

    def body() -> None:
        from cxgap.errors import UsageError
        from cxgap.io.output import write_output
        from cxgap.scan.prepare import count

        if output.suffix.lower() != ".parquet":
            raise UsageError(f"{output}: the counts file is written as .parquet")
        from cxgap.counts import is_counts_file

        if is_counts_file(leaders):
            raise UsageError(f"{leaders} is already a counts file: `cxgap counts` reads exports")
        cfg = inputs.config(
            config, wave_column=wave_column, agree=agree, headline_item=headline_item
        )
        second = customers if customers is not None else leaders
        with working(f"Counting {leaders} and {second}"):
            data = count(
                *inputs.pair(leaders, customers, cfg), cfg,
                groups=inputs.others(cfg), source=inputs.source,
            )  # fmt: skip
        write_output(output, data, inputs=inputs.paths(cfg, leaders, second))

    run_guarded(body, debug=debug)
