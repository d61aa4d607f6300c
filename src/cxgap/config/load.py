"""Where settings are found and how they are read: files, ``[tool.cxgap]``, flags."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)

from cxgap.config.rake import RakeSpec
from cxgap.config.settings import Config
from cxgap.errors import ConfigError, RakeMargins

_FLAG_NAMES = {
    "leaders_values": "--leaders-value",
    "customers_values": "--customers-value",
    "include_items": "--include",
    "exclude_items": "--exclude",
}


def _flag(key: str) -> str:
    return _FLAG_NAMES.get(key, "--" + key.replace("_", "-"))


def _key_of(err: Any) -> str:
    """The setting an error is about: its location, or for a whole-config check the
    'key:' its message starts with."""
    if err["loc"]:
        return str(err["loc"][0])
    head = str(err["msg"]).removeprefix("Value error, ").split(":", 1)[0]
    return head if head.isidentifier() else ""


def _format_validation(exc: ValidationError, flags: frozenset[str] = frozenset()) -> str:
    """One line per problem, each naming its key, or its option when ``flags`` (the
    keys given on the command line) holds it."""
    problems = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if _key_of(err) in flags:
            key = _flag(_key_of(err))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown setting"
        elif err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        if not err["loc"] and _key_of(err) in flags:  # "scale: ..." said once
            msg = msg.split(":", 1)[1].strip()
        problems.append(f"{key}: {msg}")
    return "; ".join(problems)


def build_config(
    data: dict[str, Any],
    source: str | Path | None = None,
    *,
    flags: frozenset[str] = frozenset(),
) -> Config:
    """Validate a mapping of settings; errors name the file and the key, or the
    command-line option when the value came from one (a key in ``flags``)."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        from_flags = all(_key_of(e) in flags for e in exc.errors())
        raise ConfigError(
            _format_validation(exc, flags), file=None if from_flags else source
        ) from None


def read_config_file(path: Path) -> dict[str, Any]:
    """Settings from a cxgap.toml (top level) or pyproject.toml ([tool.cxgap])."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config file not found", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=path) from None
    if path.name == "pyproject.toml":
        tool = raw.get("tool", {})
        section = tool.get("cxgap", {}) if isinstance(tool, dict) else {}
        return dict(section) if isinstance(section, dict) else {}
    # A cxgap.toml may also nest its settings under [tool.cxgap].
    tool = raw.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("cxgap"), dict):
        return dict(tool["cxgap"])
    return raw


def find_config_file(start: Path) -> Path | None:
    """The nearest cxgap.toml, or pyproject.toml with [tool.cxgap], from start upward."""
    for folder in (start, *start.parents):
        candidate = folder / "cxgap.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                has_section = "cxgap" in tomllib.loads(pyproject.read_text("utf-8")).get("tool", {})
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                has_section = False
            if has_section:
                return pyproject
        if (folder / ".git").exists():
            break
    return None


def load_config(
    path: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    *,
    search_from: Path | None = None,
) -> Config:
    """The effective config; the file it came from is its ``source_path`` (None for
    defaults only).

    ``overrides`` (CLI flags) win over the file; ``None`` values are ignored.
    """
    source: Path | None
    if path is not None:
        source = Path(path)
        data = read_config_file(source)
    else:
        source = find_config_file(search_from or Path.cwd())
        data = read_config_file(source) if source else {}
    given = {key: value for key, value in (overrides or {}).items() if value is not None}
    data.update(given)
    config = build_config(data, source, flags=frozenset(given))
    config._source_path = source
    return config


def config_with(config: Config, data: dict[str, Any]) -> Config:
    """These settings with ``data`` on top (checked as flags are), still knowing the file
    they came from (relative group files are read from its folder)."""
    found = build_config({**config.model_dump(exclude_unset=True), **data}, "command line")
    found._source_path = config.source_path
    return found


def load_rake_spec(path: str | Path) -> RakeSpec:
    """The raking spec of a margins file: its ``[rake]`` table (a cxgap.toml's works too,
    as does ``[tool.cxgap.rake]`` in pyproject.toml). Every problem is a
    :class:`~cxgap.errors.RakeMargins` error naming the file and the key."""
    source = Path(path)
    try:
        raw = read_config_file(source)
    except ConfigError as exc:
        raise RakeMargins(reason=exc.message, file=source) from None
    section = raw.get("rake")
    if not isinstance(section, dict):
        raise RakeMargins(
            reason="no [rake] table; expected [rake.margins.VARIABLE] tables of targets",
            file=source,
        )
    try:
        return RakeSpec.model_validate(section)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(["rake", *(str(p) for p in err["loc"] if p != "targets")])
            msg = "unknown setting" if err["type"] == "extra_forbidden" else str(err["msg"])
            problems.append(f"{key}: {msg.removeprefix('Value error, ')}")
        raise RakeMargins(reason="; ".join(problems), file=source) from None
