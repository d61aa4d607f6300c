"""Row passes the counts table cannot replace, each reduced to counts in the counting
pass where it can: the composite headline's tallies (respondents who agree on at least
half of what they answered) and the reference group's cross-tab of each item against
the headline item (for derived importance)."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from cxgap.code.coding import ItemCoding, NotAnItem, code_counts, resolve_items
from cxgap.code.items import declared_scales, item_scales, vocabularies
from cxgap.code.tallies import EMPTY, GroupCounts, tally_counts
from cxgap.config import Config
from cxgap.config.sections import possessive
from cxgap.counts import StoredPasses
from cxgap.counts_table import weight_sum
from cxgap.errors import CxgapError, InputError, NeedsRows, UnknownHeadlineItem
from cxgap.io.plan import FilePlan, name_key, near_miss
from cxgap.io.source import collect_all
from cxgap.scales import AgreeRule
from cxgap.scan.counting import AGREES, composite_class, crosstab_query, respondent_tally
from cxgap.scan.first_rows import same_file
from cxgap.scan.integer_row import CROSSTAB_SCHEMA
from cxgap.scan.per_file import TALLY_COLUMNS

_NO_TALLIES = pl.DataFrame(
    schema={"group": pl.String, "wave": pl.String, **dict.fromkeys(TALLY_COLUMNS[:3], pl.Int64),
            **dict.fromkeys(TALLY_COLUMNS[3:], pl.Float64)}
)  # fmt: skip


@dataclass(frozen=True)
class Composite:
    """The composite headline's counts: per group, per wave (None when pooled)."""

    counts: dict[str, dict[str | None, GroupCounts]]
    #: the items it runs over (the same in both groups)
    items: tuple[str, ...]
    #: each item's vote per answer: +1 agrees, -1 answered and does not agree
    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    #: the same tallies with their weighted sums: group, wave and TALLY_COLUMNS (w_n,
    #: w_agree, w2_n, w2_agree: the answering and agreeing respondents' weights and
    #: squared weights; n and agree again when unweighted)
    tallies: pl.DataFrame = field(default_factory=lambda: _NO_TALLIES)


def headline_item(
    cfg: Config, codings: list[ItemCoding], plans: list[FilePlan], skipped: list[NotAnItem]
) -> str | None:
    """The item the headline reports, or None for the composite.

    ``headline_item`` matches an analysed item ignoring non-breaking and repeated spaces
    and curly quotes. The default name (``overall_strong_cx``) may be absent, even when
    written out (a config rebuilt from ``model_dump()`` marks every field as set): then
    the composite is the headline. Any other headline item the user set (config or flag)
    must be an item analysed in both files: else :class:`UnknownHeadlineItem` says why,
    with near misses.
    """
    wanted = cfg.headline_item
    key = name_key(wanted)
    found = next((c.item for c in codings if name_key(c.item) == key), None)
    named = "headline_item" in cfg.model_fields_set and wanted != DEFAULT_HEADLINE_ITEM
    if found is not None or not named:
        return found
    reason = next((s.reason for s in skipped if name_key(s.item) == key), None)
    in_file = [p.group for p in plans if any(name_key(c) == key for c in p.survey.columns)]
    if reason is not None:
        why = f": it is not an item ({reason})"
    elif len(in_file) == len(plans):
        why = ": the files have the column, but it is not among the analysed items"
    elif in_file:
        why = f": only the {' and the '.join(possessive(g) for g in in_file)} file(s) have it"
    else:
        why = ""
    names = [c.item for c in codings]
    near = near_miss(wanted, names) if not in_file else ""
    shown = ", ".join(repr(n) for n in names[:8])
    if len(names) > 8:
        shown += f" and {len(names) - 8} more"
    raise UnknownHeadlineItem(
        file=" / ".join(dict.fromkeys(str(p.survey.path) for p in plans)),
        name=wanted,
        why=f"{why}{near}; the items are {shown}",
        hint="name one of the items, or leave headline_item unset for the composite headline",
    )


def composite_counts(
    plans: list[FilePlan],
    codings: list[ItemCoding],
    rule: AgreeRule,
    warnings: list[str],
    *,
    by_wave: bool = False,
    counts: pl.DataFrame | None = None,
    stored: StoredPasses | None = None,
    heads: tuple[str, str],
) -> Composite:
    """Per group (and wave): respondents who agree on at least half of the items they answered.

    Each answer is coded with its own item's scale and agree threshold (so items on
    1-5, 1-7, 0-10 or yes/no, and scales written in reverse, mix correctly); a
    respondent's share is the items agreed over the items answered, and the
    respondent agrees overall when that share is >= 0.5. A respondent who answered
    none of the items is a non-answer. Needs each respondent's answers together, so
    it is a second streaming pass (polars expressions, run only when the data have no
    headline item). With ``counts`` (the answer counts of the counting pass), an item
    that a group of the headline comparison (``heads``) never answered is left out for
    every group, with a warning, so that their composites run over the same items. With
    ``stored`` (a counts file's), the tallies it was counted with, when its votes are these.
    """
    votes, unanswered = composite_votes(codings, rule, counts, list(heads))
    if unanswered:
        warnings.append(
            "headline composite leaves out item(s) a group never answered, for both groups: "
            + ", ".join(f"{item} ({', '.join(groups)})" for item, groups in unanswered.items())
        )
        codings = [c for c in codings if c.item not in unanswered]
    if not codings:
        return Composite({p.group: {None: EMPTY} for p in plans}, ())
    out: dict[str, dict[str | None, GroupCounts]] = {}
    tallies: dict[str, pl.DataFrame] = {}
    if stored is not None:
        tallies = _stored_composite(stored, votes, by_wave=by_wave)
    # the groups the tallies leave to the rows; one export serving two groups read once
    rest = list({same_file(p): p for p in plans if p.group not in tallies}.values())
    queries, width = [], 0
    for plan in rest:
        # another group's file may lack some items: its composite runs over those it has
        mine = [c for c in codings if c.item in plan.items]
        tally, width = respondent_tally(
            plan.survey,
            columns={c.item: plan.items[c.item] for c in mine},
            codes={c.item: votes[c.item] for c in mine if c.item in votes},
            wave=plan.wave_column if by_wave else None,
            weight=plan.weight_column,
        )
        agrees = composite_class(pl.col("answered"), pl.col("total"))
        answered, agreeing = agrees.is_not_null(), agrees == AGREES
        n, agree = answered.sum(), agreeing.sum()
        sums = [n.alias("w_n"), agree.alias("w_agree"), n.alias("w2_n"), agree.alias("w2_agree")]
        if plan.weight_column:
            w = pl.col("weight")
            sums = [weight_sum(w.filter(answered)).alias("w_n"),
                    weight_sum(w.filter(agreeing)).alias("w_agree"),
                    weight_sum((w * w).filter(answered)).alias("w2_n"),
                    weight_sum((w * w).filter(agreeing)).alias("w2_agree")]  # fmt: skip
        query = tally.group_by("wave").agg(
            n.alias("n"), agree.alias("agree"), agrees.is_null().sum().alias("missing"), *sums
        )
        queries.append(query)
    frames = collect_all(queries, [p.survey for p in rest], width=width) if rest else []
    read = {same_file(plan): frame for plan, frame in zip(rest, frames, strict=True)}
    for plan in plans:
        if plan.group not in tallies:
            tallies[plan.group] = _typed(read[same_file(plan)], plan.group)
    weighted = {p.group for p in plans if p.weight_column}
    for group, frame in tallies.items():
        out[group] = {  # a group without weights keeps its plain counts
            row[0]: tally_counts(row[1], row[2], row[3], row[4:] if group in weighted else None)
            for row in frame.select("wave", *TALLY_COLUMNS).rows()
        }
    table = pl.concat([tallies[p.group] for p in plans])
    return Composite({p.group: out[p.group] for p in plans}, tuple(votes), votes, table)


def _typed(frame: pl.DataFrame, group: str) -> pl.DataFrame:
    """A tally query's result as the tallies' table: group, wave, TALLY_COLUMNS (counts as
    Int64, sums as Float64; an empty sum is 0), sorted by wave."""
    return frame.select(
        pl.lit(group, dtype=pl.String).alias("group"),
        pl.col("wave").cast(pl.String),
        pl.col(*TALLY_COLUMNS[:3]).fill_null(0).cast(pl.Int64),
        pl.col(*TALLY_COLUMNS[3:]).fill_null(0).cast(pl.Float64),
    ).sort("wave", nulls_last=False)


def composite_votes(
    codings: list[ItemCoding], rule: AgreeRule, counts: pl.DataFrame | None, groups: list[str]
) -> tuple[dict[str, dict[str, int]], dict[str, list[str]]]:
    """Each composite item's vote per answer, and the items left out (item -> the groups
    that never answered it).

    An answer becomes +1 (agrees) or -1 (answered, does not agree); a respondent agrees
    overall when the +1s are at least the -1s, i.e. agreed >= half of answered. Every
    item must fit the rule: the error names the first that does not.
    """
    unanswered = _never_answered(counts, codings, groups)
    kept = [c for c in codings if c.item not in unanswered]
    thresholds = [rule.threshold(c.scale, c.item) for c in kept]
    votes = {
        c.item: {answer: 1 if code >= threshold else -1 for answer, code in c.codes.items()}
        for c, threshold in zip(kept, thresholds, strict=True)
    }
    return votes, unanswered


_NO_WAVE = pl.lit(None, dtype=pl.String).alias("wave")


def provisional_votes(
    plans: list[FilePlan], samples: dict[str, pl.DataFrame], cfg: Config
) -> dict[str, dict[str, int]] | None:
    """The composite's votes as the first rows decide them, so the counting pass can
    tally the composite too; None when the headline is an item, or nothing fits.

    After counting, the votes are decided again on every row: the tally stands only when
    the two agree (:meth:`cxgap.analysis.Prepared.composite`), else the composite takes
    a pass of its own.
    """
    heads = cfg.pairs([p.group for p in plans])[0]
    first, second = (next(p for p in plans if p.group == g) for g in heads)
    shared = [i for i in first.items if i in second.items]
    key = name_key(cfg.headline_item)
    if (
        not shared
        or any(name_key(i) == key for i in shared)
        or set(samples) != {p.group for p in plans}
    ):
        return None
    sample = pl.concat(
        [
            frame.select(
                pl.lit(g).alias("group"),
                "item",
                _NO_WAVE,
                "value",
                "n",
                *(pl.col("n").cast(pl.Float64).alias(w) for w in ("w_sum", "w2_sum")),
            )
            for g, frame in samples.items()
        ]
    )
    try:
        codings, _, _ = resolve_items(
            sample,
            shared,
            default_scale=cfg.scale_for(""),
            item_scales=item_scales(cfg),
            non_answers=cfg.non_answers,
            vocabularies=vocabularies(cfg),
            declared=declared_scales(plans, cfg),
            scale_set=cfg.scale_is_set,
        )
        votes, _ = composite_votes(codings, AgreeRule.parse(cfg.agree), sample, list(heads))
    except CxgapError:
        return None
    return votes or None


def _stored_composite(
    stored: StoredPasses, votes: dict[str, dict[str, int]], *, by_wave: bool
) -> dict[str, pl.DataFrame]:
    """The composite's tallies per group (and wave) counted with these same votes (a
    counts file's, or the counting pass's), for the groups they hold. Tallies without
    weighted sums (a counts file written before weights) are unweighted: their sums are
    the counts."""
    if stored.composite is None or stored.composite_votes != votes:
        why, hint = (
            ("the composite headline was not counted: the headline was an item then",
             "name that item with --headline-item, or count the exports again")
            if stored.composite is None
            else (f"the composite headline was counted with agree = {stored.agree!r} and the "
                  "scales decided then", "analyse with those settings, or count the exports "
                  "again with these")
        )  # fmt: skip
        raise NeedsRows(file=stored.path, what=f"each respondent's answers ({why})", hint=hint)
    tallies = stored.composite
    if "w_n" not in tallies.columns:
        counts = {"w_n": "n", "w_agree": "agree", "w2_n": "n", "w2_agree": "agree"}
        tallies = tallies.with_columns(
            pl.col(c).cast(pl.Float64).alias(w) for w, c in counts.items()
        )
    if not by_wave:
        tallies = tallies.group_by("group", maintain_order=True).agg(pl.col(*TALLY_COLUMNS).sum())
        tallies = tallies.with_columns(wave=pl.lit(None, dtype=pl.String))
    return {
        group: _typed(tallies.filter(pl.col("group") == group), group)
        for group in dict.fromkeys(tallies["group"].to_list())
    }


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


#: The headline item when none is set; it may be absent (then the composite is the headline).


DEFAULT_HEADLINE_ITEM: str = Config.model_fields["headline_item"].default


def crosstab(plan: FilePlan, codings: list[ItemCoding], overall: str) -> pl.DataFrame | None:
    """Every other item's answers against ``overall``'s in one file, per wave (see
    :func:`cxgap.counts.crosstab_query`), sorted; None when ``overall`` is no item."""
    names = {c.item for c in codings}
    if overall not in names:
        return None
    others = [c.item for c in codings if c.item != overall]
    if not others:
        return _EMPTY
    columns = {item: plan.items[item] for item in others}
    by, wave, weight = plan.items[overall], plan.wave_column, plan.weight_column
    # Items answered in plain integers ("4", as the integer counting pass writes them)
    # are read as integers, which is several times faster than text.
    integer = all(_plain_integer(a) for c in codings for a in c.codes)
    table = None
    if integer:
        query = crosstab_query(
            plan.survey, columns=columns, by=by, wave=wave, integer=True, weight=weight
        )
        try:
            table = plan.survey.collect(query)
        except InputError:  # an answer that is not a small integer: read the text
            table = None
    if table is None:
        query = crosstab_query(plan.survey, columns=columns, by=by, wave=wave, weight=weight)
        table = plan.survey.collect(query)
    # sorted: the sums then add up in one order, so r is the same to the last bit
    return table.sort(CROSSTAB_ORDER, nulls_last=False)


def _plain_integer(answer: str) -> bool:
    return answer.lstrip("-").isdigit() and answer == str(int(answer))


CROSSTAB_ORDER = ["wave", "item", "value", "by_value"]
_EMPTY = pl.DataFrame(schema=CROSSTAB_SCHEMA)
