"""`cxgap template`: the questionnaires, import files and config written from the item
bank; exports made from them in each platform's layout are analysed with the written
config, every item found and paired."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import tomllib
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cxgap import analyze, load_config
from cxgap.bank import load_bank
from cxgap.bank.template import template_files
from cxgap.cli import app

runner = CliRunner()
GROUPS = ["leaders", "frontline", "customers"]


def _write(tmp_path: Path, **options: object) -> Path:
    folder = tmp_path / "survey"
    args = ["template", "-o", str(folder)]
    for key, value in options.items():
        args += [f"--{key}", str(value)]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.stderr
    return folder


def parse_advanced_format(text: str) -> list[dict[str, object]]:
    """Qualtrics' Advanced Format TXT, as its documentation describes it: the file starts
    with [[AdvancedFormat]]; [[Block:name]] opens a block; [[Question:Type...]] opens a
    question, an optional [[ID:tag]] names it, the lines up to [[Choices]] are its text and
    the lines after it, to the next blank line or tag, its choices. Tags are [[...]] with
    no spaces inside the brackets; any other [[ is an error."""
    lines = text.splitlines()
    assert lines[0] == "[[AdvancedFormat]]"
    questions: list[dict[str, object]] = []
    block = None
    current: dict[str, object] | None = None
    part = None
    for line in lines[1:]:
        tag = re.fullmatch(r"\[\[([A-Za-z]+)(?::([^\[\]]*))?\]\]", line)
        if "[[" in line and tag is None:
            raise ValueError(f"not a tag: {line!r}")
        if tag and tag[1] == "Block":
            block, current = tag[2], None
        elif tag and tag[1] == "Question":
            assert tag[2] and tag[2].startswith(("MC:", "Matrix", "TE", "DB"))
            current = {"type": tag[2], "block": block, "id": None, "text": [], "choices": []}
            questions.append(current)
            part = "text"
        elif tag and tag[1] == "ID":
            assert current is not None and current["id"] is None
            current["id"] = tag[2]
        elif tag and tag[1] == "Choices":
            part = "choices"
        elif tag:
            raise ValueError(f"unexpected tag {line!r}")
        elif line.strip() and current is not None:
            current[str(part)].append(line)  # type: ignore[union-attr]
        elif not line.strip() and part == "choices":
            current, part = None, None
    return questions


def test_the_written_files_and_the_qualtrics_file_by_its_documented_format(
    tmp_path: Path,
) -> None:
    folder = _write(tmp_path, themes="basics,ownership", company="Acme",
                    groups="leaders,frontline,customers")  # fmt: skip
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([*(f"{g}{s}" for g in GROUPS for s in (".md", ".html",
                           "-qualtrics.txt")), "questions.csv", "cxgap.toml"])  # fmt: skip
    bank = load_bank()
    wanted = [i.id for i in bank.of_themes(["basics", "ownership"])]
    for group in GROUPS:
        found = parse_advanced_format((folder / f"{group}-qualtrics.txt").read_text())
        assert [q["id"] for q in found] == wanted
        for q in found:
            item = bank.item(str(q["id"]))
            assert q["text"] == [item.wording(group, "self", "Acme")]  # type: ignore[arg-type]
            assert q["choices"] == ([str(k) for k in range(11)] if item.nps else
                                    ["Strongly disagree", "Disagree", "Neither agree nor "
                                     "disagree", "Agree", "Strongly agree",
                                     "Don't know"])  # fmt: skip
        assert {q["block"] for q in found} == {"Basics", "Ownership", "Overall"}
    rows = list(csv.DictReader(io.StringIO((folder / "questions.csv").read_text())))
    assert len(rows) == 3 * len(wanted)
    cfg = tomllib.loads((folder / "cxgap.toml").read_text())
    assert cfg["headline_item"] == "overall_strong_cx" and cfg["nps_items"] == ["recommend"]
    assert set(cfg["items"]) == set(wanted)
    # the same bytes every time
    again = template_files(bank, themes=["basics", "ownership"], company="Acme",
                           groups=GROUPS)  # type: ignore[arg-type]  # fmt: skip
    assert all((folder / n).read_text() == t for n, t in again.items())


def test_prediction_wording_and_hostile_company_names(tmp_path: Path) -> None:
    hostile = '<b>Acme</b> & Sons [[ID:x]] "=HYPERLINK()" *co*'
    files = template_files(load_bank(), themes=["basics"], company=hostile,
                           groups=["leaders", "customers"], kind="prediction")  # fmt: skip
    assert "Our customers would say we keep the promises" in files["leaders.md"]
    assert "We keep the promises" not in files["leaders.md"]
    assert "<b>" not in files["customers.html"] and "&lt;b&gt;Acme&lt;/b&gt;" in files[
        "customers.html"]  # fmt: skip
    assert "<b>" not in files["customers.md"] and "\\*co\\*" in files["customers.md"]
    assert "&amp;" not in files["customers.md"] and "&lt;b&gt;Acme&lt;/b&gt; & Sons" in files[
        "customers.md"]  # fmt: skip
    parse_advanced_format(files["customers-qualtrics.txt"])  # no tag from the name
    assert "[[ID:x]]" not in files["customers-qualtrics.txt"]
    cfg = tomllib.loads(files["cxgap.toml"])  # the name inside TOML strings, escaped
    assert hostile in cfg["items"]["basics_promises_kept"]["customers"]
    assert load_config  # the file loads as a config too (below)


def _answers(rng: random.Random, choices: list[str], agree: float) -> str:
    if rng.random() < 0.05:
        return ""
    if choices[-1] == "Don't know":  # a non-answer now and then
        if rng.random() < 0.05:
            return choices[-1]
        choices = choices[:-1]
    top = choices[-2:] if len(choices) == 5 else choices[9:]
    rest = choices[:-2] if len(choices) == 5 else choices[:9]
    return rng.choice(top if rng.random() < agree else rest)


def _export(
    tmp_path: Path, layout: str, group: str, files: dict[str, str], n: int, agree: float
) -> Path:
    """A synthetic export of the group's questionnaire in a platform's layout."""
    bank = load_bank()
    found = parse_advanced_format(files[f"{group}-qualtrics.txt"])
    rng = random.Random(f"{layout}{group}")
    rows = [[_answers(rng, list(q["choices"]), agree) for q in found]  # type: ignore[arg-type]
            for _ in range(n)]  # fmt: skip
    texts = [str(q["text"][0]) for q in found]  # type: ignore[index]
    path = tmp_path / f"{group}-{layout}"
    if layout == "qualtrics":  # three header rows: export tags, question text, ImportIds
        tags = [str(q["id"]) for q in found]
        head = ["StartDate", "EndDate", "Finished", "ResponseId", *tags]
        text = ["Start Date", "End Date", "Finished", "Response ID", *texts]
        ids = [json.dumps({"ImportId": k}) for k in ("startDate", "endDate", "finished",
               "_recordId")] + [json.dumps({"ImportId": f"QID{k + 1}"}) for k in
                                range(len(tags))]  # fmt: skip
        out = io.StringIO()
        w = csv.writer(out)
        w.writerows([head, text, ids])
        w.writerows(["2026-01-05 10:00:00", "2026-01-05 10:05:00", "1", f"R_{k:04d}", *r]
                    for k, r in enumerate(rows))  # fmt: skip
        path = path.with_suffix(".csv")
        path.write_text(out.getvalue(), encoding="utf-8")
    elif layout == "google-forms":
        frame = pl.DataFrame([["2026/01/05 10:00:00 AM GMT", *r] for r in rows],
                             schema=["Timestamp", *texts], orient="row")  # fmt: skip
        path = path.with_suffix(".csv")
        frame.write_csv(path)
    else:  # Microsoft Forms: an xlsx with its own columns first
        frame = pl.DataFrame([[str(k + 1), "1/5/26 10:00:00", "1/5/26 10:05:00", "anonymous",
                               "", *r] for k, r in enumerate(rows)],
                             schema=["ID", "Start time", "Completion time", "Email", "Name",
                                     *texts], orient="row")  # fmt: skip
        path = path.with_suffix(".xlsx")
        frame.write_excel(path)
    assert bank  # the bank the questionnaire came from
    return path


@pytest.mark.parametrize(
    "layouts",
    [
        ("qualtrics", "qualtrics", "qualtrics"),
        ("google-forms", "google-forms", "google-forms"),
        ("microsoft-forms", "microsoft-forms", "microsoft-forms"),
        ("qualtrics", "microsoft-forms", "google-forms"),
    ],
)
def test_exports_of_the_template_analyse_with_its_config(
    tmp_path: Path, layouts: tuple[str, str, str]
) -> None:
    folder = _write(tmp_path, themes="basics,channels", company="Acme",
                    groups="leaders,frontline,customers")  # fmt: skip
    files = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    sizes = {"leaders": (60, 0.8), "frontline": (120, 0.6), "customers": (400, 0.3)}
    paths = {g: _export(tmp_path, layout, g, files, *sizes[g])
             for g, layout in zip(GROUPS, layouts, strict=True)}  # fmt: skip
    cfg = load_config(folder / "cxgap.toml")
    result = analyze(paths["leaders"], paths["customers"], cfg,
                     groups={"frontline": paths["frontline"]})  # fmt: skip
    wanted = {i.id for i in load_bank().of_themes(["basics", "channels"])}
    assert {i.item for i in result.items} == wanted
    assert result.headline.source == "item" and result.headline.item == "overall_strong_cx"
    assert [n.item for n in result.nps] == ["recommend"]
    assert not any(result.excluded.only_in.values())
    for item in result.items:
        assert all(item.groups[g].n > 0 for g in GROUPS)
        assert item.label == load_bank().item(item.item).label
        assert item.groups["customers"].missing > 0  # blanks and "Don't know"


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    for args, message in (
        (["--groups", "bosses"], "--groups takes leaders, frontline and customers"),
        (["--groups", "leaders,leaders"], "each once"),
        (["--kind", "guess"], "--kind is self or prediction"),
        (["--themes", "basic"], "unknown theme(s) basic"),
    ):
        out = runner.invoke(app, ["template", "-o", str(tmp_path / "x"), *args])
        assert out.exit_code == 2 and message in out.stderr, (args, out.stderr)
    (tmp_path / "file").write_text("x")
    out = runner.invoke(app, ["template", "-o", str(tmp_path / "file")])
    assert out.exit_code == 2 and "-o names a folder" in out.stderr


def test_an_items_column_named_by_a_question_with_a_question_mark(tmp_path: Path) -> None:
    from cxgap import Config
    from cxgap.config.sections import ItemSpec

    question = "How likely are you [really] to recommend us? (0-10)"
    rows = [{"id": k, question: str(k % 11), "q2": "Agree"} for k in range(40)]
    path = tmp_path / "c.csv"
    pl.DataFrame(rows).write_csv(path)
    cfg = Config(items={"recommend": ItemSpec(leaders=question, customers=question,
                                              scale="0-10")})  # fmt: skip
    result = analyze(path, path, cfg)
    assert "recommend" in {i.item for i in result.items}
    assert question not in {i.item for i in result.items}
    # a platform that trims the final full stop, or changes the case, still pairs
    trimmed = [{("ALL GOOD" if k == "q2" else k): v for k, v in r.items()} for r in rows]
    pl.DataFrame(trimmed).write_csv(path)
    cfg = Config(items={"recommend": ItemSpec(leaders=question, customers=question,
                                              scale="0-10"),
                        "good": ItemSpec(leaders="All good.", customers="All good.")})  # fmt: skip
    assert {"recommend", "good"} <= {i.item for i in analyze(path, path, cfg).items}
