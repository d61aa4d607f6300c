"""The HTML report: built by :mod:`cxgap.report` (kept here for the import path)."""

from __future__ import annotations

from cxgap.report.page import build_report

__all__ = ["build_report"]
