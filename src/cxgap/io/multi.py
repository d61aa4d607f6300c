"""Several files as one survey: one file per wave (``customers_2026Q*.csv``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from cxgap.io.source import SurveyFile
from cxgap.waves import wave_from_name


class MultiFileSurvey(SurveyFile):
    """The rows of several exports of one group, one after another.

    A file without the wave column gets one, holding the wave its name stands
    for (``customers_2026Q3.csv`` -> ``2026Q3``). Columns missing from a file
    are blank there.
    """

    format = "multi"

    def __init__(self, label: str, parts: Sequence[SurveyFile], wave_column: str) -> None:
        names: list[str] = []
        for part in parts:
            names += [c for c in part.columns if c not in names]
        if wave_column not in names:
            names.append(wave_column)
        super().__init__(Path(label), names, header_rows=0)
        self.files = list(parts)
        self.wave_column = wave_column

    def parts(self) -> list[SurveyFile]:
        return list(self.files)

    def scan(self, text_columns: Sequence[str], int_columns: Sequence[str] = ()) -> pl.LazyFrame:
        frames = []
        for part in self.files:
            have = set(part.columns)
            lf = part.scan(
                [c for c in text_columns if c in have], [c for c in int_columns if c in have]
            )
            if self.wave_column not in have:
                label = wave_from_name(part.path.stem)
                dtype = pl.Categorical if self.wave_column in text_columns else pl.String
                lf = lf.with_columns(pl.lit(label).cast(dtype).alias(self.wave_column))
            missing = [c for c in self.columns if c not in have and c != self.wave_column]
            lf = lf.with_columns(
                pl.lit(None)
                .cast(
                    pl.Categorical
                    if c in text_columns
                    else pl.Int16
                    if c in int_columns
                    else pl.String
                )
                .alias(c)
                for c in missing
            )
            frames.append(lf.select(self.columns))
        return pl.concat(frames, how="vertical_relaxed")

    def locate(self, index: int) -> tuple[Path, int]:
        """The file and row of the response at ``index`` of the combined rows."""
        for part in self.files:
            height = int(part.collect(part.scan([]).select(pl.len()))[0, 0])
            if index < height:
                return part.locate(index)
            index -= height
        return self.path, index  # pragma: no cover - index past the end
