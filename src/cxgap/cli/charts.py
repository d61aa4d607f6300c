"""``cxgap chart``, ``cxgap deck`` and ``cxgap report``: outputs for consultants."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cxgap.cli import options as opt
from cxgap.cli.common import run_guarded

if TYPE_CHECKING:
    from collections.abc import Callable

    from cxgap.config import Config, Theme
    from cxgap.model import AnalysisResult, TrendResult

SIZE = typer.Option(
    "slide", "--size", help="slide (13.333x7.5 in), half, square, or WIDTHxHEIGHT in inches."
)


def _write_whole(
    inputs: opt.Inputs,
    leaders: str,
    customers: str | None,
    cfg: Config,
    output: Path,
    suffix: str,
    build: Callable[[AnalysisResult, TrendResult | None, Theme], str | bytes],
) -> None:
    """Analyse (latest wave and trend when there are waves), build one file, write it."""
    from cxgap.errors import UsageError
    from cxgap.io.output import write_output

    if output.suffix.lower() != suffix:
        raise UsageError(f"{output}: this output is written as {suffix}")
    from cxgap.analysis.run import analysis_and_trend

    result, trend = analysis_and_trend(
        *inputs.pair(leaders, customers, cfg),
        cfg,
        groups=inputs.others(cfg),
        source=inputs.source,
    )
    write_output(
        output, build(result, trend, cfg.theme), inputs=inputs.paths(cfg, leaders, customers)
    )


KIND_HELP = (
    "headline, dumbbell, diverging, ranking, quadrant, slope (the layers), heatmap (the gap "
    "per segment: with --by), nps, johari (leaders' against customers' agreement per item), "
    "johari-waves (the same, wave by wave) or trend."
)


@opt.with_inputs
def chart_command(
    kind: str = typer.Argument(
        ...,
        help=KIND_HELP,
        show_default=False,
    ),
    leaders: str = opt.LEADERS,
    customers: str | None = opt.CUSTOMERS,
    output: Path = typer.Option(
        ..., "--output", "-o", help="The chart file: .png, .svg or .pdf.", show_default=False
    ),
    size: str = SIZE,
    item: str | None = typer.Option(None, help="trend: chart this item instead of the headline."),
    config: Path | None = opt.CONFIG,
    agree: str | None = opt.AGREE,
    confidence: float | None = opt.CONFIDENCE,
    headline_item: str | None = opt.HEADLINE_ITEM,
    debug: bool = opt.DEBUG,
    inputs: opt.Inputs = opt.DEFAULT_INPUTS,
) -> None:
    """Draw one chart, ready for a slide (PNG at 200 dpi, SVG, or PDF with embedded fonts).

    Example:

    \b
        cxgap chart dumbbell leaders.csv customers.csv -o gaps.png
        cxgap chart trend leaders.csv 'customers_*.csv' -o trend.pdf --size half
    """

    def body() -> None:
        from cxgap.charts import KINDS, parse_size
        from cxgap.charts.base import save
        from cxgap.charts.render import draw_chart
        from cxgap.errors import UsageError
        from cxgap.io.output import write_output

        if kind not in KINDS:
            raise UsageError(f"unknown chart kind {kind!r}; expected one of {', '.join(KINDS)}")
        fmt = output.suffix.lstrip(".").lower()
        if fmt not in ("png", "svg", "pdf"):
            raise UsageError(
                f"{output}: the chart format comes from the suffix: .png, .svg or .pdf"
            )
        cfg = inputs.config(config, agree=agree, confidence=confidence, headline_item=headline_item)
        dims = parse_size(size)
        pair = inputs.pair(leaders, customers, cfg)
        others = inputs.others(cfg)
        source: AnalysisResult | TrendResult
        if kind == "trend":
            from cxgap.analysis.trend import trend
            from cxgap.charts.trend import draw as draw_trend

            figure = draw_trend(
                trend(*pair, cfg, groups=others, source=inputs.source), cfg.theme, dims, item
            )
        elif KINDS[kind][1] == "trend":  # another chart of the waves
            from cxgap.analysis.trend import trend

            by_wave = trend(*pair, cfg, groups=others, source=inputs.source)
            figure = draw_chart(kind, by_wave, cfg.theme, dims)
        else:
            from cxgap.analysis.run import analysis_and_trend

            source, _ = analysis_and_trend(
                *pair, cfg, groups=others, importance=kind == "quadrant", source=inputs.source
            )
            figure = draw_chart(kind, source, cfg.theme, dims)
        write_output(
            output, save(figure, output, fmt), inputs=inputs.paths(cfg, leaders, customers)
        )

    run_guarded(body, debug=debug)


@opt.with_inputs
def deck_command(
    leaders: str = opt.LEADERS,
    customers: str | None = opt.CUSTOMERS,
    output: Path = typer.Option(
        ..., "--output", "-o", help="The deck file (.pptx).", show_default=False
    ),
    config: Path | None = opt.CONFIG,
    agree: str | None = opt.AGREE,
    confidence: float | None = opt.CONFIDENCE,
    headline_item: str | None = opt.HEADLINE_ITEM,
    pictures: bool = opt.PICTURES,
    debug: bool = opt.DEBUG,
    inputs: opt.Inputs = opt.DEFAULT_INPUTS,
) -> None:
    """Build a 16:9 PowerPoint deck: title, headline, one slide per chart, the items table.

    Charts PowerPoint can draw are native charts with their data embedded (right-click,
    Edit Data); the Johari and quadrant views stay pictures. Titles are editable text
    boxes; the speaker notes carry the numbers behind each chart. With two or more waves
    the deck adds the trend.

    Example:

    \b
        cxgap deck leaders.csv customers.csv -o gap.pptx
        cxgap deck leaders.csv customers.csv --pictures -o gap.pptx
    """

    def body() -> None:
        from functools import partial

        from cxgap.charts.deck import build_deck

        cfg = inputs.config(config, agree=agree, confidence=confidence, headline_item=headline_item)
        build = partial(build_deck, pictures=pictures)
        _write_whole(inputs, leaders, customers, cfg, output, ".pptx", build)

    run_guarded(body, debug=debug)


@opt.with_inputs
def report_command(
    leaders: str = opt.LEADERS,
    customers: str | None = opt.CUSTOMERS,
    output: Path = typer.Option(
        ..., "--output", "-o", help="The report file (.html).", show_default=False
    ),
    config: Path | None = opt.CONFIG,
    agree: str | None = opt.AGREE,
    confidence: float | None = opt.CONFIDENCE,
    headline_item: str | None = opt.HEADLINE_ITEM,
    debug: bool = opt.DEBUG,
    inputs: opt.Inputs = opt.DEFAULT_INPUTS,
) -> None:
    """Write one self-contained, interactive HTML report to e-mail (works offline).

    Hover or Tab to a dot for its numbers; switch the view between all respondents,
    waves and segments; sort and filter the item table; a methods section states the
    rules and formulas used. Prints on A4 and Letter.

    Example:

    \b
        cxgap report leaders.csv customers.csv -o report.html
    """

    def body() -> None:
        from cxgap.charts.report import build_report

        cfg = inputs.config(config, agree=agree, confidence=confidence, headline_item=headline_item)
        _write_whole(inputs, leaders, customers, cfg, output, ".html", build_report)

    run_guarded(body, debug=debug)
