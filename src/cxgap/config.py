"""Configuration: pydantic models, and where they are found.

Settings come from, in rising precedence: the defaults below, a ``cxgap.toml``
(or ``[tool.cxgap]`` in ``pyproject.toml``) found in the working directory or a
parent, an explicit ``--config`` file, and CLI flags.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from cxgap.errors import ConfigError
from cxgap.scales import AgreeRule, Scale, parse_scale, vocabulary

#: Column names taken as the respondent id when ``id_column`` is not set.
ID_COLUMN_CANDIDATES = ("respondent_id", "ResponseId", "Respondent ID", "respondent", "id", "ID")


def _check(parse: Callable[[str], object], value: str) -> str:
    """Run a parser as a pydantic validator, so its message names the key."""
    try:
        parse(value)
    except ConfigError as exc:
        raise ValueError(exc.message) from None
    return value


class ItemSpec(BaseModel):
    """How one item is found in each file and read."""

    model_config = ConfigDict(extra="forbid")

    leaders: str | None = Field(
        None, description="Column in the leaders' file (default: the item name)."
    )
    customers: str | None = Field(
        None, description="Column in the customers' file (default: the item name)."
    )
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Column per other group, e.g. {frontline = 'Q7'} (default: the item name).",
    )
    scale: str | None = Field(None, description="Scale for this item, e.g. '1-7' or 'agreement-5'.")
    label: str | None = Field(None, description="The item's wording, shown in tables and charts.")

    def column_for(self, group: str) -> str | None:
        """The item's column in this group's file, when the config names one."""
        if group == "leaders" and self.leaders:
            return self.leaders
        if group == "customers" and self.customers:
            return self.customers
        return self.columns.get(group)


#: Group names as readers see them, where the name alone reads badly.
GROUP_LABELS = {"frontline": "frontline staff"}

GROUP_NAME = r"^[a-z][a-z0-9_]{0,31}$"


class GroupSpec(BaseModel):
    """One group of respondents ([groups.NAME] in cxgap.toml)."""

    model_config = ConfigDict(extra="forbid")

    files: list[str] = Field(
        default_factory=list,
        description="The group's export(s), relative to the config file (several: one per wave).",
    )
    values: list[str] = Field(
        default_factory=list, description="Values of group_column that mark this group."
    )
    label: str | None = Field(None, description="How readers see the group named.")


class CheckRules(BaseModel):
    """Rules of ``cxgap check`` ([check] in cxgap.toml, [tool.cxgap.check] in pyproject)."""

    model_config = ConfigDict(extra="forbid")

    max_gap_pp: float | None = Field(
        None, ge=0, description="The gap must not exceed this many percentage points."
    )
    max_drop_pp: float | None = Field(
        None, ge=0, description="Customers' share must not fall by more than this vs the baseline."
    )
    max_gap_widening_pp: float | None = Field(
        None, ge=0, description="The gap must not widen by more than this vs the baseline."
    )
    min_n: int = Field(
        30, ge=1, description="A group with fewer valid answers makes a rule inconclusive."
    )
    require_significance: bool = Field(
        True,
        description="Fail only when the breach is significant after Holm adjustment; "
        "a breach within noise is a warning.",
    )
    alpha: float | None = Field(
        None, gt=0, lt=1, description="Significance level; default 1 - confidence."
    )
    scope: Literal["headline", "all"] | list[str] = Field(
        "headline", description="'headline', 'all' (headline and every item), or item names."
    )


HEX = r"^#[0-9A-Fa-f]{6}$"


class Theme(BaseModel):
    """Chart and deck styling ([theme] in cxgap.toml, [tool.cxgap.theme] in pyproject).

    Defaults come from the Okabe-Ito colour-blind-safe palette; one colour means
    one group everywhere.
    """

    model_config = ConfigDict(extra="forbid")

    leaders_color: str = Field("#0072B2", pattern=HEX, description="Leaders (blue).")
    customers_color: str = Field("#E69F00", pattern=HEX, description="Customers (orange).")
    frontline_color: str = Field("#CC79A7", pattern=HEX, description="Frontline (purple).")
    group_colors: dict[str, str] = Field(
        default_factory=dict, description="Colours of other groups, by name ('#RRGGBB')."
    )
    blind_spot_color: str = Field("#D55E00", pattern=HEX, description="Blind spots.")
    hidden_strength_color: str = Field("#009E73", pattern=HEX, description="Hidden strengths.")
    muted_color: str = Field("#999999", pattern=HEX, description="Not significant.")
    text_color: str = Field("#222222", pattern=HEX, description="Text.")
    brand_color: str = Field("#0072B2", pattern=HEX, description="Title bar of slides.")
    font_family: str = Field("DejaVu Sans", description="Font for charts and decks.")
    logo: str | None = Field(None, description="PNG logo placed top right of charts and slides.")
    source: str = Field(
        "Source: leader and customer surveys, analysed with cxgap",
        description="First words of every chart's footnote.",
    )
    organisation: str | None = Field(None, description="Shown on the deck's title slide.")

    @field_validator("group_colors")
    @classmethod
    def _colors_are_hex(cls, value: dict[str, str]) -> dict[str, str]:
        for name, color in value.items():
            if not re.match(HEX, color):
                raise ValueError(f"{name}: {color!r} is not a colour like '#CC79A7'")
        return value

    def color_for(self, group: str) -> str:
        """One colour per group everywhere: configured, else the Okabe-Ito palette."""
        if group in self.group_colors:
            return self.group_colors[group]
        fixed = {"leaders": self.leaders_color, "customers": self.customers_color,
                 "frontline": self.frontline_color}  # fmt: skip
        if group in fixed:
            return fixed[group]
        spare = ("#56B4E9", "#F0E442", "#000000")
        return spare[sum(map(ord, group)) % len(spare)]


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
        description="For one export that both groups answered: the column that tells "
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
    weight_column: str = Field("weight", description="Weight column, used when present.")
    segment_columns: list[str] = Field(default_factory=list, description="Segment columns.")
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
    agree: str = Field("top2", description="Agree rule: 'top-box', 'top2', 'top3' or '>=N'.")
    confidence: float = Field(
        0.95,
        gt=0.5,
        lt=1.0,
        description="Confidence level of intervals, strictly between 0.5 and 1 (e.g. 0.95).",
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
    theme: Theme = Field(default_factory=Theme, description="Chart and deck styling.")

    vocabularies: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Your own label scales: name -> labels from most negative to most "
        "positive, e.g. helpful = ['Extremely unhelpful', ..., 'Extremely helpful'].",
    )

    @model_validator(mode="after")
    def _groups_are_complete(self) -> Config:
        for name in self.groups:
            if not re.match(GROUP_NAME, name):
                raise ValueError(
                    f"groups: {name!r} is not a group name (lower-case letters, digits and _, "
                    "starting with a letter)"
                )
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
        if len(set(self.group_order)) != len(self.group_order):
            raise ValueError("group_order: a group is named twice")
        for a, b in self.comparisons or []:
            if a == b:
                raise ValueError(f"comparisons: {a!r} against itself")
        return self

    def group_names(self, given: Iterable[str] = ()) -> list[str]:
        """The groups in order: group_order when set, else leaders, the configured (and
        given) groups, customers."""
        named = [*self.groups, *given]
        if self.group_order:
            return [*self.group_order, *(g for g in dict.fromkeys(named) if g not in
                                         self.group_order)]  # fmt: skip
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

    @field_validator("agree")
    @classmethod
    def _agree_is_known(cls, value: str) -> str:
        return _check(AgreeRule.parse, value)

    def with_data(self, data: dict[str, Any]) -> Config:
        """These settings with ``data`` on top (checked as flags are), still knowing the
        file they came from (relative group files are read from its folder)."""
        found = build_config({**self.model_dump(exclude_unset=True), **data}, "command line")
        found._source_path = self._source_path
        return found

    @property
    def alpha(self) -> float:
        """1 - confidence, rounded to 12 decimals so that 0.95 gives 0.05 exactly as
        printed (not 0.050000000000000044)."""
        return round(1.0 - self.confidence, 12)


#: Settings whose command-line option is not simply --the-key.
_FLAG_NAMES = {
    "leaders_values": "--leaders-value",
    "customers_values": "--customers-value",
    "include_items": "--include",
    "exclude_items": "--exclude",
}


def _flag(key: str) -> str:
    return _FLAG_NAMES.get(key, "--" + key.replace("_", "-"))


def _key_of(err: Any) -> str:
    """The setting an error is about: its location, or for a whole-config check the
    'key:' its message starts with."""
    if err["loc"]:
        return str(err["loc"][0])
    head = str(err["msg"]).removeprefix("Value error, ").split(":", 1)[0]
    return head if head.isidentifier() else ""


def _format_validation(exc: ValidationError, flags: frozenset[str] = frozenset()) -> str:
    """One line per problem, each naming its key, or its option when ``flags`` (the
    keys given on the command line) holds it."""
    problems = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if _key_of(err) in flags:
            key = _flag(_key_of(err))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown setting"
        elif err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        if not err["loc"] and _key_of(err) in flags:  # "scale: ..." said once
            msg = msg.split(":", 1)[1].strip()
        problems.append(f"{key}: {msg}")
    return "; ".join(problems)


def build_config(
    data: dict[str, Any],
    source: str | Path | None = None,
    *,
    flags: frozenset[str] = frozenset(),
) -> Config:
    """Validate a mapping of settings; errors name the file and the key, or the
    command-line option when the value came from one (a key in ``flags``)."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        from_flags = all(_key_of(e) in flags for e in exc.errors())
        raise ConfigError(
            _format_validation(exc, flags), file=None if from_flags else source
        ) from None


def read_config_file(path: Path) -> dict[str, Any]:
    """Settings from a cxgap.toml (top level) or pyproject.toml ([tool.cxgap])."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config file not found", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=path) from None
    if path.name == "pyproject.toml":
        tool = raw.get("tool", {})
        section = tool.get("cxgap", {}) if isinstance(tool, dict) else {}
        return dict(section) if isinstance(section, dict) else {}
    # A cxgap.toml may also nest its settings under [tool.cxgap].
    tool = raw.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("cxgap"), dict):
        return dict(tool["cxgap"])
    return raw


def find_config_file(start: Path) -> Path | None:
    """The nearest cxgap.toml, or pyproject.toml with [tool.cxgap], from start upward."""
    for folder in (start, *start.parents):
        candidate = folder / "cxgap.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                has_section = "cxgap" in tomllib.loads(pyproject.read_text("utf-8")).get("tool", {})
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                has_section = False
            if has_section:
                return pyproject
        if (folder / ".git").exists():
            break
    return None


def load_config(
    path: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    *,
    search_from: Path | None = None,
) -> Config:
    """The effective config; the file it came from is its ``source_path`` (None for
    defaults only).

    ``overrides`` (CLI flags) win over the file; ``None`` values are ignored.
    """
    source: Path | None
    if path is not None:
        source = Path(path)
        data = read_config_file(source)
    else:
        source = find_config_file(search_from or Path.cwd())
        data = read_config_file(source) if source else {}
    given = {key: value for key, value in (overrides or {}).items() if value is not None}
    data.update(given)
    config = build_config(data, source, flags=frozenset(given))
    config._source_path = source
    return config
