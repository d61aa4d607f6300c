"""``check``: rules evaluated on the current wave (and a baseline), for CI gates.

Each rule gives, per target (headline and/or items), one of:

* ``pass``: the value does not exceed the threshold;
* ``fail``: it does, and (with ``require_significance``) significantly so after
  Holm adjustment across every target the rule tests;
* ``warn``: it does, but within noise;
* ``inconclusive``: a group the rule uses has fewer than ``min_n`` valid answers
  (``max_gap_pp``: both groups of the headline comparison now; ``max_drop_pp``:
  customers (its second group) now and at the baseline; ``max_gap_widening_pp``:
  both groups at both). Other groups (the frontline) never make a rule inconclusive.

Every rule's value is a sum of independent shares (a gap, a drop, a gap's change;
a group whose answers are the same sample at the baseline and now cancels out).
Its interval is the MOVER/Newcombe score interval over continuity-corrected Wilson
limits (:data:`cxgap.stats.changes.CORRECTION`), and the significance of a breach
(one-sided, H0 "value <= threshold") inverts that interval at the threshold, so
the test has no zero-variance failure at small n, its exact size stays at or under
alpha (README, *Small samples*), and it always agrees with the one-sided lower
bound reported beside it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from cxgap._version import __version__
from cxgap.analysis.build import analyze_prepared
from cxgap.analysis.by_wave import no_waves, waves_of, waves_prepared
from cxgap.analysis.compare import design_counts, opt
from cxgap.analysis.nps_gate import nps_verdicts
from cxgap.analysis.trend import gap_signs, same_in_reports, same_note
from cxgap.analysis.verdicts import pp_of as _pp
from cxgap.analysis.verdicts import verdict as _verdict
from cxgap.config import CheckRules, Config
from cxgap.counts import Input
from cxgap.errors import InputError, UsageError
from cxgap.model import (
    AnalysisResult,
    BaselineInfo,
    CheckResult,
    GapStats,
    Rule,
    Verdict,
)
from cxgap.model.v1 import upgrade_analysis
from cxgap.scan.prepare import group_inputs, prepare
from cxgap.stats.breach import breach_tests


def load_baseline_report(path: str | Path) -> AnalysisResult:
    """A previous report: ``cxgap analyze --format json`` or ``cxgap check --format json``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("baseline report not found", file=path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"baseline is not a JSON report: {exc}", file=path) from None
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "check":
        data = data.get("current")
    elif kind is not None:
        raise InputError(
            f"a {kind} report cannot be a baseline: give a `cxgap analyze --format json` or "
            "`cxgap check --format json` report, or --baseline-wave WAVE",
            file=path,
        )
    try:
        return AnalysisResult.model_validate(upgrade_analysis(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"baseline is not a cxgap report (schema_version 1 or 2): {where}: {first['msg']}",
            file=path,
        ) from None


def check(
    leaders: Input,
    customers: Input,
    config: Config | None = None,
    *,
    baseline: str | Path | AnalysisResult | None = None,
    baseline_wave: str | None = None,
    wave: str | None = None,
    groups: Mapping[str, Input] | None = None,
    source: str = "auto",
) -> CheckResult:
    """Evaluate ``config.check`` rules on the current data.

    The current data are the latest wave (or ``wave``) when the files have a
    wave column, else all rows. The baseline is a previous report, a named
    wave, or (when the data have two or more waves and neither is given) the
    wave before the current one.
    """
    cfg = config or Config()
    rules = cfg.check
    if baseline is not None and baseline_wave is not None:
        raise UsageError("give --baseline or --baseline-wave, not both")
    warnings: list[str] = []
    base_info: BaselineInfo | None = None
    base: AnalysisResult | None = None
    if isinstance(baseline, AnalysisResult):
        base, base_info = baseline, BaselineInfo(source="report", wave=None, path=None)
    elif baseline is not None:
        base = load_baseline_report(baseline)
        base_info = BaselineInfo(source="report", wave=_wave_of(base), path=str(baseline))

    current_wave: str | None = None
    same: frozenset[str] = frozenset()
    prep = prepare(group_inputs(leaders, customers, cfg, groups), cfg, source=source,
                   segments=bool(cfg.count_keys()))  # fmt: skip
    if not waves_of(prep, cfg):
        if baseline_wave is not None or wave is not None:
            raise UsageError(f"--wave/--baseline-wave given, but {no_waves(cfg)}")
        current = analyze_prepared(prep, cfg)
    else:
        analyses = waves_prepared(prep, cfg)
        order = analyses.waves
        current_wave = wave or order[-1]
        if current_wave not in order:
            raise UsageError(f"wave {current_wave!r} is not in the data ({', '.join(order)})")
        current = analyses.results[current_wave]
        if base is None:
            earlier = order[: order.index(current_wave)]
            chosen = baseline_wave or (earlier[-1] if earlier else None)
            if chosen is not None:
                if chosen not in order:
                    raise UsageError(
                        f"baseline wave {chosen!r} is not in the data ({', '.join(order)})"
                    )
                base = analyses.results[chosen]
                base_info = BaselineInfo(source="wave", wave=chosen, path=None)
                same = analyses.same_groups(chosen, current_wave)
        warnings += analyses.warnings

    changes = (rules.max_drop_pp, rules.max_gap_widening_pp, rules.max_nps_drop)
    if any(v is not None for v in changes) and base is None:
        raise UsageError(
            "max_drop_pp, max_gap_widening_pp and max_nps_drop compare with a baseline: give "
            "--baseline REPORT.json or --baseline-wave WAVE, or data with two or more waves"
        )
    if rules.max_gap_pp is None and all(v is None for v in changes):
        raise UsageError(
            "no rules to check: set max_gap_pp, max_drop_pp, max_gap_widening_pp or "
            "max_nps_drop ([check] in cxgap.toml or the matching flags)"
        )
    alpha = round(rules.alpha if rules.alpha is not None else cfg.alpha, 12)
    targets = _targets(current, rules)
    if base is not None and base_info is not None and base_info.source == "report":
        same = same_in_reports(base, current)
    if base is not None:
        then, now = (
            base_info.wave if base_info and base_info.wave else "the baseline",
            (current_wave or "now"),
        )
        warnings += [same_note(g, then, now) for g in current.group_names if g in same]
    if base is not None:
        _check_groups(current, base, base_info)
    verdicts = _evaluate(current, base, same, targets, rules, cfg.confidence, alpha)
    if rules.max_nps_drop is not None and base is not None:
        verdicts += nps_verdicts(current, base, same, rules, cfg.confidence, alpha)
    statuses = {v.status for v in verdicts}
    status = (
        "fail" if "fail" in statuses else "inconclusive" if "inconclusive" in statuses else "pass"
    )
    return CheckResult(
        cxgap_version=__version__,
        status=status,
        current_wave=current_wave,
        baseline=base_info,
        rules=rules.model_dump(),
        alpha=alpha,
        verdicts=verdicts,
        current=current,
        warnings=warnings,
    )


def _wave_of(result: AnalysisResult) -> str | None:
    waves = result.groups[-1].waves
    return waves[0] if len(waves) == 1 else None


def _check_groups(current: AnalysisResult, base: AnalysisResult, info: BaselineInfo | None) -> None:
    """A baseline must hold the groups of the headline comparison the rules read."""
    missing = [g for g, _ in gap_signs(current) if g not in base.group_names]
    if missing:
        raise InputError(
            f"the baseline has no {', '.join(missing)} (its groups: "
            f"{', '.join(base.group_names)}), which the rules compare",
            file=info.path if info and info.path else None,
        )


def _targets(current: AnalysisResult, rules: CheckRules) -> list[tuple[str, GapStats, bool]]:
    """(name, stats, is_headline) for every target in scope."""
    head = (current.headline.item, current.headline, True)
    if rules.scope == "headline":
        return [head]
    if rules.scope == "all":  # the headline item is checked once, as the headline
        return [head] + [(i.item, i, False) for i in current.items if i.item != head[0]]
    by_name = {i.item: i for i in current.items}
    unknown = [n for n in rules.scope if n not in by_name]
    if unknown:
        known = sorted(i.item for i in current.items)
        listed = ", ".join(known[:20]) + (f", ... ({len(known)} in all)" if len(known) > 20 else "")
        raise UsageError(
            f"check scope names unknown item(s): {', '.join(unknown)} (the items are: {listed})"
        )
    return [(n, by_name[n], False) for n in rules.scope]


#: The headline comparison's groups with their signs in the gap (a: +1, b: -1).
Signs = Sequence[tuple[str, float]]


def rule_groups(rule: str, signs: Signs) -> list[tuple[int, str]]:
    """The (side, group) pairs a rule reads, side 1 now and 0 the baseline; ``min_n``
    applies to these only. The drop is the headline comparison's second group's
    (customers'); the gap is the headline comparison's."""
    gap_groups = [g for g, _ in signs]
    if rule == "max_gap_pp":
        return [(1, g) for g in gap_groups]
    if rule == "max_drop_pp":
        return [(1, gap_groups[-1]), (0, gap_groups[-1])]
    return [(side, g) for side in (1, 0) for g in gap_groups]


def rule_terms(rule: str, same: Collection[str], signs: Signs) -> list[tuple[float, int, str]]:
    """The rule's value as a sum of independent shares: (coefficient, side, group),
    side 1 now and 0 the baseline; larger is worse for every rule. A group whose
    answers are the same sample at both sides cancels out of a change."""
    if rule == "max_gap_pp":
        return [(sign, 1, g) for g, sign in signs]
    if rule == "max_drop_pp":  # baseline minus now
        last = signs[-1][0]
        return [] if last in same else [(1.0, 0, last), (-1.0, 1, last)]
    return [(sign * s, side, g) for g, sign in signs if g not in same
            for side, s in ((1, 1.0), (0, -1.0))]  # fmt: skip


def _evaluate(
    current: AnalysisResult,
    base: AnalysisResult | None,
    same: Collection[str],
    targets: list[tuple[str, GapStats, bool]],
    rules: CheckRules,
    confidence: float,
    alpha: float,
) -> list[Verdict]:
    base_items = {i.item: i for i in base.items} if base is not None else {}
    out: list[Verdict] = []
    configured: list[tuple[Rule, float | None]] = [
        ("max_gap_pp", rules.max_gap_pp),
        ("max_drop_pp", rules.max_drop_pp),
        ("max_gap_widening_pp", rules.max_gap_widening_pp),
    ]
    signs = gap_signs(current)
    for rule, threshold in configured:
        if threshold is None:
            continue
        terms = rule_terms(rule, same, signs)
        # per target: name, is_headline, why it cannot be tested, (baseline, now)
        rows: list[tuple[str, bool, str | None, tuple[GapStats | None, GapStats]]] = []
        for name, stats, is_head in targets:
            prior = (base.headline if is_head else base_items.get(name)) if base else None
            sides = (prior, stats)
            why: str | None = None
            if rule != "max_gap_pp" and prior is None:
                why = "not in the baseline"
            else:
                why = _too_few(sides, rule, rules.min_n, signs)
            rows.append((name, is_head, why, sides))
        tested = [k for k, row in enumerate(rows) if row[2] is None]
        k_all = len(rows)
        value, lo, hi, padj, bound = ([math.nan] * k_all for _ in range(5))
        if terms and tested:
            coef = [c for c, _, _ in terms]
            groups = [[_side(rows[k][3], side).groups[g] for k in tested] for _, side, g in terms]
            # weighted groups enter with the design-based variance (design_counts)
            effective = [[design_counts(s) for s in row] for row in groups]
            count = [[x for x, _ in row] for row in effective]
            nobs = [[n for _, n in row] for row in effective]
            v, a, b, p, bd = breach_tests(coef, count, nobs, threshold / 100, alpha, confidence)
            for j, k in enumerate(tested):
                value[k], lo[k], hi[k], padj[k], bound[k] = v[j], a[j], b[j], p[j], bd[j]
        elif not terms:  # every group cancels: the value cannot change
            for k in tested:
                value[k] = 0.0
        for k, (name, is_head, why, _) in enumerate(rows):
            out.append(
                _verdict(
                    rule, name, is_head, _pp(opt(value[k])),
                    (_pp(opt(lo[k])), _pp(opt(hi[k]))), _pp(opt(bound[k])), threshold, why,
                    opt(padj[k]), rules.require_significance, alpha,
                    None if terms else "the same answers at both sides", signs[-1][0],
                )
            )  # fmt: skip
    return out


def _side(sides: tuple[GapStats | None, GapStats], side: int) -> GapStats:
    stats = sides[side]
    assert stats is not None  # a change is tested only where the baseline has the target
    return stats


def _too_few(
    sides: tuple[GapStats | None, GapStats], rule: str, min_n: int, signs: Signs
) -> str | None:
    """Why a rule cannot be judged for a target: each group it uses (now or at the
    baseline) with fewer than ``min_n`` valid answers, and how many it has."""
    short = []
    for side, group in rule_groups(rule, signs):
        stats = sides[side]
        n = stats.groups[group].n if stats is not None else None
        if n is not None and n < min_n:
            when = "now" if side == 1 else "at the baseline"
            short.append(f"{group} {when} have {n or 'none'}")
    if not short:
        return None
    return f"fewer than {min_n} valid answers (min_n): {'; '.join(short)}"
