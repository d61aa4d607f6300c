"""``cxgap template -o survey/``: a paired survey from the item bank."""

from __future__ import annotations

from pathlib import Path

import typer

from cxgap.cli.common import run_guarded


def template_command(
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="The folder to write the files into (made if needed).",
        show_default=False,
    ),
    themes: str | None = typer.Option(
        None,
        "--themes",
        metavar="THEME[,THEME]",
        help="The bank's themes to ask about (default: all): ambition, basics, listening, "
        "frontline, technology, channels, promise, ownership, support. The headline and "
        "NPS items are always asked.",
    ),
    company: str = typer.Option(
        "",
        "--company",
        help="The organisation's name, as customers know it (default: 'the organisation').",
    ),
    groups: str = typer.Option(
        "leaders,customers",
        "--groups",
        metavar="GROUP[,GROUP]",
        help="Who answers: leaders, frontline, customers.",
    ),
    kind: str = typer.Option(
        "self",
        "--kind",
        metavar="self|prediction",
        help="The leaders' wording: self ('We keep our promises') or prediction ('Our "
        "customers would say we keep our promises'); never mixed in one survey.",
    ),
    bank: Path | None = typer.Option(
        None, "--bank", metavar="BANK.toml", help="An item bank of your own (default: cxgap's)."
    ),
    debug: bool = typer.Option(False, "--debug", hidden=True),
) -> None:
    """Write a paired survey from cxgap's item bank.

    Each group's questionnaire as Markdown and printable HTML, a Qualtrics Advanced
    Format TXT file to import (each question's export tag is its item name), a CSV
    list of the questions for Google Forms or Microsoft Forms, and the cxgap.toml that
    reads the exports of any of them.

    Example:

    \b
        cxgap template --themes basics,ownership --company "Acme" \\
            --groups leaders,frontline,customers -o survey/
    """

    def body() -> None:
        from cxgap.bank import load_bank
        from cxgap.bank.template import GROUPS, template_files
        from cxgap.errors import UsageError
        from cxgap.io.output import write_output

        chosen = [g.strip() for g in groups.split(",") if g.strip()]
        unknown = [g for g in chosen if g not in GROUPS]
        if unknown or not chosen or len(set(chosen)) != len(chosen):
            raise UsageError(f"--groups takes leaders, frontline and customers, each once "
                             f"(got {groups!r})")  # fmt: skip
        if kind not in ("self", "prediction"):
            raise UsageError(f"--kind is self or prediction (got {kind!r})")
        picked = [t.strip() for t in themes.split(",") if t.strip()] if themes else None
        files = template_files(
            load_bank(bank), themes=picked, company=company,
            groups=[g for g in GROUPS if g in chosen], kind=kind,  # type: ignore[arg-type]
        )  # fmt: skip
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output} is a file: -o names a folder")
        output.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            write_output(output / name, text)
        typer.echo(f"Wrote {len(files)} files to {output}: " + ", ".join(files))

    run_guarded(body, debug=debug)
