"""The HTML report: one self-contained file (charts inlined as SVG) to e-mail."""

from __future__ import annotations

import html

from cxgap.charts import KINDS
from cxgap.charts.render import chart_bytes
from cxgap.config import Theme
from cxgap.model import AnalysisResult, TrendResult
from cxgap.render import text as t

CSS = """
body{font-family:'DejaVu Sans',Arial,sans-serif;color:#222;max-width:1200px;margin:2em auto;
padding:0 1em;line-height:1.45}
h1{font-size:1.8em;margin-bottom:.2em} .headline{font-size:1.35em;font-weight:bold;margin:.8em 0}
table{border-collapse:collapse;width:100%;font-size:.95em;margin:1em 0}
th,td{padding:.35em .6em;border-bottom:1px solid #ddd;text-align:right}
th:first-child,td:first-child{text-align:left} th{background:#f4f4f4}
.blind_spot{color:#D55E00;font-weight:bold} .hidden_strength{color:#009E73;font-weight:bold}
figure{margin:2em 0} figure svg{width:100%;height:auto} .muted{color:#666;font-size:.9em}
"""


def _svg(kind: str, source: AnalysisResult | TrendResult, theme: Theme) -> str:
    svg = chart_bytes(kind, source, theme, (13.333, 7.5), "svg").decode("utf-8")
    return svg[svg.index("<svg") :]  # drop the XML prolog and doctype: inline SVG


def build_report(result: AnalysisResult, trend: TrendResult | None, theme: Theme) -> str:
    s = result.settings
    esc = html.escape
    rows = []
    for i in result.items:
        rows.append(
            "<tr>"
            f"<td>{esc(i.label)}</td><td>{esc(t.group_cell(i.leaders))}</td>"
            f"<td>{esc(t.group_cell(i.customers))}</td><td>{esc(t.pp(i.gap))}</td>"
            f"<td>{esc(t.interval_pp(i.gap_ci))}</td><td>{esc(t.pvalue(i.p_adjusted))}</td>"
            f"<td class='{i.flag or ''}'>{esc(t.flag_text(i))}</td></tr>"
        )
    conf = f"{s.confidence:.0%}"
    figures = []
    for kind, (_, needs) in KINDS.items():
        if needs == "trend" and trend is None:
            continue
        if kind == "quadrant" and not any(i.importance is not None for i in result.items):
            continue
        source: AnalysisResult | TrendResult = trend if needs == "trend" and trend else result
        figures.append(f"<figure>{_svg(kind, source, theme)}</figure>")
    by_name = {i.item: i for i in result.items}
    blind = "".join(
        f"<li>{esc(by_name[n].label)}: {esc(t.pp(by_name[n].gap))} pp</li>"
        for n in result.findings.blind_spots
    )
    hidden = "".join(
        f"<li>{esc(by_name[n].label)}: {esc(t.pp(by_name[n].gap))} pp</li>"
        for n in result.findings.hidden_strengths
    )
    warnings = "".join(f"<li>{esc(w)}</li>" for w in result.warnings)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Leader-customer perception gap</title><style>{CSS}</style></head>
<body>
<h1>What leaders believe, what customers report</h1>
<p class="headline">{esc(result.headline.text)}</p>
<h2>Findings</h2>
<p class="muted">Flagged when {esc(result.findings.rule)}.</p>
<h3>Blind spots (leaders rate higher than customers)</h3><ul>{blind or "<li>None</li>"}</ul>
<h3>Hidden strengths (customers rate higher than leaders)</h3><ul>{hidden or "<li>None</li>"}</ul>
{"".join(figures)}
<h2>All items</h2>
<table><thead><tr><th>Item</th><th>Leaders agree ({conf} CI)</th>
<th>Customers agree ({conf} CI)</th><th>Gap (pp)</th><th>Gap {conf} CI</th>
<th>p ({esc(s.adjust)})</th><th>Finding</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<p class="muted">Agree = {esc(s.agree)}. Intervals: Wilson (shares), Newcombe hybrid score
(gaps). Leaders: {esc(result.leaders.path)} ({result.leaders.rows:,} rows); customers:
{esc(result.customers.path)} ({result.customers.rows:,} rows). {esc(theme.source)}.</p>
{f"<h2>Warnings</h2><ul>{warnings}</ul>" if warnings else ""}
</body></html>
"""
