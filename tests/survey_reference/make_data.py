"""Write the weighted test data that tests/survey_reference/reference.R computes R's
``survey`` numbers on (seeded; run from the project root, then run the R script):

    python tests/survey_reference/make_data.py
    Rscript tests/survey_reference/reference.R

Customers: a weight per respondent (log-normal, a few large), region and channel,
three 1-5 items with blanks, an overall item and a 0-10 likelihood-to-recommend item.
Leaders: no weights, the same items.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).resolve().parent
ITEMS = ("basics_correct_info", "ownership_problem", "channels_consistent", "overall_strong_cx")


def customers(n: int = 300) -> pl.DataFrame:
    rng = np.random.default_rng(20261126)
    region = rng.choice(["North", "South", "East", "West"], n, p=[0.4, 0.3, 0.2, 0.1])
    channel = rng.choice(["web", "store", "phone"], n, p=[0.5, 0.3, 0.2])
    weight = np.round(np.exp(rng.normal(0.0, 0.5, n)), 4)
    data: dict[str, object] = {
        "respondent_id": [f"C{i:04d}" for i in range(n)],
        "region": region,
        "channel": channel,
        "weight": weight,
    }
    for k, item in enumerate(ITEMS):
        codes = rng.integers(1, 6, n) + (region == "North") * (k % 2)
        answers = [str(min(c, 5)) for c in codes]
        for i in rng.choice(n, n // 12, replace=False):
            answers[i] = ""
        data[item] = answers
    nps = [str(v) for v in rng.integers(0, 11, n)]
    for i in rng.choice(n, n // 20, replace=False):
        nps[i] = ""
    data["recommend"] = nps
    return pl.DataFrame(data)


def leaders(n: int = 40) -> pl.DataFrame:
    rng = np.random.default_rng(20261127)
    data: dict[str, object] = {"respondent_id": [f"L{i:03d}" for i in range(n)]}
    for item in ITEMS:
        data[item] = [str(v) for v in rng.integers(2, 6, n)]
    data["recommend"] = [str(v) for v in rng.integers(5, 11, n)]
    return pl.DataFrame(data)


def main() -> None:
    blanks = [pl.col(c).replace("", None) for c in (*ITEMS, "recommend")]
    customers().with_columns(blanks).write_csv(HERE / "customers.csv")
    leaders().write_csv(HERE / "leaders.csv")


if __name__ == "__main__":
    main()
