"""Packaging glue that pyproject.toml cannot express on its own.

The standard SOP template lives at the top of the repository (``templates/``), where an
organisation finds it; installed, it is the package ``sop_lint.templates`` (see
``package-dir`` in pyproject.toml). Package discovery cannot see a folder mapped like
that, so the package list is made here: every ``sop_lint*`` package, and the templates.
"""

from setuptools import find_namespace_packages, setup

setup(packages=[*find_namespace_packages(include=["sop_lint*"]), "sop_lint.templates"])
