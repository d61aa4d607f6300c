"""Wave labels and their natural order: quarters, months, ISO dates, or an explicit list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from cxgap.errors import ConfigError

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})[-_ /]?q([1-4])$"), "yq"),  # 2026Q3, 2026-Q3
    (re.compile(r"^q([1-4])[-_ /]?(\d{4})$"), "qy"),  # Q3 2026, Q3-2026
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "ymd"),  # 2026-07-15
    (re.compile(r"^(\d{4})[-_/](\d{1,2})$"), "ym"),  # 2026-07
    (re.compile(r"^([a-z]{3,9})[-_ /]?(\d{4})$"), "my"),  # Jul 2026, July-2026
)


def wave_date(label: str) -> date | None:
    """The first day a wave label stands for, or None when it is not a known form."""
    text = label.strip().lower()
    for pattern, kind in _PATTERNS:
        m = pattern.match(text)
        if m is None:
            continue
        try:
            if kind == "yq":
                return date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1)
            if kind == "qy":
                return date(int(m.group(2)), 3 * int(m.group(1)) - 2, 1)
            if kind == "ymd":
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if kind == "ym":
                return date(int(m.group(1)), int(m.group(2)), 1)
            month = _MONTHS.get(m.group(1))
            return date(int(m.group(2)), month, 1) if month else None
        except ValueError:
            return None
    return None


def _natural_key(label: str) -> tuple[tuple[int, int | str], ...]:
    parts = re.split(r"(\d+)", label.lower())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def order_waves(labels: Iterable[str], explicit: Sequence[str] | None = None) -> list[str]:
    """Labels in wave order: the explicit order when given, else by the dates they
    stand for; labels of no known form sort naturally ("W2" before "W10")."""
    distinct = sorted(set(labels))
    if explicit:
        unknown = [w for w in distinct if w not in explicit]
        if unknown:
            raise ConfigError(
                f"wave_order does not list wave(s) found in the data: {', '.join(unknown)}"
            )
        return [w for w in explicit if w in set(distinct)]
    dated = {w: wave_date(w) for w in distinct}
    if all(d is not None for d in dated.values()):
        return sorted(distinct, key=lambda w: (dated[w], w))
    return sorted(distinct, key=_natural_key)


def waves_are_dated(labels: Iterable[str]) -> bool:
    return all(wave_date(w) is not None for w in labels)


_TOKEN = re.compile(
    r"(\d{4}[-_ ]?q[1-4]|q[1-4][-_ ]?\d{4}|\d{4}-\d{2}-\d{2}|\d{4}[-_]\d{2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-_ ]?\d{4})",
    re.IGNORECASE,
)


def wave_from_name(stem: str) -> str:
    """The wave a file stands for, from its name: ``customers_2026Q3`` -> ``2026Q3``."""
    found = _TOKEN.findall(stem)
    return found[-1] if found else stem
