"""Findings: the flagged items of each comparison, and what they say in sentences."""

from __future__ import annotations

from collections.abc import Sequence

from cxgap.config import Config
from cxgap.config.sections import upper_first
from cxgap.model import Comparison, ComparisonFindings, Findings, ItemResult


def findings_of(items: Sequence[ItemResult], pairs: list[tuple[str, str]], cfg: Config) -> Findings:
    """Per comparison, the blind spots and hidden strengths (largest gap first); with
    more than two groups, a sentence per comparison on where the groups part most."""
    per: list[ComparisonFindings] = []
    for k, (a, b) in enumerate(pairs):
        flagged = [(i, i.comparisons[k]) for i in items if i.comparisons[k].flag is not None]
        blind = sorted((x for x in flagged if x[1].flag == "blind_spot"), key=_gap_desc)
        hidden = sorted((x for x in flagged if x[1].flag == "hidden_strength"), key=_gap_asc)
        per.append(
            ComparisonFindings(
                a=a,
                b=b,
                blind_spots=[i.item for i, _ in blind],
                hidden_strengths=[i.item for i, _ in hidden],
            )
        )
    order = list(items[0].groups) if items else []
    summary = (
        [_sentence(items, k, pair, order, cfg) for k, pair in enumerate(pairs)]
        if len(order) > 2
        else []
    )
    return Findings(
        rule=f"adjusted p < {cfg.alpha:.2g} ({cfg.adjust}) and |gap| >= {cfg.min_gap_pp:g} pp",
        comparisons=per,
        summary=summary,
    )


def _gap_desc(x: tuple[ItemResult, Comparison]) -> tuple[float, str]:
    return (-(x[1].gap or 0.0), x[0].item)


def _gap_asc(x: tuple[ItemResult, Comparison]) -> tuple[float, str]:
    return (x[1].gap or 0.0, x[0].item)


def _sentence(
    items: Sequence[ItemResult], k: int, pair: tuple[str, str], order: list[str], cfg: Config
) -> str:
    """'Leaders and frontline staff disagree most on <label> (+25 pp)': the flagged item
    with the largest gap; where in the order the pair sits says what the gap means."""
    a, b = pair
    names = f"{upper_first(cfg.group_label(a))} and {cfg.group_label(b)}"
    flagged = [i for i in items if i.comparisons[k].flag is not None]
    if not flagged:
        return f"{names} differ clearly on no item."
    top = max(flagged, key=lambda i: (abs(i.comparisons[k].gap or 0.0), i.item))
    gap = top.comparisons[k].gap or 0.0
    where = f"{top.label} ({round(gap * 100):+d} pp)"
    adjacent = order.index(b) == order.index(a) + 1
    if adjacent and a == order[0]:
        return f"The message is lost between {cfg.group_label(a)} and {cfg.group_label(b)} " \
            f"most on {where}."  # fmt: skip
    if adjacent and b == order[-1]:
        return f"The experience breaks between {cfg.group_label(a)} and {cfg.group_label(b)} " \
            f"most on {where}."  # fmt: skip
    return f"{names} are furthest apart on {where}."
