"""From answers as written to scale codes, decided on the counts table.

Each item's scale is chosen once from the distinct answers both groups gave
(so leaders and customers are always read on the same scale), from the
strongest evidence there is, in this order:

1. config: the item's own ``scale`` in ``[items]``;
2. metadata: declared value labels (SPSS), whose whole declared range counts;
3. labels: a vocabulary that covers the text answers, or a scale whose ends
   are labelled and whose interior points are numbers (``Strongly disagree``,
   ``2`` ... ``9``, ``Strongly agree``), or numbers written with their label
   (``Very likely7``, ``4 - Very impressive``: the number is the code);
4. numbers only: the top-level ``scale`` when it was set, else the standard
   range (1-5, 1-7, 1-10, 0-10, 0-100) that the observed codes fit, a guess
   that is reported as one.

A column no scale fits is not an item: the reason (free text, ids, years,
dates, counts, a multi-select option column, empty) is reported and the run
goes on. A column that fits a scale but for a few stray answers is left out
with a warning listing them, unless the user named it as an item: then the
strays are an error that names them. The work is vectorised over distinct
answers, never over rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, overload

import polars as pl

from cxgap.code.answers import (
    Answers,
    ItemCoding,
    NotAnItem,
    Summary,
    Unrecognised,
    by_item,
    category_reason,
    classify,
    fit_share,
    is_stray,
    one_option,
    partial_reason,
    stray_reason,
)
from cxgap.code.choose import (
    ITEM_MIN_FIT,
    OPTION_COLUMN_MIN,
    ScaleChoice,
    choose_scale,
    no_answers,
    numbers_scale,
)
from cxgap.code.graded import MIN_DISTINCT as GRADED_MIN_DISTINCT
from cxgap.counts_table import WEIGHT_SUMS
from cxgap.scales import (
    DEFAULT_NON_ANSWERS,
    NON_ANSWER_PATTERN,
    VOCABULARIES,
    Scale,
    normalise_label,
)

__all__ = [
    "ItemCoding",
    "NotAnItem",
    "Unrecognised",
    "answer_table",
    "code_counts",
    "resolve_items",
]


def normalise_expr(expr: pl.Expr) -> pl.Expr:
    """The polars twin of :func:`cxgap.scales.normalise_label`."""
    return (
        expr.str.replace_all("[\u2019\u2018\u02bc`]", "'")
        .str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def answer_table(
    counts: pl.DataFrame, non_answers: Iterable[str], *, distinct: bool = False
) -> pl.DataFrame:
    """Distinct (item, value) with their total n, normalised form and numeric form, sorted
    by item and value. ``distinct``: ``counts`` holds one row per (item, value) already
    (a sniff's; grouping them again would cost as much memory as the rest)."""
    given = counts.lazy().select("item", "value", pl.col("n").cast(pl.Int64))
    if not distinct:
        given = given.group_by("item", "value").agg(pl.col("n").sum())
    # in a fixed order: the examples that messages quote are then the same every run
    table = given.sort("item", "value", nulls_last=False).collect()
    # What an answer says does not depend on its item: worked out once per distinct answer
    # (columns of a wide export share most of theirs: numbers, dates, categories).
    forms = _answer_forms(table.lazy().select("value").unique(), non_answers).collect()
    return table.join(forms, on="value", how="left", nulls_equal=True, maintain_order="left")


def _answer_forms(values: pl.LazyFrame, non_answers: Iterable[str]) -> pl.LazyFrame:
    """Each answer's normalised form, whether it is a non-answer, and its number (lazily:
    the query computes the number once for its several uses)."""
    missing = sorted(DEFAULT_NON_ANSWERS | {normalise_label(v) for v in non_answers})
    table = values.with_columns(norm=normalise_expr(pl.col("value")))
    # "4,0" (a decimal comma) is 4; "very likely 7" (Qualtrics slider endpoints exported
    # as label and code) is 7; "4 - very impressive" (code and label) is 4.
    norm = pl.col("norm")
    suffixed = norm.str.contains(r"^[^\d]*[a-z][^\d]*?\s?\d{1,3}$")
    prefixed = norm.str.contains(r"^\d{1,3}\s*[-=:.)\u2013\u2014]\s*[^\d\s]")
    numeric_text = (
        pl.when(norm.str.contains(r"^-?\d+,\d+$"))
        .then(norm.str.replace(",", ".", literal=True))
        .when(suffixed)
        .then(norm.str.extract(r"(\d{1,3})$"))
        .when(prefixed)
        .then(norm.str.extract(r"^(\d{1,3})"))
        .otherwise(norm)
    )
    number = numeric_text.cast(pl.Float64, strict=False)
    return table.with_columns(
        missing=pl.col("value").is_null()
        | pl.col("norm").is_in(missing)
        | pl.col("norm").str.contains(NON_ANSWER_PATTERN),
        code=pl.when(number.is_finite() & (number.abs() < 1e9) & (number == number.round(0)))
        .then(number.cast(pl.Int64, strict=False))
        .otherwise(None),
        labelled=suffixed | prefixed,
        decimal=number.is_finite() & (number != number.round(0)),
    )


def resolve_items(
    counts: pl.DataFrame,
    items: Iterable[str],
    *,
    default_scale: Scale,
    item_scales: Mapping[str, Scale],
    non_answers: Iterable[str] = (),
    strict: Iterable[str] = (),
    unknown_as_missing: bool = False,
    vocabularies: Sequence[Scale] = VOCABULARIES,
    declared: Mapping[str, ScaleChoice | None] | None = None,
    scale_set: bool = True,
    validating: bool = False,
    answers: pl.DataFrame | None = None,
) -> tuple[list[ItemCoding], list[Unrecognised], list[NotAnItem]]:
    """Decide each item's scale and code map from a counts table.

    ``strict`` items (named by the user) are never skipped: answers that fit no
    scale are reported as problems. Other columns are items only when their
    answers fit a scale; ``declared`` holds scales from the file's metadata;
    ``scale_set`` says the user chose ``default_scale`` (else numeric items get
    the standard range their codes fit). ``validating`` keeps empty columns as items
    (validate reports them as all-missing); every other decision is analyze's, so the
    two commands never disagree on what is an item or an error. ``answers``: the
    counts' answer table, when the caller has it already (see :func:`answer_table`).
    """
    items = list(items)
    if not items:  # (no table to build: a dozen small queries saved)
        return [], [], []
    # only the items asked about: the other columns' distinct answers may be millions
    counts = counts.filter(pl.col("item").is_in(items))
    if answers is None:
        answers = answer_table(counts, non_answers)
    else:
        answers = answers.filter(pl.col("item").is_in(items))
    strict_set = set(strict)
    codings: list[ItemCoding] = []
    problems: list[Unrecognised] = []
    skipped: list[NotAnItem] = []
    per_item = by_item(answers, vocabularies)
    options = _option_columns(counts, answers)
    declared_map = declared or {}
    for item in items:
        frame = per_item.get(item)
        if frame is None:
            continue
        given = item_scales.get(item)
        categories = given is None and item in declared_map and declared_map[item] is None
        if categories and item not in strict_set:  # declared categories: not an item
            skipped.append(NotAnItem(item, category_reason(frame)))
            continue
        choice = (
            ScaleChoice(given, "config", f"set for this item in config ({given.name})")
            if given is not None
            else declared_map.get(item)
        )
        named = item in strict_set
        if choice is None:
            choice = _choose(frame, default_scale, scale_set, vocabularies)
            if choice is None and not named:  # every answer unrecognised: it fits 0
                skipped.append(NotAnItem(item, classify(frame), 0.0))
                continue
        outcome = _resolve_one(item, frame, default_scale, choice=choice)
        if isinstance(outcome, ItemCoding):
            empty = outcome.n_answers == 0 and not validating
            if not named and (empty or one_option(frame) or item in options):
                skipped.append(NotAnItem(item, classify(frame), float(outcome.n_answers > 0)))
            else:
                codings.append(outcome)
        elif named:
            if unknown_as_missing:  # policy: answers that fit no scale count as non-answers
                codings.append(_lenient(item, frame, outcome))
            problems.append(outcome)
        elif unknown_as_missing and outcome.choice and fit_share(outcome) >= ITEM_MIN_FIT:
            codings.append(_lenient(item, frame, outcome))
            problems.append(outcome)
        elif is_stray(outcome):
            skipped.append(
                NotAnItem(item, stray_reason(outcome), fit_share(outcome), "strays", outcome)
            )
        elif outcome.choice is not None and fit_share(outcome) >= ITEM_MIN_FIT:
            skipped.append(NotAnItem(item, partial_reason(outcome), fit_share(outcome)))
        else:
            skipped.append(NotAnItem(item, classify(frame), fit_share(outcome)))
    return codings, problems, skipped


def _option_columns(counts: pl.DataFrame, answers: pl.DataFrame) -> set[str]:
    """Items that are an option column in every group that answered them (one distinct
    answer each, given as an option column gives it: see one_option) and whose files
    write that answer differently, a code in one (a numeric export) and a label in the
    other (a text export). Pooling the groups would hide such a column; a real item
    that each group answered unanimously writes its answers alike and stays."""
    if "group" not in counts.columns:
        return set()
    missing = pl.col("missing").fill_null(True)
    per = (
        counts.join(
            answers.select("item", "value", "missing", "code"), on=["item", "value"], how="left"
        )
        .group_by("group", "item")
        .agg(
            distinct=pl.col("value").filter(~missing).n_unique(),
            given=pl.col("n").filter(~missing).sum(),
            blank=pl.col("n").filter(pl.col("value").is_null()).sum(),
            numeric=pl.col("code").filter(~missing).is_not_null().first(),
        )
        .filter(pl.col("given") > 0)
        .with_columns(
            option=(pl.col("distinct") == 1)
            & ((pl.col("given") >= OPTION_COLUMN_MIN) | (pl.col("blank") >= pl.col("given")))
        )
        .group_by("item")
        .agg(
            pl.col("option").all(),
            kinds=pl.col("numeric").n_unique(),
        )
        .filter(pl.col("option") & (pl.col("kinds") > 1))
    )
    return set(per["item"].to_list())


def _lenient(item: str, frame: Answers, problem: Unrecognised) -> ItemCoding:
    choice = problem.choice or ScaleChoice(problem.scale, "config", "the configured scale")
    return _resolve_one(item, frame, problem.scale, choice=choice, lenient=True)


def _choose(
    frame: Answers, default_scale: Scale, scale_set: bool, vocabularies: Sequence[Scale]
) -> ScaleChoice | None:
    """:func:`choose_scale`'s choice for an item's answers, from their summary alone where
    it decides: whole numbers written alone (their range), or text that plainly fits no
    scale; a wide export's many columns of ids, dates and free text then build no frame."""
    s = frame.summary
    if s.plain:
        if s.total == 0:
            return no_answers(default_scale)
        lo, hi = s.coded_low, s.coded_high
        return numbers_scale(lo, hi, s.coded_rows, default_scale, scale_set=scale_set)
    if _plainly_unscaled(s, default_scale, scale_set):
        return None
    answered = frame.frame.filter(~pl.col("missing"))
    return choose_scale(answered, default_scale, scale_set=scale_set, vocabularies=vocabularies)


def _plainly_unscaled(s: Summary, default_scale: Scale, scale_set: bool) -> bool:
    """True where :func:`choose_scale` finds no scale for these answers, told cheaply:
    text that no vocabulary knows for at least half of it, with few numbers and no
    end-labelled numbers (a free-text, id or category column of a wide export)."""
    if scale_set and default_scale.labels is not None:
        return False
    if s.total == 0 or not s.text_rows or (s.coded_rows and s.text_rows <= 2):
        return False
    if not s.known_n and s.coded_n > s.total / 2:
        return False  # the numeric path
    if s.graded_n == s.text_n and s.text_rows >= GRADED_MIN_DISTINCT:
        return False  # the points of a graded scale ("Slightly helpful"): see graded_scale
    return s.known_n < ITEM_MIN_FIT * s.text_n


@overload
def _resolve_one(
    item: str,
    frame: Answers,
    default_scale: Scale,
    *,
    choice: ScaleChoice | None,
    lenient: Literal[True],
) -> ItemCoding: ...
@overload
def _resolve_one(
    item: str,
    frame: Answers,
    default_scale: Scale,
    *,
    choice: ScaleChoice | None,
    lenient: bool = False,
) -> ItemCoding | Unrecognised: ...
def _resolve_one(
    item: str,
    frame: Answers,
    default_scale: Scale,
    *,
    choice: ScaleChoice | None,
    lenient: bool = False,
) -> ItemCoding | Unrecognised:
    """An item's answers mapped to the codes of its scale (``choice``; None: no scale fits)."""
    rows = [
        (r[frame.value], r[frame.norm], r[frame.code], r[frame.n], r[frame.labelled])
        for r in frame.rows
        if not r[frame.missing]
    ]
    n_answers = sum(int(r[3]) for r in rows)
    if choice is None:  # no scale fits: every answer is unrecognised
        values = sorted(((r[0], int(r[3])) for r in rows), key=lambda x: (-x[1], x[0]))
        return Unrecognised(item, default_scale, values, n_answers, None)
    # The distinct answers of one item are few: mapped in plain Python (a polars query
    # per item costs more than the mapping, and wide exports have a thousand items).
    scale = choice.scale
    labels = scale.label_map()
    valid_codes = set(scale.codes)
    mapped: list[tuple[str, int | None, int]] = []
    platform_na: list[tuple[str, int]] = []
    for value, norm, code, n, _ in rows:
        to = labels.get(norm) if norm is not None else None
        if to is None and code is not None and code in valid_codes:
            to = code
        if to is None and code is not None and code < 0 and scale.min_code >= 0:
            platform_na.append((value, n))
        else:
            mapped.append((value, to, n))
    reason = choice.reason
    if platform_na:  # Qualtrics codes "No basis for evaluation" and the like -1, -2
        shown = ", ".join(f"{v!r} ({n}x)" for v, n in platform_na)
        reason += f"; negative codes {shown} are the platform's non-answers"
        n_answers -= sum(n for _, n in platform_na)
    unfit = sorted(((v, n) for v, to, n in mapped if to is None), key=lambda x: (-x[1], x[0]))
    choice = ScaleChoice(scale, choice.source, reason, choice.assumed)
    if unfit and not lenient:
        return Unrecognised(item, scale, unfit, n_answers, choice)
    codes = {str(v): int(to) for v, to, _ in mapped if to is not None}
    return ItemCoding(item, scale, codes, n_answers, choice.source, reason, choice.assumed)


def code_counts(
    counts: pl.DataFrame, codings: Iterable[ItemCoding], by: Sequence[str] = ()
) -> pl.DataFrame:
    """Counts per (group, item, wave, code), pooled over any segment keys but those in
    ``by`` (kept first); code is null for non-answers. Sorted by ``by``, then group, item,
    wave and code."""
    mapping = pl.DataFrame(
        [(c.item, value, code) for c in codings for value, code in c.codes.items()],
        schema={"item": pl.String, "value": pl.String, "code": pl.Int64},
        orient="row",
    )
    items = [c.item for c in codings]
    keys = [*by, "group", "item", "wave", "code"]
    return (
        counts.filter(pl.col("item").is_in(items))
        .join(mapping, on=["item", "value"], how="left", nulls_equal=False)
        .group_by(keys)
        .agg(pl.col("n").sum().cast(pl.Int64), *WEIGHT_SUMS)
        .sort(keys, nulls_last=True)
    )
