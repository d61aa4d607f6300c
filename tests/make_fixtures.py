"""Write the committed test fixtures: one dataset in every format, and files with dirt.

Seeded and synthetic (no platform's real customer data). Run from the project root:
    python tests/make_fixtures.py
The tests read tests/fixtures/; rerun this after changing it and commit the result.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import polars as pl

OUT = Path(__file__).resolve().parent / "fixtures"
LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
N = 40


def dataset() -> dict[str, list[str]]:
    """Respondent id, two label items, one code item; non-answers of several kinds."""
    rng = np.random.default_rng(20261125)
    data: dict[str, list[str]] = {"respondent_id": [f"R{i:03d}" for i in range(N)]}
    for item in ("ambition_clear", "overall_strong_cx"):
        codes = rng.integers(1, 6, N)
        values = [LABELS[c - 1] for c in codes]
        for k in rng.choice(N, 4, replace=False):
            values[k] = ["N/A", "Don\u2019t know", "", "Prefer not to say"][k % 4]
        data[item] = values
    codes = [str(c) for c in rng.integers(1, 6, N)]
    codes[3] = ""
    data["basics_codes"] = codes
    return data


def _csv(rows: list[list[str]], sep: str = ",", eol: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=eol)
    writer.writerows(rows)
    return buffer.getvalue()


def _rows(data: dict[str, list[str]]) -> list[list[str]]:
    return [list(data)] + [list(r) for r in zip(*data.values(), strict=True)]


def write_formats(data: dict[str, list[str]]) -> None:
    folder = OUT / "formats"
    folder.mkdir(parents=True, exist_ok=True)
    rows = _rows(data)
    (folder / "plain.csv").write_text(_csv(rows), encoding="utf-8")
    (folder / "bom-crlf.csv").write_bytes(b"\xef\xbb\xbf" + _csv(rows, eol="\r\n").encode())
    (folder / "semicolon.csv").write_text(_csv(rows, sep=";"), encoding="utf-8")
    (folder / "excel-unicode.tsv").write_bytes(_csv(rows, sep="\t", eol="\r\n").encode("utf-16"))
    (folder / "windows-1252.csv").write_bytes(_csv(rows).encode("cp1252"))
    names = list(data)
    # Qualtrics: ids, question text (with an embedded newline), ImportId objects.
    text = [n if n == "respondent_id" else f"Question\n{n}" for n in names]
    ids = [json.dumps({"ImportId": f"QID{k}"}) for k in range(len(names))]
    meta = ["StartDate", "Status"]
    meta_rows = [["Start Date", "Response Type"], [json.dumps({"ImportId": "startDate"}),
                 json.dumps({"ImportId": "status"})]]  # fmt: skip
    body = [["2026-07-01 10:00:00", "IP Address", *r] for r in rows[1:]]
    qualtrics = [meta + names, meta_rows[0] + text, meta_rows[1] + ids, *body]
    (folder / "qualtrics.csv").write_text(_csv(qualtrics, eol="\r\n"), encoding="utf-8")
    # SurveyMonkey: question row (blank over continuation columns), then "Response".
    top = ["Respondent ID", "Collector ID", *names[1:]]
    sub = ["", "", *["Response"] * (len(names) - 1)]
    sm_body = [[r[0], "9001", *r[1:]] for r in rows[1:]] + [[""] * len(top)] * 3
    (folder / "surveymonkey.csv").write_text(_csv([top, sub, *sm_body], eol="\r\n"), "utf-8")
    # Google Forms: Timestamp first.
    gf = [["Timestamp", *names]] + [["1/18/2026 14:18:57", *r] for r in rows[1:]]
    (folder / "google-forms.csv").write_text(_csv(gf, eol="\r\n"), encoding="utf-8")
    frame = pl.DataFrame(data)
    frame.write_parquet(folder / "parquet.parquet")
    _xlsx(rows, folder / "workbook.xlsx")
    _sav(data, folder / "spss.sav")


def _xlsx(rows: list[list[str]], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    book.save(path)


def _sav(data: dict[str, list[str]], path: Path) -> None:
    import pyreadstat

    labels = {float(k + 1): lab for k, lab in enumerate(LABELS)}
    code = {lab: float(k + 1) for k, lab in enumerate(LABELS)}
    columns: dict[str, list[object]] = {"respondent_id": data["respondent_id"]}
    value_labels: dict[str, dict[int | float, str]] = {}
    for item in ("ambition_clear", "overall_strong_cx"):
        # Non-answers other than blank get their own labelled codes, as SPSS users do.
        extra = {"N/A": 8.0, "Don\u2019t know": 9.0, "Prefer not to say": 7.0}
        columns[item] = [code.get(v, extra.get(v)) for v in data[item]]
        value_labels[item] = {**labels, **{v: k for k, v in extra.items()}}
    columns["basics_codes"] = [float(v) if v else None for v in data["basics_codes"]]
    pyreadstat.write_sav(pl.DataFrame(columns), str(path), variable_value_labels=value_labels)


def write_layouts(data: dict[str, list[str]]) -> None:
    """Platform header layouts beyond the basic ones: the same answers as plain.csv."""
    folder = OUT / "layouts"
    folder.mkdir(parents=True, exist_ok=True)
    names = list(data)[1:]
    rows = _rows(data)[1:]
    # SurveyMonkey's usual layout: metadata columns with nothing under them in row 2,
    # a matrix question over its first column only, its rows (no "Response") in row 2.
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date"]
    top = [*meta, "How much do you agree with each?", *[""] * (len(names) - 1)]
    sub = [*[""] * len(meta), *names]
    body = [[r[0], "9001", "07/01/2026 10:00:00 AM", "07/01/2026 10:05:12 AM", *r[1:]]
            for r in rows]  # fmt: skip
    sm = [top, sub, *body, *[[""] * len(top)] * 2]
    (folder / "surveymonkey-blank-metadata.csv").write_text(_csv(sm, eol="\r\n"), "utf-8")
    # Qualtrics with internal ids in row 1 and one row of question text, no ImportId row.
    qids = [f"QID7_{k + 1}" for k in range(len(names))]
    text = [f"How much do you agree? - {n}" for n in names]
    qmeta = ["StartDate", "EndDate", "Status", "ResponseId"]
    qlabels = ["Start Date", "End Date", "Response Type", "Response ID"]
    qbody = [["2026-07-01 10:00:00", "2026-07-01 10:04:00", "IP Address", r[0], *r[1:]]
             for r in rows]  # fmt: skip
    qualtrics = [qmeta + qids, qlabels + text, *qbody]
    (folder / "qualtrics-qid.csv").write_text(_csv(qualtrics, eol="\r\n"), "utf-8")
    # The same with the ids alone (the metadata columns left out of the export).
    bare = [qids, text, *[r[1:] for r in rows]]
    (folder / "qualtrics-qid-only.csv").write_text(_csv(bare), "utf-8")
    # A plain export that names two columns alike.
    twice = [["respondent_id", "q", "q", "r"]] + [[r[0], r[1], r[2], r[3]] for r in rows]
    (folder / "plain-duplicate-names.csv").write_text(_csv(twice), "utf-8")


def write_dirt() -> None:
    folder = OUT / "dirt"
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "empty.csv": "",
        "header-only.csv": "respondent_id,q\n",
        "duplicate-ids.csv": "respondent_id,q\nA,5\nB,4\nA,1\nC,2\nB,3\n",
        "unknown-labels.csv": "respondent_id,q\n"
        + "".join(
            f"R{i},{v}\n"
            for i, v in enumerate(
                ["Agree", "Agreee", "Disagree", "Strongly agree", "agree strongly!"] * 3
            )
        ),
        "nan-text.csv": "respondent_id,q\nA,5\nB,NaN\nC,inf\nD,4\nE,3\n",
        "all-missing.csv": "respondent_id,q,r\nA,5,\nB,4,N/A\nC,3,\n",
        "straight-liners.csv": "respondent_id,a,b,c\nA,5,5,5\nB,1,1,1\nC,2,4,3\nD,4,4,\n",
        "trailing-comma.csv": "respondent_id,q,\nA,5,\nB,4,\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _roles(rng: np.random.Generator, n: int) -> list[str]:
    return ["Leader" if r < 0.4 else "Customer" for r in rng.random(n)]


def _pick(rng: np.random.Generator, options: list[str], n: int, blank: float = 0.05) -> list[str]:
    """n answers drawn from options, some left blank."""
    out = [options[k] for k in rng.integers(0, len(options), n)]
    return ["" if r < blank else v for v, r in zip(out, rng.random(n), strict=True)]


#: Foreign-language scales as written in exports (accents, curly quotes, odd case).
FOREIGN = {
    "agree_es": ["Totalmente en desacuerdo", "En desacuerdo", "Ni de acuerdo ni en desacuerdo",
                 "De acuerdo", "TOTALMENTE DE ACUERDO"],
    "satisf_pt": ["Muito insatisfeito", "Insatisfeito", "Nem satisfeito nem insatisfeito",
                  "Satisfeito", "Muito satisfeito"],
    "agree_fr": ["Pas du tout d\u2019accord", "Pas d\u2019accord", "Ni d'accord ni pas d'accord",
                 "D'accord", "Tout \u00e0 fait d\u2019accord"],
    "likely_de": ["Sehr unwahrscheinlich", "Unwahrscheinlich",
                  "Weder wahrscheinlich noch unwahrscheinlich", "Wahrscheinlich",
                  "Sehr  wahrscheinlich"],
    "satisf_it": ["Molto insoddisfatto", "Insoddisfatto",
                  "N\u00e9 soddisfatto n\u00e9 insoddisfatto", "Soddisfatto", "Molto soddisfatto"],
    "agree_nl": ["Helemaal mee oneens", "Mee oneens", "Niet mee eens, niet mee oneens", "Mee eens",
                 "Helemaal mee eens"],
    "yes_es": ["No", "S\u00ed"],
    "yes_de": ["Nein", "Ja"],
    "yes_fr": ["Non", "Oui"],
    "importance": ["Not at all important", "Slightly important", "Moderately important",
                   "Important", "Very important"],
    "critical": ["Not important", "Somewhat important", "Important", "Very important", "Critical"],
    "quality": ["Poor", "Fair", "Good", "Very good", "Excellent"],
    "frequency": ["Never", "Rarely", "Sometimes", "Often", "Always"],
}  # fmt: skip


def write_scales() -> None:
    """One export per scale case, each with a `role` column that splits the two groups."""
    folder = OUT / "scales"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261126)
    n = 120
    ten = ["Strongly Disagree", *map(str, range(2, 10)), "Strongly Agree"]
    seven = ["1 - Not at all", *map(str, range(2, 7)), "7 - Completely"]
    impressive = ["1 - Not impressive", "2 - Slightly impressive", "3 - Moderately impressive",
                  "4 - Very impressive", "5 - Extremely impressive"]  # fmt: skip
    labelled = {
        "role": _roles(rng, n),
        "ten_point": _pick(rng, ten, n),
        "seven_point": _pick(rng, seven, n),
        "impressive": _pick(rng, impressive, n),
        # only 2..6 between the ends: the length is open (1-7 guessed, --scale decides)
        "open_length": _pick(rng, ["Strongly disagree", "2", "3", "4", "5", "6"], n),
    }
    (folder / "end-labelled.csv").write_text(_csv(_rows(labelled)), encoding="utf-8")

    codes = {
        "role": _roles(rng, n),
        "respondent_id": [f"R{i:04d}" for i in range(n)],
        "five": _pick(rng, ["1", "2", "3", "4", "5"], n),
        "seven": _pick(rng, [str(k) for k in range(1, 8)], n),
        "ten_zero": _pick(rng, [str(k) for k in range(0, 11)], n),
        "ten_one": _pick(rng, [str(k) for k in range(1, 11)], n),
        "slider": _pick(rng, [str(k) for k in range(0, 101)], n),
        "qualtrics_na": _pick(rng, ["1", "2", "3", "-1", "-2"], n),
        "stray": ["see comment" if k in (5, 50) else str(1 + k % 5) for k in range(n)],
        "running": [str(1000 + k) for k in range(n)],
        "year": _pick(rng, [str(y) for y in range(1950, 2006)], n),
        "count": _pick(rng, [str(k) for k in range(0, 400)], n),
        "joined": [f"2026-0{1 + k % 9}-{10 + k % 18} 10:{k % 60:02d}" for k in range(n)],
        "comment": [f"comment {k}" if k % 3 else "" for k in range(n)],
        "option_email": _pick(rng, ["Email", ""], n, blank=0),
        "empty": [""] * n,
        "na_only": _pick(rng, ["N/A", "", "Don't know"], n, blank=0),
        "decimals": _pick(rng, ["1.5", "2.25", "3.75", "4.5"], n),
    }
    codes["option_email"][0] = "Email"
    (folder / "numeric.csv").write_text(_csv(_rows(codes)), encoding="utf-8")

    words = {"role": _roles(rng, n)} | {k: _pick(rng, v, n) for k, v in FOREIGN.items()}
    (folder / "vocabularies.csv").write_text(_csv(_rows(words)), encoding="utf-8")

    names = {
        "role": _roles(rng, n),
        "Staff\u00a0do a  good job": _pick(rng, LABELS, n),
        "I\u2019m treated fairly": _pick(rng, LABELS, n),
        "Q5_1": _pick(rng, LABELS, n),
        "Q5_2": _pick(rng, LABELS, n),
    }
    (folder / "names.csv").write_text(_csv(_rows(names)), encoding="utf-8")
    _declared_sav(rng, folder / "declared.sav")


def _declared_sav(rng: np.random.Generator, path: Path) -> None:
    """SPSS value labels: a 1-7 item where only 1, 2 and 7 occur; the positive end coded 1;
    numbered points between labelled ends; Don't know / No answer as 8 / 9; categories."""
    import pyreadstat

    n = 90
    seven = {
        1.0: "Very dissatisfied",
        2.0: "Dissatisfied",
        3.0: "Somewhat dissatisfied",
        4.0: "Neutral",
        5.0: "Somewhat satisfied",
        6.0: "Satisfied",
        7.0: "Very satisfied",
    }
    helpful = {
        1.0: "Extremely helpful",
        2.0: "Moderately helpful",
        3.0: "Slightly helpful",
        4.0: "Neither helpful nor unhelpful",
        5.0: "Slightly unhelpful",
        6.0: "Moderately unhelpful",
        7.0: "Extremely unhelpful",
    }
    world = {
        1.0: "1-world evil",
        2.0: "2",
        3.0: "3",
        4.0: "4",
        5.0: "5",
        6.0: "6",
        7.0: "7-much goodness",
        8.0: "Don't know",
        9.0: "No answer",
    }
    agree = {
        1.0: "Strongly agree",
        2.0: "Agree",
        3.0: "Disagree",
        4.0: "Strongly disagree",
        8.0: "Don't know",
        9.0: "No answer",
    }
    faith = {1.0: "Orthodox", 2.0: "Conservative", 3.0: "Reform", 4.0: "None"}
    sex = {1.0: "Male", 2.0: "Female"}  # fmt: skip

    def draw(codes: list[float]) -> list[float | None]:
        return [None if r < 0.05 else float(c) for c, r in
                zip(rng.choice(codes, n), rng.random(n), strict=True)]  # fmt: skip

    columns = {
        "sex": draw([1, 2]),
        "sat_sparse": draw([1, 2, 7]),
        "helpful": draw([1, 2, 3, 4, 5, 6, 7]),
        "world": draw([1, 2, 3, 4, 5, 6, 7, 8, 9]),
        "agree_gss": draw([1, 2, 3, 4, 8, 9]),
        "faith": draw([1, 2, 3, 4]),
    }
    columns["sex"] = [1.0 if k % 2 else 2.0 for k in range(n)]
    labels = {"sex": sex, "sat_sparse": seven, "helpful": helpful, "world": world,
              "agree_gss": agree, "faith": faith}  # fmt: skip
    pyreadstat.write_sav(pl.DataFrame(columns), str(path), variable_value_labels=labels)


#: The frequency options of the expanded fixture's matrix, in the export's order.
OFTEN = ["Never", "Rarely", "Sometimes", "Frequently", "Very frequently", "Don't know or not sure"]
SATISFIED = ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied",
             "Satisfied", "Very satisfied"]  # fmt: skip
TOOLS = ["Git", "Jira", "Slack"]


def write_expanded() -> None:
    """SurveyMonkey's expanded export, in its text and numeric variants: one column per
    option of a single-answer question (per row x option of a matrix), the ticked
    option's text or code in it, blank otherwise. A frequency matrix of two rows (one
    respondent ticks two options of the second row), a single-answer satisfaction
    question, and a multi-select question whose options are no scale."""
    folder = OUT / "expanded"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261127)
    n = 60
    matrix = "How often does your team do the following? (select one per row)"
    rows = ["Review code", "Write docs - internal"]  # a row label may hold " - " itself
    single = "Overall, how satisfied are you with the program?"
    multi = "Which tools does your team use? (select all that apply)"
    # chosen option index per respondent (None: skipped)
    picks: dict[str, list[list[int]]] = {}
    for row in rows:
        drawn = rng.integers(0, len(OFTEN), n)
        picks[row] = [
            [] if r < 0.1 else [int(c)] for c, r in zip(drawn, rng.random(n), strict=True)
        ]
    picks[rows[1]][7] = [2, 3]  # a double tick in a single-answer row
    drawn = rng.integers(0, len(SATISFIED), n)
    picks[single] = [
        [] if r < 0.05 else [int(c)] for c, r in zip(drawn, rng.random(n), strict=True)
    ]
    picks[multi] = [[k for k in range(len(TOOLS)) if rng.random() < 0.6] for _ in range(n)]
    questions = [(matrix, row, OFTEN) for row in rows] + [
        (single, "", SATISFIED),
        (multi, "", TOOLS),
    ]
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date"]
    top, sub = list(meta), [""] * len(meta)
    last = ""
    for question, row, options in questions:
        for k, option in enumerate(options):
            top.append(question if question != last and k == 0 else "")
            sub.append(f"{row} - {option}" if row else option)
            last = question
    for numeric in (False, True):
        body = []
        for i in range(n):
            line = [f"{114000000 + i}", "4321", "07/01/2026 10:00:00 AM", "07/01/2026 10:06:40 AM"]
            for question, row, options in questions:
                chosen = picks[row or question][i]
                for k, option in enumerate(options):
                    line.append((str(k + 1) if numeric else option) if k in chosen else "")
            body.append(line)
        if numeric:  # the publisher's row of question numbers over each question
            marks = [f"q{k}" for k in range(1, len(questions))]
            qrow = [""] * len(meta)
            for cell in top[len(meta) :]:
                qrow.append(marks.pop(0) if cell else "")
            text = _csv([qrow, top, sub, *body], eol="\r\n")
            (folder / "sm-expanded-numeric.csv").write_text(text, "utf-8")
        else:  # UTF-8 with a BOM, and empty rows at the end, as the platform writes
            text = _csv([top, sub, *body, *[[""] * len(top)] * 3], eol="\r\n")
            (folder / "sm-expanded-text.csv").write_text(text, "utf-8-sig")


if __name__ == "__main__":
    write_formats(dataset())
    write_layouts(dataset())
    write_dirt()
    write_scales()
    write_expanded()
