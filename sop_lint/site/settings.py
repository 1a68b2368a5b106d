"""Moved to :mod:`sop_lint.branching.settings` (issue 10); this name stays for plugins and
scripts written against it. The linter itself never imports :mod:`sop_lint.site`."""

import sys

from sop_lint.branching import settings as _moved

# The old name is the same module object, so attributes (and monkeypatching) agree.
sys.modules[__name__] = _moved
