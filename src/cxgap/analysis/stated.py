"""Importance as a group states it and as its own answers imply, for the priorities section.

- Stated: ``stated_importance`` in the config maps an importance item (a question such as
  "How important is getting the basics right?", asked of leaders only) to the items of its
  theme (names or globs). Each item's stated importance is the mean answer to its theme's
  importance item, as a position on that item's scale (0 at its lowest code, 1 at its
  highest; weighted when the group is), from the counts: the importance items are counted
  with the other columns of the group's file, though they are no items of the comparison.
- Derived: the group's own cross-tab of each item against the headline item, when its file
  has the headline item (:func:`cxgap.analysis.importance.importance_from_crosstab`).
"""

from __future__ import annotations

import math
from fnmatch import fnmatchcase

import polars as pl

from cxgap.analysis.importance import importance_from_crosstab
from cxgap.code.coding import resolve_items
from cxgap.code.items import item_scales, vocabularies
from cxgap.config import Config
from cxgap.scan.prepare import Prepared

#: A group's importance per item, and what it is ("stated" or "derived"), or a note why none.
Found = tuple[dict[str, float | None], str | None, str]


def own_importance(prep: Prepared, cfg: Config, group: str, *, wave: str | None = None) -> Found:
    """``group``'s importance per analysed item: stated when the config names importance
    items, else derived from its own cross-tab; with a note when neither is available."""
    if cfg.stated_importance:
        stated, note = stated_importance(prep, cfg, group, wave=wave)
        return stated, ("stated" if stated else None), note
    table = prep.crosstab(cfg, group)
    if table is None:
        return (
            {},
            None,
            (
                f"the {group} file has no headline item {prep.headline_for(cfg)!r}, and the "
                "config names no stated_importance items"
            ),
        )
    derived = importance_from_crosstab(table, prep.codings, prep.headline_for(cfg), wave=wave)
    derived.pop(prep.headline_for(cfg), None)
    return derived, "derived", ""


def stated_importance(
    prep: Prepared, cfg: Config, group: str, *, wave: str | None = None
) -> tuple[dict[str, float | None], str]:
    """Each analysed item's stated importance (see the module's notes), and a note naming
    importance items the group's file lacks or whose answers fit no scale."""
    plan = next(p for p in prep.plans if p.group == group)
    asked = [name for name in cfg.stated_importance if name in plan.items]
    counts = prep.counts.filter((pl.col("group") == group) & pl.col("item").is_in(asked))
    if wave is not None:
        counts = counts.filter(pl.col("wave") == wave)
    codings, _, _ = resolve_items(
        counts, asked, default_scale=cfg.scale_for(""), item_scales=item_scales(cfg),
        non_answers=cfg.non_answers, vocabularies=vocabularies(cfg), scale_set=cfg.scale_is_set,
    )  # fmt: skip
    level: dict[str, float | None] = {}
    sums = counts.group_by("item", "value").agg(pl.col("w_sum").sum()).sort("item", "value")
    for c in codings:
        low, high = min(c.scale.codes), max(c.scale.codes)
        pairs = [(c.codes[v], w) for i, v, w in sums.rows() if i == c.item and v in c.codes]
        total = math.fsum(w for _, w in pairs)
        level[c.item] = (
            None
            if total <= 0 or high == low
            else math.fsum((code - low) / (high - low) * w for code, w in pairs) / total
        )
    out: dict[str, float | None] = {}
    for coding in prep.codings:
        if coding.item == prep.headline_for(cfg):
            continue
        theme = next((name for name, patterns in cfg.stated_importance.items()
                      if any(fnmatchcase(coding.item, p) for p in patterns)), None)  # fmt: skip
        if theme is not None and theme in level:
            out[coding.item] = level[theme]
    lacking = [name for name in cfg.stated_importance if name not in level]
    note = (
        f"stated importance item(s) not in the {group} file or on no scale: {', '.join(lacking)}"
        if lacking
        else ""
    )
    return out, note
