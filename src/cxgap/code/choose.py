"""Which scale the answers of one item are on: from the labels' words and order, numbers
written with labels, or the observed numbers (see :mod:`cxgap.code.coding`; declared labels
are :mod:`cxgap.code.declared`'s)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from cxgap.code.graded import graded_scale
from cxgap.scales import (
    VOCABULARIES,
    Scale,
    is_slider,
    normalise_label,
    polarity,
    slider_threshold,
)

#: Share of an item's answers that must fit a scale for a column to be an item.
ITEM_MIN_FIT = 0.5
#: In discovery mode, a column whose answers fit a scale except for at most this share
#: (and at most STRAY_MAX_DISTINCT different answers) is an item with stray answers.
STRAY_MAX_SHARE = 0.25
STRAY_MAX_DISTINCT = 5
#: Where a scale's evidence came from, strongest first.
ScaleSource = Literal["config", "metadata", "labels", "observed range"]
#: Standard numeric ranges, tried in this order against the observed codes.
#: Codes without metadata are a 0-100 slider only when they spread like one: at least
#: this many distinct values, from SLIDER_MAX_LOW or below to SLIDER_MIN_HIGH or above.
SLIDER_MIN_DISTINCT = 5
SLIDER_MAX_LOW = 10
SLIDER_MIN_HIGH = 90
#: A column with one distinct answer in at least this many (or in fewer, with at least
#: as many blanks) is an option column.
OPTION_COLUMN_MIN = 10
#: Two codes alone that are no scale without a label or a configured scale: 0 and 1 (a
#: tick box, a dummy). Not 1 and 2: a 1-5 item that everyone disagreed with gives them.
TWO_CODES: tuple[tuple[int, int], ...] = ((0, 1),)
STANDARD_RANGES: tuple[tuple[int, int], ...] = ((1, 5), (1, 7), (1, 10), (0, 10), (0, 100))


@dataclass(frozen=True)
class ScaleChoice:
    """An item's scale and why it was chosen."""

    scale: Scale
    source: ScaleSource
    reason: str
    #: a guess from the observed codes that the user should confirm
    assumed: bool = False


def _same_dimension(low: str, high: str) -> bool:
    """Two end labels speak of one thing ("Extremely helpful" / "Extremely unhelpful",
    "Very true" / "Not true at all"), unlike categories ("Orthodox" / "None")."""

    def words(text: str) -> set[str]:
        found = set(re.findall(r"[a-z]{3,}", normalise_label(text)))
        return found | {re.sub(r"^(?:un|dis|in|im)", "", w) for w in found}

    return bool(words(low) & words(high))


def _vocab_position(norm: str, vocabularies: Sequence[Scale]) -> tuple[int, int] | None:
    """(code, points) of a label in the first vocabulary that has it."""
    for vocab in vocabularies:
        code = vocab.label_map().get(norm)
        if code is not None:
            return code, vocab.points
    return None


def standard_range(low: int, high: int) -> Scale | None:
    """The first standard range that holds codes from ``low`` to ``high``."""
    for lo, hi in STANDARD_RANGES:
        if lo <= low and high <= hi:
            return Scale(f"{lo}-{hi}", tuple(range(lo, hi + 1)))
    return None


def choose_scale(
    answered: pl.DataFrame,
    default_scale: Scale,
    *,
    scale_set: bool,
    vocabularies: Sequence[Scale] = VOCABULARIES,
) -> ScaleChoice | None:
    """An item's scale from its answers (config and metadata aside), or None."""
    numbers = answered.filter(pl.col("code").is_not_null() & (pl.col("code") >= 0))
    text = answered.filter(pl.col("code").is_null())
    total = int(answered["n"].sum())
    if total == 0:
        return no_answers(default_scale)
    # distinct text answers (normalised) and how often: small, so plain Python from here
    said: dict[str, int] = {}
    for norm, n in zip(text["norm"].to_list(), text["n"].to_list(), strict=True):
        said[norm] = said.get(norm, 0) + int(n)
    text_n = sum(said.values())
    maps = [(v, v.label_map()) for v in vocabularies]
    # the answers some vocabulary knows: a free-text column has thousands of others,
    # so each vocabulary below looks only at these
    every = {label for _, labels in maps for label in labels}
    known = {norm: n for norm, n in said.items() if norm in every}
    known_n = sum(known.values())
    if not said or (not known_n and int(numbers["n"].sum()) > total / 2):
        return _numeric(numbers, default_scale, scale_set=scale_set)
    if numbers.height and text.height <= 2:
        ended = _end_labelled(numbers, text, default_scale, scale_set, vocabularies)
        if ended is not None:
            return ended
    seen_codes = set(numbers["code"].to_list())
    if len(known) == len(said):
        for vocab, labels in maps:  # the first vocabulary that covers every answer
            if all(norm in labels for norm in said) and seen_codes <= set(vocab.codes):
                return ScaleChoice(vocab, "labels", f"answers are {vocab.name} labels")
    if not numbers.height and (graded := graded_scale(said)) is not None:
        return ScaleChoice(graded, "labels", f"answers are points of a {graded.name} scale")
    best, best_hits = None, 0
    for vocab, labels in maps:
        hits = sum(n for norm, n in known.items() if norm in labels)
        if hits > best_hits:
            best, best_hits = vocab, hits
    if best is not None and best_hits >= ITEM_MIN_FIT * text_n:
        return ScaleChoice(best, "labels", f"answers are {best.name} labels")
    if scale_set and default_scale.labels is not None:
        return ScaleChoice(default_scale, "config", f"scale {default_scale.name} from config")
    return None


def no_answers(default_scale: Scale) -> ScaleChoice:
    """The choice for an item without a valid answer."""
    return ScaleChoice(default_scale, "config", "no answers")


def _numeric(numbers: pl.DataFrame, default_scale: Scale, *, scale_set: bool) -> ScaleChoice | None:
    """Numeric codes: numbers between labelled ends, else see numbers_scale."""
    labelled = numbers.filter(pl.col("labelled"))
    example = f" (e.g. {labelled['value'][0]!r})" if labelled.height else None
    lo = hi = None
    if numbers.height:
        lo, hi = int(numbers["code"].min()), int(numbers["code"].max())  # type: ignore[arg-type]
        ends = set(labelled["code"].to_list())
        if lo in ends and hi in ends and 0 < hi - lo <= 10:  # "1 - Not at all" ... "7 - Completely"
            return _labelled_numbers(labelled, lo, hi, example or "")
    return numbers_scale(
        lo, hi, numbers.height, default_scale, scale_set=scale_set, labelled=example
    )


def numbers_scale(
    lo: int | None,
    hi: int | None,
    distinct: int,
    default_scale: Scale,
    *,
    scale_set: bool,
    labelled: str | None = None,
) -> ScaleChoice | None:
    """``distinct`` numeric codes from ``lo`` to ``hi``: the configured scale, else the
    standard range they fit. ``labelled``: an example of codes written with their labels."""
    if scale_set:
        return ScaleChoice(
            default_scale, "config", f"numeric codes on the configured {default_scale.name} scale"
        )
    if distinct == 0 or lo is None or hi is None:
        return None
    if labelled is None and distinct == 2 and (lo, hi) in TWO_CODES:
        return None  # a tick box or a dummy: which code agrees is unknown
    scale = standard_range(lo, hi)
    if scale is None:
        return None
    if is_slider(scale):
        # a 0-100 slider only when the answers spread like one: many values, not an id
        if lo > SLIDER_MAX_LOW or hi < SLIDER_MIN_HIGH or distinct < SLIDER_MIN_DISTINCT:
            return None
        return ScaleChoice(
            scale,
            "observed range",
            f"codes {lo}-{hi} observed, no labels or metadata: assumed a {scale.name} slider; "
            f"agree means >= {slider_threshold(scale)} (the top 30% of the range)",
            assumed=True,
        )
    if labelled is not None:
        return ScaleChoice(
            scale,
            "labels",
            f"numbers written with their labels{labelled}; codes {lo}-{hi} fit the {scale.name} "
            "scale",
            assumed=hi != scale.max_code or lo != scale.min_code,
        )
    return ScaleChoice(
        scale,
        "observed range",
        f"codes {lo}-{hi} observed, no labels or metadata: assumed the {scale.name} scale",
        assumed=True,
    )


def _labelled_numbers(labelled: pl.DataFrame, lo: int, hi: int, example: str) -> ScaleChoice:
    """Codes lo..hi whose ends carry labels. The number is the code, but when the low end
    reads positive and the high end negative ("1 - Extremely critical" ... "5 - Not at all
    critical"), agreeing is at the low end: the scale is read in reverse."""
    text = {
        int(code): str(value)
        for code, value in labelled.sort(["n", "value"]).select("code", "value").rows()
    }
    codes = tuple(range(lo, hi + 1))
    low, high = text[lo], text[hi]
    strip = re.compile(r"^\s*\d+\s*[-=:.)\u2013\u2014]?\s*|\s*\d+\s*$")
    low_words, high_words = strip.sub("", low), strip.sub("", high)
    reverse = polarity(low_words) > 0 > polarity(high_words) and _same_dimension(
        low_words, high_words
    )
    if not reverse:
        return ScaleChoice(
            Scale(f"{lo}-{hi}", codes),
            "labels",
            f"numbers written with their labels{example}; the labelled ends give {lo}-{hi}",
        )
    labels = tuple(text.get(c, str(c)) for c in reversed(codes))
    return ScaleChoice(
        Scale(f"{lo}-{hi} reversed", codes, labels),
        "labels",
        f"numbers written with their labels; the labelled ends give {lo}-{hi}, coded in "
        f"reverse ({lo} = {low!r}, {hi} = {high!r}): agree is at the low numbers",
    )


def _end_labelled(
    numbers: pl.DataFrame,
    text: pl.DataFrame,
    default_scale: Scale,
    scale_set: bool,
    vocabularies: Sequence[Scale],
) -> ScaleChoice | None:
    """Labelled ends around numbered points: ``Strongly disagree``, 2 ... 9, ``Strongly agree``."""
    ends: dict[str, str] = {}
    for value, norm in text.select("value", "norm").rows():
        found = _vocab_position(norm, vocabularies)
        if found is not None:
            code, points = found
            side = "low" if code == 1 else "high" if code == points else None
        else:
            side = "low" if polarity(norm) < 0 else "high"
        if side is None or side in ends:
            return None
        ends[side] = value
    inner_lo = int(numbers["code"].min())  # type: ignore[arg-type]
    inner_hi = int(numbers["code"].max())  # type: ignore[arg-type]
    assumed = False
    if scale_set and default_scale.labels is None:
        lo, hi = default_scale.min_code, default_scale.max_code
    else:
        lo = inner_lo - 1 if "low" in ends else (0 if inner_lo == 0 else 1)
        if lo < 0:
            return None
        tops = [t for a, t in STANDARD_RANGES if a == lo and t <= 10]
        fits = [t for t in tops if (t > inner_hi if "high" in ends else t >= inner_hi)]
        if not fits:
            return None
        hi = fits[0]
        assumed = hi != inner_hi + 1 if "high" in ends else True
    if not lo < inner_lo or not inner_hi < hi:
        return None
    codes = tuple(range(lo, hi + 1))
    labels = tuple(
        ends["low"] if c == lo and "low" in ends else ends["high"] if c == hi and "high" in ends
        else str(c)
        for c in codes
    )  # fmt: skip
    named = ", ".join(f"{ends[s]!r} = {c}" for s, c in (("low", lo), ("high", hi)) if s in ends)
    source: ScaleSource = "config" if scale_set and default_scale.labels is None else "labels"
    how = (
        "length from the configured scale"
        if source == "config"
        else f"codes {inner_lo}-{inner_hi} between"
    )
    return ScaleChoice(
        Scale(f"{lo}-{hi}", codes, labels),
        source,
        f"{hi - lo + 1}-point scale with labelled ends ({named}); {how}"
        + ("; its length is a guess: set scale to confirm" if assumed else ""),
        assumed=assumed,
    )
