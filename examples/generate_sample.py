"""Write the bundled sample: a leaders' export and a customers' export on one item bank.

Seeded, so the files are the same on every machine. The item bank follows the
dimensions of customer-experience failure (ambition, basics, listening,
frontline, technology, channels, promise, ownership, top-level support) plus
the headline item ``overall_strong_cx``. Leader items are self-assessments
("we deliver ..."); customer items ask about the experience itself.

A second customers' file holds the previous quarter (2026Q2), in which customers
agreed more that their problems get solved: the CI gate example catches that drop.

Leaders answer with numeric codes 1-5; customers' export carries text labels
("Strongly agree" ...), non-answers ("Don't know", "N/A", blanks), and
columns that are not items (channel, region, a free-text comment).

Usage: python examples/generate_sample.py data/sample
"""

from __future__ import annotations

import sys
from pathlib import Path
from statistics import NormalDist

import numpy as np
import polars as pl

SEED = 20261125
N_LEADERS = 120
N_CUSTOMERS = 5000

#: item -> (wording, leaders' agree share, customers' agree share)
ITEM_BANK: dict[str, tuple[str, float, float]] = {
    "ambition_clear": ("A clear picture of the experience we want to be known for", 0.85, 0.35),
    "basics_correct_info": ("Information given to customers is correct", 0.88, 0.57),
    "basics_promises_kept": ("Promises made to customers are kept", 0.82, 0.38),
    "basics_problems_solved": ("Customers' problems get solved", 0.78, 0.31),
    "listening_changes": ("Customer feedback changes how we work", 0.75, 0.18),
    "frontline_empowered": ("Staff have the skills, information and room to act", 0.70, 0.46),
    "frontline_warmth": ("Staff treat customers with warmth", 0.55, 0.68),
    "tech_human_reachable": ("A person is reachable when automation does not help", 0.72, 0.22),
    "channels_consistent": ("One experience across web, app, store, phone and chat", 0.65, 0.25),
    "promise_delivery": ("What marketing promises is what operations deliver", 0.74, 0.29),
    "ownership_problem": ("One person owns a problem until it is fixed", 0.60, 0.27),
    "top_support": ("Leadership gives customer experience attention and resources", 0.79, 0.74),
    "overall_strong_cx": ("The organisation delivers a strong customer experience", 0.83, 0.245),
}
LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
COMMENTS = ["", "", "", "Slow to reply", "Great staff", "Website keeps failing", "Fine"]


#: How strongly each item drives customers' overall verdict (for derived importance).
DRIVERS = {
    "basics_problems_solved": 0.55,
    "listening_changes": 0.45,
    "frontline_empowered": 0.40,
    "basics_promises_kept": 0.35,
    "tech_human_reachable": 0.30,
    "ownership_problem": 0.25,
    "channels_consistent": 0.20,
    "basics_correct_info": 0.15,
    "promise_delivery": 0.10,
    "frontline_warmth": 0.10,
    "ambition_clear": 0.05,
    "top_support": 0.0,
}


def _probabilities(agree: float) -> list[float]:
    return [(1 - agree) * 0.2, (1 - agree) * 0.35, (1 - agree) * 0.45, agree * 0.6, agree * 0.4]


def _answers(rng: np.random.Generator, n: int, agree: float) -> np.ndarray:
    """Codes 1..5 whose top-2-box share is about ``agree``."""
    return rng.choice(np.arange(1, 6), size=n, p=_probabilities(agree))


def _codes_from_latent(latent: np.ndarray, agree: float) -> np.ndarray:
    """Cut a standard-normal latent into codes 1..5 with the target shares."""
    cuts = np.cumsum(_probabilities(agree))[:-1]
    edges = np.array([NormalDist().inv_cdf(float(c)) for c in cuts])
    return np.searchsorted(edges, latent) + 1


def leaders_frame(
    rng: np.random.Generator, wave: str = "2026Q3", first_id: int = 1
) -> pl.DataFrame:
    cols: dict[str, object] = {
        "respondent_id": [f"L{i:04d}" for i in range(first_id, first_id + N_LEADERS)],
        "wave": [wave] * N_LEADERS,
        "function": rng.choice(["Sales", "Operations", "Marketing", "Service", "IT"], N_LEADERS),
    }
    for item, (_, lead, _) in ITEM_BANK.items():
        codes = _answers(rng, N_LEADERS, lead).astype(str).astype(object)
        codes[rng.random(N_LEADERS) < 0.02] = ""  # a few skipped questions
        cols[item] = codes
    return pl.DataFrame(cols)


#: The previous quarter: customers agreed more on these items (a drop to catch).
PREVIOUS_WAVE = "2026Q2"
PREVIOUS_SHARES = {"basics_problems_solved": 0.42, "overall_strong_cx": 0.26}


def customers_frame(
    rng: np.random.Generator,
    wave: str = "2026Q3",
    shares: dict[str, float] | None = None,
    first_id: int = 1,
) -> pl.DataFrame:
    cols: dict[str, object] = {
        "respondent_id": [f"C{i:05d}" for i in range(first_id, first_id + N_CUSTOMERS)],
        "wave": [wave] * N_CUSTOMERS,
        "channel": rng.choice(["web", "app", "store", "phone", "chat"], N_CUSTOMERS),
        "region": rng.choice(["North", "South", "East", "West"], N_CUSTOMERS),
    }
    labels = np.array(LABELS, dtype=object)
    latent = {item: rng.standard_normal(N_CUSTOMERS) for item in DRIVERS}
    weights = np.array(list(DRIVERS.values()))
    overall = sum(w * latent[i] for i, w in DRIVERS.items()) + rng.standard_normal(N_CUSTOMERS)
    overall = overall / np.sqrt((weights**2).sum() + 1.0)
    for item, (_, _, cust) in ITEM_BANK.items():
        agree = (shares or {}).get(item, cust)
        source = overall if item == "overall_strong_cx" else latent[item]
        text = labels[_codes_from_latent(source, agree) - 1]
        roll = rng.random(N_CUSTOMERS)
        text[roll < 0.03] = "Don't know"
        text[(roll >= 0.03) & (roll < 0.04)] = "N/A"
        text[(roll >= 0.04) & (roll < 0.05)] = ""
        cols[item] = text
    cols["comment"] = rng.choice(COMMENTS, N_CUSTOMERS)
    return pl.DataFrame(cols)


def config_toml() -> str:
    lines = [
        "# cxgap settings for the bundled sample (see README: Configuration).",
        'headline_item = "overall_strong_cx"',
        'agree = "top2"',
        "confidence = 0.95",
        'adjust = "holm"',
        "min_gap_pp = 5",
        'exclude_columns = ["comment", "function", "channel", "region"]',
        "",
        "# The CI gate (cxgap check): the 2026Q3 drop breaches max_drop_pp on one item.",
        "[check]",
        "max_gap_pp = 60",
        "max_drop_pp = 5",
        "max_gap_widening_pp = 10",
        "min_n = 30",
        'scope = "all"',
        "",
    ]
    for item, (wording, _, _) in ITEM_BANK.items():
        lines += [f"[items.{item}]", f'label = "{wording}"', ""]
    return "\n".join(lines)


def main(folder: Path) -> None:
    rng = np.random.default_rng(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    leaders_frame(rng).write_csv(folder / "leaders.csv")
    customers_frame(rng).write_csv(folder / "customers.csv")
    (folder / "cxgap.toml").write_text(config_toml(), encoding="utf-8")
    previous = customers_frame(rng, PREVIOUS_WAVE, PREVIOUS_SHARES, first_id=N_CUSTOMERS + 1)
    previous.write_csv(folder / f"customers_{PREVIOUS_WAVE}.csv")
    leaders_frame(rng, PREVIOUS_WAVE, N_LEADERS + 1).write_csv(
        folder / f"leaders_{PREVIOUS_WAVE}.csv"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data/sample"))
