"""Which columns of each file are items, and which play other roles."""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cxgap.config import ID_COLUMN_CANDIDATES, Config
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
    #: the segment key columns in this file (``segment_columns`` in config order)
    segment_columns: tuple[str, ...] = ()
    roles: dict[str, str] = field(default_factory=dict)
    #: items the user named (include_items matches and [items] keys): their stray
    #: answers are errors, and they are never set aside as not items
    named: frozenset[str] = frozenset()
    #: include_items matches in this file (None: no include_items, every item is looked at)
    included: frozenset[str] | None = None


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_GLOB = set("*?[")


def name_key(name: str) -> str:
    """A column name as matched: non-breaking and repeated spaces, and curly quotes, do not
    count (exports differ in them; a user types the plain form)."""
    return " ".join(name.translate(_QUOTES).split())


def match_names(patterns: Iterable[str], names: Sequence[str]) -> tuple[list[str], list[str]]:
    """The names that ``patterns`` (names or globs such as ``Q5_*``) match, in file order,
    and the patterns that match none."""
    keys: dict[str, str] = {}
    for name in names:
        keys.setdefault(name_key(name), name)
    hits: set[str] = set()
    unmatched: list[str] = []
    for pattern in patterns:
        key = name_key(pattern)
        if key in keys:
            found = [keys[key]]
        elif _GLOB & set(pattern):
            found = [n for k, n in keys.items() if fnmatch.fnmatchcase(k, key)]
        else:
            found = []
        hits.update(found)
        if not found:
            unmatched.append(pattern)
    return [n for n in names if n in hits], unmatched


def near_miss(pattern: str, names: Sequence[str]) -> str:
    """'; did you mean ...' with where the two differ, or '' when nothing is close."""
    keys = {name_key(n): n for n in names}
    close = difflib.get_close_matches(name_key(pattern), list(keys), n=1, cutoff=0.75)
    if not close:
        return ""
    want, have = name_key(pattern), close[0]
    at = next((k for k, (a, b) in enumerate(zip(want, have, strict=False)) if a != b), None)
    if at is None:
        at = min(len(want), len(have))
    given = repr(want[at : at + 12]) if at < len(want) else "the end"
    found = repr(have[at : at + 12]) if at < len(have) else "the end"
    return (
        f"; did you mean {keys[have]!r}? (they differ at character {at + 1}: "
        f"{given} in the config, {found} in the file)"
    )


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
    weight = (
        config.weight_column if config.weight_column in present and not config.weights_off else None
    )
    if weight is None and config.weights_named:
        raise UnknownColumn(
            file=survey.path, setting="weight_column", name=config.weight_column,
            hint="a weight column you name must be in every group's file; the default "
            "'weight' is used where present",
        )  # fmt: skip
    segments = tuple(c for c in config.count_keys() if c in present)
    roles = {c: "metadata" for c in survey.metadata if c in present}
    if config.group_column:
        # required where it splits the file; a group with a file of its own may lack it
        if config.group_column not in present and config.values_for(group):
            raise UnknownColumn(file=survey.path, setting="group_column", name=config.group_column)
        if config.group_column in present:
            roles[config.group_column] = "group"
    roles.update({c: "segment" for c in config.count_keys() if c in present})
    excluded, _ = match_names([*config.exclude_columns, *config.exclude_items], columns)
    roles.update(dict.fromkeys(excluded, "excluded"))
    for role, col in (("id", id_column), ("wave", wave), ("weight", weight)):
        if col is not None:
            roles[col] = role

    items: dict[str, str] = {}
    mapped_columns: set[str] = set()
    for name, spec in config.items.items():
        wanted = (spec.column_for(group) if spec else None) or name
        found, _ = match_names([wanted], columns)
        column = found[0] if found and not _GLOB & set(wanted) else None
        if column is not None and column not in roles:
            items[name] = column
            mapped_columns.add(column)
    for column in columns:
        if column not in roles and column not in mapped_columns and column not in items:
            items[column] = column
    included = None
    if config.include_items is not None:
        found, _ = match_names(config.include_items, list(items))
        included = frozenset(found)
    return FilePlan(
        group=group,
        survey=survey,
        items=items,
        id_column=id_column,
        wave_column=wave,
        weight_column=weight,
        segment_columns=segments,
        roles=roles,
        named=frozenset(included or ()) | frozenset(n for n in config.items if n in items),
        included=included,
    )


def missing_key(plans: Sequence[FilePlan], cfg: Config, name: str) -> UnknownColumn:
    """The error for a segment key (or rake variable) that no group's file has."""
    segment = name in cfg.segment_columns
    return UnknownColumn(
        file=plans[-1].survey.path, setting="segment_columns" if segment else "rake",
        name=name, hint="no group's file has it; "
        + ("segment keys are column names, as written" if segment else
           "a rake variable ([rake.margins.NAME]) names a column of the customers' file"),
    )  # fmt: skip
