"""How alike two columns are: by id, by the wording of their questions, through the item
bank, and whether their scales agree.

Wording similarity is rapidfuzz's (imported here, when ``init`` runs); the texts are
first brought to a common form, so that a leader's "We ..." / "Our customers would say
..." and a customer's "I ..." / "My ..." version of one question score as alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from cxgap.bank import Bank
from cxgap.init.model import ExportColumn, Method
from cxgap.io.plan import name_key

#: Opening phrases of a leader's prediction or of a hedged answer: no part of the question.
_OPENINGS = re.compile(
    r"^(?:(?:our|the) customers? would (?:say|agree|tell us)(?: that)?|"
    r"customers would say(?: that)?|how likely would our customers be to|"
    r"in my experience|i think(?: that)?|we think(?: that)?|i feel(?: that)?)\b[ ,:]*"
)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
#: Words that say who speaks or are no part of what is asked.
_PERSONS = frozenset(
    [
        "we",
        "us",
        "our",
        "ours",
        "i",
        "me",
        "my",
        "mine",
        "you",
        "your",
        "yours",
        "they",
        "them",
        "their",
        "it",
        "its",
        "he",
        "she",
        "his",
        "her",
        "customer",
        "customers",
        "client",
        "clients",
        "a",
        "an",
        "the",
        "to",
        "of",
        "that",
        "is",
        "are",
        "am",
        "be",
        "been",
        "was",
        "were",
        "do",
        "does",
        "did",
        "would",
        "will",
        "can",
        "please",
    ]
)
#: The fewest words a question's text needs for its wording to count as evidence
#: ("Q1" and "Q2" are ids, not wordings).
MIN_WORDS = 3
#: Bank items: a column's text matches an item's wording at this score (0-1) or above.
BANK_MIN = 0.88


@lru_cache(maxsize=8192)
def id_key(name: str) -> str:
    """A column id as compared: no case, and runs of other characters than letters and
    digits as one separator (``Q3_1``, ``q3.1`` and ``Q3-1`` are one id)."""
    return re.sub(r"[^0-9a-z]+", "_", name_key(name).casefold()).strip("_")


@lru_cache(maxsize=4096)
def normal_text(text: str) -> str:
    """A question's text in a common form: its :func:`key_words`, plurals and tenses
    folded."""
    return " ".join(_stem(w) for w in key_words(text))


def key_words(text: str) -> list[str]:
    """What a question asks, as words: no HTML tags, case, accents or punctuation, no
    opening that marks a prediction, and no words that say who speaks."""
    text = _TAG.sub(" ", text)  # Qualtrics keeps the HTML of a question's formatting
    plain = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = " ".join(re.findall(r"[0-9a-z']+", plain)).replace("'", "")
    plain = _OPENINGS.sub("", plain)
    return [w for w in plain.split() if w not in _PERSONS]


def _stem(word: str) -> str:
    """A crude fold of inflections, enough that "keeps"/"keep" and "solved"/"solve"
    compare equal (the scorer forgives the rest)."""
    for end in ("ing", "ed", "es", "s"):
        if len(word) > len(end) + 3 and word.endswith(end):
            return word[: -len(end)]
    return word


def wording_score(a: str, b: str) -> float:
    """How alike two question texts are (0-1): the mean of rapidfuzz's token sort and
    token set ratios on the common form (order of words aside; one text's extra words,
    such as a company's name, cost less than a different word)."""
    x, y = normal_text(a), normal_text(b)
    if not x or not y:
        return 0.0
    whole = _ratio(x, y)
    # Rows of one matrix share the question and differ in the row's words: where the two
    # texts share a long stem, the words that differ decide.
    u, v = x.split(), y.split()
    start = 0
    while start < min(len(u), len(v)) and u[start] == v[start]:
        start += 1
    end = 0
    while end < min(len(u), len(v)) - start and u[-1 - end] == v[-1 - end]:
        end += 1
    rest_u, rest_v = u[start : len(u) - end], v[start : len(v) - end]
    if start + end >= STEM_WORDS and rest_u and rest_v:
        return min(whole, _ratio(" ".join(rest_u), " ".join(rest_v)))
    return whole


#: Shared words that make two texts one question's stem (see wording_score).
STEM_WORDS = 3


def _ratio(x: str, y: str) -> float:
    return (fuzz.token_sort_ratio(x, y) + fuzz.token_set_ratio(x, y)) / 200


def has_words(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS


@dataclass(frozen=True)
class BankHit:
    item: str
    score: float


def bank_hits(bank: Bank, columns: list[ExportColumn]) -> dict[tuple[str, str], BankHit]:
    """Each item column whose question matches a wording of a bank item (any group's,
    ``{company}`` left out), by (group, column): the best item at BANK_MIN or above."""
    wordings = [
        (item.id, item.wording(audience, kind, company=" ").replace("  ", " "))  # type: ignore[arg-type]
        for item in bank.items
        for audience, kind in _AUDIENCES
    ]
    out: dict[tuple[str, str], BankHit] = {}
    for col in columns:
        if not col.item or not has_words(col.wording):
            continue
        best = max(
            ((wording_score(col.wording, text), item) for item, text in wordings),
            key=lambda t: t[0],
        )
        if best[0] >= BANK_MIN:
            out[(col.group, col.name)] = BankHit(best[1], best[0])
    return out


#: A further group's column matches the bank item its pair matched from this score (0-1):
#: the pair already says which item it is.
THROUGH_MIN = 0.65


def through_bank(item: str | None, col: ExportColumn, bank: Bank) -> Candidate | None:
    """A further group's column scored against the wordings of the bank item its pair
    matched (None: the pair matched none, or the column's text is too far from it)."""
    if item is None or not col.item or not has_words(col.wording):
        return None
    found = bank.item(item)
    score = max(
        wording_score(col.wording, found.wording(audience, kind, company=" ").replace("  ", " "))  # type: ignore[arg-type]
        for audience, kind in _AUDIENCES
    )
    if score < THROUGH_MIN:
        return None
    confidence = round(min(0.99, 0.6 + score * 0.4) if score >= BANK_MIN else score, 2)
    why = f"matches bank item {item} ({score:.0%}), which the pair matched"
    return Candidate(confidence, "bank", (why,), item)


_AUDIENCES = (("customers", "self"), ("leaders", "self"), ("leaders", "prediction"),
              ("frontline", "self"))  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """Two columns scored as a pair; ``refused`` says why they cannot pair."""

    confidence: float
    method: Method
    evidence: tuple[str, ...]
    bank_item: str | None = None
    refused: str = ""
    #: A scale init decided for the pair (see with_scales), written as the item's.
    scale: str | None = None


def score_pair(
    a: ExportColumn, b: ExportColumn, hits: dict[tuple[str, str], BankHit], *, scales: bool = True
) -> Candidate | None:
    """The best case for pairing two item columns (None: nothing speaks for it), with
    their scales weighed (see :func:`with_scales`) unless ``scales`` is False."""
    found: list[Candidate] = []
    words = has_words(a.wording) and has_words(b.wording)
    wording = wording_score(a.wording, b.wording) if words else 0.0
    same = 1.0 if name_key(a.name) == name_key(b.name) else 0.0
    if not same and id_key(a.name) and id_key(a.name) == id_key(b.name):
        same = 0.95
    if same:
        said = (
            "the same id"
            if same == 1.0
            else f"the same id written two ways ({a.name!r}, {b.name!r})"
        )
        if a.text and b.text:  # both exports carry a question text: it must agree
            texts = wording_score(a.text, b.text)
            if texts >= 0.9:
                found.append(Candidate(same, "id", (said, f"question texts {texts:.0%} alike")))
            elif texts >= 0.75:
                why = (said, f"but the question texts only {texts:.0%} alike")
                found.append(Candidate(round(same * 0.85, 2), "id", why))
            else:
                found.append(
                    Candidate(
                        0.5, "id", (said, f"but the question texts differ ({texts:.0%} alike)")
                    )
                )
        elif same == 1.0 and has_words(a.name):  # one question's text heads both columns
            found.append(Candidate(1.0, "id", ("the same question heads both columns",)))
        else:
            found.append(Candidate(round(same * 0.95, 2), "id", (said,)))
    hit_a, hit_b = hits.get((a.group, a.name)), hits.get((b.group, b.name))
    if hit_a and hit_b and hit_a.item == hit_b.item:
        low = min(hit_a.score, hit_b.score)
        found.append(Candidate(round(min(0.99, 0.6 + low * 0.4), 2), "bank",
                               (f"both match bank item {hit_a.item} ({hit_a.score:.0%}, "
                                f"{hit_b.score:.0%})",), hit_a.item))  # fmt: skip
    if words and wording >= 0.5:
        found.append(Candidate(round(wording, 2), "wording", (f"wordings {wording:.0%} alike",)))
    if not found:
        return None
    order: dict[Method, int] = {"id": 0, "bank": 1, "wording": 2}
    best = min(found, key=lambda c: (-c.confidence, order[c.method]))
    return with_scales(best, a, b) if scales else best


def with_scales(found: Candidate, a: ExportColumn, b: ExportColumn) -> Candidate:
    """The candidate with its scales weighed: the same scale confirms it, the same number
    of points costs a little, other points refuse it (or cost much where both scales are
    numbers judged from the range of answers given: a point no one chose is not seen).
    Numbers judged from the answers given that lie within the other column's range are
    one scale (the wider), and a question about recommending answered within 0-10 in both
    files is on the 0-10 scale (NPS), at confidence RECOMMEND_FLOOR or more: the candidate
    then carries that scale."""
    if a.scale is None or b.scale is None:
        return found
    guessed = "observed range" in (a.scale_source, b.scale_source)
    if _recommend_0_10(a, b):
        seen = a.scale if a.scale == b.scale else f"{a.scale} and {b.scale}"
        note = (
            "scale 0-10 in both"
            if a.scale == b.scale == NPS_SCALE
            else "scale 0-10 in both: a question about recommending (judged "
            f"{seen} from the answers given)"
        )
        # one survey rarely asks two recommend questions: both asking it is evidence
        return Candidate(max(found.confidence, RECOMMEND_FLOOR), found.method,
                         (*found.evidence, note), found.bank_item, scale=NPS_SCALE)  # fmt: skip
    if a.scale == b.scale:
        note = f"scale {a.scale} in both" + (", judged from the answers given" if guessed else "")
        return Candidate(found.confidence, found.method, (*found.evidence, note), found.bank_item)
    wider = _within(a, b)
    if wider is not None:
        narrow = b if wider is a else a
        note = (f"the answers' range {narrow.scale} lies within {wider.scale}, judged from the "
                f"answers given: taken as {wider.scale}")  # fmt: skip
        return Candidate(round(found.confidence * 0.95, 2), found.method,
                         (*found.evidence, note), found.bank_item, scale=wider.scale)  # fmt: skip
    if a.points == b.points:
        note = f"scales {a.scale} and {b.scale}, {a.points} points each"
        return Candidate(round(found.confidence * 0.9, 2), found.method,
                         (*found.evidence, note), found.bank_item)  # fmt: skip
    what = f"{a.scale} ({a.points} points) against {b.scale} ({b.points} points)"
    if a.scale_source == b.scale_source == "observed range":
        return Candidate(round(found.confidence * 0.6, 2), found.method,
                         (*found.evidence, f"scales differ: {what}, judged from the answers "
                          "given"), found.bank_item)  # fmt: skip
    return Candidate(found.confidence, found.method, found.evidence, found.bank_item,
                     refused=what)  # fmt: skip


#: The scale of a likelihood-to-recommend question (NPS).
NPS_SCALE = "0-10"
#: The least confidence of two recommend questions on 0-10 (otherwise alike enough to be
#: a candidate): NPS is asked once per survey.
RECOMMEND_FLOOR = 0.85


def _numbers(col: ExportColumn) -> bool:
    return col.low is not None and col.high is not None and col.scale == f"{col.low}-{col.high}"


def _within(a: ExportColumn, b: ExportColumn) -> ExportColumn | None:
    """The column whose range of numbers holds the other's, where the narrower range was
    judged from the answers given and ends at the same top (no one chose its lowest
    points; None: neither holds the other). A range with another top is another scale:
    1-5 against 1-7 would set one group's top box against the other's middle."""
    if not (_numbers(a) and _numbers(b)) or a.high != b.high:
        return None
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    if b.scale_source == "observed range" and a.low <= b.low and b.high <= a.high:
        return a
    if a.scale_source == "observed range" and b.low <= a.low and a.high <= b.high:
        return b
    return None


def _recommend_0_10(a: ExportColumn, b: ExportColumn) -> bool:
    """Both columns ask about recommending and hold numbers up to 10 from 0 or more, each
    on 0-10 or judged from the answers given."""
    from cxgap.analysis.nps import asks_to_recommend

    return all(
        _numbers(c)
        and c.low is not None
        and c.low >= 0
        and c.high == 10
        and (c.scale == NPS_SCALE or c.scale_source == "observed range")
        and (asks_to_recommend(c.wording) or asks_to_recommend(c.name))
        for c in (a, b)
    )
