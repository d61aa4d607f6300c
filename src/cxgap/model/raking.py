"""Raking results: how a group's weights were raked to population margins, and the check
of every margin category against its target after raking."""

from __future__ import annotations

from pydantic import Field

from cxgap.model.common import _Model


class MarginResult(_Model):
    """One margin category after raking (per wave when the data have waves)."""

    wave: str | None
    variable: str
    category: str
    target: float = Field(description="The category's target total (shares scaled).")
    achieved: float = Field(description="Its raked weight total.")
    difference: float = Field(description="achieved - target.")


class RakeReport(_Model):
    """A group raked to margins (iterative proportional fitting; see the README)."""

    group: str
    variables: list[str]
    sweeps: dict[str, int] = Field(
        description="Sweeps over the margins per wave (key '' when the data have no waves)."
    )
    unchanged: bool = Field(description="Every factor is 1: the sample already matched.")
    largest_miss: float = Field(
        description="The largest |achieved - target| over every margin category, relative to "
        "its target (0 when every target is met; trimming leaves a miss)."
    )
    margins: list[MarginResult]
    notes: list[str]
