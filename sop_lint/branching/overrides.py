"""Branch overrides: a branch's own copy of an SOP, kept next to the standard one.

A branch that must work differently (a different procedure, not just its own phone
number) gets its own copy of the SOP in a ``branches/<branch-id>/`` folder next to the
standard file::

    docs/en/product-return.md                          the standard SOP
    docs/en/branches/oslo-sentrum/product-return.md    Oslo Sentrum's own copy

The branch's site publishes its copy in place of the standard SOP, at the same address;
every other branch publishes the standard. The copy is a whole SOP (front matter
included, the same ``id``); small differences such as a phone number belong in
``branches.yml`` as ``{{ branch.phone }}`` instead, so that the procedures stay one.

This module only decides what a path means; it reads nothing. The site uses it to
publish, and the ``branch-drift`` rule to compare a copy with its standard.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath

from sop_lint.branching.data import ID_RE
from sop_lint.languages import LANGUAGES

FOLDER = "branches"


@dataclass(frozen=True, slots=True)
class Override:
    """What an override's path says: whose copy it is and of which standard file."""

    branch_id: str
    standard: str  # the standard SOP's path, in the same form as the override's path


def override_of(path: str | PurePath) -> Override | None:
    """The branch and standard file of an override path, or None for any other path.

    A path is an override when it has a ``branches/<branch-id>/`` folder inside a language
    folder (``en``, ``sv``, ``nb``, ``te``): the language folder keeps a project that
    happens to live in a folder called ``branches`` from being read as overrides.
    """
    parts = PurePosixPath(str(path).replace("\\", "/")).parts
    # The last "branches" folder with a branch id and a file after it.
    for i in range(len(parts) - 3, 0, -1):
        if parts[i] != FOLDER or not ID_RE.match(parts[i + 1]):
            continue
        if not any(part in LANGUAGES for part in parts[:i]):
            return None
        return Override(parts[i + 1], PurePosixPath(*parts[:i], *parts[i + 2 :]).as_posix())
    return None


def _copy_folders(folder: str) -> tuple[str, ...]:
    """The branch folders in ``folder`` (``branches/<id>/``). Not cached: one failed
    ``scandir`` per SOP is cheap, and a cache would go stale in ``site serve``."""
    try:
        with os.scandir(folder) as entries:
            return tuple(sorted(e.name for e in entries if ID_RE.match(e.name) and e.is_dir()))
    except OSError:  # no such folder (the usual case), or not readable
        return ()


def copies_of(path: str | PurePath) -> frozenset[str]:
    """The ids of the branches that have their own copy of the standard SOP at ``path``
    (they publish their copy instead). Only looks at the file system: ``path`` as given
    (relative to the working folder, as the linter shows paths)."""
    if override_of(path) is not None:
        return frozenset()
    head, name = os.path.split(os.fspath(path))
    folder = os.path.join(head, FOLDER)
    return frozenset(
        branch_id
        for branch_id in _copy_folders(folder)
        if os.path.isfile(os.path.join(folder, branch_id, name))
    )
