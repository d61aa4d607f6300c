"""From answers as written to scale codes, decided on the counts table.

Each item's scale is chosen once from the distinct answers both groups gave
(so leaders and customers are always read on the same scale):

* answers that are numbers are codes on the item's configured numeric scale
  (default 1-5);
* text answers are matched against the built-in vocabularies; the first
  vocabulary that covers the most answers wins;
* non-answers (blank, "N/A", "Don't know", ...) are missing;
* a column where fewer than half the answers fit any scale is not an item
  (a demographic or free-text column) and is skipped with a warning, unless
  the config names it as an item;
* otherwise every answer that fits no scale is an error that names it.

The work is vectorised over distinct answers, never over rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, overload

import polars as pl

from cxgap.scales import DEFAULT_NON_ANSWERS, VOCABULARIES, Scale, normalise_label

#: Share of an item's answers that must fit a scale for a column to be an item.
ITEM_MIN_FIT = 0.5


@dataclass(frozen=True)
class ItemCoding:
    """How one item's answers map to codes."""

    item: str
    scale: Scale
    #: answer as written -> code; answers not in here are missing.
    codes: dict[str, int]
    n_answers: int


@dataclass(frozen=True)
class Unrecognised:
    """Answers of an item that fit neither its scale nor the non-answers."""

    item: str
    scale: Scale
    values: list[tuple[str, int]]  # (answer as written, how many), most frequent first
    n_answers: int


@dataclass(frozen=True)
class NotAnItem:
    item: str
    reason: str
    #: share of its answers that fit a scale
    fit: float = 0.0


def normalise_expr(expr: pl.Expr) -> pl.Expr:
    """The polars twin of :func:`cxgap.scales.normalise_label`."""
    return (
        expr.str.normalize("NFKC")
        .str.replace_all("[\u2019\u2018\u02bc`]", "'")
        .str.to_lowercase()
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def _answer_table(counts: pl.DataFrame, non_answers: Iterable[str]) -> pl.DataFrame:
    """Distinct (item, value) with their total n, normalised form and numeric form."""
    missing = sorted(DEFAULT_NON_ANSWERS | {normalise_label(v) for v in non_answers})
    table = (
        counts.group_by("item", "value")
        .agg(pl.col("n").sum().cast(pl.Int64))
        .with_columns(norm=normalise_expr(pl.col("value")))
    )
    # "4,0" (a decimal comma) is 4; "very likely 7" (Qualtrics slider endpoints exported
    # as label and code) is 7.
    norm = pl.col("norm")
    numeric_text = (
        pl.when(norm.str.contains(r"^-?\d+,\d+$"))
        .then(norm.str.replace(",", ".", literal=True))
        .when(norm.str.contains(r"^[^\d]*[a-z][^\d]*?\s?\d{1,2}$"))
        .then(norm.str.extract(r"(\d{1,2})$"))
        .otherwise(norm)
    )
    number = numeric_text.cast(pl.Float64, strict=False)
    return table.with_columns(
        missing=pl.col("value").is_null() | pl.col("norm").is_in(missing),
        code=pl.when(number.is_finite() & (number.abs() < 1e9) & (number == number.round(0)))
        .then(number.cast(pl.Int64, strict=False))
        .otherwise(None),
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
) -> tuple[list[ItemCoding], list[Unrecognised], list[NotAnItem]]:
    """Decide each item's scale and code map from a counts table.

    ``strict`` items are never skipped as non-items: their unrecognised
    answers are always reported.
    """
    answers = _answer_table(counts, non_answers)
    strict_set = set(strict)
    codings: list[ItemCoding] = []
    problems: list[Unrecognised] = []
    skipped: list[NotAnItem] = []
    items = list(items)
    # Wide exports: items answered only in numbers on the default numeric scale are
    # decided together (as _resolve_one would), not one polars query per item.
    fast = _numeric_outcomes(answers, [i for i in items if i not in item_scales], default_scale)
    rest = answers.filter(~pl.col("item").is_in(list(fast)))
    by_item = {key[0]: frame for key, frame in rest.partition_by("item", as_dict=True).items()}
    for item in items:
        frame = by_item.get(item)
        outcome: ItemCoding | Unrecognised
        if item in fast:
            outcome, lenient = fast[item]
        elif frame is not None:
            given = item_scales.get(item)
            outcome = _resolve_one(
                item, frame, given or default_scale, fixed=given is not None,
                vocabularies=vocabularies,
            )  # fmt: skip
        else:
            continue
        if isinstance(outcome, ItemCoding):
            codings.append(outcome)
        elif outcome.n_answers and item not in strict_set and _fit_share(outcome) < ITEM_MIN_FIT:
            skipped.append(NotAnItem(item, _not_item_reason(outcome), _fit_share(outcome)))
        elif unknown_as_missing:  # policy: answers that fit no scale count as non-answers
            if frame is not None:
                lenient = _resolve_one(item, frame, outcome.scale, fixed=True, lenient=True)
            codings.append(lenient)
            problems.append(outcome)
        else:
            problems.append(outcome)
    return codings, problems, skipped


def _numeric_outcomes(
    answers: pl.DataFrame, items: list[str], scale: Scale
) -> dict[str, tuple[ItemCoding | Unrecognised, ItemCoding]]:
    """_resolve_one for every item whose answers are all numbers or non-answers, on a
    numeric default scale, in a few vectorised queries; with each, the lenient coding
    (answers off the scale as missing)."""
    if scale.labels is not None or not items:
        return {}
    mine = answers.filter(pl.col("item").is_in(items))
    numeric = (
        mine.group_by("item")
        .agg((pl.col("missing") | pl.col("code").is_not_null()).all().alias("ok"))
        .filter("ok")["item"]
        .to_list()
    )
    answered = mine.filter(pl.col("item").is_in(numeric) & ~pl.col("missing"))
    valid = pl.col("code").is_in(list(scale.codes))
    totals = dict(answered.group_by("item").agg(pl.col("n").sum()).iter_rows())
    good: dict[str, dict[str, int]] = {}
    for item, value, code in answered.filter(valid).select("item", "value", "code").iter_rows():
        good.setdefault(item, {})[str(value)] = int(code)
    bad: dict[str, list[tuple[str, int]]] = {}
    for item, value, n in (
        answered.filter(~valid)
        .sort(["n", "value"], descending=[True, False])
        .select("item", "value", "n")
        .iter_rows()
    ):
        bad.setdefault(item, []).append((value, n))
    out: dict[str, tuple[ItemCoding | Unrecognised, ItemCoding]] = {}
    for item in numeric:
        n_answers = int(totals.get(item, 0))
        coding = ItemCoding(item, scale, good.get(item, {}), n_answers)
        out[item] = (Unrecognised(item, scale, bad[item], n_answers) if item in bad else coding,
                     coding)  # fmt: skip
    return out


def _fit_share(problem: Unrecognised) -> float:
    unfit = sum(n for _, n in problem.values)
    return 1.0 - unfit / problem.n_answers


def _not_item_reason(problem: Unrecognised) -> str:
    sample = ", ".join(repr(v) for v, _ in problem.values[:3])
    return (
        f"only {_fit_share(problem):.0%} of its answers fit the {problem.scale.name} scale "
        f"or a known vocabulary (e.g. {sample}); name it in include_items or set its scale "
        "if it is an item"
    )


@overload
def _resolve_one(
    item: str,
    frame: pl.DataFrame,
    numeric_scale: Scale,
    *,
    fixed: bool,
    lenient: Literal[True],
    vocabularies: Sequence[Scale] = ...,
) -> ItemCoding: ...
@overload
def _resolve_one(
    item: str,
    frame: pl.DataFrame,
    numeric_scale: Scale,
    *,
    fixed: bool,
    lenient: bool = False,
    vocabularies: Sequence[Scale] = ...,
) -> ItemCoding | Unrecognised: ...
def _resolve_one(
    item: str,
    frame: pl.DataFrame,
    numeric_scale: Scale,
    *,
    fixed: bool,
    lenient: bool = False,
    vocabularies: Sequence[Scale] = VOCABULARIES,
) -> ItemCoding | Unrecognised:
    answered = frame.filter(~pl.col("missing"))
    n_answers = int(answered["n"].sum())
    scale = _choose_scale(answered, numeric_scale, fixed=fixed, vocabularies=vocabularies)
    labels = scale.label_map()
    valid_codes = set(scale.codes)
    mapped = answered.with_columns(
        mapped=pl.coalesce(
            pl.col("norm").replace_strict(labels, default=None, return_dtype=pl.Int64),
            pl.when(pl.col("code").is_in(sorted(valid_codes))).then(pl.col("code")),
        )
    )
    bad = mapped.filter(pl.col("mapped").is_null()).sort(["n", "value"], descending=[True, False])
    if bad.height and not lenient:
        values = list(zip(bad["value"].to_list(), bad["n"].to_list(), strict=True))
        return Unrecognised(item, scale, values, n_answers)
    good = mapped.filter(pl.col("mapped").is_not_null()).select("value", "mapped").rows()
    return ItemCoding(item, scale, {str(v): int(c) for v, c in good}, n_answers)


def _choose_scale(
    answered: pl.DataFrame,
    numeric_scale: Scale,
    *,
    fixed: bool,
    vocabularies: Sequence[Scale] = VOCABULARIES,
) -> Scale:
    """The configured scale, or the vocabulary that covers the most text answers."""
    if fixed and numeric_scale.labels is not None:
        return numeric_scale
    text = answered.filter(pl.col("code").is_null())
    text_n = int(text["n"].sum())
    if text_n == 0:
        return numeric_scale
    best, best_hits = numeric_scale, 0
    for vocab in vocabularies:
        hits = int(text.filter(pl.col("norm").is_in(list(vocab.label_map())))["n"].sum())
        if hits > best_hits:
            best, best_hits = vocab, hits
    if best_hits == 0:
        return numeric_scale
    numbers = answered.filter(pl.col("code").is_not_null())
    if numbers.height and fixed:
        return numeric_scale  # a configured numeric scale wins over stray labels
    return best


def code_counts(counts: pl.DataFrame, codings: Iterable[ItemCoding]) -> pl.DataFrame:
    """Counts per (group, item, wave, segment, code); code is null for non-answers."""
    mapping = pl.DataFrame(
        [(c.item, value, code) for c in codings for value, code in c.codes.items()],
        schema={"item": pl.String, "value": pl.String, "code": pl.Int64},
        orient="row",
    )
    items = [c.item for c in codings]
    return (
        counts.filter(pl.col("item").is_in(items))
        .join(mapping, on=["item", "value"], how="left", nulls_equal=False)
        .group_by("group", "item", "wave", "segment", "code")
        .agg(pl.col("n").sum().cast(pl.Int64), pl.col("w_sum").sum(), pl.col("w2_sum").sum())
        .sort("group", "item", "wave", "segment", "code", nulls_last=True)
    )


#: How many leading responses are sniffed before the counting pass.
SNIFF_ROWS = 10_000
#: A sniffed column is dropped before the pass only with at least this many
#: answers of which at most SNIFF_MAX_FIT fit a scale.
SNIFF_MIN_ANSWERS = 200
SNIFF_MAX_FIT = 0.05


@dataclass(frozen=True)
class Sniff:
    """What the first rows of a file say about its item columns."""

    #: every sniffed answer is blank or a small integer: parse the column as Int16
    integer_items: frozenset[str]
    #: clearly not items (free text, demographics): left out of the counting pass
    not_items: list[NotAnItem]
    #: the integers seen in each integer item
    integer_values: dict[str, list[int]] = field(default_factory=dict)


def sniff_items(
    sample: pl.DataFrame,
    columns: Mapping[str, str],
    *,
    default_scale: Scale,
    item_scales: Mapping[str, Scale],
    non_answers: Iterable[str] = (),
    strict: Iterable[str] = (),
    vocabularies: Sequence[Scale] = VOCABULARIES,
) -> Sniff:
    """Classify item columns from a file's first rows (vectorised over the sample)."""
    if sample.height == 0 or not columns:
        return Sniff(frozenset(), [], {})
    long = sample.select(
        [pl.col(col).cast(pl.String).alias(item) for item, col in columns.items()]
    ).unpivot(variable_name="item", value_name="value")
    counts = long.group_by("item", "value").agg(n=pl.len().cast(pl.Int64))
    small_int = pl.col("value").is_null() | pl.col("value").str.contains(r"^-?\d{1,4}$")
    integer = counts.group_by("item").agg(small_int.all().alias("ok")).filter("ok")["item"]
    strict_set = set(strict)
    _, _, skipped = resolve_items(
        counts,
        [i for i in columns if i not in strict_set],
        default_scale=default_scale,
        item_scales=item_scales,
        non_answers=non_answers,
        vocabularies=vocabularies,
    )
    answered = _answer_table(counts, non_answers).filter(~pl.col("missing"))
    volume = dict(answered.group_by("item").agg(pl.col("n").sum()).iter_rows())
    dropped = []
    for s in skipped:
        if volume.get(s.item, 0) >= SNIFF_MIN_ANSWERS and s.fit <= SNIFF_MAX_FIT:
            reason = f"{s.reason} (judged from the first {sample.height:,} rows)"
            dropped.append(NotAnItem(s.item, reason, s.fit))
    ints = counts.filter(pl.col("item").is_in(integer.to_list()) & pl.col("value").is_not_null())
    seen: dict[str, list[int]] = {}
    for item, value in ints.select("item", "value").iter_rows():
        seen.setdefault(item, []).append(int(value))
    return Sniff(frozenset(integer.to_list()), dropped, seen)
