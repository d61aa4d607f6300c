"""The counts file: `cxgap counts` once, then every command on the counts gives the result
the exports give, byte for byte; and a bad counts file is one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from tests.conftest import ROOT, SAMPLE
from typer.testing import CliRunner

from cxgap.analysis.build import analyze
from cxgap.analysis.run import analysis_and_trend
from cxgap.analysis.trend import trend
from cxgap.cli import app
from cxgap.config import Config, load_config
from cxgap.counts import COUNTS_VERSION, META_KEY, SCHEMA, CountsFile
from cxgap.errors import EXIT_BAD_INPUT, CountsFileError, NeedsRows
from cxgap.render.json import render_json
from cxgap.scan.count_out import count

runner = CliRunner()
REAL = ROOT.parent / "shared" / "real-exports"
LEADERS, CUSTOMERS = SAMPLE / "leaders.csv", SAMPLE / "customers.csv"
WAVES = str(SAMPLE / "leaders*.csv"), str(SAMPLE / "customers*.csv")


def _counted(tmp_path: Path, leaders: object, customers: object, cfg: Config) -> CountsFile:
    path = tmp_path / "counts.parquet"
    path.write_bytes(count(leaders, customers, cfg))  # type: ignore[arg-type]
    return CountsFile(path)


@pytest.fixture(scope="module")
def cfg() -> Config:
    """The sample's settings without its unit column: a counts table without segment keys."""
    return load_config(SAMPLE / "cxgap.toml").model_copy(update={"unit_column": None})


def test_sample_from_counts_equals_the_exports(tmp_path: Path) -> None:
    # the sample's own settings: the unit column (branch) a key, the per-unit view from it
    cfg = load_config(SAMPLE / "cxgap.toml")
    counted = _counted(tmp_path, LEADERS, CUSTOMERS, cfg)
    assert pl.read_parquet(counted.path).columns[3] == "branch"
    for importance in (False, True):
        raw = render_json(analyze(LEADERS, CUSTOMERS, cfg, importance=importance))
        via = render_json(analyze(counted, counted, cfg, importance=importance))
        assert via == raw
    assert any('"importance": 0.' in line for line in via.splitlines())
    assert json.loads(via)["units"]["comparisons"][0]["ranking"]


def test_composite_headline_from_counts(tmp_path: Path, cfg: Config) -> None:
    # no headline item: each respondent's composite is counted with the table
    composite = cfg.model_copy(
        update={"exclude_columns": [*cfg.exclude_columns, "overall_strong_cx"]}
    )
    counted = _counted(tmp_path, LEADERS, CUSTOMERS, composite)
    raw = analyze(LEADERS, CUSTOMERS, composite)
    assert raw.headline.source == "composite"
    assert render_json(analyze(counted, counted, composite)) == render_json(raw)
    # another agree rule would need the rows again: said, not guessed
    stricter = composite.model_copy(update={"agree": "top-box"})
    with pytest.raises(NeedsRows, match="counted with agree = 'top2'") as caught:
        analyze(counted, counted, stricter)
    assert caught.value.file == str(counted.path)


def test_waves_trend_and_charts_from_counts(tmp_path: Path, cfg: Config) -> None:
    counted = _counted(tmp_path, *WAVES, cfg)
    assert render_json(trend(counted, counted, cfg)) == render_json(trend(*WAVES, cfg))
    assert render_json(analyze(counted, counted, cfg)) == render_json(analyze(*WAVES, cfg))
    latest, by_wave = analysis_and_trend(counted, counted, cfg)
    raw_latest, raw_trend = analysis_and_trend(*WAVES, cfg)
    assert render_json(latest) == render_json(raw_latest)
    assert by_wave is not None and raw_trend is not None
    assert render_json(by_wave) == render_json(raw_trend)


def test_the_counts_file_is_the_documented_contract(tmp_path: Path, cfg: Config) -> None:
    data = count(*WAVES, cfg)
    assert data == count(*WAVES, cfg)  # the same bytes every run
    path = tmp_path / "c.parquet"
    path.write_bytes(data)
    table = pl.read_parquet(path)
    assert table.schema == pl.Schema(SCHEMA)
    assert table.columns == ["group", "item", "wave", "value", "n", "w_sum", "w2_sum"]
    meta = json.loads(pl.read_parquet_metadata(path)[META_KEY])
    assert meta["counts_version"] == COUNTS_VERSION
    assert set(meta["groups"]) == {"leaders", "customers"}
    # counted by wave: the customers' answers per wave add up to the file's rows
    customers = table.filter(
        (pl.col("group") == "customers") & (pl.col("item") == "ambition_clear")
    )
    assert sorted(customers["wave"].unique().to_list()) == ["2026Q2", "2026Q3"]
    rows = sum(pl.read_csv(p).height for p in sorted(SAMPLE.glob("customers*.csv")))
    assert int(customers["n"].sum()) == rows


def _per_key(rows: pl.DataFrame, keys: list[str], item: str) -> pl.DataFrame:
    """The answers to ``item`` per combination of ``keys``, counted from the rows."""
    found = rows.group_by(*keys, item).len().rename({item: "value", "len": "n"})
    return found.with_columns(pl.col("n").cast(pl.Int64)).sort(*keys, "value", nulls_last=False)


def test_segment_keys_are_columns_of_the_counts_table(tmp_path: Path, cfg: Config) -> None:
    # Segment keys, cross-classified: the customers' (text labels) by region and channel;
    # null where a file has no such column (the leaders' has neither).
    seg = cfg.model_copy(update={"segment_columns": ["region", "channel"]})
    path = tmp_path / "c.parquet"
    path.write_bytes(count(*WAVES, seg))
    table = pl.read_parquet(path)
    keys = ["group", "item", "wave", "region", "channel", "value"]
    assert table.columns == [*keys, "n", "w_sum", "w2_sum"]
    assert table.schema["region"] == pl.String and table.schema["n"] == pl.Int64
    meta = json.loads(pl.read_parquet_metadata(path)[META_KEY])
    assert meta["segments"] == ["region", "channel"]
    assert table.group_by(keys).len()["len"].max() == 1  # one row per key
    leaders = table.filter(pl.col("group") == "leaders")
    assert leaders["region"].null_count() == leaders["channel"].null_count() == leaders.height
    files = sorted(SAMPLE.glob("customers*.csv"))
    rows = pl.concat([pl.read_csv(p, infer_schema=False) for p in files])
    got = (
        table.filter(pl.col("group") == "customers", pl.col("item") == "ambition_clear")
        .select("wave", "region", "channel", "value", "n")
        .sort("wave", "region", "channel", "value", nulls_last=False)
    )
    assert got.equals(_per_key(rows, ["wave", "region", "channel"], "ambition_clear"))
    # analyses pool the keys: the same as the exports (and as counting without them)
    counted = CountsFile(path)
    assert render_json(analyze(counted, counted, seg)) == render_json(analyze(*WAVES, seg))
    assert render_json(trend(counted, counted, seg)) == render_json(trend(*WAVES, cfg))


def test_segment_keys_from_the_integer_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    import cxgap.scan.per_file

    rng = np.random.default_rng(3)
    k = 600
    rows = pl.DataFrame({
        "wave": rng.choice(["2026Q1", "2026Q2"], k), "region": rng.choice(["N", "S", ""], k),
        "q": rng.integers(1, 6, k).astype(str), "r": rng.choice(["1", "2", "4", "5", ""], k),
    }).with_columns(pl.col(c).replace("", None) for c in ("region", "r"))  # fmt: skip
    rows.write_csv(tmp_path / "c.csv")  # blanks as empty fields
    seen: list[object] = []
    spy = cxgap.scan.per_file.integer_count_query
    monkeypatch.setattr(
        cxgap.scan.per_file, "integer_count_query",
        lambda *a, **kw: seen.append(kw["segments"]) or spy(*a, **kw),
    )  # fmt: skip
    seg = Config(headline_item="q", segment_columns=["region"])
    path = tmp_path / "c.parquet"
    path.write_bytes(count(tmp_path / "c.csv", tmp_path / "c.csv", seg))
    assert seen and all(s == ("region",) for s in seen)  # the integer pass counted them
    table = pl.read_parquet(path).filter(pl.col("group") == "customers")
    for item in ("q", "r"):
        got = (
            table.filter(pl.col("item") == item).select("wave", "region", "value", "n")
            .sort("wave", "region", "value", nulls_last=False)
        )  # fmt: skip
        assert got.equals(_per_key(rows, ["wave", "region"], item))
    counted = CountsFile(path)
    plain = tmp_path / "c.csv"
    assert render_json(analyze(counted, counted, seg)) == render_json(analyze(plain, plain, seg))


def test_counts_version_2_is_still_read(tmp_path: Path, cfg: Config) -> None:
    # Version 2 had one column "segment", always null, between wave and value.
    path = tmp_path / "v2.parquet"
    path.write_bytes(count(*WAVES, cfg))
    table = pl.read_parquet(path)
    meta = json.loads(pl.read_parquet_metadata(path)[META_KEY])
    meta = {**meta, "counts_version": 2}
    del meta["segments"]
    for group in meta["groups"].values():
        group["segment_column"] = (
            group.pop("segment_columns")[0] if group["segment_columns"] else None
        )
    old = table.select(
        "group", "item", "wave", pl.lit(None, dtype=pl.String).alias("segment"), "value", "n",
        "w_sum", "w2_sum",
    )  # fmt: skip
    v2 = tmp_path / "old.parquet"
    old.write_parquet(v2, metadata={META_KEY: json.dumps(meta)})
    counted = CountsFile(v2)
    assert render_json(analyze(counted, counted, cfg)) == render_json(analyze(*WAVES, cfg))


def test_cli_counts_then_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    conf = ["-c", "data/sample/cxgap.toml"]
    waves = ["data/sample/leaders*.csv", "data/sample/customers*.csv"]
    out = runner.invoke(app, ["counts", *waves, *conf, "-o", str(tmp_path / "c.parquet")])
    assert out.exit_code == 0, out.stderr
    counts = str(tmp_path / "c.parquet")
    for command in (["trend", "--format", "json"], ["check", "--format", "json"]):
        a = runner.invoke(app, [*command[:1], counts, *command[1:], *conf])
        b = runner.invoke(app, [*command[:1], *waves, *command[1:], *conf])
        assert a.exit_code == b.exit_code and a.stdout == b.stdout, command
    flag = runner.invoke(app, ["analyze", "--counts", counts, *conf, "--format", "json"])
    plain = runner.invoke(app, ["analyze", *waves, *conf, "--format", "json"])
    assert flag.exit_code == 0 and flag.stdout == plain.stdout
    for kind, suffix in (("deck", "pptx"), ("report", "html")):
        a, b = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        assert runner.invoke(app, [kind, counts, *conf, "-o", str(a)]).exit_code == 0
        assert runner.invoke(app, [kind, *waves, *conf, "-o", str(b)]).exit_code == 0
        assert a.read_bytes() == b.read_bytes(), kind


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["analyze", "{counts}", "data/sample/customers.csv"], "usage", "give it alone"),
        (["validate", "{counts}"], "usage", "validate checks exports"),
        (
            ["counts", "data/sample/leaders.csv", "data/sample/customers.csv", "-o", "{tmp}/c.csv"],
            "usage",
            "written as .parquet",
        ),
        (["analyze", "--counts", "{tmp}/plain.parquet"], "counts-file", "without cxgap's counts"),
        (["analyze", "--counts", "{tmp}/junk.parquet"], "counts-file", "not a Parquet file"),
        (["analyze", "--counts", "{tmp}/v9.parquet"], "counts-file", "counts version 9"),
        (["analyze", "--counts", "{tmp}/negative.parquet"], "counts-file", "a negative count"),
        (["analyze", "--counts", "{tmp}/typed.parquet"], "counts-file", "type"),
        (
            ["analyze", "{counts}", "--headline-item", "ambition_clear", "--charts", "{tmp}/ch"],
            "needs-rows",
            "'ambition_clear'",
        ),
    ],
)
def test_bad_counts_input_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: str, words: str
) -> None:
    monkeypatch.chdir(ROOT)
    good = tmp_path / "good.parquet"
    good.write_bytes(count(LEADERS, CUSTOMERS, load_config(SAMPLE / "cxgap.toml")))
    table = pl.read_parquet(good)
    meta = pl.read_parquet_metadata(good)[META_KEY]
    pl.DataFrame({"a": [1]}).write_parquet(tmp_path / "plain.parquet")
    (tmp_path / "junk.parquet").write_text("not parquet")
    newer = json.dumps({**json.loads(meta), "counts_version": 9})
    table.write_parquet(tmp_path / "v9.parquet", metadata={META_KEY: newer})
    negative = table.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(-1).otherwise("n").alias("n")
    )
    negative.write_parquet(tmp_path / "negative.parquet", metadata={META_KEY: meta})
    typed = table.with_columns(pl.col("n").cast(pl.Float64))
    typed.write_parquet(tmp_path / "typed.parquet", metadata={META_KEY: meta})
    argv = [a.format(counts=good, tmp=tmp_path) for a in args]
    out = runner.invoke(app, [*argv, "-c", "data/sample/cxgap.toml"])
    assert out.exit_code == EXIT_BAD_INPUT, out.stdout
    assert f"[{code}]" in out.stderr and words in out.stderr, out.stderr
    assert "Traceback" not in out.stderr


def test_counts_file_error_names_the_column(tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    good.write_bytes(count(LEADERS, CUSTOMERS, Config()))
    meta = pl.read_parquet_metadata(good)[META_KEY]
    pl.read_parquet(good).drop("w2_sum").write_parquet(tmp_path / "x.parquet",
                                                       metadata={META_KEY: meta})  # fmt: skip
    with pytest.raises(CountsFileError, match="no column 'w2_sum'"):
        analyze(CountsFile(tmp_path / "x.parquet"), CountsFile(tmp_path / "x.parquet"))


@pytest.mark.skipif(not REAL.is_dir(), reason="needs ../shared/real-exports beside the clone")
@pytest.mark.parametrize(
    ("name", "settings"),
    [
        ("surveymonkey/sm-todo-ospo2024-numeric.csv", {}),  # option columns rejoined
        ("qualtrics/qt-legacy-many-types.csv", {}),
        (
            "spss/spss-pallant-survey.sav",
            {"group_column": "sex", "leaders_values": ["MALES"], "customers_values": ["FEMALES"]},
        ),
    ],
)
def test_real_exports_from_counts_equal_the_exports(
    tmp_path: Path, name: str, settings: dict[str, object]
) -> None:
    path = REAL / name
    cfg = Config.model_validate(settings)
    counted = _counted(tmp_path, path, path, cfg)
    raw = render_json(analyze(path, path, cfg))
    assert render_json(analyze(counted, counted, cfg)) == raw
    assert render_json(analyze(path, path, cfg)) == raw  # and the same every run


def test_every_json_output_validates_against_its_published_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jsonschema

    monkeypatch.chdir(ROOT)
    conf = ["-c", "data/sample/cxgap.toml"]
    waves = ["data/sample/leaders*.csv", "data/sample/customers*.csv"]
    outputs = {
        "analysis": ["analyze", *waves, "--wave", "latest", *conf, "--format", "json"],
        "trend": ["trend", *waves, *conf, "--format", "json"],
        "check": ["check", *waves, *conf, "--format", "json"],
        "validate": ["validate", *waves, *conf, "--format", "json"],
    }
    for kind, argv in outputs.items():
        schema = json.loads(runner.invoke(app, ["schema", kind]).stdout)
        out = runner.invoke(app, argv)
        jsonschema.validate(json.loads(out.stdout), schema)
        version = 1 if kind == "validate" else 2
        assert schema["$id"].endswith(f"/{kind}-{version}.json")
        with pytest.raises(jsonschema.ValidationError):  # the schema can say no
            jsonschema.validate({**json.loads(out.stdout), "schema_version": 3}, schema)
    assert (
        runner.invoke(app, ["counts", *waves, *conf, "-o", str(tmp_path / "c.parquet")]).exit_code
        == 0
    )
    meta = json.loads(pl.read_parquet_metadata(tmp_path / "c.parquet")[META_KEY])
    schema = json.loads(runner.invoke(app, ["schema", "counts"]).stdout)
    jsonschema.validate(meta, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**meta, "counts_version": COUNTS_VERSION + 1}, schema)
    bad = runner.invoke(app, ["schema", "nope"])
    assert bad.exit_code == EXIT_BAD_INPUT and "[usage]" in bad.stderr


def test_counts_metadata_checked_field_by_field(tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    good.write_bytes(count(LEADERS, CUSTOMERS, Config()))
    meta = json.loads(pl.read_parquet_metadata(good)[META_KEY])
    del meta["groups"]["leaders"]["path"]
    pl.read_parquet(good).write_parquet(
        tmp_path / "x.parquet", metadata={META_KEY: json.dumps(meta)}
    )
    with pytest.raises(CountsFileError, match=r"groups\.leaders\.path: Field required"):
        analyze(CountsFile(tmp_path / "x.parquet"), CountsFile(tmp_path / "x.parquet"))


@pytest.mark.parametrize(
    "extra",
    [
        ["--exclude", "basics_*"],
        ["--include", "basics_*"],
        ["--group-column", "wave", "--leaders-value", "2026Q2", "--customers-value", "2026Q3"],
        ["--id-column", "function"],
        ["--source", "csv"],
    ],
)
def test_row_settings_given_on_a_counts_file_stop_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    # Column roles and the item selection are fixed when counting: asking for others on a
    # counts file must not be silently ignored.
    monkeypatch.chdir(ROOT)
    conf = ["-c", "data/sample/cxgap.toml"]
    counts = str(tmp_path / "c.parquet")
    assert runner.invoke(app, ["counts", *WAVES, *conf, "-o", counts]).exit_code == 0
    out = runner.invoke(app, ["analyze", counts, *conf, *extra])
    assert out.exit_code == EXIT_BAD_INPUT, out.stdout
    assert "[needs-rows]" in out.stderr or "[usage]" in out.stderr, out.stderr
    assert "count" in out.stderr and "Traceback" not in out.stderr
    # without those options (with or without the config) it analyses
    assert runner.invoke(app, ["analyze", counts, *conf]).exit_code == 0
    assert runner.invoke(app, ["analyze", counts]).exit_code == 0


def test_config_row_settings_differing_from_the_counted_stop(tmp_path: Path, cfg: Config) -> None:
    counted = _counted(tmp_path, LEADERS, CUSTOMERS, cfg)
    for change in (
        {"exclude_items": ["basics_*"]},
        {"duplicates": "keep_first"},
        {"items": {"warm": {"leaders": "frontline_warmth", "customers": "frontline_empowered"}}},
        {"wave_column": "function"},
    ):
        other = Config.model_validate({**cfg.model_dump(exclude_unset=True), **change})
        with pytest.raises(NeedsRows, match="fixed when counting"):
            analyze(counted, counted, other)
    # settings the counts can answer are welcome
    fine = Config.model_validate({**cfg.model_dump(exclude_unset=True), "confidence": 0.9})
    assert analyze(counted, counted, fine).settings.confidence == 0.9


def test_report_and_deck_from_counts_without_a_headline_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cfg: Config
) -> None:
    # No headline item: no importance either way, so the report is the exports' report.
    monkeypatch.chdir(ROOT)
    conf = tmp_path / "c.toml"
    conf.write_text('exclude_columns = ["comment", "function", "channel", "region", '
                    '"overall_strong_cx"]\n')  # fmt: skip
    counts = str(tmp_path / "c.parquet")
    sample = ["data/sample/leaders.csv", "data/sample/customers.csv"]
    assert runner.invoke(app, ["counts", *sample, "-c", str(conf), "-o", counts]).exit_code == 0
    for kind, suffix in (("report", "html"), ("deck", "pptx")):
        a, b = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        out = runner.invoke(app, [kind, counts, "-c", str(conf), "-o", str(a)])
        assert out.exit_code == 0, out.stderr
        assert runner.invoke(app, [kind, *sample, "-c", str(conf), "-o", str(b)]).exit_code == 0
        assert a.read_bytes() == b.read_bytes(), kind


def test_damaged_counts_files_are_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    good.write_bytes(count(LEADERS, CUSTOMERS, Config()))
    table, meta = pl.read_parquet(good), pl.read_parquet_metadata(good)[META_KEY]
    damaged = {
        "no rows of the leaders": table.filter(pl.col("group") != "leaders"),
        "not among the customers' items": table.with_columns(
            pl.when((pl.col("group") == "customers") & (pl.col("item") == "top_support"))
            .then(pl.lit("renamed"))
            .otherwise("item")
            .alias("item")
        ),
        "column 'n'": table.with_columns(pl.lit(None, dtype=pl.Int64).alias("n")),
    }
    for words, frame in damaged.items():
        path = tmp_path / "bad.parquet"
        frame.write_parquet(path, metadata={META_KEY: meta})
        with pytest.raises(CountsFileError, match=words):
            analyze(CountsFile(path), CountsFile(path))


def test_counts_file_given_as_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # From Python a counts file's path works alone (or as both groups) in analyze and trend;
    # exports need both groups; `cxgap counts` refuses a counts file; a damaged one given
    # alone is a counts-file error, not a request for the customers' file.
    from cxgap.errors import UsageError

    monkeypatch.chdir(ROOT)
    path = tmp_path / "c.parquet"
    path.write_bytes(count(*WAVES, Config()))
    assert render_json(analyze(str(path), None)) == render_json(analyze(*WAVES))  # type: ignore[arg-type]
    assert render_json(trend(str(path), str(path))) == render_json(trend(*WAVES))
    with pytest.raises(UsageError, match="customers' export"):
        analyze(LEADERS, None)  # type: ignore[arg-type]
    out = runner.invoke(app, ["counts", str(path), "-o", str(tmp_path / "again.parquet")])
    assert out.exit_code == EXIT_BAD_INPUT and "already a counts file" in out.stderr
    (tmp_path / "broken.parquet").write_text("not parquet")
    out = runner.invoke(app, ["analyze", str(tmp_path / "broken.parquet")])
    assert out.exit_code == EXIT_BAD_INPUT and "[counts-file]" in out.stderr


def test_a_segment_key_may_not_take_a_column_name_of_the_table() -> None:
    from cxgap.errors import ConfigError

    for name in ("value", "n", "wave"):
        with pytest.raises((ConfigError, ValueError), match="cannot be a segment key"):
            Config(segment_columns=[name])
    with pytest.raises((ConfigError, ValueError), match="named twice"):
        Config(segment_columns=["region", "region"])


def test_a_segment_key_in_no_file_is_a_clear_error(tmp_path: Path, cfg: Config) -> None:
    from cxgap.errors import UnknownColumn

    typo = cfg.model_copy(update={"segment_columns": ["region", "regoin"]})
    with pytest.raises(UnknownColumn, match="segment_columns 'regoin' is not a column") as e:
        count(LEADERS, CUSTOMERS, typo)
    assert e.value.file == str(CUSTOMERS)
    conf = tmp_path / "c.toml"
    conf.write_text('segment_columns = ["regoin"]\n')
    out = runner.invoke(app, ["counts", str(LEADERS), str(CUSTOMERS), "-c", str(conf), "-o",
                              str(tmp_path / "c.parquet")])  # fmt: skip
    assert out.exit_code == EXIT_BAD_INPUT and "regoin" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "c.parquet").exists()
