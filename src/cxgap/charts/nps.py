"""NPS: each group's detractors, passives and promoters as one stacked bar, its NPS with
the interval beside it; for leaders and staff the NPS they predict customers give."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxgap.charts.base import LABEL_PT, SMALL_PT, draws_themed, frame, legend
from cxgap.config import Theme
from cxgap.errors import UsageError
from cxgap.model import AnalysisResult
from cxgap.render.text import interval_pp, pp

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Detractors, passives, promoters: Okabe-Ito vermillion, a grey, bluish green.
BANDS = (("Detractors (0-6)", "#D55E00"), ("Passives (7-8)", "#BBBBBB"),
         ("Promoters (9-10)", "#009E73"))  # fmt: skip


@draws_themed
def draw(result: AnalysisResult, theme: Theme, size: tuple[float, float]) -> Figure:
    if not result.nps:
        raise UsageError(
            "the nps chart needs an NPS item: a 0-10 item that asks about recommending, or "
            "one named in nps_items"
        )
    found = result.nps[0]
    main = next((c for c in found.comparisons), None)
    named = [(g.label[:1].upper() + g.label[1:], found.groups[g.name]) for g in result.groups]
    scores = ", ".join(f"{g.label} {pp(found.groups[g.name].nps)}" for g in result.groups)
    title = f"NPS: {scores}"
    if main is not None and main.gap is not None:
        a, b = result.group(main.a).label, result.group(main.b).label
        side = "above" if main.gap >= 0 else "below"
        title += f" ({a} {abs(main.gap) * 100:.0f} points {side} {b})"
    conf = f"{result.settings.confidence:.0%}"
    subtitle = (
        f"\u201c{found.label}\u201d. NPS = % promoters minus % detractors, with its {conf} "
        "interval; for every group but the customers, what they think customers would say."
    )
    fig, ax = frame(theme, size, title, subtitle, _footnote(result, theme),
                    axes_box=(0.22, 0.2, 0.55, 0.5))  # fmt: skip
    for y, (name, stats) in enumerate(reversed(named)):
        shares = [stats.detractors or 0.0, stats.passives or 0.0, stats.promoters or 0.0]
        left = 0.0
        for share, (_, color) in zip(shares, BANDS, strict=True):
            ax.barh(y, share, left=left, height=0.6, color=color)
            if share >= 0.06:
                ink = "white" if color != "#BBBBBB" else "#222222"
                ax.text(left + share / 2, y, f"{share * 100:.0f}%", ha="center", va="center",
                        fontsize=SMALL_PT, color=ink)  # fmt: skip
            left += share
        score = "n/a" if stats.nps is None else pp(stats.nps)
        spread = "" if stats.ci[0] is None else f"\n({interval_pp(stats.ci)})"
        ax.text(1.03, y, f"NPS {score}{spread}", va="center", ha="left", fontsize=LABEL_PT,
                fontweight="bold")  # fmt: skip
        ax.text(-0.02, y, f"{name}\nn = {stats.n:,}", va="center", ha="right",
                fontsize=LABEL_PT)  # fmt: skip
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(-0.6, len(named) - 0.4)
    ax.set_yticks([])
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    ax.spines["left"].set_visible(False)
    legend(ax, list(BANDS), loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3)
    return fig


def _footnote(result: AnalysisResult, theme: Theme) -> str:
    """Source, the NPS item's answers per group (effective n when weighted), fieldwork and
    the confidence level: the item's own figures, not the headline's."""
    found = result.nps[0]
    ns = []
    for g in result.groups:
        stats = found.groups[g.name]
        eff = f" (weighted, effective n {stats.n_eff:,.0f})" if stats.n_eff is not None else ""
        ns.append(f"{stats.n:,} {g.label}{eff}")
    waves = sorted({w for g in result.groups for w in g.waves})
    field = f" Fieldwork: {', '.join(waves)}." if waves else ""
    more = f" {len(result.nps) - 1} more NPS item(s) in the table." if len(result.nps) > 1 else ""
    source = theme.source_for([g.label for g in result.groups])
    conf = f"{result.settings.confidence:.0%}"
    return (f"{source}. n = {', '.join(ns)} answering 0-10.{field} Intervals: Wald, "
            f"{conf}.{more}")  # fmt: skip
