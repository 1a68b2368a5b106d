"""Branches: the data, the sandboxed template renderer, and the page as each branch reads it.

This package sits below the rules and the site. The linter (the engine, the ``J`` rules,
``branch-drift``) and publishing (:mod:`sop_lint.site`) both use it; it imports neither,
and nothing here imports MkDocs.

- :mod:`~sop_lint.branching.data`: the branches file, validated with file and line.
- :mod:`~sop_lint.branching.settings`: the ``branches`` and ``site`` tables of the config.
- :mod:`~sop_lint.branching.render`: Jinja2 in an immutable sandbox with an allow-list,
  bounded in time and output.
- :mod:`~sop_lint.branching.lint`: a page as every branch that publishes it reads it, for
  the rules that run on each branch's text.
"""

from __future__ import annotations
