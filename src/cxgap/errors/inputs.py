"""The problems of a config's columns and of the inputs: files, their rows, their items,
counts files and engines."""

from __future__ import annotations

from cxgap.errors.base import ConfigError, InputError, ScaleError

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


class UnclosedQuote(InputError):
    code = "unclosed-quote"
    title = "Unclosed quote"
    description = (
        "A double quote that opens a field and never closes, or closes only on a later "
        "line, running the lines between into one answer."
    )
    template = (
        "a quote opened at line {row} in column {column!r} never closes; expected a "
        "closing quote before the end of the line"
    )
    row_word = "line"


class StrayQuote(InputError):
    code = "stray-quote"
    title = "Stray quote"
    description = (
        "A double quote inside a field that is not enclosed in double quotes (alone, or "
        "paired around a delimiter), or text after a field's closing quote: the reader "
        "cannot read past it."
    )
    template = "a double quote inside the field in column {column!r}"
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
        "with a warning, unless no row of a group has a good weight (an error either way); "
        "a bad weight is never taken as 1."
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
