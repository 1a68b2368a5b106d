"""Rule families. Each module holds one family; each rule registers itself."""

from sop_lint.rules.base import Hit, Rule, all_rules, find_rule, match_rules, register

__all__ = ["Hit", "Rule", "all_rules", "find_rule", "match_rules", "register"]
