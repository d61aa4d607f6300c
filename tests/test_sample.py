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
    leaders = analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", config)
    frontline = analyze(SAMPLE / "frontline.csv", SAMPLE / "customers.csv", config)
    # role and site are told apart as no items: the frontline answers the same bank
    front = {i.item: i for i in frontline.items}
    assert sorted(front) == sorted(i.item for i in leaders.items)
    assert len(front) == 13
    assert 380 <= frontline.headline.leaders.n <= 400
    ways = {}
    for lead in leaders.items:
        ls, fs, cs = lead.leaders.share, front[lead.item].leaders.share, lead.customers.share
        assert ls is not None and fs is not None and cs is not None
        assert min(ls, cs) <= fs <= max(ls, cs), lead.item
        ways[lead.item] = (fs - cs) / (ls - cs)
    # the message lost between leaders and frontline; the experience breaking after it
    assert all(ways[i] < 0.25 for i in ("ambition_clear", "listening_changes"))
    assert all(ways[i] > 0.75 for i in ("basics_problems_solved", "tech_human_reachable"))
