"""The interactive HTML report (``cxgap report``): one self-contained file that works
offline.

Why a small vanilla script over inline SVG drawn here, not a charting library: the
charts are dot-and-interval plots that a few hundred lines of Python draw as plain SVG,
so the page reads (and prints) fully where scripts are blocked, as in many mail clients;
each mark carries its own text alternative; the script (assets/report.js, a few hundred
lines, no dependencies) only adds tooltips, views, sorting and filters. An embedded
library (Vega-Lite and its Vega runtime: several hundred kilobytes of minified script)
would tie the report to another project's release cycle and need its own review for
escaping; this keeps the report well under 2 MB and the upkeep to code the project owns.
The numbers the script shows are one JSON data island, escaped so that no label can end
the script element.
"""

from cxgap.report.page import build_report

__all__ = ["build_report"]
