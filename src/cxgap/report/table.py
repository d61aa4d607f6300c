"""The report's item table: one body per view (overall, each wave, each segment), the
visible one chosen with the view select; sortable by any column (each cell's raw value in
``data-v``) and filterable by flag and by words in the item's label."""

from __future__ import annotations

import html

from cxgap.model import AnalysisResult
from cxgap.report.svg import ci_text, gap_text, p_text, share_text
from cxgap.report.views import Row, View

esc = html.escape
FLAG_WORDS = {"blind_spot": "blind spot", "hidden_strength": "hidden strength"}


def bank_themes(result: AnalysisResult) -> dict[str, str]:
    """Item -> its theme's title in cxgap's item bank, for items named as in the bank
    (the names ``cxgap template`` writes); empty when fewer than two themes are found."""
    from cxgap.bank import load_bank

    bank = load_bank()
    ids = {i.id: i.theme for i in bank.items}
    found = {i.item: bank.themes[ids[i.item]].title for i in result.items if i.item in ids}
    return found if len(set(found.values())) > 1 else {}


def item_table(result: AnalysisResult, all_views: list[View], pairs: list[str]) -> str:
    s = result.settings
    conf = f"{s.confidence:.0%}"
    themes = bank_themes(result)
    heads = ["Item", *(["Theme"] if themes else [])]
    heads += [f"{_cap(g.label)} agree ({conf} CI)" for g in result.groups]
    heads += [f"Gap {p} (pp)" for p in pairs]
    heads += [f"Gap {pairs[0]} {conf} CI", f"p ({s.adjust})", f"Finding ({pairs[0]})"]
    left = ' class="text"'
    head = "".join(
        f'<th scope="col" aria-sort="none" data-h="{esc(h)}"'
        f"{left if k < (2 if themes else 1) else ''}>"
        f'<button type="button" data-col="{k}">{esc(h)}'
        '<span class="arrow" aria-hidden="true"></span></button></th>'
        for k, h in enumerate(heads)
    )
    bodies = []
    for v, view in enumerate(all_views):
        rows = "".join(_row(result, row, pairs, n, themes) for n, row in enumerate(view.rows))
        hidden = "" if v == 0 else " hidden"
        bodies.append(f'<tbody class="variant" data-view="{view.key}"{hidden}>{rows}</tbody>')
    options = ['<option value="">Any</option>']
    for k, pair in enumerate(pairs):
        for flag, words in FLAG_WORDS.items():
            suffix = f" ({esc(pair)})" if len(pairs) > 1 else ""
            options.append(f'<option value="c{k}:{flag}">{_cap(words)}s{suffix}</option>')
    options.append('<option value="none">Not flagged</option>')
    theme_filter = ""
    if themes:
        titles = sorted(set(themes.values()))
        choices = "".join(f'<option value="{esc(t)}">{esc(t)}</option>' for t in titles)
        theme_filter = (
            f'<label>Theme <select id="theme-filter"><option value="">Any</option>{choices}'
            "</select></label>"
        )
    return f"""<h3 id="items">All items</h3>
<div class="controls" role="group" aria-label="Filter the items">
<label>Finding <select id="flag-filter">{"".join(options)}</select></label>{theme_filter}
<label>Item contains <input type="search" id="text-filter"></label>
<span id="shown" aria-live="polite"></span></div>
<div class="scroll"><table id="item-table"><caption class="muted">Agree = {
        esc(s.agree)
    }. Click or press Enter on
a column's header to sort by it. Flags are the whole analysis's in every view. \u2020: the
group's overall figure stands in (its file has no such column). A gap in colour is flagged
(blind spot or hidden strength of that comparison).{
        " Themes: cxgap's item bank, for items named as in the bank." if themes else ""
    }</caption>
<thead><tr>{head}</tr></thead>{"".join(bodies)}</table></div>"""


def _row(result: AnalysisResult, row: Row, pairs: list[str], n: int, themes: dict[str, str]) -> str:
    flags = " ".join(f"c{k}:{f}" for k, f in enumerate(row.flags) if f)
    cells = [f'<th scope="row" data-v="{esc(row.label)}">{esc(row.label)}</th>']
    theme = themes.get(row.item, "")
    if themes:
        cells.append(f'<td data-v="{esc(theme)}" class="theme">{esc(theme)}</td>')
    for g in result.groups:
        cell = row.cells.get(g.name)
        if cell is None or cell.share is None:
            why = "n/a" if cell is None else (cell.note or "n/a")
            cells.append(f'<td data-v="">{esc(why)}</td>')
            continue
        extra = f" n_eff={cell.n_eff:,.0f}" if cell.n_eff is not None else ""
        mark = "\u2020" if cell.note else ""
        cells.append(
            f'<td data-v="{cell.share!r}">{share_text(cell.share)}{mark} '
            f'<span class="ci">({esc(ci_text(cell.ci))}) n={cell.n:,}{extra}</span></td>'
        )
    for k in range(len(pairs)):
        gap = row.gaps[k] if k < len(row.gaps) else None
        value = gap.gap if gap is not None else None
        flag = row.flags[k] if k < len(row.flags) else None
        style = f' class="{flag}" title="{FLAG_WORDS[flag]}"' if flag else ""
        cells.append(
            f'<td data-v="{"" if value is None else repr(value)}"{style}>{gap_text(value)}</td>'
        )
    main = row.gaps[0] if row.gaps else None
    width = "" if main is None or None in main.ci else repr(main.ci[1] - main.ci[0])  # type: ignore[operator]
    cells.append(f'<td data-v="{width}">{esc(ci_text(main.ci, True)) if main else "n/a"}</td>')
    p = None if main is None else (main.p_adjusted if main.p_adjusted is not None else main.p)
    cells.append(f'<td data-v="{"" if p is None else repr(p)}">{p_text(p)}</td>')
    first = row.flags[0] if row.flags else None
    words = FLAG_WORDS.get(first or "", "")
    cells.append(f'<td data-v="{esc(words)}" class="{first or ""}">{esc(words)}</td>')
    return f'<tr data-flags="{flags}" data-theme="{esc(theme)}" data-n="{n}">{"".join(cells)}</tr>'


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
