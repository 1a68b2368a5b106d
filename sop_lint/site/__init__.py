"""Publishing: branch data, sandboxed rendering, and the multi-branch MkDocs build.

The pieces are plain library code that neither imports nor needs MkDocs, except
:mod:`sop_lint.site.plugin` (the MkDocs plugin) and :mod:`sop_lint.site.build` (which
drives MkDocs):

- :mod:`~sop_lint.site.branches`: the branches file, validated with file and line.
- :mod:`~sop_lint.site.render`: Jinja2 in an immutable sandbox with an allow-list, bounded
  in time and output.
- :mod:`~sop_lint.site.project`: the SOPs of a docs folder, read and checked once.
- :mod:`~sop_lint.site.compose`: one branch's docs folder in one language (page header,
  home page, dashboard, charts, stylesheet) as plain Markdown.
"""

from __future__ import annotations
