"""Write the bundled sample: leaders', frontline staff's and customers' exports on one item bank.

Seeded, so the files are the same on every machine. The item bank follows the
dimensions of customer-experience failure (ambition, basics, listening,
frontline, technology, channels, promise, ownership, top-level support) plus
the headline item ``overall_strong_cx``. Leader items are self-assessments
("we deliver ..."); customer items ask about the experience itself; frontline
staff answer the leaders' wording as they see it.

A second customers' file holds the previous quarter (2026Q2), in which customers
agreed more that their problems get solved: the CI gate example catches that drop.

The frontline staff (``frontline.csv``, 2026Q3 only) answer the same items. Their
agree shares sit between the leaders' and the customers' in the files, about halfway
on most items; on some the message is lost between leaders and frontline (the
frontline agrees little more than customers: the ambition, listening, empowerment),
on others the experience breaks between frontline and customers (the frontline
agrees almost as much as leaders: problems solved, a person reachable, one
experience across channels). The frontline rows are drawn with their own seeded
generator, after the other files, so those stay byte for byte what they were before
the frontline came.

Leaders and frontline staff answer with numeric codes 1-5 and skip a few questions
(blanks); they carry a function (leaders) or a role and a site (frontline).
Customers' export carries text labels ("Strongly agree" ...), non-answers
("Don't know", "N/A", blanks), and columns that are not items (channel, region,
a free-text comment).

Every file also has an NPS item, ``recommend`` (0-10): customers say how likely they are
to recommend the company, leaders and frontline staff how likely they think customers
would be (a prediction). The customers' files carry a ``weight`` column: the sample has
about as many customers in each region, the customer base has not (North 35%, South 30%,
East 20%, West 15%), so each customer is weighted by their region's population share
over its sample share, times a little noise (as raking to several margins leaves), with
mean 1. These columns come from a generator of their own, drawn after the other files,
so the other columns stay what they were.

Every file also carries a ``branch`` (the per-unit view: ``unit_column``), from a third
generator of its own, after the wave column: four branches of a quarter of each file's
rows. In Derby the leaders are the most confident (the quarter of the leaders who agree
most, give or take) and the customers the least satisfied (the quarter who agree least,
give or take); the other rows are spread over the other three branches at random.

Usage: python examples/generate_sample.py data/sample
"""

from __future__ import annotations

import sys
from pathlib import Path
from statistics import NormalDist

import numpy as np
import polars as pl

SEED = 20261125
#: The frontline's own generator: its draws never shift the other files' draws.
FRONTLINE_SEED = 20261126
N_LEADERS = 120
N_FRONTLINE = 400
N_CUSTOMERS = 5000
#: The weights' and NPS items' own generator (see the module's docstring).
EXTRA_SEED = 20261127
#: The customer base's regions (the sample draws them evenly).
REGION_SHARES = {"North": 0.35, "South": 0.30, "East": 0.20, "West": 0.15}
#: Shares answering 0-6, 7-8 and 9-10 on ``recommend``, per file: NPS about -20
#: (customers), -12 (customers, the quarter before), +40 (leaders' prediction) and +15
#: (frontline staff's prediction).
NPS_BANDS = {
    "customers": (0.48, 0.24, 0.28),
    "customers_2026Q2": (0.42, 0.28, 0.30),
    "leaders": (0.15, 0.30, 0.55),
    "frontline": (0.30, 0.25, 0.45),
}
#: The branches' own generator (see the module's docstring), the branches, and the one
#: whose leaders are the most confident and customers the least satisfied.
UNIT_SEED = 20261128
BRANCHES = ("Aberdeen", "Bristol", "Cardiff", "Derby")
TILTED = "Derby"
RECOMMEND = "recommend"
RECOMMEND_WORDING = "Likely to recommend us (0-10)"

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

#: item -> where the frontline staff's agree share sits, as the way from the customers'
#: share (0) to the leaders' (1), both as drawn in leaders.csv and customers.csv.
FRONTLINE_WAY: dict[str, float] = {
    "ambition_clear": 0.12,  # lost: the ambition never reached the frontline
    "basics_correct_info": 0.55,
    "basics_promises_kept": 0.45,
    "basics_problems_solved": 0.85,  # breaks: staff think problems get solved
    "listening_changes": 0.15,  # lost: staff see feedback change nothing
    "frontline_empowered": 0.20,  # lost: staff do not feel the room to act
    "frontline_warmth": 0.50,  # customers agree more than leaders; frontline between
    "tech_human_reachable": 0.85,  # breaks: staff are there, customers do not reach them
    "channels_consistent": 0.80,  # breaks: each channel thinks it does fine
    "promise_delivery": 0.50,
    "ownership_problem": 0.45,
    "top_support": 0.50,
    "overall_strong_cx": 0.45,
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


#: Frontline roles (with their share of staff) and sites.
ROLES = {"Store": 0.5, "Contact centre": 0.35, "Field": 0.15}
SITES = ["Leeds", "Bristol", "Glasgow", "Cardiff", "Norwich", "Online"]


def _agree_share(answers: pl.Series, agree: set[str], missing: set[str]) -> float:
    given = [a for a in answers.to_list() if a not in missing]
    return sum(a in agree for a in given) / len(given)


def _exact_codes(rng: np.random.Generator, n: int, agree: float) -> np.ndarray:
    """Codes 1..5 in random order whose top-2-box share is ``agree`` (rounded to 1/n),
    split within disagree and agree as in ``_probabilities``."""
    n_agree = round(agree * n)
    counts: list[int] = []
    for ratios, total in (((0.2, 0.35, 0.45), n - n_agree), ((0.6, 0.4), n_agree)):
        split = [int(r * total) for r in ratios]
        split[0] += total - sum(split)
        counts += split
    return rng.permutation(np.repeat(np.arange(1, 6), counts))


def frontline_frame(
    rng: np.random.Generator, leaders: pl.DataFrame, customers: pl.DataFrame
) -> pl.DataFrame:
    """Frontline staff: numeric codes 1-5 like leaders, a role and a site, a few blanks.

    Each item's agree share is placed ``FRONTLINE_WAY`` of the way from the customers'
    share to the leaders' share as drawn (not as aimed at in ``ITEM_BANK``), and drawn
    exactly, so it sits between the two in the files.
    """
    cols: dict[str, object] = {
        "respondent_id": [f"F{i:04d}" for i in range(1, N_FRONTLINE + 1)],
        "wave": [leaders["wave"][0]] * N_FRONTLINE,
        "role": rng.choice(list(ROLES), N_FRONTLINE, p=list(ROLES.values())),
        "site": rng.choice(SITES, N_FRONTLINE),
    }
    for item in ITEM_BANK:
        lead = _agree_share(leaders[item], {"4", "5"}, {""})
        cust = _agree_share(customers[item], set(LABELS[3:]), {"", "Don't know", "N/A"})
        codes = np.full(N_FRONTLINE, "", dtype=object)
        answered = rng.random(N_FRONTLINE) >= 0.02  # a few skipped questions
        share = cust + FRONTLINE_WAY[item] * (lead - cust)
        codes[answered] = _exact_codes(rng, int(answered.sum()), share).astype(str)
        cols[item] = codes
    return pl.DataFrame(cols)


def recommend(rng: np.random.Generator, n: int, bands: tuple[float, float, float]) -> np.ndarray:
    """0-10 answers with the given shares of detractors (0-6), passives and promoters, and
    3% blanks."""
    band = rng.choice(3, size=n, p=list(bands))
    low = rng.choice(7, size=n, p=[0.05, 0.05, 0.1, 0.15, 0.2, 0.2, 0.25])
    answer = np.where(band == 0, low, np.where(band == 1, 7 + rng.integers(0, 2, n),
                                               9 + rng.integers(0, 2, n)))  # fmt: skip
    text = answer.astype(str).astype(object)
    text[rng.random(n) < 0.03] = ""
    return text


def weights(rng: np.random.Generator, regions: pl.Series) -> np.ndarray:
    """Each customer's weight: the region's population share over its sample share, times
    log-normal noise, scaled to mean 1 (4 decimals)."""
    found = regions.value_counts()
    sample = {r: n / len(regions) for r, n in found.iter_rows()}
    base = np.array([REGION_SHARES[r] / sample[r] for r in regions.to_list()])
    raw = base * rng.lognormal(0.0, 0.2, len(regions))
    return np.round(raw / raw.mean(), 4)


def with_extras(rng: np.random.Generator, frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """The file with its ``recommend`` item (before a last comment column) and, for the
    customers, its weights (after region)."""
    answers = pl.Series(RECOMMEND, recommend(rng, frame.height, NPS_BANDS[name]), pl.String)
    at = frame.width - 1 if frame.columns[-1] == "comment" else frame.width
    frame = frame.insert_column(at, answers)
    if "region" in frame.columns:
        w = pl.Series("weight", weights(rng, frame["region"]), pl.Float64)
        frame = frame.insert_column(frame.columns.index("region") + 1, w)
    return frame


def branches(rng: np.random.Generator, frame: pl.DataFrame, confident: bool) -> np.ndarray:
    """Each row's branch: a quarter of the rows in each. The quarter that agree most (with
    ``confident``; else least) over the 1-5 items, give or take some noise, are in
    :data:`TILTED`; the others are dealt to the other branches at random."""
    items = [c for c in ITEM_BANK if c in frame.columns]
    codes = frame.select(
        pl.col(c).cast(pl.String).replace_strict(
            {**{str(k): k for k in range(1, 6)}, **{t: k + 1 for k, t in enumerate(LABELS)}},
            default=None, return_dtype=pl.Float64,
        ) for c in items
    ).to_numpy()  # fmt: skip
    score = np.nanmean(np.where(np.isnan(codes), np.nan, codes), axis=1)
    score = np.nan_to_num(score, nan=3.0) + rng.normal(0.0, 0.5, frame.height)
    order = np.argsort(-score if confident else score, kind="stable")
    quarter = frame.height // len(BRANCHES)
    out = np.empty(frame.height, dtype=object)
    out[order[:quarter]] = TILTED
    rest = order[quarter:]
    others = [b for b in BRANCHES if b != TILTED]
    dealt = np.resize(np.array(others, dtype=object), len(rest))
    out[rest] = rng.permutation(dealt)
    return out


def with_branch(rng: np.random.Generator, frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """The file with its ``branch`` column after the wave column (see :func:`branches`)."""
    found = pl.Series("branch", branches(rng, frame, not name.startswith("customers")), pl.String)
    return frame.insert_column(frame.columns.index("wave") + 1, found)


def config_toml() -> str:
    lines = [
        "# cxgap settings for the bundled sample (see README: Configuration).",
        'headline_item = "overall_strong_cx"',
        'agree = "top2"',
        "confidence = 0.95",
        'adjust = "holm"',
        "min_gap_pp = 5",
        'exclude_columns = ["comment", "function", "channel", "region", "role", "site"]',
        f'nps_items = ["{RECOMMEND}"]',
        "min_cell_n = 20",
        "# The per-unit view: each branch's leaders against its own customers.",
        'unit_column = "branch"',
        "",
        "# The CI gate (cxgap check): the 2026Q3 drop breaches max_drop_pp on one item.",
        "[check]",
        "max_gap_pp = 60",
        "max_drop_pp = 5",
        "max_gap_widening_pp = 10",
        "max_nps_drop = 5",
        "min_n = 30",
        'scope = "all"',
        "",
    ]
    for item, (wording, _, _) in ITEM_BANK.items():
        lines += [f"[items.{item}]", f'label = "{wording}"', ""]
    # leaders and frontline staff answer what they think customers would say
    lines += [f"[items.{RECOMMEND}]", f'label = "{RECOMMEND_WORDING}"', 'scale = "0-10"', ""]
    return "\n".join(lines)


def main(folder: Path) -> None:
    rng = np.random.default_rng(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    leaders, customers = leaders_frame(rng), customers_frame(rng)
    previous = customers_frame(rng, PREVIOUS_WAVE, PREVIOUS_SHARES, first_id=N_CUSTOMERS + 1)
    leaders_before = leaders_frame(rng, PREVIOUS_WAVE, N_LEADERS + 1)
    frontline = frontline_frame(np.random.default_rng(FRONTLINE_SEED), leaders, customers)
    extra = np.random.default_rng(EXTRA_SEED)
    units = np.random.default_rng(UNIT_SEED)
    files = {
        "leaders": (leaders, "leaders"),
        "customers": (customers, "customers"),
        f"customers_{PREVIOUS_WAVE}": (previous, f"customers_{PREVIOUS_WAVE}"),
        f"leaders_{PREVIOUS_WAVE}": (leaders_before, "leaders"),
        "frontline": (frontline, "frontline"),
    }
    for name, (frame, bands) in files.items():
        with_branch(units, with_extras(extra, frame, bands), bands).write_csv(
            folder / f"{name}.csv"
        )
    (folder / "cxgap.toml").write_text(config_toml(), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data/sample"))
