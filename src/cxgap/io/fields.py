"""Field counts per record of a delimited file: which lines are ragged.

A record is ragged when it has fewer or more fields than the first record (the
header). The file is read a few megabytes at a time: separators and newlines inside
double quotes do not count (every quote toggles the state, so a ``""`` escape
cancels), blank lines are skipped as polars skips them, and each record is reported
at the physical line where it starts, so a record after a quoted newline gets the
line an editor shows. A delimiter at the end of every line, header included, adds one
(empty) field to every record and so is not ragged.

Each block is first reduced, by bytes methods that run in C (translate, replace, a
regular expression), to what lies outside quotes: separators and record ends. When
every record has the header's field count, the usual case, one comparison proves it,
without a loop over the lines; otherwise the reduced records are compared one by one
(or, when a quoted field holds a newline, the block is read line by line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

_CHUNK = 1 << 24
_NL, _QUOTE = b"\n", b'"'
#: A quoted stretch: from a quote to the next one. An escaped quote (``""``) ends one
#: stretch and starts the next, which is the same toggling.
_QUOTED = re.compile(rb'"[^"]*"')
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

    def record(self, line: int, fields: int, blank: bool) -> None:
        """Note one record: the first that is not blank is the header."""
        if blank:
            return
        if not self.expected:
            self.expected = fields
        elif fields != self.expected:
            self.ragged += 1
            if len(self.lines) < KEEP:
                self.lines.append((line, fields))


def scan_fields(path: Path, separator: str, *, chunk: int = _CHUNK) -> FieldScan:
    """Count the fields of every record of ``path`` (UTF-8 text) and find the ragged ones."""
    sep = separator.encode()
    out = FieldScan()
    line = 1  # the physical line the next block starts on
    rest = b""
    with path.open("rb") as fh:
        while True:
            data = fh.read(chunk)
            buf = rest + data
            end = last_record_end(buf)
            line = _scan_block(out, buf[:end], sep, line)
            rest = buf[end:]
            if not data:  # the last record: without a newline, or in a quote never closed
                _scan_lines(out, rest, sep, line)
                return out


def _scan_block(out: FieldScan, block: bytes, sep: bytes, line: int) -> int:
    """Record the records of ``block`` (whole records, from ``line`` on); the next line."""
    while not out.expected and block:  # the header: the first record that is not blank
        end = _first_record_end(block)
        line = _scan_lines(out, block[:end], sep, line)
        block = block[end:]
    bare = _bare(block, sep)
    records, lines = bare.count(_NL), block.count(_NL)
    if bare == (sep * (out.expected - 1) + _NL) * records:  # every record as the header
        return line + lines
    if records == lines:  # no quoted newline: record k is line k
        _scan_bare(out, block, bare, sep, line)
        return line + lines
    return _scan_lines(out, block, sep, line)


def _bare(block: bytes, sep: bytes) -> bytes:
    """What is left of ``block`` outside quotes: its separators and record ends."""
    bare = block.translate(None, _not_structure(sep))
    if _QUOTE in bare:
        # A quoted field without a separator or newline is left as "", two toggles:
        # drop those at once, then the stretches that do hold one.
        bare = _QUOTED.sub(b"", bare.replace(b'""', b""))
    return bare


def _scan_bare(out: FieldScan, block: bytes, bare: bytes, sep: bytes, line: int) -> None:
    """Record the records of a block whose records are its lines, from its bare form."""
    header = sep * (out.expected - 1)
    lines: list[bytes] = []
    for k, found in enumerate(bare.split(_NL)[:-1]):
        if found == header:
            continue
        if not found and not lines:  # no separator: maybe a blank line
            lines = block.split(_NL)
        out.record(line + k, found.count(sep) + 1, not found and lines[k] in (b"", b"\r"))


def _scan_lines(out: FieldScan, body: bytes, sep: bytes, line: int) -> int:
    """Record each record of ``body`` line by line (whole records, from ``line`` on);
    the line after ``body``."""
    inside = False  # in a quoted field
    start = fields = 0
    blank = False
    pieces = body.split(_NL)
    if pieces[-1] == b"":
        del pieces[-1]  # after the last newline
    for k, piece in enumerate(pieces):
        if not inside:
            start, fields, blank = k, 1, piece in (b"", b"\r")
        if _QUOTE in piece:
            parts = piece.split(_QUOTE)
            fields += sum(p.count(sep) for p in (parts[1::2] if inside else parts[::2]))
            inside ^= len(parts) % 2 == 0  # an odd number of quotes
        elif not inside:
            fields += piece.count(sep)
        if not inside:
            out.record(line + start, fields, blank)
    if inside:  # the file ends in an unclosed quote: its last record runs to the end
        out.record(line + start, fields, blank)
    return line + body.count(_NL)


def _first_record_end(buf: bytes) -> int:
    """Just past the first newline outside quotes (``buf`` starts outside them), or
    the end of ``buf``."""
    pos = 0  # outside quotes here
    while (nl := buf.find(_NL, pos)) >= 0:
        if buf.count(_QUOTE, pos, nl) % 2 == 0:
            return nl + 1
        # Inside quotes: past the quote that closes them (none: the record runs to the end).
        pos = buf.find(_QUOTE, nl) + 1
        if not pos:
            break
    return len(buf)


def last_record_end(buf: bytes) -> int:
    """Just past the last newline outside quotes (``buf`` starts outside them), or 0."""
    inside = buf.count(_QUOTE) % 2 == 1  # at the end of buf
    pos = len(buf)
    while (nl := buf.rfind(_NL, 0, pos)) >= 0:
        inside ^= buf.count(_QUOTE, nl, pos) % 2 == 1  # now: at that newline
        if not inside:
            return nl + 1
        # Inside quotes: before the quote that opened them, where it is outside.
        pos, inside = buf.rfind(_QUOTE, 0, nl), False
    return 0


@cache
def _not_structure(sep: bytes) -> bytes:
    """Every byte but the separator, the newline and the quote (for bytes.translate)."""
    keep = set(sep + _NL + _QUOTE)
    return bytes(b for b in range(256) if b not in keep)


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
