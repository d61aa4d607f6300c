"""One group's coded counts on one item: what every comparison starts from."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from cxgap.code.answers import ItemCoding
from cxgap.counts_table import WEIGHT_SUMS
from cxgap.scales import AgreeRule
from cxgap.stats.design import DesignMean, share_from_cells


@dataclass(frozen=True)
class GroupCounts:
    """One group's counts on one item: answers per code, non-answers, agree rule.

    A weighted group also carries, per code, the sum of its respondents' weights
    (``w_distribution``) and of their squared weights (``w2_distribution``); both are None
    for an unweighted group (every weight 1), whose statistics stay the unweighted ones."""

    distribution: list[int]
    missing: int
    codes: list[int]
    agree_from: int
    w_distribution: list[float] | None = None
    w2_distribution: list[float] | None = None
    #: the share's design-based estimate when it is not the weights-only one (a raked
    #: group's: R's svymean on the raked design)
    design_override: DesignMean | None = None

    @property
    def n(self) -> int:
        return sum(self.distribution)

    @property
    def n_all(self) -> int:
        """Everyone in the group's file who could have answered: the answered and the
        non-answers (R's domain estimation keeps them all in its n / (n - 1))."""
        return self.n + self.missing

    @property
    def weighted(self) -> bool:
        return self.w_distribution is not None and self.w2_distribution is not None

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
        if self.w_distribution is not None:
            w = sum(self.w_distribution)
            if w <= 0.0:
                return None
            pairs = zip(self.codes, self.w_distribution, strict=True)
            return sum(code * wc for code, wc in pairs) / w
        return sum(code * c for code, c in zip(self.codes, self.distribution, strict=True)) / n

    def design(self) -> DesignMean:
        """The agree share as a design-based mean (R survey's svymean with na.rm = TRUE):
        weighted from the weight sums, or with weights of 1 when unweighted; a raked
        group's as its raked design gives it."""
        if self.design_override is not None:
            return self.design_override
        w = self.w_distribution or [float(c) for c in self.distribution]
        w2 = self.w2_distribution or [float(c) for c in self.distribution]
        cells = (
            (code >= self.agree_from, n, wc, w2c)
            for code, n, wc, w2c in zip(self.codes, self.distribution, w, w2, strict=True)
        )
        return share_from_cells(cells, self.n_all)


#: No answers at all (a group without answers in a wave, or a composite over no items).
EMPTY = GroupCounts(distribution=[0, 0], missing=0, codes=[0, 1], agree_from=1)


#: One cell of coded counts: respondents, and the sums of their weights and squared weights.
Cell = tuple[int, float, float]
#: A cell's key: group, item and code (None for non-answers), after any other keys.
CellKey = tuple[str | int | None, ...]


def coded_cells(coded: pl.DataFrame, by: Sequence[str] = ()) -> dict[CellKey, Cell]:
    """Coded counts pooled over anything else, keyed by ``by``'s values, then group, item
    and code (None for non-answers)."""
    pooled = coded.group_by(*by, "group", "item", "code").agg(pl.col("n").sum(), *WEIGHT_SUMS)
    return {
        tuple(row[:-3]): (int(row[-3]), float(row[-2]), float(row[-1]))
        for row in pooled.iter_rows()
    }


def group_counts(
    lookup: Mapping[CellKey, Cell],
    codings: Sequence[ItemCoding],
    rule: AgreeRule,
    groups: Sequence[str],
    weighted: Collection[str] = (),
    designs: Mapping[tuple[str, str], DesignMean] | None = None,
) -> dict[str, list[GroupCounts]]:
    """Each group's counts on each item (in coding order) from coded counts pooled into
    cells keyed (group, item, code) (see :func:`coded_cells` and
    :func:`cxgap.code.coding.code_counts`); the ``weighted`` groups' with their weight
    sums."""
    none = (0, 0.0, 0.0)
    out: dict[str, list[GroupCounts]] = {g: [] for g in groups}
    for coding in codings:
        codes = list(coding.scale.codes)
        agree_from = rule.threshold(coding.scale, coding.item)
        for group, found in out.items():
            cells = [lookup.get((group, coding.item, code), none) for code in codes]
            heavy = group in weighted
            found.append(
                GroupCounts(
                    distribution=[n for n, _, _ in cells],
                    missing=lookup.get((group, coding.item, None), none)[0],
                    codes=codes,
                    agree_from=agree_from,
                    w_distribution=[w for _, w, _ in cells] if heavy else None,
                    w2_distribution=[w2 for _, _, w2 in cells] if heavy else None,
                    design_override=(designs or {}).get((group, coding.item)),
                )
            )
    return out


#: The composite tally's weighted columns (Float64): weight sums of the answered and of
#: those who agree, and the same of squared weights.
TALLY_WEIGHTS = ("w_n", "w_agree", "w2_n", "w2_agree")


def tally_counts(
    n: int,
    agree: int,
    missing: int,
    weights: Sequence[float | None] | None = None,
) -> GroupCounts:
    """A composite headline's counts from its tally: respondents who answered (n), who agree
    on at least half of what they answered, who answered nothing; ``weights`` the tally's
    (w_n, w_agree, w2_n, w2_agree) for a weighted group (None, or any of them null: the
    counts are unweighted)."""
    dist = [n - agree, agree]
    if weights is None or any(w is None for w in weights):
        return GroupCounts(dist, missing, [0, 1], 1)
    w_n, w_agree, w2_n, w2_agree = (float(w or 0.0) for w in weights)
    w_dist, w2_dist = [w_n - w_agree, w_agree], [w2_n - w2_agree, w2_agree]
    return GroupCounts(dist, missing, [0, 1], 1, w_dist, w2_dist)


def tally_weights(tallies: pl.DataFrame) -> list[pl.Expr]:
    """The weighted columns of a composite tally to select beside n, agree and missing:
    the tally's own, or nulls where an older tally (a counts file, the row pass) has none."""
    return [
        pl.col(c) if c in tallies.columns else pl.lit(None, dtype=pl.Float64).alias(c)
        for c in TALLY_WEIGHTS
    ]
