"""Rewrite the golden outputs of the sample analysis (run from the project root).

Run after a deliberate change to an output format, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

from cxgap import analyze
from cxgap.config import load_config
from cxgap.render import render

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SUFFIX = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md"}


def sample_result():  # type: ignore[no-untyped-def]
    os.chdir(ROOT)
    cfg = load_config(Path("data/sample/cxgap.toml"))
    return analyze(Path("data/sample/leaders.csv"), Path("data/sample/customers.csv"), cfg)


def main() -> None:
    result = sample_result()
    GOLDEN.mkdir(exist_ok=True)
    for fmt, suffix in SUFFIX.items():
        (GOLDEN / f"sample.{suffix}").write_text(render(result, fmt), encoding="utf-8")


if __name__ == "__main__":
    main()
