"""Swedish."""

from __future__ import annotations

from typing import ClassVar

from sop_lint.languages.nordic import SWEDISH_GRAMMAR, LixLanguage, NordicVerbs


class Swedish(LixLanguage):
    code = "sv"
    name = "Swedish"
    aliases = ("sv-se", "swe", "svenska", "swedish")
    abbreviations: ClassVar[frozenset[str]] = frozenset(
        "t.ex bl.a d.v.s dvs osv m.m o.s.v s.k fr.o.m t.o.m p.g.a pga ca resp jfr obs "
        "nr tel kl st inkl exkl ev f.d t.v o.d m.fl mfl tf avd".split()
    )
    final_abbreviations: ClassVar[frozenset[str]] = frozenset(
        {"osv", "o.s.v", "m.m", "m.fl", "mfl", "etc"}
    )
    ordinal_dot = False


Swedish.verbs = NordicVerbs(SWEDISH_GRAMMAR)
