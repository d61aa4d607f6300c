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


if __name__ == "__main__":
    write_formats(dataset())
    write_layouts(dataset())
    write_dirt()
