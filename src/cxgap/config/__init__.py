"""Configuration: pydantic models, and where they are found.

Settings come from, in rising precedence: the defaults below, a ``cxgap.toml``
(or ``[tool.cxgap]`` in ``pyproject.toml``) found in the working directory or a
parent, an explicit ``--config`` file, and CLI flags.
"""

from cxgap.config.load import (
    build_config,
    config_with,
    find_config_file,
    load_config,
    load_rake_spec,
    read_config_file,
)
from cxgap.config.rake import RakeMargin, RakeSpec
from cxgap.config.sections import (
    GROUP_LABELS,
    GROUP_NAME,
    HEX,
    ID_COLUMN_CANDIDATES,
    CheckRules,
    GroupSpec,
    ItemSpec,
    Theme,
)
from cxgap.config.settings import Config

__all__ = [
    "GROUP_LABELS", "GROUP_NAME", "HEX", "ID_COLUMN_CANDIDATES", "CheckRules", "Config",
    "GroupSpec", "ItemSpec", "RakeMargin", "RakeSpec", "Theme", "build_config", "config_with",
    "find_config_file", "load_config", "load_rake_spec", "read_config_file",
]  # fmt: skip
