"""Write the seeded exports that `make bench` reads.

The long one: 10 million rows, twelve 1-5 items plus an id, wave, region and weight
column (about 550 MB), generated in chunks so the generator itself stays small in
memory. ``--labels`` writes the same respondents and answers with the agreement labels
("Strongly disagree" ... "Strongly agree") instead of the codes 1-5. The wide one
(``--wide 1000 --rows 1000``): a SurveyMonkey-style export of a thousand item columns
and a thousand responses.
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
#: The agreement labels of the codes 1-5, for the export of text labels.
LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
CHUNK = 1_000_000


def write(path: Path, rows: int, seed: int = 20261125, *, labels: bool = False) -> None:
    """The long export; with ``labels`` each code is written as its agreement label
    (the same seed draws the same respondents and answers either way)."""
    rng = np.random.default_rng(seed)
    words = np.array(LABELS)
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
                cols[item] = words[codes - 1] if labels else codes
            frame = pl.DataFrame(cols)
            frame.write_csv(fh, include_header=start == 0)
    os.replace(tmp, path)


#: The wide export: SurveyMonkey's layout, metadata then matrix questions of five rows.
SM_METADATA = ["Respondent ID", "Collector ID", "Start Date", "End Date"]


def write_wide(path: Path, columns: int = 1000, rows: int = 1000, seed: int = 20261125) -> None:
    """A seeded SurveyMonkey-style wide export: ``columns`` item columns of codes 1-5
    (about 10% blank), two header rows (row 2 blank under the metadata columns), and
    the all-empty trailing rows the platform writes."""
    import csv

    rng = np.random.default_rng(seed)
    top = [*SM_METADATA] + [f"Question {k // 5 + 1}: how much do you agree?" if k % 5 == 0
                            else "" for k in range(columns)]  # fmt: skip
    sub = [""] * len(SM_METADATA) + [f"Statement {k % 5 + 1}" for k in range(columns)]
    codes = rng.integers(1, 6, size=(rows, columns)).astype(str)
    codes[rng.random((rows, columns)) < 0.1] = ""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(top)
        writer.writerow(sub)
        for r in range(rows):
            meta = [
                str(10_000_000 + r),
                "400123",
                "07/01/2026 10:00:00 AM",
                "07/01/2026 10:09:00 AM",
            ]
            writer.writerow(meta + codes[r].tolist())
        writer.writerows([[""] * len(top)] * 50)
    os.replace(tmp, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--wide", type=int, default=0, help="write a wide export of N columns")
    parser.add_argument(
        "--labels", action="store_true", help="long export: agreement labels instead of codes"
    )
    args = parser.parse_args()
    args.path.parent.mkdir(parents=True, exist_ok=True)
    if args.wide:
        write_wide(args.path, args.wide, args.rows)
    else:
        write(args.path, args.rows, labels=args.labels)


if __name__ == "__main__":
    main()
