"""``--engine`` on the commands that analyse (analyze, trend, check): the counts computed
by the engine where the table lives, then analysed as a counts file.

:func:`with_engine` gives a command the engine's options (declared once in
:mod:`cxgap.cli.options`) and makes its LEADERS argument optional; with an engine, the
table is counted into a temporary counts file that the command then reads in place of
the exports, so its output is the output on ``cxgap counts --engine ... -o counts.parquet``.
"""

from __future__ import annotations

import functools
import inspect
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import typer

from cxgap.cli import options as opt
from cxgap.cli.common import run_guarded, working

F = TypeVar("F", bound=Callable[..., Any])
KIND = inspect.Parameter.POSITIONAL_OR_KEYWORD

LEADERS = typer.Argument(
    None,
    help=f"Leaders' export ({opt.EXPORTS}), the one export the groups answered, or a "
    "counts file written by `cxgap counts`. None with --engine (--table names the data).",
    show_default=False,
)  # fmt: skip

#: The engine's options, in the order --help lists them: (kind, option).
_ENGINE_OPTIONS: dict[str, tuple[Any, Any]] = {
    "engine": (str, opt.ENGINE),
    "connection": (str | None, opt.CONNECTION),
    "table": (list[str] | None, opt.TABLE),
    "spark_master": (str, opt.SPARK_MASTER),
    "spark_conf": (list[str] | None, opt.SPARK_CONF),
}


@dataclass(frozen=True)
class EngineChoice:
    """``--engine`` and its options, as given."""

    engine: str = "local"
    connection: str | None = None
    table: list[str] | None = None
    spark_master: str = "local[*]"
    spark_conf: list[str] | None = None

    @property
    def used(self) -> bool:
        return self.engine != "local" or bool(self.table) or self.connection is not None

    def options(self) -> dict[str, Any]:
        """The keyword arguments the engine is opened with (Spark's session settings)."""
        from cxgap.errors import UsageError

        if self.engine != "spark":
            if self.spark_conf or self.spark_master != "local[*]":
                raise UsageError("--spark-master and --spark-conf go with --engine spark")
            return {}
        if self.connection is not None:
            raise UsageError("--connection goes with duckdb and postgres: Spark reads --table")
        settings: dict[str, str] = {}
        for given in self.spark_conf or []:
            key, sep, value = given.partition("=")
            if not sep or not key.strip():
                raise UsageError(
                    f"--spark-conf {given!r}: expected KEY=VALUE (e.g. spark.executor.memory=8g)"
                )
            settings[key.strip()] = value.strip()
        return {"master": self.spark_master, "conf": settings}

    def count(self, cfg: Any) -> bytes:
        """The counts file's bytes, computed by the engine on ``--table``."""
        from cxgap.engines.counts import count_engine
        from cxgap.engines.open import close, open_tables
        from cxgap.errors import UsageError

        if self.engine == "local":
            raise UsageError("--table and --connection go with --engine (duckdb, postgres, spark)")
        options = self.options()
        opened = None
        try:
            with working(f"Counting with {self.engine}"):
                opened = open_tables(
                    self.engine, self.table or [], connection=self.connection, **options
                )
                return count_engine(opened, cfg)
        finally:
            close(opened)


def with_engine(command: F) -> F:
    """Give a command ``--engine``, ``--connection``, ``--table``, ``--spark-master`` and
    ``--spark-conf`` (before its input options), LEADERS optional; with an engine it
    analyses the engine's counts. Apply it under :func:`cxgap.cli.options.with_inputs`."""
    signature = inspect.signature(command, eval_str=True)
    params = []
    for p in signature.parameters.values():
        if p.name == "leaders":
            p = p.replace(default=LEADERS, annotation=str | None)
        if p.name == "inputs":
            params += [
                inspect.Parameter(name, KIND, default=o, annotation=k)
                for name, (k, o) in _ENGINE_OPTIONS.items()
            ]
        params.append(p)

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        choice = EngineChoice(**{n: kwargs.pop(n) for n in _ENGINE_OPTIONS if n in kwargs})
        inputs: opt.Inputs = kwargs["inputs"]
        debug = bool(kwargs.get("debug"))
        json_errors = getattr(kwargs.get("fmt"), "value", None) == "json"
        if not choice.used:
            if kwargs.get("leaders") is None:
                run_guarded(_missing_leaders, debug=debug, json_errors=json_errors)
            return command(*args, **kwargs)
        with tempfile.TemporaryDirectory(prefix="cxgap-engine-") as folder:
            counts = Path(folder) / "counts.parquet"

            def counted() -> None:
                from cxgap.errors import UsageError

                if kwargs.get("leaders") is not None or kwargs.get("customers") is not None:
                    raise UsageError(f"--engine {choice.engine} counts --table: give no files")
                if inputs.given_groups() or inputs.source != "auto" or inputs.counts:
                    raise UsageError(f"--engine {choice.engine} counts --table: give no files")
                cfg = inputs.config(
                    kwargs.get("config"),
                    wave_column=kwargs.get("wave_column"),
                    agree=kwargs.get("agree"),
                    headline_item=kwargs.get("headline_item"),
                )
                counts.write_bytes(choice.count(cfg))

            run_guarded(counted, debug=debug, json_errors=json_errors)
            kwargs.update(leaders=str(counts), customers=None, inputs=replace(inputs, counts=True))
            return command(*args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper  # type: ignore[return-value]


def _missing_leaders() -> None:
    from cxgap.errors import UsageError

    raise UsageError("give the leaders' export, a counts file, or --engine with --table")
