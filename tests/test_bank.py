"""The paired item bank (cxgap/bank): the built-in bank is complete and valid, and a
user's bank file is checked the same way, with errors that name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap.bank import Bank, load_bank
from cxgap.errors import ConfigError
from cxgap.scales import parse_scale

THEMES = ["ambition", "basics", "listening", "frontline", "technology", "channels", "promise",
          "ownership", "support", "overall"]  # fmt: skip


def test_the_built_in_bank_covers_every_theme_for_every_group() -> None:
    bank = load_bank()
    assert list(bank.themes) == THEMES
    for name, theme in bank.themes.items():
        mine = [i for i in bank.items if i.theme == name]
        assert len(mine) == (2 if name == "overall" else 4), name
        assert theme.source and theme.summary
    assert [i.id for i in bank.items if i.headline] == ["overall_strong_cx"]
    assert [i.id for i in bank.items if i.nps] == ["recommend"]
    for item in bank.items:
        for audience in ("customers", "leaders", "frontline"):
            for kind in ("self", "prediction"):
                text = item.wording(audience, kind, "Acme")  # type: ignore[arg-type]
                assert text and "{" not in text and "}" not in text
        assert parse_scale(item.scale).codes
        if not item.nps:  # the two kinds of leaders' wording are kept apart
            assert item.leaders_prediction.startswith("Our customers would")
            assert not item.leaders_self.lower().startswith("our customers would")
    assert "Acme" in bank.item("basics_promises_kept").wording("customers", company="Acme")
    assert len({i.customers for i in bank.items}) == len(bank.items)  # no wording twice


def test_themes_pick_items_with_the_headline_and_nps_always_in() -> None:
    bank = load_bank()
    picked = [i.id for i in bank.of_themes(["ownership"])]
    assert picked[:4] == [i.id for i in bank.items if i.theme == "ownership"]
    assert picked[4:] == ["overall_strong_cx", "recommend"]
    with pytest.raises(ConfigError, match="unknown theme"):
        bank.of_themes(["basic"])


GOOD = """
bank_version = 1
language = "en"
[themes.basics]
title = "Basics"
summary = "Promises are kept."
source = "Someone (2000)"
[[items]]
id = "kept"
label = "Promises are kept"
theme = "basics"
customers = "{company} keeps its promises."
leaders_self = "We keep our promises."
leaders_prediction = "Our customers would say we keep our promises."
frontline = "We keep our promises."
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('theme = "basics"', 'theme = "basic"'), "unknown themes: basic"),
        (("{company} keeps", "{firm} keeps"), "unknown placeholder {firm}"),
        (
            ('leaders_self = "We keep', 'leaders_self = "Our customers would say we keep'),
            "worded as a prediction",
        ),
        (
            ('leaders_prediction = "Our customers would say we', 'leaders_prediction = "We'),
            "must say what customers would",
        ),
        (("bank_version = 1", "bank_version = 2"), "bank_version"),
        (('id = "kept"', 'id = "Kept items"'), "items.0.id"),
        (("[[items]]", '[[items]]\nscale = "agreement-9"'), "agreement-9"),
        (("language", "language ="), "not valid TOML"),
    ],
)
def test_a_bank_file_that_is_not_valid_names_the_file_and_the_problem(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "bank.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert isinstance(load_bank(path), Bank)
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_bank(path)
    assert message in str(caught.value) and caught.value.file == str(path)


def test_a_missing_bank_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the item bank"):
        load_bank(tmp_path / "nope.toml")
