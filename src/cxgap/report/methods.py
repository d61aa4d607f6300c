"""The report's methods section: every rule and formula the run used, in words and
formulas, drawn from the result (its settings, the tests its comparisons name, whether a
group is weighted, which sections it has), so that it is true for the run it describes."""

from __future__ import annotations

import html
from statistics import NormalDist

from cxgap.model import AnalysisResult, TrendResult
from cxgap.model.segments import SegmentBreakdown
from cxgap.render import sections
from cxgap.render import text as t

_TESTS = {
    "score": "the two-sided score test (pooled two-proportion z test, z = (p\u2081 \u2212 "
    "p\u2082) / \u221a(p\u0304(1 \u2212 p\u0304)(1/n\u2081 + 1/n\u2082)) with the pooled "
    "p\u0304; Pearson's chi-square without continuity correction)",
    "fisher_exact": "Fisher's exact test (two-sided), where an expected cell of the 2\u00d72 "
    "table is below 5",
    "design_z": "a Wald z test on the design-based variances (z = gap / \u221a(se\u2081\u00b2 "
    "+ se\u2082\u00b2)), where either group is weighted",
}
_ADJUST = {
    "holm": "Holm's step-down method (controls the family-wise error rate)",
    "bh": "Benjamini-Hochberg (controls the false discovery rate)",
    "none": "no adjustment (adjusted p = p)",
}
_INTERVALS = {
    "wilson": "Wilson score interval on Kish's effective n",
    "beta": "Korn-Graubard (beta) interval",
    "logit": "logit interval",
}


def methods_html(result: AnalysisResult, trend: TrendResult | None) -> str:
    """The methods as an HTML section (every data text escaped)."""
    s = result.settings
    z = NormalDist().inv_cdf(0.5 + s.confidence / 2)
    conf = f"{s.confidence:.0%}"
    stats = [result.headline, *result.items]
    comps = [c for i in stats for c in i.comparisons]
    tests = sorted({c.test for c in comps if c.test is not None})
    weighted = sorted(
        {g.weighted.interval for i in stats for g in i.groups.values() if g.weighted is not None}
    )
    family = sum(1 for i in result.items for c in i.comparisons if c.p_value is not None)
    pairs = ", ".join(f"{result.group(c.a).label} \u2212 {result.group(c.b).label}"
                      for c in result.comparisons)  # fmt: skip
    weights_words = (
        f" Weighted groups: {_e(', '.join(_INTERVALS[m] for m in weighted))}, with "
        "n<sub>eff</sub> = (\u03a3w)\u00b2 / \u03a3w\u00b2 (Kish) and the share "
        "\u03a3w\u00b7agree / \u03a3w."
    ) if weighted else ""  # fmt: skip
    mwu_words = (
        " The Mann-Whitney U test over the whole scale (tie-corrected) is reported beside "
        "it for the unweighted comparisons."
    ) if any(c.mwu_p is not None for c in comps) else ""  # fmt: skip
    headline_words = (
        "The headline item's share and gap, as every item's."
        if result.headline.source == "item"
        else "Respondents who agree on at least half of the items they answered (the "
        "composite), with the same intervals and tests."
    )
    items: list[str] = [
        f"<b>Agree.</b> An answer counts as agree by the rule {_e(s.agree)}; the share is agree "
        "/ n over the valid answers (non-answers such as blank, N/A or Don't know are "
        "excluded). Scale per item: " + _e(_scales(result)) + ".",
        f"<b>Share intervals.</b> {conf} Wilson score intervals: (p\u0302 + z\u00b2/2n \u00b1 z"
        "\u221a(p\u0302(1 \u2212 p\u0302)/n + z\u00b2/4n\u00b2)) / (1 + z\u00b2/n), "
        f"z = {z:.4f}." + weights_words,
        f"<b>Gaps.</b> Gap = share of a \u2212 share of b, for {_e(pairs)}; its {conf} "
        "interval is Newcombe's hybrid score interval from the two shares' intervals "
        "(l, u): [d \u2212 \u221a((p\u2081 \u2212 l\u2081)\u00b2 + (u\u2082 \u2212 "
        "p\u2082)\u00b2), d + \u221a((u\u2081 \u2212 p\u2081)\u00b2 + (p\u2082 \u2212 "
        "l\u2082)\u00b2)]"
        + (" (with weights, on each share's interval on its effective n)" if weighted else "")
        + ". Effect size: Cohen's h = 2\u00b7asin\u221ap\u2081 \u2212 2\u00b7asin\u221ap\u2082.",
        "<b>Tests.</b> Used in this run: " + "; ".join(_TESTS[k] for k in tests) + "." + mwu_words,
        f"<b>Multiple comparisons.</b> p-values adjusted by {_ADJUST[s.adjust]} over the "
        f"family of every item \u00d7 every comparison ({family} p-values); significant when "
        f"the adjusted p &lt; \u03b1 = {s.alpha:g}.",
        f"<b>Flags.</b> Flagged when {_e(result.findings.rule)}: a <i>blind spot</i> when a "
        "rates the item higher than b (the earlier layer believes more than the later "
        "reports), a <i>hidden strength</i> when lower.",
        "<b>Headline.</b> " + headline_words,
    ]
    breakdowns = result.breakdowns()
    if breakdowns:
        items.append(_segments(result, breakdowns))
    if result.nps:
        items.append(f"<b>NPS.</b> {_e(sections.nps_note(result))}")
    note = t.weights_note(result)
    if note:
        items.append(f"<b>Weights.</b> {_e(note)}")
    if result.raking is not None:
        items.append(
            "<b>Raking.</b> The reference group was raked to the configured margins "
            "(iterative proportional fitting) before the shares were computed."
        )
    if result.priorities is not None:
        items.append(
            "<b>Importance.</b> Derived importance is Pearson's r of each item with the "
            "headline item in the reference group (weighted when it is weighted)."
        )
        items.append(_orderings(result, conf))
    if trend is not None and len(trend.waves) > 1:
        items.append(
            f"<b>Waves.</b> Waves in order {_e(', '.join(trend.waves))}. A share's change "
            "between waves: Newcombe's interval of the difference of two independent shares, "
            "the test its inversion; a gap's change: the MOVER interval (Zou & Donner) of "
            "the difference of the two gaps, the test its inversion; p adjusted "
            f"({_e(s.adjust)}) across items per wave pair; changes using a group with fewer "
            f"than {trend.min_n} answers are marked."
        )
    body = "".join(f"<li>{i}</li>" for i in items)
    return f'<section id="methods"><h2>Methods</h2><ul class="methods">{body}</ul></section>'


def _segments(result: AnalysisResult, breakdowns: list[SegmentBreakdown]) -> str:
    unit = result.units.column if result.units is not None else None
    columns = [b.column for b in breakdowns if b.column != unit]
    names = []
    if columns:
        names.append(f"Segments ({_e(', '.join(columns))})")
    if unit is not None:
        names.append(f"{'units' if columns else 'Units'} ({_e(unit)})")
    kind = "segment" if unit is None else "unit" if not columns else "segment or unit"
    cells = sorted({b.min_cell_n for b in breakdowns})
    return (
        f"<b>{' and '.join(names)}.</b> Each {kind}'s share and gap as above; a figure from "
        f"fewer than {' or '.join(map(str, cells))} respondents (min_cell_n; Kish's "
        "effective n when weighted) is suppressed, and so is every gap it enters; a group "
        f"whose file has no such column stands in with its overall figure. A {kind}'s p is "
        f"unadjusted (descriptive). Whether a gap differs across {kind}s: Cochran's Q = "
        "\u03a3 (d<sub>s</sub> \u2212 d\u0304)\u00b2 / v<sub>s</sub> (inverse-variance "
        "weighted mean d\u0304, null variances from the pooled share), \u03c7\u00b2 on "
        f"{kind}s \u2212 1 df, adjusted ({_e(result.settings.adjust)}) over item \u00d7 "
        "comparison of the column."
    )


def _orderings(result: AnalysisResult, conf: str) -> str:
    """The rank agreement's intervals and the Johari quadrants' thresholds, as run."""
    assert result.priorities is not None
    cuts = []
    for j in result.priorities.johari:
        if j.x_cut is None or j.y_cut is None:
            continue
        a, b = result.group(j.a).label, result.group(j.b).label
        how = "each group's median share over the items" if j.threshold == "median" else (
            "the configured level (johari_threshold)")  # fmt: skip
        cuts.append(f"{_e(a)} {j.x_cut:.0%} and {_e(b)} {j.y_cut:.0%} ({how})")
    johari = (
        " Johari quadrants: an item is high for a group when its share is at or above the "
        "group's threshold: " + "; ".join(cuts) + "."
    ) if cuts else ""  # fmt: skip
    return (
        "<b>Orderings.</b> How alike two groups order the items: Spearman's \u03c1 (average "
        f"ranks for ties) and Kendall's \u03c4-b, each with a {conf} Fisher z interval, "
        "tanh(atanh r \u00b1 z\u221av), v = 1.06 / (n \u2212 3) for \u03c1 and 0.437 / "
        "(n \u2212 4) for \u03c4 (Fieller, Hartley and Pearson), n the items ordered by "
        "both; the profile correlation is Pearson's r, v = 1 / (n \u2212 3)." + johari
    )


def _scales(result: AnalysisResult) -> str:
    seen: dict[str, str] = {}
    for item in result.items:
        sc = item.scale
        codes = f"{sc.codes[0]}-{sc.codes[-1]}" if sc.codes else ""
        seen.setdefault(sc.name, f"{sc.name} ({codes}, agree from {sc.agree_from})")
    return "; ".join(seen.values())


def _e(text: str) -> str:
    return html.escape(text, quote=True)
