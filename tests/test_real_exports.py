"""The first run on real exports: analysed with no config (group flags only where the
groups come from a column), every item's n and agree equal to a count made here with
the csv module (or pyreadstat's raw codes), and the scale decisions asserted.

The exports live outside the repository (../shared/real-exports); these tests skip
when it is absent.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from cxgap import analyze
from cxgap.config import Config
from cxgap.errors import InputError
from cxgap.io import open_survey
from cxgap.model import AnalysisResult, ScaleInfo

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-exports"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="shared real exports not present")

#: file -> (encoding, delimiter, header rows, group column, leaders' value, customers' value)
#: header rows as the exports' README counts them.
FILES: dict[str, tuple[str, str, int, str | None, str | None, str | None]] = {
    "qualtrics/qt-legacy-no-basis.csv": ("utf-8-sig", ",", 2, None, None, None),
    "qualtrics/qt2016-insights-no-basis.csv": ("utf-8", ",", 3, None, None, None),
    "qualtrics/qt2016-insights-better-sample.csv": ("utf-8", ",", 3, None, None, None),
    "qualtrics/qt-legacy-single-matrix.csv": ("utf-8-sig", ",", 2, None, None, None),
    "qualtrics/qt-legacy-many-types.csv": ("utf-8-sig", ",", 2, None, None, None),
    "qualtrics/qt2016-insights-many-types.csv": ("utf-8", ",", 3, None, None, None),
    "qualtrics/qt2020-choicetext-privacy-study.csv": ("utf-8", ",", 3, "Condition", "1", "2"),
    "qualtrics/qt2023-choicetext-student-satisfaction-testdata.csv": (
        "utf-8", ",", 3, None, None, None),
    "qualtrics/qt2025-tsv-utf16-ospo-testdata.tsv": ("utf-16", "\t", 3, None, None, None),
    "surveymonkey/sm-todo-ospo2018.csv": (
        "utf-8", ",", 2, "Collector", "TNS Direct Mail", "Linux Foundation: Email"),
    "surveymonkey/sm-todo-ospo2020.csv": ("utf-8-sig", ",", 2, None, None, None),
    "surveymonkey/sm-todo-ospo2024-numeric.csv": ("utf-8", ",", 3, None, None, None),
    "surveymonkey/sm-todo-ospo2024-text.csv": ("utf-8-sig", ",", 3, None, None, None),
    "surveymonkey/sm-program-satisfaction-no-metadata.csv": ("utf-8", ",", 2, None, None, None),
    "google-forms/gf-hotdog-sp24-sheets-download.csv": ("utf-8", ",", 1, None, None, None),
    "google-forms/gf-hotdog-sp24-excel-resaved.csv": ("utf-8", ",", 1, None, None, None),
    "google-forms/gf-hotdog-sp25-sheets-download.csv": ("utf-8", ",", 1, None, None, None),
    "ms-forms/msf-hotdog-fa24-csv.csv": ("cp1252", ",", 1, None, None, None),
    "spss/spss-qualtrics-student-satisfaction-testdata.sav": ("", "", 0, None, None, None),
    "spss/spss-gss1991.sav": ("", "", 0, "SEX", "Male", "Female"),
    "spss/spss-pallant-survey.sav": ("", "", 0, "sex", "MALES", "FEMALES"),
}  # fmt: skip

#: Scale decisions, per file: item -> (scale name, source, agree_from).
SCALES: dict[str, dict[str, tuple[str, str, int]]] = {
    "qualtrics/qt2020-choicetext-privacy-study.csv": {
        "Q3_1": ("1-7", "labels", 6),  # 'Not at all likely\n1', 2 ... 6, 'Very likely\n7'
        "Q6_1": ("1-7", "labels", 6),  # 'Very reasonable7' (no separator)
        "Q7_9": ("1-7", "labels", 6),  # 'Not  at all comfortable\n1' (double space)
    },
    "qualtrics/qt2023-choicetext-student-satisfaction-testdata.csv": {
        "Q8": ("satisfaction-7", "labels", 6),
        "Q14": ("likelihood-7", "labels", 6),  # 'Undecided' is the midpoint
        "Q15": ("0-10", "observed range", 9),
    },
    "qualtrics/qt2025-tsv-utf16-ospo-testdata.tsv": {
        "importance_opensrc_1": ("importance-5", "labels", 4),
        "importance_opensrc_2": ("importance-5", "labels", 4),  # 'Non-applicable' is missing
        "challenges_1": ("frequency-5-occasionally", "labels", 4),
        "project_size_1": ("frequency-3", "labels", 3),  # "Not frequently" does not agree
    },
    "qualtrics/qt-legacy-no-basis.csv": {"Q1": ("1-5", "observed range", 4)},
    "surveymonkey/sm-program-satisfaction-no-metadata.csv": {
        "Please indicate how strongly you agree or disagree with the following statements: "
        "- Staff do a good job of running the program.": ("agreement-5", "labels", 4),
        "Are you a cigarette smoker?": ("yes-no", "labels", 2),
    },
    "surveymonkey/sm-todo-ospo2018.csv": {
        # "1 – Extremely critical" ... "5 – Not at all critical": the number is the code,
        # and agreeing is at the low numbers
        "On a scale of 1-5, how business-critical is your open source program to the success "
        "of your engineering\xa0or product teams? (1=\xa0extremely critical, 5 = not\xa0at all "
        "critical)": ("1-5 reversed", "labels", 4),
        "How often does your company do the following activities? - Contribute code upstream": (
            "frequency-4",
            "labels",
            3,
        ),
    },
    **{
        f"surveymonkey/sm-todo-ospo2024-{kind}.csv": {
            # one column per row x option, rejoined; the codes (numeric) or the option
            # order (text) are declared, "Don't know or not sure" (6) is a non-answer
            "How often does your organization do the following activities? (select one "
            "response per row) - Contribute code upstream": ("frequency-5-very", "metadata", 4),
            "How critical is your OSPO or similar open source initiative to achieving "
            "organizational goals? (select one)": ("5-point declared", "metadata", 4),
        }
        for kind in ("numeric", "text")
    },
    "spss/spss-qualtrics-student-satisfaction-testdata.sav": {
        "Q1": ("7-point declared", "metadata", 6),  # 1 = "Extremely helpful": reversed
        "Q3": ("5-point declared", "metadata", 4),  # 1 = "Extremely useful"
        "Q14": ("7-point declared", "metadata", 6),
        "Q15": ("0-10", "metadata", 9),
        "Q2": ("7-point declared", "metadata", 6),  # 1 = "Extremely easy"
        "Q8": ("7-point declared", "metadata", 6),  # 1 = "Very Dissatisfied"
    },
    "spss/spss-gss1991.sav": {
        "SPANKING": ("agreement-4", "metadata", 3),  # 1 = Strongly agree; 8, 9 non-answers
        "ANOMIA7": ("2-point declared", "metadata", 2),  # Agree / Disagree
        # Extremely religious ... Extremely non-religious: a 7-point scale, 1 at the top
        "FEELREL": ("7-point declared", "metadata", 6),
        "HAPPY": ("3-point declared", "metadata", 2),  # Very / Pretty / Not too happy
        "FEFAM": ("agreement-4", "metadata", 3),
        "DEATHPEN": ("agreement-5", "metadata", 4),  # 8 = Can't choose
    },
    "spss/spss-pallant-survey.sav": {
        "op1": ("1-5", "observed range", 4),  # no value labels on the items
        "lifsat1": ("1-7", "observed range", 6),
        "pn1": ("1-5", "observed range", 4),
    },
}
#: Columns whose declared value labels are categories, not a scale: not items.
DECLARED_CATEGORIES = {
    "spss/spss-gss1991.sav": ["MARITAL", "MAR12", "RELATE5", "PARTNERS"],
    "spss/spss-pallant-survey.sav": ["marital", "educ", "source"],
    "spss/spss-qualtrics-student-satisfaction-testdata.sav": ["Status", "Q15_NPS_GROUP"],
}


def _config(name: str) -> Config:
    _, _, _, column, lead, cust = FILES[name]
    if column is None:  # no file has overall_strong_cx: the headline is the composite
        return Config()
    return Config(group_column=column, leaders_values=[lead], customers_values=[cust])


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def _coder(scale: ScaleInfo) -> dict[str, int]:
    if scale.labels is None:
        return {}
    labels = {_norm(lab): code for lab, code in zip(scale.labels, scale.codes, strict=True)}
    middle = scale.codes[len(scale.codes) // 2]
    if len(scale.codes) % 2:
        labels.setdefault("neutral", middle)
        labels.setdefault("undecided", middle)
    return labels


def _code(value: str, scale: ScaleInfo, labels: dict[str, int]) -> int | None:
    """An answer's code, worked out here: a label, a number, or a label with its number."""
    text = _norm(value)
    if text in labels:
        return labels[text]
    for pattern in (
        r"-?\d+",
        r"[^\d]*[a-z][^\d]*?\s?(\d{1,3})",
        r"(\d{1,3})\s*[-=:.)\u2013\u2014]\s*\D.*",
    ):
        match = re.fullmatch(pattern, text)
        if match:
            code = int(match.group(match.lastindex or 0))
            return code if code in scale.codes else None
    return None


def _table(name: str) -> tuple[list[str], list[list[str]]]:
    """Column names (as cxgap names them, for their position) and the answer rows."""
    path = REAL / name
    encoding, sep, header_rows, *_ = FILES[name]
    if path.suffix == ".sav":
        import pyreadstat

        data, meta = pyreadstat.read_sav(str(path), output_format="dict")
        labels = meta.variable_value_labels
        columns = list(meta.column_names)
        rows = []
        for k in range(meta.number_rows):
            row = []
            for col in columns:
                v: Any = data[col][k]
                if v is None or (isinstance(v, float) and v != v):
                    row.append("")
                elif v in labels.get(col, {}):
                    row.append(labels[col][v])
                else:
                    row.append(str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
            rows.append(row)
        return columns, rows
    text = path.read_bytes().decode(encoding, errors="replace")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    # the file's own columns, before any option columns are rejoined
    return list(open_survey(path).parts()[0].columns), records[header_rows:]


def _answers(item: str, columns: list[str], rows: list[list[str]], scale: ScaleInfo) -> list[str]:
    """Each row's answer to ``item``: its column, or in an expanded export (one column per
    option, named ``item - option``) the one option ticked; a row with two ticked gives
    none. In a numeric export the ticked column holds the option's code: checked here
    against the code the item's scale gives the option's label."""
    if item in columns:
        at = columns.index(item)
        return [r[at] if at < len(r) else "" for r in rows]
    prefix = item + " - "
    options = [(k, c[len(prefix) :]) for k, c in enumerate(columns) if c.startswith(prefix)]
    assert len(options) >= 2, item
    labels = _coder(scale)
    out = []
    for r in rows:
        ticked = [(k, option) for k, option in options if k < len(r) and r[k].strip()]
        if len(ticked) != 1:
            out.append("")
            continue
        k, option = ticked[0]
        code = _code(option, scale, labels)
        if r[k].strip().isdigit() and code is not None:  # as declared, or in reverse
            mirrored = min(scale.codes) + max(scale.codes) - code
            assert int(r[k]) in (code, mirrored), (item, option, r[k])
        out.append(option)
    return out


def _independent(name: str, result: AnalysisResult) -> dict[str, tuple[int, int, int, int]]:
    """item -> (leaders n, leaders agree, customers n, customers agree), counted here."""
    columns, rows = _table(name)
    _, _, _, group_column, lead, cust = FILES[name]
    out = {}
    for item in result.items:
        answers = _answers(item.item, columns, rows, item.scale)
        labels = _coder(item.scale)
        counts = []
        for value in (lead, cust):
            if group_column is None:
                chosen = answers
            else:
                g = columns.index(group_column)
                chosen = [a for a, r in zip(answers, rows, strict=True)
                          if len(r) > g and r[g].strip() == value]  # fmt: skip
            codes = [_code(a, item.scale, labels) for a in chosen if a]
            valid = [c for c in codes if c is not None]
            counts += [len(valid), sum(c >= item.scale.agree_from for c in valid)]
        out[item.item] = (counts[0], counts[1], counts[2], counts[3])
    return out


@pytest.mark.parametrize("name", sorted(FILES))
def test_first_run_analyses_with_independent_counts(name: str) -> None:
    result = analyze(REAL / name, REAL / name, _config(name))
    assert result.items, name
    expected = _independent(name, result)
    got = {
        i.item: tuple(v for g in ("leaders", "customers")
                      for v in (i.groups[g].n, i.groups[g].agree))
        for i in result.items
    }  # fmt: skip
    wrong = {k: (got[k], expected[k]) for k in got if got[k] != expected[k]}
    assert not wrong, f"{len(wrong)} of {len(got)} items differ: {list(wrong.items())[:3]}"
    for item, (scale, source, agree_from) in SCALES.get(name, {}).items():
        found = next(i for i in result.items if i.item == item)
        assert (found.scale.name, found.scale.source, found.scale.agree_from) == (
            scale,
            source,
            agree_from,
        ), item
        assert found.scale.reason


def test_the_expanded_exports_text_and_numeric_give_identical_counts() -> None:
    """SurveyMonkey's expanded export of one survey, as text and as numeric codes: the
    same items, read on the same scales, with the same counts."""
    found = []
    for kind in ("text", "numeric"):
        name = f"surveymonkey/sm-todo-ospo2024-{kind}.csv"
        result = analyze(REAL / name, REAL / name, _config(name))
        found.append({i.item: (i.scale.labels, i.scale.agree_from,
                               i.groups["customers"].distribution,
                               i.groups["customers"].missing) for i in result.items})  # fmt: skip
        assert any("rejoined" in w for w in result.warnings)
    assert len(found[0]) >= 40
    assert found[0] == found[1]


def test_graded_labels_read_as_the_spss_twin_declares_them() -> None:
    """Qualtrics' choice-text CSV of the student survey against its SPSS twin: the CSV's
    bipolar ("Extremely helpful" ... "Extremely unhelpful") and unipolar ("Not useful at
    all" ... "Extremely useful") answers are graded scales with the points, the agreeing
    codes and the counts that the .sav's value labels declare (it found 4 items before)."""
    found = []
    for name in ("qualtrics/qt2023-choicetext-student-satisfaction-testdata.csv",
                 "spss/spss-qualtrics-student-satisfaction-testdata.sav"):  # fmt: skip
        result = analyze(REAL / name, REAL / name, _config(name))
        found.append({i.item: (len(i.scale.codes), i.scale.agree_from - i.scale.codes[0],
                               i.groups["customers"].n, i.groups["customers"].agree)
                      for i in result.items})  # fmt: skip
    assert len(found[0]) == 14
    assert found[0] == found[1]


def test_the_numeric_export_against_the_text_export_shows_no_gap() -> None:
    """One survey exported twice (codes, labels) and compared with itself: every item
    and the headline show no gap; the option columns each file writes its own way are
    not items (they were compared as 0% vs 100%)."""
    numeric = REAL / "surveymonkey/sm-todo-ospo2024-numeric.csv"
    text = REAL / "surveymonkey/sm-todo-ospo2024-text.csv"
    result = analyze(numeric, text, Config())
    assert len(result.items) >= 40
    assert result.headline.primary.gap == 0.0
    assert all(i.primary.gap == 0.0 for i in result.items)
    assert all(
        i.groups["leaders"].distribution == i.groups["customers"].distribution for i in result.items
    )


@pytest.mark.parametrize(
    ("name", "config"),
    [
        ("ms-forms/msf-example-fake-people.xlsx", Config()),  # three free-text questions
        # ordinal items worded as sentences ("Postings are very relevant throughout the
        # year" ...): no vocabulary knows them, and the split column is not an item
        (
            "surveymonkey/sm-ohbm2022-pandas-resaved.csv",
            Config(
                group_column="Are you a member of OHBM?",
                leaders_values=["Yes"],
                customers_values=["No"],
            ),
        ),
    ],
)
def test_a_file_with_no_scale_items_says_so_plainly(name: str, config: Config) -> None:
    path = REAL / name
    with pytest.raises(InputError, match="no column holds answers on a known scale") as info:
        analyze(path, path, config)
    assert info.value.code == "no-items"
    assert info.value.file == str(path)  # one file, named once


def test_the_declared_range_counts_on_a_real_spss_export() -> None:
    """Qualtrics' SPSS export codes "Extremely helpful" 1: read in reverse, so the
    agreeing answers are codes 1 and 2, whatever the labels say in the CSV twin."""
    sav = REAL / "spss" / "spss-qualtrics-student-satisfaction-testdata.sav"
    q1 = next(i for i in analyze(sav, sav).items if i.item == "Q1")
    assert q1.scale.labels is not None and q1.scale.labels[-1] == "Extremely helpful"
    assert "coded in reverse" in q1.scale.reason


@pytest.mark.parametrize("name", sorted(DECLARED_CATEGORIES))
def test_declared_categories_are_not_items(name: str) -> None:
    """Marital status, regions, relations: value labels that are not an ordered scale
    are listed under not items, never read as a "5-point declared" agreement scale."""
    result = analyze(REAL / name, REAL / name, _config(name))
    items = {i.item for i in result.items}
    for column in DECLARED_CATEGORIES[name]:
        assert column not in items, column
        reason = result.excluded.not_items[column]
        assert reason.startswith("categories (declared labels are not an ordered scale)"), column
