"""The deck: a 16:9 PowerPoint file a consultant can present and edit.

A title slide, the headline, then one slide per chart, then the items table. Titles,
subtitles and footnotes are text boxes (editable, searchable). Every chart PowerPoint can
draw is a native chart with its data in an embedded workbook (see
:mod:`cxgap.charts.native`); the others, or all with ``pictures``, are PNG pictures drawn
without their own header. Each slide's speaker notes carry the numbers behind its chart.
The file is byte-identical for the same input: core properties, the embedded workbooks'
properties and zip entry times are fixed.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from pptx import Presentation
from pptx.util import Inches

from cxgap.charts import KINDS, kinds_of
from cxgap.charts.base import chart_texts, cut_to_lines, footnote, save, without_header
from cxgap.charts.native import PICTURES
from cxgap.charts.native.common import FIXED_TIME, Box, clean, rgb, text_box
from cxgap.charts.render import draw_chart
from cxgap.config import Theme
from cxgap.model import AnalysisResult, TrendResult
from cxgap.render.priorities import QUADRANT_WORDS
from cxgap.render.text import groups_text, interval_pp, pp, pvalue, story_title

SLIDE_W, SLIDE_H = 13.333, 7.5
#: Where a chart goes: under the header, above the footnote.
CHART_BOX = Box(0.45, 1.85, SLIDE_W - 0.9, SLIDE_H - 2.6)


_rgb = rgb
_text = text_box


def _header(slide: Any, theme: Theme, title: str, subtitle: str) -> str:
    """The slide's bar, title and subtitle; the subtitle as shown (cut to its box's two
    lines: python-pptx never autofits, and a third line would run under the chart)."""
    bar = slide.shapes.add_shape(1, 0, 0, Inches(SLIDE_W), Inches(0.12))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(theme.brand_color)
    bar.line.fill.background()
    # Sized by hand: two lines of 26 pt fit this box (chart titles are made that short).
    _text(slide, 0.45, 0.25, SLIDE_W - 0.9, 1.0, title, 26, bold=True, color=theme.text_color)
    # Two lines of 15 pt, or of 13 pt for a long one, counted in the widest font a
    # viewer may show it in (DejaVu Sans; Calibri is narrower).
    size, shown = 15, cut_to_lines(subtitle, SLIDE_W - 0.9, 15, 2, em=0.56)
    if shown != subtitle:
        size, shown = 13, cut_to_lines(subtitle, SLIDE_W - 0.9, 13, 2, em=0.56)
    _text(slide, 0.45, 1.2, SLIDE_W - 0.9, 0.6, shown, size, color="#444444")
    return shown


def _notes(kind: str, result: AnalysisResult | TrendResult) -> str:
    if isinstance(result, TrendResult):
        rows = [f"{p.wave}: {groups_text(p.groups)}, gap {pp(p.gap)} pp"
                for p in result.headline.points]  # fmt: skip
        rows += [f"Change {c.from_wave} to {c.to_wave}, {c.measure}: {pp(c.change, 1)} pp "
                 f"({interval_pp(c.ci)}), adjusted p {pvalue(c.p_adjusted)}"
                 for c in result.headline.changes]  # fmt: skip
        return "\n".join(rows)
    if kind == "headline":
        h = result.headline.primary
        return (
            f"{result.headline.text}. Ratio {h.ratio or 0:.2f}x; test {h.test}, "
            f"p {pvalue(h.p_value)}; Cohen's h {h.cohens_h or 0:.2f}."
        )
    lines = []
    found = result.priorities
    quadrants = {q.item: q.quadrant for q in found.johari[0].items} if found else {}
    for i in result.items:
        gaps = ", ".join(
            f"gap {c.a}-{c.b} {pp(c.gap)} pp ({interval_pp(c.gap_ci)}), adjusted p "
            f"{pvalue(c.p_adjusted)}" if len(i.comparisons) > 1 else
            f"gap {pp(c.gap)} pp ({interval_pp(c.gap_ci)}), adjusted p {pvalue(c.p_adjusted)}"
            for c in i.comparisons
        )  # fmt: skip
        line = f"{i.label}: {groups_text(i.groups)}, {gaps}"
        if kind == "quadrant" and i.importance is not None:
            line += f", importance r = {i.importance:.2f}"
        if kind == "johari" and (where := quadrants.get(i.item)):
            line += f", {QUADRANT_WORDS[where]}"
        lines.append(line)
    return "\n".join(lines)


def build_deck(
    result: AnalysisResult,
    trend: TrendResult | None = None,
    theme: Theme | None = None,
    *,
    pictures: bool = False,
) -> bytes:
    """The .pptx bytes: a title slide, a slide per chart (the trend's with ``trend``) and
    the items table, styled by ``theme`` (default ``Theme()``). Charts are native where
    PowerPoint can draw them, pictures where not (all of them with ``pictures``)."""
    from cxgap.charts.native import NATIVE, native_words, picture_note
    from cxgap.charts.native.tables import item_pages, items_subtitle, items_table

    theme = theme or Theme()
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    blank = prs.slide_layouts[6]

    title_slide = prs.slides.add_slide(blank)
    _text(title_slide, 0.8, 2.3, SLIDE_W - 1.6, 1.2, story_title(result),
          36, bold=True, color=theme.text_color)  # fmt: skip
    waves = sorted({w for g in result.groups for w in g.waves})
    by = f"{theme.organisation}. " if theme.organisation else ""
    ns = ", ".join(f"{result.headline.groups[g.name].n:,} {g.label}" for g in result.groups)
    surveys = "Leader and customer surveys" if len(result.groups) == 2 else "Surveys"
    _text(title_slide, 0.8, 3.6, SLIDE_W - 1.6, 1.0,
          f"{by}{surveys}{': ' + ', '.join(waves) if waves else ''}. {ns}.",
          18, color="#444444")  # fmt: skip
    _notes_text(title_slide, result.headline.text)

    for kind in kinds_of(result, trend is not None):
        source: AnalysisResult | TrendResult = (
            trend if KINDS[kind][1] == "trend" and trend is not None else result
        )
        native = not pictures and kind in NATIVE
        with without_header():
            fig = draw_chart(kind, source, theme, (CHART_BOX.width, CHART_BOX.height))
        texts = chart_texts(fig)
        subtitle, foot = texts.subtitle, texts.footnote
        if native:
            subtitle, foot = native_words(kind, subtitle), native_words(kind, foot)
        slide = prs.slides.add_slide(blank)
        shown = _header(slide, theme, texts.title, subtitle)
        if native:
            how = NATIVE[kind](slide, source, theme, CHART_BOX)
        else:
            png = save(fig, "chart.png", "png")
            left, top = Inches(CHART_BOX.left), Inches(CHART_BOX.top)
            slide.shapes.add_picture(io.BytesIO(png), left, top, width=Inches(CHART_BOX.width))
            how = picture_note(kind) if not pictures and kind in PICTURES else ""
        _text(slide, 0.45, SLIDE_H - 0.7, SLIDE_W - 0.9, 0.6, foot, 12, color="#555555")
        notes = _notes(kind, source)
        if how:
            notes = f"{how}\n\n{notes}"
        if shown != subtitle:  # the whole subtitle where the slide has no room
            notes = f"{subtitle}\n\n{notes}"
        _notes_text(slide, notes)

    pages = item_pages(result)
    for k, page in enumerate(pages, start=1):
        slide = prs.slides.add_slide(blank)
        of = f" ({k} of {len(pages)})" if len(pages) > 1 else ""
        shown = _header(slide, theme, f"Every item: shares, gaps and flags{of}",
                        items_subtitle(result))  # fmt: skip
        items_table(slide, result, theme, CHART_BOX, page)
        _text(slide, 0.45, SLIDE_H - 0.7, SLIDE_W - 0.9, 0.6,
              footnote(result, theme, whiskers=False), 12, color="#555555")  # fmt: skip
        _notes_text(slide, "A native table: the items in the order of the items table.")

    props = prs.core_properties
    props.author = clean(theme.organisation or "cxgap")
    props.last_modified_by = "cxgap"
    props.title = "Leader-customer perception gap"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    buffer = io.BytesIO()
    prs.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _notes_text(slide: Any, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = clean(text, 0)


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry times so the same deck is the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


__all__ = ["build_deck"]
