"""Weighting stages over the counts table: raking to population margins."""

from cxgap.weighting.rake import MarginCheck, RakeResult, WaveFit, rake_counts, raked_share

__all__ = ["MarginCheck", "RakeResult", "WaveFit", "rake_counts", "raked_share"]
