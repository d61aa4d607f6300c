"""Priorities: whether the groups order the items alike, whether leaders know what moves
customers' overall verdict, and the Johari view; from the result's shares and derived
importance (no pass over the rows).

- Rank agreement per comparison: Spearman's rho and Kendall's tau-b of the two groups'
  orderings of the items by agree share, and profile agreement: Pearson's r of the two share
  profiles and the mean absolute gap (:mod:`cxgap.stats.rank` for the methods).
- Derived importance: the reference group's (customers') Pearson r of each item with the
  headline item (:mod:`cxgap.analysis.importance`). Leaders' own importance, stated (an
  importance item per theme) or derived (their cross-tab), is not counted yet: the result
  says so rather than set customers' importance against leaders' shares.
- The Johari view per comparison: each item's quadrant by whether group a's share and
  group b's share are at or above their thresholds (each group's median over the items, or
  the configured ``johari_threshold``).

The items are those of the items table except the headline item (the verdict, not a
driver) and NPS items (an outcome on another scale).
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from cxgap.config import Config
from cxgap.config.sections import possessive, upper_first
from cxgap.model import AnalysisResult, ItemResult
from cxgap.model.priorities import (
    QUADRANTS,
    ComparisonPriorities,
    ImportanceAgreement,
    Johari,
    JohariItem,
    Priorities,
    Quadrant,
    RankAgreement,
)
from cxgap.stats.rank import (
    KENDALL_VARIANCE,
    PEARSON_VARIANCE,
    SPEARMAN_VARIANCE,
    fisher_interval,
    kendall_tau_b,
    mean_absolute_difference,
    pearson,
    spearman,
)

METHOD = (
    "Rank agreement over the items (the headline and NPS items left out): Spearman's rho "
    "(average ranks) and Kendall's tau-b of the two groups' orderings by agree share, each "
    "with a Fisher-z interval (var(atanh rho) = 1.06/(n-3), var(atanh tau) = 0.437/(n-4); "
    "Fieller, Hartley and Pearson 1957); profile agreement: Pearson's r of the share "
    "profiles (Fisher z, 1/(n-3)) and the mean absolute gap. The intervals treat the items "
    "as a sample of items and each share as known. Derived importance: Pearson r of each "
    "item with the headline item in the reference group. Johari view: an item's share is "
    "high at or above its group's threshold."
)


#: Another group's importance per item, its kind ("stated", "derived") and a note.
OwnImportance = tuple[dict[str, float | None], str | None, str]


def priorities_of(
    result: AnalysisResult,
    cfg: Config,
    *,
    importance_asked: bool,
    own: OwnImportance | None = None,
) -> AnalysisResult:
    """``result`` with its priorities, and their sentences added to its findings. ``own``:
    the other group's importance (see :mod:`cxgap.analysis.stated`), when computed."""
    nps = {n.item for n in result.nps}
    items = [i for i in result.items if i.item != result.headline.item and i.item not in nps]
    pairs = [(c.a, c.b) for c in result.comparisons]
    comparisons = [_comparison(items, a, b, cfg.confidence) for a, b in pairs]
    importance = _importance(result, items, cfg, importance_asked=importance_asked, own=own)
    johari = [_johari(items, a, b, cfg) for a, b in pairs]
    found = Priorities(comparisons=comparisons, importance=importance, johari=johari, method=METHOD)
    summary = [*result.findings.summary, *_sentences(found, items, cfg)]
    findings = result.findings.model_copy(update={"summary": summary})
    return result.model_copy(update={"priorities": found, "findings": findings})


def _shares(items: Sequence[ItemResult], a: str, b: str) -> list[tuple[str, float, float]]:
    """(item, a's share, b's share) where both are defined."""
    out = []
    for i in items:
        x, y = i.groups[a].share, i.groups[b].share
        if x is not None and y is not None:
            out.append((i.item, x, y))
    return out


def rank_agreement(x: Sequence[float], y: Sequence[float], confidence: float) -> RankAgreement:
    """Spearman's rho and Kendall's tau-b of two orderings, with their intervals."""
    n = len(x)
    rho = spearman(x, y)
    tau = kendall_tau_b(x, y) if n >= 2 else None
    return RankAgreement(
        n_items=n,
        spearman=rho,
        spearman_ci=fisher_interval(rho, n, SPEARMAN_VARIANCE, confidence),
        kendall=tau,
        kendall_ci=fisher_interval(tau, n, KENDALL_VARIANCE, confidence),
    )


def _top(pairs: Sequence[tuple[str, float]]) -> str | None:
    """The item with the largest value (the first by name among ties)."""
    return min(pairs, key=lambda p: (-p[1], p[0]))[0] if pairs else None


def _comparison(
    items: Sequence[ItemResult], a: str, b: str, confidence: float
) -> ComparisonPriorities:
    both = _shares(items, a, b)
    xs, ys = [x for _, x, _ in both], [y for _, _, y in both]
    r = pearson(xs, ys)
    return ComparisonPriorities(
        a=a,
        b=b,
        ranks=rank_agreement(xs, ys, confidence),
        profile_r=r,
        profile_ci=fisher_interval(r, len(xs), PEARSON_VARIANCE, confidence),
        mean_abs_gap=mean_absolute_difference(xs, ys),
        a_top=_top([(i, x) for i, x, _ in both]),
        b_top=_top([(i, y) for i, _, y in both]),
    )


def _importance(
    result: AnalysisResult,
    items: Sequence[ItemResult],
    cfg: Config,
    *,
    importance_asked: bool,
    own: OwnImportance | None,
) -> ImportanceAgreement:
    ref = result.groups[-1]
    main = result.comparisons[0]
    against = main.a if main.a != ref.name else main.b
    weights = [(i.item, i.importance) for i in items if i.importance is not None]
    top = _top(weights)
    notes = []
    if top is None and not importance_asked:
        notes.append(
            "derived importance is not computed here (analyze --importance, decks, "
            "reports, `cxgap chart quadrant` and cxgap.analyze(importance=True) compute it)"
        )
    elif top is None:
        notes.append(
            f"no derived importance: the headline item {cfg.headline_item!r} is not among "
            f"the items {possessive(ref.label)} file answers"
        )
    values, kind, why = own if own is not None else ({}, None, "")
    if why:
        notes.append(why)
    theirs = [(i.item, v) for i in items if (v := values.get(i.item)) is not None]
    both = [(i.importance, v) for i in items
            if i.importance is not None and (v := values.get(i.item)) is not None]  # fmt: skip
    ranks = None
    if top is not None and kind is not None and both:
        ranks = rank_agreement([x for x, _ in both], [y for _, y in both], cfg.confidence)
    if top is not None and kind is None and not why:
        notes.append(f"{possessive(result.group(against).label)} own importance is not available")
    return ImportanceAgreement(
        group=ref.name,
        against=against,
        measure=f"Pearson r of each item's codes with the headline item's among {ref.label}"
        + (", weighted" if _weighted(result, ref.name) else ""),
        top=top,
        against_kind=kind if theirs else None,
        against_top=_top(theirs),
        against_importance=dict(theirs),
        ranks=ranks,
        note="; ".join(notes),
    )


def _weighted(result: AnalysisResult, group: str) -> bool:
    return any(g.weighted is not None for i in result.items if (g := i.groups.get(group)))


def johari_cuts(
    xs: Sequence[float], ys: Sequence[float], level: float | str
) -> tuple[float | None, float | None]:
    """The two thresholds: each group's median share, or the stated level for both."""
    if isinstance(level, float):
        return level, level
    return (median(xs) if xs else None, median(ys) if ys else None)


def quadrant_of(x: float, y: float, x_cut: float, y_cut: float) -> Quadrant:
    high_x, high_y = x >= x_cut, y >= y_cut
    if high_x:
        return "shared_strength" if high_y else "blind_spot"
    return "hidden_strength" if high_y else "shared_weakness"


def _johari(items: Sequence[ItemResult], a: str, b: str, cfg: Config) -> Johari:
    both = _shares(items, a, b)
    level = cfg.johari_threshold
    x_cut, y_cut = johari_cuts([x for _, x, _ in both], [y for _, _, y in both], level)
    out: list[JohariItem] = []
    counts: dict[Quadrant, int] = dict.fromkeys(QUADRANTS, 0)
    for i in items:
        x, y = i.groups[a].share, i.groups[b].share
        quadrant = None
        if x is not None and y is not None and x_cut is not None and y_cut is not None:
            quadrant = quadrant_of(x, y, x_cut, y_cut)
            counts[quadrant] += 1
        out.append(JohariItem(item=i.item, x=x, y=y, quadrant=quadrant))
    return Johari(
        a=a,
        b=b,
        threshold="level" if isinstance(level, float) else "median",
        x_cut=x_cut,
        y_cut=y_cut,
        counts=counts,
        items=out,
    )


def _r(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _agreement_words(names: str, ranks: RankAgreement, what: str, conf: str) -> str:
    """'Leaders and customers order the items alike (Spearman's rho 0.62, 95% CI 0.05 to
    0.88, over 12 items).', or that the evidence does not show it."""
    rho, (lo, hi) = ranks.spearman, ranks.spearman_ci
    n = ranks.n_items
    if lo is None or hi is None:  # no interval: no rho, rho = +-1, or too few items
        if rho is None:  # a group's shares do not vary over the items: no order to compare
            return (f"No ordering to compare: one group gives all {n} items the same agree "
                    "share.")  # fmt: skip
        if abs(rho) >= 1 and n > SPEARMAN_VARIANCE[1]:
            way = "exactly alike" if rho > 0 else "in exactly opposite ways"
            words = f"{upper_first(names)} order {what} {way}"
            return f"{words} (Spearman's rho {_r(rho)}, over {n} items)."
        words = f"Too few items ({n}) to tell whether {names} order {what} alike"
        return f"{words} (Spearman's rho {_r(rho)})."
    if lo > 0:
        words = f"{upper_first(names)} order {what} alike"
    elif hi < 0:
        words = f"{upper_first(names)} order {what} in opposite ways"
    else:
        words = f"The evidence does not show that {names} order {what} alike"
    interval = f", {conf} CI {_r(lo)} to {_r(hi)}"
    return f"{words} (Spearman's rho {_r(rho)}{interval}, over {n} items)."


def _sentences(found: Priorities, items: Sequence[ItemResult], cfg: Config) -> list[str]:
    """Per comparison, whether the groups order the items alike; then 'Leaders rank X
    first; customers' overall verdict moves most with Y (r = 0.62)', and whether the two
    importance orderings agree when the other group's importance is known."""
    labels = {i.item: i.label for i in items}
    out: list[str] = []
    conf = f"{cfg.confidence:.0%}"
    for c in found.comparisons:
        if c.ranks.spearman is not None and c.ranks.n_items >= 3:
            names = f"{cfg.group_label(c.a)} and {cfg.group_label(c.b)}"
            out.append(_agreement_words(names, c.ranks, "the items", conf))
    imp = found.importance
    main = found.comparisons[0] if found.comparisons else None
    if imp.top is None or main is None:
        return out
    weight = next(i.importance for i in items if i.item == imp.top)
    verdict = f"{possessive(cfg.group_label(imp.group))} overall verdict"
    them = cfg.group_label(imp.against)
    customers = f"{verdict} moves most with {labels[imp.top]} (r = {_r(weight)})"
    if imp.against_kind == "stated" and imp.against_top is not None:
        out.append(f"{upper_first(them)} rank {labels[imp.against_top]} first in stated "
                   f"importance; {customers}.")  # fmt: skip
    elif imp.against_kind == "derived" and imp.against_top is not None:
        out.append(f"{upper_first(possessive(them))} own overall verdict moves most with "
                   f"{labels[imp.against_top]}; {customers}.")  # fmt: skip
    else:
        first = main.a_top if main.a == imp.against else main.b_top
        if first is not None:
            out.append(f"{upper_first(them)} rank {labels[first]} first; {customers}.")
    ranks = imp.ranks
    if ranks is not None and ranks.spearman is not None and ranks.n_items >= 3:
        lo, hi = ranks.spearman_ci
        orderings = f"{possessive(them)} {imp.against_kind} and " \
            f"{possessive(cfg.group_label(imp.group))} derived importance orderings"  # fmt: skip
        if lo is not None and hi is not None and (lo > 0 or hi < 0):
            words = f"{upper_first(orderings)} {'agree' if lo > 0 else 'run opposite'}"
        else:
            words = f"The evidence does not show that {orderings} agree"
        interval = f", {conf} CI {_r(lo)} to {_r(hi)}" if lo is not None else ""
        out.append(f"{words} (Spearman's rho {_r(ranks.spearman)}{interval}, over "
                   f"{ranks.n_items} items).")  # fmt: skip
    return out
