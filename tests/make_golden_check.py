"""Rewrite the golden GitHub annotations and step summary of the sample check."""

from __future__ import annotations

import os
from pathlib import Path

from cxgap.analysis.gate import check
from cxgap.config import load_config
from cxgap.render.check import render_check_markdown, render_github_annotations

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    os.chdir(ROOT)
    config = load_config("data/sample/cxgap.toml")
    customers = "data/sample/customers*.csv"
    result = check("data/sample/leaders*.csv", customers, config)
    golden = ROOT / "tests" / "golden"
    (golden / "check.annotations.txt").write_text(render_github_annotations(result, None))
    (golden / "check.summary.md").write_text(render_check_markdown(result))


if __name__ == "__main__":
    main()
