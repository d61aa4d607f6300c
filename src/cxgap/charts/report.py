"""The HTML report: one self-contained file (charts inlined as SVG) to e-mail."""

from __future__ import annotations

import html

from cxgap.charts import KINDS, kinds_of
from cxgap.charts.render import chart_bytes
from cxgap.config import Theme
from cxgap.model import AnalysisResult, TrendResult
from cxgap.render import sections
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


def build_report(
    result: AnalysisResult, trend: TrendResult | None = None, theme: Theme | None = None
) -> str:
    """One self-contained HTML page: headline, findings, every chart as inline SVG, the
    item table (the trend chart with ``trend``; styled by ``theme``, default ``Theme()``)."""
    theme = theme or Theme()
    s = result.settings
    esc = html.escape
    rows = []
    for i in result.items:
        main = i.primary
        groups = "".join(f"<td>{esc(t.group_cell(g))}</td>" for g in i.groups.values())
        others = "".join(f"<td>{esc(t.pp(c.gap))}</td>" for c in i.comparisons[1:])
        rows.append(
            f"<tr><td>{esc(i.label)}</td>{groups}<td>{esc(t.pp(main.gap))}</td>{others}"
            f"<td>{esc(t.interval_pp(main.gap_ci))}</td><td>{esc(t.pvalue(main.p_adjusted))}</td>"
            f"<td class='{main.flag or ''}'>{esc(t.flag_text(main))}</td></tr>"
        )
    conf = f"{s.confidence:.0%}"
    figures = []
    for kind in kinds_of(result, trend is not None):
        needs = KINDS[kind][1]
        source: AnalysisResult | TrendResult = trend if needs == "trend" and trend else result
        figures.append(f"<figure>{_svg(kind, source, theme)}</figure>")
    heads = "".join(f"<th>{esc(_cap(g.label))} agree ({conf} CI)</th>" for g in result.groups)
    heads += "<th>Gap (pp)</th>" + "".join(
        f"<th>Gap {esc(result.group(c.a).label)} - {esc(result.group(c.b).label)}</th>"
        for c in result.comparisons[1:]
    )
    inputs = "; ".join(
        f"{esc(_cap(g.label))}: {esc(g.path)} ({g.rows:,} rows)" for g in result.groups
    )
    warnings = "".join(f"<li>{esc(w)}</li>" for w in result.warnings)
    summary = "".join(f"<p>{esc(line)}</p>" for line in result.findings.summary)
    source_line = theme.source_for([g.label for g in result.groups])
    weighted = t.weights_note(result)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(_title(result))}</title><style>{CSS}</style></head>
<body>
<h1>{esc(t.story_title(result))}</h1>
<p class="headline">{esc(result.headline.text)}</p>
<h2>Findings</h2>
<p class="muted">Flagged when {esc(result.findings.rule)}{esc(t.family(result))}.</p>
{summary}{_findings(result)}
{"".join(figures)}
<h2>All items</h2>
<table><thead><tr><th>Item</th>{heads}<th>Gap {conf} CI</th>
<th>p ({esc(s.adjust)})</th><th>Finding</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<p class="muted">Agree = {esc(s.agree)}. Gap = {esc(t.gap_words(result))}. Intervals: Wilson
(shares), Newcombe hybrid score (gaps). {inputs}. {esc(source_line)}.</p>
{f'<p class="muted">{esc(weighted)}</p>' if weighted else ""}
{_sections(result)}
{f"<h2>Warnings</h2><ul>{warnings}</ul>" if warnings else ""}
</body></html>
"""


def _sections(result: AnalysisResult) -> str:
    """The NPS table and one table per segment column (see cxgap.render.sections)."""
    esc = html.escape
    out = []
    for title, header, rows, note in sections.blocks(result):
        head = "".join(f"<th>{esc(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                       for row in rows)  # fmt: skip
        out.append(f"<h2>{esc(title)}</h2><table><thead><tr>{head}</tr></thead>"
                   f"<tbody>{body}</tbody></table><p class='muted'>{esc(note)}</p>")  # fmt: skip
    return "\n".join(out)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title(result: AnalysisResult) -> str:
    return "Leader-customer perception gap" if len(result.groups) == 2 else "Perception gaps"


def _findings(result: AnalysisResult) -> str:
    """Each comparison's blind spots and hidden strengths, as lists."""
    esc = html.escape
    by_name = {i.item: i for i in result.items}
    several = len(result.findings.comparisons) > 1
    out = []
    for k, found in enumerate(result.findings.comparisons):
        a, b = esc(result.group(found.a).label), esc(result.group(found.b).label)
        lists = []
        for names, words in ((found.blind_spots, f"Blind spots ({a} rate higher than {b})"),
                             (found.hidden_strengths,
                              f"Hidden strengths ({b} rate higher than {a})")):  # fmt: skip
            entries = "".join(
                f"<li>{esc(by_name[n].label)}: {esc(t.pp(by_name[n].comparisons[k].gap))} pp</li>"
                for n in names
            )
            tag = "h4" if several else "h3"
            lists.append(f"<{tag}>{words}</{tag}><ul>{entries or '<li>None</li>'}</ul>")
        head = f"<h3>{_cap(a)} vs {b}</h3>" if several else ""
        out.append(head + "\n".join(lists))
    return "\n".join(out)
