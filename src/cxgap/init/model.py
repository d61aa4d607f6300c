"""What ``cxgap init`` proposes, as typed results (one object per column and per pair,
never per row)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: How a pair was found: the same column id, a close wording of the question texts, or
#: both texts matching one item of the bank.
Method = Literal["id", "wording", "bank"]
#: Why a column is in no pair.
LeftOutKind = Literal["not an item", "no partner", "scale mismatch"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExportColumn(_Frozen):
    """One column of one group's export, as the read and code stages see it."""

    group: str
    name: str
    text: str = Field(
        "", description="The question's text, where the export has one besides the name."
    )
    item: bool
    scale: str | None = Field(None, description="The scale the code stage decided (items).")
    points: int | None = None
    scale_source: str | None = Field(None, description="How the scale was decided.")
    low: int | None = Field(None, description="The scale's lowest code (items).")
    high: int | None = Field(None, description="The scale's highest code (items).")
    reason: str = Field("", description="Why it is not an item.")

    @property
    def wording(self) -> str:
        """The question as written: its text, else its name (Google and Microsoft Forms
        head columns with the question)."""
        return self.text or self.name


class Member(_Frozen):
    """A column of a further group (frontline) matched to a pair."""

    group: str
    column: str
    confidence: float = Field(ge=0, le=1)
    method: Method
    evidence: list[str]
    accepted: bool
    text: str = Field("", description="The column's question text, where it has one.")


class ProposedPair(_Frozen):
    """Two groups' columns proposed as one item."""

    item: str = Field(description="The item's name in the written config.")
    label: str | None = Field(
        None,
        description="What tables show: the bank item's label, or the question where the "
        "item's name is made up.",
    )
    bank_item: str | None = Field(None, description="The bank item both texts match.")
    columns: dict[str, str] = Field(description="The column in each of the two groups' files.")
    confidence: float = Field(ge=0, le=1)
    method: Method
    evidence: list[str] = Field(description="What speaks for the pair, and what against it.")
    scale: str | None = Field(None, description="The scale both columns share, if one.")
    set_scale: str | None = Field(
        None,
        description="A scale init decided for the item (a range of answers that lies within "
        "the other's, a 0-10 recommend question): written as the item's scale.",
    )
    texts: dict[str, str] = Field(
        default_factory=dict,
        description="Each group's question text, where its export has one besides the id.",
    )
    accepted: bool = Field(description="At or above the threshold: written as a live entry.")
    others: list[Member] = Field(default_factory=list)


class LeftOut(_Frozen):
    """A column in no pair, and why."""

    group: str
    column: str
    kind: LeftOutKind
    reason: str


class PairProposal(_Frozen):
    """How the items of the groups' exports pair up."""

    groups: list[str] = Field(description="The groups in order; the first two are paired.")
    files: dict[str, str]
    threshold: float
    pairs: list[ProposedPair] = Field(description="Most confident first.")
    left_out: list[LeftOut]
    headline_item: str | None = None
    nps_items: list[str] = Field(default_factory=list)

    @property
    def accepted(self) -> list[ProposedPair]:
        return [p for p in self.pairs if p.accepted]
