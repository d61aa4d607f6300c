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


# -- config ----------------------------------------------------------------------------


class UnknownColumn(ConfigError):
    code = "unknown-column"
    title = "Unknown column"
    description = "The config or a flag names a column (id, group) that the file does not have."
    template = "{setting} {name!r} is not a column of this file"


# -- input: the file as a whole ---------------------------------------------------------


class FileNotFound(InputError):
    code = "file-not-found"
    title = "File not found"
    description = "An input path, or a glob pattern, that names no file."
    template = "file not found"


class Unreadable(InputError):
    code = "unreadable"
    title = "Unreadable file"
    description = (
        "A file that cannot be opened or parsed: not valid text in its encoding, "
        "not valid CSV, a broken workbook, a reader that is not installed."
    )
    template = "cannot read: {reason}"


class EmptyFile(InputError):
    code = "empty-file"
    title = "Empty file"
    description = "A file with no header row and no responses."
    template = "the file is empty; expected a header row and responses"


class BlankHeader(InputError):
    code = "blank-header"
    title = "Blank header"
    description = "The first row is blank where column names were expected."
    template = "the first row is blank; expected column names"


class DuplicateColumn(InputError):
    code = "duplicate-column"
    title = "Duplicate column"
    description = "Two columns of a plain export share one name."
    template = (
        "column {name!r} appears twice (columns {first} and {second}); expected unique column names"
    )


class HeaderOnly(InputError):
    code = "header-only"
    title = "No responses"
    description = "A file (or a group's share of it) with a header but no responses."
    template = "the file has a header but no responses"


class RaggedRow(InputError):
    code = "ragged-row"
    title = "Ragged row"
    description = (
        "A line with fewer or more fields than the header (padding or cutting it would "
        "lose or invent answers). A delimiter at the end of every line, header included, "
        "is not ragged."
    )
    template = "{found} field(s) where the header has {expected}"
    row_word = "line"


class NoItems(InputError):
    code = "no-items"
    title = "No items"
    description = "No column of the file holds answers on a scale, so nothing can be compared."
    template = "no column holds answers on a scale; expected at least one item"


class NoCommonItems(InputError):
    code = "no-common-items"
    title = "No items in common"
    description = "No item is in both groups' data (match by column name, or map them in [items])."
    template = "no item is in both files"


class UnknownItem(InputError):
    code = "unknown-item"
    title = "Unknown item"
    description = "include_items names an item that is not a scale item in both files."
    template = "include_items names item(s) not found as scale items in both files: {names}"


class UnknownHeadlineItem(UnknownItem):
    code = "unknown-headline-item"
    title = "Unknown headline item"
    description = (
        "The headline_item you set (config or --headline-item) is not an item analysed in "
        "both files; the message says why and lists near misses. The default, "
        "overall_strong_cx, may be absent: then the headline is the composite."
    )
    template = "headline_item {name!r} is not an item analysed in both files{why}"


class UnknownGroupValue(InputError):
    code = "unknown-group-value"
    title = "Unknown group value"
    description = (
        "A --leaders-value/--customers-value (leaders_values/customers_values) that matches "
        "no row of the group column; the message lists the values the column holds."
    )
    template = "no row has {group} value(s) {wanted}; the column holds {held}"


class DuplicateId(InputError):
    code = "duplicate-id"
    title = "Repeated respondent id"
    description = (
        'Several rows share a respondent id (an error unless duplicates = "keep_first" '
        'or "keep_last").'
    )
    template = (
        "{extra} row(s) repeat a respondent id (e.g. {examples}); expected one row per respondent"
    )


class InvalidWeight(InputError):
    code = "invalid-weight"
    title = "Invalid weight"
    description = (
        "A weight that is blank, zero, negative, NaN, infinite or text where a positive "
        "number was expected; the message names the first such row and counts them all. "
        'With invalid_weights = "drop" those rows are left out of every count instead, '
        "with a warning; a bad weight is never taken as 1."
    )
    template = (
        "bad weight {value}: expected a positive number in every row ({count} row(s) "
        "with a bad weight in all)"
    )


class CountsFileError(InputError):
    code = "counts-file"
    title = "Counts file"
    description = (
        "A file given with --counts that cxgap cannot analyse: not Parquet, without the "
        "counts metadata `cxgap counts` writes, another counts version, or a column that "
        "is missing, mistyped, null or negative."
    )
    template = "not a counts file cxgap can analyse: {reason}"


class NeedsRows(InputError):
    code = "needs-rows"
    title = "Needs the rows"
    description = (
        "A statistic a counts file was not counted for: the composite headline under "
        "another agree rule or other scales, derived importance against another headline "
        "item, or anything that reads the export's rows. Count the exports again with "
        "the settings of the analysis."
    )
    template = "this needs {what}, which the counts file does not hold"


class EngineUnavailable(InputError):
    code = "engine-unavailable"
    title = "Engine unavailable"
    description = (
        "The software of the engine asked for (--engine) is not installed: DuckDB or a "
        "PostgreSQL driver (pip install 'cxgap[sql]'), PySpark (pip install "
        "'cxgap[spark]') or the Java that Spark runs on."
    )
    template = "the {engine} engine is not available: {reason}"


class EngineUnreachable(InputError):
    code = "engine-unreachable"
    title = "Engine unreachable"
    description = (
        "The engine could not be reached, refused the login or refused a query; the "
        "message never holds the connection string or a password."
    )
    template = "the {engine} engine: {reason}"


class TableNotFound(InputError):
    code = "table-not-found"
    title = "Table not found"
    description = (
        "The engine has no table (or file) of the name given with --table; the message "
        "lists the tables it has where it can."
    )
    template = "no table {table!r} in the {engine} engine{known}"


class NanText(ScaleError):
    code = "nan-text"
    title = "NaN or inf as text"
    description = "Text such as NaN, inf or null where an answer was expected."
    template = "text such as NaN or inf where an answer was expected; found {found}"


# -- raking (weighting/rake.py; the column is the rake variable) ------------------------


class RakeMargins(ConfigError):
    code = "rake-margins"
    title = "Raking margins"
    description = (
        "A margins file or [rake] section that is not valid: no [rake] table, a negative "
        "target, shares not summing to 1, margins whose totals disagree, unknown settings."
    )
    template = "the raking margins are not valid: {reason}"


class RakeNotSegment(ConfigError):
    code = "rake-not-segment"
    title = "Rake variable not counted"
    description = "A rake variable that is not a segment key of the counts table."
    template = (
        "raking needs {name!r} as a segment key of the counts table (its segment keys: "
        "{keys}); add it to segment_columns and count again"
    )


class RakeCategoryMissing(InputError):
    code = "rake-category-missing"
    title = "Target category not in the sample"
    description = "A raking target category without respondents (or whose weights are all 0)."
    template = (
        "the target category {category!r} of {variable!r} {why}{where}; raking cannot "
        "reach its target: merge it with another category in the margins"
    )


class RakeCategoryUntargeted(InputError):
    code = "rake-category-untargeted"
    title = "Sample category without a target"
    description = "Respondents in a category (or a blank) of a rake variable without a target."
    template = (
        "{count} respondent(s){where} are in {category} of {variable!r}, which has "
        "{why}; add it to [rake.margins.{variable}]"
    )


class RakeNotConverged(InputError):
    code = "rake-not-converged"
    title = "Raking did not converge"
    description = "Raking missed the tolerance in max_iterations sweeps; names the worst margin."
    template = (
        "raking did not converge in {sweeps} sweep(s){where}: the furthest margin is "
        "{variable!r} = {category!r}, {achieved} against a target of {target}; "
        "raise max_iterations or tolerance, or merge sparse categories"
    )


class RakeCells(InputError):
    code = "rake-cells"
    title = "Items count different respondents"
    description = "Raking needs every item to count every respondent once (blanks as null)."
    template = (
        "items {item!r} and {other!r} count different respondents in a cell{where}; "
        "expected every respondent once per item (blanks as a null value)"
    )


# -- warnings: reported by validate (and as warnings by analyze), never raised ----------


class ReaderNote(CxgapError):
    code = "reader-note"
    title = "Reader note"
    description = "Something the reader had to do that you should know (encoding, renamed columns)."
    severity = "warning"


class NotAnItem(CxgapError):
    code = "not-an-item"
    title = "Not an item"
    description = "A column left out because its answers do not fit a scale (ids, dates, text)."
    severity = "warning"


class AllMissing(CxgapError):
    code = "all-missing"
    title = "No answers"
    description = "An item that nobody answered validly."
    template = "no valid answer in any row"
    severity = "warning"


class OnlyInOneFile(CxgapError):
    code = "only-in-one-file"
    title = "Item in one file only"
    description = "Items that only one group's file has; they are left out of comparisons."
    severity = "warning"


class StraightLiners(CxgapError):
    code = "straight-liners"
    title = "Straight-lining"
    description = "Respondents who gave the same answer to every item (careless responding)."
    severity = "warning"


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
