"""Data and comparisons shared by the engines' tests: generated survey tables (waves,
segments, weights, text or integer codes) and the check that an engine's counts file is
the local one."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import polars as pl

from cxgap.analysis.build import analyze
from cxgap.config import Config
from cxgap.counts import META_KEY, CountsFile
from cxgap.render.json import render_json

LIKERT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
ITEMS = ["speed", "care", "fair price", "overall"]


def survey_rows(
    seed: int, k: int, *, text: bool, prefix: str, bad: int = 0, headline: bool = True
) -> pl.DataFrame:
    """k respondents: id, wave (three), region and channel, a weight (``bad`` of them
    blank, zero or text), and items answered 1-5 (as labels when ``text``), some blank."""
    rng = random.Random(seed)
    items = ITEMS if headline else ITEMS[:-1]
    rows: dict[str, list[Any]] = {
        "id": [f"{prefix}{n:05d}" for n in range(k)],
        "wave": [rng.choice(["2025Q4", "2026Q1", "2026Q2"]) for _ in range(k)],
        "region": [rng.choice(["North", "South", "East"]) for _ in range(k)],
        "channel": [rng.choice(["web", "store"]) for _ in range(k)],
        "weight": [f"{rng.uniform(0.2, 3.0):.4f}" for _ in range(k)],
    }
    for at, value in zip(rng.sample(range(k), bad), ["", "0", "n/a", "-1.5"] * k, strict=False):
        rows["weight"][at] = value
    for item in items:
        lean = rng.uniform(-1, 1)
        answers: list[Any] = []
        for _ in range(k):
            if rng.random() < 0.05:
                answers.append(None)
                continue
            code = min(5, max(1, round(3 + lean + rng.gauss(0, 1.2))))
            answers.append(LIKERT[code - 1] if text else code)
        rows[item] = answers
    frame = pl.DataFrame(
        rows, schema_overrides=dict.fromkeys(items, pl.String if text else pl.Int64)
    )
    return frame


def grossed_up(seed: int) -> dict[str, pl.DataFrame]:
    """Leaders and customers whose weights gross them up to a customer base: from 40 to
    nine million each, so that a weight, and more so its square, times 10^12 passes
    2^53 (where a double stops holding every integer) and 2^63 (a 64-bit integer)."""
    rng = random.Random(seed)
    groups = {}
    for group, k in (("leaders", 150), ("customers", 500)):
        weights = [f"{10 ** rng.uniform(1.6, 6.95):.3f}" for _ in range(k)]
        rows = survey_rows(seed + k, k, text=False, prefix=group[0])
        groups[group] = rows.with_columns(weight=pl.Series(weights))
    return groups


def write(frame: pl.DataFrame, path: Path) -> Path:
    if path.suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    return path


def _meta(data: bytes) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(pl.read_parquet_metadata(io.BytesIO(data))[META_KEY])
    return found


def same_counts(mine: bytes, local: bytes, *, label: str | None = None) -> None:
    """The counts tables equal row for row and bit for bit, and the metadata but for
    where each group's rows came from (a table, an export)."""
    got, want = pl.read_parquet(io.BytesIO(mine)), pl.read_parquet(io.BytesIO(local))
    assert got.schema == want.schema
    assert got.equals(want), got.join(want, on=got.columns, how="anti")
    a, b = _meta(mine), _meta(local)
    for group in a["groups"].values():
        if label is not None:
            assert group["path"].startswith(label)
    for group in [*a["groups"].values(), *b["groups"].values()]:
        # notes name where the rows came from too
        group["notes"] = [n.replace(group["path"], "(source)") for n in group["notes"]]
        if "weight_notes" in group:
            group["weight_notes"] = [n.replace(group["path"], "(source)")
                                     for n in group["weight_notes"]]  # fmt: skip
        group.pop("path"), group.pop("format"), group.pop("header_rows")
    assert a == b


def _blank_sources(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _blank_sources(v) for k, v in value.items()}
        if "path" in out and "format" in out:
            out["path"] = out["format"] = None
        return out
    if isinstance(value, list):
        return [_blank_sources(v) for v in value]
    return value


def analysis_json(counts: bytes, folder: Path, cfg: Config, *, importance: bool = False) -> str:
    """The JSON analysis of a counts file, the inputs' paths and formats blanked."""
    path = folder / f"counts-{abs(hash(counts))}.parquet"
    path.write_bytes(counts)
    found = CountsFile(path)
    text = render_json(analyze(found, found, cfg, importance=importance))
    return json.dumps(_blank_sources(json.loads(text)), indent=2, sort_keys=True)
