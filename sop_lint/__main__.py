"""``python -m sop_lint``: the same as the ``sop-lint`` command."""

from sop_lint.launcher import main

main()
