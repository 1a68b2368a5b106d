"""Norwegian Bokmål."""

from __future__ import annotations

from typing import ClassVar

from sop_lint.languages.nordic import NORWEGIAN_GRAMMAR, LixLanguage, NordicVerbs


class NorwegianBokmal(LixLanguage):
    code = "nb"
    name = "Norwegian Bokmål"
    aliases = ("nb-no", "no", "nob", "nor", "norsk", "bokmål", "bokmal", "norwegian")
    abbreviations: ClassVar[frozenset[str]] = frozenset(
        "f.eks bl.a dvs d.v.s osv o.l m.m mht ca jf pga p.g.a evt ev nr tlf kl st inkl "
        "ekskl iflg ifm mv o.a m.fl f.o.m t.o.m t.h t.v vedr adm avd".split()
    )
    final_abbreviations: ClassVar[frozenset[str]] = frozenset(
        {"osv", "o.l", "m.m", "mv", "m.fl", "etc"}
    )
    ordinal_dot = True  # "3. mai", "2. etasje"


NorwegianBokmal.verbs = NordicVerbs(NORWEGIAN_GRAMMAR)
