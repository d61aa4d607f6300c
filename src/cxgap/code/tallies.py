"""One group's coded counts on one item: what every comparison starts from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from cxgap.code.answers import ItemCoding
from cxgap.scales import AgreeRule


@dataclass(frozen=True)
class GroupCounts:
    """One group's counts on one item: answers per code, non-answers, agree rule."""

    distribution: list[int]
    missing: int
    codes: list[int]
    agree_from: int

    @property
    def n(self) -> int:
        return sum(self.distribution)

    @property
    def agree(self) -> int:
        return sum(
            c
            for code, c in zip(self.codes, self.distribution, strict=True)
            if code >= self.agree_from
        )

    @property
    def mean(self) -> float | None:
        n = self.n
        if n == 0:
            return None
        return sum(code * c for code, c in zip(self.codes, self.distribution, strict=True)) / n


#: No answers at all (a group without answers in a wave, or a composite over no items).
EMPTY = GroupCounts(distribution=[0, 0], missing=0, codes=[0, 1], agree_from=1)


def group_counts(
    coded: pl.DataFrame, codings: Sequence[ItemCoding], rule: AgreeRule, groups: Sequence[str]
) -> dict[str, list[GroupCounts]]:
    """Each group's counts on each item (in coding order) from coded counts (group, item,
    code, n; see :func:`cxgap.code.coding.code_counts`), pooled over anything else."""
    pooled = coded.group_by("group", "item", "code").agg(pl.col("n").sum())
    lookup: dict[tuple[str, str, int | None], int] = {
        (g, i, c): int(n) for g, i, c, n in pooled.iter_rows()
    }
    out: dict[str, list[GroupCounts]] = {g: [] for g in groups}
    for coding in codings:
        codes = list(coding.scale.codes)
        agree_from = rule.threshold(coding.scale, coding.item)
        for group, found in out.items():
            found.append(
                GroupCounts(
                    distribution=[lookup.get((group, coding.item, code), 0) for code in codes],
                    missing=lookup.get((group, coding.item, None), 0),
                    codes=codes,
                    agree_from=agree_from,
                )
            )
    return out
