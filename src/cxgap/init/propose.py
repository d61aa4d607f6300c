"""Pair the items of two groups' exports (and match a further group's to the pairs):
every candidate scored, then assigned one to one, most confident first."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from cxgap.bank import Bank, load_bank
from cxgap.code.choose import ScaleChoice
from cxgap.config import Config
from cxgap.config.sections import group_name_problem, possessive
from cxgap.errors import UsageError
from cxgap.init.columns import declared, export_columns, open_export
from cxgap.init.model import ExportColumn, LeftOut, Member, PairProposal, ProposedPair
from cxgap.init.score import (
    NPS_SCALE,
    BankHit,
    Candidate,
    bank_hits,
    id_key,
    key_words,
    score_pair,
    through_bank,
    with_scales,
)
from cxgap.io.plan import name_key
from cxgap.io.source import Source

#: Pairs at or above this confidence are written as live entries; below it, commented out.
DEFAULT_THRESHOLD = 0.8
#: Below this, two columns are no candidate pair at all.
MIN_CANDIDATE = 0.5
#: A pair refused for its scales is a column's reason to be alone from this confidence.
STRONG = 0.7
_METHOD_ORDER = {"id": 0, "bank": 1, "wording": 2}


def propose_pairs(
    files: Mapping[str, Source],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    bank: Bank | str | Path | None = None,
    source: str = "auto",
) -> PairProposal:
    """How the items of the groups' exports pair: ``files`` maps each group to its export
    (in order; the first two groups are paired, e.g. ``{"leaders": ..., "customers": ...}``,
    and each further group's columns are matched to those pairs). Pairs at or above
    ``threshold`` (0-1) are accepted; those below are proposed for review only."""
    if len(files) < 2:
        raise UsageError("give two groups' exports (and optionally more) to pair")
    if not 0 < threshold <= 1:
        raise UsageError(f"the threshold is a confidence between 0 and 1 (got {threshold})")
    for group in files:
        problem = group_name_problem(group, positional=False)
        if problem:
            raise UsageError(f"groups: {problem}")
    the_bank = bank if isinstance(bank, Bank) else load_bank(bank)
    cfg = Config()
    surveys = {g: open_export(f, source) for g, f in files.items()}
    # a scale one export declares (SPSS) holds for a column of that name in the others, as
    # analyze decides a column's scale on every file that has it
    declares: dict[str, ScaleChoice | None] = {}
    for group, survey in surveys.items():
        for name, choice in declared(survey, group, cfg).items():
            declares.setdefault(name, choice)
    columns = {g: export_columns(s, g, cfg, declares) for g, s in surveys.items()}
    everything = [c for cols in columns.values() for c in cols]
    hits = bank_hits(the_bank, everything)
    groups = list(files)
    first, second = columns[groups[0]], columns[groups[1]]
    chosen, left = _assign(first, second, hits)
    pairs = [_pair(a, b, cand, the_bank, threshold) for a, b, cand in chosen]
    for group in groups[2:]:
        pairs, more = _match_other(pairs, columns, group, hits, threshold, the_bank)
        left += more
    pairs = _named(pairs, columns)
    pairs.sort(key=lambda p: (not p.accepted, -p.confidence, _METHOD_ORDER[p.method], p.item))
    left += [LeftOut(group=c.group, column=c.name, kind="not an item", reason=c.reason)
             for c in everything if not c.item]  # fmt: skip
    order = {(c.group, c.name): k for k, c in enumerate(everything)}
    left.sort(key=lambda x: order[(x.group, x.column)])
    live = {p.bank_item: p.item for p in pairs if p.accepted and p.bank_item}
    head = next((i.id for i in the_bank.items if i.headline and i.id in live), None)
    nps = [live[i.id] for i in the_bank.items if i.nps and i.id in live]
    nps += [p.item for p in pairs if p.accepted and p.set_scale == NPS_SCALE and p.item not in nps]
    return PairProposal(
        groups=groups, files={g: _label(f) for g, f in files.items()}, threshold=threshold,
        pairs=pairs, left_out=left, headline_item=live.get(head) if head else None,
        nps_items=nps,
    )  # fmt: skip


def _label(given: Source) -> str:
    if isinstance(given, str | Path):
        return str(given)
    path = getattr(given, "path", None)
    return str(path) if path is not None else ", ".join(str(p) for p in given)  # type: ignore[union-attr]


Scored = tuple[ExportColumn, ExportColumn, Candidate]


def _assign(
    first: Sequence[ExportColumn],
    second: Sequence[ExportColumn],
    hits: dict[tuple[str, str], BankHit],
) -> tuple[list[Scored], list[LeftOut]]:
    """One to one, greedily on the sorted scores (ties: id before bank before wording,
    then file order): each column pairs at most once. The columns left over, and why."""
    items_a = [c for c in first if c.item]
    items_b = [c for c in second if c.item]
    scored: list[Pairing] = []
    for i, a in enumerate(items_a):
        for j, b in enumerate(items_b):
            found = score_pair(a, b, hits)
            if found is not None:
                scored.append((i, j, found))
    used_a: dict[int, int] = {}
    used_b: dict[int, int] = {}
    chosen: list[Scored] = []
    for i, j, found, free in _greedy(scored, used_a, used_b):
        chosen.append((items_a[i], items_b[j], _unambiguous(found, i, j, free, items_a, items_b)))
    left = [_why_alone(c, k, scored, used_a, items_b, side=0, namesakes=second)
            for k, c in enumerate(items_a) if k not in used_a]  # fmt: skip
    left += [_why_alone(c, k, scored, used_b, items_a, side=1, namesakes=first)
             for k, c in enumerate(items_b) if k not in used_b]  # fmt: skip
    return chosen, left


Pairing = tuple[int, int, Candidate]


def _greedy(
    scored: list[Pairing], used_a: dict[int, int], used_b: dict[int, int]
) -> Iterator[tuple[int, int, Candidate, list[Pairing]]]:
    """The pairs taken one to one, most confident first (ties: id before bank before
    wording, then file order), each with the candidates still free after it; ``used_a``
    and ``used_b`` fill with what is taken."""
    live = [s for s in scored if not s[2].refused and s[2].confidence >= MIN_CANDIDATE]
    live.sort(key=lambda s: (-s[2].confidence, _METHOD_ORDER[s[2].method], s[0], s[1]))
    for i, j, found in live:
        if i in used_a or j in used_b:
            continue
        used_a[i], used_b[j] = j, i
        yield i, j, found, [s for s in live if s[0] not in used_a and s[1] not in used_b]


#: A wording pair whose columns match another column this nearly as well is ambiguous.
AMBIGUOUS = 0.03


def _unambiguous(
    found: Candidate,
    i: int,
    j: int,
    live: Sequence[Pairing],
    items_a: Sequence[ExportColumn],
    items_b: Sequence[ExportColumn],
) -> Candidate:
    """A pair found by wording loses confidence when either column's question is as alike
    to a column still free (the texts of a matrix's rows often differ in a word or two)."""
    if found.method != "wording":
        return found
    rivals = [(s[2].confidence, items_b[s[1]].name if s[0] == i else items_a[s[0]].name)
              for s in live if (s[0] == i) != (s[1] == j)]  # fmt: skip
    close = [r for r in rivals if r[0] >= found.confidence - AMBIGUOUS]
    if not close:
        return found
    rival = max(close)[1]
    why = (*found.evidence, f"ambiguous: as alike to '{rival}'")
    return replace(found, confidence=round(found.confidence * 0.7, 2), evidence=why)


def _why_alone(
    col: ExportColumn,
    k: int,
    scored: list[Pairing],
    used: dict[int, int],
    others: Sequence[ExportColumn],
    *,
    side: int,
    namesakes: Sequence[ExportColumn] = (),
    partners: str = "column of the other file",
) -> LeftOut:
    """Why an item column is in no pair: its best partner's scale differs, its best
    partner was taken first (by a candidate scored as high or higher: they are taken
    most confident first), or nothing came close."""
    mine = [(s[1], s[2]) if side == 0 else (s[0], s[2])
            for s in scored if (s[0] if side == 0 else s[1]) == k]  # fmt: skip
    twin = next((c for c in namesakes if not c.item and id_key(c.name) == id_key(col.name)), None)
    if twin is not None:
        return LeftOut(group=col.group, column=col.name, kind="no partner",
                       reason=f"'{twin.name}' in the {possessive(twin.group)} file is not an "
                              f"item ({twin.reason})")  # fmt: skip
    refused = [m for m in mine if m[1].refused and m[1].confidence >= STRONG]
    usable = [m for m in mine if not m[1].refused and m[1].confidence >= MIN_CANDIDATE]
    top = max((m[1].confidence for m in usable), default=0.0)
    if refused and max(m[1].confidence for m in refused) >= top:
        other, cand = max(refused, key=lambda m: m[1].confidence)
        return LeftOut(group=col.group, column=col.name, kind="scale mismatch",
                       reason=f"its best match '{others[other].name}' "
                              f"({', '.join(cand.evidence)}) has another scale: "
                              f"{cand.refused}")  # fmt: skip
    if usable:
        other, cand = max(usable, key=lambda m: m[1].confidence)
        return LeftOut(group=col.group, column=col.name, kind="no partner",
                       reason=f"its closest match '{others[other].name}' "
                              f"({cand.confidence:.2f}) was taken first, by a match scored as "
                              "high or higher")  # fmt: skip
    return LeftOut(group=col.group, column=col.name, kind="no partner",
                   reason=f"no {partners} comes close (confidence {MIN_CANDIDATE} or "
                          "more)")  # fmt: skip


def _pair(a: ExportColumn, b: ExportColumn, found: Candidate, bank: Bank,
          threshold: float) -> ProposedPair:  # fmt: skip
    label = bank.item(found.bank_item).label if found.bank_item else None
    scale = found.scale or (a.scale if a.scale == b.scale else None)
    return ProposedPair(
        item=found.bank_item or "", label=label, bank_item=found.bank_item,
        columns={a.group: a.name, b.group: b.name}, confidence=found.confidence,
        method=found.method, evidence=list(found.evidence), scale=scale,
        set_scale=found.scale, accepted=found.confidence >= threshold,
        texts={c.group: c.text for c in (a, b) if c.text},
    )  # fmt: skip


def _match_other(
    pairs: list[ProposedPair],
    columns: Mapping[str, list[ExportColumn]],
    group: str,
    hits: dict[tuple[str, str], BankHit],
    threshold: float,
    bank: Bank,
) -> tuple[list[ProposedPair], list[LeftOut]]:
    """A further group's item columns matched to the pairs, one to one: each scored
    against both of a pair's columns and against the wordings of the bank item the pair
    matched, the best counting."""
    by_name = {(c.group, c.name): c for cols in columns.values() for c in cols}
    mine = [c for c in columns[group] if c.item]
    scored: list[Pairing] = []
    for i, pair in enumerate(pairs):
        ends = [by_name[(g, col)] for g, col in pair.columns.items()]
        for j, col in enumerate(mine):
            each = [f for f in (score_pair(end, col, hits, scales=False) for end in ends) if f]
            each += [f for f in [through_bank(pair.bank_item, col, bank)] if f is not None]
            if not each:
                continue
            best = max(each, key=lambda f: f.confidence)
            for end in ends:  # the scale is weighed against both ends
                best = with_scales(best, end, col) if not best.refused else best
            scored.append((i, j, best))
    used_p: dict[int, int] = {}
    used_c: dict[int, int] = {}
    for i, j, found, _ in _greedy(scored, used_p, used_c):
        member = Member(group=group, column=mine[j].name, confidence=found.confidence,
                        method=found.method, evidence=list(dict.fromkeys(found.evidence)),
                        accepted=found.confidence >= threshold, text=mine[j].text)  # fmt: skip
        pairs[i] = pairs[i].model_copy(update={"others": [*pairs[i].others, member]})
    firsts = [by_name[next(iter(p.columns.items()))] for p in pairs]
    left = [_why_alone(c, k, [(s[1], s[0], s[2]) for s in scored], used_c, firsts, side=0,
                       partners="pair")
            for k, c in enumerate(mine) if k not in used_c] if mine else []  # fmt: skip
    return pairs, left


_SIMPLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")


def _named(
    pairs: list[ProposedPair], columns: Mapping[str, list[ExportColumn]]
) -> list[ProposedPair]:
    """Each pair's item name: the bank item's id, else the first group's column id where
    it is a plain id, else a name from its question's words; never the name of a column
    the item does not map (analyze would take that column for it) nor another item's."""
    taken: set[str] = set()
    out = []
    for pair in pairs:
        mapped = {g: name_key(c).casefold() for g, c in pair.columns.items()}
        mapped |= {m.group: name_key(m.column).casefold() for m in pair.others}

        def clashes(name: str, mapped: dict[str, str] = mapped) -> bool:
            """Whether a column of that name in some file is not the item's column there."""
            key = name_key(name).casefold()
            return any(
                name_key(c.name).casefold() == key and mapped.get(g) != key
                for g, cols in columns.items()
                for c in cols
            )

        first = next(iter(pair.columns.values()))
        text = next(
            (c.wording for c in columns[next(iter(pair.columns))] if c.name == first), first
        )
        shortest = min(
            (c.wording for g, col in pair.columns.items() for c in columns[g] if c.name == col),
            key=len,
        )
        plain = re.sub(r"[^A-Za-z0-9_]+", "_", first).strip("_")
        simple = _SIMPLE.match(plain) and len(first) <= 24 and " " not in first
        base = pair.bank_item or (plain if simple and not clashes(plain) else _slug(text))
        name, n = base, 1
        while name.casefold() in taken or clashes(name):
            n += 1
            name = f"{base}_{n}"
        taken.add(name.casefold())
        # tables show the question where the item's name is made up (not its column's)
        label = pair.label or (None if name == first else " ".join(shortest.split()))
        out.append(pair.model_copy(update={"item": name, "label": label}))
    return out


def _slug(text: str) -> str:
    """A name from a question's words; from a matrix row's own words where the text is
    "question - row" (SurveyMonkey, Qualtrics)."""
    row = text.rsplit(" - ", 1)[-1]
    words = key_words(row) or key_words(text) or re.findall(r"[a-z0-9]+", text.casefold())
    slug = "_".join(words[:5])
    if len(slug) > 40:  # cut at a word's end
        slug = slug[:41].rsplit("_", 1)[0] if "_" in slug[:41] else slug[:40]
    slug = slug.strip("_")
    return slug if slug and slug[0].isalpha() else "item_" + slug if slug else "item"
