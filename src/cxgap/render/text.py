"""Number formatting shared by the human-readable renderers."""

from __future__ import annotations

from cxgap.model import GapStats, GroupStats, Interval

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


def stars(stats: GapStats, alpha: float) -> str:
    """Significance marks on the adjusted p-value."""
    p = stats.p_adjusted
    if p is None or p >= alpha:
        return ""
    if p < 0.001:
        return "***"
    if p < 0.01:
        return "**"
    return "*"


def flag_text(stats: GapStats) -> str:
    return {"blind_spot": "blind spot", "hidden_strength": "hidden strength"}.get(
        stats.flag or "", ""
    )
