"""The headline: one comparison that opens every report."""

from __future__ import annotations

from collections import Counter

import polars as pl

from cxgap.coding import ItemCoding, code_counts
from cxgap.config import Config
from cxgap.gaps import GroupCounts, compare_groups
from cxgap.io.source import collect_all
from cxgap.model import GapStats, Headline, ItemResult
from cxgap.plan import FilePlan
from cxgap.scales import AgreeRule


def headline_text(stats: GapStats, confidence: float) -> str:
    """'80% of leaders vs 24% of customers agree: <label> (gap +56 pp, 95% CI ...)'."""
    lead, cust = stats.leaders, stats.customers
    if lead.share is None or cust.share is None or stats.gap is None:
        return f"No valid answers to compare on: {stats.label}"
    ci = ""
    lo, hi = stats.gap_ci
    if lo is not None and hi is not None:
        ci = f", {confidence:.0%} CI {lo * 100:+.0f} to {hi * 100:+.0f} pp"
    return (
        f"{lead.share:.0%} of leaders vs {cust.share:.0%} of customers agree: {stats.label} "
        f"(gap {stats.gap * 100:+.0f} pp{ci}; n = {lead.n:,} leaders, {cust.n:,} customers)"
    )


def headline_from_item(item: ItemResult, cfg: Config) -> Headline:
    base = GapStats.model_validate(item.model_dump(exclude={"scale", "importance"}))
    return Headline(**base.model_dump(), source="item", text=headline_text(base, cfg.confidence))


def composite_counts(
    plans: list[FilePlan],
    codings: list[ItemCoding],
    rule: AgreeRule,
    warnings: list[str],
    *,
    by_wave: bool = False,
    counts: pl.DataFrame | None = None,
) -> dict[str, dict[str | None, GroupCounts]]:
    """Per group (and wave), respondents whose mean code over answered items meets the rule.

    Needs each respondent's answers together, so it is a second streaming pass
    (run only when the data have no headline item). Items on a scale other
    than the most common one are left out of the mean, with a warning. With
    ``counts`` (the answer counts of the counting pass), an item that a group
    never answered is left out for both groups, with a warning, so that both
    groups' composites are means over the same items.
    """
    unanswered = _never_answered(counts, codings, [p.group for p in plans])
    if unanswered:
        warnings.append(
            "headline composite leaves out item(s) a group never answered, for both groups: "
            + ", ".join(f"{item} ({', '.join(groups)})" for item, groups in unanswered.items())
        )
        codings = [c for c in codings if c.item not in unanswered]
    if not codings:
        return {p.group: {None: EMPTY} for p in plans}
    common = Counter(c.scale.name for c in codings).most_common(1)[0][0]
    used = [c for c in codings if c.scale.name == common]
    if len(used) < len(codings):
        warnings.append(
            f"headline composite uses the {len(used)} items on the {common} scale; "
            f"{len(codings) - len(used)} item(s) on other scales are left out of it"
        )
    for c in used:  # every item must fit the rule; the error names the first that does not
        rule.threshold(c.scale, c.item)
    threshold = rule.threshold(used[0].scale)
    queries = []
    for plan in plans:
        columns = [plan.items[c.item] for c in used]
        codes = [
            pl.col(plan.items[c.item])
            .cast(pl.String)
            .replace_strict(c.codes, default=None, return_dtype=pl.Float64)
            for c in used
        ]
        mean = pl.mean_horizontal(codes)
        aggs = (
            mean.is_not_null().sum().alias("n"),
            (mean >= threshold).sum().alias("agree"),
            mean.is_null().sum().alias("missing"),
        )
        wave = plan.wave_column if by_wave else None
        scan = plan.survey.scan(text_columns=[*columns, *([wave] if wave else [])])
        if wave:
            query = scan.group_by(pl.col(wave).cast(pl.String).alias("wave")).agg(*aggs)
        else:
            query = scan.select(pl.lit(None, dtype=pl.String).alias("wave"), *aggs)
        queries.append(query)
    out: dict[str, dict[str | None, GroupCounts]] = {}
    frames = collect_all(queries, [p.survey for p in plans], width=len(used))
    for plan, frame in zip(plans, frames, strict=True):
        out[plan.group] = {}
        for wave_label, n, agree, missing in frame.select("wave", "n", "agree", "missing").rows():
            n, agree, missing = int(n or 0), int(agree or 0), int(missing or 0)
            out[plan.group][wave_label] = GroupCounts(
                distribution=[n - agree, agree], missing=missing, codes=[0, 1], agree_from=1
            )
    return out


def _never_answered(
    counts: pl.DataFrame | None, codings: list[ItemCoding], groups: list[str]
) -> dict[str, list[str]]:
    """Item -> the groups with no valid answer to it (over all waves)."""
    if counts is None or not codings:
        return {}
    answered = (
        code_counts(counts, codings)
        .filter(pl.col("code").is_not_null() & (pl.col("n") > 0))
        .select("group", "item")
        .unique()
    )
    seen = set(answered.iter_rows())
    out: dict[str, list[str]] = {}
    for c in codings:
        missing = [g for g in groups if (g, c.item) not in seen]
        if missing:
            out[c.item] = missing
    return out


EMPTY = GroupCounts(distribution=[0, 0], missing=0, codes=[0, 1], agree_from=1)


def composite_headline(leaders: GroupCounts, customers: GroupCounts, cfg: Config) -> Headline:
    """The headline from composite counts (see composite_counts)."""
    label = "the mean over all items meets the agree rule"
    stats = compare_groups(["composite"], [label], [leaders], [customers], cfg, adjust=False)[0]
    stats = stats.model_copy(
        update={
            "mwu_p": None,
            "leaders": stats.leaders.model_copy(update={"mean": None, "distribution": []}),
            "customers": stats.customers.model_copy(update={"mean": None, "distribution": []}),
        }
    )
    return Headline(
        **stats.model_dump(), source="composite", text=headline_text(stats, cfg.confidence)
    )
