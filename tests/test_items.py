"""Which columns are items, and each item's scale with the evidence for it.

Every case reads a fixture written by tests/make_fixtures.py (one export whose
`role` column splits leaders from customers); expected counts are computed here
from the file with the csv module, independently of cxgap.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cxgap import analyze
from cxgap.analysis.validation import validate
from cxgap.code.declared import declared_scale
from cxgap.config import Config
from cxgap.errors import ConfigError, InputError, ScaleError
from cxgap.io.plan import match_names, name_key
from cxgap.model import AnalysisResult, ItemResult
from cxgap.scales import (
    VOCABULARIES,
    AgreeRule,
    load_vocabularies,
    normalise_label,
    parse_scale,
    polarity,
)

SCALES = Path(__file__).resolve().parent / "fixtures" / "scales"
SPLIT = {"group_column": "role", "leaders_values": ["Leader"], "customers_values": ["Customer"]}


def _run(name: str, **settings: object) -> AnalysisResult:
    path = SCALES / name
    return analyze(path, path, Config.model_validate({**SPLIT, **settings}))


def _item(result: AnalysisResult, name: str) -> ItemResult:
    return next(i for i in result.items if i.item == name)


def _column(name: str, column: str, role: str) -> list[str]:
    with (SCALES / name).open(newline="", encoding="utf-8") as fh:
        return [row[column] for row in csv.DictReader(fh) if row["role"] == role]


def _expect(values: list[str], code_of: dict[str, int], agree_from: int) -> tuple[int, int]:
    """(n, agree) counted by hand: answers in code_of are valid, the rest missing."""
    codes = [code_of[v] for v in values if v in code_of]
    return len(codes), sum(c >= agree_from for c in codes)


def _check_counts(result: AnalysisResult, name: str, item: str, code_of: dict[str, int]) -> None:
    got = _item(result, item)
    for group, role in (("leaders", "Leader"), ("customers", "Customer")):
        stats = got.groups[group]
        assert (stats.n, stats.agree) == _expect(
            _column(name, item, role), code_of, got.scale.agree_from
        ), (item, group)


# --- scales from labels -------------------------------------------------------------


def test_labelled_ends_around_numbers_are_a_ten_point_scale() -> None:
    """'Strongly Disagree', 2 ... 9, 'Strongly Agree' is 1-10, not agreement-5 with 2-5."""
    r = _run("end-labelled.csv")
    ten = _item(r, "ten_point")
    assert (ten.scale.name, ten.scale.source, ten.scale.agree_from) == ("1-10", "labels", 9)
    assert "'Strongly Disagree' = 1, 'Strongly Agree' = 10" in ten.scale.reason
    code_of = {"Strongly Disagree": 1, "Strongly Agree": 10} | {str(k): k for k in range(2, 10)}
    _check_counts(r, "end-labelled.csv", "ten_point", code_of)


def test_numbers_written_with_labels_are_codes() -> None:
    r = _run("end-labelled.csv")
    seven = _item(r, "seven_point")
    assert (seven.scale.name, seven.scale.source) == ("1-7", "labels")
    code_of = {"1 - Not at all": 1, "7 - Completely": 7} | {str(k): k for k in range(2, 7)}
    _check_counts(r, "end-labelled.csv", "seven_point", code_of)
    impressive = _item(r, "impressive")
    assert impressive.scale.name == "1-5"
    words = ["Not", "Slightly", "Moderately", "Very", "Extremely"]
    _check_counts(
        r,
        "end-labelled.csv",
        "impressive",
        {f"{k} - {w} impressive": k for k, w in enumerate(words, 1)},
    )


def test_scale_flag_sets_the_length_the_evidence_leaves_open() -> None:
    """Only 2-6 between a labelled low end: 1-7 is a guess (warned); --scale 1-10 decides,
    and it also applies to end-labelled items (it used to change nothing there)."""
    guessed = _run("end-labelled.csv")
    open_length = _item(guessed, "open_length")
    assert open_length.scale.name == "1-7"
    assert open_length.scale.reason.endswith("its length is a guess: set scale to confirm")
    assert any("'open_length'" in w and "a guess" in w for w in guessed.warnings)
    told = _run("end-labelled.csv", scale="1-10")
    assert (_item(told, "open_length").scale.name, _item(told, "open_length").scale.source) == (
        "1-10",
        "config",
    )
    assert _item(told, "ten_point").scale.name == "1-10"
    # labelled ends are evidence: the configured scale does not stretch them
    assert _item(told, "seven_point").scale.name == "1-7"


# --- numeric codes without labels ---------------------------------------------------


@pytest.mark.parametrize(
    ("item", "scale", "agree_from"),
    [("five", "1-5", 4), ("seven", "1-7", 6), ("ten_zero", "0-10", 9), ("ten_one", "1-10", 9)],
)
def test_numeric_codes_get_the_standard_range(item: str, scale: str, agree_from: int) -> None:
    r = _run("numeric.csv")
    got = _item(r, item)
    assert (got.scale.name, got.scale.source, got.scale.agree_from) == (
        scale,
        "observed range",
        agree_from,
    )
    assert any(f"read on the {scale} scale, a guess" in w and repr(item) in w for w in r.warnings)
    lo, hi = (int(x) for x in scale.split("-"))
    _check_counts(r, "numeric.csv", item, {str(k): k for k in range(lo, hi + 1)})


def test_a_slider_agrees_from_a_threshold_not_a_top_box() -> None:
    r = _run("numeric.csv")
    slider = _item(r, "slider")
    assert (slider.scale.name, slider.scale.agree_from) == ("0-100", 70)
    assert ">= 70" in slider.scale.reason
    _check_counts(r, "numeric.csv", "slider", {str(k): k for k in range(0, 101)})
    assert AgreeRule.parse("top2").threshold(parse_scale("0-100")) == 70
    assert AgreeRule.parse("top-box").threshold(parse_scale("1-20")) == 15


def test_negative_codes_are_the_platforms_non_answers() -> None:
    r = _run("numeric.csv")
    item = _item(r, "qualtrics_na")
    assert "negative codes" in item.scale.reason
    _check_counts(r, "numeric.csv", "qualtrics_na", {"1": 1, "2": 2, "3": 3})
    leaders = _column("numeric.csv", "qualtrics_na", "Leader")
    assert item.groups["leaders"].missing == sum(v in ("", "-1", "-2") for v in leaders)


# --- what is not an item ------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "reason"),
    [
        ("running", "an id or running number"),
        ("year", "years (1950 to 2005)"),
        ("count", "beyond the standard scales"),
        ("joined", "dates or times"),
        ("comment", "free text"),
        ("option_email", "an option column"),
        ("empty", "empty: no answers"),
        ("na_only", "only non-answers"),
        ("decimals", "numbers with decimals"),
        ("stray", "except stray answers 'see comment' (2x)"),
    ],
)
def test_columns_that_are_not_items_are_listed_with_the_reason(column: str, reason: str) -> None:
    r = _run("numeric.csv")
    assert reason in r.excluded.not_items[column]
    assert column not in {i.item for i in r.items}


def test_stray_answers_are_a_warning_when_discovered_and_an_error_when_named() -> None:
    r = _run("numeric.csv")
    assert any(w.startswith("column 'stray' left out") and "'see comment'" in w for w in r.warnings)
    with pytest.raises(ScaleError) as info:
        _run("numeric.csv", include_items=["stray"])
    assert info.value.column == "stray" and "'see comment' (2x)" in str(info.value)
    with pytest.raises(ScaleError):
        _run("numeric.csv", items={"stray": {}})


def test_not_items_never_stop_a_run_but_are_listed_once_in_the_warnings() -> None:
    r = _run("numeric.csv")
    summary = [w for w in r.warnings if "are not items" in w]
    assert len(summary) == 1 and summary[0].startswith("9 column(s)")


# --- vocabularies -------------------------------------------------------------------


def test_every_language_and_kind_of_vocabulary_is_recognised() -> None:
    from make_fixtures import FOREIGN  # type: ignore[import-not-found]

    r = _run("vocabularies.csv")
    expected = {
        "agree_es": "agreement-5-es",
        "satisf_pt": "satisfaction-5-pt",
        "agree_fr": "agreement-5-fr",
        "likely_de": "likelihood-5-de",
        "satisf_it": "satisfaction-5-it",
        "agree_nl": "agreement-5-nl",
        "yes_es": "yes-no-es",
        "yes_de": "yes-no-de",
        "yes_fr": "yes-no-fr",
        "importance": "importance-5",
        "critical": "importance-5-critical",
        "quality": "quality-5",
        "frequency": "frequency-5",
    }
    assert {i.item: i.scale.name for i in r.items} == expected
    for item, labels in FOREIGN.items():
        assert _item(r, item).scale.source == "labels"
        _check_counts(r, "vocabularies.csv", item, {v: k for k, v in enumerate(labels, 1)})


def test_longer_non_answers_are_recognised(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    answers = ["Agree", "Non-applicable", "I don\u2019t know / NA", "Can't choose", "Disagree"]
    path.write_text("q\n" + "\n".join(answers) + "\n", encoding="utf-8")
    q = analyze(path, path).items[0]
    assert (q.groups["leaders"].n, q.groups["leaders"].missing, q.groups["leaders"].agree) == (
        2,
        3,
        1,
    )


def test_vocabulary_file_is_validated() -> None:
    assert len(VOCABULARIES) >= 40
    names = {v.name for v in VOCABULARIES}
    for lang in ("es", "pt", "fr", "de", "it", "nl"):
        assert {f"agreement-5-{lang}", f"satisfaction-5-{lang}", f"likelihood-5-{lang}"} <= names
        assert f"yes-no-{lang}" in names
    with pytest.raises(ConfigError, match="distinct"):
        load_vocabularies('[[vocabulary]]\nname = "x"\nlabels = ["Good", "good "]\n')
    with pytest.raises(ConfigError, match="outside"):
        load_vocabularies('[[vocabulary]]\nname = "x"\nlabels = ["A", "B"]\naliases = {c = 3}\n')


def test_labels_match_ignoring_case_spaces_quotes_and_accents() -> None:
    assert normalise_label("Tout \u00e0 fait d\u2019accord") == "tout a fait d'accord"
    assert normalise_label("  N\u00c3O\u00a0 ") == normalise_label("n\u00e3o")
    assert normalise_label("S\u00ed") == "si"


def test_config_vocabulary_extends_the_built_ins(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("role,q\nLeader,Very helpful\nLeader,Not helpful\nCustomer,Helpful\n")
    cfg = Config.model_validate(
        {**SPLIT, "vocabularies": {"helpful": ["Not helpful", "Helpful", "Very helpful"]}}
    )
    q = analyze(path, path, cfg).items[0]
    assert (q.scale.name, q.groups["leaders"].agree, q.groups["customers"].agree) == (
        "helpful",
        1,
        1,
    )


# --- declared metadata (SPSS value labels) -----------------------------------------


def _sav_counts(column: str, sex: float) -> dict[float | None, int]:
    import pyreadstat

    data, _ = pyreadstat.read_sav(str(SCALES / "declared.sav"), output_format="dict")
    out: dict[float | None, int] = {}
    for s, v in zip(data["sex"], data[column], strict=True):
        if s == sex:
            key = None if v is None or v != v else float(v)
            out[key] = out.get(key, 0) + 1
    return out


def test_spss_value_labels_declare_the_whole_range_and_its_direction() -> None:
    path = SCALES / "declared.sav"
    cfg = Config(group_column="sex", leaders_values=["Male"], customers_values=["Female"])
    r = analyze(path, path, cfg)
    sparse = _item(r, "sat_sparse")  # labelled 1-7, only 1, 2 and 7 occur
    assert (sparse.scale.source, sparse.scale.codes, sparse.scale.agree_from) == (
        "metadata",
        [1, 2, 3, 4, 5, 6, 7],
        6,
    )
    counts = _sav_counts("sat_sparse", 1.0)
    assert sparse.groups["leaders"].distribution == [counts.get(float(c), 0) for c in range(1, 8)]
    helpful = _item(r, "helpful")  # 1 = "Extremely helpful": coded in reverse
    assert "coded in reverse" in helpful.scale.reason
    counts = _sav_counts("helpful", 1.0)
    assert helpful.groups["leaders"].agree == counts.get(1.0, 0) + counts.get(2.0, 0)
    gss = _item(r, "agree_gss")  # 8 = Don't know, 9 = No answer are non-answers
    counts = _sav_counts("agree_gss", 2.0)
    assert gss.scale.name == "agreement-4"
    assert gss.groups["customers"].n == sum(counts.get(float(c), 0) for c in (1, 2, 3, 4))
    assert gss.groups["customers"].agree == counts.get(1.0, 0) + counts.get(2.0, 0)
    world = _item(r, "world")  # numbered points between labelled ends
    assert world.scale.codes == list(range(1, 8)) and world.scale.agree_from == 6
    assert "faith" in r.excluded.not_items  # categories are not a scale


def test_declared_scale_rules() -> None:
    assert declared_scale({1: "Male", 2: "Female"}) is None
    assert declared_scale({1: "Orthodox", 2: "Reform", 3: "None"}) is None
    choice = declared_scale({1: "Yes", 2: "No", 8: "Don't know", 9: "No answer"})
    assert choice is not None and choice.scale.labels == ("No", "Yes")
    nps = declared_scale({k: str(k) for k in range(11)})
    assert nps is not None and nps.scale.name == "0-10"
    assert polarity("Not useful at all") == -1 and polarity("Extremely useful") == 1


# --- names ---------------------------------------------------------------------------


def test_names_match_ignoring_nbsp_repeated_spaces_and_curly_quotes() -> None:
    names = ["Staff\u00a0do a  good job", "I\u2019m treated fairly", "Q5_1", "Q5_2"]
    assert name_key(names[0]) == "Staff do a good job"
    found, unmatched = match_names(["Staff do a good job", "I'm treated fairly", "Q9"], names)
    assert found == names[:2] and unmatched == ["Q9"]
    assert match_names(["Q5_*"], names)[0] == ["Q5_1", "Q5_2"]
    r = _run("names.csv", include_items=["Staff do a good job", "I'm treated  fairly"])
    assert sorted(i.item for i in r.items) == sorted(names[:2])
    r = _run("names.csv", exclude_items=["Q5_*", "I'm treated fairly"])
    assert [i.item for i in r.items] == [names[0]]


def test_a_near_miss_shows_the_difference() -> None:
    with pytest.raises(InputError) as info:
        _run("names.csv", include_items=["Staff do a great job"])
    message = str(info.value)
    assert "did you mean 'Staff\\xa0do a  good job'?" in message
    assert "differ at character 13" in message


# --- validate -------------------------------------------------------------------------


def test_validate_reports_each_items_scale_and_why() -> None:
    report = validate([SCALES / "end-labelled.csv"], Config())
    by_item = {s.item: s for s in report.scales}
    assert by_item["ten_point"].scale == "1-10" and by_item["ten_point"].source == "labels"
    assert by_item["open_length"].source == "labels"
    from cxgap.render.validate import render_validation_table

    text = render_validation_table(report, width=200)
    assert "scale 1-10 (labels): ten_point: 10-point scale with labelled ends" in text


def test_an_option_column_written_differently_in_each_file_is_not_an_item(
    tmp_path: Path,
) -> None:
    """A numeric export writes an option as its code, a text export as its label: in
    each file the column holds one answer among blanks, so it is an option column in
    both, not a 0%-vs-100% item. A group that answered an item unanimously keeps it."""
    from tests.conftest import write_table

    n = 40
    q = [str(k % 5 + 1) for k in range(n)]
    leaders = write_table(tmp_path / "l.csv", {
        "q": q, "unanimous": ["5"] * n, "opt": ["4" if k % 4 == 0 else "" for k in range(n)],
    })  # fmt: skip
    customers = write_table(tmp_path / "c.csv", {
        "q": q, "unanimous": q, "opt": ["Often" if k % 4 == 0 else "" for k in range(n)],
    })  # fmt: skip
    result = analyze(leaders, customers, Config())
    names = {i.item for i in result.items}
    assert "opt" not in names
    assert {"q", "unanimous"} <= names
    assert "opt" in str(result.excluded.not_items)


MARITAL = {1: "Married", 2: "Widowed", 3: "Divorced", 4: "Separated", 5: "Never married"}
FEELREL = {
    1: "Extremely religious",
    2: "Very religious",
    3: "Somewhat religious",
    4: "Neither religious nor non-religious",
    5: "Somewhat non-religious",
    6: "Very non-religious",
    7: "Extremely non-religious",
    8: "Can't choose",
    9: "No answer",
}


@pytest.mark.parametrize(
    "labels",
    [
        MARITAL,
        {1: "Married", 3: "Divorced", 5: "Never married"},  # codes with gaps
        {1: "New England", 2: "Middle Atlantic", 3: "Pacific", 9: "No answer"},
        {1: "Yes", 2: "No", 7: "No full-time", 9: "No answer"},  # a yes/no/other list
        {1: "Yes", 2: "No", 8: "Undecided", 9: "No answer"},
        {1: "Not divorced", 2: "Divorced last year", 3: "Divorced during both periods"},
        {1: "No visitors", 2: "1 visitor", 3: "2 visitors"},
        {1: "Union", 2: "School", 5: "Other", 7: "Friend"},
    ],
)
def test_declared_categories_are_not_a_scale(labels: dict[int, str]) -> None:
    assert declared_scale(labels) is None


@pytest.mark.parametrize(
    ("labels", "low", "high"),
    [
        (FEELREL, "Extremely non-religious", "Extremely religious"),
        ({1: "Very happy", 2: "Pretty happy", 3: "Not too happy"}, "Not too happy", "Very happy"),
        (
            {1: "Very true", 2: "True", 3: "Somewhat true", 4: "Not true at all"},
            "Not true at all",
            "Very true",
        ),
        (
            {
                1: "Always wrong",
                2: "Almost always wrong",
                3: "Wrong only sometimes",
                4: "Not wrong at all",
            },
            "Not wrong at all",
            "Always wrong",
        ),  # the dimension is "wrong": its top is "Always wrong"
        (
            {1: "Complete confidence", 2: "Some confidence", 3: "No confidence at all"},
            "No confidence at all",
            "Complete confidence",
        ),
        (
            {
                1: "Yes, definitely",
                2: "Yes, probably",
                3: "No, probably not",
                4: "No, definitely not",
            },
            "No, definitely not",
            "Yes, definitely",
        ),
        ({1: "Very easy", 2: "Somewhat easy", 3: "Very hard"}, "Very hard", "Very easy"),
        (
            {1: "Complete confidence", 2: "Some confidence", 3: "No confidence"},
            "No confidence",
            "Complete confidence",
        ),
        (
            {1: "Not wrong", 2: "A bit wrong", 3: "Wrong", 4: "Seriously wrong"},
            "Not wrong",
            "Seriously wrong",
        ),
        ({1: "Agree", 2: "Disagree", 8: "Don't know"}, "Disagree", "Agree"),
        ({1: "Favor", 2: "Not favor"}, "Not favor", "Favor"),
        ({1: "Mother 1", 2: "2", 3: "3", 4: "Father 4"}, "Mother 1", "Father 4"),
        (
            {1: "Government", 2: "2", 3: "Agree with both", 4: "4", 5: "People"},
            "Government",
            "People",
        ),
    ],
)
def test_declared_labels_that_read_as_an_ordered_scale(
    labels: dict[int, str], low: str, high: str
) -> None:
    choice = declared_scale(labels)
    assert choice is not None and choice.scale.labels is not None
    assert (choice.scale.labels[0], choice.scale.labels[-1]) == (low, high)


def test_declared_categories_are_listed_as_not_items_with_the_reason() -> None:
    import tempfile

    import pandas as pd
    import pyreadstat

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "declared-categories.sav"

        rows = 40
        frame = pd.DataFrame(
            {
                "sex": [1.0, 2.0] * (rows // 2),
                "marital": [float(1 + k % 5) for k in range(rows)],
                "feelrel": [float(1 + k % 7) for k in range(rows)],
            }
        )
        pyreadstat.write_sav(
            frame,
            str(path),
            variable_value_labels={
                "sex": {1.0: "Male", 2.0: "Female"},
                "marital": {float(k): v for k, v in MARITAL.items()},
                "feelrel": {float(k): v for k, v in FEELREL.items()},
            },
        )
        cfg = Config(group_column="sex", leaders_values=["Male"], customers_values=["Female"])
        r = analyze(path, path, cfg)
        assert [i.item for i in r.items] == ["feelrel"]
        assert r.excluded.not_items["marital"].startswith(
            "categories (declared labels are not an ordered scale)"
        )
        report = validate([path], cfg)
        assert [s.item for s in report.scales] == ["feelrel"]


def test_scale_choices_reused_across_items_equal_deciding_each_alone() -> None:
    """resolve_items reuses the scale choice of items answered in the same plain numbers
    (a wide export repeats them a thousand times); the result must be what deciding each
    item on its own gives."""
    import polars as pl

    from cxgap.code.coding import resolve_items
    from cxgap.scales import parse_scale

    answers = {
        "a": {"1": 5, "2": 3, "5": 9},
        "b": {"5": 1, "1": 7, "2": 2},  # the same numbers as a, other counts and order
        "c": {"3": 4, "6": 2, "7": 1},  # a 1-7 range
        "d": {"1": 2, "5": 1, "Agree": 3},  # text: never reused
        "e": {"0": 1, "40": 2, "55": 1, "70": 3, "90": 2, "100": 1},  # a slider
    }
    rows = [("customers", item, None, value, n)
            for item, counts in answers.items() for value, n in counts.items()]  # fmt: skip
    schema = {"group": pl.String, "item": pl.String, "wave": pl.String,
              "value": pl.String, "n": pl.Int64}  # fmt: skip
    counts = pl.DataFrame(rows, orient="row", schema=schema).with_columns(
        w_sum=pl.col("n").cast(pl.Float64), w2_sum=pl.col("n").cast(pl.Float64)
    )
    kw = {"default_scale": parse_scale("1-5"), "item_scales": {}, "scale_set": False}
    together = resolve_items(counts, list(answers), **kw)  # type: ignore[arg-type]
    for item in answers:
        alone = resolve_items(counts.filter(pl.col("item") == item), [item], **kw)  # type: ignore[arg-type]
        mine = [c for c in together[0] if c.item == item]
        assert [(c.scale, c.codes, c.n_answers, c.source, c.reason) for c in mine] == [
            (c.scale, c.codes, c.n_answers, c.source, c.reason) for c in alone[0]
        ], item
        assert [p for p in together[1] if p.item == item] == alone[1]
    assert {c.item for c in together[0]} >= {"a", "b", "c"}
