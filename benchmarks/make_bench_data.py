"""Write the seeded exports that `make bench` reads.

The long one: 10 million rows, twelve 1-5 items plus an id, wave, region and weight
column (about 550 MB), generated in chunks so the generator itself stays small in
memory. ``--labels`` writes the same respondents and answers with the agreement labels
("Strongly disagree" ... "Strongly agree") instead of the codes 1-5. The wide one
(``--wide 1000 --rows 1000``): a SurveyMonkey-style export of a thousand item columns
and a thousand responses. The mixed one (``--mixed 1000 --rows 10000``): a thousand
columns of which 150 are Likert items, the rest what real exports hold besides (ids,
dates, free text, numbers, categories, multi-select option columns).
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


#: The mixed wide export: what a real platform export of many columns holds. Items
#: are a minority; ids, dates, free text, numbers beyond any scale, categories and the
#: option columns of multi-select questions are the rest.
MIXED_METADATA = ["ResponseId", "StartDate", "EndDate", "Status", "IPAddress", "Progress",
                  "Duration (in seconds)", "Finished", "RecordedDate", "UserLanguage"]  # fmt: skip
OPTIONS = ["Email", "Phone", "Chat", "Web form", "Social media", "In person", "Letter",
           "App", "Partner", "Other"]  # fmt: skip
CATEGORIES = [
    ["Germany", "France", "Spain", "Italy", "Poland", "Netherlands", "Sweden", "Brazil",
     "Mexico", "Canada", "Japan", "India", "Australia", "Kenya", "Egypt"],
    ["Finance", "Sales", "Marketing", "Operations", "IT", "HR", "Legal", "Support"],
    ["Free", "Starter", "Business", "Enterprise"],
    ["Desktop", "Laptop", "Tablet", "Phone"],
    ["Monthly", "Quarterly", "Annually"],
]  # fmt: skip
COMMENT = (
    "the service was slow, but the staff were kind and the app kept crashing when I "
    'tried to pay; support said "we will call back" and never did so I would not '
    "recommend it to anyone who needs help quickly"
)
WORDS = COMMENT.split()


def mixed_columns(
    columns: int = 1000, items: int = 150, seed: int = 20261125
) -> list[tuple[str, str]]:
    """The mixed export's columns as (name, kind), in file order: metadata first, then
    questions in a seeded order (Likert grids of five items, multi-select questions of
    ten option columns, free text, dates, numbers, categories), numbered Q1, Q2, ...
    Kinds: meta, item, option, text, date, number, category."""
    rng = np.random.default_rng(seed)
    grids, options = items // 5, (columns - len(MIXED_METADATA) - items) * 2 // 5 // 10
    rest = columns - len(MIXED_METADATA) - grids * 5 - options * 10
    singles = ["text"] * (rest // 15) + ["date"] * (rest // 15) + ["category"] * (rest * 4 // 15)
    singles += ["number"] * (rest - len(singles))
    questions = ["grid"] * grids + ["options"] * options + singles
    order = rng.permutation(len(questions))
    out = [(name, "meta") for name in MIXED_METADATA]
    for q, k in enumerate(order, start=1):
        kind = questions[k]
        if kind == "grid":
            out += [(f"Q{q}_{r}", "item") for r in range(1, 6)]
        elif kind == "options":
            out += [(f"Q{q}_{o}", "option") for o in range(1, 11)]
        else:
            out.append((f"Q{q}_TEXT" if kind == "text" else f"Q{q}", kind))
    return out


def write_mixed(
    path: Path, columns: int = 1000, rows: int = 10_000, items: int = 150, seed: int = 20261125
) -> None:
    """A seeded wide export of ``columns`` columns and ``rows`` responses of which
    ``items`` columns (grids of five) are 1-5 Likert items: correlated through one
    latent attitude per respondent, about 6% blank. The other columns are no items:
    Qualtrics-style metadata (ids, dates, IP addresses, durations), option columns of
    multi-select questions (the option's text or 1 when ticked, else blank), free text
    with commas and quotes, dates, numbers beyond any scale (ages, amounts, counts,
    percentages with decimals, years) and categories (countries, departments, ...)."""
    rng = np.random.default_rng(seed + 1)
    attitude = rng.normal(0.0, 1.0, rows)
    sentences = np.array(
        [" ".join(rng.choice(WORDS, size=int(rng.integers(3, 25)))) for _ in range(300)]
    )
    cols: dict[str, pl.Series] = {}

    def put(name: str, values: np.ndarray, blank: float) -> None:
        series = pl.Series(name, values.astype(str))
        cols[name] = series.zip_with(pl.Series(rng.random(rows) >= blank), series.clear(rows))

    seconds = rng.integers(1_782_900_000, 1_790_000_000, rows)
    duration = rng.integers(60, 5_000, rows)
    stamps = {
        "StartDate": seconds,
        "EndDate": seconds + duration,
        "RecordedDate": seconds + duration,
    }
    alnum = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
    ids = np.array(["R_" + "".join(c) for c in alnum[rng.integers(0, 62, (rows, 15))]])
    meta = {
        "ResponseId": ids,
        "Status": np.full(rows, "IP Address"),
        "IPAddress": np.array([".".join(map(str, ip)) for ip in rng.integers(1, 255, (rows, 4))]),
        "Progress": np.where(rng.random(rows) < 0.9, 100, rng.integers(20, 100, rows)),
        "Duration (in seconds)": duration,
        "Finished": np.full(rows, "True"),
        "UserLanguage": np.full(rows, "EN"),
    }
    for name, kind in mixed_columns(columns, items, seed):
        if kind == "meta" and name in stamps:
            put(
                name,
                np.char.replace(stamps[name].astype("datetime64[s]").astype(str), "T", " "),
                0.0,
            )
        elif kind == "meta":
            put(name, meta[name], 0.0)
        elif kind == "item":
            raw = 3.0 + rng.normal(0.0, 0.4) + 0.9 * attitude + rng.normal(0.0, 1.0, rows)
            put(name, np.clip(np.rint(raw), 1, 5).astype(np.int8), 0.06)
        elif kind == "option":
            option = int(name.rsplit("_", 1)[1])
            ticked = "1" if int(name[1:].split("_")[0]) % 2 else OPTIONS[option - 1]
            put(name, np.full(rows, ticked), 1.0 - rng.uniform(0.05, 0.4))
        elif kind == "text":
            put(name, sentences[rng.integers(0, len(sentences), rows)], 0.75)
        elif kind == "date":
            days = rng.integers(18_262, 20_635, rows)  # 2020-01-01 .. 2026-06-30
            put(name, days.astype("datetime64[D]").astype(str), 0.1)
        elif kind == "category":
            values = np.array(CATEGORIES[int(rng.integers(0, len(CATEGORIES)))])
            put(name, values[rng.integers(0, len(values), rows)], 0.05)
        else:
            number = int(rng.integers(0, 5))
            values = [
                rng.integers(18, 91, rows),  # ages
                np.round(rng.lognormal(6.0, 1.2, rows), 2),  # amounts
                rng.integers(0, 5_001, rows),  # counts
                np.round(rng.uniform(0, 100, rows), 1),  # percentages
                rng.integers(1950, 2027, rows),  # years
            ][number]
            put(name, values, 0.05)
    tmp = path.with_suffix(".tmp")
    pl.DataFrame(list(cols.values())).write_csv(tmp)
    os.replace(tmp, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--wide", type=int, default=0, help="write a wide export of N columns")
    parser.add_argument(
        "--labels", action="store_true", help="long export: agreement labels instead of codes"
    )
    parser.add_argument(
        "--mixed", type=int, default=0, help="write a mixed wide export of N columns"
    )
    parser.add_argument("--items", type=int, default=150, help="mixed export: its Likert items")
    args = parser.parse_args()
    args.path.parent.mkdir(parents=True, exist_ok=True)
    if args.mixed:
        write_mixed(args.path, args.mixed, args.rows, args.items)
    elif args.wide:
        write_wide(args.path, args.wide, args.rows)
    else:
        write(args.path, args.rows, labels=args.labels)


if __name__ == "__main__":
    main()
