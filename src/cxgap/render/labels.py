"""Item labels cut to fit a terminal column: at most a few lines, with an ellipsis."""

from __future__ import annotations

import re
import textwrap

from rich.cells import cell_len

#: Lines a label takes in a table at most.
LABEL_LINES = 2
ELLIPSIS = "\u2026"

#: The part of a label that tells rows of one question apart: a grid row
#: (``Question [Row]``) or a sub-item (``Question - Sub-item``).
_TAILS = (
    re.compile(r"^(?P<stem>.*?\S)(?P<tail>\s+-\s+[^-]+)$"),
    re.compile(r"^(?P<stem>.*\S)(?P<tail>\s*\[[^\[\]]+\])$"),
)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)


def shorten(label: str, width: int, lines: int = LABEL_LINES) -> str:
    """The label on at most ``lines`` lines of ``width``, cut with an ellipsis. A grid
    row or sub-item at the end is kept and the question before it is cut, so that the
    rows of one question still read apart."""
    text = " ".join(label.split())
    wrapped = _wrap(text, width)
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    match = next((m for m in (t.match(text) for t in _TAILS) if m), None)
    if match and cell_len(match["tail"].strip()) <= width * lines // 2:
        stem, tail = match["stem"], match["tail"]
        while stem:
            stem = stem[:-1].rstrip()
            trial = _wrap(f"{stem}{ELLIPSIS}{tail}", width)
            if len(trial) <= lines:
                return "\n".join(trial)
    elif match:  # a long sub-item: it, not the question all rows share, tells them apart
        wrapped = _wrap(ELLIPSIS + match["tail"].strip(), width)
        if len(wrapped) <= lines:
            return "\n".join(wrapped)
    last = wrapped[lines - 1]
    cut = last[: width - 1].rstrip() if cell_len(last) >= width else last
    return "\n".join([*wrapped[: lines - 1], cut + ELLIPSIS])
