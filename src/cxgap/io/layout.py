"""Header layouts of survey platforms' CSV exports, detected from the first records.

========================  ===========  ==================================================
layout                    header rows  how to recognise it
========================  ===========  ==================================================
qualtrics                 3            row 3 holds ImportId objects (JSON or dict style)
qualtrics-legacy          2            row 1 starts V1, V2, ...; row 2 names ResponseID
surveymonkey              2 (3)        row 2 holds "Response" / sub-item labels; a
                                       publisher-added "q1" row first makes it 3
google-forms              1            first column "Timestamp"
csv                       1            anything else: the plain wide layout
========================  ===========  ==================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


def detect_layout(records: list[list[str]], forced: str | None = None) -> str:
    """The layout name for the first records of a CSV export."""
    if forced:
        return forced
    first = records[0] if records else []
    second = records[1] if len(records) > 1 else []
    third = records[2] if len(records) > 2 else []
    if third and sum(bool(_IMPORT_ID.match(c.strip())) for c in third) >= max(1, len(third) // 2):
        return "qualtrics"
    if first[:2] == ["V1", "V2"] and "ResponseID" in second:
        return "qualtrics-legacy"
    if second and (any(c.strip() in _SM_SUBROW for c in second) or "Respondent ID" in second):
        return "surveymonkey"
    if first and first[0].strip() == "Timestamp":
        return "google-forms"
    return "csv"


def build_layout(kind: str, records: list[list[str]]) -> Layout:
    first = records[0] if records else []
    second = records[1] if len(records) > 1 else []
    if kind == "qualtrics":
        labels = dict(zip(first, second, strict=False))
        return Layout(kind, 3, first, labels, set(first) & QUALTRICS_METADATA)
    if kind == "qualtrics-legacy":
        names = [
            s if f.startswith("V") and f[1:].isdigit() else f
            for f, s in zip(first, second, strict=False)
        ]
        labels = {n: s for n, f, s in zip(names, first, second, strict=False) if n == f}
        return Layout(kind, 2, names, labels, set(names) & QUALTRICS_METADATA)
    if kind == "surveymonkey":
        skip = 0
        if "Respondent ID" not in first and "Respondent ID" in second and len(records) > 2:
            skip, first, second = 1, records[1], records[2]  # a publisher-added q1.. row
        names, labels = _surveymonkey_names(first, second)
        meta = {n for n in names if n in SURVEYMONKEY_METADATA}
        return Layout(kind, 2 + skip, names, labels, meta)
    if kind == "google-forms":
        return Layout(kind, 1, first, {}, set(first) & (GOOGLE_METADATA | MS_FORMS_METADATA))
    meta = (
        set(first) & (GOOGLE_METADATA | MS_FORMS_METADATA)
        if first[:1] in (["ID"], ["Id"])
        else set()
    )
    return Layout(kind, 1, first, {}, meta)


def _surveymonkey_names(top: list[str], sub: list[str]) -> tuple[list[str], dict[str, str]]:
    """Column names from SurveyMonkey's two rows: the question (carried over the blank
    cells of its continuation columns) and the sub-item or "Response"."""
    names: list[str] = []
    labels: dict[str, str] = {}
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
    return names, labels


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
