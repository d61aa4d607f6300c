"""Reading version-1 reports: ``check --baseline`` accepts a report written before groups
were data (two groups, ``leaders`` and ``customers`` fields) as a version-2 one."""

from __future__ import annotations

from typing import Any

#: Version 1's two groups, in order; its one comparison is leaders minus customers.
V1_GROUPS = ("leaders", "customers")
#: A version-1 statistic's fields that moved into its comparison.
COMPARISON_FIELDS = (
    "gap", "gap_ci", "ratio", "p_value", "p_adjusted", "test", "mwu_p", "cohens_h",
    "significant", "flag",
)  # fmt: skip


def upgrade_analysis(data: Any) -> Any:
    """A version-1 analysis report as version 2 (anything else unchanged: the model's
    validation then says what is wrong with it)."""
    if not isinstance(data, dict) or data.get("schema_version") != 1:
        return data
    try:
        out = {k: v for k, v in data.items() if k not in (*V1_GROUPS, "findings", "excluded")}
        out["schema_version"] = 2
        out["groups"] = [{"name": g, "label": g, **data[g]} for g in V1_GROUPS]
        out["comparisons"] = [dict(zip("ab", V1_GROUPS, strict=True))]
        out["headline"] = _stats(data["headline"])
        out["items"] = [_stats(i) for i in data["items"]]
        findings = data["findings"]
        out["findings"] = {
            "rule": findings["rule"],
            "comparisons": [
                {
                    **dict(zip("ab", V1_GROUPS, strict=True)),
                    "blind_spots": findings["blind_spots"],
                    "hidden_strengths": findings["hidden_strengths"],
                }
            ],
        }
        excluded = data["excluded"]
        out["excluded"] = {
            "only_in": {g: excluded[f"only_in_{g}"] for g in V1_GROUPS},
            "not_items": excluded["not_items"],
        }
    except (KeyError, TypeError, AttributeError):
        return data
    return out


def _stats(stat: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in stat.items() if k not in (*V1_GROUPS, *COMPARISON_FIELDS)}
    comparison = {k: stat[k] for k in COMPARISON_FIELDS if k in stat}
    return {
        **rest,
        "groups": {g: stat[g] for g in V1_GROUPS},
        "comparisons": [{**dict(zip("ab", V1_GROUPS, strict=True)), **comparison}],
    }
