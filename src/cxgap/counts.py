"""A counts file: the counts table, and what analysing it needs besides, in one Parquet file.

``cxgap counts`` writes it; ``cxgap analyze --counts`` (and ``trend``, ``check``,
``chart``, ``deck``, ``report``) analyses it in place of the exports, with the same
result byte for byte. The table is the counts table of :mod:`cxgap.counts_table` (the
contract, version :data:`COUNTS_VERSION`); the file's Parquet key-value metadata
``cxgap.counts`` holds, as JSON, what the rows gave besides counts:

- per group, the file it was counted from (path, format, columns, question wording,
  declared value labels, reader notes) and the columns' roles (items, id, wave,
  weight, segments): column roles and item selection are fixed when counting;
- the table's segment key columns (``segments``, version 3), cross-classified;
- the columns the first rows already showed are not items, with the reasons;
- the composite headline's tallies per group and wave (respondents who answered,
  who agree on at least half of what they answered, who answered nothing) and the
  votes they were counted with, when the data have no headline item;
- the customers' cross-tab of each item against the headline item per wave (what
  derived importance needs), when there is a headline item.

The tallies and the cross-tab are per wave, pooled over the segment keys; so are the
analyses of a counts file (as of the exports).

A statistic that needs rows the file was not counted for (the composite under
another agree rule or other scales, importance against another item) stops with
:class:`~cxgap.errors.NeedsRows`, saying what to count again.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import polars as pl
from pydantic import ValidationError

from cxgap._version import __version__
from cxgap.config import Config
from cxgap.config.sections import possessive
from cxgap.counts_settings import row_settings
from cxgap.counts_table import in_order, keys_of, pooled
from cxgap.errors import CountsFileError, FileNotFound, NeedsRows, UsageError
from cxgap.io.plan import FilePlan
from cxgap.io.source import Source, SurveyFile, first_line
from cxgap.model.counts import CompositeMeta, CountsMeta, CrosstabMeta, GroupMeta

#: A column the first rows showed is not an item: (column, reason, share of answers that fit
#: a scale, kind), as :class:`cxgap.code.coding.NotAnItem` holds it.
NotItem = tuple[str, str, float, Literal["strays", "other"]]

#: The version of the counts table and its metadata; a reader refuses other versions.
COUNTS_VERSION = 3
#: Versions this cxgap reads (1: two groups, leaders and customers, in that order; 1 and
#: 2: one column "segment", always null, in place of the segment keys).
READABLE_VERSIONS = (1, 2, 3)
META_KEY = "cxgap.counts"

#: The counts table's columns and types, in order (see :mod:`cxgap.counts_table`); its
#: segment keys (String, named in the metadata's ``segments``) come between wave and value.
SCHEMA: dict[str, pl.DataType] = {
    "group": pl.String(),
    "item": pl.String(),
    "wave": pl.String(),
    "value": pl.String(),
    "n": pl.Int64(),
    "w_sum": pl.Float64(),
    "w2_sum": pl.Float64(),
}
_TALLY = {"group": pl.String(), "wave": pl.String(), "n": pl.Int64(), "agree": pl.Int64(),
          "missing": pl.Int64()}  # fmt: skip
_CROSS = {"wave": pl.String(), "item": pl.String(), "value": pl.String(),
          "by_value": pl.String(), "n": pl.Int64()}  # fmt: skip
#: The tallies' weighted sums (a weighted file's), and where each is n or agree unweighted.
_W_TALLY = {"w_n": "n", "w_agree": "agree", "w2_n": "n", "w2_agree": "agree"}


@dataclass(frozen=True)
class CountsFile:
    """A counts file given in place of the two exports."""

    path: Path


#: What the commands read: exports (paths, globs, opened surveys) or a counts file.
Input = Source | CountsFile


@dataclass(frozen=True)
class StoredPasses:
    """What the row passes gave when the file was counted."""

    #: composite tallies per (group, wave): n, agree, missing and the weighted sums w_n,
    #: w_agree, w2_n, w2_agree (n and agree unweighted); None when not counted
    composite: pl.DataFrame | None = None
    #: the items the composite ran over, and each one's vote per answer (+1 / -1)
    composite_votes: dict[str, dict[str, int]] | None = None
    #: the customers' cross-tab against ``crosstab_by`` per wave; None when not counted
    crosstab: pl.DataFrame | None = None
    crosstab_by: str | None = None
    #: the other groups' cross-tabs against ``crosstab_by``, of those whose file has it
    group_crosstabs: dict[str, pl.DataFrame] = field(default_factory=dict)
    #: the counts file they were read from, and the agree rule its composite was counted with
    path: Path | None = None
    agree: str | None = None


class CountedSurvey(SurveyFile):
    """The export a group was counted from, as the counts file remembers it: its columns,
    wording and value labels, and no rows."""

    has_rows = False

    def __init__(self, meta: GroupMeta) -> None:
        super().__init__(Path(meta.path), meta.columns, meta.header_rows)
        self.format = meta.format  # type: ignore[misc]
        self.labels = dict(meta.labels)
        self.metadata = set(meta.metadata)
        self.notes = list(meta.notes)
        self.value_labels = {
            col: {int(code): label for code, label in labels.items()}
            for col, labels in meta.value_labels.items()
        }

    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        raise NeedsRows(
            file=self.path, what="the rows of this export", hint="analyse the export itself"
        )


def encode(
    plans: Sequence[FilePlan],
    counts: pl.DataFrame,
    presniffed: Sequence[NotItem],
    stored: StoredPasses,
    cfg: Config,
    weight_ranges: Mapping[str, tuple[float, float] | None] | None = None,
    wave_weight_ranges: Mapping[str, Mapping[str, tuple[float, float]]] | None = None,
    blank_wave_rows: Mapping[str, int] | None = None,
    weight_notes: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """The counts file's bytes: the table sorted by its keys, the metadata as sorted JSON.

    When a group is weighted, the tallies and the cross-tab keep their weighted sums and
    each weighted group its weights' range; an unweighted file is written as before.
    ``blank_wave_rows``: per group, the row of its first blank wave cell, when it has some;
    ``weight_notes``: per group, what the count said of its bad weights."""
    keys = keys_of(counts)
    segments = keys[3:-1]
    ranges, by_wave = weight_ranges or {}, wave_weight_ranges or {}
    weighted = any(p.weight_column for p in plans)
    tally_columns = [*_TALLY, *(_W_TALLY if weighted else ())]
    cross_columns = [*_CROSS, *(["w_sum"] if weighted else [])]
    meta = CountsMeta(
        cxgap_version=__version__,
        groups={
            p.group: _plan_meta(
                p, ranges.get(p.group), by_wave.get(p.group), (blank_wave_rows or {}).get(p.group)
            ).model_copy(update={"weight_notes": list((weight_notes or {}).get(p.group, ()))})
            for p in plans
        },
        group_order=[p.group for p in plans],
        segments=segments,
        not_items=list(presniffed),
        composite=None
        if stored.composite is None
        else CompositeMeta(
            votes=stored.composite_votes or {},
            tallies=stored.composite.select(tally_columns).rows(),
        ),
        crosstab=None
        if stored.crosstab is None
        else CrosstabMeta(
            by=stored.crosstab_by or "", rows=stored.crosstab.select(cross_columns).rows()
        ),
        group_crosstabs={
            g: CrosstabMeta(
                by=stored.crosstab_by or "",
                rows=t.select([*_CROSS, *(["w_sum"] if "w_sum" in t.columns else [])]).rows(),
            )
            for g, t in stored.group_crosstabs.items()
        },
        settings={**row_settings(cfg), "agree": cfg.agree},
    )
    types = {**SCHEMA, **dict.fromkeys(segments, pl.String())}
    table = counts.select([pl.col(k).cast(types[k]) for k in [*keys, "n", "w_sum", "w2_sum"]])
    table = table.sort(keys, nulls_last=False)
    buffer = io.BytesIO()
    found = meta.model_dump(mode="json")
    for group in found["groups"].values():  # only a weighted group's is written
        if group["weight_range"] is None:
            del group["weight_range"]
        if not group["wave_weight_ranges"]:
            del group["wave_weight_ranges"]
        if group["blank_wave_row"] is None:
            del group["blank_wave_row"]
        if not group["weight_notes"]:
            del group["weight_notes"]
    text = json.dumps(found, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    table.write_parquet(buffer, compression="zstd", metadata={META_KEY: text})
    return buffer.getvalue()


def _plan_meta(
    plan: FilePlan,
    weight_range: tuple[float, float] | None,
    by_wave: Mapping[str, tuple[float, float]] | None = None,
    blank_wave_row: int | None = None,
) -> GroupMeta:
    survey = plan.survey
    mine = set(plan.items.values())
    return GroupMeta(
        path=str(survey.path),
        format=survey.format,
        columns=list(survey.columns),
        header_rows=survey.header_rows,
        labels={c: t for c, t in survey.labels.items() if c in mine},
        metadata=sorted(survey.metadata),
        notes=list(survey.notes),
        value_labels={
            c: {str(code): label for code, label in labels.items()}
            for c, labels in survey.value_labels.items()
            if c in mine
        },
        items=list(plan.items.items()),  # in the file's order
        id_column=plan.id_column,
        wave_column=plan.wave_column,
        blank_wave_row=blank_wave_row,
        weight_column=plan.weight_column,
        weight_range=weight_range if plan.weight_column else None,
        wave_weight_ranges=dict(by_wave or {}) if plan.weight_column else {},
        segment_columns=list(plan.segment_columns),
        roles=plan.roles,
        named=sorted(plan.named),
        included=None if plan.included is None else sorted(plan.included),
    )


@dataclass(frozen=True)
class Decoded:
    plans: list[FilePlan]
    counts: pl.DataFrame
    #: columns the first rows showed are not items: (column, reason, fit, kind)
    presniffed: list[NotItem]
    stored: StoredPasses
    #: the settings the rows were read with (see row_settings), and the agree rule
    settings: dict[str, Any]
    #: per group, its weights' lowest and highest value (None: unweighted)
    weight_ranges: dict[str, tuple[float, float] | None]
    #: the counts with their segment keys, when counted with any (else None)
    segmented: pl.DataFrame | None = None
    #: per group, its weights' range per wave (empty: not written)
    wave_weight_ranges: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    #: per group, the row of its first blank wave cell, when written
    blank_rows: dict[str, int] = field(default_factory=dict)
    #: per group, what the count said of its bad weights (see scan.weights.weight_notes)
    weight_notes: dict[str, list[str]] = field(default_factory=dict)


def decode(path: Path) -> Decoded:
    """Read and check a counts file; every problem is a CountsFileError naming it."""
    if not path.exists():
        raise FileNotFound(file=path)
    try:
        found = pl.read_parquet_metadata(path)
        table = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise CountsFileError(file=path, reason=f"not a Parquet file ({first_line(exc)})") from None
    text = found.get(META_KEY)
    if text is None:
        raise CountsFileError(
            file=path, reason="a Parquet file without cxgap's counts metadata (write it with "
            "`cxgap counts`)",
        )  # fmt: skip
    try:
        raw = json.loads(text)
        version = raw["counts_version"]
    except (ValueError, KeyError, TypeError):
        raise CountsFileError(file=path, reason="its cxgap.counts metadata is not valid") from None
    if version not in READABLE_VERSIONS:
        raise CountsFileError(
            file=path,
            reason=f"counts version {version!r}; this cxgap reads versions 1 to {COUNTS_VERSION} "
            f"(count the exports again with cxgap {__version__})",
        )
    try:
        meta = CountsMeta.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CountsFileError(
            file=path, reason=f"its cxgap.counts metadata is not valid: {where}: {first['msg']}"
        ) from None
    order = meta.group_order
    if sorted(meta.groups) != sorted(order) or len(order) < 2 or order[0] != "leaders":
        raise CountsFileError(
            file=path, reason=f"its groups ({', '.join(sorted(meta.groups))}) are not those "
            f"of its group order ({', '.join(order)}), leaders first and two at least",
        )  # fmt: skip
    if version < 3 and "segment" in table.columns:  # always null before version 3
        table = table.drop("segment")
    _check_table(path, table, meta)
    plans = [_plan(group, meta.groups[group]) for group in order]
    presniffed: list[NotItem] = [(i, r, f, k) for i, r, f, k in meta.not_items]
    stored = _stored(meta, path)
    keyed = in_order(table, meta.segments)
    counts = pooled(keyed)
    segmented = keyed if meta.segments else None
    ranges = {group: meta.groups[group].weight_range for group in order}
    by_wave = {group: dict(meta.groups[group].wave_weight_ranges) for group in order}
    firsts = {g: m.blank_wave_row for g, m in meta.groups.items() if m.blank_wave_row}
    notes = {g: list(m.weight_notes) for g, m in meta.groups.items()}
    return Decoded(plans, counts, presniffed, stored, meta.settings, ranges, segmented, by_wave,
                   firsts, notes)  # fmt: skip


def _check_table(path: Path, table: pl.DataFrame, meta: CountsMeta) -> None:
    types = {**SCHEMA, **dict.fromkeys(meta.segments, pl.String())}
    missing = [k for k in types if k not in table.columns]
    if missing:
        raise CountsFileError(file=path, reason=f"no column {', '.join(map(repr, missing))}")
    for name, dtype in types.items():
        if table.schema[name] != dtype:
            raise CountsFileError(
                file=path, column=name, reason=f"type {table.schema[name]}, expected {dtype}"
            )
    for name in ("group", "item", "n"):
        if table[name].null_count():
            raise CountsFileError(file=path, column=name, reason="a row with no value")
    if table.height and int(table["n"].min() or 0) < 0:  # type: ignore[arg-type]
        raise CountsFileError(file=path, column="n", reason="a negative count")
    unknown = sorted(set(table["group"].to_list()) - set(meta.group_order))
    if unknown:
        raise CountsFileError(
            file=path, column="group", reason=f"unknown group(s) {', '.join(unknown)}"
        )
    keys = ["group", "item", "wave", *meta.segments, "value"]
    dup = table.group_by(keys).len()
    if dup.height != table.height:
        first = dup.filter(pl.col("len") > 1).row(0, named=True)
        key = ", ".join(f"{k}={first[k]!r}" for k in keys)
        raise CountsFileError(file=path, reason=f"a key ({', '.join(keys)}) twice: {key}")
    for group, found in meta.groups.items():
        mine = table.filter(pl.col("group") == group)
        if not mine.height:
            raise CountsFileError(file=path, column="group", reason=f"no rows of the {group}")
        items = {item for item, _ in found.items}
        strange = sorted(set(mine["item"].unique().to_list()) - items)
        if strange:
            raise CountsFileError(
                file=path, column="item", reason=f"{possessive(group)} row(s) of "
                f"{strange[0]!r}, which is not among the {possessive(group)} items in the metadata",
            )  # fmt: skip


def _plan(group: str, m: GroupMeta) -> FilePlan:
    return FilePlan(
        group=group,
        survey=CountedSurvey(m),
        items=dict(m.items),
        id_column=m.id_column,
        wave_column=m.wave_column,
        weight_column=m.weight_column,
        segment_columns=tuple(m.segment_columns),
        roles=dict(m.roles),
        named=frozenset(m.named),
        included=None if m.included is None else frozenset(m.included),
    )


def _stored(meta: CountsMeta, path: Path) -> StoredPasses:
    composite, cross = meta.composite, meta.crosstab
    tallies = None
    if composite is not None:  # rows without weighted sums are unweighted: the counts
        rows = [r if len(r) > 5 else (*r, r[2], r[3], r[2], r[3]) for r in composite.tallies]
        tallies = pl.DataFrame(
            rows, schema={**_TALLY, **dict.fromkeys(_W_TALLY, pl.Float64())}, orient="row"
        )
    crosstab = None
    if cross is not None:
        crossed = [r if len(r) > 5 else (*r, r[4]) for r in cross.rows]
        crosstab = pl.DataFrame(crossed, schema={**_CROSS, "w_sum": pl.Float64()}, orient="row")
    others = {}
    for group, table in meta.group_crosstabs.items():  # rows with weight sums: weighted
        weighed = any(len(r) > 5 for r in table.rows)
        schema = {**_CROSS, **({"w_sum": pl.Float64()} if weighed else {})}
        others[group] = pl.DataFrame(table.rows, schema=schema, orient="row")
    return StoredPasses(
        composite=tallies,
        composite_votes=None if composite is None else composite.votes,
        crosstab=crosstab,
        crosstab_by=None if cross is None else cross.by,
        group_crosstabs=others,
        path=path,
        agree=meta.settings.get("agree"),
    )


def holds_both(path: str | Path) -> UsageError:
    """The error for a counts file given beside another input."""
    return UsageError(f"{path} is a counts file, which holds every group: give it alone")


def is_counts_file(path: str | Path) -> bool:
    """A Parquet file with the metadata ``cxgap counts`` writes."""
    path = Path(path)
    if path.suffix.lower() != ".parquet" or not path.is_file():
        return False
    try:
        return META_KEY in pl.read_parquet_metadata(path)
    except (OSError, pl.exceptions.PolarsError):
        return False
