"""The raking spec: population margins per variable, as a margins.toml or ``[rake]``."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: How far from 1 a margin's shares may sum.
SHARES_SUM_TOLERANCE = 1e-6
#: How far apart (relative) the margins' totals may be.
TOTALS_TOLERANCE = 1e-6


class RakeMargin(BaseModel):
    """One variable's population targets: a share or a total per category.

    In TOML the categories are the table's keys, beside an optional ``kind``
    (``"shares"``, the default, or ``"totals"``), so ``kind`` cannot name a category."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["shares", "totals"] = Field(
        "shares", description="'shares' (summing to 1) or 'totals' (population counts)."
    )
    targets: dict[str, float] = Field(description="The target per category label.")

    @model_validator(mode="before")
    @classmethod
    def _categories_are_keys(cls, data: Any) -> Any:
        """``{kind = ..., North = 0.4, ...}`` as ``{kind, targets = {North = 0.4, ...}}``."""
        if isinstance(data, dict) and "targets" not in data:
            rest = {k: v for k, v in data.items() if k != "kind"}
            shaped: dict[str, Any] = {"targets": rest}
            if "kind" in data:
                shaped["kind"] = data["kind"]
            return shaped
        return data

    @field_validator("targets", mode="before")
    @classmethod
    def _numbers_only(cls, value: Any) -> Any:
        """Targets are numbers as written: text such as "0.4" is a mistake, not a share."""
        if isinstance(value, dict):
            for name, target in value.items():
                if isinstance(target, bool) or not isinstance(target, int | float):
                    raise ValueError(f"{name!r}: expected a number, got {target!r}")
        return value

    @model_validator(mode="after")
    def _targets_are_valid(self) -> RakeMargin:
        if not self.targets:
            raise ValueError("no categories: give a target per category, e.g. North = 0.4")
        word = "share" if self.kind == "shares" else "total"
        for name, target in self.targets.items():
            if not math.isfinite(target):
                raise ValueError(f"the {word} of {name!r} is not a finite number ({target})")
            if target < 0.0:
                raise ValueError(f"the {word} of {name!r} is negative ({target})")
        total = math.fsum(self.targets.values())
        if self.kind == "shares" and abs(total - 1.0) > SHARES_SUM_TOLERANCE:
            raise ValueError(
                f"the shares sum to {total:.10g}, not 1 (within {SHARES_SUM_TOLERANCE:g}); "
                'for population counts set kind = "totals"'
            )
        if total <= 0.0:
            raise ValueError("the totals sum to 0; expected positive population counts")
        return self

    @property
    def total(self) -> float:
        return math.fsum(self.targets.values())


class RakeSpec(BaseModel):
    """Raking to population margins ([rake] in cxgap.toml or a margins.toml).

    Each margin is a segment key of the counts table. Shares scale to
    ``population_total`` when set, else to the total of the margins given as totals,
    else to the sample's own total weight (per wave)."""

    model_config = ConfigDict(extra="forbid")

    tolerance: float = Field(
        1e-10,
        gt=0.0,
        lt=1.0,
        description="Stop when a sweep changes no cell's weight total by this fraction of the "
        "sample's total weight or more (R survey::rake's rule for epsilon < 1).",
    )
    max_iterations: int = Field(
        100, ge=1, le=100_000, description="Most sweeps over the margins before giving up."
    )
    cap: float | None = Field(
        None,
        gt=1.0,
        description="Trim weights above cap x the mean weight after raking, spreading the "
        "excess evenly over the others (survey::trimWeights, strict).",
    )
    population_total: float | None = Field(
        None, gt=0.0, description="The population's size, for margins given as shares."
    )
    margins: dict[str, RakeMargin] = Field(
        description="Targets per variable, e.g. [rake.margins.region] North = 0.4 ..."
    )

    @field_validator("cap", "population_total", "tolerance")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value}")
        return value

    @model_validator(mode="after")
    def _margins_agree(self) -> RakeSpec:
        if not self.margins:
            raise ValueError("margins: none given; add e.g. [rake.margins.region]")
        totals = {v: m.total for v, m in self.margins.items() if m.kind == "totals"}
        if self.population_total is not None:
            totals = {"population_total": self.population_total, **totals}
        if totals:
            low, high = min(totals.values()), max(totals.values())
            if high - low > TOTALS_TOLERANCE * high:
                listed = ", ".join(f"{k} {t:.10g}" for k, t in totals.items())
                raise ValueError(
                    f"margins: the population totals differ ({listed}); every margin must "
                    "add up to the same population"
                )
        return self

    def population(self) -> float | None:
        """The population total the targets describe (None: shares of the sample's total)."""
        if self.population_total is not None:
            return self.population_total
        for margin in self.margins.values():
            if margin.kind == "totals":
                return margin.total
        return None

    def totals(self, sample_total: float) -> dict[str, dict[str, float]]:
        """Each margin's target totals, shares scaled to :meth:`population` (or to
        ``sample_total`` when no population size is given)."""
        size = self.population()
        scale = sample_total if size is None else size
        return {
            variable: (
                dict(margin.targets)
                if margin.kind == "totals"
                else {c: share * scale for c, share in margin.targets.items()}
            )
            for variable, margin in self.margins.items()
        }
