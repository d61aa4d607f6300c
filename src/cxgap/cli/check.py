"""``cxgap check LEADERS CUSTOMERS``: the CI gate."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

import typer

from cxgap.cli import options as opt
from cxgap.cli.common import binary_needs_file, rendered, run_guarded, working
from cxgap.cli.engine_input import with_engine


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


class Scope(StrEnum):
    headline = "headline"
    all = "all"


@opt.with_inputs
@with_engine
def check_command(
    leaders: str = opt.LEADERS,
    customers: str | None = opt.CUSTOMERS,
    baseline: Path | None = typer.Option(
        None, help="A previous report (cxgap analyze/check --format json) to compare with."
    ),
    baseline_wave: str | None = typer.Option(
        None, help="Compare with this wave of the data (default: the wave before --wave)."
    ),
    wave: str | None = typer.Option(None, help="The wave to check (default: the latest)."),
    max_gap_pp: float | None = typer.Option(None, help="Fail when the gap exceeds this (pp)."),
    max_drop_pp: float | None = typer.Option(
        None, help="Fail when customers' agree share drops by more than this (pp)."
    ),
    max_gap_widening_pp: float | None = typer.Option(
        None, help="Fail when the gap widens by more than this (pp)."
    ),
    min_n: int | None = typer.Option(
        None, help="Fewer valid answers than this in a group make a rule inconclusive (30)."
    ),
    require_significance: bool | None = typer.Option(
        None,
        "--require-significance/--no-require-significance",
        help="Fail only on significant breaches (default); others are warnings.",
        show_default=False,
    ),
    scope: Scope | None = typer.Option(None, help="headline (default) or all items."),
    item: list[str] | None = typer.Option(
        None, "--item", help="Check these items (repeatable); overrides --scope."
    ),
    junit: Path | None = typer.Option(None, help="Also write a JUnit XML report here."),
    fmt: CheckFormat = typer.Option(
        CheckFormat.table,
        "--format",
        "-f",
        help="Output format (JUnit XML is written beside it: --junit PATH). xlsx: a "
        "workbook with the verdicts, the rules, the current analysis's tables and a Notes "
        "sheet (needs -o FILE).",
    ),
    output: str = opt.OUTPUT,
    config: Path | None = opt.CONFIG,
    wave_column: str | None = opt.WAVE_COLUMN,
    agree: str | None = opt.AGREE,
    confidence: float | None = opt.CONFIDENCE,
    headline_item: str | None = opt.HEADLINE_ITEM,
    debug: bool = opt.DEBUG,
    inputs: opt.Inputs = opt.DEFAULT_INPUTS,
) -> None:
    """Evaluate the gate's rules; exit 1 when a rule is breached.

    Rules come from [check] in cxgap.toml ([tool.cxgap.check] in pyproject.toml)
    or the flags. With require_significance (the default) a breach fails only
    when it is significant after Holm adjustment; one within noise is a warning.
    Under GITHUB_ACTIONS it prints ::error/::warning annotations and appends a
    Markdown summary to $GITHUB_STEP_SUMMARY.

    Exit codes: 0 every rule passes (or is a warning/inconclusive); 1 a rule is
    breached; 2 bad input or config; 3 internal error.

    Example:

    \b
        cxgap check 'leaders*.csv' 'customers*.csv' --max-drop-pp 3 \\
            --junit cxgap.xml
        cxgap check leaders.csv customers.csv --baseline last-quarter.json
    """

    def body() -> int:
        from cxgap.analysis.gate import check
        from cxgap.config import config_with
        from cxgap.io.output import write_output
        from cxgap.render import render
        from cxgap.render.check import render_github_annotations

        binary_needs_file(fmt.value, output)

        cfg = inputs.config(
            config,
            wave_column=wave_column,
            agree=agree,
            confidence=confidence,
            headline_item=headline_item,
        )
        rules = {
            "max_gap_pp": max_gap_pp,
            "max_drop_pp": max_drop_pp,
            "max_gap_widening_pp": max_gap_widening_pp,
            "min_n": min_n,
            "require_significance": require_significance,
            "scope": list(item) if item else (scope.value if scope else None),
        }
        merged = cfg.check.model_dump() | {k: v for k, v in rules.items() if v is not None}
        cfg = config_with(cfg, {"check": merged})
        with working(f"Reading {leaders}" + (f" and {customers}" if customers else "")):
            result = check(
                *inputs.pair(leaders, customers, cfg),
                cfg,
                baseline=baseline,
                baseline_wave=baseline_wave,
                wave=wave,
                groups=inputs.others(cfg),
                source=inputs.source,
            )
        paths = inputs.paths(cfg, leaders, customers)
        if baseline is not None:
            paths.append(baseline)
        if junit is not None:
            write_output(junit, render(result, "junit"), inputs=paths)
        text = rendered(result, fmt.value, output, table=fmt is CheckFormat.table)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            target = _annotation_file(customers or leaders, result.current_wave)
            typer.echo(render_github_annotations(result, file=target), nl=False)
            summary = os.environ.get("GITHUB_STEP_SUMMARY")
            if summary:
                _append_summary(Path(summary), render(result, "markdown"))
        write_output(output, text, inputs=paths)
        return 1 if result.status == "fail" else 0

    code = run_guarded(body, debug=debug, json_errors=fmt is CheckFormat.json)
    if code:
        raise typer.Exit(code)


def _annotation_file(customers: str, wave: str | None) -> str | None:
    """The file an annotation points at: the customers' file, or with one file per wave
    the current wave's file; None when that is not known."""
    import glob

    from cxgap.waves import wave_from_name

    matches = sorted(glob.glob(customers))
    if len(matches) <= 1:
        return customers
    named = [m for m in matches if wave is not None and wave_from_name(Path(m).stem) == wave]
    return named[0] if len(named) == 1 else None


#: GitHub rejects a step summary over 1 MiB (and the upload fails silently).
SUMMARY_LIMIT = 1024 * 1024


def _append_summary(path: Path, markdown: str) -> None:
    data = markdown.encode("utf-8")
    used = path.stat().st_size if path.is_file() else 0
    if used + len(data) > SUMMARY_LIMIT:
        data = b"cxgap check: summary omitted (the step summary is near GitHub's 1 MiB limit)\n"
    try:
        with path.open("ab") as fh:
            fh.write(data)
    except OSError as exc:
        from cxgap.errors import OutputError

        raise OutputError(f"cannot append the step summary: {exc.strerror}", file=path) from None
