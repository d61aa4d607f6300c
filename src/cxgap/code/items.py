"""Which columns are items in the leaders' and the customers' files, each item's scale,
and the error that names the first answer fitting no scale."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path

import polars as pl

from cxgap.code.answers import stray_reason
from cxgap.code.choose import ScaleChoice
from cxgap.code.coding import ItemCoding, NotAnItem, Unrecognised, resolve_items
from cxgap.code.declared import declared_scale, declared_words
from cxgap.config import Config
from cxgap.config.sections import possessive
from cxgap.errors import NoCommonItems, NoItems, ScaleError, UnknownItem, toml_key
from cxgap.io.plan import FilePlan, match_names, near_miss
from cxgap.io.source import SurveyFile
from cxgap.scales import VOCABULARIES, Scale


def item_scales(cfg: Config) -> dict[str, Scale]:
    return {k: cfg.scale_for(k) for k, v in cfg.items.items() if v.scale}


def vocabularies(cfg: Config) -> tuple[Scale, ...]:
    """Built-in vocabularies, then the config's own."""
    return (*VOCABULARIES, *cfg.custom_scales().values())


def declared_scales(plans: list[FilePlan], cfg: Config) -> dict[str, ScaleChoice | None]:
    """Scales the files' metadata declare (SPSS value labels), by item; the leaders'
    file first. None for an item whose declared labels are categories (two or more
    word labels that do not read as an ordered scale): it is not an item."""
    out: dict[str, ScaleChoice | None] = {}
    for plan in plans:
        for item, column in plan.items.items():
            labels = plan.survey.value_labels.get(column)
            if labels and item not in out:
                choice = declared_scale(labels, cfg.non_answers, vocabularies(cfg))
                if choice is not None or len(declared_words(labels, cfg.non_answers)) >= 2:
                    out[item] = choice
    return out


#: How many not-item columns a warning names before it summarises.
NOT_ITEMS_SHOWN = 5


def decide_items(
    counts: pl.DataFrame, plans: list[FilePlan], cfg: Config, presniffed: list[NotAnItem]
) -> tuple[list[ItemCoding], list[NotAnItem], dict[str, list[str]], list[str]]:
    """Which columns are items in every group's file, and each item's scale."""
    first = plans[0]
    warnings: list[str] = []
    default_scale = cfg.scale_for("")
    scales = item_scales(cfg)
    # The items are those of the headline comparison's groups (leaders and customers);
    # another group without an item's column has no answers to it (n/a), not fewer items.
    heads = cfg.pairs([p.group for p in plans])[0]
    required = [p for p in plans if p.group in heads]
    shared = _in_all(required)
    in_all = set(shared)
    included: set[str] | None = None
    if cfg.include_items is not None:  # exactly these: other columns are not looked at
        included = set.intersection(*(set(p.included or ()) for p in required))
        check_included(cfg.include_items, required)
        shared = [i for i in shared if i in included]
    strict = set().union(*(p.named for p in plans))
    declared = declared_scales(plans, cfg)
    codings, problems, skipped = resolve_items(
        counts,
        shared,
        default_scale=default_scale,
        item_scales=scales,
        non_answers=cfg.non_answers,
        strict=strict,
        unknown_as_missing=cfg.unknown_answers == "missing",
        vocabularies=vocabularies(cfg),
        declared=declared,
        scale_set=cfg.scale_is_set,
    )
    if problems and cfg.unknown_answers == "error":
        raise _scale_error(problems, counts, plans, set_for=set(scales))
    seen = {s.item for s in skipped}
    skipped += [s for s in presniffed if s.item not in seen]
    only = {}
    for plan in plans:
        # (the importance items of stated_importance are asked of one group by design)
        lone = [i for i in plan.items if i not in in_all and i not in cfg.stated_importance]
        lone_codings, _, _ = resolve_items(
            counts.filter(pl.col("group") == plan.group),
            lone,
            default_scale=default_scale,
            item_scales=scales,
            non_answers=cfg.non_answers,
            vocabularies=vocabularies(cfg),
            declared=declared,
            scale_set=cfg.scale_is_set,
        )
        only[plan.group] = sorted(c.item for c in lone_codings)
        if only[plan.group]:
            where = "only in" if len(plans) == 2 else (
                f"not in both the {possessive(heads[0])} and the {possessive(heads[1])} "
                "files, but in"
            )  # fmt: skip
            warnings.append(
                f"{len(only[plan.group])} item(s) {where} the {possessive(plan.group)} file, "
                "left out: " + ", ".join(only[plan.group])
            )
    skipped = [_located(s, counts, plans) for s in skipped]
    for s in skipped:
        if s.kind == "strays":
            warnings.append(f"column {s.item!r} left out: {s.reason}")
    others = [s for s in skipped if s.kind != "strays"]
    if others:
        shown = "; ".join(f"{s.item!r}: {s.reason}" for s in others[:NOT_ITEMS_SHOWN])
        more = len(others) - NOT_ITEMS_SHOWN
        warnings.append(
            f"{len(others)} column(s) are not items, left out (all in excluded.not_items): "
            + shown
            + (f"; and {more} more" if more > 0 else "")
        )
    for p in problems:  # only with unknown_answers = "missing"
        shown = ", ".join(f"{v!r} ({n}x)" for v, n in p.values[:5])
        warnings.append(
            f"item {p.item!r}: answers that fit no scale counted as missing (every file): {shown}"
        )

    warnings += _assumed_warnings(codings)
    if included is not None:
        known = {c.item for c in codings}
        missing = sorted(i for i in included if i not in known)
        if missing:
            raise UnknownItem(names=", ".join(missing), file=_paths(plans))
        codings = [c for c in codings if c.item in included]
    for plan in plans:  # another group without some items' columns: n/a there
        lacking = [c.item for c in codings if c.item not in plan.items]
        if lacking and plan.group not in heads:
            warnings.append(
                f"{len(lacking)} item(s) not in the {possessive(plan.group)} file, so its "
                f"answers are n/a there: {', '.join(lacking)}"
            )
    strays = [s.problem for s in skipped if s.problem is not None]
    if not codings and strays:  # nothing else to analyse: the strays are the problem
        raise _scale_error(strays, counts, plans)
    if not codings:
        same = len({p.survey.path for p in plans}) == 1
        where = str(first.survey.path) if same else _paths(plans)
        shared = _in_all(required)
        kind: type[NoCommonItems] | type[NoItems] = NoCommonItems
        if same or not any(only.values()):  # no scale item anywhere: not "in common"
            kind = NoItems
            message = "no column holds answers on a known scale" + (
                f" ({len(shared):,} columns looked at)" if shared else ""
            )
        else:
            columns = "; ".join(f"{possessive(p.group)} columns: {_sample(p.items)}" for p in plans)
            every = "both" if len(plans) == 2 else "all"
            message = (
                "no items in common: expected at least one column with scale answers in "
                f"{every} files ({columns})"
            )
        raise kind(
            message + _why_not(skipped),
            file=where,
            hint=_sheet_hint(plans) + "if a column is an item, name it in include_items and "
            "set its scale, or add its labels to vocabularies",
        )
    return codings, skipped, only, warnings


def held_answers(
    counts: pl.DataFrame, groups: list[str], item: str, values: list[str]
) -> list[tuple[str, int]]:
    """Which of ``values`` the groups gave to ``item``, and how often, in their order."""
    held = (
        counts.filter(
            pl.col("group").is_in(groups) & (pl.col("item") == item) & pl.col("value").is_in(values)
        )
        .group_by("value")
        .agg(pl.col("n").sum())
    )
    found = dict(held.iter_rows())
    return [(v, int(found[v])) for v in values if found.get(v)]


def by_file(plans: list[FilePlan], item: str) -> dict[str, list[FilePlan]]:
    """The plans with ``item``, by file (the groups of a split file together)."""
    out: dict[str, list[FilePlan]] = {}
    for plan in plans:
        if item in plan.items:
            out.setdefault(str(plan.survey.path), []).append(plan)
    return out


def _located(s: NotAnItem, counts: pl.DataFrame, plans: list[FilePlan]) -> NotAnItem:
    """A column left out for stray answers, its reason naming the file(s) that hold
    them (not their rows: a counts table has none, and the analysis of counts is the
    analysis of the exports byte for byte; validate gives the rows)."""
    if s.kind != "strays" or s.problem is None:
        return s
    bad = [v for v, _ in s.problem.values]
    parts = []
    for name, mine in by_file(plans, s.item).items():
        held = held_answers(counts, [p.group for p in mine], s.item, bad)
        if not held:
            continue
        shown = ", ".join(f"{v!r} ({n}x)" for v, n in held)
        parts.append(f"{shown} in {name}")
    return replace(s, reason=stray_reason(s.problem, where="; ".join(parts))) if parts else s


def _sheet_hint(plans: list[FilePlan]) -> str:
    """Where a workbook of several sheets was read from its first: how to name another."""
    for plan in plans:
        path, sheets = plan.survey.path, plan.survey.sheets
        if sheets:
            other = sheets[1] if len(sheets) == 2 else "SHEET"
            return (
                f"{path} has {len(sheets)} sheets and the first, {sheets[0]!r}, was read: "
                f"to read another, give {path}#{other}; "
            )
    return ""


def _in_all(plans: list[FilePlan]) -> list[str]:
    """The items every group's file has, in the first file's order."""
    return [i for i in plans[0].items if all(i in p.items for p in plans[1:])]


def _paths(plans: list[FilePlan]) -> str:
    return " / ".join(dict.fromkeys(str(p.survey.path) for p in plans))


def check_included(patterns: list[str], plans: list[FilePlan]) -> None:
    """Every include_items name or glob must match an item in both files; a near miss is
    shown with where it differs."""
    for plan in plans:
        names = list(plan.items)
        _, unmatched = match_names(patterns, names)
        if unmatched:
            first = unmatched[0]
            raise UnknownItem(
                f"include_items {first!r} matches no column of this file"
                + near_miss(first, [*names, *plan.roles])
                + (f" ({len(unmatched) - 1} more unmatched)" if len(unmatched) > 1 else ""),
                file=plan.survey.path,
            )


def _assumed_warnings(codings: list[ItemCoding]) -> list[str]:
    """One warning per guessed scale, naming its items: the user should confirm it."""
    by_scale: dict[str, list[str]] = {}
    for c in codings:
        if c.assumed:
            by_scale.setdefault(c.scale.name, []).append(c.item)
    return [
        f"{len(items)} item(s) read on the {name} scale, a guess from their codes alone (no "
        f"labels or metadata); set scale (--scale) or the item's scale to confirm: "
        + ", ".join(repr(i) for i in items[:8])
        + (f" and {len(items) - 8} more" if len(items) > 8 else "")
        for name, items in by_scale.items()
    ]


def _why_not(skipped: list[NotAnItem]) -> str:
    """'; not items: 12 option columns, 3 free text, ...' from the reasons."""
    kinds: dict[str, int] = {}
    for s in skipped:
        kind = s.reason.split(" (")[0].split(":")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    if not kinds:
        return ""
    ranked = sorted(kinds.items(), key=lambda kv: -kv[1])[:4]
    return "; not items: " + ", ".join(f"{n} x {kind}" for kind, n in ranked)


def _sample(names: Mapping[str, str], limit: int = 6) -> str:
    listed = list(names)
    text = ", ".join(repr(n if len(n) <= 40 else n[:39] + "\u2026") for n in listed[:limit])
    return text + (f", ... ({len(listed)} in all)" if len(listed) > limit else "") or "none"


def _scale_error(
    problems: list[Unrecognised],
    counts: pl.DataFrame,
    plans: list[FilePlan],
    *,
    set_for: Collection[str] = (),
) -> ScaleError:
    """One clear error for the first item with answers that fit no scale, at its first row."""
    problem = problems[0]
    bad = [v for v, _ in problem.values]
    plan = next(
        p
        for p in plans
        if counts.filter(
            (pl.col("group") == p.group)
            & (pl.col("item") == problem.item)
            & pl.col("value").is_in(bad)
        ).height
    )
    column = plan.items[problem.item]
    where, value = _first_row(plan.survey, column, bad)
    file, row = where if where is not None else (plan.survey.path, None)
    shown = ", ".join(f"{v!r} ({c}x)" for v, c in problem.values[:5])
    more = len(problem.values) - 5
    scale = problem.scale
    expected = f"a label of the {scale.name} scale" if scale.labels else f"a code from {scale.name}"
    message = (
        f"answer {value!r} is not on the item's scale: expected {expected} or a non-answer; "
        f"unrecognised answers in this item: {shown}" + (f" and {more} more" if more > 0 else "")
    )
    if len(problems) > 1:
        message += f"; {len(problems) - 1} more item(s) have the same problem"
    if problem.item in set_for:
        # the item's own scale was set: suggesting to set it helps nobody
        hint = (
            f"the {scale.name} scale was set for this item: list the answer in non_answers, "
            "set another scale, or add the answers' labels to vocabularies"
        )
    else:
        hint = (
            "list the answer in non_answers, or set the item's scale: --scale 1-7, or in "
            f'cxgap.toml: items.{toml_key(problem.item)}.scale = "1-7"'
        )
    return ScaleError(message, file=file, row=row, column=column, hint=hint)


def _first_row(
    survey: SurveyFile, column: str, values: list[str]
) -> tuple[tuple[Path, int] | None, str]:
    """The file row and answer of the first response with one of ``values`` (error path;
    no row for a file known only from its counts)."""
    if not survey.has_rows:
        return None, values[0]
    query = (
        survey.scan(text_columns=[column])
        .select(pl.col(column).cast(pl.String))
        .with_row_index("__row")
        .filter(pl.col(column).is_in(values))
        .head(1)
    )
    found = survey.collect(query)
    if not found.height:  # pragma: no cover - the values came from this file's counts
        return None, values[0]
    return survey.locate(int(found["__row"][0])), str(found[column][0])


__all__ = [
    "by_file",
    "check_included",
    "decide_items",
    "declared_scales",
    "held_answers",
    "item_scales",
    "possessive",
    "vocabularies",
]
