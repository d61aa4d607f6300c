"""The per-unit view's tables: the units ranked by their gap, with the correlation across
units in words under it (the per-unit gaps by item are a segment table, see
:mod:`cxgap.render.sections`)."""

from __future__ import annotations

from cxgap.config.sections import possessive, upper_first
from cxgap.model import AnalysisResult
from cxgap.model.units import UnitComparison, UnitView
from cxgap.render import text as t

#: A section table: title, header, rows, the note under it.
Block = tuple[str, list[str], list[list[str]], str]


def unit_blocks(result: AnalysisResult) -> list[Block]:
    """One ranking table per comparison of the per-unit view (none without one)."""
    view = result.units
    if view is None:
        return []
    return [_ranking(result, view, c) for c in view.comparisons]


def _ranking(result: AnalysisResult, view: UnitView, c: UnitComparison) -> Block:
    a, b = result.group(c.a).label, result.group(c.b).label
    title = f"Units by {view.column}, ranked by the gap: {a} minus {b}"
    header = ["Unit", f"{upper_first(a)} agree", f"{upper_first(b)} agree", "Gap", f"n {a}",
              f"n {b}"]  # fmt: skip
    rows = [
        [r.unit, t.pct(r.shares[c.a]), t.pct(r.shares[c.b]), t.pp(r.gap),
         f"{r.n[c.a]:,}", f"{r.n[c.b]:,}"]
        for r in c.ranking
    ]  # fmt: skip
    return title, header, rows, unit_note(result, view, c)


def unit_note(result: AnalysisResult, view: UnitView, c: UnitComparison) -> str:
    """How the units' figures are made, the units not ranked and why, and the
    correlation across units in words."""
    parts = []
    if c.ranking:
        parts.append(
            f"Each unit's mean agree share over the {len(c.items)} item(s) shown for both "
            "groups in every ranked unit (NPS items aside); gap in percentage points."
        )
    else:
        parts.append(f"No {view.column} could be ranked.")
    if c.left_out:
        parts.append(
            "Not ranked: " + "; ".join(f"{u} ({why})" for u, why in c.left_out.items()) + "."
        )
    if c.ranking:
        parts.append(correlation_words(result, c))
    return " ".join(parts)


def _r(value: float) -> str:
    """A correlation with two decimals, three near -1 and 1 (so -0.996 is not -1.00)."""
    return f"{value:+.3f}" if abs(value) >= 0.995 else f"{value:+.2f}"


def correlation_words(result: AnalysisResult, c: UnitComparison) -> str:
    """'Across 4 units, leaders' and customers' shares correlate r = -0.96 (95% CI ...):
    ...' in words, or why there is no correlation."""
    a, b = result.group(c.a).label, result.group(c.b).label
    k, r, (low, high) = c.correlation.units, c.correlation.r, c.correlation.ci
    if r is None:
        return (f"With {k} unit(s) ranked, the correlation across units is not defined "
                "(it needs 3 units whose shares vary).")  # fmt: skip
    level = f"{result.settings.confidence:.0%}"
    found = f"Across {k} units, {possessive(a)} and {possessive(b)} shares correlate r = {_r(r)}"
    if low is None or high is None:
        return f"{found} (no interval under 4 units, so the link is uncertain)."
    found += f" ({level} CI {_r(low)} to {_r(high)})"
    if high < 0:
        return found + f": the units whose {a} think best are those their {b} rate worst."
    if low > 0:
        return found + f": the units whose {a} think best are those their {b} rate best."
    return found + f", but with {k} units the interval reaches zero: the link is uncertain."
