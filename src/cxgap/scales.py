"""Scales: numeric code ranges, built-in label vocabularies, non-answers, agree rules.

A scale is an ordered list of integer codes, optionally with one label per
code. Text answers are matched to labels after :func:`normalise_label`
(case, white space, non-breaking spaces and curly quotes do not matter).
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

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


_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@functools.lru_cache(maxsize=1 << 16)
def normalise_label(text: str) -> str:
    """Case-, space-, quote- and accent-insensitive form of an answer label (cached: a
    wide export's declared labels and the vocabularies' labels repeat thousands of times)."""
    folded = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", bare).lower()).strip()


#: Non-answers written in longer forms (normalised text): "I don't know / NA",
#: "Don't know, no answer", "Can't choose", "Not applicable (no mother)".
NON_ANSWER_PATTERN = (
    r"^(?:i )?(?:don'?t|do not) know\b|^no answer\b|^refused\b|^not applicable\b"
    r"|^can'?t (?:choose|say)\b|^prefer not\b|^non[- ]?applicable\b|^(?:dk|iap|na|n/a)$"
)


_NEGATIVE = re.compile(
    r"\b(not|never|no|non|poor|bad|worse|worst|difficult|hard|dis\w+|un\w+|in(?:sat|sod)\w*)\b"
)
#: A midpoint label that takes no side ("Neither agree nor disagree", "Sometimes").
_NEUTRAL = re.compile(
    r"^(?:neither\b.*|neutral|undecided|unsure|not sure|mixed|sometimes|maybe|average|fair"
    r"|ok|okay|so-so|indifferent)$"
)


def polarity(label: str) -> int:
    """-1 for a label that reads negative ("Not at all likely", "Extremely unhelpful"),
    +1 otherwise."""
    return -1 if _NEGATIVE.search(normalise_label(label)) else 1


#: Prefixes that turn a word into its opposite ("unhelpful", "ineffective").
NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non-", "non")


def negates(word: str, other: str) -> bool:
    """Whether ``word`` is ``other`` with a negating prefix ("unhelpful", "helpful")."""
    return any(word == prefix + other for prefix in NEGATING_PREFIXES)


def _midpoint_agrees(scale: Scale) -> bool:
    """Whether a three-point scale's middle label reads positive ("Pretty happy" between
    "Not too happy" and "Very happy"), not neutral or negative ("Not frequently")."""
    if scale.labels is None:
        return False
    middle = normalise_label(scale.labels[1])
    return polarity(middle) > 0 and not _NEUTRAL.match(middle)


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
        """Normalised label -> code, aliases included (computed once; do not modify)."""
        return self._label_map

    @cached_property
    def _label_map(self) -> dict[str, int]:
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


class VocabularySpec(BaseModel):
    """One label scale of the vocabularies file (or of a config's ``vocabularies``)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    labels: list[str] = Field(min_length=2, description="Most negative to most positive.")
    aliases: dict[str, int] = Field(default_factory=dict, description="Other spellings -> code.")

    @model_validator(mode="after")
    def _consistent(self) -> VocabularySpec:
        seen = [normalise_label(lab) for lab in self.labels]
        if len(set(seen)) != len(seen) or "" in seen:
            raise ValueError(f"vocabulary {self.name!r}: labels must be distinct and not blank")
        for alias, code in self.aliases.items():
            if not 1 <= code <= len(self.labels):
                raise ValueError(
                    f"vocabulary {self.name!r}: alias {alias!r} -> {code} is outside 1..{len(seen)}"
                )
            if normalise_label(alias) in seen and seen.index(normalise_label(alias)) + 1 != code:
                raise ValueError(f"vocabulary {self.name!r}: alias {alias!r} contradicts a label")
        return self

    def scale(self) -> Scale:
        aliases = {normalise_label(k): v for k, v in self.aliases.items()}
        return vocabulary(self.name, self.labels, aliases)


class VocabularyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vocabulary: list[VocabularySpec]

    @model_validator(mode="after")
    def _unique_names(self) -> VocabularyFile:
        names = [v.name.lower() for v in self.vocabulary]
        if len(set(names)) != len(names):
            raise ValueError("vocabulary names must be unique")
        return self


def load_vocabularies(text: str | None = None) -> tuple[Scale, ...]:
    """The vocabularies of a TOML text (default: the built-in vocabularies.toml), validated."""
    if text is None:
        text = resources.files("cxgap").joinpath("vocabularies.toml").read_text("utf-8")
    try:
        parsed = VocabularyFile.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigError(f"vocabularies file is not valid: {exc}") from None
    return tuple(v.scale() for v in parsed.vocabulary)


#: Built-in vocabularies (src/cxgap/vocabularies.toml), tried in file order; the first
#: that covers every label of an item wins, so the shorter scale is preferred.
VOCABULARIES: tuple[Scale, ...] = load_vocabularies()

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


#: A numeric scale with more points than this is a slider: "agree" is a threshold there.
SLIDER_MIN_POINTS = 12
#: On a slider, agree means the top SLIDER_TOP share of the range (>= 70 on 0-100).
SLIDER_TOP = 0.3


def is_slider(scale: Scale) -> bool:
    return scale.labels is None and scale.points >= SLIDER_MIN_POINTS


def slider_threshold(scale: Scale) -> int:
    """The lowest code in the top SLIDER_TOP of a slider's range: 70 on 0-100."""
    span = scale.max_code - scale.min_code
    return scale.min_code + math.ceil(round(span * (1 - SLIDER_TOP), 9))


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
        A three-point scale under a top-k rule agrees on its middle code only when its
        label reads positive ("Pretty happy"); a neutral or negative middle ("Neither",
        "Not frequently") leaves the top code alone. Elsewhere a rule that does not fit the
        scale is an error naming the item: top-k needs more than k points, '>=N' a code
        above the lowest."""
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
        if is_slider(scale):  # top-k of 101 points means nothing: the top 30% of the range
            return slider_threshold(scale)
        if self.top >= scale.points:
            raise ConfigError(
                f"agree rule '{self.describe()}' does not fit {where}: it has "
                f"{scale.points} points, so top-k needs k < {scale.points}"
            )
        if scale.points == 3 and not _midpoint_agrees(scale):
            return scale.max_code
        return scale.codes[-self.top]

    def describe(self) -> str:
        if self.at_least is not None:
            return f">={self.at_least}"
        return "top-box" if self.top == 1 else f"top-{self.top}-box"
