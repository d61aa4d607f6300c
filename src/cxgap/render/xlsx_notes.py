"""The workbook's Notes sheet: what the result is, the settings, each rule and formula the
result used (only those it used: the tests its comparisons ran, the weighted methods
when a group is weighted, NPS, segments, raking), the findings and the warnings.

A row is (section, name, value); a setting that is a number is written as one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxgap.model import AnalysisResult, CheckResult, Settings, TrendResult
from cxgap.render.xlsx_sheets import Cell, Column, Table

if TYPE_CHECKING:
    from pydantic import BaseModel

    from cxgap.model.segments import SegmentBreakdown

Row = list[Cell]

COLUMNS = [Column("Section"), Column("Name"), Column("Value", "value", width=100)]

WILSON = (
    "Wilson score interval: (x + z²/2)/(n + z²) ± z/(n + z²)·sqrt(x(n−x)/n + z²/4), "
    "x = agree count, n = valid answers, z = the normal quantile of the confidence level"
)
NEWCOMBE = (
    "Newcombe hybrid score interval (method 10): gap − sqrt((p1−l1)² + (u2−p2)²) to "
    "gap + sqrt((u1−p1)² + (p2−l2)²), (l, u) each share's interval"
)
TESTS = {
    "score": "score test: z = (p1 − p2)/sqrt(p̄(1−p̄)(1/n1 + 1/n2)), p̄ pooled, two-sided "
    "(every expected cell count >= 5)",
    "fisher_exact": "Fisher's exact test, two-sided (an expected cell count < 5)",
    "design_z": "design-based z test: (p1 − p2)/sqrt(se1² + se2²), each se the weighted "
    "share's linearisation standard error (a group is weighted)",
}
ADJUST = {
    "holm": "Holm: adjusted p_(i) = max over j <= i of min(1, (m−j+1)·p_(j))",
    "bh": "Benjamini-Hochberg: adjusted p_(i) = min over j >= i of min(1, m·p_(j)/j)",
    "none": "none: adjusted p = p",
}


def notes_of(result: BaseModel) -> Table:
    """The Notes table of an analysis, trend or check result."""
    if isinstance(result, CheckResult):
        rows = _check_rows(result)
    elif isinstance(result, TrendResult):
        rows = _trend_rows(result)
    elif isinstance(result, AnalysisResult):
        rows = _analysis_rows(result)
    else:
        raise TypeError(f"no workbook for a {type(result).__name__}")
    return Table("Notes", COLUMNS, rows, wrap=True)


def _settings(s: Settings) -> list[Row]:
    return [
        ["Settings", "confidence", s.confidence],
        ["Settings", "alpha", s.alpha],
        ["Settings", "agree rule", s.agree],
        ["Settings", "adjustment", s.adjust],
        ["Settings", "min_gap_pp", s.min_gap_pp],
        ["Settings", "scale", s.default_scale],
    ]


def _warnings(warnings: list[str]) -> list[Row]:
    return [["Warnings", "", w] for w in warnings] or [["Warnings", "", "none"]]


def _analysis_rows(result: AnalysisResult, *, warnings: bool = True) -> list[Row]:
    from cxgap.render import sections
    from cxgap.render import text as t

    rows: list[Row] = [
        ["Result", "headline", result.headline.text],
        ["Result", "cxgap version", result.cxgap_version],
        *_settings(result.settings),
    ]
    for g in result.groups:
        waves = f"; waves {', '.join(g.waves)}" if g.waves else ""
        rows.append(["Groups", g.name, f"{g.label}: {g.path} ({g.format}, {g.rows:,} rows{waves})"])
    rows += [["Comparisons", f"{c.a} - {c.b}", "the headline comparison" if k == 0 else None]
             for k, c in enumerate(result.comparisons)]  # fmt: skip
    stats = (result.headline, *result.items)
    used = {c.test for s in stats for c in s.comparisons if c.test}
    method = [
        ("agree share", f"p = x/n: answers that meet the agree rule ({result.settings.agree}) "
         "over valid answers; non-answers are counted as missing and left out"),
        ("share interval", WILSON),
        ("gap", f"a's share minus b's ({t.gap_words(result)} for the headline comparison), "
         "in percentage points (pp): the JSON's fraction x 100"),
        ("gap interval", NEWCOMBE),
        ("ratio", "a's share / b's share; blank when b's share is 0"),
        ("Cohen's h", "2·asin(sqrt p1) − 2·asin(sqrt p2)"),
        *(("test", TESTS[name]) for name in sorted(used)),
    ]  # fmt: skip
    if any(c.mwu_p is not None for s in stats for c in s.comparisons):
        method.append(("Mann-Whitney U", "over the whole scale, mid-ranks, tie-corrected "
                       "variance, continuity correction 0.5, two-sided"))  # fmt: skip
    method += [
        ("adjustment", ADJUST[result.settings.adjust] + ", over the family: every item"
         + (f" x {n} comparisons" if (n := len(result.comparisons)) > 1 else "")),
        ("flag", f"blind spot (a above b) or hidden strength (a below b) when "
         f"{result.findings.rule}"),
        ("headline", "the headline item" if result.headline.source == "item" else
         "composite: respondents who agree on at least half of the items they answered"),
    ]  # fmt: skip
    if weights := t.weights_note(result):
        method.append(("weights", weights))
    if result.nps:
        method.append(("NPS", sections.nps_note(result)))
    for b in result.segments:
        method.append((f"segments by {b.column}", _segments_note(result, b)))
    if result.units is not None:
        from cxgap.render.units import unit_note

        b = result.units.breakdown
        method.append((f"units by {b.column}", _segments_note(result, b)))
        method += [(f"units by {b.column}", unit_note(result, result.units, c))
                   for c in result.units.comparisons]  # fmt: skip
    if result.priorities is not None:
        method.append(("priorities", result.priorities.method))
        method.append(("importance", result.priorities.importance.note))
    if result.raking is not None:
        r = result.raking
        method.append(
            (
                "raking",
                f"{r.group} raked to margins of {', '.join(r.variables)} "
                f"(iterative proportional fitting); largest miss {r.largest_miss:.2g}",
            )
        )
        method += [("raking", note) for note in r.notes]
    rows += [["Method", name, text] for name, text in method]
    rows += [["Findings", "", line] for line in result.findings.summary]
    for group, items in result.excluded.only_in.items():
        if items:
            rows.append(["Excluded", f"only in {group}", ", ".join(items)])
    rows += [["Excluded", column, why] for column, why in result.excluded.not_items.items()]
    if warnings:
        rows += _warnings(result.warnings)
    return rows


def _segments_note(result: AnalysisResult, b: SegmentBreakdown) -> str:
    stand_in = [result.group(g).label for g, own in b.own_segment.items() if not own]
    parts = [
        f"A figure from fewer than {b.min_cell_n} respondents is suppressed: blank, its "
        f"group's 'suppressed' TRUE ({b.suppressed} figure(s) suppressed).",
        *([f"Without a {b.column} column, the overall figure of {' and '.join(stand_in)} "
           "stands in for every segment."] if stand_in else []),
        *([f"In no segment (blank label): {n:,} {result.group(g).label}." for g, n in
           b.unlabelled.items() if n]),
        "A segment's gap has the items' interval and an unadjusted p. Segment tests: "
        "Cochran's Q test that a comparison's gap is the same in every segment not "
        f"suppressed, p adjusted ({result.settings.adjust}) over every item x comparison "
        "of the column.",
    ]  # fmt: skip
    return " ".join(parts)


def _trend_rows(result: TrendResult) -> list[Row]:
    from cxgap.stats.changes import CORRECTION

    pair = f"{result.comparison.a} - {result.comparison.b}"
    rows: list[Row] = [
        ["Result", "cxgap version", result.cxgap_version],
        ["Result", "waves", ", ".join(result.waves)],
        ["Result", "comparison", pair],
        *_settings(result.settings),
        ["Settings", "min_n", result.min_n],
    ]
    rows += [["Groups", name, label] for name, label in result.groups.items()]
    method = [
        ("share interval", WILSON),
        ("gap", f"{pair}, in percentage points, each wave; interval: {NEWCOMBE}"),
        ("change in a share", "later minus earlier wave, in pp; Newcombe's hybrid interval "
         f"over continuity-corrected Wilson limits (k = {CORRECTION:g} counts); test: that "
         "interval inverted (newcombe_inverted)"),
        ("change in a gap", "the MOVER interval of the four shares (+1, −1, −1, +1) over "
         "continuity-corrected Wilson limits; test: the interval inverted (mover_inverted); a "
         "group with the same answers in both waves cancels and its change is 0 with a note"),
        ("adjustment", ADJUST[result.settings.adjust] + ", across items for each wave pair"),
        ("small n", f"a change using a group with fewer than {result.min_n} valid answers is "
         "marked (Small n)"),
    ]  # fmt: skip
    rows += [["Method", name, text] for name, text in method]
    return rows + _warnings(result.warnings)


def _check_rows(result: CheckResult) -> list[Row]:
    rows: list[Row] = [
        ["Result", "status", result.status],
        ["Result", "current wave", result.current_wave],
    ]
    if result.baseline is not None:
        b = result.baseline
        where = " ".join(x for x in (b.wave and f"wave {b.wave}", b.path) if x)
        rows.append(["Result", "baseline", f"{b.source}: {where}"])
    rows.append(["Settings", "alpha", result.alpha])
    confidence = result.current.settings.confidence
    rows += [
        ["Method", "breach", "one-sided p of H0 'value <= limit', by inverting the rule's "
         "interval (continuity-corrected Wilson limits, MOVER) at the limit; Holm over every "
         "target the rule tests"],
        ["Method", "bound", f"the one-sided lower confidence bound at level 1 - {result.alpha:g}"
         "/f (f the target's Holm factor); a breach is significant exactly when it exceeds "
         "the limit"],
        ["Method", "CI", f"two-sided {confidence:.0%} interval of the value"],
        ["Method", "status", "fail: a significant breach (or any breach without "
         "require_significance); warn: a breach within noise; inconclusive: a group below "
         "min_n"],
    ]  # fmt: skip
    analysis = [["Current analysis: " + str(r[0]), *r[1:]]
                for r in _analysis_rows(result.current, warnings=False)]  # fmt: skip
    seen = list(dict.fromkeys([*result.warnings, *result.current.warnings]))
    return rows + analysis + _warnings(seen)
