"""Number formatting shared by the human-readable renderers."""

from __future__ import annotations

from cxgap.model import AnalysisResult, Comparison, GroupStats, Interval

DASH = "\u2013"


def pct(share: float | None, digits: int = 0) -> str:
    return "n/a" if share is None else f"{share * 100:.{digits}f}%"


def signed(points: float, digits: int = 0) -> str:
    """'+3', '-12', and '+0' rather than '-0' for a value that rounds to zero."""
    rounded = round(points, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{rounded:+.{digits}f}"


def pp(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else signed(value * 100, digits)


def interval_pct(ci: Interval) -> str:
    lo, hi = ci
    if lo is None or hi is None:
        return ""
    return f"{lo * 100:.0f}{DASH}{hi * 100:.0f}"


def interval_pp(ci: Interval) -> str:
    lo, hi = ci
    if lo is None or hi is None:
        return "n/a"
    return f"{signed(lo * 100)} to {signed(hi * 100)}"


def group_cell(stats: GroupStats) -> str:
    """'82% (74-88) n=120'; weighted: '42% (35-48) n=275 n_eff=214'."""
    if stats.share is None:
        return f"n/a n={stats.n}"
    return f"{pct(stats.share)} ({interval_pct(stats.ci)}) n={stats.n:,}{n_eff_text(stats)}"


def n_eff_text(stats: GroupStats) -> str:
    """' n_eff=214' for a weighted group (Kish's effective n), '' for an unweighted one."""
    w = stats.weighted
    if w is None or w.n_eff is None:
        return ""
    return f" n_eff={w.n_eff:,.0f}"


def _span(values: list[float], digits: int) -> str:
    """'1.27' or '1.27-1.30': the range of values at ``digits`` decimals."""
    low, high = f"{min(values):,.{digits}f}", f"{max(values):,.{digits}f}"
    return low if low == high else f"{low}{DASH}{high}"


#: What replaces the unweighted methods when a group is weighted (every output's footnote).
WEIGHTED_METHODS = (
    "intervals: Wilson on effective n; gap: Newcombe hybrid; tests: design-based z "
    "(Fisher and Mann-Whitney do not apply to weighted data)"
)


def weights_note(result: AnalysisResult, *, methods: bool = True) -> str:
    """'Weighted: customers (Kish effective n 213-216, design effect 1.27-1.30, weights
    0.10-4.90 (CV 0.52-0.54)); intervals: ...' over the headline and items; '' when no
    group is weighted. The interval named is the one the shares have (Wilson, beta, logit)."""
    parts: list[str] = []
    method = "wilson"
    for group in result.groups:
        found = [
            w
            for stat in (result.headline, *result.items)
            if (g := stat.groups.get(group.name)) is not None and (w := g.weighted) is not None
        ]
        if not found:
            continue
        method = found[0].interval
        n_eff = [w.n_eff for w in found if w.n_eff is not None]
        deff = [w.deff for w in found if w.deff is not None]
        cv = [w.weight_cv for w in found if w.weight_cv is not None]
        bits = []
        if n_eff:
            bits.append(f"Kish effective n {_span(n_eff, 0)}")
        if deff:
            bits.append(f"design effect {_span(deff, 2)}")
        low, high = found[0].weight_min, found[0].weight_max
        cv_text = f"CV {_span(cv, 2)}" if cv else ""
        if low is not None and high is not None:
            bits.append(f"weights {low:,.2f}{DASH}{high:,.2f}" + (f" ({cv_text})" if cv else ""))
        elif cv:
            bits.append(f"weights' {cv_text}")
        parts.append(f"{group.label} ({', '.join(bits)})")
    if not parts:
        return ""
    text = f"Weighted: {'; '.join(parts)}"
    if not methods:
        return text + "."
    named = {"beta": "Korn-Graubard beta", "logit": "logit"}.get(method)
    how = WEIGHTED_METHODS
    if named:
        how = how.replace("intervals: Wilson on effective n", f"intervals: {named} (shares)")
    return f"{text}; {how}."


def ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}x"


def pvalue(p: float | None) -> str:
    if p is None:
        return "n/a"
    if p < 0.001:
        return "<0.001"
    return f"{p:.3f}"


def stars(stats: Comparison, alpha: float) -> str:
    """Significance marks on the adjusted p-value."""
    p = stats.p_adjusted
    if p is None or p >= alpha:
        return ""
    if p < 0.001:
        return "***"
    if p < 0.01:
        return "**"
    return "*"


def story_title(result: AnalysisResult) -> str:
    """The deck's and report's title: what each layer believes, sees, reports."""
    if [g.name for g in result.groups] == ["leaders", "frontline", "customers"]:
        return "What the boardroom believes, what the frontline sees, what customers get"
    believe = ", ".join(g.label for g in result.groups[:-1])
    return f"What {believe} believe, what {result.groups[-1].label} report"


def groups_text(groups: dict[str, GroupStats]) -> str:
    """'leaders 81% (n=120), customers 24% (n=5000)': each group's share and n."""
    return ", ".join(f"{name} {pct(g.share)} (n={g.n})" for name, g in groups.items())


def gap_words(result: AnalysisResult) -> str:
    """'leaders - customers': what the headline comparison's gap subtracts."""
    pair = result.comparisons[0]
    return f"{result.group(pair.a).label} - {result.group(pair.b).label}"


def family(result: AnalysisResult) -> str:
    """' over items x 3 comparisons' when p-values are adjusted over several comparisons."""
    n = len(result.comparisons)
    return f" over items x {n} comparisons" if n > 1 else ""


def flag_text(stats: Comparison) -> str:
    return {"blind_spot": "blind spot", "hidden_strength": "hidden strength"}.get(
        stats.flag or "", ""
    )


def weights_short(result: AnalysisResult) -> str:
    """The weights note in a chart's footnote: 'Weighted: customers (effective n 212-222,
    design effect 1.27-1.30); Wilson on effective n, Newcombe gap, design-based z.'; ''
    when no group is weighted."""
    parts = []
    for group in result.groups:
        found = [
            w
            for stat in (result.headline, *result.items)
            if (g := stat.groups.get(group.name)) is not None and (w := g.weighted) is not None
        ]
        n_eff = [w.n_eff for w in found if w.n_eff is not None]
        deff = [w.deff for w in found if w.deff is not None]
        if n_eff and deff:
            parts.append(
                f"{group.label} (effective n {_span(n_eff, 0)}, design effect {_span(deff, 2)})"
            )
    if not parts:
        return ""
    return f"Weighted: {'; '.join(parts)}; Wilson on effective n, Newcombe gap, design-based z."
