"""Questionnaires from the item bank: each group's survey as Markdown and printable HTML, a
Qualtrics Advanced Format TXT import file, a question list for Google Forms and Microsoft
Forms, and the ``cxgap.toml`` that reads the exports those platforms will give.

Every file is text made here from the bank (no template engine); text that comes from
the user (the company name) or from a bank file is escaped for each format: HTML
entities, Markdown's special characters, TOML strings, and Qualtrics' ``[[`` tags.
Qualtrics takes each item's id as its question export tag (``[[ID:...]]``), so its
exports' columns are the item names; Google Forms and Microsoft Forms head each column
with the question's text, which the written config maps back to the item (an item name
still matches where the text does not, so one config reads both kinds of export).
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from cxgap.bank import Audience, Bank, BankItem, Kind
from cxgap.scales import parse_scale

#: The non-answer every labelled question offers (cxgap counts it as missing).
DONT_KNOW = "Don't know"
#: The groups a template can be written for, in their usual order.
GROUPS: tuple[Audience, ...] = ("leaders", "frontline", "customers")


@dataclass(frozen=True)
class Question:
    """One item as one group's questionnaire asks it."""

    item: BankItem
    text: str
    choices: list[str]


def questions(
    bank: Bank, items: Sequence[BankItem], group: Audience, kind: Kind, company: str
) -> list[Question]:
    """The group's questions in bank order: wording and answer choices."""
    out = []
    for item in items:
        scale = parse_scale(item.scale)
        choices = list(scale.labels) if scale.labels else [str(c) for c in scale.codes]
        if scale.labels:  # a non-answer, never counted as disagreement
            choices.append(DONT_KNOW)
        out.append(Question(item, item.wording(group, kind, company), choices))
    return out


def _title(company: str, group: Audience) -> str:
    name = company or "Our organisation"
    if group == "customers":
        return f"{name}: your experience as a customer"
    return f"{name}: how we serve our customers"


def _intro(company: str, group: Audience, kind: Kind) -> str:
    name = company or "the organisation"
    if group == "customers":
        return (f"How has your experience with {name} been? Please say how much you agree "
                "with each statement.")  # fmt: skip
    if group == "leaders" and kind == "prediction":
        return (f"How would the customers of {name} answer? For each statement, please say "
                "how much you think customers would agree.")  # fmt: skip
    return (f"How well does {name} serve its customers, as you see it? Please say how much "
            "you agree with each statement.")  # fmt: skip


def markdown(bank: Bank, qs: Sequence[Question], company: str, group: Audience, kind: Kind) -> str:
    lines = [f"# {_md(_title(company, group))}", "", _md(_intro(company, group, kind)), ""]
    theme = None
    for n, q in enumerate(qs, 1):
        if q.item.theme != theme:
            theme = q.item.theme
            lines += [f"## {_md(bank.themes[theme].title)}", ""]
        lines += [f"{n}. {_md(q.text)}", ""]
        lines += [f"   - [ ] {_md(c)}" for c in q.choices] + [""]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text as Markdown text: no HTML, emphasis, links or list markers from it (an
    ampersand stays as written)."""
    out = text.replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]#|":
        out = out.replace(ch, "\\" + ch)
    return out


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; color: #222;
       line-height: 1.4; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem;
     border-bottom: 1px solid #ccc; }
ol { padding-left: 1.4rem; } li.q { margin: 0.9rem 0; break-inside: avoid; }
.choices { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; margin-top: 0.35rem;
           font-size: 0.9rem; }
.choices span::before { content: ""; display: inline-block; width: 0.8rem; height: 0.8rem;
                        border: 1px solid #555; border-radius: 50%; margin-right: 0.3rem;
                        vertical-align: -0.1rem; }
@page { size: auto; margin: 18mm; }
@media print { body { margin: 0; max-width: none; } }
"""


def html_page(bank: Bank, qs: Sequence[Question], company: str, group: Audience,
              kind: Kind) -> str:  # fmt: skip
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(_title(company, group))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(_title(company, group))}</h1>",
        f"<p>{esc(_intro(company, group, kind))}</p>",
    ]
    theme = None
    for n, q in enumerate(qs, 1):
        if q.item.theme != theme:
            if theme is not None:
                parts.append("</ol>")
            theme = q.item.theme
            parts.append(f'<h2>{esc(bank.themes[theme].title)}</h2><ol start="{n}">')
        choices = "".join(f"<span>{esc(c)}</span>" for c in q.choices)
        parts.append(f'<li class="q">{esc(q.text)}<div class="choices">{choices}</div></li>')
    parts += ["</ol>" if qs else "", "</body></html>", ""]
    return "\n".join(parts)


def _tagless(text: str) -> str:
    """Text that cannot open or close a Qualtrics tag."""
    return " ".join(text.replace("[[", "[ [").replace("]]", "] ]").split())


def qualtrics_txt(bank: Bank, qs: Sequence[Question]) -> str:
    """The Advanced Format TXT: a block per theme, a single-answer question per item with
    its id as the export tag, and its choices in scale order."""
    lines = ["[[AdvancedFormat]]", ""]
    theme = None
    for q in qs:
        if q.item.theme != theme:
            theme = q.item.theme
            lines += [f"[[Block:{_tagless(bank.themes[theme].title)}]]", ""]
        lines += [
            "[[Question:MC:SingleAnswer:Horizontal]]",
            f"[[ID:{q.item.id}]]",
            _tagless(q.text),
            "[[Choices]]",
            *(_tagless(c) for c in q.choices),
            "",
        ]
    return "\n".join(lines)


def forms_csv(qs_by_group: dict[Audience, list[Question]]) -> str:
    """One row per group and question: what to type into Google Forms or Microsoft Forms
    (a multiple choice or linear scale question with these options)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group", "item", "theme", "question", "type", "choices"])
    for group, qs in qs_by_group.items():
        for q in qs:
            kind = "linear scale" if q.item.nps else "multiple choice"
            writer.writerow([group, q.item.id, q.item.theme, _cell(q.text), kind,
                             " | ".join(_cell(c) for c in q.choices)])  # fmt: skip
    return out.getvalue()


def _cell(text: str) -> str:
    """A CSV cell that a spreadsheet never runs as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def config_toml(qs_by_group: dict[Audience, list[Question]], company: str) -> str:
    """The cxgap.toml for the exports: the headline and NPS items, each item's scale and
    label, and each group's question text as its column (Google and Microsoft Forms);
    Qualtrics' columns are the item names, which match where no text does."""
    first = next(iter(qs_by_group.values()))
    lines = [
        f"# cxgap settings for the {_comment(company or 'survey')} paired survey, written by "
        "cxgap template.",
        "# Qualtrics exports (choice text) head each column with the item name; Google Forms",
        "# and Microsoft Forms with the question text, mapped back to the item below.",
        'agree = "top2"',
    ]
    head = next((q.item.id for q in first if q.item.headline), None)
    nps = [q.item.id for q in first if q.item.nps]
    if head:
        lines.append(f"headline_item = {_toml(head)}")
    if nps:
        lines.append(f"nps_items = [{', '.join(_toml(n) for n in nps)}]")
    lines.append("")
    for k, q in enumerate(first):
        label = q.item.label
        lines += [f"[items.{q.item.id}]", f"label = {_toml(label)}",
                  f"scale = {_toml(q.item.scale)}"]  # fmt: skip
        others = {}
        for group, qs in qs_by_group.items():
            text = qs[k].text
            if group in ("leaders", "customers"):
                lines.append(f"{group} = {_toml(text)}")
            else:
                others[group] = text
        if others:
            table = ", ".join(f"{g} = {_toml(t)}" for g, t in others.items())
            lines.append(f"columns = {{ {table} }}")
        lines.append("")
    return "\n".join(lines)


def _comment(text: str) -> str:
    return " ".join(text.split())


def template_files(
    bank: Bank,
    *,
    themes: list[str] | None = None,
    company: str = "",
    groups: Sequence[Audience] = ("leaders", "customers"),
    kind: Kind = "self",
) -> dict[str, str]:
    """Every file of a template, by file name."""
    company = " ".join(company.split())
    items = bank.of_themes(themes)
    qs_by_group = {g: questions(bank, items, g, kind, company) for g in groups}
    files: dict[str, str] = {}
    for group, qs in qs_by_group.items():
        files[f"{group}.md"] = markdown(bank, qs, company, group, kind)
        files[f"{group}.html"] = html_page(bank, qs, company, group, kind)
        files[f"{group}-qualtrics.txt"] = qualtrics_txt(bank, qs)
    files["questions.csv"] = forms_csv(qs_by_group)
    files["cxgap.toml"] = config_toml(qs_by_group, company)
    return files
