"""The warnings: kinds that validate reports (and analyze as warnings), never raised."""

from __future__ import annotations

from cxgap.errors.base import CxgapError


class ReaderNote(CxgapError):
    code = "reader-note"
    title = "Reader note"
    description = "Something the reader had to do that you should know (encoding, renamed columns)."
    severity = "warning"


class NotAnItem(CxgapError):
    code = "not-an-item"
    title = "Not an item"
    description = "A column left out because its answers do not fit a scale (ids, dates, text)."
    severity = "warning"


class AllMissing(CxgapError):
    code = "all-missing"
    title = "No answers"
    description = "An item that nobody answered validly."
    template = "no valid answer in any row"
    severity = "warning"


class OnlyInOneFile(CxgapError):
    code = "only-in-one-file"
    title = "Item in one file only"
    description = "Items that only one group's file has; they are left out of comparisons."
    severity = "warning"


class StraightLiners(CxgapError):
    code = "straight-liners"
    title = "Straight-lining"
    description = "Respondents who gave the same answer to every item (careless responding)."
    severity = "warning"


class BlankWave(CxgapError):
    code = "blank-wave"
    title = "Blank wave"
    description = (
        "Rows whose wave cell is blank in a file with a wave column: a pooled analysis counts "
        "them, each wave leaves them out (a file blank in every row reads as one without waves)."
    )
    severity = "warning"
