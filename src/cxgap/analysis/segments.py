"""The gap per segment: for each segment column (``segment_columns``, ``--by``), each label's
reference-group answers against the other group's answers in the same segment, where its
file has the column (a regional leadership team), else against its overall figure.

Every figure comes from :func:`cxgap.analysis.compare.compare_groups` on the segment's
counts, so a segment's share, interval and gap are computed as the items table's are.
A group's figure in a cell with fewer than ``min_cell_n`` respondents (Kish's effective
n when weighted) is suppressed, and so is every gap it enters. Whether the gap differs
across segments is Cochran's Q over the segments' gaps (see
:mod:`cxgap.stats.heterogeneity`), adjusted over every item x comparison of the column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence

import polars as pl

from cxgap.analysis.compare import compare_groups
from cxgap.code.coding import ItemCoding, code_counts
from cxgap.code.tallies import Cell, CellKey, coded_cells, group_counts
from cxgap.config import Config
from cxgap.counts_table import WEIGHT_SUMS
from cxgap.model.common import GapStats
from cxgap.model.segments import (
    Heterogeneity,
    SegmentBreakdown,
    SegmentCell,
    SegmentGap,
    SegmentItem,
    SegmentShare,
)
from cxgap.scales import AgreeRule
from cxgap.stats import adjust_pvalues
from cxgap.stats.heterogeneity import cochran_q, null_variance, pooled_share

_CHUNKS = re.compile(r"\d+|\D+")


def segment_results(
    segmented: pl.DataFrame,
    codings: Sequence[ItemCoding],
    labels: Mapping[str, str],
    groups: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    cfg: Config,
    rule: AgreeRule,
    weighted: Collection[str] = (),
) -> tuple[list[SegmentBreakdown], list[str]]:
    """One breakdown per segment column of ``segmented`` (a counts table with its segment
    keys) that the reference group's file has, in :meth:`Config.breakdown_columns`
    order (the unit column last); and a warning for each column it does not have
    (segments are the reference group's)."""
    out, warnings = [], []
    for column in cfg.breakdown_columns():
        found = None
        if column in segmented.columns:
            found = _breakdown(segmented, column, codings, labels, groups, pairs, cfg, rule,
                               weighted)  # fmt: skip
        if found is None:
            option = "--by" if column in cfg.segment_columns else "--unit"
            warnings.append(
                f"{option} {column}: the {groups[-1]}' file has no {column!r} column, so there "
                f"is no table by {column} (segments are the {groups[-1]}' own)"
            )
        else:
            out.append(found)
    return out, warnings


def _breakdown(
    segmented: pl.DataFrame,
    column: str,
    codings: Sequence[ItemCoding],
    labels: Mapping[str, str],
    groups: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    cfg: Config,
    rule: AgreeRule,
    weighted: Collection[str] = (),
) -> SegmentBreakdown | None:
    # a label is read without surrounding blanks ("East " is East); an empty one is blank
    label = pl.col(column).str.strip_chars()
    segmented = segmented.with_columns(pl.when(label != "").then(label).alias(column))
    first = codings[0].item if codings else None
    respondents = (
        segmented.filter(pl.col("item") == first).group_by("group", column).agg(pl.col("n").sum())
    )
    has = {g: respondents.filter((pl.col("group") == g) & pl.col(column).is_not_null()).height > 0
           for g in groups}  # fmt: skip
    if not has.get(groups[-1]):
        return None  # the reference group's file has no such column
    names = sorted(set(respondents[column].drop_nulls().to_list()), key=_natural)
    unlabelled = {g: int(respondents.filter((pl.col("group") == g) & pl.col(column).is_null())
                         ["n"].sum()) for g in groups if has[g]}  # fmt: skip
    overall = code_counts(segmented, codings)
    items = [c.item for c in codings]
    texts = [labels.get(i, i) for i in items]
    # every segment's coded counts at once, keyed by its label in the column
    coded = _coded_by_segment(segmented, overall, column, names, codings,
                              [g for g in groups if has[g]])  # fmt: skip
    found = coded_cells(coded, by=[column])
    per: dict[str, dict[CellKey, Cell]] = {name: {} for name in names}
    for (name, *key), cell in found.items():
        per[str(name)][tuple(key)] = cell
    efficient = _effective_sizes(coded, column)
    cells: list[list[GapStats]] = []  # per segment, per item
    sizes: list[dict[str, list[float]]] = []
    for name in names:
        counts = group_counts(per[name], codings, rule, groups, weighted)
        cells.append(compare_groups(items, texts, counts, list(pairs), cfg, adjust=False))
        sizes.append({g: [efficient.get((name, g, i), 0.0) for i in items] for g in groups})
    min_n = cfg.min_cell_n
    hidden = _suppressed(sizes, groups, has, len(items), min_n, weighted)
    suppressed = sum(1 for reason in hidden.values() if reason)
    rows: list[list[SegmentCell]] = []
    for k in range(len(items)):
        row = []
        for s, name in enumerate(names):
            stats = cells[s][k]
            shares = {}
            for g in groups:
                why = hidden.get((s, g, k))
                st = stats.groups[g]
                shares[g] = SegmentShare(
                    n=st.n,
                    share=None if why else st.share,
                    ci=(None, None) if why else st.ci,
                    se=None if why or st.weighted is None else st.weighted.se,
                    own_segment=has[g],
                    suppressed=why is not None,
                    reason=why,
                )
            gaps = []
            for c in stats.comparisons:
                out = shares[c.a].suppressed or shares[c.b].suppressed
                gaps.append(
                    SegmentGap(
                        a=c.a,
                        b=c.b,
                        gap=None if out else c.gap,
                        gap_ci=(None, None) if out else c.gap_ci,
                        p_value=None if out else c.p_value,
                        suppressed=out,
                    )
                )
            row.append(SegmentCell(segment=name, groups=shares, comparisons=gaps))
        rows.append(row)
    tests = _tests(rows, pairs, has, sizes, cfg)
    result_items = [
        SegmentItem(item=item, label=texts[k], cells=rows[k], heterogeneity=tests[k])
        for k, item in enumerate(items)
    ]
    return SegmentBreakdown(
        column=column,
        segments=names,
        own_segment=has,
        min_cell_n=min_n,
        suppressed=suppressed,
        unlabelled=unlabelled,
        items=result_items,
    )


def _suppressed(
    sizes: list[dict[str, list[float]]],
    groups: Sequence[str],
    has: Mapping[str, bool],
    items: int,
    min_n: int,
    weighted: Collection[str] = (),
) -> dict[tuple[int, str, int], str]:
    """The suppressed figures, (segment, group, item) -> reason: each under ``min_n``; and
    where exactly one of a group's segments is, the next smallest too, so that the one
    cannot be worked out from the group's overall figure and the others (complementary
    suppression). A group whose overall figure stands in is suppressed everywhere or
    nowhere."""
    out: dict[tuple[int, str, int], str] = {}
    for g in groups:
        small_reason = f"fewer than {min_n} respondents" + (
            " (Kish's effective n)" if g in weighted else "")  # fmt: skip
        for k in range(items):
            found = [per[g][k] for per in sizes]
            small = [s for s, n in enumerate(found) if n < min_n]
            for s in small:
                out[s, g, k] = small_reason
            shown = [s for s in range(len(found)) if s not in small]
            answered = [s for s in small if found[s] > 0]  # an empty cell hides nothing
            if has[g] and len(answered) == 1 and shown:
                other = min(shown, key=lambda s: (found[s], s))
                out[other, g, k] = (
                    "suppressed with a smaller segment, so that its figure cannot be worked out "
                    "from the overall one"
                )
    return out


def _tests(
    rows: list[list[SegmentCell]],
    pairs: Sequence[tuple[str, str]],
    has: Mapping[str, bool],
    sizes: list[dict[str, list[float]]],
    cfg: Config,
) -> list[list[Heterogeneity]]:
    """Per item, per comparison, Cochran's Q that the gap is the same in every segment
    shown. Comparisons whose segment-varying groups are the same (leaders and frontline
    both without the column, against customers by segment) have the same Q: it is tested
    and adjusted once."""
    found: dict[tuple[int, frozenset[str]], tuple[float, int, float]] = {}
    for k, row in enumerate(rows):
        at_k = [{g: per[g][k] for g in per} for per in sizes]
        for a, b in pairs:
            key = (k, frozenset(g for g in (a, b) if has[g]))
            if key not in found:
                found[key] = _q(row, (a, b), pairs.index((a, b)), has, at_k)
    family = [key for key, (_, df, _) in found.items() if df > 0]
    adjusted = dict(zip(family, adjust_pvalues([found[key][2] for key in family], cfg.adjust),
                        strict=True))  # fmt: skip
    out = []
    for k in range(len(rows)):
        tested = []
        for a, b in pairs:
            key = (k, frozenset(g for g in (a, b) if has[g]))
            q, df, p = found[key]
            p_adj = _finite(adjusted[key]) if key in adjusted else None
            tested.append(
                Heterogeneity(a=a, b=b, q=_finite(q), df=df, p_value=_finite(p),
                              p_adjusted=p_adj, significant=p_adj is not None and p_adj < cfg.alpha)
            )  # fmt: skip
        out.append(tested)
    return out


def _q(
    row: list[SegmentCell],
    pair: tuple[str, str],
    j: int,
    has: Mapping[str, bool],
    sizes: list[dict[str, float]],
) -> tuple[float, int, float]:
    """Cochran's Q over the segments of one item whose gap ``j`` is shown, each share's
    variance at its group's share pooled over those segments (a group's overall figure,
    the same in every segment, adds none)."""
    shown = [s for s, cell in enumerate(row) if cell.comparisons[j].gap is not None]
    variances = [0.0] * len(shown)
    for g in pair:
        if not has[g]:
            continue
        sized = [sizes[s][g] for s in shown]
        pooled = pooled_share([row[s].groups[g].share or 0.0 for s in shown], sized)
        for at, n in enumerate(sized):
            variances[at] += null_variance(pooled, n)
    found = cochran_q([row[s].comparisons[j].gap or 0.0 for s in shown], variances)
    return found.q, found.df, found.p_value


def _coded_by_segment(
    segmented: pl.DataFrame,
    overall: pl.DataFrame,
    column: str,
    names: Sequence[str],
    codings: Sequence[ItemCoding],
    own: Sequence[str],
) -> pl.DataFrame:
    """Each segment's coded counts, keyed by its label in ``column``: the ``own`` groups'
    (those whose file has the column) as domains of their whole sample, the respondents
    outside the segment counted as non-answers with weight 0, so that a weighted share's
    standard error keeps the whole sample's n in n / (n - 1), as R's svyby (domain
    estimation) does (shares, n and effective n are the segment's own); every other
    group's overall counts stand in for each segment."""
    keys = ["group", "item", "wave"]
    mine = code_counts(segmented.filter(pl.col("group").is_in(own)), codings, by=[column])
    mine = mine.filter(pl.col(column).is_in(names))
    labels = pl.DataFrame({column: list(names)}, schema={column: mine.schema[column]})
    total = (
        overall.filter(pl.col("group").is_in(own))
        .group_by(keys)
        .agg(pl.col("n").sum().alias("all"))
    )
    inside = mine.group_by(column, *keys).agg(pl.col("n").sum().alias("in"))
    outside = (
        labels.join(total, how="cross")
        .join(inside, on=[column, *keys], how="left", nulls_equal=True)
        .with_columns(n=(pl.col("all") - pl.col("in").fill_null(0)).cast(pl.Int64))
        .filter(pl.col("n") > 0)
        .select(column, *keys, pl.lit(None, dtype=pl.Int64).alias("code"), "n",
                pl.lit(0.0).alias("w_sum"), pl.lit(0.0).alias("w2_sum"))
    )  # fmt: skip
    others = labels.join(overall.filter(~pl.col("group").is_in(own)), how="cross")
    return pl.concat([mine, outside.select(mine.columns), others.select(mine.columns)])


def _effective_sizes(coded: pl.DataFrame, column: str) -> dict[tuple[str, str, str], float]:
    """Kish's effective n of each group's answers on each item in each segment, keyed
    (segment, group, item): W^2 / W2 over the answered (n itself when unweighted)."""
    sums = (
        coded.filter(pl.col("code").is_not_null())
        .group_by(column, "group", "item")
        .agg(*WEIGHT_SUMS)
    )
    return {(s, g, i): (w * w / w2 if w2 > 0 else 0.0) for s, g, i, w, w2 in sums.iter_rows()}


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _natural(label: str) -> tuple[object, ...]:
    """Labels in natural order: "Region 2" before "Region 10"."""
    parts: list[object] = []
    for chunk in _CHUNKS.findall(label.casefold()):
        parts.append((0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk))
    return tuple(parts)
