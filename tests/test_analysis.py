"""analyze() end to end on small files whose answers are worked out by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl
import pytest
from tests.conftest import Writer

from cxgap import Config, analyze
from cxgap.errors import ConfigError, InputError, ScaleError
from cxgap.render import render
from cxgap.stats import newcombe_interval, wilson_interval


def _item(result, name):  # type: ignore[no-untyped-def]
    return next(i for i in result.items if i.item == name)


def test_hand_worked_counts_shares_and_intervals(table: Writer) -> None:
    # Leaders: codes; 6 valid, 4 of them >= 4 (top-2-box); "N/A" and blank are missing.
    leaders = table("l.csv", {"id": range(8), "q": ["5", "4", "4", "5", "3", "1", "N/A", ""]})
    # Customers: labels in any case and spacing; 5 valid, 1 agrees.
    customers = table(
        "c.csv",
        {
            "id": range(7),
            "q": [
                " strongly AGREE",
                "Disagree",
                "neutral",
                "Strongly  disagree",
                "disagree",
                "Don\u2019t know",
                "Prefer not to say",
            ],
        },
    )
    r = analyze(leaders, customers)
    q = _item(r, "q")
    assert (q.groups["leaders"].n, q.groups["leaders"].missing, q.groups["leaders"].agree) == (
        6,
        2,
        4,
    )
    assert (
        q.groups["customers"].n,
        q.groups["customers"].missing,
        q.groups["customers"].agree,
    ) == (5, 2, 1)
    assert q.groups["leaders"].share == pytest.approx(4 / 6)
    assert q.groups["customers"].share == pytest.approx(1 / 5)
    assert q.primary.gap == pytest.approx(4 / 6 - 1 / 5)
    assert q.primary.ratio == pytest.approx((4 / 6) / (1 / 5))
    lo, hi = wilson_interval([4], [6])
    assert q.groups["leaders"].ci == (pytest.approx(lo[0]), pytest.approx(hi[0]))
    glo, ghi = newcombe_interval([4], [6], [1], [5])
    assert q.primary.gap_ci == (pytest.approx(glo[0]), pytest.approx(ghi[0]))
    assert q.primary.test == "fisher_exact"
    assert q.groups["leaders"].distribution == [1, 0, 1, 2, 2]
    assert q.groups["customers"].distribution == [1, 2, 1, 0, 1]
    assert q.groups["leaders"].mean == pytest.approx((5 + 4 + 4 + 5 + 3 + 1) / 6)
    assert q.scale.name == "agreement-5"


def test_zero_and_full_agreement_edges_give_nulls_not_nan(table: Writer) -> None:
    leaders = table("l.csv", {"a": ["1"] * 10, "b": ["5"] * 10})
    customers = table("c.csv", {"a": ["2"] * 20, "b": ["1"] * 10 + [""] * 10})
    r = analyze(leaders, customers, Config(headline_item="a"))
    a, b = _item(r, "a"), _item(r, "b")
    assert (a.primary.gap, a.primary.ratio, a.primary.p_value, a.primary.test) == (
        0.0,
        None,
        1.0,
        "fisher_exact",
    )
    assert a.primary.gap_ci == (pytest.approx(-0.1611, abs=5e-5), pytest.approx(0.2775, abs=5e-5))
    assert a.primary.cohens_h == 0.0
    assert b.primary.gap == 1.0 and b.primary.ratio is None
    assert b.primary.gap_ci[1] == 1.0
    text = render(r, "json")
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text)


def test_columns_paired_by_config_and_items_in_one_file_reported(table: Writer) -> None:
    leaders = table("l.csv", {"Q3": ["5", "4"], "only_l": ["4", "4"], "common": ["1", "2"]})
    customers = table("c.csv", {"Q7": ["1", "2"], "only_c": ["3", "3"], "common": ["5", "5"]})
    cfg = Config.model_validate({"items": {"ambition": {"leaders": "Q3", "customers": "Q7"}}})
    r = analyze(leaders, customers, cfg)
    assert sorted(i.item for i in r.items) == ["ambition", "common"]
    assert _item(r, "ambition").groups["leaders"].agree == 2
    assert r.excluded.only_in == {"leaders": ["only_l"], "customers": ["only_c"]}
    assert any("only_l" in w for w in r.warnings)


def test_free_text_and_demographic_columns_are_not_items(table: Writer) -> None:
    leaders = table(
        "l.csv", {"q": ["5", "4", "2"], "age": ["44", "51", "38"], "note": ["x", "", "y"]}
    )
    customers = table(
        "c.csv", {"q": ["1", "2", "4"], "age": ["23", "67", "31"], "note": ["a", "b", ""]}
    )
    r = analyze(leaders, customers)
    assert [i.item for i in r.items] == ["q"]
    assert set(r.excluded.not_items) == {"age", "note"}
    assert "numbers from 23 to 67" in r.excluded.not_items["age"]


def test_unknown_label_names_file_row_column_and_values(table: Writer) -> None:
    leaders = table("l.csv", {"q": ["5", "4", "4", "2"]})
    customers = table("c.csv", {"q": ["Agree", "Agree", "Agreee", "Disagree"]})
    with pytest.raises(ScaleError) as info:
        analyze(leaders, customers)
    err = info.value
    assert err.file == str(customers) and err.row == 4 and err.column == "q"
    assert "'Agreee' (1x)" in str(err)
    assert err.exit_code == 2


def test_numeric_codes_get_the_standard_range_they_fit_with_a_warning(table: Writer) -> None:
    leaders = table("l.csv", {"q": ["7", "6", "5", "1", "2", "3", "4"]})
    customers = table("c.csv", {"q": ["1", "2", "3", "4", "5", "3", "2"]})
    r = analyze(leaders, customers)
    q = _item(r, "q")
    assert (q.scale.name, q.scale.source) == ("1-7", "observed range")
    assert any("read on the 1-7 scale, a guess" in w and "'q'" in w for w in r.warnings)
    # Named as an item on a scale its codes do not fit, the code is an error at its row.
    with pytest.raises(ScaleError) as info:
        analyze(leaders, customers, Config(scale="1-5", include_items=["q"]))
    assert info.value.row == 2 and "--scale 1-7" in str(info.value)
    r = analyze(leaders, customers, Config(scale="1-7"))
    q = _item(r, "q")
    assert q.scale.codes == [1, 2, 3, 4, 5, 6, 7]
    assert q.groups["leaders"].agree == 2 and q.groups["customers"].agree == 0  # top-2-box = 6, 7


def test_agree_rules(table: Writer) -> None:
    leaders = table("l.csv", {"q": ["5", "4", "3", "2", "1"]})
    customers = table("c.csv", {"q": ["5", "5", "1", "1", "1"]})
    assert (
        _item(analyze(leaders, customers, Config(agree="top-box")), "q").groups["leaders"].agree
        == 1
    )
    assert (
        _item(analyze(leaders, customers, Config(agree="top3")), "q").groups["leaders"].agree == 3
    )
    assert _item(analyze(leaders, customers, Config(agree=">=2")), "q").groups["leaders"].agree == 4


def test_composite_headline_without_headline_item(table: Writer) -> None:
    # Items agreed (top-2-box) of items answered: leaders 2/2, 1/1, 0/2, (none);
    # customers 2/2, 1/2 (half counts), 0/2. (The mean of codes said 3.5 < 4 for the
    # second customer.) More in test_headline.py.
    leaders = table("l.csv", {"a": ["5", "4", "1", ""], "b": ["4", "", "3", "N/A"]})
    customers = table("c.csv", {"a": ["5", "4", "1"], "b": ["5", "3", "1"]})
    r = analyze(leaders, customers)
    h = r.headline
    assert h.source == "composite"
    assert (h.groups["leaders"].n, h.groups["leaders"].agree, h.groups["leaders"].missing) == (
        3,
        2,
        1,
    )
    assert (h.groups["customers"].n, h.groups["customers"].agree) == (3, 2)
    assert h.text.startswith(
        "67% of leaders vs 67% of customers agree on at least half of the 2 items they answered"
    )


def test_headline_item_is_the_headline(table: Writer) -> None:
    leaders = table("l.csv", {"overall_strong_cx": ["5", "4", "4", "1"], "x": ["1", "1", "1", "1"]})
    customers = table(
        "c.csv", {"overall_strong_cx": ["1", "2", "4", "1"], "x": ["5", "5", "5", "5"]}
    )
    r = analyze(leaders, customers)
    assert r.headline.source == "item" and r.headline.item == "overall_strong_cx"
    assert r.headline.text.startswith("75% of leaders vs 25% of customers agree: overall_strong_cx")
    assert r.headline.primary.p_adjusted == _item(r, "overall_strong_cx").primary.p_adjusted


def test_csv_and_parquet_give_identical_results(table: Writer, tmp_path: Path) -> None:
    cols = {
        "respondent_id": [f"r{i}" for i in range(9)],
        "q": ["5", "4", "3", "2", "1", "", "4", "4", "5"],
    }
    leaders = table("l.csv", cols)
    customers = table("c.csv", {"respondent_id": ["a", "b", "c"], "q": ["1", "2", "5"]})
    pq = tmp_path / "l.parquet"
    pl.read_csv(leaders, infer_schema=True).write_parquet(pq)
    a = analyze(leaders, customers).model_dump(exclude={"groups": {0: {"path", "format"}}})
    b = analyze(pq, customers).model_dump(exclude={"groups": {0: {"path", "format"}}})
    assert a == b


def test_semicolon_csv_and_bom(tmp_path: Path) -> None:
    (tmp_path / "l.csv").write_bytes("\ufeffid;q\n1;5\n2;4\n".encode())
    (tmp_path / "c.csv").write_bytes(b"id,q\n1,1\n2,4\n")
    r = analyze(tmp_path / "l.csv", tmp_path / "c.csv")
    assert r.items[0].item == "q" and r.items[0].groups["leaders"].agree == 2


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_a_first_header_cell_with_a_line_break(tmp_path: Path, sep: str) -> None:
    # The separator is read off the header's first record, not its first line: a quoted
    # question text may break lines (and hold the other separators).
    header = sep.join(['"How satisfied\nare you; overall, today?"', "Timestamp", '"Tell\nus"'])
    rows = [
        sep.join(
            [
                str(k % 5 + 1),
                f"2024-01-0{k + 1}",
                ["fine", "slow", "great", "rude staff", "ok I guess", "never again"][k],
            ]
        )
        for k in range(6)
    ]
    path = tmp_path / "a.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    r = analyze(path, path)
    assert [i.item for i in r.items] == ["How satisfied\nare you; overall, today?"]
    assert r.items[0].groups["leaders"].n == 6


def test_include_items_is_strict(table: Writer) -> None:
    leaders = table("l.csv", {"q": ["5", "4"], "note": ["hi", "there"]})
    customers = table("c.csv", {"q": ["1", "2"], "note": ["a", "b"]})
    with pytest.raises(ScaleError):
        analyze(leaders, customers, Config(include_items=["q", "note"]))
    with pytest.raises(InputError, match="missing_item"):
        analyze(leaders, customers, Config(include_items=["q", "missing_item"]))


def test_no_common_items_is_a_clear_error(table: Writer) -> None:
    leaders = table("l.csv", {"a": ["5"]})
    customers = table("c.csv", {"b": ["5"]})
    with pytest.raises(InputError, match="no items in common"):
        analyze(leaders, customers)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    good = tmp_path / "good.csv"
    good.write_text("a,b\n5,4\n")
    with pytest.raises(InputError, match=message) as info:
        analyze(bad, good)
    assert info.value.file == str(bad)


def test_utf16_tab_export_reads_like_utf8(tmp_path: Path) -> None:
    text = "id\tq\r\n1\tAgree\r\n2\tStrongly disagree\r\n"
    (tmp_path / "l.tsv").write_bytes(text.encode("utf-16"))
    (tmp_path / "c.csv").write_text("id,q\n1,Agree\n2,Agree\n")
    r = analyze(tmp_path / "l.tsv", tmp_path / "c.csv")
    assert (r.items[0].groups["leaders"].agree, r.items[0].groups["leaders"].n) == (1, 2)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        analyze(tmp_path / "nope.csv", tmp_path / "nope2.csv")


def test_config_validation_names_the_key() -> None:
    from cxgap.config import build_config

    with pytest.raises(ConfigError, match="agree"):
        build_config({"agree": "most"}, "cxgap.toml")
    with pytest.raises(ConfigError, match=r"items\.x\.scale"):
        build_config({"items": {"x": {"scale": "1to"}}}, "cxgap.toml")
    with pytest.raises(ConfigError, match="colour: unknown setting"):
        build_config({"colour": "red"}, "cxgap.toml")


def test_weight_and_wave_columns_are_read_not_analysed(table: Writer) -> None:
    leaders = table("l.csv", {"wave": ["2026Q2", "2026Q3"], "q": ["5", "4"]})
    customers = table("c.csv", {"weight": ["1.5", "0.5"], "q": ["1", "5"]})
    r = analyze(leaders, customers)
    assert [i.item for i in r.items] == ["q"]
    assert r.group("leaders").waves == ["2026Q2", "2026Q3"]
    # the customers' weights apply; the leaders' file has none: weight 1, and said so
    customers_q = r.items[0].groups["customers"]
    assert customers_q.weighted is not None and customers_q.share == 0.25  # 0.5 of 2.0
    assert (
        "weighted by 'weight': customers; leaders without such a column count each "
        "respondent with weight 1" in r.warnings
    )
    assert any("2 waves" in w for w in r.warnings)


def test_sample_headline_reads_close_to_80_vs_24() -> None:
    from tests.conftest import SAMPLE

    from cxgap.config import load_config

    cfg = load_config(SAMPLE / "cxgap.toml")
    r = analyze(SAMPLE / "leaders.csv", SAMPLE / "customers.csv", cfg)
    assert (
        r.headline.groups["leaders"].share is not None
        and r.headline.groups["customers"].share is not None
    )
    assert abs(r.headline.groups["leaders"].share - 0.80) < 0.03
    assert abs(r.headline.groups["customers"].share - 0.24) < 0.02
    assert r.group("leaders").rows == 120 and r.group("customers").rows == 5000
    assert "frontline_warmth" in r.findings.hidden_strengths
    assert "top_support" not in r.findings.blind_spots
    assert not math.isnan(r.headline.primary.cohens_h or math.nan)


@pytest.mark.parametrize("late", ["N/A", "7", "4.0", ""])
def test_integer_fast_path_falls_back_when_a_late_row_differs(table: Writer, late: str) -> None:
    from cxgap.scan.sniff import SNIFF_ROWS

    rows = SNIFF_ROWS + 50
    codes = [str(1 + i % 5) for i in range(rows)]
    codes[-3] = late
    leaders = table("l.csv", {"q": ["5", "4", "1"]})
    customers = table("c.csv", {"wave": ["W1"] * (rows - 10) + ["W2"] * 10, "q": codes})
    if late == "7":
        with pytest.raises(ScaleError) as info:
            analyze(leaders, customers, Config(scale="1-5"))
        assert info.value.row == rows - 1  # header is row 1; the third-last response
        assert analyze(leaders, customers).items[0].scale.name == "1-7"  # the range it fits
        return
    q = analyze(leaders, customers).items[0]
    expected = [codes.count(str(k)) + (late == "4.0" and k == 4) for k in range(1, 6)]
    assert q.groups["customers"].distribution == expected
    assert q.groups["customers"].missing == (late in ("N/A", ""))
    assert analyze(leaders, customers).group("customers").waves == ["W1", "W2"]


def test_sniff_drops_obvious_free_text_and_reports_it(table: Writer) -> None:
    from cxgap.scan.sniff import SNIFF_ROWS

    rows = SNIFF_ROWS + 10
    comments = [f"comment number {i}" for i in range(rows)]
    leaders = table("l.csv", {"q": ["5", "4", "1"], "comment": ["a", "b", "c"]})
    customers = table("c.csv", {"q": ["1"] * rows, "comment": comments})
    r = analyze(leaders, customers)
    assert [i.item for i in r.items] == ["q"]
    assert "first 10,000 rows" in r.excluded.not_items["comment"]


@pytest.mark.parametrize(
    ("magic", "kind"),
    [(b"PK\x03\x04rest", "not a readable .xlsx workbook"), (b"$FL2@(#)", "not a readable SPSS")],
)
def test_broken_binary_formats_are_named(tmp_path: Path, magic: bytes, kind: str) -> None:
    path = tmp_path / "export.bin"
    path.write_bytes(magic)
    with pytest.raises(InputError, match=kind):
        analyze(path, path)


def test_windows_1252_is_read_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "l.csv").write_bytes("q,note\n5,Don\x92t\n4,x\n".encode("latin-1"))
    (tmp_path / "c.csv").write_bytes(b"q\n1\n2\n")
    r = analyze(tmp_path / "l.csv", tmp_path / "c.csv")
    assert r.items[0].groups["leaders"].agree == 2
    assert any("read as Windows-1252" in w for w in r.warnings)


REAL = Path(__file__).resolve().parents[2] / "shared" / "real-exports"


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real exports not present")
@pytest.mark.parametrize(
    "path", sorted(p for p in REAL.glob("*/*") if p.suffix != ".md") if REAL.is_dir() else []
)
def test_real_exports_never_crash(path: Path) -> None:
    """Until the platform readers land, every real export either analyses or fails
    with one cxgap error that names the file."""
    error: InputError | None = None
    try:
        analyze(path, path)
    except InputError as exc:
        error = exc
    if error is not None:
        assert str(path) in (error.file or "")
        assert "\n" not in str(error)
