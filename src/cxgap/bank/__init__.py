"""The paired item bank: survey items worded for each group, under the themes where
customer experience is known to break.

The bank is data (``items.toml`` beside this module, versioned by ``bank_version``),
validated here: every item has its customers', its leaders' (a self-assessment and a
prediction, kept apart) and its frontline staff's wording, a theme that names its
published source, and a scale cxgap knows. A user's own bank file is read and checked
the same way (:func:`load_bank`).
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cxgap.errors import ConfigError

#: Who answers a wording.
Audience = Literal["customers", "leaders", "frontline"]
#: The kind of a leaders' wording: "We do X" or "Our customers would say we do X".
Kind = Literal["self", "prediction"]

_ID = r"^[a-z][a-z0-9_]*$"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
#: How a prediction starts (a self-assessment never does).
_PREDICTS = ("our customers would", "how likely would our customers")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Theme(_Strict):
    """A place where customer experience breaks, and where the idea comes from."""

    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    source: str = Field(min_length=1, description="The published work the theme comes from.")


class BankItem(_Strict):
    """One item, worded for every group."""

    id: str = Field(pattern=_ID, description="The item's name: the column name exports get.")
    theme: str
    label: str = Field(min_length=1, max_length=60, description="Short and neutral, for tables.")
    scale: str = Field("agreement-5", description="A vocabulary name or a range (0-10).")
    headline: bool = Field(False, description="The overall verdict (headline_item).")
    nps: bool = Field(False, description="The likelihood to recommend (nps_items).")
    customers: str = Field(min_length=1)
    leaders_self: str = Field(min_length=1, description="A self-assessment: 'We ...'.")
    leaders_prediction: str = Field(
        min_length=1, description="A prediction: 'Our customers would say ...'."
    )
    frontline: str = Field(min_length=1)

    @field_validator("customers", "leaders_self", "leaders_prediction", "frontline")
    @classmethod
    def _placeholders(cls, text: str) -> str:
        unknown = [p for p in _PLACEHOLDER.findall(text) if p != "company"]
        if unknown:
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}: only {{company}} is filled in")
        return " ".join(text.split())

    @model_validator(mode="after")
    def _kinds_apart(self) -> BankItem:
        if self.nps:
            return self  # a leader can only predict customers' likelihood to recommend
        if self.leaders_self.lower().startswith(_PREDICTS):
            raise ValueError(f"{self.id}: leaders_self is worded as a prediction")
        if not self.leaders_prediction.lower().startswith(_PREDICTS):
            raise ValueError(
                f"{self.id}: leaders_prediction must say what customers would "
                "('Our customers would say ...')"
            )
        return self

    def wording(self, audience: Audience, kind: Kind = "self", company: str = "") -> str:
        """The item as ``audience`` reads it, with ``{company}`` filled in."""
        if audience == "leaders":
            text = self.leaders_self if kind == "self" else self.leaders_prediction
        else:
            text = self.customers if audience == "customers" else self.frontline
        return text.replace("{company}", company or "the organisation")


class Bank(_Strict):
    """The item bank: themes and items, checked as a whole."""

    bank_version: Literal[1]
    language: str = Field(min_length=2)
    themes: dict[str, Theme]
    items: list[BankItem]

    @model_validator(mode="after")
    def _whole(self) -> Bank:
        ids = [i.id for i in self.items]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"item ids must be unique: {', '.join(twice)}")
        unknown = sorted({i.theme for i in self.items} - set(self.themes))
        if unknown:
            raise ValueError(f"items name unknown themes: {', '.join(unknown)}")
        empty = sorted(set(self.themes) - {i.theme for i in self.items})
        if empty:
            raise ValueError(f"themes without items: {', '.join(empty)}")
        if sum(i.headline for i in self.items) > 1 or sum(i.nps for i in self.items) > 1:
            raise ValueError("at most one headline item and one NPS item")
        from cxgap.scales import parse_scale

        for item in self.items:
            try:
                parse_scale(item.scale)
            except ConfigError as exc:
                raise ValueError(f"{item.id}: {exc.message}") from None
        return self

    def item(self, name: str) -> BankItem:
        return next(i for i in self.items if i.id == name)

    def of_themes(self, themes: list[str] | None = None) -> list[BankItem]:
        """The items of ``themes`` (every theme when None), in bank order, with the
        headline and NPS items always included."""
        if themes is None:
            return list(self.items)
        unknown = [t for t in themes if t not in self.themes]
        if unknown:
            raise ConfigError(
                f"unknown theme(s) {', '.join(unknown)}: the bank has " + ", ".join(self.themes)
            )
        return [i for i in self.items if i.theme in themes or i.headline or i.nps]


def load_bank(path: str | Path | None = None) -> Bank:
    """The bank of a TOML file (default: cxgap's own ``items.toml``), validated; a file
    that is not a valid bank is a config error naming it and the first problem."""
    name = str(path) if path is not None else "cxgap's item bank"
    try:
        if path is None:
            text = resources.files("cxgap.bank").joinpath("items.toml").read_text("utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return Bank.model_validate(tomllib.loads(text))
    except OSError as exc:
        raise ConfigError(f"cannot read the item bank: {exc.strerror}", file=name) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the item bank is not valid TOML: {exc}", file=name) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"the item bank is not valid: {where}: {first['msg']}", file=name
        ) from None


__all__ = ["Audience", "Bank", "BankItem", "Kind", "Theme", "load_bank"]
