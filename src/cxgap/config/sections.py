"""The sections of the settings: an item's columns, a group, the gate's rules, the theme."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)

from cxgap.errors import ConfigError

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


def possessive(group: str) -> str:
    """ "leaders'" and "frontline's": a group's name as the owner of its file."""
    return group + ("'" if group.endswith("s") else "'s")


def upper_first(text: str) -> str:
    """The text with its first letter in upper case and the rest as written ("NHS staff"
    stays "NHS staff"; str.capitalize would write "Nhs staff")."""
    return text[:1].upper() + text[1:]


#: Names a group cannot take: they are the names of other columns of the outputs.
RESERVED_GROUP_NAMES = frozenset({"gap", "row", "item", "label", "group", "headline", "a", "b"})


def group_name_problem(name: object, *, positional: bool = True) -> str | None:
    """What is wrong with a group's name (None: nothing). ``positional``: leaders and
    customers are taken (they are the command's two files)."""
    if not isinstance(name, str) or not re.match(GROUP_NAME, name):
        return (
            f"{name!r} is not a group name (lower-case letters, digits and _, starting with "
            "a letter, e.g. frontline)"
        )
    if name in RESERVED_GROUP_NAMES:
        return f"{name!r} cannot name a group: it names a column of the outputs"
    if positional and name in ("leaders", "customers"):
        return f"the {name} group is given twice (it is the command's {name.upper()} file)"
    return None


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
    max_nps_drop: float | None = Field(
        None,
        ge=0,
        description="Customers' NPS (each NPS item) must not fall by more than this many "
        "points vs the baseline.",
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
#: Colours of groups beyond leaders, frontline and customers, in turn: Okabe-Ito sky blue
#: and black, then Tol's wine and teal (readable as text on white, apart from the
#: group and flag colours).
SPARE_COLORS = ("#56B4E9", "#000000", "#882255", "#44AA99")


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

    def color_for(self, group: str, groups: Sequence[str] = ()) -> str:
        """One colour per group everywhere: configured (``group_colors``, then the three
        named groups'), else the next spare colour in the order of ``groups`` (the
        analysis's groups), so two groups never share one."""
        if group in self.group_colors:
            return self.group_colors[group]
        fixed = {"leaders": self.leaders_color, "customers": self.customers_color,
                 "frontline": self.frontline_color}  # fmt: skip
        if group in fixed:
            return fixed[group]
        others = [g for g in dict.fromkeys([*groups, group])
                  if g not in fixed and g not in self.group_colors]  # fmt: skip
        return SPARE_COLORS[others.index(group) % len(SPARE_COLORS)]

    def source_for(self, labels: Sequence[str]) -> str:
        """The footnote's source line: as configured, else naming the surveys of these
        groups ("Source: leader and customer surveys ..." for two)."""
        if "source" in self.model_fields_set or len(labels) <= 2:
            return self.source
        surveys = ", ".join(labels[:-1]) + " and " + labels[-1]
        return f"Source: surveys of {surveys}, analysed with cxgap"

    def palette(self, groups: Sequence[str]) -> dict[str, str]:
        """Each of these groups' colour (see :meth:`color_for`)."""
        return {g: self.color_for(g, groups) for g in groups}
