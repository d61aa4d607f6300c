"""Statistical kernels over counts: counts in, one result per count out.

Each function names its method and cites its reference. Counts come as numbers,
sequences or numpy arrays, and the results follow them (floats, lists, or arrays
computed on the whole arrays at once: :mod:`cxgap.stats._elementwise`). Nothing here
reads rows, files or config, and nothing here imports numpy or scipy (the normal
distribution comes from the standard library), so the CLI starts fast.
"""

from cxgap.stats._elementwise import ArrayLike, Floats
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
    "ArrayLike",
    "Floats",
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
