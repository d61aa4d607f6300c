"""Write the seeded 10-million-row customers export that `make bench` reads.

Twelve 1-5 items plus an id, wave, region and weight column (about 550 MB).
The file is generated in chunks so the generator itself stays small in memory.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
import polars as pl

ITEMS = [
    "ambition_clear",
    "basics_correct_info",
    "basics_promises_kept",
    "listening_changes",
    "frontline_empowered",
    "tech_human_reachable",
    "channels_consistent",
    "promise_delivery",
    "ownership_problem",
    "top_support",
    "frontline_warmth",
    "overall_strong_cx",
]
REGIONS = ["EMEA", "AMER", "APAC", "LATAM"]
CHUNK = 1_000_000


def write(path: Path, rows: int, seed: int = 20261125) -> None:
    rng = np.random.default_rng(seed)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        for start in range(0, rows, CHUNK):
            size = min(CHUNK, rows - start)
            cols: dict[str, object] = {
                "respondent_id": [f"C{i:08d}" for i in range(start, start + size)],
                "wave": ["2026Q3"] * size,
                "region": np.array(REGIONS)[rng.integers(0, len(REGIONS), size)],
                "weight": np.round(rng.lognormal(0.0, 0.3, size), 4),
            }
            for item in ITEMS:
                codes = rng.choice(
                    np.arange(1, 6, dtype=np.int8), size=size, p=[0.2, 0.25, 0.3, 0.15, 0.1]
                )
                cols[item] = codes
            frame = pl.DataFrame(cols)
            frame.write_csv(fh, include_header=start == 0)
    os.replace(tmp, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    args.path.parent.mkdir(parents=True, exist_ok=True)
    write(args.path, args.rows)


if __name__ == "__main__":
    main()
