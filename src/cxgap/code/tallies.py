"""One group's coded counts on one item: what every comparison starts from."""

from __future__ import annotations

from dataclasses import dataclass


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
