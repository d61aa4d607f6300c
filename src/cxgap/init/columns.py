"""Each column of one export as ``cxgap init`` sees it: its question text, whether it is
an item (and on which scale), or why not.

Nothing here decides anew: the file is opened, planned, sniffed and counted by the
same read stage ``analyze`` runs, and the code stage decides each column's scale on
its distinct answers, so ``init`` and ``analyze`` never disagree on what is an item.
"""

from __future__ import annotations

from collections.abc import Mapping

from cxgap.code.choose import ScaleChoice
from cxgap.code.coding import resolve_items
from cxgap.code.items import declared_scales, vocabularies
from cxgap.config import Config
from cxgap.init.model import ExportColumn
from cxgap.io.plan import name_key, plan_file
from cxgap.io.source import Source, SurveyFile
from cxgap.scan.first_rows import sniff_files
from cxgap.scan.per_file import count_files

#: Why a column with a role other than item is left out, by role (see plan_file).
ROLE_REASONS = {
    "id": "the respondent id",
    "wave": "the wave column",
    "weight": "the weight column",
    "metadata": "platform metadata (dates, status, location)",
    "segment": "a segment key",
    "group": "the group column",
    "excluded": "excluded in the settings",
}


def open_export(given: Source, source: str = "auto") -> SurveyFile:
    if isinstance(given, SurveyFile):
        return given
    from cxgap.io import open_survey

    return open_survey(given, source)


def declared(survey: SurveyFile, group: str, cfg: Config) -> dict[str, ScaleChoice | None]:
    """The scales the export's metadata declare (SPSS value labels), by column."""
    return declared_scales([plan_file(survey, group, cfg)], cfg)


def export_columns(
    survey: SurveyFile,
    group: str,
    cfg: Config | None = None,
    also_declared: Mapping[str, ScaleChoice | None] | None = None,
) -> list[ExportColumn]:
    """Every column of ``survey`` in file order: an item with its scale, or the reason
    it is none (its role, or what the code stage found in its answers).
    ``also_declared``: scales another group's export declares for columns of the same
    name, which analyze would use for this file's column too (its own declaration wins)."""
    cfg = cfg or Config()
    plan = plan_file(survey, group, cfg)
    plans, sniffs = sniff_files([plan], cfg)
    counted = count_files(plans, sniffs, cfg, by_wave=False, votes=None)
    codings, problems, skipped = resolve_items(
        counted[0].counts,
        list(plans[0].items),
        default_scale=cfg.scale_for(""),
        item_scales={},
        non_answers=cfg.non_answers,
        vocabularies=vocabularies(cfg),
        declared={**(also_declared or {}), **declared_scales(plans, cfg)},
        scale_set=cfg.scale_is_set,
    )
    coded = {c.item: c for c in codings}
    why = {s.item: s.reason for s in [*sniffs[group].not_items, *skipped]}
    for p in problems:  # (only named items have problems; none are named here)
        why.setdefault(p.item, "answers that fit no scale")
    out = []
    for name in survey.columns:
        text = _text(survey.labels.get(name, ""), name)
        coding = coded.get(name)
        if coding is not None:
            scale = coding.scale
            out.append(ExportColumn(
                group=group, name=name, text=text, item=True, scale=scale.name,
                points=scale.points, scale_source=coding.source,
                low=min(scale.codes), high=max(scale.codes),
            ))  # fmt: skip
            continue
        role = plan.roles.get(name)
        reason = ROLE_REASONS.get(role, role) if role else why.get(name, "no answers")
        out.append(ExportColumn(group=group, name=name, text=text, item=False, reason=reason))
    return out


def _text(label: str, name: str) -> str:
    """The question's text where the export carries one besides the column's name."""
    label = " ".join(label.split())
    return "" if not label or name_key(label) == name_key(name) else label
