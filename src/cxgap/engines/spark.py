"""Spark as an engine: the counting queries run as Spark SQL, on a table or on files.

The input is a table name the session knows (``catalog.db.table``; a part with dots or
spaces in backticks) or the Parquet or CSV files the cluster reads (a path or a glob; a
name ending in ``.csv`` or ``.csv.gz`` is CSV with a header row, read as text, anything
else Parquet), registered as a temporary view. Results come back through Arrow, so the
counts are 64-bit integers and the fixed-point weight sums exact decimals.

cxgap starts a session on ``master`` (``local[*]`` by default, or a cluster's URL) with
the given ``spark.*`` settings, unless one is already running in the process (a notebook's,
a test's), which it uses and leaves running.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import uuid
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxgap.errors import EngineUnavailable, EngineUnreachable, TableNotFound, UsageError

if TYPE_CHECKING:
    import polars as pl

INSTALL_HINT = "pip install 'cxgap[spark]'"
JAVA_HINT = (
    "Spark needs Java 17 or later: set JAVA_HOME, or install one (e.g. openjdk-17-jre-headless)"
)
#: Settings cxgap starts a session with; ``--spark-conf`` overrides any of them.
DEFAULTS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
}
_FILES = re.compile(r"[/\\*?]|://|\.(parquet|csv|csv\.gz)$", re.IGNORECASE)


def java_found() -> bool:
    """Whether a ``java`` is there to start Spark's driver with."""
    home = os.environ.get("JAVA_HOME")
    if home:
        return Path(home, "bin", "java").exists()
    return shutil.which("java") is not None


def start_session(master: str = "local[*]", conf: dict[str, str] | None = None) -> Any:
    """A Spark session on ``master``, quiet (errors only on stderr, no progress bars)."""
    if not java_found():
        raise EngineUnavailable(engine="Spark", reason="no Java found", hint=JAVA_HINT)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineUnavailable(
            engine="Spark", reason="pyspark is not installed", hint=INSTALL_HINT
        ) from None
    quiet = Path(__file__).with_name("log4j2-quiet.properties")
    settings = {
        **DEFAULTS,
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{quiet}",
        **(conf or {}),
    }
    if master.startswith("local"):
        # One machine: bind to loopback (no guessing of the network address, no warning).
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyspark's notes about pandas versions
            session = _quiet_session(SparkSession, master, settings)
    except Exception as exc:
        reason = _first_line(exc)
        if "JAVA_GATEWAY_EXITED" in reason:
            raise EngineUnavailable(
                engine="Spark", reason="Java exited before Spark started", hint=JAVA_HINT
            ) from None
        raise EngineUnreachable(engine="Spark", reason=f"master {master}: {reason}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def _quiet_session(kind: Any, master: str, settings: dict[str, str]) -> Any:
    """A new session whose JVM's own stderr is discarded: the JVM prints notes there
    (its incubator modules) before any logging is set up; Spark's errors reach cxgap
    through Py4J, and its logs are configured off (log4j2-quiet.properties)."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway

    conf = SparkConf().setMaster(master).setAppName("cxgap")
    for key, value in settings.items():
        conf.set(key, value)
    # launch_gateway's popen_kwargs is pyspark's documented way to capture the JVM's
    # output; SparkContext takes the gateway it started.
    gateway = launch_gateway(conf, popen_kwargs={"stderr": subprocess.DEVNULL})  # type: ignore[no-untyped-call]
    SparkContext(conf=conf, gateway=gateway)  # the process's active context from now on
    return kind.builder.getOrCreate()


class SparkEngine:
    """One table, or files registered as a view, in a Spark session (an
    :class:`cxgap.engines.Engine`)."""

    dialect = "spark"

    def __init__(
        self,
        source: str,
        *,
        master: str = "local[*]",
        conf: dict[str, str] | None = None,
        session: Any = None,
    ) -> None:
        self._owned = False
        _quiet_python_loggers()
        if session is None:
            session = _running_session()
        if session is None:
            session = start_session(master, conf)
            self._owned = True
        self._session = session
        self._view: str | None = None
        self._given = source  # (not `source`: the flow reads that as a full label)
        #: What the counts file and messages name as the table: the path or the name given
        #: (not the temporary view's name).
        self.label = re.sub(r"://[^/@]*@", "://", source)  # never a URL's user:secret@
        try:
            if is_files(source):
                self._view = f"cxgap_input_{uuid.uuid4().hex[:12]}"
                self._read_files(source).createOrReplaceTempView(self._view)
                self.table: tuple[str, ...] = (self._view,)
            else:
                from cxgap.engines.names import table_parts

                self.table = table_parts(source, self.dialect)
                self._frame()  # the table exists, or TableNotFound now
        except BaseException:
            self.close()
            raise

    def columns(self) -> list[tuple[str, str]]:
        """The table's columns in order, with Spark SQL's names of their types."""
        return [(f.name, f.dataType.simpleString()) for f in self._frame().schema.fields]

    def run(self, sql: str) -> pl.DataFrame:
        """The query's result through Arrow: bigint as Int64, decimals exact, strings."""
        import polars as pl

        try:
            arrow = self._session.sql(sql).toArrow()
        except Exception as exc:
            raise self._error(exc, reading=False) from None
        result = pl.from_arrow(arrow)
        assert isinstance(result, pl.DataFrame)
        return result

    def close(self) -> None:
        """Drop the view cxgap registered, and stop the session if cxgap started it."""
        session, self._session = getattr(self, "_session", None), None
        if session is None:
            return
        if self._view is not None and not self._owned:
            # A session already gone has nothing left to drop.
            with contextlib.suppress(Exception):
                session.catalog.dropTempView(self._view)
        if self._owned:
            session.stop()

    # -- internals ---------------------------------------------------------------------

    def _quoted(self) -> str:
        return ".".join("`" + p.replace("`", "``") + "`" for p in self.table)

    def _frame(self) -> Any:
        if self._session is None:
            raise UsageError("the Spark engine is closed")
        try:
            return self._session.table(self._quoted())
        except Exception as exc:
            raise self._error(exc) from None

    def _read_files(self, path: str) -> Any:
        reader = self._session.read
        try:
            if re.search(r"\.csv(\.gz)?$", path, re.IGNORECASE):
                # Every cell as text, as cxgap's own CSV reader gives it: an empty field
                # is null, a quoted empty one ("") the empty string (no cell is a NUL
                # character, Spark's null marker here); a ragged row stops the job rather
                # than being padded with nulls.
                options = {
                    "header": "true",
                    "inferSchema": "false",
                    "escape": '"',
                    "nullValue": "\u0000",
                    "emptyValue": "",
                    "mode": "FAILFAST",
                }
                return reader.options(**options).csv(path)
            return reader.parquet(path)
        except Exception as exc:
            raise self._error(exc) from None

    def _error(self, exc: BaseException, *, reading: bool = True) -> Exception:
        """A Spark or Py4J error as the catalogue's, one line, no Java stack."""
        text = _first_line(exc)
        name = ".".join(self.table) if hasattr(self, "table") else self._given
        if reading and ("PATH_NOT_FOUND" in text or "TABLE_OR_VIEW_NOT_FOUND" in text):
            return TableNotFound(engine="Spark", table=name, known=f" ({_short(text)})")
        if type(exc).__name__ in ("Py4JNetworkError", "ConnectionRefusedError"):
            return EngineUnreachable(engine="Spark", reason=_short(text))
        return EngineUnreachable(engine="Spark", reason="the query failed: " + _short(text))


def is_files(source: str) -> bool:
    """Whether ``source`` names files (a path, a glob, a URL) rather than a table."""
    return bool(_FILES.search(source)) or Path(source).exists()


def _quiet_python_loggers() -> None:
    """pyspark logs each failed query's context as JSON on stderr; cxgap reports the
    error itself, in one line."""
    import logging

    try:
        from pyspark.logger import PySparkLogger
    except ImportError:
        return
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name)  # created as pyspark's kind, which it calls with extras
        logging.getLogger(name).disabled = True


def _running_session() -> Any:
    """The Spark session already running in this process, if any (never starts one)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def _short(text: str) -> str:
    """Spark's message without its SQLSTATE tail and query context."""
    text = re.sub(r"\s*SQLSTATE: \w+\.?.*$", "", text)
    return text[:500]
