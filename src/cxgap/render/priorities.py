"""The priorities section as rows of text (see :mod:`cxgap.render.sections`, which lays it
out for the terminal, Markdown and the report): rank and profile agreement per comparison,
and each item's Johari quadrant (with derived importance where it was computed)."""

from __future__ import annotations

from cxgap.config.sections import possessive, upper_first
from cxgap.model import AnalysisResult
from cxgap.model.priorities import Johari, Priorities
from cxgap.render import text as t

#: A quadrant in words.
QUADRANT_WORDS = {
    "shared_strength": "shared strength",
    "blind_spot": "blind spot",
    "hidden_strength": "hidden strength",
    "shared_weakness": "shared weakness",
}

Block = tuple[str, list[str], list[list[str]], str]


def _r(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}"


def _ci(ci: tuple[float | None, float | None]) -> str:
    lo, hi = ci
    return "n/a" if lo is None or hi is None else f"{lo:+.2f} to {hi:+.2f}"


def _pair(result: AnalysisResult, a: str, b: str) -> str:
    return f"{upper_first(result.group(a).label)} vs {result.group(b).label}"


def agreement_block(result: AnalysisResult, found: Priorities) -> Block:
    conf = f"{result.settings.confidence:.0%}"
    header = ["Comparison", "Items", "Spearman's rho", f"{conf} CI", "Kendall's tau-b",
              f"{conf} CI ", "Profile r", f"{conf} CI  ", "Mean |gap| pp"]  # fmt: skip
    rows = [
        [
            _pair(result, c.a, c.b),
            str(c.ranks.n_items),
            _r(c.ranks.spearman),
            _ci(c.ranks.spearman_ci),
            _r(c.ranks.kendall),
            _ci(c.ranks.kendall_ci),
            _r(c.profile_r),
            _ci(c.profile_ci),
            "n/a" if c.mean_abs_gap is None else f"{c.mean_abs_gap * 100:.0f}",
        ]
        for c in found.comparisons
    ]
    imp = found.importance
    if imp.ranks is not None:
        r = imp.ranks
        rows.append(
            [
                f"Importance: {result.group(imp.against).label} ({imp.against_kind}) vs "
                f"{result.group(imp.group).label}",
                str(r.n_items),
                _r(r.spearman),
                _ci(r.spearman_ci),
                _r(r.kendall),
                _ci(r.kendall_ci),
                "n/a",
                "n/a",
                "n/a",
            ]
        )
    note = (
        "Do the groups order the items alike? Rank agreement of their orderings by agree "
        "share over the items (the headline and NPS items left out); intervals: Fisher z "
        "with var 1.06/(n-3) for rho and 0.437/(n-4) for tau-b (Fieller, Hartley and "
        "Pearson 1957), 1/(n-3) for the profile's Pearson r; they treat the items as a "
        "sample of items. Profile r: do the shares rise and fall together; mean |gap|: how "
        "far apart they are."
    )
    if imp.ranks is not None:
        note += (
            f" Importance: {possessive(result.group(imp.group).label)} derived importance "
            "(each item's Pearson r with the headline item) against "
            f"{possessive(result.group(imp.against).label)} "
            + ("stated importance (their answers to the theme's importance item)"
               if imp.against_kind == "stated" else "own derived importance")
            + "."
        )  # fmt: skip
    if imp.note:
        note += f" Importance: {imp.note}."
    return ("Priorities: do the groups order the items alike?", header, rows, note)


def johari_block(result: AnalysisResult, found: Priorities) -> Block:
    main = found.johari[0]
    a, b = result.group(main.a).label, result.group(main.b).label
    others = found.johari[1:]
    imp = found.importance
    importance = imp.top is not None
    theirs = imp.against_importance if importance and imp.against_kind else {}
    kind = "stated, 0-1" if imp.against_kind == "stated" else "r"
    header = ["Item", upper_first(a), upper_first(b), "Quadrant",
              *(f"Quadrant {result.group(j.a).label} - {result.group(j.b).label}"
                for j in others),
              *([f"Importance r ({result.group(imp.group).label})"] if importance else []),
              *([f"Importance {kind} ({result.group(imp.against).label})"]
                if theirs else [])]  # fmt: skip
    by_name = {i.item: i for i in result.items}
    quadrants = [{q.item: q.quadrant for q in j.items} for j in others]
    rows = []
    for q in main.items:
        item = by_name[q.item]
        rows.append(
            [
                item.label,
                t.pct(q.x),
                t.pct(q.y),
                QUADRANT_WORDS.get(q.quadrant or "", "n/a"),
                *(QUADRANT_WORDS.get(m.get(q.item) or "", "n/a") for m in quadrants),
                *([_r(item.importance)] if importance else []),
                *([_r(theirs.get(q.item))] if theirs else []),
            ]
        )
    return (f"The Johari view: {a} against {b}", header, rows, johari_note(result, main))


def johari_note(result: AnalysisResult, main: Johari) -> str:
    a, b = result.group(main.a).label, result.group(main.b).label
    cut = "median over the items" if main.threshold == "median" else "the configured level"
    counts = ", ".join(f"{n} {QUADRANT_WORDS[q]}" for q, n in main.counts.items())
    return (
        f"An agree share is high at or above its group's threshold ({cut}: {a} "
        f"{t.pct(main.x_cut)}, {b} {t.pct(main.y_cut)}). Shared strength: both high; blind "
        f"spot: {a} high, {b} low; hidden strength: {a} low, {b} high; shared weakness: "
        f"both low ({counts}). The quadrants place items by level; the gap's flags (the "
        "items table) test the gap."
    )


def blocks(result: AnalysisResult) -> list[tuple[Block, list[int]]]:
    """The two tables, each with the columns a narrow terminal drops first, in order (the
    intervals; the other comparisons' quadrants)."""
    found = result.priorities
    if found is None or not found.johari:
        return []
    johari = johari_block(result, found)
    extra = list(range(len(johari[1]) - 1, 3, -1))
    return [(agreement_block(result, found), [7, 5, 3]), (johari, extra)]
