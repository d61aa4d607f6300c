"""The bundled sample: the generator writes exactly the files in data/sample, and the
frontline staff's agree shares sit between the leaders' and the customers'."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLE

from cxgap import analyze, load_config


def test_generator_writes_the_bundled_sample_byte_for_byte(tmp_path: Path) -> None:
    script = ROOT / "examples" / "generate_sample.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, cwd=ROOT)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in SAMPLE.iterdir())
    assert "frontline.csv" in written
    for name in written:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_frontline_shares_sit_between_leaders_and_customers() -> None:
    config = load_config(SAMPLE / "cxgap.toml")
    three = analyze(
        SAMPLE / "leaders.csv", SAMPLE / "customers.csv", config,
        groups={"frontline": SAMPLE / "frontline.csv"},
    )  # fmt: skip
    # role and site are told apart as no items: the frontline answers the same bank
    assert three.group_names == ["leaders", "frontline", "customers"]
    assert len(three.items) == 14 and not any(three.excluded.only_in.values())
    assert 380 <= three.headline.groups["frontline"].n <= 400
    ways = {}
    for item in three.items:
        ls, fs, cs = (item.groups[g].share for g in ("leaders", "frontline", "customers"))
        assert ls is not None and fs is not None and cs is not None
        assert min(ls, cs) <= fs <= max(ls, cs), item.item
        ways[item.item] = (fs - cs) / (ls - cs)
    # the message lost between leaders and frontline; the experience breaking after it
    assert all(ways[i] < 0.25 for i in ("ambition_clear", "listening_changes"))
    assert all(ways[i] > 0.75 for i in ("basics_problems_solved", "tech_human_reachable"))
