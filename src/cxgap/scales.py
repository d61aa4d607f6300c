"""Scales: numeric code ranges, built-in label vocabularies, non-answers, agree rules.

A scale is an ordered list of integer codes, optionally with one label per
code. Text answers are matched to labels after :func:`normalise_label`
(case, white space, non-breaking spaces and curly quotes do not matter).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from cxgap.errors import ConfigError

#: Answers that are not opinions: they leave the denominator and are counted
#: as missing. Compared after normalise_label. Qualtrics writes -99 for
#: "seen but unanswered" and -98/-97 are common skip codes.
DEFAULT_NON_ANSWERS: frozenset[str] = frozenset(
    {
        "",
        "n/a",
        "na",
        "n.a.",
        "not applicable",
        "does not apply",
        "don't know",
        "dont know",
        "do not know",
        "i don't know",
        "don't know or not sure",
        "not sure",
        "unsure",
        "no opinion",
        "can't say",
        "cannot say",
        "prefer not to say",
        "prefer not to answer",
        "rather not say",
        "no answer",
        "refused",
        "skipped",
        "-99",
        "-98",
        "-97",
    }
)


@dataclass(frozen=True)
class Scale:
    """An ordered response scale."""

    name: str
    codes: tuple[int, ...]
    labels: tuple[str, ...] | None = None
    #: Extra spellings (normalised) that map to a code, e.g. "neutral" -> 3.
    aliases: dict[str, int] = field(default_factory=dict)

    @property
    def points(self) -> int:
        return len(self.codes)

    @property
    def min_code(self) -> int:
        return self.codes[0]

    @property
    def max_code(self) -> int:
        return self.codes[-1]

    def label_map(self) -> dict[str, int]:
        """Normalised label -> code, aliases included."""
        out: dict[str, int] = {}
        if self.labels is not None:
            out.update(
                {
                    normalise_label(lab): code
                    for lab, code in zip(self.labels, self.codes, strict=True)
                }
            )
        out.update(self.aliases)
        return out

    def label_for(self, code: int) -> str:
        if self.labels is None:
            return str(code)
        return self.labels[self.codes.index(code)]


def vocabulary(name: str, labels: list[str], aliases: dict[str, int] | None = None) -> Scale:
    """A label scale: ``labels`` from the most negative to the most positive, coded 1..k."""
    return Scale(name, tuple(range(1, len(labels) + 1)), tuple(labels), aliases or {})


_vocab = vocabulary


_NEITHER_AGREE = {"neutral": 3, "neither agree or disagree": 3, "neither": 3}
_NEITHER_SAT = {"neutral": 3, "neither satisfied or dissatisfied": 3}

#: Built-in vocabularies, tried in this order; the first that covers every
#: label of an item wins, so the shorter scale is preferred.
VOCABULARIES: tuple[Scale, ...] = (
    _vocab("yes-no", ["No", "Yes"]),
    _vocab(
        "agreement-5",
        ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
        _NEITHER_AGREE,
    ),
    _vocab(
        "agreement-5-somewhat",
        [
            "Strongly disagree",
            "Somewhat disagree",
            "Neither agree nor disagree",
            "Somewhat agree",
            "Strongly agree",
        ],
        _NEITHER_AGREE,
    ),
    _vocab(
        "agreement-7",
        [
            "Strongly disagree",
            "Disagree",
            "Somewhat disagree",
            "Neither agree nor disagree",
            "Somewhat agree",
            "Agree",
            "Strongly agree",
        ],
        {"neutral": 4, "neither agree or disagree": 4, "neither": 4},
    ),
    _vocab(
        "agreement-4",
        ["Strongly disagree", "Disagree", "Agree", "Strongly agree"],
        {"disagree strongly": 1, "agree strongly": 4},
    ),
    _vocab(
        "agreement-4-slightly",
        ["Disagree strongly", "Disagree slightly", "Agree slightly", "Agree strongly"],
        {"strongly disagree": 1, "slightly disagree": 2, "slightly agree": 3, "strongly agree": 4},
    ),
    _vocab(
        "likelihood-5",
        [
            "Very unlikely",
            "Somewhat unlikely",
            "Neither likely nor unlikely",
            "Somewhat likely",
            "Very likely",
        ],
        {"neutral": 3, "unlikely": 2, "likely": 4},
    ),
    _vocab(
        "likelihood-7",
        [
            "Very unlikely",
            "Unlikely",
            "Somewhat unlikely",
            "Neither likely nor unlikely",
            "Somewhat likely",
            "Likely",
            "Very likely",
        ],
        {"undecided": 4, "neutral": 4},
    ),
    _vocab(
        "satisfaction-5",
        [
            "Very dissatisfied",
            "Dissatisfied",
            "Neither satisfied nor dissatisfied",
            "Satisfied",
            "Very satisfied",
        ],
        _NEITHER_SAT,
    ),
    _vocab(
        "satisfaction-5-somewhat",
        [
            "Very dissatisfied",
            "Somewhat dissatisfied",
            "Neither satisfied nor dissatisfied",
            "Somewhat satisfied",
            "Very satisfied",
        ],
        _NEITHER_SAT,
    ),
    _vocab(
        "satisfaction-7",
        [
            "Very dissatisfied",
            "Dissatisfied",
            "Somewhat dissatisfied",
            "Neither satisfied nor dissatisfied",
            "Somewhat satisfied",
            "Satisfied",
            "Very satisfied",
        ],
        {"neutral": 4, "neither satisfied or dissatisfied": 4},
    ),
)

_VOCAB_BY_NAME = {v.name: v for v in VOCABULARIES}
_RANGE = re.compile(r"^\s*(-?\d+)\s*(?:-|\.\.|to)\s*(-?\d+)\s*$")


def parse_scale(spec: str, custom: Mapping[str, Scale] | None = None) -> Scale:
    """A scale from its spec: a code range such as ``"1-5"``, ``"1-7"``,
    ``"0-10"``, the name of a built-in vocabulary such as ``"agreement-5"``, or
    the name of one of ``custom`` (the config's ``vocabularies``)."""
    key = spec.strip().lower()
    named = (custom or {}).get(key) or _VOCAB_BY_NAME.get(key)
    if named is not None:
        return named
    match = _RANGE.match(spec)
    if match is None:
        names = ", ".join(sorted(_VOCAB_BY_NAME))
        raise ConfigError(
            f"scale {spec!r} is not a code range like '1-5' or a vocabulary ({names})"
        )
    lo, hi = int(match.group(1)), int(match.group(2))
    if hi - lo < 1 or hi - lo > 100:
        raise ConfigError(f"scale {spec!r} needs 2 to 101 points, from low to high")
    return Scale(f"{lo}-{hi}", tuple(range(lo, hi + 1)))


_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def normalise_label(text: str) -> str:
    """Case-, space- and quote-insensitive form of an answer label."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _SPACES.sub(" ", folded).strip()


@dataclass(frozen=True)
class AgreeRule:
    """Which codes count as "agree": the top k codes, or codes >= a threshold."""

    top: int | None = None
    at_least: int | None = None

    @classmethod
    def parse(cls, spec: str) -> AgreeRule:
        text = spec.strip().lower().replace("_", "-")
        aliases = {"top-box": 1, "topbox": 1, "top-2-box": 2, "top-3-box": 3}
        if text in aliases:
            return cls(top=aliases[text])
        match = re.fullmatch(r"top-?(\d+)(?:-box)?", text)
        if match:
            k = int(match.group(1))
            if k < 1:
                raise ConfigError(f"agree rule {spec!r}: top-k needs k >= 1")
            return cls(top=k)
        match = re.fullmatch(r">=\s*(-?\d+)", text)
        if match:
            return cls(at_least=int(match.group(1)))
        raise ConfigError(
            f"agree rule {spec!r} is not one of 'top-box', 'top2', 'top3' or '>=N' (e.g. '>=4')"
        )

    def threshold(self, scale: Scale, item: str | None = None) -> int:
        """The lowest code that counts as agree on this scale.

        A two-point scale (no/yes) agrees on its top code ("yes") whatever the rule,
        so one rule such as '>=4' serves a survey that mixes scale and yes/no items.
        Elsewhere a rule that does not fit the scale is an error naming the item:
        top-k needs more than k points, '>=N' a code above the lowest."""
        if scale.points == 2:
            return scale.max_code
        where = f"item {item!r} on the {scale.name} scale" if item else f"the {scale.name} scale"
        if self.at_least is not None:
            if not scale.min_code < self.at_least <= scale.max_code:
                raise ConfigError(
                    f"agree rule '>={self.at_least}' does not fit {where} (codes "
                    f"{scale.min_code} to {scale.max_code})"
                )
            return self.at_least
        assert self.top is not None
        if self.top >= scale.points:
            raise ConfigError(
                f"agree rule '{self.describe()}' does not fit {where}: it has "
                f"{scale.points} points, so top-k needs k < {scale.points}"
            )
        return scale.codes[-self.top]

    def describe(self) -> str:
        if self.at_least is not None:
            return f">={self.at_least}"
        return "top-box" if self.top == 1 else f"top-{self.top}-box"
