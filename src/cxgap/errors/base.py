"""The base of the catalogue: the exit codes, :class:`CxgapError` and the five broad
kinds every specific problem derives from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar, Literal

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

Severity = Literal["error", "warning"]

#: code -> class, every kind of problem cxgap knows; filled as the classes are defined.
CATALOGUE: dict[str, type[CxgapError]] = {}


class CxgapError(Exception):
    """Base of every problem cxgap reports deliberately."""

    code: ClassVar[str] = "error"
    title: ClassVar[str] = "Error"
    description: ClassVar[str] = "A problem cxgap reports deliberately."
    #: Filled with the keyword arguments when no message is given.
    template: ClassVar[str] = "{message}"
    severity: ClassVar[Severity] = "error"
    exit_code: ClassVar[int] = EXIT_BAD_INPUT
    #: What ``row`` counts: a row of the table, or a physical line of the file.
    row_word: ClassVar[str] = "row"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            raise TypeError(f"{cls.__name__} must define its own code")
        if cls.code in CATALOGUE:
            raise TypeError(f"code {cls.code!r} is used twice")
        CATALOGUE[cls.code] = cls

    def __init__(
        self,
        message: str | None = None,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
        **details: object,
    ) -> None:
        if message is None:
            message = self.template.format(file=file, row=row, column=column, **details)
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
            parts.append(f"{self.row_word} {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_dict(self) -> dict[str, object]:
        """The error as the JSON object ``--format json`` prints on stderr."""
        return {
            "code": self.code,
            "title": self.title,
            "message": self.message,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "hint": self.hint,
            "exit_code": self.exit_code,
        }


CATALOGUE[CxgapError.code] = CxgapError


# -- the five broad kinds ---------------------------------------------------------------


class UsageError(CxgapError):
    """Arguments or options that cannot work together."""

    code = "usage"
    title = "Usage"
    description = "Command-line arguments or options that cannot work together."


class ConfigError(CxgapError):
    """A config file or a config value that is not valid."""

    code = "config"
    title = "Config"
    description = "A config file or a config value that is not valid."


class InputError(CxgapError):
    """An input file that cannot be read or does not fit the expected shape."""

    code = "input"
    title = "Input"
    description = "An input file that cannot be read or does not fit the expected shape."


class ScaleError(InputError):
    """A cell value that is not on the item's scale and not a known non-answer."""

    code = "off-scale"
    title = "Off-scale answer"
    description = (
        "An answer that is neither on the item's scale nor a known non-answer; "
        "the message lists each such answer with its count and the first row."
    )


class OutputError(CxgapError):
    """An output that cannot be written where it was asked for."""

    code = "output"
    title = "Output"
    description = "An output that cannot be written where it was asked for."


class InternalError(CxgapError):
    """Not raised: how the CLI reports an unexpected exception (a bug) in JSON."""

    code = "internal"
    title = "Internal error"
    description = "A bug in cxgap: an exception it did not expect. Please report it."
    template = "{kind}: {detail}"
    exit_code = EXIT_INTERNAL


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(name: str) -> str:
    """``name`` as a TOML key: bare when it may be, else a quoted (basic) string."""
    if _BARE_KEY.fullmatch(name):
        return name
    escaped = "".join(
        {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch, ch)
        if (ch >= " " and ch != "\x7f") or ch in "\n\t\r"
        else f"\\u{ord(ch):04x}"
        for ch in name
    )
    return f'"{escaped}"'
