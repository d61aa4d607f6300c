"""The ``cxgap.toml`` of a proposal: accepted pairs as [items] entries, pairs below the
threshold commented out with the reason, and the columns left out listed in comments.

Column names and question texts are data: every one is written as a TOML basic string
with each character TOML does not allow raw escaped, and a comment never holds a raw
line break or control character, so no name can end a comment, a string or a table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cxgap.init.model import PairProposal, ProposedPair
from cxgap.io.plan import name_key

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}  # fmt: skip


#: DEL, and what some editors take for a line break (NEL, LINE and PARAGRAPH SEPARATOR):
#: escaped too, so that every entry reads as one line wherever the file is opened.
_BREAKS = frozenset({0x7F, 0x85, 0x2028, 0x2029})


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters
    escaped; a lone surrogate (no Unicode scalar value) as U+FFFD."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or code in _BREAKS:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")


def comment_text(text: str) -> str:
    """Text for a comment line: line breaks and other control characters shown escaped
    (a comment ends at a line break, and TOML allows no other control character in it)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def _pair_lines(pair: ProposedPair, groups: Sequence[str], live: bool) -> list[str]:
    lines = [f"[items.{toml_string(pair.item)}]"]
    if pair.label:
        lines.append(f"label = {toml_string(pair.label)}")
    if pair.set_scale:
        lines.append(f"scale = {toml_string(pair.set_scale)}")
    extra: dict[str, str] = {}
    for group in groups:
        column = pair.columns.get(group)
        if column is None:
            continue
        if group in ("leaders", "customers"):
            lines.append(f"{group} = {toml_string(column)}")
        else:
            extra[group] = column
    members = [m for m in pair.others if m.accepted or not live]
    extra.update({m.group: m.column for m in members})
    if extra:
        table = ", ".join(f"{toml_string(g)} = {toml_string(c)}" for g, c in extra.items())
        lines.append(f"columns = {{ {table} }}")
    return lines if live else ["# " + line for line in lines]


def _explain(pair: ProposedPair) -> str:
    return f"{pair.confidence:.2f} by {pair.method}: " + comment_text("; ".join(pair.evidence))


def config_text(proposal: PairProposal) -> str:
    """The config file for ``proposal``, for the user to review."""
    groups = proposal.groups
    files = ", ".join(f"{g} {comment_text(proposal.files[g])}" for g in groups)
    lines = [
        "# cxgap settings written by cxgap init: how the items of the exports pair up.",
        f"# Exports: {files}.",
        f"# Pairs at confidence {proposal.threshold:.2f} or more are live entries; those "
        "below are commented",
        "# out with the reason: review them, uncomment what is right, delete what is not.",
        'agree = "top2"',
    ]
    if proposal.headline_item:
        lines.append(f"headline_item = {toml_string(proposal.headline_item)}")
    if proposal.nps_items:
        lines.append(f"nps_items = [{', '.join(toml_string(n) for n in proposal.nps_items)}]")
    blocked = _same_name_unpaired(proposal)
    if blocked:
        lines += [
            "# Columns that have one name in both files but that init did not pair (analyze",
            "# would pair them by name): take a name out of this list to pair it after all.",
            f"exclude_columns = [{', '.join(toml_string(b) for b in blocked)}]",
        ]
    lines.append("")
    for pair in proposal.pairs:
        lines.append(f"# {_explain(pair)}")
        lines += _question_lines(pair)
        for member in pair.others:
            state = "" if member.accepted else " (below the threshold: commented out)"
            lines.append(f"# {member.group}: {member.confidence:.2f} by {member.method}{state}: "
                         + comment_text("; ".join(member.evidence)))  # fmt: skip
        if pair.accepted:
            lines += _pair_lines(pair, groups, live=True)
            for member in pair.others:
                if not member.accepted:
                    lines.append(f"# columns = {{ {toml_string(member.group)} = "
                                 f"{toml_string(member.column)} }}")  # fmt: skip
        else:
            lines.append(f"# below the threshold ({proposal.threshold:.2f}): commented out")
            held = [c for c in pair.columns.values() if c in blocked]
            if held:
                names = ", ".join(f"'{comment_text(c)}'" for c in dict.fromkeys(held))
                lines.append(f"# to accept it, also take {names} out of exclude_columns")
            lines += _pair_lines(pair, groups, live=False)
        lines.append("")
    if proposal.left_out:
        lines.append("# Columns left out:")
        for left in proposal.left_out:
            lines.append(f"#   {left.group}: '{comment_text(left.column)}': {left.kind}"
                         f" ({comment_text(left.reason)})")  # fmt: skip
        lines.append("")
    return "\n".join(lines)


def _question_lines(pair: ProposedPair) -> list[str]:
    """Each group's question, where its export has a text besides the column's id."""
    texts = {**pair.texts, **{m.group: m.text for m in pair.others if m.text}}
    columns = {**pair.columns, **{m.group: m.column for m in pair.others}}
    return [f"#   {group} '{comment_text(columns[group])}': {comment_text(text)}"
            for group, text in texts.items()]  # fmt: skip


def _same_name_unpaired(proposal: PairProposal) -> list[str]:
    """Names of columns in both paired files that init paired in neither, where at least
    one of the two is an item: analyze would take them for one item by their name (it
    decides an item on every file that has the column)."""
    first, second = proposal.groups[:2]
    mapped = {name_key(c) for p in proposal.accepted for c in p.columns.values()}
    mapped |= {name_key(m.column) for p in proposal.accepted for m in p.others if m.accepted}
    below = [(g, c) for p in proposal.pairs if not p.accepted for g, c in p.columns.items()]
    loose = [(x.group, x.column, x.kind != "not an item") for x in proposal.left_out]
    loose += [(g, c, True) for g, c in below]
    names: dict[str, dict[str, tuple[str, bool]]] = {first: {}, second: {}}
    for group, column, item in loose:
        if group in names:
            key = name_key(column)
            was = names[group].get(key, (column, False))
            names[group][key] = (column, was[1] or item)
    out = [
        column
        for key, (column, item) in names[first].items()
        if key in names[second] and key not in mapped and (item or names[second][key][1])
    ]
    return sorted(set(out))
