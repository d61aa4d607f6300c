"""The scale a file's metadata declares (SPSS value labels), or that its labels are
categories: the strongest evidence of an item's scale after config (see
:mod:`cxgap.code.coding`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from cxgap.code.choose import ScaleChoice
from cxgap.scales import (
    DEFAULT_NON_ANSWERS,
    NON_ANSWER_PATTERN,
    VOCABULARIES,
    Scale,
    negates,
    normalise_label,
    polarity,
)

#: Words that grade an answer: a label set whose ends carry them reads as a scale.
_INTENSITY = re.compile(
    r"\b(extremely|very|somewhat|slightly|moderately|fairly|quite|pretty|a little|a bit"
    r"|not at all|at all|not too|not very|strongly|completely|complete|totally|definitely"
    r"|probably|always|almost|never|often|sometimes|seldom|rarely|frequently|highly"
    r"|a great deal|more or less|well|mostly|much|seriously)\b"
)
#: A declared label that is a number ("4", "+3", "-2").
_NUMBER = re.compile(r"^\s*[+-]?\d+\s*$")
#: Words that carry no meaning of their own when two end labels are compared.
_FILLER = frozenset({"the", "and", "nor", "neither", "not", "yes", "all", "too", "with"})


def _core(label: str) -> set[str]:
    """The words of a label that say what it is about: intensity and negation stripped,
    and the prefixes that negate a word ("unhelpful", "non-religious") taken off."""
    text = _INTENSITY.sub(" ", normalise_label(label))
    found = set(re.findall(r"[a-z]{3,}", text)) - _FILLER
    found.discard("non")
    return {re.sub(r"^(?:un|dis|in|im)(?=[a-z]{4})", "", w) for w in found}


def _signs(low: str, high: str) -> tuple[int, int]:
    """The polarity of two end labels; where the words alone do not tell them apart and
    both ends grade ("Extremely ineffective" / "Extremely effective"), the one whose word
    is the other's with a negating prefix reads negative. Ungraded pairs stay as they
    read: "Active" / "Inactive", "Direct" / "Indirect" are categories."""
    signs = polarity(low), polarity(high)
    graded = all(_INTENSITY.search(normalise_label(label)) for label in (low, high))
    if signs[0] != signs[1] or not graded:
        return signs
    words = [re.findall(r"[a-z][a-z-]+", normalise_label(label)) for label in (low, high)]
    if any(negates(w, v) for w in words[0] for v in words[1]):
        return -1, 1
    if any(negates(v, w) for w in words[0] for v in words[1]):
        return 1, -1
    return signs


def _mirrored(low: str, high: str) -> bool:
    """Two end labels that say the same thing with opposite sign: "Agree" / "Disagree",
    "Favor" / "Not favor", "Very easy" / "Very hard", "Yes, definitely" / "No, definitely
    not"; unlike "Married" / "Never married" only with the same grading words."""
    if len(set(_signs(low, high))) == 1:
        return False
    grades = set(_INTENSITY.findall(normalise_label(low))) & set(
        _INTENSITY.findall(normalise_label(high))
    )
    return bool(_core(low) & _core(high)) or bool(grades)


def _declared_order(labels: list[str], declared: list[bool]) -> int:
    """+1 or -1 when declared labels that no vocabulary knows read as an ordered scale,
    0 for categories (marital status, regions, yes/no/other lists). A scale is numbers,
    numbers between labelled ends (a labelled midpoint allowed), a two-point mirrored pair
    ("Agree" / "Disagree"), or ends that mirror each other with grading words at the
    positive end ("Extremely religious" ... "Extremely non-religious", "Complete
    confidence" ... "No confidence"; not "Married" ... "Never married")."""
    low, high = labels[0], labels[-1]
    words = [k for k, lab in enumerate(labels) if not _NUMBER.match(lab)]
    if not words:
        return 1
    signs = _signs(low, high)
    sign = 1 if signs == (-1, 1) else -1
    if signs[0] == signs[1]:
        sign = 1
    last = len(labels) - 1
    middle = {last // 2, (last + 1) // 2}
    if (
        len(words) < len(labels)
        and all(declared)
        and words[0] == 0
        and words[-1] == last
        and all(k in middle for k in words[1:-1])
    ):  # numbered points between labelled ends: the numbers are the order
        return sign if _mirrored(low, high) else 1
    if not _mirrored(low, high):
        return 0
    if len(labels) == 2:  # "Agree" / "Disagree", "Should" / "Should not"
        return sign
    positive = high if signs[1] > 0 else low  # "Complete confidence", not "Married"
    graded = bool(_INTENSITY.search(normalise_label(positive)))
    return sign if graded and len(words) == len(labels) else 0


def declared_words(value_labels: Mapping[int, str], non_answers: Iterable[str] = ()) -> list[str]:
    """The declared labels that are words (not numbers, not non-answers)."""
    missing = DEFAULT_NON_ANSWERS | {normalise_label(v) for v in non_answers}
    return [
        label
        for label in value_labels.values()
        if normalise_label(label) not in missing
        and not re.search(NON_ANSWER_PATTERN, normalise_label(label))
        and not _NUMBER.match(label)
    ]


def declared_scale(
    value_labels: Mapping[int, str],
    non_answers: Iterable[str] = (),
    vocabularies: Sequence[Scale] = VOCABULARIES,
) -> ScaleChoice | None:
    """The scale a file's metadata declares (SPSS value labels), or None when the labels
    are not a response scale. The whole declared range counts, whatever occurs."""
    missing = DEFAULT_NON_ANSWERS | {normalise_label(v) for v in non_answers}
    kept = {
        code: label
        for code, label in value_labels.items()
        if normalise_label(label) not in missing
        and not re.search(NON_ANSWER_PATTERN, normalise_label(label))
    }
    if len(kept) < 2:
        return None
    lo, hi = min(kept), max(kept)
    if hi - lo > 10:
        return None
    labels = [kept.get(c, str(c)) for c in range(lo, hi + 1)]
    words = [lab for lab in labels if not _NUMBER.match(lab)]
    direction = 0
    for vocab in vocabularies:
        known = vocab.label_map()
        if all(normalise_label(w) in known for w in words) and len(words) >= 2:
            positions = [known[normalise_label(w)] for w in words]
            direction = (
                1
                if positions == sorted(positions)
                else -1
                if positions == sorted(positions, reverse=True)
                else 0
            )
            if direction:
                break
    if not direction:
        direction = _declared_order(labels, [c in kept for c in range(lo, hi + 1)])
    if not direction:
        return None
    codes = tuple(range(lo, hi + 1))
    ordered = tuple(labels if direction == 1 else reversed(labels))
    name = f"{lo}-{hi}" if not words else f"{len(codes)}-point declared"
    exact = [v for v in vocabularies if [normalise_label(x) for x in ordered] == [
        normalise_label(x) for x in v.labels or ()]]  # fmt: skip
    if exact:
        name = exact[0].name
    scale = Scale(name, codes, ordered)
    reversal = f", coded in reverse ({lo} = {labels[0]!r})" if direction == -1 else ""
    span = f"{lo}-{hi} ({labels[0]!r} ... {labels[-1]!r})"
    return ScaleChoice(scale, "metadata", f"declared value labels {span}{reversal}")
