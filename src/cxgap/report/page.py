"""The report page: headline, findings, the explorer (interactive charts and the item
table), the slide charts, the sections, the methods; one self-contained HTML file.

The page's numbers for the script are one ``<script type="application/json">`` island
(:func:`data_island`); the script and the style are package data read with
:mod:`importlib.resources` and inlined, so the file needs no network.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any

from cxgap.charts import KINDS, kinds_of
from cxgap.charts.base import chart_texts, save
from cxgap.charts.render import draw_chart
from cxgap.config import Theme
from cxgap.model import AnalysisResult, TrendResult
from cxgap.render import sections
from cxgap.render import text as t
from cxgap.report import svg
from cxgap.report.methods import methods_html
from cxgap.report.more import nps_chart, trend_chart
from cxgap.report.table import item_table
from cxgap.report.views import View, left_out, views

esc = html.escape


def asset(name: str) -> str:
    return resources.files("cxgap.report").joinpath("assets", name).read_text(encoding="utf-8")


def data_island(data: dict[str, Any]) -> str:
    """``data`` as JSON inside a script element: ``<``, ``>`` and ``&`` escaped as
    ``\\u003c`` and so on, so no text from the data can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, code)
    return f'<script type="application/json" id="cxgap-data">{text}</script>'


def build_report(
    result: AnalysisResult, trend: TrendResult | None = None, theme: Theme | None = None
) -> str:
    """One self-contained HTML page: headline, findings, the explorer (each mark's numbers
    on hover or focus, views per wave and segment, a sortable, filterable item table),
    every slide chart as inline SVG, the sections and the methods (the trend with
    ``trend``; styled by ``theme``, default ``Theme()``)."""
    theme = theme or Theme()
    all_views = views(result, trend)
    marks = svg.Marks()
    groups = [(g.name, g.label) for g in result.groups]
    palette = theme.palette(result.group_names)
    colours = {**palette, "blind_spot": theme.blind_spot_color,
               "hidden_strength": theme.hidden_strength_color, "muted": "#555555"}  # fmt: skip
    explorer = _explorer(result, all_views, groups, colours, marks)
    waves = _trend(result, trend, groups, colours, marks)
    nps = (
        f'<figure class="box"><figcaption>Net Promoter Score per group (hover or focus a dot '
        f"for the numbers)</figcaption>{nps_chart(result, groups, colours, marks)}</figure>"
        if result.nps
        else ""
    )
    island = data_island({
        "marks": marks.data,
        "views": [{"key": v.key, "label": v.label, "note": v.note} for v in all_views],
        "groups": [{"name": n, "label": lbl, "colour": palette[n]} for n, lbl in groups],
        "comparisons": [{"a": c.a, "b": c.b} for c in result.comparisons],
    })  # fmt: skip
    warnings = "".join(f"<li>{esc(w)}</li>" for w in result.warnings)
    summary = "".join(f"<p>{esc(line)}</p>" for line in result.findings.summary)
    inputs = "; ".join(f"{esc(_cap(g.label))}: {esc(g.path)} ({g.rows:,} rows)"
                       for g in result.groups)  # fmt: skip
    weighted = t.weights_note(result)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(_title(result))}</title><style>{asset("report.css")}
.blind_spot{{color:{theme.blind_spot_color}}}.hidden_strength{{color:{theme.hidden_strength_color}}}
</style></head>
<body>
<header><h1>{esc(t.story_title(result))}</h1>
<p class="headline">{esc(result.headline.text)}</p></header>
<nav class="controls" aria-label="Sections"><a href="#findings">Findings</a>
<a href="#explore">Explore</a>{'<a href="#waves">Waves</a>' if waves else ""}
<a href="#charts">Slide charts</a><a href="#methods">Methods</a></nav>
<section id="findings"><h2>Findings</h2>
<p class="muted">Flagged when {esc(result.findings.rule)}{esc(t.family(result))}.</p>
{summary}{_findings(result)}</section>
{explorer}
{waves}
{nps}
<section id="charts"><h2>Slide charts</h2>
<p class="muted">The charts of the deck, as pictures; the numbers behind them are in the
charts and table above. {inputs}. {esc(theme.source_for([g.label for g in result.groups]))}.</p>
{_static(result, trend, theme)}</section>
{f'<p class="muted">{esc(weighted)}</p>' if weighted else ""}
{_sections(result)}
{methods_html(result, trend)}
{f"<section><h2>Warnings</h2><ul>{warnings}</ul></section>" if warnings else ""}
<div id="tip" role="tooltip" hidden></div>
{island}
<script>{asset("report.js")}</script>
</body></html>
"""


def _explorer(
    result: AnalysisResult, all_views: list[View], groups: list[tuple[str, str]],
    colours: dict[str, str], marks: svg.Marks,
) -> str:  # fmt: skip
    """The view select, the group toggles, the share and gap charts per view (and
    comparison), and the item table per view."""
    view_options = "".join(f'<option value="{v.key}">{esc(v.label)}</option>' for v in all_views)
    pairs = [f"{result.group(c.a).label} - {result.group(c.b).label}" for c in result.comparisons]
    cmp_select = (
        '<label>Comparison <select id="cmp">'
        + "".join(f'<option value="{k}">{esc(p)}</option>' for k, p in enumerate(pairs))
        + "</select></label>"
        if len(pairs) > 1
        else ""
    )
    toggles = "".join(
        f'<label class="toggle"><input type="checkbox" checked data-toggle-g="{gi}">'
        f'<span class="swatch" style="background:{colours[name]}"></span>{esc(_cap(label))}'
        "</label>"
        for gi, (name, label) in enumerate(groups)
    )
    headline = result.headline.item
    shares, gaps, notes = [], [], []
    for v, view in enumerate(all_views):
        hidden = "" if v == 0 else " hidden"
        notes.append(
            f'<p class="muted variant" data-view="{view.key}"{hidden}>{esc(view.note)}</p>'
        )
        chart = svg.share_chart(view, groups, colours, marks, headline)
        shares.append(f'<div class="variant" data-view="{view.key}"{hidden}>{chart}</div>')
        for k, pair in enumerate(pairs):
            domain = svg.gap_domain(all_views, k)
            chart = svg.gap_chart(view, k, pair, domain, colours, marks, result.settings.adjust)
            off = "" if v == 0 and k == 0 else " hidden"
            gaps.append(
                f'<div class="variant" data-view="{view.key}" data-cmp="{k}"{off}>{chart}</div>'
            )
    view_select = (
        f'<label>View <select id="view">{view_options}</select></label>'
        if len(all_views) > 1
        else ""
    )
    omitted = "".join(
        f'<p class="muted">{esc(column)}: {n} more segments than the views hold; every '
        "segment is in its table below.</p>"
        for column, n in left_out(result).items()
    )
    conf = f"{result.settings.confidence:.0%}"
    return f"""<section id="explore"><h2>Explore the items</h2>
<p class="muted">Hover over or tab to any dot for its numbers; lines are {conf} intervals.
A hollow dot is a stand-in (the group's overall figure) or a note applies.</p>
<div class="controls" role="group" aria-label="Chart and table view">{view_select}{cmp_select}
<span class="toggles" role="group" aria-label="Groups shown">{toggles}</span></div>
{omitted}{"".join(notes)}
<figure class="box"><figcaption>Agree share per group</figcaption>{"".join(shares)}</figure>
<figure class="box"><figcaption>Gap per item (blind spots
<span style="color:{colours["blind_spot"]}">&#9679;</span>, hidden strengths
<span style="color:{colours["hidden_strength"]}">&#9679;</span>)</figcaption>
{"".join(gaps)}</figure>
{item_table(result, all_views, pairs)}
</section>"""


def _trend(
    result: AnalysisResult, trend: TrendResult | None, groups: list[tuple[str, str]],
    colours: dict[str, str], marks: svg.Marks,
) -> str:  # fmt: skip
    if trend is None or len(trend.waves) < 2:
        return ""
    names = set(result.group_names)
    shown = [(n, lbl) for n, lbl in groups if n in trend.groups and n in names]
    pair = f"{trend.groups[trend.comparison.a]} - {trend.groups[trend.comparison.b]}"
    options, charts = [], []
    for k, item in enumerate([trend.headline, *[i for i in trend.items
                                                 if i.item != trend.headline.item]]):  # fmt: skip
        options.append(f'<option value="{k}">{esc(item.label)}</option>')
        hidden = "" if k == 0 else " hidden"
        chart = trend_chart(item, trend.waves, shown, colours, marks, pair)
        charts.append(f'<div class="variant" data-trend="{k}"{hidden}>{chart}</div>')
    return f"""<section id="waves"><h2>Wave by wave</h2>
<div class="controls"><label>Item <select id="trend-item">{"".join(options)}</select></label></div>
<figure class="box"><figcaption>Agree share per group and wave</figcaption>
{"".join(charts)}</figure>
</section>"""


def _static(result: AnalysisResult, trend: TrendResult | None, theme: Theme) -> str:
    out = []
    for kind in kinds_of(result, trend is not None):
        source: AnalysisResult | TrendResult = (
            trend if KINDS[kind][1] == "trend" and trend else result
        )
        fig = draw_chart(kind, source, theme, (13.333, 7.5))
        texts = chart_texts(fig)
        picture = save(fig, "chart.svg", "svg").decode("utf-8")
        words = f"{texts.title}. {texts.subtitle}".strip()
        out.append(
            f'<figure class="static" role="img" aria-label="{esc(words)}">'
            f"{picture[picture.index('<svg') :]}</figure>"
        )
    return "\n".join(out)


def _sections(result: AnalysisResult) -> str:
    """The NPS table and one table per segment column (see cxgap.render.sections)."""
    out = []
    for title, header, rows, note in sections.blocks(result):
        head = "".join(f"<th>{esc(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                       for row in rows)  # fmt: skip
        out.append(f"<section><h2>{esc(title)}</h2><table class='plain'><thead><tr>{head}</tr>"
                   f"</thead><tbody>{body}</tbody></table><p class='muted'>{esc(note)}</p>"
                   "</section>")  # fmt: skip
    return "\n".join(out)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title(result: AnalysisResult) -> str:
    return "Leader-customer perception gap" if len(result.groups) == 2 else "Perception gaps"


def _findings(result: AnalysisResult) -> str:
    """Each comparison's blind spots and hidden strengths, as lists."""
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
