"""The error catalogue and the exit codes the CLI maps it to.

Every error cxgap raises on purpose is a :class:`CxgapError`. Each kind has a
stable ``code`` (for machines and docs) and an ``exit_code``; the message names
the file and, where there is one, the row and column, then says what was
expected. The CLI prints ``str(error)`` as one line and exits with
``error.exit_code``; anything else that escapes is an internal error (exit 3).
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class CxgapError(Exception):
    """Base of every error cxgap raises deliberately."""

    code = "error"
    exit_code = EXIT_BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.hint = hint
        super().__init__(self.__str__())

    def location(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class UsageError(CxgapError):
    """Arguments or options that cannot work together."""

    code = "usage"


class ConfigError(CxgapError):
    """A config file or a config value that is not valid."""

    code = "config"


class InputError(CxgapError):
    """An input file that cannot be read or does not fit the expected shape."""

    code = "input"


class ScaleError(InputError):
    """A cell value that is not on the item's scale and not a known non-answer."""

    code = "scale"


class OutputError(CxgapError):
    """An output that cannot be written where it was asked for."""

    code = "output"
