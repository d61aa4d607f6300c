"""Header layouts of survey platforms' CSV exports, detected from the first records.

========================  ===========  ==================================================
layout                    header rows  how to recognise it
========================  ===========  ==================================================
qualtrics                 3 (2)        row 3 holds ImportId objects (JSON or dict style);
                                       without them, internal ids (QID12_3) or Qualtrics
                                       metadata in row 1 over a row of question text
qualtrics-legacy          2            row 1 starts V1, V2, ...; row 2 names ResponseID
surveymonkey              2 (3)        row 2 holds "Response" / sub-item labels, or is
                                       blank under the metadata columns (Respondent ID,
                                       Collector ID, ...) of row 1; a publisher-added
                                       "q1" row first makes it 3
google-forms              1            first column "Timestamp"
csv                       1            anything else: the plain wide layout
========================  ===========  ==================================================
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from cxgap.errors import InputError
from cxgap.scales import DEFAULT_NON_ANSWERS, VOCABULARIES, normalise_label

QUALTRICS_METADATA = frozenset(
    {
        "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
        "Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName",
        "RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude",
        "DistributionChannel", "UserLanguage", "ResponseID", "ResponseSet", "Name",
        "ExternalDataReference", "EmailAddress", "Q_URL",
    }
)  # fmt: skip
SURVEYMONKEY_METADATA = frozenset(
    {
        "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
        "Email Address", "First Name", "Last Name", "Custom Data 1", "Collector", "language",
    }
)  # fmt: skip
GOOGLE_METADATA = frozenset({"Timestamp", "Email Address", "Email address", "Score"})
MS_FORMS_METADATA = frozenset(
    {"ID", "Id", "Start time", "Completion time", "Email", "Name", "Last modified time"}
)
_IMPORT_ID = re.compile(r"""^\{\s*["']ImportId["']\s*:""")
_QID = re.compile(r"^QID\d+(_|$)")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
#: The labels Qualtrics writes in row 2 under its metadata columns.
QUALTRICS_LABELS = {
    "StartDate": "Start Date", "EndDate": "End Date", "Status": "Response Type",
    "IPAddress": "IP Address", "RecordedDate": "Recorded Date", "ResponseId": "Response ID",
    "RecipientLastName": "Recipient Last Name", "RecipientFirstName": "Recipient First Name",
    "RecipientEmail": "Recipient Email", "ExternalReference": "External Data Reference",
    "LocationLatitude": "Location Latitude", "LocationLongitude": "Location Longitude",
    "DistributionChannel": "Distribution Channel", "UserLanguage": "User Language",
}  # fmt: skip
_SM_SUBROW = {"Response", "Open-Ended Response", "Other (please specify)"}
_UNNAMED = re.compile(r"^Unnamed: \d+$")

LAYOUTS = ("csv", "qualtrics", "qualtrics-legacy", "surveymonkey", "google-forms")


@dataclass
class Layout:
    kind: str
    header_rows: int
    names: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    metadata: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    #: SurveyMonkey: each column's (question, cell of the sub-item row), "" where there is
    #: none; what cxgap.io.expanded reads to rejoin option columns
    parts: list[tuple[str, str]] = field(default_factory=list)


def detect_layout(records: list[list[str]], forced: str | None = None) -> str:
    """The layout name for the first records of a CSV export."""
    if forced:
        return forced
    first = records[0] if records else []
    second = records[1] if len(records) > 1 else []
    third = records[2] if len(records) > 2 else []
    if has_import_ids(third):
        return "qualtrics"
    if first[:2] == ["V1", "V2"] and "ResponseID" in second:
        return "qualtrics-legacy"
    if second and (any(c.strip() in _SM_SUBROW for c in second) or "Respondent ID" in second):
        return "surveymonkey"
    if second and _surveymonkey_blank_metadata(first, second):
        return "surveymonkey"
    if second and _qualtrics_ids(first) and label_row_problem(first, second) is None:
        return "qualtrics"
    if first and first[0].strip() == "Timestamp":
        return "google-forms"
    return "csv"


def has_import_ids(row: list[str]) -> bool:
    """Whether a row is Qualtrics' third header row of ImportId objects."""
    return bool(row) and sum(bool(_IMPORT_ID.match(c.strip())) for c in row) >= max(
        1, len(row) // 2
    )


def _qualtrics_ids(first: list[str]) -> bool:
    """Row 1 names columns the Qualtrics way: internal ids (QID12_3) or its metadata."""
    names = [c.strip() for c in first]
    qids = sum(bool(_QID.match(n)) for n in names)
    meta = sum(n in QUALTRICS_METADATA for n in names)
    return qids >= max(2, len(names) // 3) or (meta >= 3 and "ResponseId" in names)


def _surveymonkey_blank_metadata(first: list[str], second: list[str]) -> bool:
    """SurveyMonkey's usual header: metadata columns in row 1 with nothing under them in
    row 2, and the question's sub-items (or "Response") under the questions."""
    meta = [k for k, c in enumerate(first) if c.strip() in SURVEYMONKEY_METADATA]
    if "Respondent ID" not in (c.strip() for c in first) or len(meta) < 2:
        return False
    below = [second[k].strip() if k < len(second) else "" for k in meta]
    rest = [c.strip() for k, c in enumerate(second) if k not in meta]
    return not any(below) and any(rest)


def label_row_problem(first: list[str], second: list[str]) -> str | None:
    """Why row 2 does not look like Qualtrics' row of question text (None: it does).

    Under the metadata columns it holds their labels ("Start Date"), never a date or
    an id; under the questions, text rather than bare numbers.
    """
    confirmed = 0
    for name, label in zip(first, second, strict=False):
        expected = QUALTRICS_LABELS.get(name.strip())
        if expected is not None and label.strip() not in (expected, name.strip()):
            return f"column {name.strip()!r} holds {label.strip()!r}, not its label {expected!r}"
        confirmed += expected is not None
    cells = [
        (n.strip(), c.strip())
        for n, c in zip(first, second, strict=False)
        if n.strip() not in QUALTRICS_METADATA
    ]
    answers = [(n, c) for n, c in cells if c and normalise_label(c) in _known_answers()]
    if answers:
        shown = ", ".join(f"{n}={c!r}" for n, c in answers[:3])
        return f"it holds answers ({shown})"
    numbers = [(n, c) for n, c in cells if _NUMBER.match(c)]
    if cells and len(numbers) * 2 >= len(cells):
        shown = ", ".join(f"{n}={c!r}" for n, c in numbers[:3])
        return f"it holds numbers ({shown}), as answers do"
    texts = [c for _, c in cells if c]
    if cells and not texts:
        return "it is empty under the questions"
    if confirmed < 2 and len(set(texts)) < 0.8 * len(texts):
        return "the same texts repeat across columns, as answers do"
    return None


@functools.cache
def _known_answers() -> frozenset[str]:
    """Answer labels of the built-in scales and the non-answers: never question text."""
    labels = {normalise_label(lab) for s in VOCABULARIES for lab in s.labels or ()}
    return frozenset(labels | DEFAULT_NON_ANSWERS)


def build_layout(kind: str, records: list[list[str]]) -> Layout:
    first = records[0] if records else []
    second = records[1] if len(records) > 1 else []
    third = records[2] if len(records) > 2 else []
    if kind == "qualtrics":
        # keyed by the names the columns get (a repeated name's copies are "name (2)"...)
        labels = dict(zip(unique_names(first)[0], second, strict=False))
        rows = 3 if has_import_ids(third) else 2  # ids and question text only
        return Layout(kind, rows, first, labels, set(first) & QUALTRICS_METADATA)
    if kind == "qualtrics-legacy":
        names = [
            s if f.startswith("V") and f[1:].isdigit() else f
            for f, s in zip(first, second, strict=False)
        ]
        unique = unique_names(names)[0]
        labels = {u: s for u, n, f, s in zip(unique, names, first, second, strict=False) if n == f}
        return Layout(kind, 2, names, labels, set(names) & QUALTRICS_METADATA)
    if kind == "surveymonkey":
        skip = 0
        if "Respondent ID" not in first and "Respondent ID" in second and len(records) > 2:
            skip, first, second = 1, records[1], records[2]  # a publisher-added q1.. row
        names, labels, parts = _surveymonkey_names(first, second)
        meta = {n for n in names if n in SURVEYMONKEY_METADATA}
        return Layout(kind, 2 + skip, names, labels, meta, parts=parts)
    if kind == "google-forms":
        return Layout(kind, 1, first, {}, set(first) & (GOOGLE_METADATA | MS_FORMS_METADATA))
    meta = (
        set(first) & (GOOGLE_METADATA | MS_FORMS_METADATA)
        if first[:1] in (["ID"], ["Id"])
        else set()
    )
    return Layout(kind, 1, first, {}, meta)


def _surveymonkey_names(
    top: list[str], sub: list[str]
) -> tuple[list[str], dict[str, str], list[tuple[str, str]]]:
    """Column names from SurveyMonkey's two rows: the question (carried over the blank
    cells of its continuation columns) and the sub-item or "Response"."""
    names: list[str] = []
    labels: dict[str, str] = {}
    parts: list[tuple[str, str]] = []
    question = ""
    for k in range(max(len(top), len(sub))):
        head = top[k].strip() if k < len(top) else ""
        below = sub[k].strip() if k < len(sub) else ""
        if head and not _UNNAMED.match(head):
            question = head
        elif not question:
            question = below
        if not below or below in _SM_SUBROW:
            name = question or f"column_{k + 1}"
        elif head in SURVEYMONKEY_METADATA or below == head:
            name = head
        elif not head and question == below:
            name = below
        else:
            name = f"{question} - {below}" if question and question != below else below
        names.append(name)
        labels[name] = name
        plain = head in SURVEYMONKEY_METADATA or below in _SM_SUBROW or name in (question, below)
        parts.append(("", "") if plain else (question, below))
    return names, labels, parts


def unique_names(names: list[str]) -> tuple[list[str], list[str]]:
    """Blank names become column_N, repeated names get a suffix; notes say which."""
    seen: dict[str, int] = {}
    out: list[str] = []
    notes: list[str] = []
    for k, raw in enumerate(names, start=1):
        name = raw.strip() or f"column_{k}"
        if not raw.strip():
            notes.append(f"column {k} has no name; called {name}")
        if name in seen:
            seen[name] += 1
            new = f"{name} ({seen[name]})"
            notes.append(f"column {name!r} appears more than once; column {k} is called {new!r}")
            name = new
        else:
            seen[name] = 1
        out.append(name)
    return out, notes


def check_forced_qualtrics(path: str | Path, records: list[list[str]]) -> None:
    """--source qualtrics: the file must have Qualtrics' header rows, or the first
    responses would silently become header rows."""
    third = records[2] if len(records) > 2 else []
    if has_import_ids(third):
        return
    second = records[1] if len(records) > 1 else []
    problem = label_row_problem(records[0], second) if second else "the file has one row"
    if problem is not None:
        raise InputError(
            "--source qualtrics, but row 2 does not look like Qualtrics' question text "
            f"and row 3 holds no ImportId objects: {problem}; leave --source out to detect "
            "the layout, or use --source csv",
            file=path,
            row=2,
        )
