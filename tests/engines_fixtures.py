"""The services the engines' tests run against, started by the tests themselves.

``postgres_server``: a throwaway PostgreSQL cluster (initdb into a temporary folder,
started on a free loopback port with a password, stopped and removed after the run).
PostgreSQL refuses to run as root, so under root (as in CI) it runs as the unprivileged
``postgres`` user Debian's package creates (else ``nobody``).

``spark``: one local Spark session for the whole run (two cores, one shuffle partition,
no UI, quiet logs, a temporary warehouse).

Each skips, with the reason, only where the service's software is absent (no PostgreSQL
server binaries; no Java). ``.ci/run`` installs both, so CI never skips them.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PG_USER = "cxgap_test"


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    password: str
    dbname: str

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{self.dbname}"


def postgres_bin() -> Path | None:
    """The folder of the PostgreSQL server's programs (pg_ctl, initdb), newest first."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(versions[-1]).parent if versions else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _service_user() -> str | None:
    """Who runs the server: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    pytest.fail("running as root, and no unprivileged user (postgres, nobody) to run PostgreSQL")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries (pg_ctl, initdb) not found: apt-get install postgresql"
        )
    user = _service_user()
    home = Path(tempfile.mkdtemp(prefix="cxgap-pg-"))
    data, log = home / "data", home / "server.log"
    password = "pw-" + secrets.token_hex(8)
    (home / "pwfile").write_text(password + "\n", encoding="utf-8")
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(home, entry.pw_uid, entry.pw_gid)
        os.chown(home / "pwfile", entry.pw_uid, entry.pw_gid)
    run: dict[str, Any] = {
        "user": user,
        "cwd": home,
        "check": True,
        "capture_output": True,
        "text": True,
    }
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    server = PostgresServer("127.0.0.1", free_port(), PG_USER, password, "cxgap")
    try:
        subprocess.run(
            [bindir / "initdb", "-D", data, "-U", PG_USER, "--pwfile", home / "pwfile",
             "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            env=env, **run,
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={server.port} "
            f"-c unix_socket_directories='{home}' -c fsync=off -c full_page_writes=off"
        )
        subprocess.run(
            [bindir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start"],
            env=env, **run,
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:
        shown = log.read_text(errors="replace") if log.exists() else ""
        shutil.rmtree(home, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {exc.stderr}\n{shown}")
    try:
        import psycopg

        admin = server.url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("CREATE DATABASE cxgap")
        yield server
    finally:
        subprocess.run(
            [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
            env=env, user=user, cwd=home, capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(home, ignore_errors=True)


# -- Spark --------------------------------------------------------------------------------


def java_found() -> bool:
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").exists():
        return True
    return shutil.which("java") is not None


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The run's one local Spark session (pyspark is a test dependency: not skipped)."""
    if not java_found():
        pytest.skip(
            "Java not found (JAVA_HOME or java on PATH): apt-get install openjdk-17-jre-headless"
        )
    from cxgap.engines.spark import start_session

    warehouse = tempfile.mkdtemp(prefix="cxgap-spark-")
    session = start_session(
        "local[2]",
        {
            "spark.sql.shuffle.partitions": "2",
            "spark.default.parallelism": "2",
            "spark.sql.warehouse.dir": warehouse,
            "spark.driver.memory": "1g",
        },
    )
    try:
        yield session
    finally:
        session.stop()
        shutil.rmtree(warehouse, ignore_errors=True)
