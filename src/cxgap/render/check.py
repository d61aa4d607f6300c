"""Renderers for ``cxgap check``: table, Markdown (step summary), JUnit XML, GitHub annotations."""

from __future__ import annotations

import io
from xml.etree import ElementTree as ET

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cxgap.model import CheckResult, Verdict
from cxgap.render.markdown import markdown_text
from cxgap.render.table import print_bullets

STATUS_STYLE = {"pass": "green", "fail": "bold red", "warn": "yellow", "inconclusive": "magenta"}
RULE_TEXT = {
    "max_gap_pp": "gap <=",
    "max_drop_pp": "customers' drop <=",
    "max_gap_widening_pp": "gap widening <=",
    "max_nps_drop": "customers' NPS drop <=",
}


def _pp(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value, 1) + 0.0:.1f}"


def _ci(v: Verdict) -> str:
    lo, hi = v.ci_pp
    return "n/a" if lo is None or hi is None else f"{_pp(lo)} to {_pp(hi)}"


def _p(v: Verdict) -> str:
    if v.p_breach is None:
        return ""
    return "<0.001" if v.p_breach < 0.001 else f"{v.p_breach:.3f}"


def _bound(v: Verdict) -> str:
    return "" if v.bound_pp is None else _pp(v.bound_pp)


def bound_legend(result: CheckResult) -> str:
    """What the CI and Bound columns are, and how the verdict reads them."""
    confidence = result.current.settings.confidence
    return (
        f"CI: two-sided {confidence:.0%} interval. Bound: the one-sided lower confidence bound "
        f"the test used (confidence 1 - {result.alpha:g}/f, f = the target's Holm factor; 1 for a "
        f"single target); a breach is significant exactly when the bound exceeds the limit."
    )


def _against(result: CheckResult) -> str:
    parts = []
    if result.current_wave:
        parts.append(f"wave {result.current_wave}")
    if result.baseline is not None:
        b = result.baseline
        parts.append(f"baseline {b.wave or ''} {('from ' + b.path) if b.path else ''}".strip())
    return "; ".join(parts)


def summary_line(result: CheckResult) -> str:
    counts = {s: sum(v.status == s for v in result.verdicts) for s in STATUS_STYLE}
    tally = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    where = _against(result)
    return f"cxgap check: {result.status.upper()} ({tally})" + (f" [{where}]" if where else "")


def unit(rule: str) -> str:
    """The unit of a rule's figures: NPS points for max_nps_drop, else percentage points."""
    return "points" if rule == "max_nps_drop" else "pp"


def _rule_table(verdicts: list[Verdict]) -> Table:
    """One rule's targets. Item names fold rather than being cut (two items may share
    a prefix); numbers never wrap."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Target", overflow="fold", min_width=12)
    u = unit(verdicts[0].rule) if verdicts else "pp"
    for name in (f"Value {u}", f"CI {u}", f"Bound {u}", "p (Holm)"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for v in verdicts:
        table.add_row(
            Text("headline" if v.target == "headline" else v.item),
            _pp(v.value_pp),
            _ci(v),
            _bound(v),
            _p(v),
            Text(v.status, style=STATUS_STYLE[v.status]),
        )
    return table


def render_check_table(result: CheckResult, *, color: bool = False, width: int = 140) -> str:
    """The verdicts, one table per rule under a line with the rule and its limit."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, emoji=False)  # fmt: skip
    console.print(Text(summary_line(result), style=STATUS_STYLE.get(result.status, "bold")))
    rules = list(dict.fromkeys(v.rule for v in result.verdicts))
    for rule in rules:
        chosen = [v for v in result.verdicts if v.rule == rule]
        console.print()
        limit = f"{chosen[0].threshold_pp:g} {unit(rule)}"
        console.print(Text(f"{RULE_TEXT[rule]} {limit}", style="bold"))
        console.print(_rule_table(chosen))
    console.print()
    console.print(bound_legend(result))
    flagged = [v for v in result.verdicts if v.status != "pass"]
    if flagged:  # wrapped lines hang under the message, not at the margin
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(ratio=1, overflow="fold")
        for v in flagged:
            style = STATUS_STYLE[v.status]
            grid.add_row(Text(f"  {v.status}:", style=style), Text(v.message, style=style))
        console.print(grid)
    if result.warnings:
        console.print()
        console.print(Text("Warnings", style="bold yellow"))
        print_bullets(console, result.warnings)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def render_check_markdown(result: CheckResult) -> str:
    icon = {"pass": "PASS", "fail": "FAIL", "inconclusive": "INCONCLUSIVE"}[result.status]
    lines = [
        f"## cxgap check: {icon}",
        "",
        markdown_text(result.current.headline.text),
        "",
        "| Rule | Target | Value | Limit | CI | Bound | p (Holm) | Status |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for v in result.verdicts:
        target = "headline" if v.target == "headline" else markdown_text(v.item)
        lines.append(
            f"| {RULE_TEXT[v.rule]} | {target} | {_pp(v.value_pp)} | {v.threshold_pp:g} "
            f"{unit(v.rule)} | "
            f"{_ci(v)} | {_bound(v)} | {_p(v)} | {v.status} |"
        )
    lines += [
        "",
        "Values, intervals and bounds in the limit's unit: pp (percentage points), or NPS points.",
        bound_legend(result),
    ]
    where = _against(result)
    if where:
        lines += ["", f"Compared: {where}."]
    if result.warnings:
        lines += ["", "### Warnings", ""] + [f"- {markdown_text(w)}" for w in result.warnings]
    return "\n".join(lines) + "\n"


def render_junit(result: CheckResult) -> str:
    """JUnit XML: one test case per rule and target; valid under the common junit-10 schema."""
    failures = sum(v.status == "fail" for v in result.verdicts)
    skipped = sum(v.status == "inconclusive" for v in result.verdicts)
    suite = ET.Element(
        "testsuite",
        {
            "name": "cxgap check",
            "tests": str(len(result.verdicts)),
            "failures": str(failures),
            "errors": "0",
            "skipped": str(skipped),
            "time": "0",
        },
    )
    for v in result.verdicts:
        target = "headline" if v.target == "headline" else v.item
        case = ET.SubElement(
            suite,
            "testcase",
            {"name": f"{v.rule} [{target}]", "classname": f"cxgap.check.{v.rule}", "time": "0"},
        )
        detail = (
            f"value {_pp(v.value_pp)} {unit(v.rule)}, limit {v.threshold_pp:g} {unit(v.rule)}, "
            f"CI {_ci(v)} {unit(v.rule)}, lower bound {_bound(v) or 'n/a'} {unit(v.rule)}, "
            f"adjusted p {_p(v) or 'n/a'}"
        )
        if v.status == "fail":
            failure = ET.SubElement(case, "failure", {"message": v.message, "type": v.rule})
            failure.text = detail
        elif v.status == "inconclusive":
            ET.SubElement(case, "skipped", {"message": v.message})
        elif v.status == "warn":
            out = ET.SubElement(case, "system-out")
            out.text = f"warning: {v.message}; {detail}"
    ET.indent(suite)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


#: GitHub shows at most this many annotations of each kind per step.
ANNOTATION_LIMIT = 10


def render_github_annotations(result: CheckResult, file: str | None = None) -> str:
    """``::error``/``::warning`` workflow commands, worst first, at most 10 of each kind."""
    where = f"file={_escape_property(file)}," if file else ""
    lines: list[str] = []
    for status, command in (("fail", "error"), ("warn", "warning"), ("inconclusive", "warning")):
        chosen = [v for v in result.verdicts if v.status == status]
        chosen.sort(key=lambda v: -((v.value_pp or 0.0) - v.threshold_pp))
        lines += [
            f"::{command} {where}title={_escape_property('cxgap ' + v.rule)}::"
            f"{_escape_data(v.message)}"
            for v in chosen
        ]
    errors = [ln for ln in lines if ln.startswith("::error")]
    warnings = [ln for ln in lines if ln.startswith("::warning")]
    out = errors[:ANNOTATION_LIMIT] + warnings[:ANNOTATION_LIMIT]
    more = (
        len(errors)
        - len(errors[:ANNOTATION_LIMIT])
        + len(warnings)
        - len(warnings[:ANNOTATION_LIMIT])
    )
    if more:
        out.append(
            f"::notice title=cxgap check::{more} more finding(s) not annotated; see the report"
        )
    return "".join(line + "\n" for line in out)
