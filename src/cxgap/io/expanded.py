"""SurveyMonkey's "expanded" export: option columns rejoined into items.

That export writes a single-answer question as one column per option (a matrix as
one column per row x option): ``How often ... - Contribute code upstream - Sometimes``
holds ``Sometimes`` (or its code, ``3``) when that option was chosen and is blank
otherwise. No such column is an item by itself; the columns of one question and row
together are. Here they are found from the header (same question, same row prefix,
the option as the last `` - `` part of the sub-item cell) and confirmed on the data
(each column holds at most one distinct answer; few respondents tick two), then
rejoined in the lazy frame, before anything is counted, into one column named
``Question - Row`` whose answer is the ticked option's: its text in a text export,
the code its column holds in a numeric one (with the option labels as the column's
declared value labels, so the scale is decided from them). An option that is a
non-answer ("Don't know or not sure") stays its text, so it counts as one.

A respondent who ticked two options of one single-answer row gave no single answer:
the row counts as a non-answer, and the reader note says how many there were.
Multi-select questions ("select all that apply", or many respondents ticking
several options) keep their option columns, which are then not items.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from cxgap.io.fields import FieldScan
from cxgap.io.layout import Layout
from cxgap.io.source import SurveyFile, collect_all
from cxgap.scales import DEFAULT_NON_ANSWERS, NON_ANSWER_PATTERN, normalise_label

#: A question whose wording says it takes several answers.
MULTI_SELECT = re.compile(
    r"(?:select|choose|check|pick) (?:all|up to)|all that apply", re.IGNORECASE
)
#: A group whose respondents tick two or more options more often than this share (of
#: those who ticked any) is multi-select, not a single-answer row with a slip.
MULTI_TICK_MAX_SHARE = 0.05
_SEP = " - "


@dataclass(frozen=True)
class OptionGroup:
    """The option columns of one question (and matrix row)."""

    item: str
    columns: tuple[str, ...]
    options: tuple[str, ...]  # each column's option label, from the header


@dataclass(frozen=True)
class Rejoined:
    """A group confirmed on the data: each column's answer, and the double ticks."""

    group: OptionGroup
    answers: tuple[str, ...]  # what a tick in each column means (text or code)
    double: int  # respondents who ticked two or more options
    value_labels: dict[int, str]


def candidate_groups(layout: Layout, names: Sequence[str]) -> list[OptionGroup]:
    """Runs of columns that share a question (and row), from the header alone."""
    runs: list[list[int]] = []
    for k, (question, below) in enumerate(layout.parts):
        if not question or not below:
            continue
        if runs and layout.parts[runs[-1][-1]][0] == question and runs[-1][-1] == k - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    groups: list[OptionGroup] = []
    for run in runs:
        question = layout.parts[run[0]][0]
        subs = [layout.parts[k][1] for k in run]
        split = [s.rsplit(_SEP, 1) for s in subs]
        rows = [p[0] for p in split if len(p) == 2]
        matrix = len(rows) == len(subs) and all(rows.count(r) >= 2 for r in rows)
        if not matrix:
            if len(run) >= 2:
                groups.append(_group(question, [names[k] for k in run], subs))
            continue
        start = 0
        for end in range(1, len(run) + 1):
            if end == len(run) or split[end][0] != split[start][0]:
                cols = [names[k] for k in run[start:end]]
                groups.append(
                    _group(f"{question}{_SEP}{split[start][0]}", cols,
                           [p[1] for p in split[start:end]])
                )  # fmt: skip
                start = end
    return [g for g in groups if len(g.columns) >= 2]


def _group(item: str, columns: list[str], options: list[str]) -> OptionGroup:
    return OptionGroup(item, tuple(columns), tuple(o.strip() for o in options))


def confirm(survey: SurveyFile, groups: list[OptionGroup]) -> list[Rejoined]:
    """The candidate groups that the data confirm are single-answer option columns: one
    pass over their columns (distinct answers per column, double ticks per group)."""
    groups = _plausible(survey, groups)
    if not groups:
        return []
    columns = [c for g in groups for c in g.columns]
    # Long (row, column, answer) over the ticked cells only, then per column its
    # distinct answers and first answer, per group the rows with one or more ticks
    # and with two or more: a few operations whatever the number of columns.
    names = [f"c{k}" for k in range(len(columns))]
    group_of = pl.LazyFrame(
        {"column": names, "group": [k for k, g in enumerate(groups) for _ in g.columns]},
        schema={"column": pl.String, "group": pl.Int64},
    )
    long = (
        survey.scan([])
        .select(pl.col(c).cast(pl.String).alias(n) for c, n in zip(columns, names, strict=True))
        .with_row_index("row")
        .unpivot(index="row", variable_name="column", value_name="answer")
        .drop_nulls("answer")
    )
    answer = pl.col("answer").str.strip_chars()
    per_column = long.group_by("column").agg(
        u=answer.n_unique(), v=answer.get(pl.col("row").arg_min())
    )
    ticks = long.join(group_of, on="column").group_by("row", "group").agg(t=pl.len())
    per_group = ticks.group_by("group").agg(d=(pl.col("t") >= 2).sum(), a=(pl.col("t") >= 1).sum())
    found_columns, found_groups = collect_all([per_column, per_group], [survey])
    unique: dict[str, int] = dict(found_columns.select("column", "u").rows())
    first: dict[str, str | None] = dict(found_columns.select("column", "v").rows())
    ticked = {k: (int(d), int(a)) for k, d, a in found_groups.select("group", "d", "a").rows()}
    out: list[Rejoined] = []
    at = 0
    for k, group in enumerate(groups):
        mine = names[at : at + len(group.columns)]
        at += len(group.columns)
        if any(unique.get(n, 0) > 1 for n in mine):
            continue  # a column with several answers: not an option column
        double, answered = ticked.get(k, (0, 0))
        if answered == 0 or MULTI_SELECT.search(group.item):
            continue
        if double > MULTI_TICK_MAX_SHARE * answered:
            continue  # many respondents tick several: multi-select
        out.append(_rejoined(group, [first.get(n) for n in mine], double))
    return out


#: Rows read first to drop candidate groups with a column of several answers cheaply.
SAMPLE_ROWS = 200


def _plausible(survey: SurveyFile, groups: list[OptionGroup]) -> list[OptionGroup]:
    """The groups whose columns each hold at most one distinct answer in the first rows.

    A grid of answers under per-row headers (``Statement 1`` ... under a question)
    looks like option columns from the header alone; its first rows show otherwise,
    so only the groups that survive them take the pass over every row.
    """
    if not groups:
        return []
    columns = [c for g in groups for c in g.columns]
    head = survey.collect(survey.scan([]).select(columns).head(SAMPLE_ROWS), width=len(columns))
    answers = head.unpivot(variable_name="column", value_name="answer").group_by("column")
    distinct = answers.agg(
        pl.col("answer").cast(pl.String).str.strip_chars().drop_nulls().n_unique()
    )
    several = set(distinct.filter(pl.col("answer") > 1)["column"].to_list())
    return [g for g in groups if not several.intersection(g.columns)]


def _rejoined(group: OptionGroup, seen: list[str | None], double: int) -> Rejoined:
    """Each column's answer, and the codes the export declares for the options.

    The answer read is the option's label from the header; its code is declared like
    SPSS value labels: the code the column holds in a numeric export, the option's
    place in the header (1, 2, ...) in a text export, whose columns follow the
    question's option order. Both exports of one survey then decide alike, and a
    non-answer option ("Don't know", coded 6) counts as one. A text column holding
    something other than its option's label keeps what it holds, and then nothing is
    declared: the scale is decided from the answers alone.
    """
    ticked = [(k, s) for k, s in enumerate(seen) if s is not None]
    numeric = all(s.lstrip("-").isdigit() for _, s in ticked)
    labels: dict[int, str] = {}
    answers = list(group.options)
    if numeric:
        offsets = {int(s) - k for k, s in ticked}
        if len(offsets) == 1:  # codes follow the column order: the unticked ones too
            base = offsets.pop()
            labels = {base + k: opt for k, opt in enumerate(group.options)}
        else:
            labels = {int(s): group.options[k] for k, s in ticked}
    elif all(normalise_label(s) == normalise_label(group.options[k]) for k, s in ticked):
        # the answering options numbered 1, 2, ... in order, the non-answers after them
        # (wherever the export puts "Don't know", first or last)
        ordered = sorted(group.options, key=_is_non_answer)
        labels = {k + 1: opt for k, opt in enumerate(ordered)}
    else:
        answers = [s if s is not None else o for s, o in zip(seen, group.options, strict=True)]
    return Rejoined(group, tuple(answers), double, labels)


def _is_non_answer(label: str) -> bool:
    norm = normalise_label(label)
    return norm in DEFAULT_NON_ANSWERS or bool(re.search(NON_ANSWER_PATTERN, norm))


class RejoinedSurvey(SurveyFile):
    """Another survey with each confirmed group of option columns as one column."""

    def __init__(self, inner: SurveyFile, rejoined: list[Rejoined]) -> None:
        first = {r.group.columns[0]: r for r in rejoined}
        gone = {c for r in rejoined for c in r.group.columns}
        columns = [
            first[c].group.item if c in first else c
            for c in inner.columns
            if c not in gone or c in first
        ]
        super().__init__(inner.path, columns, inner.header_rows)
        self.inner, self.rejoined = inner, rejoined
        self.width_factor = max(len(r.group.columns) for r in rejoined)
        self.format = inner.format  # type: ignore[misc]
        self.layout: str | None = getattr(inner, "layout", None)
        self.metadata = set(inner.metadata)
        self.labels = {k: v for k, v in inner.labels.items() if k not in gone}
        self.labels.update({r.group.item: r.group.item for r in rejoined})
        self.value_labels = dict(inner.value_labels)
        self.value_labels.update({r.group.item: r.value_labels for r in rejoined if r.value_labels})
        self.notes = [*inner.notes, *self._notes()]
        self.sheets = inner.sheets
        self._answers: dict[str, pl.Expr] = {}

    def _notes(self) -> list[str]:
        options = sum(len(r.group.columns) for r in self.rejoined)
        notes = [
            f"{self.path}: rejoined {options} option columns into {len(self.rejoined)} items "
            "(one column per option, as SurveyMonkey's expanded export writes them)"
        ]
        doubles = [r for r in self.rejoined if r.double]
        if doubles:
            shown = ", ".join(f"{r.group.item!r} ({r.double})" for r in doubles[:5])
            more = f" and {len(doubles) - 5} more" if len(doubles) > 5 else ""
            notes.append(
                f"{self.path}: {sum(r.double for r in doubles)} answer(s) with two or more "
                f"options ticked in a single-answer question counted as non-answers: "
                f"{shown}{more}"
            )
        return notes

    def parts(self) -> list[SurveyFile]:
        return [self.inner]

    def field_scan(self) -> FieldScan | None:
        """The lines of the file itself (its own columns, before rejoining)."""
        return self.inner.field_scan()

    def _answer(self, r: Rejoined) -> pl.Expr:
        """The rejoined column: the ticked option's answer, null unless exactly one is
        ticked (built once per item: a wide export has hundreds, each scan asks again)."""
        found = self._answers.get(r.group.item)
        if found is None:
            cols = r.group.columns
            ticks = pl.sum_horizontal(pl.col(c).is_not_null() for c in cols)
            chosen = pl.coalesce(
                pl.when(pl.col(c).is_not_null()).then(pl.lit(a))
                for c, a in zip(cols, r.answers, strict=True)
            )
            found = pl.when(ticks == 1).then(chosen).otherwise(pl.lit(None, pl.String))
            self._answers[r.group.item] = found
        return found

    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        made = {r.group.item: r for r in self.rejoined}
        lf = self.inner.scan(
            [c for c in text_columns if c not in made],
            [c for c in int_columns if c not in made],
        )
        exprs = []
        for item, r in made.items():
            value = self._answer(r)
            if item in int_columns:
                value = value.cast(pl.Int16)
            elif item in text_columns:
                value = value.cast(pl.Categorical)
            exprs.append(value.alias(item))
        return lf.with_columns(exprs).select(list(self.columns))


def rejoin_options(survey: SurveyFile, layout: Layout) -> SurveyFile:
    """The survey with its option columns rejoined, or itself when it has none."""
    if not layout.parts:
        return survey
    groups = candidate_groups(layout, list(survey.columns))
    # A group whose name another column already has (SurveyMonkey names an "Other
    # (please specify)" column after its question) keeps its option columns.
    # Nor do two groups that would take one name (a question repeated in the export).
    taken = set(survey.columns) - {c for g in groups for c in g.columns}
    names = Counter(g.item for g in groups)
    rejoined = confirm(survey, [g for g in groups if g.item not in taken and names[g.item] == 1])
    return RejoinedSurvey(survey, rejoined) if rejoined else survey
