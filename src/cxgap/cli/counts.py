"""``cxgap counts LEADERS CUSTOMERS -o counts.parquet``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cxgap.cli import options as opt
from cxgap.cli.common import run_guarded, working


@opt.with_export_inputs
def counts_command(
    leaders: str | None = opt.EXPORT_OR_NONE,
    customers: str | None = opt.CUSTOMERS,
    output: Path = typer.Option(
        ..., "--output", "-o", help="The counts file to write (.parquet).", show_default=False
    ),
    config: Path | None = opt.CONFIG,
    wave_column: str | None = opt.WAVE_COLUMN,
    agree: str | None = opt.AGREE,
    headline_item: str | None = opt.HEADLINE_ITEM,
    engine: str = opt.ENGINE,
    connection: str | None = opt.CONNECTION,
    table: list[str] | None = opt.TABLE,
    result: list[str] | None = opt.RESULT,
    sample: list[str] | None = opt.SAMPLE,
    spark_master: str = opt.SPARK_MASTER,
    spark_conf: list[str] | None = opt.SPARK_CONF,
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

    With --engine duckdb (or postgres, spark) the table is counted where it lives
    (--table, --connection) by one aggregation query, with the decisions the exports
    would get; the counts file is the same. With --result (the saved result of the
    query `cxgap sql` printed) and the same --sample and --table, the counts file
    is written from that result.

    Example:

    \b
        cxgap counts leaders.csv customers.csv -o counts.parquet
        cxgap analyze counts.parquet
        cxgap counts --engine duckdb --connection survey.duckdb --table responses \\
            --group-column role --leaders-value leader --customers-value customer \\
            -o counts.parquet
    """

    def body() -> None:
        from cxgap.errors import UsageError
        from cxgap.io.output import write_output
        from cxgap.scan.count_out import count

        if output.suffix.lower() != ".parquet":
            raise UsageError(f"{output}: the counts file is written as .parquet")
        if result or sample:
            if leaders is not None or customers is not None:
                raise UsageError("--result counts a query's result: give no export files with it")
            _count_result(result or [], sample or [], table or [], output, inputs,
                          inputs.config(config, wave_column=wave_column, agree=agree,
                                        headline_item=headline_item))  # fmt: skip
            return
        if engine != "local" or table or connection:
            from cxgap.cli.engine_input import EngineChoice

            spark = EngineChoice(engine, connection, table, spark_master, spark_conf)
            _count_in_engine(leaders, customers, output, engine, connection, table, inputs,
                             inputs.config(config, wave_column=wave_column, agree=agree,
                                           headline_item=headline_item),
                             spark.options())  # fmt: skip
            return
        if leaders is None:
            raise UsageError("give the leaders' export (or --engine and --table)")
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


def _count_in_engine(
    leaders: str | None, customers: str | None, output: Path, engine: str,
    connection: str | None, table: list[str] | None, inputs: opt.Inputs, cfg: object,
    options: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """``cxgap counts --engine NAME --table T``: the counts computed by the engine."""
    from cxgap.config import Config
    from cxgap.engines.counts import count_engine
    from cxgap.engines.open import close, open_tables
    from cxgap.errors import UsageError
    from cxgap.io.output import write_output

    assert isinstance(cfg, Config)
    if engine == "local":
        raise UsageError("--table and --connection go with --engine (duckdb, postgres, spark)")
    if leaders is not None or customers is not None or inputs.given_groups():
        raise UsageError(f"--engine {engine} counts --table: give no export files with it")
    if inputs.source != "auto":
        raise UsageError("--source reads exports; --engine counts a table")
    opened = None
    try:
        with working(f"Counting with {engine}"):
            opened = open_tables(engine, table or [], connection=connection, **(options or {}))
            data = count_engine(opened, cfg)
    finally:
        close(opened)
    given = [*(table or []), *([connection] if connection else [])]
    paths = [Path(t.partition("=")[2] or t) for t in given] + [Path(t) for t in given]
    write_output(output, data, inputs=[p for p in paths if p.is_file()])


def _count_result(
    result: list[str], sample: list[str], table: list[str], output: Path, inputs: opt.Inputs,
    cfg: object,
) -> None:  # fmt: skip
    """``cxgap counts --result R --sample S --table T``: the printed query's saved result."""
    from cxgap.config import Config
    from cxgap.engines.open import close, open_tables, split_tables
    from cxgap.engines.result import count_result
    from cxgap.errors import UsageError
    from cxgap.io.output import write_output

    assert isinstance(cfg, Config)
    if not result or not sample:
        raise UsageError(
            "--result and --sample go together: the query's saved result, and the sample "
            "`cxgap sql` decided it on"
        )
    names = split_tables(table or ["table"])
    samples = None
    try:
        samples = open_tables("duckdb", sample, option="--sample")
        data = count_result(samples, result, cfg, names)
    finally:
        close(samples)
    write_output(output, data, inputs=[Path(p) for p in result])
