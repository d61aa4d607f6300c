"""Whether the groups' files pair: the items in both the leaders' and the customers'
files, those only in one, and those another group's file lacks (for validate)."""

from __future__ import annotations

from cxgap.config import Config
from cxgap.config.sections import possessive
from cxgap.errors import (
    NoCommonItems,
    NotAnItem,
    OnlyInOneFile,
)
from cxgap.io.plan import FilePlan
from cxgap.model import Problem
from cxgap.scan import row_checks as checks

NAN_TEXT = {"nan", "-nan", "inf", "-inf", "+inf", "infinity", "-infinity", "null", "none"}


def heads_of(plans: list[FilePlan], cfg: Config) -> tuple[FilePlan, FilePlan] | None:
    """The plans of the headline comparison's groups (leaders and customers unless the
    config's comparisons say otherwise), which decide the items, as in analyze."""
    found = {p.group: p for p in plans}
    if "leaders" not in found or "customers" not in found:
        return None
    a, b = cfg.pairs(cfg.group_names(found))[0]
    return (found[a], found[b]) if a in found and b in found else None


def lacking(
    plans: list[FilePlan], heads: tuple[FilePlan, FilePlan], problems: list[Problem]
) -> list[Problem]:
    """Another group's file without some of the leaders' and customers' items: its
    answers are n/a there (as analyze warns)."""
    bad = {p.column for p in problems if p.code == NotAnItem.code}
    lead, cust = heads
    common = [i for i, c in lead.items.items() if i in cust.items and c not in bad]
    names = f"the {possessive(lead.group)} and {possessive(cust.group)} files"
    out = []
    for plan in plans:
        if plan.group in (lead.group, cust.group):
            continue
        lacking = [i for i in common if i not in plan.items]
        if lacking:
            out.append(checks.problem(
                OnlyInOneFile, str(plan.survey.path), None, len(lacking),
                f"{len(lacking)} item(s) of {names} are not in this {plan.group} file "
                "(n/a there): " + ", ".join(lacking[:8])
                + (" ..." if len(lacking) > 8 else ""),
            ))  # fmt: skip
    return out


def check_pair(plans: list[FilePlan], problems: list[Problem]) -> list[Problem]:
    lead, cust = plans
    bad_columns = {p.column for p in problems if p.code == NotAnItem.code}
    lead_items = {i for i, c in lead.items.items() if c not in bad_columns}
    cust_items = {i for i, c in cust.items.items() if c not in bad_columns}
    out = []
    common = lead_items & cust_items
    if not common:
        out.append(checks.problem(NoCommonItems, None, None, 0,
                            "no item is in both files (match by column name, or map columns "
                            "in [items])"))  # fmt: skip
    for plan, mine, other in ((lead, lead_items, cust_items), (cust, cust_items, lead_items)):
        only = sorted(mine - other)
        if only:
            out.append(checks.problem(
                OnlyInOneFile, str(plan.survey.path), None, len(only),
                f"{len(only)} item(s) only in this file, left out of comparisons: "
                + ", ".join(only[:8]) + (" ..." if len(only) > 8 else ""),
            ))  # fmt: skip
    return out
