"""The ``branches`` and ``site`` tables of the sop-lint configuration, validated.

```toml
[tool.sop-lint.branches]
file = "branches.yml"      # the branches file (default: branches.yml next to the config)

[tool.sop-lint.site]
mkdocs = "mkdocs.yml"      # the MkDocs configuration the branch sites start from
output = "site"            # where `sop-lint site build` writes site/<branch>/<lang>/
jobs = 0                   # processes for the build; 0 = one per core
```

A ``branches`` table (even an empty one) also turns on the template checks of
``sop-lint check``: the ``J`` rules, and the other rules run on the text as each branch
reads it. Mistakes are :class:`~sop_lint.config.ConfigError` naming the key.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sop_lint.config import ConfigError

BRANCHES_KEYS = {"file": "branches.yml"}
SITE_KEYS: dict[str, Any] = {"mkdocs": "mkdocs.yml", "output": "site", "jobs": 0}


@dataclass(slots=True, frozen=True)
class SiteSettings:
    """Resolved paths and options for linting templates and building the sites."""

    root: Path
    branches_file: Path
    branches_configured: bool  # a [tool.sop-lint.branches] table exists
    mkdocs_file: Path
    output: Path
    jobs: int


def _table(sections: Mapping[str, Any], key: str, known: dict[str, Any], where: str) -> dict:
    table = sections.get(key, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{where}key '{key}': expected a table, got {table!r}")
    for name in table:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean '{key}.{close[0]}'? " if close else ""
            raise ConfigError(
                f"{where}has unknown key '{key}.{name}'; {hint}known keys: "
                + ", ".join(f"{key}.{k}" for k in sorted(known))
            )
    out = dict(known)
    for name, value in table.items():
        default = known[name]
        if isinstance(default, str) and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"{where}key '{key}.{name}': expected a path, got {value!r}")
        if isinstance(default, int) and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise ConfigError(
                f"{where}key '{key}.{name}': expected a whole number of at least 0, got {value!r}"
            )
        out[name] = value
    return out


def site_settings(
    sections: Mapping[str, Any], root: Path, source: Path | None = None
) -> SiteSettings:
    """Validate the ``branches`` and ``site`` tables; paths are relative to ``root``."""
    where = "config "
    if source is not None:
        table = "[tool.sop-lint]" if source.name == "pyproject.toml" else "config"
        where = f"{source.name}: {table} "
    branches = _table(sections, "branches", BRANCHES_KEYS, where)
    site = _table(sections, "site", SITE_KEYS, where)
    return SiteSettings(
        root=root,
        branches_file=root / branches["file"],
        branches_configured="branches" in sections,
        mkdocs_file=root / site["mkdocs"],
        output=root / site["output"],
        jobs=site["jobs"],
    )
