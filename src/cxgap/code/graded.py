"""Graded label scales that no vocabulary lists: one adjective graded from "Not at all
useful" to "Extremely useful" (unipolar), or two opposite ones graded on each side of
"Neither helpful nor unhelpful" (bipolar), the way Qualtrics and SurveyMonkey build them
for any adjective (see :func:`graded_scale`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cxgap.scales import Scale, negates

#: The grading words of each bipolar ladder, weakest first, and what tells it: sets of
#: grades, one of which must all occur before the ladder is taken. Qualtrics' "slightly,
#: moderately, extremely" (7 points with the midpoint) is told by either of its first
#: two; SurveyMonkey's "somewhat, very, extremely" (7) only by all three. Fewer grades
#: leave the length open ("somewhat, very" may be 5 points, or 7 with no "extremely"
#: given), and the answers must not decide it: one more answer would move every other
#: answer's code, and whether it agrees. Such a column is no item until its scale is set.
BIPOLAR_LADDERS: tuple[tuple[tuple[str, ...], tuple[frozenset[str], ...]], ...] = (
    (("slightly", "moderately", "extremely"), (frozenset({"slightly"}), frozenset({"moderately"}))),
    (("somewhat", "very", "extremely"), (frozenset({"somewhat", "very", "extremely"}),)),
)
#: A unipolar scale runs "not at all, slightly, moderately, very, extremely": taken when
#: "not at all" occurs, or "very" beside "slightly" or "moderately" (no bipolar ladder has
#: both); "slightly, moderately, extremely" alone may be one side of a bipolar scale.
UNIPOLAR_LADDER: tuple[str, ...] = ("slightly", "moderately", "very", "extremely")
#: Opposites without a prefix, positive first (not "high" / "low": a high price is bad).
_OPPOSITES = {
    ("easy", "difficult"),
    ("easy", "hard"),
    ("good", "bad"),
    ("fast", "slow"),
    ("clear", "confusing"),
    ("safe", "dangerous"),
    ("better", "worse"),
    ("positive", "negative"),
    ("pleasant", "unpleasant"),
    ("strong", "weak"),
}
_NEITHER = re.compile(r"neither ([a-z][a-z' -]*?) nor ([a-z][a-z' -]*)")
_NOT_AT_ALL = re.compile(r"not at all ([a-z][a-z' -]*)|not ([a-z][a-z' -]*?) at all")
_GRADE = re.compile(r"(slightly|somewhat|moderately|very|extremely) ([a-z][a-z' -]*)")
#: Any point of a graded scale (for the answer table's summary, in polars' regex syntax).
GRADED_ANSWER = rf"^(?:{_NEITHER.pattern}|{_NOT_AT_ALL.pattern}|{_GRADE.pattern})$"
#: A graded scale needs at least this many distinct answers (two could be categories).
MIN_DISTINCT = 3


def _sides(first: str, second: str) -> tuple[str, str] | None:
    """The two adjectives as (positive, negative), or None when neither reads as the
    other's opposite."""
    if negates(second, first) or (first, second) in _OPPOSITES:
        return first, second
    if negates(first, second) or (second, first) in _OPPOSITES:
        return second, first
    return None


def graded_scale(answers: Iterable[str]) -> Scale | None:
    """The graded scale that every one of ``answers`` (normalised labels) is a point of,
    or None. The whole scale counts, whatever occurs: a bipolar scale always has its
    midpoint ("Neither helpful nor unhelpful"), a unipolar one its five points."""
    said = set(answers)
    if len(said) < MIN_DISTINCT:
        return None
    graded: dict[str, tuple[str, str]] = {}  # answer -> (grade, adjective)
    pairs: set[tuple[str, str]] = set()
    for answer in sorted(said):
        if m := _NEITHER.fullmatch(answer):
            pairs.add((m.group(1), m.group(2)))
        elif m := _NOT_AT_ALL.fullmatch(answer):
            graded[answer] = ("not at all", m.group(1) or m.group(2))
        elif m := _GRADE.fullmatch(answer):
            graded[answer] = (m.group(1), m.group(2))
        else:
            return None
    adjectives = {adjective for _, adjective in graded.values()}
    adjectives |= {word for pair in pairs for word in pair}
    if not pairs and len(adjectives) == 1:
        grades = {grade for grade, _ in graded.values()}
        if "not at all" in grades or ("very" in grades and grades & {"slightly", "moderately"}):
            return _unipolar(adjectives.pop(), graded)
        return None  # perhaps one side of a bipolar scale: its length is open
    return _bipolar(adjectives, pairs, graded)


def _unipolar(adjective: str, graded: dict[str, tuple[str, str]]) -> Scale | None:
    steps = ("not at all", *UNIPOLAR_LADDER)
    if any(grade not in steps for grade, _ in graded.values()):
        return None
    # the answers as written where they occur ("Not useful at all"), else the usual form
    written = {g: a for a, (g, _) in graded.items()}
    labels = [written.get(g, f"{g} {adjective}").capitalize() for g in steps]
    aliases = {f"not at all {adjective}": 1, f"not {adjective} at all": 1}
    aliases |= {a: steps.index(g) + 1 for a, (g, _) in graded.items()}
    return Scale(f"graded-5 ({adjective})", tuple(range(1, 6)), tuple(labels), aliases)


def _bipolar(
    adjectives: set[str], pairs: set[tuple[str, str]], graded: dict[str, tuple[str, str]]
) -> Scale | None:
    if len(pairs) > 1 or len(adjectives) != 2 or any(g == "not at all" for g, _ in graded.values()):
        return None
    first, second = sorted(adjectives)
    sides = _sides(first, second)
    if sides is None or (pairs and set(next(iter(pairs))) != adjectives):
        return None
    positive, negative = sides
    grades = {grade for grade, _ in graded.values()}
    ladder = next(
        (lad for lad, told in BIPOLAR_LADDERS
         if grades <= set(lad) and any(grades >= sign for sign in told)),
        None,
    )  # fmt: skip
    if ladder is None:
        return None
    middle = next(iter(pairs), (positive, negative))
    labels = [
        *(f"{g.capitalize()} {negative}" for g in reversed(ladder)),
        f"Neither {middle[0]} nor {middle[1]}",
        *(f"{g.capitalize()} {positive}" for g in ladder),
    ]
    code = {(g, negative): len(ladder) - k for k, g in enumerate(ladder)}
    code |= {(g, positive): len(ladder) + 2 + k for k, g in enumerate(ladder)}
    aliases = {a: code[key] for a, key in graded.items()}
    points = 2 * len(ladder) + 1
    return Scale(
        f"graded-{points} ({positive}/{negative})", tuple(range(1, points + 1)), tuple(labels),
        aliases,
    )  # fmt: skip
