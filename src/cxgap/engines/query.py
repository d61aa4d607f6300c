"""The queries an engine runs, built once as sqlglot expressions and written in its dialect.

Three queries reduce a table to what a counts file holds (see :mod:`cxgap.engines.counts`):

- :func:`head_query`: the first rows, every column as text (the sniff of the local path);
- :func:`distinct_query`: per group, each candidate column's distinct answers as text
  and their counts (the coding plan is decided from them), and the rows with a bad weight;
- :func:`counts_query`: the one aggregation query: the counts table (group, item, wave,
  segment keys, value, n, w_sum, w2_sum), the composite headline's respondents per class
  or the reference group's cross-tab against the headline item, and the weights' range.

Every name (table, column, group, item, answer) enters as a quoted identifier or a string
literal that sqlglot escapes for the dialect: nothing from the data or the user is pasted
into SQL text. Answers are read "as written": each column cast to text the way the engine
writes it (a float column's NaN is a blank, as the local reader has it).

Weights are summed in fixed point as the local pass sums them (see
:data:`cxgap.counts_table.WEIGHT_SCALE`): each weight (and squared weight) times 10^12,
rounded half to even, summed as DECIMAL(38, 0). With ``exact`` the sums stay integers
(cxgap divides them, to the last bit as locally); without, the query divides them itself
(what ``cxgap sql`` prints for an analyst).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlglot import exp

from cxgap.engines.expressions import (
    column,
    composite_class,
    double,
    exact_decimal,
    good,
    in_group,
    integer,
    null,
    rounded,
    sqltype,
    string,
    sum_fixed,
    table_of,
    text_of,
    weight,
)

#: The dialects the queries are written in (sqlglot's names).
DIALECTS = ("duckdb", "postgres", "bigquery", "snowflake", "spark")
#: The parts of the counts query's result (column ``part``).
COUNTS, WEIGHTS, COMPOSITE, CROSSTAB, DISTINCT = (
    "counts", "weights", "composite", "crosstab", "distinct",
)  # fmt: skip
#: A number a weight's text must look like before it is cast (no cast fails on text).


@dataclass(frozen=True)
class GroupQuery:
    """One group's rows of the table and the roles of its columns."""

    group: str
    #: item -> column, in the file's order
    items: Mapping[str, str]
    #: the group column and the values (trimmed text) that mark this group; None: every row
    where: tuple[str, tuple[str, ...]] | None = None
    wave: str | None = None
    #: segment key -> column (a key the group's table lacks is null in its rows)
    segments: Mapping[str, str] = field(default_factory=dict)
    weight: str | None = None
    #: the composite headline's votes: item -> {answer as written: +1 or -1}
    votes: Mapping[str, Mapping[str, int]] | None = None
    #: the cross-tab: (the headline item, the items counted against it)
    crosstab: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class TableQuery:
    """A table, its columns' types (as the engine names them) and its groups."""

    table: tuple[str, ...]
    types: Mapping[str, str]
    groups: Sequence[GroupQuery]
    #: every segment key of the result, in order (the counts table's columns)
    segments: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Ctes:
    """The common table expressions of one group: rows (b), weights and classes (g),
    items as rows (l), and the item names (k)."""

    ctes: list[tuple[str, exp.Select]]
    rows: str
    long: str
    segments: tuple[str, ...]


def _group_ctes(t: TableQuery, g: GroupQuery, index: int, *, with_votes: bool) -> _Ctes:
    items = list(g.items)
    names = {item: f"v{k}" for k, item in enumerate(items)}
    base: list[exp.Expr] = [
        (text_of(g.wave, t.types) if g.wave else null("VARCHAR")).as_("wave", quoted=True)
    ]
    for at, key in enumerate(t.segments):
        found = g.segments.get(key)
        base.append((text_of(found, t.types) if found else null("VARCHAR")).as_(f"s{at}"))
    parsed = weight(g.weight, t.types) if g.weight else double("1")
    base.append(parsed.as_("p"))
    base += [text_of(c, t.types).as_(names[item]) for item, c in g.items.items()]
    if g.crosstab is not None:
        base.append(text_of(g.items[g.crosstab[0]], t.types).as_("bv"))
    rows = exp.select(*base).from_(table_of(t.table))
    if g.where is not None:
        rows = rows.where(in_group(g.where))
    b, w, ell, k = (f"{c}{index}" for c in "bglk")
    extra: list[exp.Expr] = [good(column("p")).as_("w")]
    if with_votes and g.votes:
        extra.append(composite_class(g.votes, names).as_("c"))
    weighed = exp.select(exp.Star(), *extra).from_(b)
    ctes: list[tuple[str, exp.Select]] = [(b, rows)]
    fixed: list[exp.Expr] = []
    if g.weight:  # each weight and its square in fixed point, once per respondent
        r, f = f"r{index}", f"f{index}"
        squared = exp.Mul(this=column("w"), expression=column("w"))
        ctes.append((r, weighed))
        weighed = exp.select(
            exp.Star(), rounded(column("w")).as_("r1"), rounded(squared).as_("r2")
        ).from_(r)
        ctes.append((f, weighed))
        weighed = exp.select(
            exp.Star(), exact_decimal(column("r1")).as_("wf"),
            exact_decimal(column("r2")).as_("wf2"),
        ).from_(f)  # fmt: skip
        fixed = [column("wf", "g"), column("wf2", "g")]
    named = [exp.select(integer(n).as_("k"), string(i).as_("item")) for n, i in enumerate(items)]
    keys = exp.union(*named, distinct=False) if len(named) > 1 else named[0]
    value = exp.Case(
        this=column("k", "k"),
        ifs=[
            exp.If(this=integer(n), true=column(names[item], "g")) for n, item in enumerate(items)
        ],
    )
    segs = tuple(f"s{n}" for n in range(len(t.segments)))
    carried = [column("wave", "g"), *(column(s, "g") for s in segs), column("w", "g"), *fixed]
    if g.crosstab is not None:
        carried.append(column("bv", "g"))
    long = (
        exp.select(*carried, column("item", "k"), value.as_("value", quoted=True))
        .from_(exp.alias_(exp.to_table(w), "g"))
        .join(exp.alias_(exp.to_table(k), "k"), join_type="CROSS")
    )
    ctes += [(w, weighed), (k, keys), (ell, long)]  # type: ignore[list-item]
    return _Ctes(ctes, w, ell, segs)


def _columns(t: TableQuery) -> list[str]:
    return ["part", "group", "item", "wave", *t.segments, "value", "by_value", "n",
            "w_sum", "w2_sum", "bad", "w_min", "w_max"]  # fmt: skip


def _select(
    t: TableQuery, values: Mapping[str, exp.Expr], kinds: Mapping[str, str]
) -> list[exp.Expr]:
    """A part's columns in the result's order, typed nulls where the part has none."""
    out = []
    for name in _columns(t):
        found = values.get(name)
        out.append((found if found is not None else null(kinds[name])).as_(name, quoted=True))
    return out


def _kinds(t: TableQuery, *, exact: bool) -> dict[str, str]:
    sums = "DECIMAL(38, 0)" if exact else "DOUBLE"
    text = dict.fromkeys(["part", "group", "item", "wave", *t.segments, "value", "by_value"],
                         "VARCHAR")  # fmt: skip
    return {**text, "n": "BIGINT", "w_sum": sums, "w2_sum": sums, "bad": "BIGINT",
            "w_min": "DOUBLE", "w_max": "DOUBLE"}  # fmt: skip


def _assemble(ctes: list[tuple[str, exp.Select]], parts: list[exp.Select]) -> exp.Expr:
    body: exp.Expr = exp.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
    query = exp.select(exp.Star()).from_(exp.paren(body).as_("parts"))
    for name, cte in ctes:
        query = query.with_(name, as_=cte)
    return query


def _count(x: exp.Expr | None = None) -> exp.Expr:
    return exp.Count(this=x if x is not None else exp.Star())


def _w_parts(t: TableQuery, g: GroupQuery, c: _Ctes, kinds: Mapping[str, str]) -> exp.Select:
    """The weights part, per wave: rows, rows with a bad weight, lowest and highest good
    weight."""
    w = column("w")
    values = {"part": string(WEIGHTS), "group": string(g.group), "wave": column("wave"),
              "n": _count(), "bad": exp.Sub(this=_count(), expression=_count(w)),
              "w_min": exp.Min(this=w.copy()), "w_max": exp.Max(this=w.copy())}  # fmt: skip
    return exp.select(*_select(t, values, kinds)).from_(c.rows).group_by(column("wave"))


def distinct_query(t: TableQuery) -> exp.Expr:
    """Per group, each item column's distinct answers (as text) and their counts, over the
    rows with a good weight (part ``distinct``); and per weighted group its rows with a
    bad weight (part ``weights``)."""
    kinds = _kinds(t, exact=True)
    ctes: list[tuple[str, exp.Select]] = []
    parts: list[exp.Select] = []
    for index, g in enumerate(t.groups):
        c = _group_ctes(t, g, index, with_votes=False)
        ctes += c.ctes
        values = {"part": string(DISTINCT), "group": string(g.group), "item": column("item"),
                  "value": column("value"), "n": _count()}  # fmt: skip
        parts.append(
            exp.select(*_select(t, values, kinds))
            .from_(c.long)
            .where(exp.Not(this=exp.Is(this=column("w"), expression=exp.Null())))
            .group_by(column("item"), column("value"))
        )
        if g.weight:
            parts.append(_w_parts(t, g, c, kinds))
    return _assemble(ctes, parts)


def counts_query(t: TableQuery, *, exact: bool = False) -> exp.Expr:
    """The one aggregation query: parts ``counts`` (the counts table's rows), ``weights``
    (per weighted group), ``composite`` (respondents per wave, segment keys and composite
    class, for a group with votes) and ``crosstab`` (per wave, item, answer and headline
    answer, for a group with a cross-tab); rows with a bad weight are in no count."""
    kinds = _kinds(t, exact=exact)
    ctes: list[tuple[str, exp.Select]] = []
    parts: list[exp.Select] = []
    good = exp.Not(this=exp.Is(this=column("w"), expression=exp.Null()))
    for index, g in enumerate(t.groups):
        c = _group_ctes(t, g, index, with_votes=True)
        ctes += c.ctes
        sums: dict[str, exp.Expr] = {"n": _count()}
        if g.weight:
            sums["w_sum"] = sum_fixed(column("wf"), exact=exact)
            sums["w2_sum"] = sum_fixed(column("wf2"), exact=exact)
        elif not exact:
            sums["w_sum"] = exp.cast(_count(), sqltype("DOUBLE"))
            sums["w2_sum"] = exp.cast(_count(), sqltype("DOUBLE"))
        segs = {key: column(s) for key, s in zip(t.segments, c.segments, strict=True)}
        keys = [column("item"), column("wave"), *segs.values(), column("value")]
        values = {"part": string(COUNTS), "group": string(g.group), "item": column("item"),
                  "wave": column("wave"), **segs, "value": column("value"), **sums}  # fmt: skip
        parts.append(
            exp.select(*_select(t, values, kinds)).from_(c.long).where(good.copy()).group_by(*keys)
        )
        if g.weight:
            parts.append(_w_parts(t, g, c, kinds))
        if g.votes:
            tally = {"part": string(COMPOSITE), "group": string(g.group), "wave": column("wave"),
                     **segs, "value": column("c"), **sums}  # fmt: skip
            parts.append(
                exp.select(*_select(t, tally, kinds))
                .from_(c.rows)
                .where(good.copy())
                .group_by(column("wave"), *(column(s) for s in c.segments), column("c"))
            )
        if g.crosstab is not None and g.crosstab[1]:
            crossed = exp.In(this=column("item"), expressions=[string(i) for i in g.crosstab[1]])
            cross = {"part": string(CROSSTAB), "group": string(g.group), "item": column("item"),
                     "wave": column("wave"), "value": column("value"), "by_value": column("bv"),
                     **sums}  # fmt: skip
            parts.append(
                exp.select(*_select(t, cross, kinds))
                .from_(c.long)
                .where(exp.and_(good.copy(), crossed))
                .group_by(column("wave"), column("item"), column("value"), column("bv"))
            )
    return _assemble(ctes, parts)


def head_query(
    table: Sequence[str],
    types: Mapping[str, str],
    where: tuple[str, tuple[str, ...]] | None,
    rows: int,
) -> exp.Expr:
    """The first ``rows`` rows of the table (of a group's rows), every column as text."""
    query = exp.select(*(text_of(c, types).as_(c, quoted=True) for c in types))
    query = query.from_(table_of(table))
    if where is not None:
        query = query.where(in_group(where))
    return query.limit(rows)


def values_query(table: Sequence[str], name: str) -> exp.Expr:
    """Each value of a column (trimmed text) and its count: the group column's values."""
    trimmed = exp.Trim(this=exp.cast(column(name), sqltype("VARCHAR")))
    return (
        exp.select(trimmed.as_("value", quoted=True), _count().as_("n", quoted=True))
        .from_(table_of(table))
        .group_by(trimmed.copy())
    )


def bad_weight_query(t: TableQuery, g: GroupQuery) -> exp.Expr:
    """One row of the group with a bad weight, its weight as written."""
    assert g.weight is not None
    example = exp.select(text_of(g.weight, t.types).as_("value", quoted=True))
    example = example.from_(table_of(t.table))
    p = weight(g.weight, t.types)
    bad: exp.Expr = exp.Is(this=good(p), expression=exp.Null())
    if g.where is not None:
        bad = exp.and_(bad, in_group(g.where))
    return example.where(bad).limit(1)


def sql(query: exp.Expr, dialect: str, *, pretty: bool = False) -> str:
    """The query written in ``dialect`` (identifiers quoted)."""
    return query.sql(dialect=dialect, pretty=pretty, identify=True)
