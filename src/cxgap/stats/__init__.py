"""Statistical kernels over counts: arrays of counts in, arrays of results out.

Each function names its method and cites its reference. Nothing here reads
rows, files or config; nothing here imports scipy (the normal distribution
comes from the standard library), so the CLI starts fast.
"""

from cxgap.stats.effects import cohens_h, share_ratio
from cxgap.stats.multiplicity import adjust_pvalues, benjamini_hochberg, holm, holm_factors
from cxgap.stats.proportions import newcombe_interval, wilson_interval
from cxgap.stats.tests import (
    fisher_exact_2x2,
    mann_whitney_from_counts,
    needs_exact_test,
    score_test_2prop,
)

__all__ = [
    "adjust_pvalues",
    "benjamini_hochberg",
    "cohens_h",
    "fisher_exact_2x2",
    "holm",
    "holm_factors",
    "mann_whitney_from_counts",
    "needs_exact_test",
    "newcombe_interval",
    "score_test_2prop",
    "share_ratio",
    "wilson_interval",
]
