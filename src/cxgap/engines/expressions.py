"""The SQL expressions the queries are made of (sqlglot): quoted names, answers as text,
weights parsed, fixed-point sums and the composite headline's class of a respondent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlglot import exp

from cxgap.counts_table import WEIGHT_SCALE

#: A respondent who agrees overall (the local pass's :data:`cxgap.scan.counting.AGREES`).
AGREES, DISAGREES = "agree", "disagree"
_NUMBER = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"
_MAX_DOUBLE = "1.7976931348623157e308"
_FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL", "FLOAT4", "FLOAT8", "FLOAT64", "DOUBLE PRECISION")
_TEXT_TYPES = ("VARCHAR", "TEXT", "STRING", "CHAR", "CHARACTER", "BPCHAR", "NVARCHAR")


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def column(name: str, table: str | None = None) -> exp.Column:
    return exp.Column(this=ident(name), table=ident(table) if table else None)


def string(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def integer(value: int) -> exp.Expr:
    return exp.Literal.number(value)


def sqltype(name: str) -> exp.DataType:
    return exp.DataType.build(name)


def null(kind: str) -> exp.Expr:
    return exp.cast(exp.Null(), sqltype(kind))


def double(text: str) -> exp.Expr:
    return exp.cast(exp.Literal.number(text), sqltype("DOUBLE"))


def table_of(parts: Sequence[str]) -> exp.Table:
    """The table's name, each part a quoted identifier (catalog.schema.table)."""
    names = list(parts)
    if not names or len(names) > 3:
        raise ValueError("a table name has one to three parts")
    table = exp.Table(this=ident(names[-1]))
    if len(names) > 1:
        table.set("db", ident(names[-2]))
    if len(names) > 2:
        table.set("catalog", ident(names[-3]))
    return table


def kind(engine_type: str | None) -> str:
    upper = (engine_type or "").strip().upper()
    if upper.startswith(_FLOAT_TYPES):
        return "float"
    if not upper or upper.startswith(_TEXT_TYPES):
        return "text"
    return "other"


def text_of(name: str, types: Mapping[str, str]) -> exp.Expr:
    """A column's values as text, as written: NaN in a float column is a blank."""
    cast = exp.cast(column(name), sqltype("VARCHAR"))
    if kind(types.get(name)) != "float":
        return cast
    nan = exp.EQ(this=exp.Lower(this=cast.copy()), expression=string("nan"))
    return exp.Case(ifs=[exp.If(this=nan, true=null("VARCHAR"))], default=cast)


def weight(name: str, types: Mapping[str, str]) -> exp.Expr:
    """The weight as a DOUBLE: text trimmed and parsed where it looks like a number,
    numbers as they are (null otherwise; :func:`good` keeps the positive finite ones)."""
    if kind(types.get(name)) != "text":
        return exp.cast(column(name), sqltype("DOUBLE"))
    trimmed = exp.Trim(this=exp.cast(column(name), sqltype("VARCHAR")))
    looks = exp.RegexpLike(this=trimmed, expression=string(_NUMBER))
    parsed = exp.cast(trimmed.copy(), sqltype("DOUBLE"))
    return exp.Case(ifs=[exp.If(this=looks, true=parsed)])


def good(p: exp.Expr) -> exp.Expr:
    """The weight when it is positive and finite, else null (NaN is neither)."""
    ok = exp.and_(exp.GT(this=p, expression=double("0")),
                  exp.LTE(this=p.copy(), expression=double(_MAX_DOUBLE)))  # fmt: skip
    return exp.Case(ifs=[exp.If(this=ok, true=p.copy())])


#: 2^53: from here up every double is an integer (and a 64-bit FLOOR is not needed).
_EXACT = str(2**53)
_WORD = 2**32


def _floor(x: exp.Expr) -> exp.Expr:
    """FLOOR of a non-negative double, as a double, in every dialect: a double from 2^53
    up is its own floor, and only below is FLOOR taken (Spark's FLOOR is a 64-bit
    integer, which a fixed-point weight passes; LEAST keeps it in range even where an
    engine evaluates a branch it does not take). Null for null."""
    big = exp.GTE(this=x, expression=double(_EXACT))
    small = exp.LT(this=x.copy(), expression=double(_EXACT))
    low = exp.Floor(this=exp.Least(this=x.copy(), expressions=[double(_EXACT)]))
    return exp.Case(ifs=[exp.If(this=big, true=x.copy()), exp.If(this=small, true=low)])


def rounded(x: exp.Expr) -> exp.Expr:
    """``x`` times WEIGHT_SCALE rounded half to even (as polars rounds), as an integral
    double (a weight in fixed point before :func:`exact_decimal`).

    The fraction of a double and its floor's parity are exact in floating point, so
    every dialect rounds the same way (their ROUND functions do not agree on ties)."""
    scaled = exp.paren(exp.Mul(this=x, expression=double(str(WEIGHT_SCALE))))
    low = _floor(scaled)
    frac = exp.Sub(this=scaled.copy(), expression=low.copy())
    half = double("0.5")
    halved = _floor(exp.Div(this=scaled.copy(), expression=double("2")))
    parity = exp.Sub(this=low.copy(), expression=exp.Mul(this=double("2"), expression=halved))
    return exp.Case(
        ifs=[
            exp.If(this=exp.GT(this=frac, expression=half),
                   true=exp.Add(this=low.copy(), expression=double("1"))),
            exp.If(this=exp.LT(this=frac.copy(), expression=half.copy()), true=low.copy()),
        ],
        default=exp.Add(this=low.copy(), expression=exp.paren(parity)),
    )  # fmt: skip


def exact_decimal(r: exp.Expr) -> exp.Expr:
    """An integral double as DECIMAL(38, 0), exactly, in every dialect: as three 32-bit
    words, each cast through BIGINT. A direct cast is not exact everywhere: PostgreSQL
    goes through 15 significant digits, Spark through the double's shortest text, and a
    squared weight of a few hundred times 10^12 already has more digits."""
    word = double(str(_WORD))
    high = _floor(exp.Div(this=r, expression=double(str(_WORD * _WORD))))
    upper = _floor(exp.Div(this=r.copy(), expression=word))  # the two high words
    middle = exp.Sub(this=upper, expression=exp.Mul(this=high.copy(), expression=word.copy()))
    low = exp.Sub(this=r.copy(), expression=exp.Mul(this=upper.copy(), expression=word.copy()))

    def dec(x: exp.Expr) -> exp.Expr:
        return exp.cast(exp.cast(x, sqltype("BIGINT")), sqltype("DECIMAL(38, 0)"))

    scale = exp.cast(exp.Literal.number(_WORD), sqltype("DECIMAL(38, 0)"))
    top = exp.Add(this=exp.Mul(this=dec(high), expression=scale), expression=dec(middle))
    return exp.Add(this=exp.Mul(this=exp.paren(top), expression=scale.copy()), expression=dec(low))


def sum_fixed(wf: exp.Expr, *, exact: bool) -> exp.Expr:
    """The sum of ``wf``, a column of weights in fixed point (:func:`exact_decimal`): as
    DECIMAL(38, 0) with ``exact``, else as a weight sum (DOUBLE) times 1e-12, as polars
    takes a column of them out of fixed point (it multiplies by the inverse of
    WEIGHT_SCALE, which can differ from dividing in the last bit)."""
    total = exp.Sum(this=wf)
    if exact:
        return total
    inverse = double(repr(1 / WEIGHT_SCALE))
    return exp.Mul(this=exp.cast(total, sqltype("DOUBLE")), expression=inverse)


def composite_class(votes: Mapping[str, Mapping[str, int]], names: Mapping[str, str]) -> exp.Expr:
    """A respondent's composite class: 'agree' when the +1 votes of their answers are at
    least the -1 votes, 'disagree' when fewer, null when they answered none."""
    counts: list[exp.Expr] = []
    for sign in (1, -1):
        terms: list[exp.Expr] = []
        for item, answers in votes.items():
            wanted = sorted(a for a, v in answers.items() if v == sign)
            if not wanted:
                continue
            hit = exp.In(this=column(names[item]), expressions=[string(a) for a in wanted])
            terms.append(exp.Case(ifs=[exp.If(this=hit, true=integer(1))], default=integer(0)))
        total: exp.Expr = integer(0)
        for term in terms:
            total = exp.Add(this=total, expression=term)
        counts.append(exp.paren(total))
    agree, disagree = counts
    answered = exp.GT(this=exp.Add(this=agree, expression=disagree), expression=integer(0))
    verdict = exp.Case(
        ifs=[exp.If(this=exp.GTE(this=exp.Sub(this=agree.copy(), expression=disagree.copy()),
                                 expression=integer(0)), true=string(AGREES))],
        default=string(DISAGREES),
    )  # fmt: skip
    return exp.Case(ifs=[exp.If(this=answered, true=verdict)])


def in_group(where: tuple[str, Sequence[str]]) -> exp.Expr:
    """A group's rows: the group column (trimmed text) holds one of its values."""
    name, values = where
    trimmed = exp.Trim(this=exp.cast(column(name), sqltype("VARCHAR")))
    return exp.In(this=trimmed, expressions=[string(v) for v in values])
