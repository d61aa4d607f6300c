"""The result of ``cxgap validate``: every problem found, and each item's scale."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

if TYPE_CHECKING:
    pass

from cxgap.model.common import _Model


class Example(_Model):
    row: int | None
    value: str | None


class Problem(_Model):
    """One kind of problem in one file (and column), with how often it occurs."""

    code: str = Field(description="Stable code from the error catalogue, e.g. 'off-scale'.")
    severity: Literal["error", "warning"]
    file: str | None
    column: str | None
    count: int = Field(description="How many cells, rows or columns it affects.")
    message: str
    examples: list[Example] = Field(default_factory=list, description="The first few.")


class ItemScale(_Model):
    """The scale chosen for one item of one file, and why."""

    file: str
    item: str
    column: str
    scale: str
    source: Literal["config", "metadata", "labels", "observed range"]
    reason: str


class ValidationReport(_Model):
    """Everything ``cxgap validate`` found."""

    schema_version: Literal[1] = 1
    kind: Literal["validate"] = "validate"
    cxgap_version: str
    valid: bool = Field(description="No errors (warnings allowed).")
    files: list[str]
    errors: int
    warnings: int
    problems: list[Problem]
    scales: list[ItemScale] = Field(
        default_factory=list, description="Each item's scale, and why (one per file and item)."
    )
