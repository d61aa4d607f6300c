"""``cxgap init LEADERS CUSTOMERS [FRONTLINE]``: propose how existing exports' items pair,
and write the cxgap.toml that says so."""

from __future__ import annotations

from pathlib import Path

import typer

from cxgap.cli import options as opt
from cxgap.cli.common import run_guarded, terminal_width, use_color, working


def init_command(
    leaders: str = typer.Argument(..., help=f"Leaders' export ({opt.EXPORTS})."),
    customers: str = typer.Argument(..., help="Customers' export."),
    frontline: str | None = typer.Argument(
        None, help="Frontline staff's export, matched to the pairs (optional)."
    ),
    output: Path = typer.Option(
        Path("cxgap.toml"), "--output", "-o", help="The config file to write ('-' = stdout)."
    ),
    threshold: float = typer.Option(
        0.8,
        "--threshold",
        min=0.01,
        max=1.0,
        help="Pairs at this confidence (0-1) or more are written live; those below are "
        "written commented out, with the reason.",
    ),
    yes: bool = typer.Option(
        False, "--yes", "-y", help="Ask nothing (scripts): overwrite the config file if it exists."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the config file if it exists."),
    bank: Path | None = typer.Option(
        None, "--bank", metavar="BANK.toml", help="An item bank of your own (default: cxgap's)."
    ),
    source: str = typer.Option("auto", help=opt.SOURCES_HELP),
    debug: bool = opt.DEBUG,
) -> None:
    """Propose how the items of exports you already have pair across the files.

    Reads each export as analyze does, pairs the leaders' and the customers' items by
    column id, by the wording of their questions (a leader's "We ..." against a
    customer's "I ..."), through cxgap's item bank, and by scale; matches a frontline
    export's items to the pairs; shows each pair's confidence and how it was found,
    and the columns left out and why; then writes cxgap.toml for you to review. Pairs
    below --threshold are written commented out, with the reason.

    Example:

    \b
        cxgap init leaders.csv customers.csv
        cxgap init leaders.xlsx customers.csv frontline.csv -o survey.toml
        cxgap init leaders.csv customers.csv --yes --threshold 0.9
    """

    def body() -> None:
        from cxgap.errors import OutputError
        from cxgap.init import config_text, propose_pairs
        from cxgap.init.show import proposal_table, summary_line
        from cxgap.io.output import write_output

        files = {"leaders": leaders, "customers": customers}
        if frontline is not None:
            files["frontline"] = frontline
        to_stdout = str(output) == "-"
        inputs = [Path(f) for f in files.values()]
        if not to_stdout:  # asked before the (possibly slow) reading
            if any(p.resolve() == output.resolve() for p in inputs):
                raise OutputError("refusing to write the config over an input file", file=output)
            if output.exists() and not (yes or force) and not _overwrite(output):
                typer.echo(f"Left {output} as it was; nothing written.", err=True)
                return
        with working("Reading " + ", ".join(files.values())):
            proposal = propose_pairs(files, threshold=threshold, bank=bank, source=source)
        text = config_text(proposal)
        if to_stdout:  # the file is the output; the proposal goes to stderr
            typer.echo(proposal_table(proposal, width=terminal_width()), err=True, nl=False)
            write_output("-", text)
            return
        typer.echo(proposal_table(proposal, color=use_color(), width=terminal_width()), nl=False)
        write_output(output, text, inputs=inputs)
        typer.echo("\n" + summary_line(proposal, str(output)))

    run_guarded(body, debug=debug)


def _overwrite(path: Path) -> bool:
    """Ask whether to overwrite ``path``; no answer (a script's closed input) is an error
    that names --yes."""
    from cxgap.errors import UsageError

    try:
        return typer.confirm(f"{path} exists. Overwrite it?", default=False, err=True)
    except typer.Abort:
        raise UsageError(
            f"{path} exists and no one answered whether to overwrite it",
            hint="--yes or --force overwrites it; -o writes another file",
        ) from None
