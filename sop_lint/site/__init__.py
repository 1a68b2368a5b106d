"""Publishing: the multi-branch MkDocs build. It only publishes: branch data, the
template sandbox and the per-branch reading of a page live in :mod:`sop_lint.branching`,
which the linter uses too; nothing outside this package imports it except the ``site``
commands of the CLI.

The pieces are plain library code that neither imports nor needs MkDocs, except
:mod:`sop_lint.site.plugin` (the MkDocs plugin) and :mod:`sop_lint.site.build` (which
drives MkDocs):

- :mod:`~sop_lint.site.project`: the SOPs of a docs folder, read and checked once.
- :mod:`~sop_lint.site.compose`: one branch's docs folder in one language (page header,
  home page, dashboard, charts, stylesheet) as plain Markdown.
"""

from __future__ import annotations
