"""``sop-lint site serve --branch ID``: MkDocs' live preview of one branch.

It runs ``mkdocs serve`` on the project's MkDocs file with ``SOP_LINT_BRANCH`` set, and
also watches the branches file: a saved SOP or branch value shows on the next reload.
"""

from __future__ import annotations

import logging
import os

from sop_lint.branching.settings import site_settings
from sop_lint.config import Config


def serve_branch(config: Config, branch_id: str, dev_addr: str = "127.0.0.1:8000") -> None:
    """Serve ``branch_id``'s site until interrupted (Ctrl+C)."""
    from mkdocs.commands.serve import serve

    settings = site_settings(config.sections, config.root, config.source)
    os.environ["SOP_LINT_BRANCH"] = branch_id
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    watch = [str(settings.branches_file)] if settings.branches_file.exists() else []
    serve(config_file=str(settings.mkdocs_file), dev_addr=dev_addr, watch=watch)
