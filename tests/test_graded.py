"""Graded label scales no vocabulary lists ("Extremely helpful" ... "Extremely unhelpful",
"Not useful at all" ... "Extremely useful"), declared labels whose negative end is only a
prefix ("ineffective"), and top-k on three-point scales. Expected codes and counts are
worked out here by hand from the scales' published templates (Qualtrics' bipolar
"extremely / moderately / slightly" around "neither ... nor", its unipolar "not at all /
slightly / moderately / very / extremely")."""

from __future__ import annotations

import pytest
from tests.conftest import Writer

from cxgap import Config, analyze
from cxgap.code.declared import declared_scale
from cxgap.code.graded import graded_scale
from cxgap.errors import ConfigError
from cxgap.scales import AgreeRule, Scale, normalise_label

BIPOLAR_7 = [
    "Extremely unhelpful",
    "Moderately unhelpful",
    "Slightly unhelpful",
    "Neither helpful nor unhelpful",
    "Slightly helpful",
    "Moderately helpful",
    "Extremely helpful",
]


def _codes(scale: Scale, answers: list[str]) -> list[int]:
    labels = scale.label_map()
    return [labels[normalise_label(a)] for a in answers]


def test_a_bipolar_scale_is_coded_from_its_negative_end_whatever_answers_occur() -> None:
    # answers in any order, the midpoint and one point never given: the whole 7 points count
    given = [BIPOLAR_7[k] for k in (6, 0, 3, 5, 1)]
    scale = graded_scale(normalise_label(a) for a in given)
    assert scale is not None and scale.codes == tuple(range(1, 8))
    assert _codes(scale, BIPOLAR_7[:2] + BIPOLAR_7[3:4] + BIPOLAR_7[5:]) == [1, 2, 4, 6, 7]
    assert scale.labels == tuple(BIPOLAR_7)
    assert AgreeRule.parse("top2").threshold(scale) == 6  # moderately or extremely helpful


@pytest.mark.parametrize(
    ("answers", "order"),
    [
        # opposites without a prefix, the positive word written first or second
        (["Extremely easy", "Slightly difficult", "Neither easy nor difficult"], [7, 3, 4]),
        (["Extremely bad", "Moderately good", "Neither good nor bad"], [1, 6, 4]),
        # SurveyMonkey's seven points: somewhat / very / extremely, told by all three
        (["Somewhat ineffective", "Extremely effective", "Very effective"], [3, 7, 6]),
    ],
)
def test_bipolar_sides_come_from_prefixes_and_known_opposites(
    answers: list[str], order: list[int]
) -> None:
    scale = graded_scale(normalise_label(a) for a in answers)
    assert scale is not None
    assert _codes(scale, answers) == order


def test_a_unipolar_scale_keeps_the_answers_as_written() -> None:
    answers = ["Not useful at all", "Slightly useful", "Very useful", "Extremely useful"]
    scale = graded_scale(normalise_label(a) for a in answers)
    assert scale is not None and scale.name == "graded-5 (useful)"
    assert scale.labels == (
        "Not useful at all", "Slightly useful", "Moderately useful", "Very useful",
        "Extremely useful",
    )  # fmt: skip
    assert _codes(scale, answers) == [1, 2, 4, 5]
    assert _codes(scale, ["Not at all useful"]) == [1]  # not in the data: the usual form


@pytest.mark.parametrize(
    "answers",
    [
        ["Very large", "Slightly small", "Neither large nor small"],  # no known opposites
        ["Extremely high", "Slightly low", "Neither high nor low"],  # a high price is bad
        ["Extremely helpful", "Slightly unhelpful"],  # two answers could be categories
        ["Extremely helpful", "Slightly unhelpful", "Neither safe nor unsafe"],  # two pairs
        ["Extremely helpful", "Slightly unhelpful", "Not helpful at all"],  # mixed forms
        ["Very helpful", "Slightly unhelpful", "Moderately helpful"],  # no one ladder
        ["Extremely helpful", "Slightly unhelpful", "Helpful"],  # a bare word
        ["Very useful", "Slightly useful", "Very quick"],  # two adjectives, one side
        # the length is open: 5 points, or 7 with a grade nobody gave
        ["Somewhat helpful", "Very helpful", "Neither helpful nor unhelpful"],
        ["Extremely helpful", "Somewhat unhelpful", "Somewhat helpful"],
        # one side of a bipolar scale, or a unipolar one: open too
        ["Slightly helpful", "Moderately helpful", "Extremely helpful"],
    ],
)
def test_answers_that_are_no_graded_scale_give_none(answers: list[str]) -> None:
    assert graded_scale(normalise_label(a) for a in answers) is None


def test_a_graded_column_is_an_item_counted_on_its_scale(table: Writer) -> None:
    leaders = table(
        "l.csv", {"q": [BIPOLAR_7[k] for k in (6, 5, 5, 4, 3, 0)], "id": list("abcdef")}
    )
    customers = table("c.csv", {"q": [BIPOLAR_7[k] for k in (6, 2, 1, 1)], "id": list("ghij")})
    result = analyze(leaders, customers, Config())
    (item,) = result.items
    assert item.scale.name == "graded-7 (helpful/unhelpful)"
    assert item.scale.agree_from == 6
    # by hand: leaders 3 of 6 at moderately helpful or above, customers 1 of 4
    assert (item.groups["leaders"].n, item.groups["leaders"].agree) == (6, 3)
    assert (item.groups["customers"].n, item.groups["customers"].agree) == (4, 1)


def test_declared_labels_whose_negative_end_is_a_prefix_are_a_scale() -> None:
    # SurveyMonkey's numeric export of the 2024 OSPO survey declares these; before, the two
    # ends both read positive and the column was left out as categories
    labels = {1: "Extremely ineffective", 2: "Very ineffective", 3: "Effective",
              4: "Very effective", 5: "Extremely effective",
              6: "Don't know or not sure"}  # fmt: skip
    choice = declared_scale(labels)
    assert choice is not None
    assert choice.scale.codes == (1, 2, 3, 4, 5)
    assert choice.scale.labels == tuple(labels[c] for c in range(1, 6))
    reverse = declared_scale({1: "Extremely effective", 2: "Effective", 3: "Extremely ineffective"})
    assert reverse is not None and reverse.scale.labels == (
        "Extremely ineffective", "Effective", "Extremely effective")  # fmt: skip
    # "informed" is no negated "formed", and ungraded pairs stay categories (review)
    assert declared_scale({1: "Informed", 2: "Reformed", 3: "Orthodox"}) is None
    assert declared_scale({1: "Active", 2: "Inactive"}) is None
    assert declared_scale({1: "Direct", 2: "Indirect", 3: "Both"}) is None


@pytest.mark.parametrize(
    ("labels", "agree_from"),
    [
        (("Never", "Not frequently", "Frequently"), 3),  # a negative middle
        (("Disagree", "Neither agree nor disagree", "Agree"), 3),  # a neutral one
        (("Not too happy", "Pretty happy", "Very happy"), 2),  # a positive one agrees
        (None, 3),  # numbers: the middle is the midpoint
    ],
)
def test_top_k_on_three_points_counts_the_middle_only_when_it_reads_positive(
    labels: tuple[str, str, str] | None, agree_from: int
) -> None:
    scale = Scale("three", (1, 2, 3), labels)
    assert AgreeRule.parse("top2").threshold(scale) == agree_from
    assert AgreeRule.parse("top-box").threshold(scale) == 3
    assert AgreeRule.parse(">=2").threshold(scale) == 2  # a threshold is taken as given
    with pytest.raises(ConfigError, match="top-k needs k < 3"):  # still covers the scale
        AgreeRule.parse("top3").threshold(scale)


def test_one_more_answer_never_moves_the_others_codes() -> None:
    # The answers given decide whether a graded scale is read, never its length: were a
    # "somewhat / very" scale read as 5 points, one "Extremely helpful" would make it 7
    # and move every "Somewhat helpful" from agreeing to not (review of the first cut).
    import random

    grades = ["not at all", "slightly", "moderately", "somewhat", "very", "extremely"]
    universe = [f"{g} {a}" for g in grades for a in ("helpful", "unhelpful")]
    universe.append("neither helpful nor unhelpful")
    rng = random.Random(11)
    checked = 0
    for _ in range(3000):
        said = set(rng.sample(universe, rng.randint(3, 7)))
        before = graded_scale(said)
        if before is None:
            continue
        for extra in universe:
            after = graded_scale(said | {extra})
            if after is not None:
                codes = before.label_map(), after.label_map()
                assert all(codes[0][a] == codes[1][a] for a in said), (said, extra)
                checked += 1
    assert checked > 1000
