"""Every setting of an analysis (:class:`Config`); field descriptions are the reference."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from cxgap.config.rake import RakeSpec
from cxgap.config.sections import (
    GROUP_LABELS,
    CheckRules,
    GroupSpec,
    ItemSpec,
    Theme,
    _check,
    group_name_problem,
)
from cxgap.errors import ConfigError
from cxgap.scales import AgreeRule, Scale, parse_scale, vocabulary


class Config(BaseModel):
    """Every setting of an analysis. Field descriptions are the reference docs."""

    model_config = ConfigDict(extra="forbid")
    _source_path: Path | None = PrivateAttr(default=None)

    @property
    def source_path(self) -> Path | None:
        """The config file these settings were read from (None: defaults and flags only)."""
        return self._source_path

    id_column: str | None = Field(
        None,
        description="Respondent id column; default: the first of respondent_id, ResponseId, id.",
    )
    wave_column: str = Field("wave", description="Wave column, used when present.")
    group_column: str | None = Field(
        None,
        description="For one export that the groups answered: the column that tells "
        "them apart (role, respondent type).",
    )
    leaders_values: list[str] = Field(
        default_factory=list, description="Values of group_column that mark leaders."
    )
    customers_values: list[str] = Field(
        default_factory=list, description="Values of group_column that mark customers."
    )
    groups: dict[str, GroupSpec] = Field(
        default_factory=dict,
        description="Groups besides (or about) leaders and customers, e.g. [groups.frontline] "
        "files = ['frontline.csv'] or values = ['Staff'] with group_column.",
    )
    group_order: list[str] = Field(
        default_factory=list,
        description="The groups in order, boardroom first, customers last (default: leaders, "
        "the other groups as configured, customers).",
    )
    comparisons: list[tuple[str, str]] | None = Field(
        None,
        description="Pairs of groups to compare, the headline comparison first (default: the "
        "ends of the order, then each adjacent pair).",
    )
    wave_order: list[str] = Field(
        default_factory=list,
        description="Waves in order, for labels that are not quarters, months or dates.",
    )
    weight_column: str = Field(
        "weight",
        description="Weight column of each group's file (a positive number per row): the "
        "default 'weight' is used where present; a column you name (--weights) must be in "
        "every group's file. A group's file without it counts each respondent as 1. "
        "'none': no weights at all.",
    )
    invalid_weights: Literal["error", "drop"] = Field(
        "error",
        description="Weights that are blank, zero, negative, NaN, infinite or text: 'error' "
        "(stop, naming the first row) or 'drop' (leave those rows out of every count, with "
        "a warning); never taken as 1.",
    )
    segment_columns: list[str] = Field(
        default_factory=list,
        description="Segment columns (region, channel, ...), as --by: analyze reports the gap "
        "per segment of each; `cxgap counts` keeps their labels as key columns of the counts "
        "table, of the same names.",
    )
    unit_column: str | None = Field(
        None,
        description="Unit column (branch, store, team), as --unit: where the leaders' and the "
        "customers' files both have it, the per-unit view sets each unit's leaders against its "
        "own customers (gaps per unit and item, units ranked, and whether the units whose "
        "leaders think best serve best); counted as a segment key, small units suppressed "
        "(min_cell_n).",
    )
    min_cell_n: int = Field(
        30,
        ge=1,
        description="A group's figure in a segment with fewer respondents (Kish's effective n "
        "when weighted) is suppressed, never shown as a number.",
    )
    stated_importance: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Importance items asked of leaders (the headline comparison's other "
        "group), each with the items of its theme (names or globs): their stated importance, "
        "held against customers' derived importance in the priorities section.",
    )
    johari_threshold: Literal["median"] | float = Field(
        "median",
        description="Where the Johari view splits high from low agreement: 'median' (each "
        "group's median share over the items) or a share for both groups, e.g. 0.5.",
    )
    exclude_columns: list[str] = Field(
        default_factory=list, description="Columns that are never items (demographics, free text)."
    )
    include_items: list[str] | None = Field(
        None,
        description="Analyse exactly these items (names or globs such as 'Q5_*'); each must "
        "be a scale item in both files. Names match ignoring non-breaking and repeated "
        "spaces and curly quotes.",
    )
    exclude_items: list[str] = Field(
        default_factory=list,
        description="Columns never analysed, by name or glob (as include_items).",
    )
    headline_item: str = Field(
        "overall_strong_cx", description="Item reported as the headline when present."
    )
    scale: str = Field(
        "1-5",
        description="Scale of every item the evidence leaves open (numeric codes without "
        "labels or metadata, the length of a scale with labelled ends), e.g. '1-7', '0-10'. "
        "Unset: each such item gets the standard range its codes fit (1-5, 1-7, 1-10, 0-10, "
        "0-100), with a warning.",
    )
    nps_items: list[str] = Field(
        default_factory=list,
        description="Items reported as Net Promoter Score (names or globs), besides those on "
        "the 0-10 scale whose name or wording asks about recommending.",
    )
    agree: str = Field("top2", description="Agree rule: 'top-box', 'top2', 'top3' or '>=N'.")
    confidence: float = Field(
        0.95,
        gt=0.5,
        lt=1.0,
        description="Confidence level of intervals, strictly between 0.5 and 1 (e.g. 0.95).",
    )
    interval: Literal["wilson", "beta", "logit"] = Field(
        "wilson",
        description="Interval of a weighted group's share: 'wilson' (Wilson's score interval "
        "on Kish's effective n), 'beta' (Korn-Graubard, R svyciprop's method = 'beta') or "
        "'logit' (svyciprop's method = 'logit'). Unweighted shares keep Wilson on n.",
    )
    adjust: Literal["holm", "bh", "none"] = Field(
        "holm", description="Multiple-comparison adjustment across items."
    )
    min_gap_pp: float = Field(
        5.0, ge=0.0, le=100.0, description="Smallest gap (percentage points) flagged as a finding."
    )
    unknown_answers: Literal["error", "missing"] = Field(
        "error",
        description="Answers that fit no scale: 'error' (stop and list them) or 'missing' "
        "(count them as non-answers, with a warning).",
    )
    duplicates: Literal["unchecked", "error", "keep_first", "keep_last"] = Field(
        "unchecked",
        description="Repeated respondent ids: 'error', 'keep_first', 'keep_last', or "
        "'unchecked' (not looked for, which keeps big files fast; cxgap validate always "
        "looks).",
    )
    non_answers: list[str] = Field(
        default_factory=list,
        description="Extra answers that mean 'no answer' (added to built-ins).",
    )
    items: dict[str, ItemSpec] = Field(
        default_factory=dict, description="Per-item column mapping, scale and wording."
    )
    check: CheckRules = Field(default_factory=CheckRules, description="Rules of cxgap check.")
    rake: RakeSpec | None = Field(
        None,
        description="Raking to population margins ([rake] with [rake.margins.VARIABLE]); "
        "each variable must be one of segment_columns.",
    )
    theme: Theme = Field(default_factory=Theme, description="Chart and deck styling.")

    vocabularies: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Your own label scales: name -> labels from most negative to most "
        "positive, e.g. helpful = ['Extremely unhelpful', ..., 'Extremely helpful'].",
    )

    @model_validator(mode="after")
    def _groups_are_complete(self) -> Config:
        for name, spec in self.groups.items():
            problem = group_name_problem(name, positional=False)
            if problem:
                raise ValueError(f"groups: {problem}")
            if name in ("leaders", "customers") and spec.files:
                raise ValueError(
                    f"groups.{name}.files: the {name}' export is the command's "
                    f"{name.upper()} argument; [groups.{name}] may set label and values"
                )
            if spec.files and spec.values:
                raise ValueError(f"groups.{name}: files or values (of group_column), not both")
            if spec.values and not self.group_column:
                raise ValueError(f"groups.{name}.values: values of which column? set group_column")
        if self.group_column and not (self.values_for("leaders") and self.values_for("customers")):
            raise ValueError(
                "group_column needs leaders_values and customers_values (the values that "
                "mark each group)"
            )
        seen: dict[str, str] = {}
        for name in self.group_names():
            for value in self.values_for(name):
                if value in seen and seen[value] != name:
                    raise ValueError(f"{seen[value]} and {name} values overlap ({value!r})")
                seen[value] = name
        order = self.group_order
        if len(set(order)) != len(order):
            raise ValueError("group_order: a group is named twice")
        if order and (order[0] != "leaders" or order[-1] != "customers"):
            raise ValueError(
                "group_order: runs from leaders (first) to customers (last, the reference "
                "group); name the groups between them in their order"
            )
        seen_pairs: set[frozenset[str]] = set()
        for a, b in self.comparisons or []:
            if a == b:
                raise ValueError(f"comparisons: {a!r} against itself")
            if frozenset((a, b)) in seen_pairs:
                raise ValueError(f"comparisons: {a!r} and {b!r} are compared twice")
            seen_pairs.add(frozenset((a, b)))
        return self

    def group_names(self, given: Iterable[str] = ()) -> list[str]:
        """The groups in order: group_order when set, else leaders, the configured (and
        given) groups, customers."""
        named = [*self.group_order, *self.groups, *given]
        middle = [g for g in dict.fromkeys(named) if g not in ("leaders", "customers")]
        return ["leaders", *middle, "customers"]

    def values_for(self, group: str) -> list[str]:
        """The group_column values that mark a group."""
        spec = self.groups.get(group)
        own = list(spec.values) if spec else []
        if group == "leaders":
            return [*self.leaders_values, *own]
        if group == "customers":
            return [*self.customers_values, *own]
        return own

    def group_label(self, group: str) -> str:
        spec = self.groups.get(group)
        if spec and spec.label:
            return spec.label
        return GROUP_LABELS.get(group, group.replace("_", " "))

    def pairs(self, names: Sequence[str]) -> list[tuple[str, str]]:
        """The comparisons among these groups (in order): configured, else the ends
        first, then each adjacent pair."""
        if self.comparisons:
            unknown = [g for pair in self.comparisons for g in pair if g not in names]
            if unknown:
                raise ConfigError(
                    f"comparisons: unknown group {unknown[0]!r} (the groups: {', '.join(names)})",
                    file=self.source_path,
                )
            backwards = [(a, b) for a, b in self.comparisons if names.index(a) > names.index(b)]
            if backwards:
                a, b = backwards[0]
                raise ConfigError(
                    f"comparisons: [{a!r}, {b!r}] runs backwards: a comparison names the "
                    f"earlier group first ({b!r} before {a!r} in {', '.join(names)}), so "
                    "that a blind spot is where the earlier group rates higher",
                    file=self.source_path,
                )
            return [(a, b) for a, b in self.comparisons]
        ends = [(names[0], names[-1])]
        if len(names) <= 2:
            return ends
        return ends + [(names[k], names[k + 1]) for k in range(len(names) - 1)]

    @model_validator(mode="after")
    def _scales_are_known(self) -> Config:
        custom = self.custom_scales()
        specs = [("scale", self.scale)] + [
            (f"items.{name}.scale", spec.scale) for name, spec in self.items.items() if spec.scale
        ]
        for where, spec in specs:
            try:
                parse_scale(spec, custom)
            except ConfigError as exc:
                raise ValueError(f"{where}: {exc.message}") from None
        return self

    def custom_scales(self) -> dict[str, Scale]:
        """The config's vocabularies as scales, by lower-case name."""
        return {
            name.lower(): vocabulary(name, labels)
            for name, labels in self.vocabularies.items()
            if len(labels) >= 2
        }

    @property
    def weights_named(self) -> bool:
        """Whether a weight column other than the default was named (config or --weights):
        then every group's file must have it. ``none`` (or "") turns weights off."""
        default = type(self).model_fields["weight_column"].default
        return (
            "weight_column" in self.model_fields_set
            and self.weight_column != default
            and not self.weights_off
        )

    def breakdown_columns(self) -> list[str]:
        """The columns analysed by segment: ``segment_columns``, then ``unit_column``."""
        unit = [self.unit_column] if self.unit_column else []
        return [*self.segment_columns, *(u for u in unit if u not in self.segment_columns)]

    def count_keys(self) -> list[str]:
        """The segment keys a count keeps: :meth:`breakdown_columns`, then the rake
        variables (raking needs each as a key of the counts table)."""
        rake = list(self.rake.margins) if self.rake is not None else []
        shown = self.breakdown_columns()
        return [*shown, *(v for v in rake if v not in shown)]

    @property
    def weights_off(self) -> bool:
        """``weight_column = "none"`` (or ""), ``--weights none``: no file is weighted, even
        one with a column named ``weight``."""
        return self.weight_column.strip().lower() in ("", "none")

    @property
    def scale_is_set(self) -> bool:
        """The top-level scale was chosen by the user (config or --scale), not defaulted:
        then it applies to every item the evidence leaves open."""
        return "scale" in self.model_fields_set

    def scale_for(self, item: str) -> Scale:
        spec = self.items.get(item)
        return parse_scale(spec.scale if spec and spec.scale else self.scale, self.custom_scales())

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence_in_range(cls, value: object) -> object:
        """One message for every value out of range, NaN and infinities included."""
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return value
        try:
            number = float(value)
        except ValueError:
            return value
        if not 0.5 < number < 1.0:  # also false for NaN
            raise ValueError(
                f"must lie strictly between 0.5 and 1 (e.g. 0.95), got {value!r}".replace(
                    "got nan", "got NaN"
                )
            )
        return value

    @field_validator("johari_threshold")
    @classmethod
    def _johari_level(cls, value: str | float) -> str | float:
        if isinstance(value, float) and not 0.0 < value < 1.0:  # also false for NaN
            raise ValueError(f"must be 'median' or a share strictly between 0 and 1, got {value!r}")
        return value

    @field_validator("segment_columns")
    @classmethod
    def _segments_are_keys(cls, value: list[str]) -> list[str]:
        """Segment keys name counts-table columns: not one of its own, nor twice."""
        taken = {"group", "item", "wave", "value", "n", "w_sum", "w2_sum"}
        for name in value:
            if name in taken or name.startswith("\x00"):
                raise ValueError(
                    f"{name!r} cannot be a segment key: the counts table has a column of "
                    f"that name; rename the column in a copy of the export"
                )
        if len(set(value)) != len(value):
            raise ValueError("a segment column is named twice")
        return value

    @field_validator("agree")
    @classmethod
    def _agree_is_known(cls, value: str) -> str:
        return _check(AgreeRule.parse, value)

    @property
    def alpha(self) -> float:
        """1 - confidence, rounded to 12 decimals so that 0.95 gives 0.05 exactly as
        printed (not 0.050000000000000044)."""
        return round(1.0 - self.confidence, 12)


#: Settings whose command-line option is not simply --the-key.
