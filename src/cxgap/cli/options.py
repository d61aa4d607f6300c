"""Options shared by several commands, declared once."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from cxgap.config import Config
    from cxgap.io.source import SurveyFile

F = TypeVar("F", bound=Callable[..., Any])


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


class Adjust(StrEnum):
    holm = "holm"
    bh = "bh"
    none = "none"


CONFIG = typer.Option(
    None,
    "--config",
    "-c",
    help="Config file (cxgap.toml, or a pyproject.toml with [tool.cxgap]). "
    "Default: the nearest one from the working directory up.",
)
FORMAT_HELP = (
    "Output format. xlsx: a workbook, a sheet per table and a Notes sheet (needs -o FILE)."
)
FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help=FORMAT_HELP)
OUTPUT = typer.Option("-", "--output", "-o", help="Write the report to this file ('-' = stdout).")
AGREE = typer.Option(None, help="Agree rule: top-box, top2 (default), top3, or '>=N'.")
CONFIDENCE = typer.Option(
    None, help="Confidence level of intervals, strictly between 0.5 and 1 (default 0.95)."
)
ADJUST = typer.Option(None, help="Multiple-comparison adjustment across items (default holm).")
HEADLINE_ITEM = typer.Option(
    None, help="Item reported as the headline (default overall_strong_cx)."
)
WAVE_COLUMN = typer.Option(None, help="Wave column (default 'wave').")
DEBUG = typer.Option(False, "--debug", help="Show tracebacks on errors.")
PICTURES = typer.Option(
    False,
    "--pictures",
    help="Every chart as a picture (PNG). Default: a native PowerPoint chart, its data in an "
    "embedded workbook, wherever PowerPoint can draw it.",
)
EXPORTS = (
    "CSV, TSV, xlsx (book.xlsx#Sheet: that sheet), SPSS .sav or Parquet; a quoted glob for one "
    "file per wave"
)
LEADERS = typer.Argument(
    ..., help=f"Leaders' export ({EXPORTS}), the one export the groups answered, or a "
    "counts file written by `cxgap counts`.",
    show_default=False,
)  # fmt: skip
CUSTOMERS = typer.Argument(
    None,
    help=f"Customers' export ({EXPORTS}). Leave out when one export holds the groups "
    "(--group-column), or LEADERS is a counts file.",
    show_default=False,
)  # fmt: skip

# Engines: counts computed where the data live (issue 13) --------------------------------

ENGINE = typer.Option(
    "local",
    "--engine",
    help="Where the rows are counted: local (the exports, on this machine), duckdb (a "
    "table in a .duckdb file, or a Parquet or CSV file DuckDB reads), postgres, spark.",
)
CONNECTION = typer.Option(
    None,
    "--connection",
    metavar="PATH_OR_URL",
    help="The engine's database: a .duckdb file (or duckdb:///path), a postgresql:// URL. "
    "Never printed or written to the counts file.",
)
TABLE = typer.Option(
    None,
    "--table",
    metavar="TABLE|GROUP=TABLE",
    help="The table to count (with group_column telling the groups apart), or one per "
    "group as GROUP=TABLE (repeatable); a Parquet or CSV path for duckdb and spark.",
)
DIALECT = typer.Option(
    ...,
    "--dialect",
    help="The SQL dialect to write: duckdb, postgres, bigquery, snowflake or spark.",
    show_default=False,
)
SAMPLE = typer.Option(
    None,
    "--sample",
    metavar="FILE|GROUP=FILE",
    help="A small export of the table's columns (CSV or Parquet, a few thousand rows): "
    "the columns, and the answers the coding plan is decided from (GROUP=FILE per group "
    "when --table is given per group).",
)
STEP = typer.Option(
    "counts",
    "--step",
    help="counts: the aggregation query (the counts table and what its metadata needs); "
    "distinct: the query of each item's distinct answers, to check them on the whole table.",
)
RESULT = typer.Option(
    None,
    "--result",
    metavar="FILE",
    help="The saved result (Parquet or CSV) of the query `cxgap sql` printed, run where the "
    "data are (repeatable: one per table); with the same --sample, --table and settings.",
)
EXPORT_OR_NONE = typer.Argument(
    None,
    help=f"Leaders' export ({EXPORTS}), or the one export the groups answered. Not with "
    "--engine other than local (--table names the data then).",
    show_default=False,
)  # fmt: skip


def load(config: Path | None, overrides: dict[str, Any]) -> Any:
    """The effective Config: file, then flags (None = not given)."""
    from cxgap.config import load_config

    cleaned = {k: (v.value if isinstance(v, StrEnum) else v) for k, v in overrides.items()}
    return load_config(config, cleaned)


# Inputs: how every command that reads survey files finds its rows and items -------------
#
# Each option is declared here once; ``with_inputs`` gives all of them to a command,
# which receives them as one ``Inputs``.

SOURCES_HELP = (
    "Format or layout of the files: auto (detect), csv, qualtrics, qualtrics-legacy, "
    "surveymonkey, google-forms, xlsx, sav, parquet."
)
_INPUT_OPTIONS: dict[str, tuple[Any, Any]] = {
    "source": (str, typer.Option("auto", help=SOURCES_HELP)),
    "counts": (
        bool,
        typer.Option(
            False,
            "--counts",
            help="LEADERS is a counts file written by `cxgap counts` (a Parquet file; "
            "detected without the flag too): analysed in place of the exports.",
        ),
    ),
    "frontline": (
        str | None,
        typer.Option(
            None,
            metavar="FILE",
            help="The frontline staff's export: a third group, between leaders and customers.",
        ),
    ),
    "group": (
        list[str] | None,
        typer.Option(
            None,
            metavar="NAME=FILE",
            help="Another group's export (repeatable); placed by group_order in the config.",
        ),
    ),
    "group_column": (
        str | None,
        typer.Option(None, help="One export for both groups: the column that tells them apart."),
    ),
    "leaders_value": (
        list[str] | None,
        typer.Option(
            None,
            metavar="<value>",
            help="With --group-column: a value that marks leaders (repeatable).",
        ),
    ),
    "customers_value": (
        list[str] | None,
        typer.Option(
            None,
            metavar="<value>",
            help="With --group-column: a value that marks customers (repeatable).",
        ),
    ),
    "scale": (
        str | None,
        typer.Option(
            None,
            help="Scale for items whose answers leave it open (bare numbers, labelled ends): "
            "1-5, 1-7, 0-10, 1-10, 0-100 or a vocabulary name. Default: decided per item.",
        ),
    ),
    "id_column": (str | None, typer.Option(None, help="Respondent id column.")),
    "weights": (
        str | None,
        typer.Option(
            None,
            "--weights",
            metavar="COLUMN",
            help="Weight column (a positive number per row); a column other than 'weight' "
            "must be in every group's file. Default: 'weight' where a file has it; a file "
            "without weights counts each respondent as 1. 'none': unweighted.",
        ),
    ),
    "include": (
        list[str] | None,
        typer.Option(
            None,
            "--include",
            metavar="<name|glob>",
            help="Analyse only these items: a column name or a glob such as 'Q3_*' (repeatable).",
        ),
    ),
    "exclude": (
        list[str] | None,
        typer.Option(
            None,
            "--exclude",
            metavar="<name|glob>",
            help="Never treat these columns as items: a name or a glob (repeatable).",
        ),
    ),
    "rake": (
        Path | None,
        typer.Option(
            None,
            "--rake",
            metavar="MARGINS.toml",
            help="Rake the customers' weights to population margins ([rake] with "
            "[rake.margins.COLUMN] shares or totals; see README: Raking).",
        ),
    ),
    "by": (
        list[str] | None,
        typer.Option(
            None,
            "--by",
            metavar="COLUMN[,COLUMN]",
            help="Segment columns (region, channel): the gap per segment of each, small "
            "cells suppressed (min_cell_n); comma-separated or repeated.",
        ),
    ),
    "unit": (
        str | None,
        typer.Option(
            None,
            "--unit",
            metavar="COLUMN",
            help="Unit column in both files (branch, store, team): each unit's leaders "
            "against its own customers, units ranked, small units suppressed (min_cell_n).",
        ),
    ),
}


@dataclass(frozen=True)
class Inputs:
    """The input options of a command, as given (None = not given)."""

    source: str = "auto"
    counts: bool = False
    frontline: str | None = None
    group: list[str] | None = None
    group_column: str | None = None
    leaders_value: list[str] | None = None
    customers_value: list[str] | None = None
    scale: str | None = None
    id_column: str | None = None
    weights: str | None = None
    include: list[str] | None = None
    exclude: list[str] | None = None
    by: list[str] | None = None
    unit: str | None = None
    rake: Path | None = None

    def overrides(self) -> dict[str, Any]:
        """The settings these options override (None: keep the config's)."""
        return {
            "group_column": self.group_column,
            "leaders_values": self.leaders_value or None,
            "customers_values": self.customers_value or None,
            "scale": self.scale,
            "id_column": self.id_column,
            "weight_column": self.weights,
            "include_items": self.include or None,
            "exclude_items": self.exclude or None,
            "rake": self._rake(),
            "segment_columns": [c.strip() for b in self.by for c in b.split(",") if c.strip()]
            if self.by
            else None,
            "unit_column": self.unit,
        }

    def _rake(self) -> dict[str, Any] | None:
        """The margins file's [rake] table (checked: its errors name the file)."""
        if self.rake is None:
            return None
        from cxgap.config import load_rake_spec

        return load_rake_spec(self.rake).model_dump()

    def config(self, path: Path | None, **other: Any) -> Config:
        """The effective Config: the file, then these options and ``other`` flags."""
        return load(path, {**other, **self.overrides()})  # type: ignore[no-any-return]

    def open(self, path: str, cfg: Config) -> SurveyFile:
        """One group's export (a path or a quoted glob), read as --source says."""
        from cxgap.io import open_survey

        return open_survey(path, self.source, wave_column=cfg.wave_column)

    def pair(self, leaders: str, customers: str | None, cfg: Config) -> tuple[Any, Any]:
        """Both groups' exports; one export serves both when a group column splits it."""
        from cxgap.counts import CountsFile, holds_both, is_counts_file
        from cxgap.errors import UsageError

        alone = customers is None and not cfg.group_column
        if self.counts or is_counts_file(leaders) or (alone and leaders.endswith(".parquet")):
            if self.source != "auto":
                raise UsageError("--source reads exports; a counts file holds counts")
            if customers is not None:
                raise holds_both(leaders)
            found = CountsFile(Path(leaders))
            return found, found
        if alone:
            raise UsageError(
                "give the customers' export, or --group-column with --leaders-value and "
                "--customers-value to split one export"
            )
        first = self.open(leaders, cfg)
        second = first if customers is None or customers == leaders else self.open(customers, cfg)
        return first, second

    def paths(self, cfg: Config, *sources: str | None) -> list[Path]:
        """Every input file of the run (the files given, globs expanded, every other group's
        and the config's group files): an output is never written over one."""
        import glob

        given = [*sources, *self.given_groups().values()]
        base = cfg.source_path.parent if cfg.source_path else Path()
        given += [str(base / f) for spec in cfg.groups.values() for f in spec.files]
        from cxgap.io.sheet_path import split_sheet  # book.xlsx#Sheet is book.xlsx

        files = [str(split_sheet(s)[0]) for s in given if s is not None]
        return [Path(p) for s in files for p in (glob.glob(s) or [s])]

    def others(self, cfg: Config) -> dict[str, Any]:
        """The groups besides leaders and customers given on the command line
        (``--frontline FILE``, ``--group NAME=FILE``), opened."""
        given = self.given_groups()
        return {name: self.open(path, cfg) for name, path in given.items()}

    def given_groups(self) -> dict[str, str]:
        """``--frontline`` and ``--group NAME=FILE``: group name -> the path given."""
        from cxgap.config.sections import group_name_problem
        from cxgap.errors import UsageError

        given: dict[str, str] = {}
        if self.frontline:
            given["frontline"] = self.frontline
        for spec in self.group or []:
            name, sep, path = spec.partition("=")
            name = name.strip()
            if not sep or not path:
                raise UsageError(
                    f"--group {spec!r}: expected NAME=FILE (e.g. --group board=board.csv)"
                )
            problem = group_name_problem(name)
            if name in given:
                problem = f"the {name} group is given twice"
            if problem:
                raise UsageError(f"--group {spec!r}: {problem}")
            given[name] = path.strip()
        if given and self.counts:
            raise UsageError("a counts file holds every group: give it alone")
        return given


def with_export_inputs(command: F) -> F:
    """:func:`with_inputs` for a command that reads exports only (no ``--counts``)."""
    return with_inputs(command, without=("counts",))


def with_inputs(command: F, *, without: tuple[str, ...] = ()) -> F:
    """Give a command every input option (but those ``without``); it receives them as
    ``inputs: Inputs``."""
    signature = inspect.signature(command, eval_str=True)
    params = [p for p in signature.parameters.values() if p.name != "inputs"]
    at = next((k for k, p in enumerate(params) if p.name == "debug"), len(params))
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=kind)
        for name, (kind, option) in _INPUT_OPTIONS.items()
        if name not in without
    ]
    params = params[:at] + added + params[at:]
    names = [f.name for f in fields(Inputs)]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {n: kwargs.pop(n) for n in names if n in kwargs}
        return command(*args, inputs=Inputs(**given), **kwargs)

    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in params]
    )
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper  # type: ignore[return-value]


DEFAULT_INPUTS = Inputs()


# Spark's session (--engine spark) ------------------------------------------------------

SPARK_MASTER = typer.Option(
    "local[*]", "--spark-master", metavar="URL",
    help="With --engine spark: the Spark master (local[*]: this machine's cores; "
    "spark://host:7077, yarn, k8s://...). A session already running in the process is used.",
)  # fmt: skip
SPARK_CONF = typer.Option(
    None, "--spark-conf", metavar="KEY=VALUE",
    help="With --engine spark: a Spark setting for the session cxgap starts "
    "(e.g. spark.executor.memory=8g); repeatable.",
)  # fmt: skip
