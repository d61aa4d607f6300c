"""The catalogue of problems cxgap reports, and the exit codes the CLI maps them to.

Every problem cxgap reports on purpose is a :class:`CxgapError` subclass. Each
kind has a stable ``code`` (for machines, docs and ``--format json``), a
``title`` and a ``description`` (the README's table is tested against them), a
message ``template`` that the specific details fill in, a ``severity`` and an
``exit_code``. ``analyze`` raises the first error it meets; ``validate``
collects every problem as the same classes, so the two never disagree.

The message names the file and, where there is one, the row and column, then
says what was expected. The CLI prints ``str(error)`` as one line (or, with
``--format json``, :meth:`CxgapError.to_dict` as JSON) on stderr and exits with
``error.exit_code``; anything else that escapes is an internal error (exit 3).

The five broad classes (:class:`UsageError`, :class:`ConfigError`,
:class:`InputError`, :class:`ScaleError`, :class:`OutputError`) stay: each
specific kind derives from one of them, so ``except InputError`` still catches
a ragged row or an empty file.
"""

# The kinds enter the catalogue as they are defined, so the order of these imports (base,
# inputs, rake, warning_kinds: alphabetical too) is the order of the README's table.
from __future__ import annotations

from cxgap.errors.base import (
    CATALOGUE,
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_INTERNAL,
    EXIT_OK,
    ConfigError,
    CxgapError,
    InputError,
    InternalError,
    OutputError,
    ScaleError,
    Severity,
    UsageError,
    toml_key,
)
from cxgap.errors.inputs import (
    BlankHeader,
    CountsFileError,
    DuplicateId,
    EmptyFile,
    EngineUnavailable,
    EngineUnreachable,
    FileNotFound,
    HeaderOnly,
    InvalidWeight,
    NanText,
    NeedsRows,
    NoCommonItems,
    NoItems,
    RaggedRow,
    StrayQuote,
    TableNotFound,
    UnclosedQuote,
    UnknownColumn,
    UnknownGroupValue,
    UnknownHeadlineItem,
    UnknownItem,
    Unreadable,
)
from cxgap.errors.rake import (
    RakeCategoryMissing,
    RakeCategoryUntargeted,
    RakeCells,
    RakeMargins,
    RakeNotConverged,
    RakeNotSegment,
)
from cxgap.errors.warning_kinds import (
    AllMissing,
    BlankWave,
    NotAnItem,
    OnlyInOneFile,
    ReaderNote,
    StraightLiners,
)

__all__ = [
    "CATALOGUE",
    "EXIT_BAD_INPUT",
    "EXIT_CHECK_FAILED",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "AllMissing",
    "BlankHeader",
    "BlankWave",
    "ConfigError",
    "CountsFileError",
    "CxgapError",
    "DuplicateId",
    "EmptyFile",
    "EngineUnavailable",
    "EngineUnreachable",
    "FileNotFound",
    "HeaderOnly",
    "InputError",
    "InternalError",
    "InvalidWeight",
    "NanText",
    "NeedsRows",
    "NoCommonItems",
    "NoItems",
    "NotAnItem",
    "OnlyInOneFile",
    "OutputError",
    "RaggedRow",
    "RakeCategoryMissing",
    "RakeCategoryUntargeted",
    "RakeCells",
    "RakeMargins",
    "RakeNotConverged",
    "RakeNotSegment",
    "ReaderNote",
    "ScaleError",
    "Severity",
    "StraightLiners",
    "StrayQuote",
    "TableNotFound",
    "UnclosedQuote",
    "UnknownColumn",
    "UnknownGroupValue",
    "UnknownHeadlineItem",
    "UnknownItem",
    "Unreadable",
    "UsageError",
    "catalogue_markdown",
    "toml_key",
]


def catalogue_markdown() -> str:
    """The catalogue as the README's Markdown table (a test keeps the two equal)."""
    lines = [
        "| code | severity | exit | title | what it means |",
        "|---|---|---|---|---|",
    ]
    for code, kind in CATALOGUE.items():
        if kind is CxgapError:
            continue
        exit_code = str(kind.exit_code) if kind.severity == "error" else "-"
        lines.append(
            f"| `{code}` | {kind.severity} | {exit_code} | {kind.title} | {kind.description} |"
        )
    return "\n".join(lines) + "\n"
