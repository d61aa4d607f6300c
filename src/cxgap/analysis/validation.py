"""``validate``: every problem in the input files, collected rather than raised.

Each file is read once for its counts (the same pass as ``analyze``); a few
targeted queries then find the first rows of each problem. Problems are
grouped by kind and column with a count and the first few examples, so ten
thousand bad cells make one line, not ten thousand.

Every problem is a kind from the catalogue in :mod:`cxgap.errors` (its ``code``
and severity come from the class), the same classes ``analyze`` raises, so the
two never disagree on what is an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import polars as pl

from cxgap._version import __version__
from cxgap.analysis.pairing import check_pair, heads_of, lacking
from cxgap.code.answers import stray_reason
from cxgap.code.coding import ItemCoding, Unrecognised, resolve_items
from cxgap.code.items import by_file, check_included, declared_scales, held_answers
from cxgap.config import Config
from cxgap.errors import (
    AllMissing,
    CxgapError,
    HeaderOnly,
    NanText,
    NoItems,
    NotAnItem,
    RaggedRow,
    ReaderNote,
    ScaleError,
    StrayQuote,
    UnclosedQuote,
    UsageError,
)
from cxgap.io import open_survey
from cxgap.io.plan import FilePlan, check_keys, plan_file
from cxgap.model import Example, ItemScale, Problem, ValidationReport
from cxgap.scales import VOCABULARIES
from cxgap.scan import row_checks as checks
from cxgap.scan.counting import count_answers, count_query
from cxgap.scan.split import split_by_group
from cxgap.scan.weights import bad_weight_error, bad_weight_rows, dropped_note, take_bad

NAN_TEXT = {"nan", "-nan", "inf", "-inf", "+inf", "infinity", "-infinity", "null", "none"}


def validate(
    files: Sequence[str | Path],
    config: Config | None = None,
    *,
    source: str = "auto",
    groups: Mapping[str, str | Path] | None = None,
) -> ValidationReport:
    """Check each file against the schema and config; with two files (leaders, customers),
    also their pairing. One file with ``group_column`` set is checked as the groups it is
    split into. ``groups`` adds more groups' files by name (``{"frontline": path}``), as
    ``--frontline`` and ``--group`` do."""
    names: list[str] | None = None
    if groups:
        if len(files) != 2:
            raise UsageError("more groups go with two exports (LEADERS CUSTOMERS)")
        names = ["leaders", "customers", *groups]
        files = [*files, *groups.values()]
    cfg = config or Config()
    problems: list[Problem] = []
    plans: list[FilePlan] = []
    split = bool(cfg.group_column) and len(files) == 1
    scales: list[ItemScale] = []
    counted: list[tuple[FilePlan, pl.DataFrame]] = []
    for k, path in enumerate(files):
        if names is not None:
            group = names[k]
        else:
            group = ("leaders", "customers")[k] if len(files) == 2 and k < 2 else "customers"
        try:
            survey = open_survey(path, source, wave_column=cfg.wave_column)
            if split:  # the groups analyze would make of it
                names = [g for g in cfg.group_names() if cfg.values_for(g)]
                parts = list(split_by_group(dict.fromkeys(names, survey), cfg).items())
            else:
                parts = [(group, survey)]
            mine = [plan_file(s, g, cfg) for g, s in parts]
        except UsageError:
            raise  # the command line, not the file: exit 2 as for any command
        except CxgapError as exc:
            problems.append(_from_error(exc, str(path)))
            continue
        for plan in mine:
            plans.append(plan)
            found, counts = _check_file(plan, cfg, split=split)
            problems += found
            if counts is not None:
                counted.append((plan, counts))
    if plans and cfg.count_keys():
        try:  # the same check analyze makes, so the two never disagree
            check_keys(plans, cfg)
        except CxgapError as exc:
            problems.append(_from_error(exc, str(plans[-1].survey.path)))
    problems += _check_items(counted, cfg, scales, paired=len(plans) >= 2, split=split)
    heads = heads_of(plans, cfg)
    if heads is not None:
        problems += check_pair(list(heads), problems)
        problems += lacking(plans, heads, problems)
    # Both halves of a split file share its file-level problems (ragged lines ...): once each.
    problems = list({p.model_dump_json(): p for p in problems}.values())
    problems.sort(key=lambda p: (p.severity != "error", p.file or "", p.code, p.column or ""))
    errors = sum(p.severity == "error" for p in problems)
    return ValidationReport(
        cxgap_version=__version__,
        valid=errors == 0,
        files=[str(f) for f in files],
        errors=errors,
        warnings=len(problems) - errors,
        problems=problems,
        scales=list({s.model_dump_json(): s for s in scales}.values()),
    )


def _from_error(exc: CxgapError, file: str) -> Problem:
    """A raised error as a problem: same code, same message."""
    examples = [Example(row=exc.row, value="")] if exc.row is not None else []
    message = exc.message + (f" ({exc.hint})" if exc.hint else "")
    return Problem(code=exc.code, severity=exc.severity, file=exc.file or file,
                   column=exc.column, count=1, message=message, examples=examples)  # fmt: skip


def _group_of(plan: FilePlan, cfg: Config, split: bool) -> str:
    """' in the leaders' group (role = manager)' when one file was split by a column."""
    if not split:
        return ""
    values = cfg.values_for(plan.group)
    return f" in the {plan.group}' group ({cfg.group_column} = {', '.join(values)})"


def _check_file(
    plan: FilePlan, cfg: Config, *, split: bool = False
) -> tuple[list[Problem], pl.DataFrame | None]:
    """The problems of one file (one group's half of a split file) that need no item
    decision, and its counts for that decision (None when it cannot be counted)."""
    survey, name = plan.survey, str(plan.survey.path)
    out = [checks.problem(ReaderNote, name, None, 1, note) for note in survey.notes]
    ragged = checks.ragged(survey)
    out += ragged
    if any(p.code in (UnclosedQuote.code, StrayQuote.code) for p in ragged):
        return out, None  # read past the quote, the answers are garbled or the read fails
    if cfg.include_items:
        try:  # the same check analyze makes, so the two never disagree
            check_included(cfg.include_items, [plan])
        except CxgapError as exc:
            return [*out, _from_error(exc, name)], None
    if not plan.items:
        out.append(checks.problem(NoItems, name, None, 0))
        return out, None
    bad = 0
    try:
        query = count_query(survey, group=plan.group, columns=plan.items, weight=plan.weight_column)
        counts = count_answers([(survey, query)])
        if plan.weight_column is not None:
            counts, bad, span = take_bad(counts, next(iter(plan.items), ""))
            out += _bad_weights(plan, cfg, bad, every=span is None)
    except (RaggedRow, UnclosedQuote, StrayQuote):
        if ragged:  # listed above, line by line
            return out, None
        raise
    except CxgapError as exc:
        return [*out, _from_error(exc, name)], None
    rows = int(counts.filter(pl.col("item") == next(iter(plan.items)))["n"].sum())
    if rows == 0 and bad:  # every row's weight is bad: that error, said above
        return out, None
    if rows == 0:
        message = HeaderOnly.template + _group_of(plan, cfg, split)
        return [*out, checks.problem(HeaderOnly, name, None, 0, message)], None
    severity: Literal["error", "warning"] = "error" if cfg.duplicates == "error" else "warning"
    out += checks.duplicates(plan, _group_of(plan, cfg, split), severity)
    out += checks.blank_waves(plan, _group_of(plan, cfg, split))
    return out, counts


def _bad_weights(plan: FilePlan, cfg: Config, bad: int, *, every: bool) -> list[Problem]:
    """Rows with a bad weight, as analyze reports them: the same error (an error), or with
    invalid_weights = "drop" the same count (a warning: analyze leaves them out), unless
    ``every`` row has one (an error either way, as analyze stops)."""
    if not bad or plan.weight_column is None:
        return []
    error = bad_weight_error(plan.survey, plan.weight_column, bad, every=every)
    rows = bad_weight_rows(plan.survey, plan.weight_column, checks.MAX_EXAMPLES)
    examples = [Example(row=row, value=shown) for _, row, shown in rows]
    found = _from_error(error, str(plan.survey.path)).model_copy(
        update={"count": bad, "examples": examples}
    )
    if cfg.invalid_weights == "drop" and not every:
        note = dropped_note(plan.survey, plan.weight_column, bad)
        found = found.model_copy(update={"severity": "warning", "message": note})
    return [found]


def _check_items(
    counted: list[tuple[FilePlan, pl.DataFrame]],
    cfg: Config,
    scales: list[ItemScale],
    *,
    paired: bool,
    split: bool,
) -> list[Problem]:
    """Which columns are items and on what scale, decided as analyze decides: for two
    files (or the two groups of one split file) on both groups' answers together, so
    a column is judged once; each file's own items on its answers alone."""
    heads = heads_of([p for p, _ in counted], cfg)
    if paired and heads is not None:
        lead, cust = heads
        shared = [i for i in lead.items if i in cust.items]
        batches = [
            (
                [p for p, _ in counted],
                pl.concat([c for _, c in counted]),
                shared,
                set().union(*(p.named for p, _ in counted)),
                True,
            )
        ]
        for plan, counts in counted:
            lone = [i for i in plan.items if i not in shared]
            if lone:  # analyze leaves these out of comparisons whatever they hold
                batches.append(([plan], counts, lone, set(), False))
    else:
        batches = [([p], c, list(p.items), set(p.named), True) for p, c in counted]
    out: list[Problem] = []
    for plans, counts, items, strict, main in batches:
        out += _decide(plans, counts, items, strict, cfg, scales, main=main, split=split)
    return out


def _decide(
    plans: list[FilePlan],
    counts: pl.DataFrame,
    items: list[str],
    strict: set[str],
    cfg: Config,
    scales: list[ItemScale],
    *,
    main: bool,
    split: bool,
) -> list[Problem]:
    """The problems of one item decision, each in the file (and group) it belongs to."""
    if not items:
        return []
    custom = cfg.custom_scales()
    codings, unknown, skipped = resolve_items(
        counts,
        items,
        default_scale=cfg.scale_for(""),
        item_scales={k: cfg.scale_for(k) for k, v in cfg.items.items() if v.scale},
        non_answers=cfg.non_answers,
        strict=strict,
        unknown_as_missing=cfg.unknown_answers == "missing",
        vocabularies=(*VOCABULARIES, *custom.values()),
        declared=declared_scales(plans, cfg),
        scale_set=cfg.scale_is_set,
        validating=True,
    )
    out: list[Problem] = []
    # analyze stops on answers off the scale of a named item (unless unknown_answers =
    # "missing"), and on stray answers when no other column is an item
    strays = [s.problem for s in skipped if s.problem is not None]
    stop = (
        main
        and not [c for c in codings if c.n_answers > 0 or c.item in strict]
        and (not unknown and bool(strays))
    )
    severity: Literal["error", "warning"] = "error" if cfg.unknown_answers == "error" else "warning"
    for problem in unknown:
        out += _unrecognised(plans, counts, problem, severity)
    for s in skipped:
        if stop and s.problem is not None:
            out += _unrecognised(plans, counts, s.problem, "error")
            continue
        if s.problem is None:
            out += [
                checks.problem(NotAnItem, name, holders[0].items[s.item], 1, s.reason)
                for name, holders in by_file(plans, s.item).items()
            ]
            continue
        bad = [v for v, _ in s.problem.values]
        for name, holders in by_file(plans, s.item).items():
            # each file with its own stray answers; a file without any has nothing to fix
            held = held_answers(counts, [p.group for p in holders], s.item, bad)
            if not held:
                continue
            column = holders[0].items[s.item]
            wanted = [v for v, _ in held]
            examples = sorted(
                (e for p in holders for e in checks.first_rows(p.survey, column, wanted)),
                key=lambda e: e.row or 0,
            )[: checks.MAX_EXAMPLES]
            message = stray_reason(s.problem, held)
            out.append(checks.problem(NotAnItem, name, column, 1, message, examples))
    # An empty column is no item to analyze unless the user named it: listed (and
    # reported all-missing below), never counted as one, so the two never disagree.
    items_found = [c for c in codings if c.n_answers > 0 or c.item in strict]
    if main and not items_found and not unknown and not strays:
        out += [checks.problem(NoItems, str(p.survey.path), None, 0) for p in plans]
    for plan in plans:
        name = str(plan.survey.path)
        # another group's file may lack some of the leaders' and customers' items
        own = [c for c in codings if c.item in plan.items]
        mine = counts.filter(pl.col("group") == plan.group)
        rows = int(mine.filter(pl.col("item") == next(iter(plan.items)))["n"].sum())
        in_file = [p.group for p in plans if str(p.survey.path) == name]
        file_rows = int(
            counts.filter(pl.col("group").is_in(in_file) & (pl.col("item") == items[0]))["n"].sum()
        )
        scales.extend(
            ItemScale(file=name, item=c.item, column=plan.items[c.item], scale=c.scale.name,
                      source=c.source, reason=c.reason)
            for c in items_found
            if c.item in plan.items
        )  # fmt: skip
        valid = _valid_answers(mine, own)
        for coding in own:
            if not valid.get(coding.item):  # in this group only, or (said once) in all
                group = _group_of(plan, cfg, split) if coding.n_answers else ""
                message = AllMissing.template + group
                column = plan.items[coding.item]
                out.append(
                    checks.problem(AllMissing, name, column, rows if group else file_rows, message)
                )
        out += checks.straight_liners(plan, own, _group_of(plan, cfg, split))
    return out


def _valid_answers(counts: pl.DataFrame, codings: list[ItemCoding]) -> dict[str, int]:
    """item -> how many answers of these counts are on the item's scale."""
    if not codings:
        return {}
    mapping = pl.DataFrame(
        [(c.item, v) for c in codings for v in c.codes],
        schema={"item": pl.String, "value": pl.String},
        orient="row",
    )
    found = counts.join(mapping, on=["item", "value"], how="semi")
    return dict(found.group_by("item").agg(pl.col("n").sum()).iter_rows())


def _unrecognised(
    plans: list[FilePlan],
    counts: pl.DataFrame,
    problem: Unrecognised,
    severity: Literal["error", "warning"],
) -> list[Problem]:
    """Answers off an item's scale, in each file that holds them (a split file once)."""
    out = []
    bad = [v for v, _ in problem.values]
    for name, mine in by_file(plans, problem.item).items():
        values = held_answers(counts, [p.group for p in mine], problem.item, bad)
        column = mine[0].items[problem.item]
        nan = [(v, n) for v, n in values if v.strip().lower() in NAN_TEXT]
        other = [(v, n) for v, n in values if v.strip().lower() not in NAN_TEXT]
        kinds: tuple[tuple[type[ScaleError], list[tuple[str, int]], str], ...] = (
            (NanText, nan, "text such as NaN or inf where an answer was expected"),
            (ScaleError, other, _expected(problem)),
        )
        for kind, found_values, what in kinds:
            if not found_values:
                continue
            shown = ", ".join(f"{v!r} ({n}x)" for v, n in found_values[:5])
            more = f" and {len(found_values) - 5} more distinct" if len(found_values) > 5 else ""
            wanted = [v for v, _ in found_values]
            examples = sorted(
                (e for p in mine for e in checks.first_rows(p.survey, column, wanted)),
                key=lambda e: e.row or 0,
            )[: checks.MAX_EXAMPLES]
            out.append(checks.problem(
                kind, name, column, sum(n for _, n in found_values),
                f"{what}; found {shown}{more}", examples, severity=severity,
            ))  # fmt: skip
    return out


def _expected(problem: Unrecognised) -> str:
    scale = problem.scale
    if scale.labels:
        return f"answers outside the {scale.name} labels and the non-answers"
    return f"answers outside the {scale.name} codes and the non-answers"
