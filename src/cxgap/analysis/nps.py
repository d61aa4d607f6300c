"""Net Promoter Score from coded counts: which items are NPS items, each group's NPS and
the gap in points between groups.

NPS = % promoters (9-10) - % detractors (0-6) on the 0-10 "How likely are you to
recommend ..." scale (Reichheld 2003, The one number you need to grow, Harvard Business
Review 81(12)). Its variance is that of a difference of two shares of one multinomial
sample (promoters P, detractors D among n answers):

    var(NPS) = [p_P + p_D - (p_P - p_D)^2] / n

(e.g. Rocks 2016, Interval estimation for the "net promoter score", The American
Statistician 70(4), 365-372), and its interval is Wald's, NPS -/+ z sqrt(var), kept within
-1..1. With weights the shares are weighted and the variance is the linearisation
variance of the mean per-respondent score (+1 promoter, 0 passive, -1 detractor) of a
weights-only design, as R's ``svymean`` gives it (see :func:`cxgap.stats.design.nps`).
The variance is never taken below the multinomial one with one more answer in each band
(n + 3 answers), so that all promoters among a few answers is not a zero-width
interval; and a group with fewer than ``min_cell_n`` answers (effective n when weighted)
gets its NPS without an interval or a test. Wald's interval under-covers when most
answers are in one band and n is small (Rocks 2016); the tests show its size.
The gap between two independent groups has variance var_a + var_b; its test is the
Wald z test, adjusted over the NPS family (every NPS item x comparison) like the items'.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import polars as pl

from cxgap.code.coding import ItemCoding
from cxgap.config import Config
from cxgap.counts_table import WEIGHT_SUMS
from cxgap.errors import ConfigError
from cxgap.io.plan import match_names
from cxgap.model.nps import NpsComparison, NpsGroup, NpsResult
from cxgap.stats import adjust_pvalues
from cxgap.stats._elementwise import FLOATS
from cxgap.stats._normal import two_sided_p, z_for_confidence
from cxgap.stats.design import nps as design_nps

#: The answers of an NPS item.
NPS_CODES = tuple(range(11))
#: Wording that asks about recommending, in the vocabularies' languages.
_RECOMMEND = re.compile(
    r"recommend(?!ation)|weiterempfehl|empfehlen|recommand(?!ation)|recomend(?!a[cç])"
    r"|raccomand(?!azion)|aanbevel|anbefal|rekommend(?!ation)|polec"
    r"|(?<![a-z])nps(?![a-z])|net promoter",
    re.IGNORECASE,
)


def asks_to_recommend(text: str) -> bool:
    """Whether an item's name or wording asks about recommending (an NPS question)."""
    return _RECOMMEND.search(text) is not None


def nps_items(codings: Sequence[ItemCoding], labels: Mapping[str, str], cfg: Config) -> list[str]:
    """The NPS items, in coding order: those ``nps_items`` names (names or globs), and any
    other item on the 0-10 scale whose name or wording asks about recommending. An item
    that ``nps_items`` names but that is not on the 0-10 scale is a config error."""
    names = [c.item for c in codings]
    named, _ = match_names(cfg.nps_items, names)  # unmatched: see nps_warnings
    on_scale = {c.item for c in codings if tuple(c.scale.codes) == NPS_CODES}
    for item in named:
        if item not in on_scale:
            coding = next(c for c in codings if c.item == item)
            raise ConfigError(
                f"nps_items names {item!r}, whose scale is {coding.scale.name}; NPS needs "
                "answers 0 to 10",
                hint="set its scale to 0-10 under [items] if that is how it was asked",
            )
    chosen = set(named)
    for item in on_scale:
        if _RECOMMEND.search(item) or _RECOMMEND.search(labels.get(item, "")):
            chosen.add(item)
    return [n for n in names if n in chosen]


def nps_warnings(items: Sequence[str], codings: Sequence[ItemCoding], cfg: Config) -> list[str]:
    """Warnings: the NPS items found by their wording (not named in ``nps_items``), and the
    ``nps_items`` entries that match no item of the analysis (left out, or a typo)."""
    named, unmatched = match_names(cfg.nps_items, [c.item for c in codings])
    out = []
    found = [i for i in items if i not in named]
    if found:
        out.append(
            f"{', '.join(repr(i) for i in found)}: reported as NPS too (a 0-10 item that asks "
            "about recommending); name the NPS items with nps_items to choose them"
        )
    if unmatched:
        out.append(
            f"nps_items names {', '.join(repr(u) for u in unmatched)}, which is no item of "
            "the analysis (left out, or spelt otherwise): no NPS for it"
        )
    return out


def nps_results(
    coded: pl.DataFrame,
    items: Sequence[str],
    labels: Mapping[str, str],
    groups: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    cfg: Config,
    weighted: Mapping[str, bool] | None = None,
) -> list[NpsResult]:
    """Each group's NPS on each NPS item and each comparison's gap, from coded counts
    (group, item, code, n, w_sum, w2_sum; code null for a non-answer), pooled over waves."""
    if not items:
        return []
    weighted = weighted or {}
    pooled = (
        coded.filter(pl.col("item").is_in(list(items)))
        .group_by("group", "item", "code")
        .agg(pl.col("n").sum(), *WEIGHT_SUMS)
    )
    cells: dict[tuple[str, str], list[tuple[int | None, int, float, float]]] = {}
    for group, item, code, n, w, w2 in pooled.iter_rows():
        cells.setdefault((group, item), []).append((code, int(n), float(w), float(w2)))
    z = z_for_confidence(cfg.confidence)
    per: dict[tuple[str, str], tuple[NpsGroup, float]] = {}
    for item in items:
        for group in groups:
            found = cells.get((group, item), [])
            per[group, item] = _group_nps(found, weighted.get(group, False), z, cfg.min_cell_n)
    raw: list[tuple[float, float, float]] = []  # gap, se, p per item x pair, pair-major
    for a, b in pairs:
        for item in items:
            (ga, va), (gb, vb) = per[a, item], per[b, item]
            gap = (ga.nps - gb.nps) if ga.nps is not None and gb.nps is not None else math.nan
            se = math.sqrt(va + vb)
            p = two_sided_p(FLOATS, gap / se) if se > 0 and math.isfinite(gap) else math.nan
            raw.append((gap, se, p))
    adjusted = adjust_pvalues([r[2] for r in raw], cfg.adjust)
    out = []
    for k, item in enumerate(items):
        comparisons = []
        for j, (a, b) in enumerate(pairs):
            at = j * len(items) + k
            gap, se, p = raw[at]
            p_adj = _opt(adjusted[at])
            ok = math.isfinite(gap) and math.isfinite(se)
            comparisons.append(
                NpsComparison(
                    a=a,
                    b=b,
                    gap=_opt(gap),
                    gap_ci=(_opt(gap - z * se), _opt(gap + z * se)) if ok else (None, None),
                    p_value=_opt(p),
                    p_adjusted=p_adj,
                    significant=p_adj is not None and p_adj < cfg.alpha,
                )
            )
        out.append(
            NpsResult(
                item=item,
                label=labels.get(item, item),
                groups={g: per[g, item][0] for g in groups},
                comparisons=comparisons,
            )
        )
    return out


def _group_nps(
    cells: list[tuple[int | None, int, float, float]], weighted: bool, z: float, min_n: int
) -> tuple[NpsGroup, float]:
    """One group's NPS on one item and its variance (NaN when undefined)."""
    answered = [(c, n, w, w2) for c, n, w, w2 in cells if c is not None and n > 0]
    missing = sum(n for c, n, _, _ in cells if c is None)
    n = sum(c[1] for c in answered)
    if n == 0:
        none = dict.fromkeys(("promoters", "passives", "detractors", "nps", "se"))
        return NpsGroup(n=0, missing=missing, ci=(None, None), weighted=weighted, **none), math.nan
    if weighted:
        total = math.fsum(w for _, _, w, _ in answered)
        share = [math.fsum(w for c, _, w, _ in answered if c in codes) / total for codes in _BANDS]
        found = design_nps(answered, n + missing)
        score, var = found.estimate / 100.0, found.var / 10_000.0
    else:
        share = [sum(k for c, k, _, _ in answered if c in codes) / n for codes in _BANDS]
        score = share[0] - share[2]
        var = (share[0] + share[2] - score * score) / n
    # never below the variance with one more answer in each band: 100% promoters among
    # a few answers is no certainty (a zero-width interval and a near-zero p otherwise)
    var = max(var, _floor(answered, weighted))
    size = n if not weighted else _kish(answered)
    if size < min_n:
        var = math.nan  # too few answers for an interval or a test: NPS alone
    se = math.sqrt(var) if var >= 0 else math.nan
    low, high = (max(-1.0, score - z * se), min(1.0, score + z * se)) if se >= 0 else (
        math.nan, math.nan)  # fmt: skip
    group = NpsGroup(
        n=n,
        missing=missing,
        promoters=share[0],
        passives=share[1],
        detractors=share[2],
        nps=score,
        se=_opt(se),
        ci=(_opt(low), _opt(high)),
        weighted=weighted,
        n_eff=_kish(answered) if weighted else None,
    )
    return group, var


#: promoters, passives, detractors
_BANDS = (frozenset({9, 10}), frozenset({7, 8}), frozenset(range(7)))


def _kish(answered: list[tuple[int, int, float, float]]) -> float:
    w, w2 = math.fsum(c[2] for c in answered), math.fsum(c[3] for c in answered)
    return w * w / w2 if w2 > 0 else 0.0


def _floor(answered: list[tuple[int, int, float, float]], weighted: bool) -> float:
    """The multinomial variance with one more answer in each band (promoter, passive,
    detractor) among n + 3: [p_P + p_D - (p_P - p_D)^2] / (n + 3), on Kish's effective n
    when weighted."""
    if weighted:
        w = math.fsum(c[2] for c in answered)
        size = _kish(answered)
        share = [math.fsum(c[2] for c in answered if c[0] in band) / w if w > 0 else 0.0
                 for band in _BANDS]  # fmt: skip
    else:
        size = float(sum(c[1] for c in answered))
        share = [sum(c[1] for c in answered if c[0] in band) / size for band in _BANDS]
    total = size + 3.0
    promoters, detractors = (share[0] * size + 1) / total, (share[2] * size + 1) / total
    return (promoters + detractors - (promoters - detractors) ** 2) / total


def _opt(value: float) -> float | None:
    return value if math.isfinite(value) else None
