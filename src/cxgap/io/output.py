"""Writing outputs: atomically, and never over an input."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cxgap.errors import OutputError
from cxgap.io.sheet_path import split_sheet


def write_output(target: str | Path, data: str | bytes, *, inputs: Iterable[Path] = ()) -> None:
    """Write ``data`` to ``target`` (``"-"`` is stdout) via a temp file and a rename.

    A reader never sees a half-written file, and a failure leaves any earlier
    file in place. Refuses to write over one of ``inputs``. A target that exists and
    is not a regular file (``/dev/null``, a named pipe, a terminal) is written to
    directly: renaming over it would replace the device or pipe with a plain file.
    """
    if str(target) == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    path = Path(target)
    resolved = path.resolve()
    for item in inputs:
        if Path(split_sheet(item)[0]).resolve() == resolved:
            raise OutputError("refusing to write the output over an input file", file=path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if _is_special(resolved):
        try:
            with open(resolved, "wb") as fh:
                fh.write(payload)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror or exc}", file=path) from None
        return
    folder = resolved.parent
    if not folder.is_dir():
        raise OutputError(f"folder {str(path.parent)!r} does not exist", file=path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, resolved)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror or exc}", file=path) from None


def _is_special(path: Path) -> bool:
    """True for an existing target that is neither a regular file nor a folder."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
