"""sop-lint: lint standard operating procedures for clarity, brevity and uniformity.

The public Python API::

    import sop_lint
    findings = sop_lint.check_text(text, lang="sv")

returns the same findings the ``sop-lint check`` command reports for that text.
"""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("sop-lint")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

from sop_lint.config import Config, ConfigError, load_config
from sop_lint.engine import Report, check_paths, check_text
from sop_lint.model import Document, Finding, Severity
from sop_lint.parser import parse_document

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
