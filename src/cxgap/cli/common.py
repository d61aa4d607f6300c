"""What every command shares: error handling at the edge, and exit codes."""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import typer

from cxgap.errors import EXIT_INTERNAL, CxgapError, InternalError

if TYPE_CHECKING:
    from pydantic import BaseModel

T = TypeVar("T")

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 a check or gate failed; 2 bad input, config or usage; "
    "3 internal error (please report it)."
)


def run_guarded(action: Callable[[], T], *, debug: bool, json_errors: bool = False) -> T:
    """Run a command body; cxgap errors become one line on stderr and their exit code.

    With ``json_errors`` (the command's ``--format json``) the line is a JSON object:
    code, title, message, file, row, column, hint and exit_code.
    """
    try:
        return action()
    except CxgapError as exc:
        if debug:
            traceback.print_exc()
        if json_errors:
            typer.echo(json.dumps(exc.to_dict(), ensure_ascii=False), err=True)
        else:
            typer.echo(f"cxgap: error: {exc} [{exc.code}]", err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("cxgap: interrupted", err=True)
        raise typer.Exit(130) from None
    except Exception as exc:
        if debug:
            traceback.print_exc()
        if json_errors:
            hint = "a bug in cxgap; please report it (add --debug for a traceback)"
            bug = InternalError(kind=type(exc).__name__, detail=exc, hint=hint)
            typer.echo(json.dumps(bug.to_dict(), ensure_ascii=False), err=True)
            raise typer.Exit(EXIT_INTERNAL) from None
        typer.echo(
            f"cxgap: internal error: {type(exc).__name__}: {exc}. This is a bug in cxgap; "
            "please report it with the command you ran (add --debug for a traceback).",
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


def use_color(stream_is_tty: bool | None = None) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() if stream_is_tty is None else stream_is_tty


def terminal_width(minimum: int = 60) -> int:
    """The terminal's columns (at least ``minimum``) when stdout is one, else 140."""
    import shutil

    # Tables fit themselves to the terminal (labels shortened, columns dropped).
    if not sys.stdout.isatty():
        return 140
    return max(minimum, shutil.get_terminal_size((140, 24)).columns)


@contextmanager
def working(message: str) -> Iterator[None]:
    """A spinner with elapsed time on stderr while a long read runs (terminals only)."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield
        return
    from rich.console import Console
    from rich.text import Text

    # File names are data: 'survey[/r].csv' is not rich markup.
    with Console(stderr=True).status(Text(message), spinner="dots"):
        yield


def binary_needs_file(fmt: str, output: str) -> None:
    """A binary format (xlsx) is written to a file, never to stdout (a terminal): a usage
    error before any input is read."""
    from cxgap.errors import UsageError
    from cxgap.render import BINARY_FORMATS

    if fmt in BINARY_FORMATS and output == "-":
        raise UsageError(
            f"--format {fmt} writes a binary workbook, not text for the terminal",
            hint=f"name the file: -o report.{fmt}",
        )


def rendered(result: BaseModel, fmt: str, output: str, *, table: bool) -> str | bytes:
    """The result in ``fmt``; a table bound for the terminal (``output`` "-") is coloured
    there and fits its width, any other output is plain and 140 columns wide; a binary
    format (xlsx) is bytes, for a file (:func:`binary_needs_file`)."""
    from cxgap.render import BINARY_FORMATS, render, render_bytes

    if fmt in BINARY_FORMATS:
        binary_needs_file(fmt, output)
        return render_bytes(result, fmt)
    to_terminal = output == "-" and table
    return render(
        result,
        fmt,
        color=to_terminal and use_color(),
        width=terminal_width() if to_terminal else 140,
    )
