"""Field counts per record of a delimited file: which lines are ragged.

A record is ragged when it has fewer or more fields than the first record (the
header). Counting is vectorised with numpy over the raw bytes, a few megabytes
at a time: separators and newlines inside double quotes do not count (a ``""``
escape toggles the quote state twice, so it cancels), blank lines are skipped as
polars skips them, and each record is reported at the physical line where it
starts, so a record after a quoted newline gets the line an editor shows.
A delimiter at the end of every line, header included, adds one (empty) field
to every record and so is not ragged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

_CHUNK = 1 << 24
_NL, _CR, _QUOTE = 10, 13, 34
#: Ragged records kept with their line numbers (the rest are only counted).
KEEP = 10_000


@dataclass
class FieldScan:
    """The header's field count and the ragged records: (physical line, fields)."""

    expected: int = 0
    ragged: int = 0
    lines: list[tuple[int, int]] = field(default_factory=list)

    def by_fields(self) -> dict[int, list[int]]:
        """The kept ragged lines grouped by their field count, fewest fields first."""
        groups: dict[int, list[int]] = {}
        for line, fields in self.lines:
            groups.setdefault(fields, []).append(line)
        return dict(sorted(groups.items()))


def scan_fields(path: Path, separator: str, *, chunk: int = _CHUNK) -> FieldScan:
    """Count the fields of every record of ``path`` (UTF-8 text) and find the ragged ones."""
    sep = ord(separator)
    out = FieldScan()
    rest = b""
    line_base = 0  # newlines before the start of ``rest``
    first = True
    with path.open("rb") as fh:
        while True:
            data = fh.read(chunk)
            final = not data
            buf = rest + data
            if not buf:
                break
            b = np.frombuffer(buf, dtype=np.uint8)
            if first and buf.startswith(b"\xef\xbb\xbf"):
                b = b.copy()
                b[:3] = 32  # the BOM is no field content
            ends, seps, newlines = _record_ends(b, sep)
            if final and (not len(ends) or ends[-1] != len(b) - 1):
                ends = np.append(ends, len(b))  # the last record has no newline
            if not len(ends):
                rest = buf
                continue
            starts = np.concatenate(([0], ends[:-1] + 1))
            fields = np.diff(np.searchsorted(seps, ends), prepend=0) + 1
            # The record's first physical line: newlines (quoted ones too) before its start.
            lines = line_base + np.searchsorted(newlines, starts) + 1
            length = ends - starts
            blank = (length == 0) | ((length == 1) & (b[np.minimum(starts, len(b) - 1)] == _CR))
            fields, lines = fields[~blank], lines[~blank]
            if first and len(fields):
                out.expected = int(fields[0])
                first = False
            _collect(out, fields, lines)
            consumed = int(ends[-1]) + 1
            line_base += int(np.count_nonzero(b[:consumed] == _NL))
            rest = buf[consumed:]
            if final:
                break
    return out


def _record_ends(
    b: npt.NDArray[np.uint8], sep: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Positions of record-ending newlines, of field separators (both outside quotes),
    and of every newline."""
    is_nl = b == _NL
    is_sep = b == sep
    newlines = np.flatnonzero(is_nl)
    quotes = b == _QUOTE
    if not quotes.any():
        return newlines, np.flatnonzero(is_sep), newlines
    # 1 after an odd number of quotes: inside a quoted field.
    outside = ~np.bitwise_xor.accumulate(quotes.view(np.uint8)).astype(bool)
    return np.flatnonzero(is_nl & outside), np.flatnonzero(is_sep & outside), newlines


def _collect(out: FieldScan, fields: npt.NDArray[np.intp], lines: npt.NDArray[np.intp]) -> None:
    bad = np.flatnonzero(fields != out.expected)
    if not len(bad):
        return
    out.ragged += len(bad)
    room = KEEP - len(out.lines)
    if room > 0:
        keep = bad[:room]
        out.lines += list(zip(lines[keep].tolist(), fields[keep].tolist(), strict=True))


def format_lines(lines: list[int], total: int, limit: int = 12) -> str:
    """Line numbers as ranges (``5, 9-12, 40``): the first ``limit`` ranges, then how
    many more of ``total`` there are."""
    ranges: list[tuple[int, int]] = []
    for line in lines:
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], line)
        else:
            ranges.append((line, line))
    shown = [f"{a}" if a == b else f"{a}-{b}" for a, b in ranges[:limit]]
    listed = sum(b - a + 1 for a, b in ranges[:limit])
    more = total - listed
    return ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")
