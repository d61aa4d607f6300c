"""The problems of raking (weighting/rake.py; the column is the rake variable)."""

from __future__ import annotations

from cxgap.errors.base import ConfigError, InputError


class RakeMargins(ConfigError):
    code = "rake-margins"
    title = "Raking margins"
    description = (
        "A margins file or [rake] section that is not valid: no [rake] table, a negative "
        "target, shares not summing to 1, margins whose totals disagree, unknown settings."
    )
    template = "the raking margins are not valid: {reason}"


class RakeNotSegment(ConfigError):
    code = "rake-not-segment"
    title = "Rake variable not counted"
    description = "A rake variable that is not a segment key of the counts table."
    template = (
        "raking needs {name!r} as a segment key of the counts table (its segment keys: "
        "{keys}); add it to segment_columns and count again"
    )


class RakeCategoryMissing(InputError):
    code = "rake-category-missing"
    title = "Target category not in the sample"
    description = "A raking target category without respondents (or whose weights are all 0)."
    template = (
        "the target category {category!r} of {variable!r} {why}{where}; raking cannot "
        "reach its target: merge it with another category in the margins"
    )


class RakeCategoryUntargeted(InputError):
    code = "rake-category-untargeted"
    title = "Sample category without a target"
    description = "Respondents in a category (or a blank) of a rake variable without a target."
    template = (
        "{count} respondent(s){where} are in {category} of {variable!r}, which has "
        "{why}; add it to [rake.margins.{variable}]"
    )


class RakeNotConverged(InputError):
    code = "rake-not-converged"
    title = "Raking did not converge"
    description = "Raking missed the tolerance in max_iterations sweeps; names the worst margin."
    template = (
        "raking did not converge in {sweeps} sweep(s){where}: the furthest margin is "
        "{variable!r} = {category!r}, {achieved} against a target of {target}; "
        "raise max_iterations or tolerance, or merge sparse categories"
    )


class RakeCells(InputError):
    code = "rake-cells"
    title = "Items count different respondents"
    description = "Raking needs every item to count every respondent once (blanks as null)."
    template = (
        "items {item!r} and {other!r} count different respondents in a cell{where}; "
        "expected every respondent once per item (blanks as a null value)"
    )
