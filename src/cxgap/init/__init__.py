"""``cxgap init``: propose how the items of existing exports pair across the groups' files,
and write the ``cxgap.toml`` that says so (see :func:`propose_pairs`)."""

from cxgap.init.model import ExportColumn, LeftOut, Member, PairProposal, ProposedPair
from cxgap.init.propose import DEFAULT_THRESHOLD, propose_pairs
from cxgap.init.toml_out import config_text

__all__ = [
    "DEFAULT_THRESHOLD",
    "ExportColumn",
    "LeftOut",
    "Member",
    "PairProposal",
    "ProposedPair",
    "config_text",
    "propose_pairs",
]
