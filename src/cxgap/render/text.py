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
    """'82% (74-88) n=120'."""
    if stats.share is None:
        return f"n/a n={stats.n}"
    return f"{pct(stats.share)} ({interval_pct(stats.ci)}) n={stats.n:,}"


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
