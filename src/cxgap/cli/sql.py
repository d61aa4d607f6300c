"""``cxgap sql --dialect D --table T --sample FILE``: print the counts query for a warehouse."""

from __future__ import annotations

from pathlib import Path

from cxgap.cli import options as opt
from cxgap.cli.common import run_guarded


def sql_command(
    dialect: str = opt.DIALECT,
    table: list[str] | None = opt.TABLE,
    sample: list[str] | None = opt.SAMPLE,
    step: str = opt.STEP,
    output: str = opt.OUTPUT,
    config: Path | None = opt.CONFIG,
    wave_column: str | None = opt.WAVE_COLUMN,
    agree: str | None = opt.AGREE,
    headline_item: str | None = opt.HEADLINE_ITEM,
    debug: bool = opt.DEBUG,
    inputs: opt.Inputs = opt.DEFAULT_INPUTS,
) -> None:
    """Print the SQL that counts a table where it lives, for an analyst to run.

    The query is decided on --sample, a small export of the same columns (its
    header gives the columns, its answers the scales and the composite headline's
    votes, as `cxgap counts` decides them on the whole table), and names --table
    (TABLE, SCHEMA.TABLE or CATALOG.SCHEMA.TABLE; every name quoted for the
    dialect). --step counts (the default) prints the one aggregation query:
    its rows are the counts table (part 'counts') and what the counts file's
    metadata needs (parts 'weights', 'composite', 'crosstab'); --step distinct
    prints the query of each item's distinct answers, to check that the whole
    table holds no answer the sample lacks. Save the query's result (Parquet or
    CSV) and `cxgap counts --result RESULT --sample SAMPLE --table T` (with the
    same settings) writes the counts file; `cxgap counts --engine duckdb|postgres`
    runs the same queries itself.

    Example:

    \b
        cxgap sql --dialect bigquery --table project.survey.responses \\
            --sample responses_sample.csv --group-column role \\
            --leaders-value leader --customers-value customer
    """

    def body() -> None:
        from cxgap.engines.open import close, open_tables, split_tables
        from cxgap.engines.printed import printed_sql
        from cxgap.errors import UsageError
        from cxgap.io.output import write_output

        if step not in ("counts", "distinct"):
            raise UsageError(f"--step {step!r}: expected counts or distinct")
        if not sample:
            raise UsageError(
                "--sample FILE: a small export of the table's columns (the coding plan is "
                "decided from its answers)"
            )
        cfg = inputs.config(
            config, wave_column=wave_column, agree=agree, headline_item=headline_item
        )
        tables = split_tables(table or [])
        samples = None
        try:
            samples = open_tables("duckdb", sample, option="--sample")
            text = printed_sql(samples, tables, cfg, dialect, step)  # type: ignore[arg-type]
        finally:
            close(samples)
        write_output(output, text)

    run_guarded(body, debug=debug)


sql_command = opt.with_inputs(sql_command, without=("counts", "frontline", "group", "source"))
