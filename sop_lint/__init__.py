"""sop-lint: lint standard operating procedures for clarity, brevity and uniformity.

The public Python API::

    import sop_lint
    findings = sop_lint.check_text(text, lang="sv")

returns the same findings the ``sop-lint check`` command reports for that text.
"""

from __future__ import annotations

import importlib
from importlib import metadata
from typing import Any

try:
    __version__ = metadata.version("sop-lint")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

# The names below are loaded on first use (PEP 562): `sop-lint --version` and the
# commands that need none of them start without importing the whole linter.
_LAZY = {
    "Config": "sop_lint.config",
    "ConfigError": "sop_lint.config",
    "load_config": "sop_lint.config",
    "Report": "sop_lint.engine",
    "check_paths": "sop_lint.engine",
    "check_text": "sop_lint.engine",
    "Document": "sop_lint.model",
    "Finding": "sop_lint.model",
    "Severity": "sop_lint.model",
    "parse_document": "sop_lint.parser",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sop_lint' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "Config",
    "ConfigError",
    "Document",
    "Finding",
    "Report",
    "Severity",
    "__version__",
    "check_paths",
    "check_text",
    "load_config",
    "parse_document",
]
