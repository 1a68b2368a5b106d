"""The ``sop-lint`` command's entry point: ``--version`` answers at once; everything else
goes to :mod:`sop_lint.cli`, which imports the linter.

A script asking for the version (an editor plugin, CI's "which sop-lint is this") should
not wait for the parser, the rules and their language data to load.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the ``sop-lint`` command."""
    if sys.argv[1:] == ["--version"]:
        from sop_lint import __version__

        # The same line click's version option prints (tests/test_cli.py checks both).
        sys.stdout.write(f"sop-lint, version {__version__}\n")
        return
    from sop_lint.cli import main as cli_main

    cli_main()
