"""A check's verdict on one target of one rule: its status and its message, from the
rule's figures (shared by every rule of the gate)."""

from __future__ import annotations

from cxgap.config.sections import possessive
from cxgap.model import Interval, Rule, Verdict


def exceeds(value: float | None, threshold: float) -> bool:
    """Strictly above the threshold; exactly at it passes (up to float rounding)."""
    return value is not None and value - threshold > 1e-9


def pp_of(x: float | None) -> float | None:
    return None if x is None else x * 100


def verdict(
    rule: Rule,
    name: str,
    is_head: bool,
    value: float | None,
    ci: Interval,
    bound: float | None,
    threshold: float,
    why: str | None,
    p: float | None,
    require_significance: bool,
    alpha: float,
    unchanged: str | None,
    dropping: str,
) -> Verdict:
    what = {"max_gap_pp": "gap", "max_drop_pp": f"drop in {possessive(dropping)} agreement",
            "max_gap_widening_pp": "gap widening",
            "max_nps_drop": f"drop in {possessive(dropping)} NPS"}[rule]  # fmt: skip
    label = "headline" if is_head else f"item {name}"
    unit = "points" if rule == "max_nps_drop" else "pp"
    shown = "n/a" if value is None else f"{value:.1f} {unit}"
    limit = f"{threshold:g} {unit}"
    if why is not None:
        status, msg = "inconclusive", f"{label}: {why}"
    elif value is None:
        status, msg = "inconclusive", f"{label}: {what} undefined (no valid answers)"
    elif not exceeds(value, threshold):
        status, msg = "pass", f"{label}: {what} {shown} within {limit}"
        if unchanged:
            msg += f" ({unchanged})"
    elif not require_significance or (p is not None and p < alpha):
        status = "fail"
        msg = f"{label}: {what} {shown} exceeds {limit}"
        if require_significance and bound is not None:
            msg += f" (significant: lower bound {bound:.1f} {unit} > {limit}, adjusted p = {p:.3g})"
    else:
        status = "warn"
        msg = f"{label}: {what} {shown} exceeds {limit} but within noise"
        if bound is not None and p is not None:
            msg += f" (lower bound {bound:.1f} {unit}, adjusted p = {p:.3g})"
    return Verdict(
        rule=rule,
        item=name,
        target="headline" if is_head else "item",
        status=status,
        value_pp=value,
        threshold_pp=threshold,
        ci_pp=ci,
        bound_pp=bound,
        p_breach=p,
        message=msg,
    )
