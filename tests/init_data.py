"""Generated export pairs for the ``cxgap init`` tests: the same items with renamed ids,
leader/customer rewordings, shuffled order, a scale-mismatched decoy, a column with no
partner, and hostile column names (seeded; written with the csv module)."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
N = 60

#: Leaders' column -> (customers' column, how the pair should be found). None: no partner.
LEADERS: dict[str, tuple[str | None, str]] = {
    "Q2": ("Q2", "id"),  # the same id
    "Q3_1": ("q3.1", "id"),  # one id written two ways
    # bank items: leaders' self-assessment against customers' wording (company "Acme")
    "We keep the promises we make to customers.": (
        "Acme keeps the promises it makes to me.", "bank"),
    "Our processes are clear to customers.": (
        "It is clear to me how to get things done with Acme.", "bank"),
    # worded leader/customer style, not from the bank
    "Our customers would say the invoices they get are easy to understand": (
        "The invoices I get are easy to understand", "wording"),
    "Staff are friendly and helpful": ("The staff I met were friendly and helpful", "wording"),
    "We publish our delivery times on every product page": (None, "none"),
}  # fmt: skip
#: The customers' decoy: worded as a leaders' question, but on a 0-10 scale.
DECOY = "Staff are friendly and helpful."


def _answers(rng: random.Random, scale: str) -> list[str]:
    if scale == "0-10":
        return [str(rng.randint(0, 10)) for _ in range(N)]
    return [rng.choice(AGREE) for _ in range(N)]


def write_pair(folder: Path, *, hostile: dict[str, str] | None = None) -> tuple[Path, Path]:
    """leaders.csv and customers.csv in ``folder`` (Google Forms style: each column headed
    by its question); ``hostile`` adds {leaders' column: customers' column} pairs."""
    rng = random.Random(15)
    extra = hostile or {}
    lead_cols = ["Timestamp", *LEADERS, *extra, "Any comments?"]
    lead = {c: _answers(rng, "agree") for c in lead_cols}
    lead["Timestamp"] = [f"2026-01-{1 + k % 28:02d} 10:00:00" for k in range(N)]
    lead["Any comments?"] = [f"comment number {k} about things" for k in range(N)]
    partners = [p for p, _ in LEADERS.values() if p is not None] + list(extra.values())
    cust_cols = [*partners, DECOY, "Your postcode"]
    rng.shuffle(cust_cols)
    cust_cols.insert(0, "Timestamp")  # Google Forms' first column
    cust = {c: _answers(rng, "agree") for c in cust_cols}
    cust["Timestamp"] = lead["Timestamp"]
    cust[DECOY] = _answers(rng, "0-10")
    cust["Your postcode"] = [f"AB{k} {k % 9}CD" for k in range(N)]
    paths = folder / "leaders.csv", folder / "customers.csv"
    for path, cols, data in ((paths[0], lead_cols, lead), (paths[1], cust_cols, cust)):
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(cols)
            writer.writerows([data[c][k] for c in cols] for k in range(N))
    return paths


def write_frontline(folder: Path) -> Path:
    """frontline.csv: the frontline wordings of two bank items, one id, one stray."""
    rng = random.Random(16)
    cols = {
        "Q2": "agree",
        "I can keep the promises that Acme makes to customers.": "agree",
        "Our processes are clear enough that I can explain them to customers.": "agree",
        "We decide on our own how to fix a problem": "agree",
        "Shift": "text",
    }
    path = folder / "frontline.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(list(cols))
        rows = [[rng.choice(AGREE) if kind == "agree" else rng.choice(["early", "late"])
                 for kind in cols.values()] for _ in range(N)]  # fmt: skip
        writer.writerows(rows)
    return path


#: Qualtrics exports of one bank survey: the leaders' ids and the customers' ids differ,
#: the texts (row 2) are the bank's prediction and customer wordings; Q9 names another
#: question in each file.
QUALTRICS_ITEMS = ["basics_promises_kept", "ownership_problem", "channels_same_answer"]


def write_qualtrics_pair(folder: Path) -> tuple[Path, Path]:
    from cxgap.bank import load_bank

    bank = load_bank()
    rng = random.Random(17)
    lead = {f"QL{k + 1}": bank.item(i).wording("leaders", "prediction", "Acme")
            for k, i in enumerate(QUALTRICS_ITEMS)}  # fmt: skip
    lead["Q9"] = "How satisfied are you with the delivery speed?"
    cust = {f"C_{k + 7}": bank.item(i).wording("customers", "self", "Acme")
            for k, i in enumerate(reversed(QUALTRICS_ITEMS))}  # fmt: skip
    cust["Q9"] = "How satisfied are you with the prices you pay?"
    paths = folder / "leaders_qualtrics.csv", folder / "customers_qualtrics.csv"
    for path, items in zip(paths, (lead, cust), strict=True):
        write_qualtrics(path, items, rng)
    return paths


def write_qualtrics(path: Path, items: dict[str, str], rng: random.Random) -> Path:
    """A Qualtrics export (three header rows: ids, question texts, import ids) of
    ``items`` (column id -> question text), answered with agreement labels."""
    names = ["StartDate", "ResponseId", *items]
    texts = ["Start Date", "Response ID", *items.values()]
    ids = [json.dumps({"ImportId": f"QID{k}"}) for k in range(len(names))]
    rows = [[f"2026-02-0{1 + k % 9} 09:00:00", f"R_{path.stem}_{k}",
             *(rng.choice(AGREE) for _ in items)] for k in range(N)]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([names, texts, ids, *rows])
    return path
