"""The integer pass per wave and segment by numpy scatter-adds (cxgap.scan.scatter) gives
the frame of the polars query it stands for (integer_count_query, grouped), bit for bit:
waves, two segment keys with blank labels, weights (bad ones too; large enough for the
fixed-point sums to need limbs and carries), blank and out-of-range answers, the composite
tally and the cross-tab, over many batches."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

import cxgap.scan.per_file as per_file
import cxgap.scan.scatter as scatter
from cxgap.analysis.build import analyze
from cxgap.config import Config
from cxgap.io.csv import open_csv
from cxgap.render.json import render_json
from cxgap.scan.first_rows import sniff_files
from cxgap.scan.integer_pass import integer_count_query, segment_key
from cxgap.scan.integer_row import ROWS, WAVE_KEY, complete_row

CODES = {"a": [1, 2, 3, 4, 5], "b": [1, 2, 3, 4, 5], "c": list(range(11)), "d": [1, 2, 4, 5]}
VOTES = {"a": {"4": 1, "5": 1, "1": -1, "2": -1}, "d": {"1": -1, "2": -1, "4": 1, "5": 1}}
#: weights: typical; large enough that a batch's sum of squares needs limbs (2**26 each,
#: three of them) while the weights' own sums need carries between batches; huge
WEIGHTS = {"typical": (0.2, 3.0), "limbs": (3e3, 6e3), "huge": (4e5, 6e5)}


def _export(path: Path, seed: int, weights: tuple[float, float], other: bool) -> Path:
    rng = np.random.default_rng(seed)
    k = 3000

    def answers(codes: list[int]) -> pl.Series:
        v = rng.choice(codes, k).astype(float)
        v[rng.random(k) < 0.1] = np.nan
        if other:  # below, above and between the expected codes
            v[rng.random(k) < 0.01] = rng.choice([min(codes) - 1, max(codes) + 4, 3])
        return pl.Series(v, nan_to_null=True).cast(pl.Int64)

    def labels(options: list[str | None]) -> pl.Series:
        return pl.Series(rng.choice(np.array(options, dtype=object), k).tolist(), dtype=pl.String)

    low, high = weights
    weight = pl.Series(np.round(rng.uniform(low, high, k), 4).astype(str).tolist())
    bad = rng.random(k)
    weight = weight.scatter(np.flatnonzero(bad < 0.01), "-1").scatter(
        np.flatnonzero(bad > 0.99), "x"
    )
    pl.DataFrame({
        "wave": labels(["2025", "2026", None]), "region": labels(["N", "S", None]),
        "channel": labels(["web", "app", "phone"]),
        **{item: answers(codes) for item, codes in CODES.items()},
        "weight": weight, "last": answers([1, 2]),
    }).write_csv(path)  # fmt: skip
    return path


@pytest.mark.parametrize("weights", [None, *WEIGHTS])
@pytest.mark.parametrize("tally", [False, True], ids=["plain", "tally+crosstab"])
@pytest.mark.parametrize("other", [False, True], ids=["codes", "other"])
def test_scatter_pass_equals_the_grouped_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, weights: str | None, tally: bool, other: bool
) -> None:
    monkeypatch.setattr(scatter, "BATCH_ROWS", 256)  # a dozen batches, labels arriving late
    path = _export(tmp_path / "e.csv", 5, WEIGHTS[weights or "typical"], other)
    survey = open_csv(path)
    spec = {
        "columns": {item: item for item in CODES}, "codes": CODES, "wave": "wave",
        "votes": VOTES if tally else None, "blanks_of": "last",
        "crosstab_by": "a" if tally else None, "segments": ("region", "channel"),
        "weight": "weight" if weights else None,
    }  # fmt: skip
    query = integer_count_query(survey, by_wave=True, **spec)  # type: ignore[arg-type]
    keys = [WAVE_KEY, segment_key("region"), segment_key("channel")]
    expected = survey.collect(query).sort(keys, nulls_last=False)
    got = scatter.scattered(survey, query.collect_schema(), **spec)  # type: ignore[arg-type]
    assert got.schema == expected.schema
    assert got.equals(expected)
    assert got.height == 27  # every combination of labels, blanks included


def test_limbs_are_exact() -> None:
    """Fixed-point weights past 2**62 per batch come as 26-bit limbs that add back."""
    rng = np.random.default_rng(2)
    values = np.rint(rng.uniform(1e5, 2e5, 5000) ** 2 * 1e12)  # squared weights, fixed
    parts = scatter._parts(np, values)
    assert [shift for shift, _, _ in parts] == [0, 26, 52]
    assert all(int(part.max()) < 1 << 26 for _, part, _ in parts)
    whole = sum(int(part.astype(object).sum()) << shift for shift, part, _ in parts)
    assert whole == sum(int(v) for v in values.tolist())
    small = scatter._parts(np, np.array([2.0e12, 3.0e12]))
    assert [(shift, part.tolist()) for shift, part, _ in small] == [(0, [2 * 10**12, 3 * 10**12])]
    with pytest.raises(scatter.TooWide):
        scatter._parts(np, np.array([np.inf]))


def test_too_many_labels_fall_back_to_the_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the labels' cells would not fit, the pass runs the query: the same result."""
    path = _export(tmp_path / "e.csv", 6, WEIGHTS["typical"], False)
    cfg = Config(segment_columns=["region", "channel"], weight_column="weight",
                 invalid_weights="drop")  # fmt: skip
    fitted = render_json(analyze(path, path, cfg))
    ran: list[str] = []
    spy = scatter.scattered

    def tight(*a: object, **kw: object) -> pl.DataFrame:
        ran.append("scatter")
        return spy(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(per_file, "scattered", tight)
    monkeypatch.setattr(scatter, "MAX_CELLS", 100)
    assert render_json(analyze(path, path, cfg)) == fitted
    assert ran  # it was tried, and gave way


@pytest.mark.parametrize("weights", [None, "typical", "limbs"])
@pytest.mark.parametrize("pooled", [False, True], ids=["per-wave", "pooled"])
def test_batches_of_one_wave_and_the_pooled_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, weights: str | None, pooled: bool
) -> None:
    """Rows sorted by wave (each batch one wave's: one group id for the whole batch), per
    wave or pooled (the query's one row, with its first and last wave and blank waves)."""
    monkeypatch.setattr(scatter, "BATCH_ROWS", 256)
    source = _export(tmp_path / "e.csv", 7, WEIGHTS[weights or "typical"], False)
    path = tmp_path / "sorted.csv"
    pl.read_csv(source).sort("wave", nulls_last=True).write_csv(path)
    survey = open_csv(path)
    spec = {
        "columns": {item: item for item in CODES}, "codes": CODES, "wave": "wave",
        "votes": VOTES, "blanks_of": "last", "crosstab_by": "a",
        "weight": "weight" if weights else None,
    }  # fmt: skip
    query = integer_count_query(survey, by_wave=not pooled, lean=False, **spec)  # type: ignore[arg-type]
    expected = survey.collect(query).sort(WAVE_KEY, nulls_last=False)
    if pooled:
        spec = {**spec, "wave": None, "ends_of": "wave"}
    got = scatter.scattered(survey, query.collect_schema(), **spec)  # type: ignore[arg-type]
    assert got.schema == expected.schema
    assert got.equals(expected)
    assert got.height == (1 if pooled else 3)


def test_a_weighted_export_pooled_is_the_query(tmp_path: Path) -> None:
    """analyze's pooled weighted pass (scatter-adds) gives the JSON the query gives."""
    path = _export(tmp_path / "e.csv", 8, WEIGHTS["typical"], False)
    cfg = Config(weight_column="weight", invalid_weights="drop")
    mine = render_json(analyze(path, path, cfg))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scatter, "MAX_CELLS", 0)  # every scatter pass gives way to the query
        assert render_json(analyze(path, path, cfg)) == mine


def test_weights_written_with_spaces_are_read_on_a_second_look(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pass reads weights untrimmed; where some seem bad (" 1.5 ") it counts again,
    trimmed: the same result as the same weights written plainly, and only then."""
    export = _export(tmp_path / "e.csv", 9, WEIGHTS["typical"], False)
    frame = pl.read_csv(export, infer_schema=False).filter(~pl.col("weight").is_in(["-1", "x"]))
    plain, padded = tmp_path / "plain.csv", tmp_path / "padded.csv"
    frame.write_csv(plain)
    frame.with_columns(pl.format(" {} ", pl.col("weight")).alias("weight")).write_csv(padded)
    cfg = Config(segment_columns=["region"], weight_column="weight", invalid_weights="drop")
    trims: list[bool] = []
    spy = scatter.scattered

    def seen(*a: object, **kw: object) -> pl.DataFrame:
        trims.append(bool(kw.get("trim", True)))
        return spy(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(per_file, "scattered", seen)
    clean = analyze(plain, plain, cfg)
    assert trims == [False]
    trims.clear()
    spaced = analyze(padded, padded, cfg)
    assert trims == [False, True]
    # the warnings name the file (its rows with a blank wave): the same but for its name
    named = [w.replace(str(padded), str(plain)) for w in spaced.warnings]
    assert named == clean.warnings and any(str(plain) in w for w in named)
    strip: dict[str, object] = {"groups": {0: {"path"}, 1: {"path"}}, "warnings": True}
    assert spaced.model_dump(exclude=strip) == clean.model_dump(exclude=strip)


@pytest.mark.parametrize("other", [False, True], ids=["codes", "other answers"])
def test_the_lean_pooled_row_completed_is_the_full_row(tmp_path: Path, other: bool) -> None:
    """The pooled unweighted row leaves out each item's blanks as marks, its ``other`` and
    the cross-tab's cells with a blank; complete_row works them out: the full query's row,
    column for column. With answers outside the codes (the row is then refused), the
    ``other`` counts that refuse it are still exact."""
    survey = open_csv(_export(tmp_path / "e.csv", 9, WEIGHTS["typical"], other))
    spec = {
        "columns": {item: item for item in CODES}, "codes": CODES, "wave": "wave",
        "votes": VOTES, "blanks_of": "last", "crosstab_by": "a", "by_wave": False,
    }  # fmt: skip
    lean = survey.collect(integer_count_query(survey, **spec))  # type: ignore[arg-type]
    full = survey.collect(integer_count_query(survey, lean=False, **spec))  # type: ignore[arg-type]
    assert ROWS in lean.columns and lean.width < full.width
    got = complete_row(lean, CODES, "a")
    counts = pl.col(pl.UInt32, pl.UInt64).cast(pl.Int64)
    full = full.with_columns(counts)
    if other:
        others = [c for c in full.columns if c.endswith("\x00other")]
        assert full.select(others).sum_horizontal().item() > 0
        assert got.select(others).equals(full.select(others))
        return
    assert sorted(got.columns) == sorted(full.columns)
    cross = [c for c in full.columns if c.startswith("\x00cross")]
    assert [c for c in got.columns if c.startswith("\x00cross")] == cross  # in its order
    assert got.select(full.columns).equals(full)
    assert complete_row(full, CODES, "a") is full  # another query's row: as it is


@pytest.mark.parametrize(
    ("later", "reads"),
    [
        (None, [True]),
        ("code", [True, False]),
        ("code, wave", [True, False, False]),
        ("item", [True, False]),
    ],
    ids=["integers", "text after the sniff", "and a wave after it", "an item's text"],
)
def test_the_last_column_read_as_integers_for_its_blanks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, later: str | None, reads: list[bool]
) -> None:
    """A last column that is no item and holds small integers in the first rows is read
    as such for its blanks; text in it after the sniffed rows makes the pass read it as
    text from then on (also when a wave the first rows did not show makes it count again
    per wave), still the integer pass: the blanks are exact. An item's text after the
    sniff sends the file to the general pass, after a second read that fails too."""
    from cxgap.io.plan import plan_file
    from cxgap.scan.sniff import SNIFF_ROWS

    rng = np.random.default_rng(12)
    k = SNIFF_ROWS + 2000
    drawn = zip(rng.random(k), rng.integers(0, 99, k), strict=True)
    last = [None if r < 0.05 else str(v) for r, v in drawn]
    a = [str(v) for v in rng.integers(1, 6, k)]
    if later and "code" in later:
        last[SNIFF_ROWS + 500] = "n/a"
    if later == "item":
        a[SNIFF_ROWS + 500] = "n/a"
    waves = ["W1"] * (SNIFF_ROWS + 1000) + ["W2" if later and "wave" in later else "W1"] * 1000
    path = tmp_path / "e.csv"
    pl.DataFrame({
        "wave": waves, "a": a, "b": rng.integers(1, 6, k), "code": pl.Series(last),
    }).write_csv(path)  # fmt: skip
    found_reads: list[bool] = []
    scan = per_file.integer_count_query.__globals__["integer_scan"]

    def spy(*args: object, integer_last: bool, **kw: object) -> pl.LazyFrame:
        found_reads.append(integer_last)
        return scan(*args, integer_last=integer_last, **kw)  # type: ignore[no-any-return]

    monkeypatch.setitem(per_file.integer_count_query.__globals__, "integer_scan", spy)
    cfg = Config(exclude_columns=["code"], wave_column="wave")
    plans, sniffs = sniff_files([plan_file(open_csv(path), "customers", cfg)], cfg)
    assert sniffs["customers"].integer_last
    found = per_file.count_file(plans[0], sniffs["customers"], cfg, by_wave=True)
    assert found.integer is (later != "item")
    if found.integer:
        assert found.last_blanks == sum(v is None for v in last)
        assert found.waves == (["W1", "W2"] if later and "wave" in later else ["W1"])
    assert found_reads == reads


def test_the_last_column_stays_text_where_its_integers_could_mislead(tmp_path: Path) -> None:
    """The last column is read as integers only when the first rows give it answers and
    the reader's scan is plain: a platform layout drops the rows blank in every column,
    and a blank written " " is text but no integer (the row would drop out of the
    count); a column blank in every first row may hold anything later."""
    from cxgap.io.plan import plan_file
    from cxgap.scan.sniff import SNIFF_ROWS

    platform = tmp_path / "forms.csv"  # Google Forms: a Timestamp column first
    lines = ["Timestamp,q1,q2,code"]
    lines += [f"2024-01-01 10:00,{k % 5 + 1},{k * 3 % 5 + 1},{k % 7}" for k in range(SNIFF_ROWS)]
    lines += [',,," "']  # blank but for a space in the last column
    platform.write_text("\n".join(lines) + "\n")
    blank = tmp_path / "blank.csv"
    blank.write_text("q1,q2,code\n" + "".join(f"{k % 5 + 1},{k % 3 + 1},\n" for k in range(300)))
    cfg = Config(exclude_columns=["code"])
    for path, layout in ((platform, "google-forms"), (blank, "csv")):
        survey = open_csv(path)
        assert survey.layout == layout
        plans, sniffs = sniff_files([plan_file(survey, "customers", cfg)], cfg)
        assert not sniffs["customers"].integer_last
    found = per_file.count_file(plans[0], sniffs["customers"], cfg, by_wave=False)
    assert found.integer
    counted = found.counts.group_by("item").agg(pl.col("n").sum())
    assert dict(counted.iter_rows()) == {"q1": 300, "q2": 300}
    plans, sniffs = sniff_files([plan_file(open_csv(platform), "customers", cfg)], cfg)
    found = per_file.count_file(plans[0], sniffs["customers"], cfg, by_wave=False)
    counted = found.counts.group_by("item").agg(pl.col("n").sum())
    assert dict(counted.iter_rows()) == {"q1": SNIFF_ROWS + 1, "q2": SNIFF_ROWS + 1}
