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
            ends, is_sep, newlines = _record_ends(b, sep)
            if final and (not len(ends) or ends[-1] != len(b) - 1):
                ends = np.append(ends, len(b))  # the last record has no newline
            if not len(ends):
                rest = buf
                continue
            starts = np.concatenate(([0], ends[:-1] + 1))
            real = starts < len(b)  # a record after the final newline is empty
            starts, ends = starts[real], ends[real]
            consumed = int(ends[-1]) + 1 if len(ends) else len(b)
            # Separators per record, summed over each record's bytes.
            fields = np.add.reduceat(is_sep[:consumed].view(np.uint8), starts, dtype=np.int32) + 1
            length = ends - starts
            blank = (length == 0) | ((length == 1) & (b[starts] == _CR))
            fields, starts = fields[~blank], starts[~blank]
            if first and len(fields):
                out.expected = int(fields[0])
                first = False
            _collect(out, fields, starts, newlines, line_base)
            line_base += int(np.searchsorted(newlines, consumed))
            rest = buf[consumed:]
            if final:
                break
    return out


def _record_ends(
    b: npt.NDArray[np.uint8], sep: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """Positions of record-ending newlines, which bytes separate fields (both outside
    quotes), and the positions of every newline."""
    is_nl = b == _NL
    is_sep = b == sep
    newlines = np.flatnonzero(is_nl)
    quotes = b == _QUOTE
    if not quotes.any():
        return newlines, is_sep, newlines
    # 1 after an odd number of quotes: inside a quoted field.
    outside = ~np.bitwise_xor.accumulate(quotes.view(np.uint8)).astype(bool)
    return np.flatnonzero(is_nl & outside), is_sep & outside, newlines


def _collect(
    out: FieldScan,
    fields: npt.NDArray[np.int32],
    starts: npt.NDArray[np.intp],
    newlines: npt.NDArray[np.intp],
    line_base: int,
) -> None:
    bad = np.flatnonzero(fields != out.expected)
    if not len(bad):
        return
    out.ragged += len(bad)
    room = KEEP - len(out.lines)
    if room > 0:
        keep = bad[:room]
        # A record's first physical line: the newlines (quoted ones too) before its start.
        lines = line_base + np.searchsorted(newlines, starts[keep]) + 1
        out.lines += list(zip(lines.tolist(), fields[keep].tolist(), strict=True))


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
