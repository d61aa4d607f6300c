"""Bytes to text: encodings as exports arrive (UTF-8 with or without BOM, UTF-16 from
Excel's "Unicode text", Windows-1252 from older Excel), and a UTF-8 copy for polars."""

from __future__ import annotations

import atexit
import codecs
import os
import tempfile
from pathlib import Path

from cxgap.errors import Unreadable

SNIFF_BYTES = 1 << 20
_CHUNK = 1 << 22
_TEMPS: list[Path] = []


def read_head(path: Path) -> tuple[str, str, list[str]]:
    """The decoded first megabyte, the file's encoding, and notes for the user."""
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise Unreadable(f"cannot open: {exc.strerror or exc}", file=path) from None
    notes: list[str] = []
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    elif head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4 or len(head) < SNIFF_BYTES:
                encoding = "cp1252"
                notes.append(
                    f"{path}: not valid UTF-8 (byte 0x{head[exc.start]:02x} at offset "
                    f"{exc.start}); read as Windows-1252"
                )
    text = head.decode(encoding, errors="ignore" if encoding.startswith("utf") else "replace")
    return text, encoding, notes


def utf8_source(path: Path, encoding: str) -> Path:
    """``path`` itself when it is UTF-8, else a UTF-8 copy in a temporary file
    (deleted when the process ends). The input file is never modified."""
    if encoding in ("utf-8", "utf-8-sig"):
        return path
    fd, name = tempfile.mkstemp(prefix="cxgap-", suffix=".csv")
    target = Path(name)
    _TEMPS.append(target)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(decoder.decode(chunk).encode("utf-8"))
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        raise Unreadable(
            f"not valid {encoding} text ({exc.reason})", file=path, hint="save it as CSV UTF-8"
        ) from None
    return target


@atexit.register
def _cleanup() -> None:
    for temp in _TEMPS:
        temp.unlink(missing_ok=True)
