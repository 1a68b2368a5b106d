"""The optional parts of the install, and the one-line message when one is missing.

``pip install sop-lint`` is the linter alone. Publishing (MkDocs and Material) is the
``site`` extra, LanguageTool's Python client the ``grammar`` extra. A command that needs a
part that is not installed stops with :class:`MissingExtra`, whose message names the
command to run, rather than with an ``ImportError`` traceback.
"""

from __future__ import annotations

import importlib.util

# extra -> the top-level modules it provides (the import names, not the package names)
EXTRAS: dict[str, tuple[str, ...]] = {
    "site": ("mkdocs", "material"),
    "grammar": ("language_tool_python",),
}


class MissingExtra(Exception):
    """A command needs an optional part of sop-lint that is not installed."""

    def __init__(self, extra: str, needed_for: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(
            f"{needed_for} needs the '{extra}' extra, which is not installed "
            f"(no module '{module}'); install it with: pip install 'sop-lint[{extra}]'"
        )


def missing_module(extra: str) -> str | None:
    """The first module of ``extra`` that cannot be imported, or None when all can."""
    for module in EXTRAS[extra]:
        try:
            # find_spec rather than import: importing MkDocs costs a second, and a check
            # that it is there should not.
            if importlib.util.find_spec(module) is None:
                return module
        except (ImportError, ValueError):  # a broken or blocked install counts as absent
            return module
    return None


def require(extra: str, needed_for: str) -> None:
    """Raise :class:`MissingExtra` unless every module of ``extra`` can be imported."""
    module = missing_module(extra)
    if module is not None:
        raise MissingExtra(extra, needed_for, module)
