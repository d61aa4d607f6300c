"""Which columns of each file are items, and which play other roles."""

from __future__ import annotations

from dataclasses import dataclass, field

from cxgap.config import ID_COLUMN_CANDIDATES, Config, matches_any
from cxgap.errors import UnknownColumn
from cxgap.io.source import SurveyFile


@dataclass(frozen=True)
class FilePlan:
    """The roles of one file's columns."""

    group: str
    survey: SurveyFile
    #: item name -> column in this file
    items: dict[str, str]
    id_column: str | None = None
    wave_column: str | None = None
    weight_column: str | None = None
    segment_column: str | None = None
    roles: dict[str, str] = field(default_factory=dict)


def plan_file(survey: SurveyFile, group: str, config: Config) -> FilePlan:
    """Assign each column a role: id, wave, weight, segment, excluded, or item."""
    columns = list(survey.columns)
    present = set(columns)
    id_column = config.id_column
    if id_column is not None and id_column not in present:
        raise UnknownColumn(file=survey.path, setting="id_column", name=id_column)
    if id_column is None:
        id_column = next((c for c in ID_COLUMN_CANDIDATES if c in present), None)
    if id_column is None:  # platform exports name it themselves
        id_column = next((c for c in ("ResponseID", "Respondent ID", "Id") if c in present), None)
    wave = config.wave_column if config.wave_column in present else None
    weight = config.weight_column if config.weight_column in present else None
    segment = next((c for c in config.segment_columns if c in present), None)
    roles = {c: "metadata" for c in survey.metadata if c in present}
    if config.group_column:
        if config.group_column not in present:
            raise UnknownColumn(file=survey.path, setting="group_column", name=config.group_column)
        roles[config.group_column] = "group"
    roles.update({c: "segment" for c in config.segment_columns if c in present})
    roles.update({c: "excluded" for c in config.exclude_columns if c in present})
    if config.exclude_items:
        roles.update({c: "excluded" for c in columns
                      if c not in roles and matches_any(c, config.exclude_items)})  # fmt: skip
    for role, col in (("id", id_column), ("wave", wave), ("weight", weight)):
        if col is not None:
            roles[col] = role

    items: dict[str, str] = {}
    mapped_columns: set[str] = set()
    for name, spec in config.items.items():
        column = getattr(spec, group, None) or name
        if column in present and column not in roles:
            items[name] = column
            mapped_columns.add(column)
    for column in columns:
        if column not in roles and column not in mapped_columns and column not in items:
            items[column] = column
    if config.include_items is not None:  # exactly these: other columns are not items
        items = {k: v for k, v in items.items() if matches_any(k, config.include_items)}
    return FilePlan(
        group=group,
        survey=survey,
        items=items,
        id_column=id_column,
        wave_column=wave,
        weight_column=weight,
        segment_column=segment,
        roles=roles,
    )
