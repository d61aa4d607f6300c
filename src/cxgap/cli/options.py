"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


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
OUTPUT = typer.Option("-", "--output", "-o", help="Write the report to this file ('-' = stdout).")
AGREE = typer.Option(None, help="Agree rule: top-box, top2 (default), top3, or '>=N'.")
SCALE = typer.Option(
    None, help="Scale of numeric codes: 1-5 (default), 1-7, 0-10, or a vocabulary name."
)
CONFIDENCE = typer.Option(
    None, help="Confidence level of intervals, strictly between 0.5 and 1 (default 0.95)."
)
ADJUST = typer.Option(None, help="Multiple-comparison adjustment across items (default holm).")
HEADLINE_ITEM = typer.Option(
    None, help="Item reported as the headline (default overall_strong_cx)."
)
ID_COLUMN = typer.Option(None, help="Respondent id column.")
WAVE_COLUMN = typer.Option(None, help="Wave column (default 'wave').")
DEBUG = typer.Option(False, "--debug", help="Show tracebacks on errors.")
LEADERS = typer.Argument(
    ..., help="Leaders' export (CSV or Parquet; a quoted glob for one file per wave).",
    show_default=False,
)  # fmt: skip
CUSTOMERS = typer.Argument(
    ..., help="Customers' export (CSV or Parquet; a quoted glob for one file per wave).",
    show_default=False,
)  # fmt: skip


def load(config: Path | None, overrides: dict[str, Any]) -> Any:
    """The effective Config: file, then flags (None = not given)."""
    from cxgap.config import load_config

    cleaned = {k: (v.value if isinstance(v, StrEnum) else v) for k, v in overrides.items()}
    return load_config(config, cleaned)[0]
