"""Field counts per record of a delimited file: which lines are ragged.

A record is ragged when it has fewer or more fields than the first record (the
header). The file is read a few megabytes at a time: separators and newlines inside
double quotes do not count, blank lines are skipped as polars skips them, and each
record is reported at the physical line where it starts, so a record after a quoted
newline gets the line an editor shows. A delimiter at the end of every line, header
included, adds one (empty) field to every record and so is not ragged.

Fields are read as RFC 4180 reads them, leniently (as polars and Python's csv module
split a line into fields): a double quote opens a quoted field only at the field's
start; inside a field it is an ordinary character. While every quote of a block is
well formed (it opens a field, or closes one before a delimiter or a line end, or is
doubled inside one), every quote simply toggles the state, which bytes methods count
fast. A block with any other quote is read field by field from there on (see
:func:`_scan_rfc`), and the first quote the reader cannot read past stops the scan as
a :class:`QuoteProblem`: a quoted field that never closes (or closes only lines later
with text after its closing quote), text after a closing quote, or a quote inside a
field that is not in quotes, alone or paired around a separator (polars finds line ends
by counting every quote, so it runs such a line into the next ones, or fails). Quotes
that pair up inside each field, on a record of the header's width, are read as written.

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
from typing import Literal

_CHUNK = 1 << 24
_NL, _QUOTE = b"\n", b'"'
#: A quoted stretch: from a quote to the next one. An escaped quote (``""``) ends one
#: stretch and starts the next, which is the same toggling.
_QUOTED = re.compile(rb'"[^"]*"')
#: The bytes of a field kept to show where a quote problem lies.
_SHOWN = 80
#: Ragged records kept with their line numbers (the rest are only counted).
KEEP = 10_000


@dataclass(frozen=True)
class QuoteProblem:
    """The first double quote the CSV reader cannot read past.

    ``kind``: "unclosed" (a quoted field runs to the end of the file, or closes only on
    a later line and goes on after the closing quote), "after" (text after a field's
    closing quote), "stray" (a quote inside a field that is not in quotes)."""

    kind: Literal["unclosed", "after", "stray"]
    line: int  # the physical line of the quote
    field: int  # the field's index in its record, from 0
    record: int  # the physical line where the record starts
    fields: int  # the record's fields so far as CSV reads them (all of them for "stray")
    text: bytes  # the field's first bytes, as written
    closes: int = 0  # "unclosed": the line where the quote closes (0: never)


@dataclass
class FieldScan:
    """The header's field count and the ragged records: (physical line, fields); the
    first quote the reader cannot read past, if any (the scan stops there)."""

    expected: int = 0
    ragged: int = 0
    lines: list[tuple[int, int]] = field(default_factory=list)
    quote: QuoteProblem | None = None

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
            end = last_record_end(buf) if data else len(buf)
            block = buf[:end]
            if _ill_formed(block, sep, first=line == 1):
                # Read on field by field: such a file is rare, and its reading stops
                # at the first quote the reader cannot read past.
                _scan_rfc(out, buf + fh.read(), sep, line)
                return out
            if not data:  # the last record: without a newline, or in a quote never closed
                _scan_lines(out, rest, sep, line)
                return out
            line = _scan_block(out, block, sep, line)
            rest = buf[end:]


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


#: A byte-order mark, which polars skips at the start of a file.
_BOM = b"\xef\xbb\xbf"


@cache
def _well_formed(sep: bytes, first: bool) -> re.Pattern[bytes]:
    """A quoted field as RFC 4180 writes it: from a quote at a field's start (after a
    separator, a newline, the start of the block, or the file's byte-order mark when the
    block starts the file) to the quote that closes it before a separator or a line end,
    doubled quotes inside."""
    s = re.escape(sep)
    bom = rb"|(?<=\A" + _BOM + rb")" if first else b""
    return re.compile(
        rb"(?:(?<=["
        + s
        + rb"\n])|\A"
        + bom
        + rb')"[^"]*(?:""[^"]*)*"(?=['
        + s
        + rb"\n]|\r\n|\r?\Z)"
    )


def _ill_formed(block: bytes, sep: bytes, first: bool) -> bool:
    """Whether ``block`` (whole records, from a record's start; ``first``: the file's
    start) has a quote that is not part of a well-formed quoted field: then toggling on
    every quote is not how CSV reads it.

    Each stretch from a quote to the next becomes one marker byte, the other bytes but
    the separator and the line ends one letter (bytes methods, in C); then every marker
    must follow a field's start (or another marker: a doubled quote) and precede a
    field's end (or another marker)."""
    if _QUOTE not in block:
        return False
    if first and block.startswith(_BOM):
        block = block[len(_BOM) :]
    if _MARK in block:  # no byte to spare for the marker: the exact pattern
        return _QUOTE in _well_formed(sep, first=False).sub(b"", block)
    marked = _QUOTED.sub(_MARK, block)
    if _QUOTE in marked:  # a quote left alone: it opens a field never closed
        return True
    shape = marked.translate(_shapes(sep))
    # Text before a marker: needles ending in the (rare) marker are found fast; text after
    # one: one pattern that starts with it (a needle starting with it and ending in a
    # common byte would be tried at nearly every byte).
    if b"a" + _MARK in shape or b"\r" + _MARK in shape:
        return True
    return _after_marker(sep).search(shape) is not None


@cache
def _after_marker(sep: bytes) -> re.Pattern[bytes]:
    """Text after a marker that does not end its field: a letter, or a CR not before the
    line end."""
    return re.compile(_MARK + rb"(?:a|\r\r|\ra|\r(?:" + re.escape(sep) + rb"|\x00))")


#: What a quoted stretch becomes in :func:`_ill_formed`.
_MARK = b"\x00"


@cache
def _shapes(sep: bytes) -> bytes:
    """A bytes.translate table: the separator, the line ends and the marker stay, every
    other byte is ``a``."""
    keep = set(sep + _NL + b"\r" + _MARK)
    return bytes(b if b in keep else ord("a") for b in range(256))


@cache
def _rfc_field(sep: bytes) -> re.Pattern[bytes]:
    """One field from its start: quoted (its body, the closing quote if any, any text
    after it) or plain, up to the next separator, newline or the end."""
    s = re.escape(sep)
    return re.compile(
        rb'"(?P<body>[^"]*(?:""[^"]*)*)(?P<close>"?)(?P<after>[^' + s + rb"\n]*)"
        rb"|(?P<plain>[^" + s + rb"\n]*)"
    )


def _scan_rfc(out: FieldScan, data: bytes, sep: bytes, line: int) -> None:
    """Record the records of ``data`` (from a record's start at ``line`` to the end of
    the file) field by field, as RFC 4180 reads them; stop at the first quote the reader
    cannot read past (``out.quote``)."""
    pattern, pos, n = _rfc_field(sep), 0, len(data)
    if line == 1 and data.startswith(_BOM):
        pos = len(_BOM)
    start = 0
    while pos < n:
        first, fields = line, 0
        stray: tuple[int, int, bytes] | None = None  # the first stray quote: line, field, text
        odd = False  # a field not in quotes holds an odd number of quotes
        while True:
            m = pattern.match(data, pos)
            assert m is not None  # a plain field matches anywhere, if only empty
            fields += 1
            body = m.group("body")
            if body is not None:
                opened, breaks = line, body.count(_NL)
                line += breaks
                after = m.group("after")
                if after.endswith(b"\r") and (m.end() == n or data[m.end()] == _NL[0]):
                    after = after[:-1]  # a CRLF line end
                text = data[m.start() : m.start() + _SHOWN]
                closed = bool(m.group("close"))
                if not closed or after:
                    kind: Literal["unclosed", "after"] = "after" if closed and not breaks else (
                        "unclosed"
                    )  # fmt: skip
                    closes = line if closed and breaks else 0
                    out.quote = QuoteProblem(kind, opened, fields - 1, first, fields, text, closes)
                    return
            else:
                plain = m.group("plain")
                odd = odd or plain.count(_QUOTE) % 2 == 1
                if _QUOTE in plain and stray is None:
                    stray = (line, fields - 1, plain[:_SHOWN])
            pos = m.end()
            if pos >= n or data[pos] == _NL[0]:
                break
            pos += len(sep)
        # Quotes that pair up inside each field, on a record of the header's width, are read
        # as written (`12" pizza and 6" sub`), by polars too; a lone one runs the record
        # into the next, and a pair around a separator makes polars' scans fail.
        if stray is not None and (odd or (out.expected and fields != out.expected)):
            out.quote = QuoteProblem("stray", stray[0], stray[1], first, fields, stray[2])
            return
        out.record(first, fields, data[start:pos] in (b"", b"\r"))
        pos += 1
        start, line = pos, line + 1


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
