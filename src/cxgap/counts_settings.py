"""The settings a counts file fixes: how its rows were read (column roles, the item
selection). An analysis of the counts may repeat them, never change them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cxgap.config import Config
from cxgap.errors import NeedsRows

#: Settings that decide how rows are read: fixed when counting (see check_settings).
ROW_SETTINGS = (
    "id_column", "wave_column", "group_column", "leaders_values", "customers_values", "groups",
    "weight_column", "segment_columns", "unit_column", "exclude_columns", "include_items",
    "exclude_items", "duplicates", "invalid_weights",
)  # fmt: skip


def row_settings(cfg: Config) -> dict[str, Any]:
    """The settings that decide how rows are read, as JSON values; ``items`` holds the
    column each item is read from where [items] maps one."""
    found: dict[str, Any] = cfg.model_dump(mode="json", include=set(ROW_SETTINGS))
    found["items"] = {
        name: [spec.leaders, spec.customers, *(f"{g}={c}" for g, c in sorted(spec.columns.items()))]
        for name, spec in sorted(cfg.items.items())
        if spec.leaders or spec.customers or spec.columns
    }
    return found


def check_settings(path: Path | None, counted: dict[str, Any], cfg: Config) -> None:
    """Stop when the analysis sets a row setting other than the file was counted with:
    a counts file cannot be read again with other column roles or another selection."""
    given = set(cfg.model_fields_set)
    wanted = row_settings(cfg)
    for key in (*ROW_SETTINGS, "items"):
        if key in given and key in counted and wanted[key] != counted[key]:
            raise NeedsRows(
                file=path,
                what=f"the rows read with {key} = {_show(wanted[key])} (counted with "
                f"{_show(counted[key])})",
                hint="the columns' roles and the item selection are fixed when counting: "
                "count the exports again with these settings",
            )


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
