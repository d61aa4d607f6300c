"""Agree rules at their edges, and the composite headline's item set."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import Writer
from typer.testing import CliRunner

from cxgap import Config, analyze
from cxgap.cli import app
from cxgap.errors import ConfigError
from cxgap.scales import AgreeRule, parse_scale

runner = CliRunner()


def test_top_k_that_covers_the_whole_scale_is_an_error_naming_item_and_scale(
    table: Writer,
) -> None:
    # Before: top9 on a 7-point scale was clamped to top-6 and still labelled top-9-box.
    leaders = table("l.csv", {"q": ["7", "6", "1"]})
    customers = table("c.csv", {"q": ["7", "2", "1"]})
    with pytest.raises(ConfigError, match=r"top-9-box.*item 'q' on the 1-7 scale"):
        analyze(leaders, customers, Config(scale="1-7", agree="top9"))
    with pytest.raises(ConfigError, match="top-k needs k < 7"):
        analyze(leaders, customers, Config(scale="1-7", agree="top7"))
    assert (
        analyze(leaders, customers, Config(scale="1-7", agree="top6"))
        .items[0]
        .groups["leaders"]
        .agree
        == 2
    )
    out = runner.invoke(app, ["analyze", str(leaders), str(customers), "--scale", "1-7",
                              "--agree", "top9"])  # fmt: skip
    assert out.exit_code == 2 and "'q'" in out.output and "1-7" in out.output


def test_at_least_rule_applies_to_scale_items_and_yes_no_agree_on_yes(table: Writer) -> None:
    # Before: '>=4' with a yes/no item stopped the whole run.
    leaders = table("l.csv", {"q": ["5", "4", "3", "1"], "yn": ["Yes", "Yes", "No", "Yes"]})
    customers = table("c.csv", {"q": ["5", "2", "1", "1"], "yn": ["No", "No", "Yes", "No"]})
    result = analyze(leaders, customers, Config(agree=">=4"))
    q = next(i for i in result.items if i.item == "q")
    yn = next(i for i in result.items if i.item == "yn")
    assert (q.groups["leaders"].agree, q.groups["customers"].agree) == (2, 1)
    assert yn.scale.name == "yes-no" and yn.scale.agree_from == 2
    assert (yn.groups["leaders"].agree, yn.groups["customers"].agree) == (3, 1)


def test_at_least_rule_outside_a_scale_names_the_item(table: Writer) -> None:
    leaders = table("l.csv", {"q": ["5", "4", "1"]})
    with pytest.raises(ConfigError, match=r"'>=6' does not fit item 'q' on the 1-5 scale"):
        analyze(leaders, leaders, Config(agree=">=6"))


def test_two_point_scales_agree_on_the_top_code() -> None:
    yes_no = parse_scale("yes-no")
    for spec in ("top-box", "top2", "top9", ">=2", ">=4"):
        assert AgreeRule.parse(spec).threshold(yes_no) == 2


def test_composite_compares_the_same_items_in_both_groups(table: Writer) -> None:
    # Leaders never answered b. Before: leaders' composite ran over a and c only and
    # customers' over a, b and c. Now b is left out of both, with a warning.
    leaders = table("l.csv", {"a": ["5", "4", "1"], "b": ["", "N/A", ""], "c": ["1", "1", "1"]})
    customers = table("c.csv", {"a": ["5", "4", "1"], "b": ["1", "1", "1"], "c": ["1", "1", "1"]})
    result = analyze(leaders, customers)
    h = result.headline
    assert h.source == "composite"
    assert (h.groups["leaders"].n, h.groups["leaders"].agree) == (3, 2)  # agree on 1 of a, c: half
    assert (h.groups["customers"].n, h.groups["customers"].agree) == (
        3,
        2,
    )  # with b: 1 of 3, none would agree
    assert "2 items" in h.text
    assert h.primary.gap == 0
    assert any("never answered" in w and "b (leaders)" in w for w in result.warnings)


def test_zero_padded_codes_keep_their_composite(table: Writer) -> None:
    # "01".."05" read as integers came back as "1".."5": the composite's votes, decided
    # on the answers as written, then matched nothing and every respondent was missing.
    import random

    rng = random.Random(0)
    answers = {f"{g}{q}": [rng.randint(1, 5) for _ in range(200)] for g in "lc" for q in (1, 2)}

    def write(name: str, group: str, pad: str) -> Path:
        return table(name, {f"Q{q}": [f"{pad}{v}" for v in answers[f"{group}{q}"]] for q in (1, 2)})

    padded = analyze(write("l.csv", "l", "0"), write("c.csv", "c", "0"), Config())
    plain = analyze(write("l2.csv", "l", ""), write("c2.csv", "c", ""), Config())
    assert "No valid answers" not in padded.headline.text
    assert padded.headline.text == plain.headline.text
