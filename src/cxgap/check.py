"""``check``: rules evaluated on the current wave (and a baseline), for CI gates.

Each rule gives, per target (headline and/or items), one of:

* ``pass``: the value does not exceed the threshold;
* ``fail``: it does, and (with ``require_significance``) significantly so after
  Holm adjustment across the rule's targets;
* ``warn``: it does, but within noise;
* ``inconclusive``: a group has fewer than ``min_n`` valid answers.

Significance of a breach is one-sided: H0 "value <= threshold". Its p-value
inverts the rule's (asymmetric) score interval: the standard error is read
off the interval on the side facing the threshold.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from pydantic import ValidationError

from cxgap._version import __version__
from cxgap.analysis import analyze
from cxgap.config import CheckRules, Config
from cxgap.errors import InputError, UsageError
from cxgap.io.source import Source
from cxgap.model import (
    AnalysisResult,
    BaselineInfo,
    Change,
    CheckResult,
    GapStats,
    Interval,
    Rule,
    Verdict,
)
from cxgap.stats import holm
from cxgap.stats._normal import z_for_confidence
from cxgap.trend import analyze_waves, compare_results


def load_baseline_report(path: str | Path) -> AnalysisResult:
    """A previous report: ``cxgap analyze --format json`` or ``cxgap check --format json``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("baseline report not found", file=path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"baseline is not a JSON report: {exc}", file=path) from None
    if isinstance(data, dict) and data.get("kind") == "check":
        data = data.get("current")
    try:
        return AnalysisResult.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"baseline is not a cxgap report (schema_version 1): {where}: {first['msg']}",
            file=path,
        ) from None


def check(
    leaders: Source,
    customers: Source,
    config: Config | None = None,
    *,
    baseline: str | Path | AnalysisResult | None = None,
    baseline_wave: str | None = None,
    wave: str | None = None,
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
    try:
        analyses = analyze_waves(leaders, customers, cfg)
    except InputError as exc:
        if not str(exc.message).startswith("no waves"):
            raise
        if baseline_wave is not None or wave is not None:
            raise UsageError(f"--wave/--baseline-wave given, but {exc.message}") from None
        current = analyze(leaders, customers, cfg)
    else:
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
        warnings += analyses.warnings

    needs_base = rules.max_drop_pp is not None or rules.max_gap_widening_pp is not None
    if needs_base and base is None:
        raise UsageError(
            "max_drop_pp and max_gap_widening_pp compare with a baseline: give "
            "--baseline REPORT.json or --baseline-wave WAVE, or data with two or more waves"
        )
    if all(v is None for v in (rules.max_gap_pp, rules.max_drop_pp, rules.max_gap_widening_pp)):
        raise UsageError(
            "no rules to check: set max_gap_pp, max_drop_pp or max_gap_widening_pp "
            "([check] in cxgap.toml or the matching flags)"
        )
    alpha = rules.alpha if rules.alpha is not None else cfg.alpha
    targets = _targets(current, rules)
    changes = compare_results(base, current, cfg) if base is not None else {}
    verdicts = _evaluate(current, base, changes, targets, rules, cfg.confidence, alpha)
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
    waves = result.customers.waves
    return waves[0] if len(waves) == 1 else None


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
        raise UsageError(f"check scope names unknown item(s): {', '.join(unknown)}")
    return [(n, by_name[n], False) for n in rules.scope]


def _evaluate(
    current: AnalysisResult,
    base: AnalysisResult | None,
    changes: dict[str, list[Change]],
    targets: list[tuple[str, GapStats, bool]],
    rules: CheckRules,
    confidence: float,
    alpha: float,
) -> list[Verdict]:
    z = z_for_confidence(confidence)
    base_items = {i.item: i for i in base.items} if base is not None else {}
    out: list[Verdict] = []
    configured: list[tuple[Rule, float | None]] = [
        ("max_gap_pp", rules.max_gap_pp),
        ("max_drop_pp", rules.max_drop_pp),
        ("max_gap_widening_pp", rules.max_gap_widening_pp),
    ]
    for rule, threshold in configured:
        if threshold is None:
            continue
        rows = []
        for name, stats, is_head in targets:
            key = "" if is_head else name
            prior = (base.headline if is_head else base_items.get(name)) if base else None
            value, ci = _value(rule, stats, changes.get(key, []))
            small = _too_small(stats, prior if rule != "max_gap_pp" else None, rules.min_n)
            rows.append((name, is_head, value, ci, small, prior is None and rule != "max_gap_pp"))
        pvals = [
            _breach_p(v, ci, threshold, z)
            if v is not None and v > threshold and not small
            else math.nan
            for _, _, v, ci, small, _ in rows
        ]
        adjusted = holm(pvals)
        for k, (name, is_head, value, ci, small, no_prior) in enumerate(rows):
            p = adjusted[k]
            out.append(
                _verdict(
                    rule, name, is_head, value, ci, threshold, small, no_prior,
                    None if math.isnan(p) else float(p), rules.require_significance, alpha,
                )
            )  # fmt: skip
    return out


def _value(rule: str, stats: GapStats, changes: list[Change]) -> tuple[float | None, Interval]:
    """The rule's value and interval in pp; larger is worse for every rule."""
    if rule == "max_gap_pp":
        return _pp(stats.gap), (_pp(stats.gap_ci[0]), _pp(stats.gap_ci[1]))
    measure = "customers_share" if rule == "max_drop_pp" else "gap"
    change = next((c for c in changes if c.measure == measure), None)
    if change is None or change.change is None:
        return None, (None, None)
    if rule == "max_drop_pp":  # a drop is a negative change
        return -change.change * 100, (_neg(change.ci[1]), _neg(change.ci[0]))
    return change.change * 100, (_pp(change.ci[0]), _pp(change.ci[1]))


def _exceeds(value: float | None, threshold: float) -> bool:
    """Strictly above the threshold; exactly at it passes (up to float rounding)."""
    return value is not None and value - threshold > 1e-9


def _pp(x: float | None) -> float | None:
    return None if x is None else x * 100


def _neg(x: float | None) -> float | None:
    return None if x is None else -x * 100


def _too_small(stats: GapStats, prior: GapStats | None, min_n: int) -> bool:
    groups = [stats.leaders, stats.customers]
    if prior is not None:
        groups += [prior.leaders, prior.customers]
    return any(g.n < min_n for g in groups)


def _breach_p(value: float, ci: Interval, threshold: float, z: float) -> float:
    """One-sided p of H0 value <= threshold, from the interval's lower side."""
    lo = ci[0]
    if lo is None:
        return math.nan
    se = (value - lo) / z
    if se <= 0:
        return 0.0
    return 0.5 * math.erfc((value - threshold) / se / math.sqrt(2.0))


def _verdict(
    rule: Rule,
    name: str,
    is_head: bool,
    value: float | None,
    ci: Interval,
    threshold: float,
    small: bool,
    no_prior: bool,
    p: float | None,
    require_significance: bool,
    alpha: float,
) -> Verdict:
    what = {"max_gap_pp": "gap", "max_drop_pp": "drop in customers' agreement",
            "max_gap_widening_pp": "gap widening"}[rule]  # fmt: skip
    label = "headline" if is_head else f"item {name}"
    shown = "n/a" if value is None else f"{value:.1f} pp"
    limit = f"{threshold:g} pp"
    if no_prior:
        status, msg = "inconclusive", f"{label}: not in the baseline"
    elif small:
        status, msg = "inconclusive", f"{label}: a group has fewer than the minimum answers"
    elif value is None:
        status, msg = "inconclusive", f"{label}: {what} undefined (no valid answers)"
    elif not _exceeds(value, threshold):
        status, msg = "pass", f"{label}: {what} {shown} within {limit}"
    elif not require_significance or (p is not None and p < alpha):
        status = "fail"
        msg = f"{label}: {what} {shown} exceeds {limit}"
        if require_significance:
            msg += f" (significant, adjusted p = {p:.3g})"
    else:
        status = "warn"
        msg = f"{label}: {what} {shown} exceeds {limit} but within noise"
        msg += f" (adjusted p = {p:.3g})" if p is not None else ""
    return Verdict(
        rule=rule,
        item=name,
        target="headline" if is_head else "item",
        status=status,
        value_pp=value,
        threshold_pp=threshold,
        ci_pp=ci,
        p_breach=p,
        message=msg,
    )
