"""The metadata of a counts file (``cxgap.counts`` in its Parquet key-value metadata):
what the counts were counted from and what analysing them needs besides the table.
``cxgap schema counts`` publishes its JSON Schema."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Meta(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GroupMeta(_Meta):
    """One group's file as counted: where it came from, and its columns' roles."""

    path: str
    format: str
    columns: list[str]
    header_rows: int = Field(ge=0)
    labels: dict[str, str] = Field(description="Question wording per item column.")
    metadata: list[str] = Field(description="Columns the platform adds (never items).")
    notes: list[str] = Field(description="What the reader had to do (encoding, renames).")
    value_labels: dict[str, dict[str, str]] = Field(
        description="Declared value labels per item column: code -> label."
    )
    items: list[tuple[str, str]] = Field(description="(item, column) in the file's order.")
    id_column: str | None
    wave_column: str | None
    weight_column: str | None
    weight_range: tuple[float, float] | None = Field(
        None,
        description="The lowest and highest weight of the counted respondents (written "
        "only when the file is weighted).",
    )
    wave_weight_ranges: dict[str, tuple[float, float]] = Field(
        default_factory=dict,
        description="The same per wave (written only when the file is weighted and has "
        "waves; a wave's report states its own range).",
    )
    blank_wave_row: int | None = Field(
        None,
        ge=1,
        description="The row of the first response whose wave cell is blank (written only "
        "when some are; how many is the table's null wave).",
    )
    weight_notes: list[str] = Field(
        default_factory=list,
        description="What the count said of the file's bad weights (rows left out under "
        'invalid_weights = "drop"; written only when it said something).',
    )
    segment_columns: list[str] = Field(
        default_factory=list, description="The segment key columns in this file (version 3)."
    )
    segment_column: str | None = Field(
        None, description="Versions 1 and 2: a segment column, never counted by segment."
    )
    roles: dict[str, str]
    named: list[str] = Field(description="Items the user named (their strays are errors).")
    included: list[str] | None = Field(description="include_items matches (null: none set).")


class CompositeMeta(_Meta):
    """The composite headline reduced to counts, and the votes it was counted with."""

    votes: dict[str, dict[str, int]] = Field(
        description="Per item, per answer as written: +1 agrees, -1 answered and does not."
    )
    tallies: list[
        tuple[str, str | None, int, int, int]
        | tuple[str, str | None, int, int, int, float, float, float, float]
    ] = Field(
        description="(group, wave, respondents who answered, who agree on at least half of "
        "what they answered, who answered none); weighted counts add the sums of the "
        "weights of those who answered and who agree, then of their squared weights."
    )


class CrosstabMeta(_Meta):
    """The reference group's (customers') answers to each item against their answer to the
    headline item."""

    by: str = Field(description="The headline item.")
    rows: list[
        tuple[str | None, str, str | None, str | None, int]
        | tuple[str | None, str, str | None, str | None, int, float]
    ] = Field(
        description="(wave, item, answer, headline answer, respondents); weighted counts "
        "add the sum of their weights."
    )


class CountsMeta(_Meta):
    """The Parquet metadata ``cxgap.counts`` of a counts file (JSON)."""

    counts_version: Literal[1, 2, 3] = 3
    cxgap_version: str
    groups: dict[str, GroupMeta]
    group_order: list[str] = Field(
        ["leaders", "customers"], description="The groups in order (version 2; 1: two groups)."
    )
    segments: list[str] = Field(
        default_factory=list,
        description="The table's segment key columns, in order, between wave and value "
        "(version 3; versions 1 and 2 have one column 'segment', always null).",
    )
    not_items: list[tuple[str, str, float, Literal["strays", "other"]]] = Field(
        description="Columns the first rows showed are not items: (column, reason, share "
        "of answers that fit a scale, kind)."
    )
    composite: CompositeMeta | None
    crosstab: CrosstabMeta | None
    group_crosstabs: dict[str, CrosstabMeta] = Field(
        default_factory=dict,
        description="Each other group's cross-tab against the headline item, where its file "
        "has the headline item (their own derived importance, for priorities).",
    )
    settings: dict[str, Any] = Field(
        description="The settings the rows were read with (column roles and item "
        "selection), fixed when counting; and the agree rule of the composite's tallies."
    )
