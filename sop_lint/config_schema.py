"""The JSON Schema of sop-lint's configuration, for editors.

``[tool.sop-lint]`` in ``pyproject.toml`` and the top level of ``sop-lint.toml`` hold the
same keys. Editors that read JSON Schema for TOML (Taplo, Even Better TOML in VS Code,
JetBrains IDEs) complete the keys, show these descriptions and underline a wrong value
before sop-lint runs. The schema ships in the package as ``data/sop-lint.schema.json``;
regenerate it after a change to the keys or to a rule's options with::

    python -m sop_lint.config_schema > sop_lint/data/sop-lint.schema.json

The rules and their options come from the rules themselves; the top-level keys and the
subsystem tables are described here, and ``tests/test_config_schema.py`` checks them
against what :func:`sop_lint.config.parse_config` and the subsystems accept, so the schema
and the validator cannot drift apart.
"""

from __future__ import annotations

import json
from typing import Any

from sop_lint.model import Severity
from sop_lint.rules.base import all_rules

SCHEMA_ID = (
    "https://raw.githubusercontent.com/your-org/sop-lint/main/sop_lint/data/sop-lint.schema.json"
)
SCOPES = ("heading", "paragraph", "step", "step-detail")

_SELECTORS = {
    "description": (
        "Rules by code (B001), name (sentence-too-long), code prefix (B, B00) or ALL; "
        "a list, or one string. See `sop-lint rules`."
    ),
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}},
    ],
}
_LANGUAGE = {
    "type": "string",
    "description": "A language code: en, sv, nb or te (variants such as en-GB or no are read "
    "as the supported language).",
    "examples": ["en", "sv", "nb", "te"],
    "pattern": r"^\s*[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*\s*$",
}
_GLOBS = {
    "type": "array",
    "items": {"type": "string", "maxLength": 500},
}

# Top-level keys, in the order the configuration guide explains them. `extend` is read
# by the nested-config support (issue 11, part A).
TOP_LEVEL: dict[str, dict[str, Any]] = {
    "docs": {
        "description": "The folder(s) `sop-lint check` checks when no path is given "
        '(default "docs"), relative to this config file.',
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        "default": "docs",
    },
    "exclude": {
        **_GLOBS,
        "description": "Globs of files not to check, relative to this config file "
        '(e.g. "docs/guide/**").',
    },
    "language": {
        **_LANGUAGE,
        "description": "The language of files whose front matter has no `lang:` "
        '(default "en"): en, sv, nb or te.',
        "default": "en",
    },
    "select": {**_SELECTORS, "description": "Only these rules. " + _SELECTORS["description"]},
    "extend-select": {
        **_SELECTORS,
        "description": "These rules too, e.g. rules that are off by default. "
        + _SELECTORS["description"],
    },
    "ignore": {**_SELECTORS, "description": "Not these rules. " + _SELECTORS["description"]},
    "fail-on": {
        "description": "The lowest severity that makes `sop-lint check` exit with 1.",
        "enum": ["error", "warning", "info", "never"],
        "default": "error",
    },
    "jobs": {
        "description": "Processes for `sop-lint check` (0: one per core).",
        "type": "integer",
        "minimum": 0,
        "default": 0,
    },
    "baseline": {
        "description": "The baseline file `sop-lint check` reads known findings from (written "
        'by `sop-lint baseline`), relative to this file, e.g. ".sop-lint-baseline.json".',
        "type": "string",
        "minLength": 1,
    },
    "respect-gitignore": {
        "description": "Leave out of folder walks the files that .gitignore files (and "
        ".git/info/exclude) ignore; `--no-ignore` turns it off for one run.",
        "type": "boolean",
        "default": True,
    },
    "cache": {
        "description": "Keep each file's results in a cache, so a file that has not changed "
        "is not checked again; false turns it off for the project (`--cache-dir` on the "
        "command line turns it on for one run, `--no-cache` off).",
        "type": "boolean",
        "default": True,
    },
    "cache-dir": {
        "description": "The cache's folder, relative to this file (default: "
        '".sop-lint-cache" next to it); `--cache-dir` on the command line wins.',
        "type": "string",
        "minLength": 1,
    },
    "rules": {"$ref": "#/$defs/rules"},
    "overrides": {
        "description": "Settings for the files that match `paths` (later overrides win).",
        "type": "array",
        "items": {"$ref": "#/$defs/override"},
    },
    "template": {
        "description": 'The SOP template: "default", or the path of a template file '
        "(YAML, `extends: default`). See the templates guide.",
        "type": "string",
        "minLength": 1,
        "default": "default",
    },
    "glossary": {
        "description": "The organisation's glossary file (YAML): discouraged words and the "
        "preferred term, for the terminology rule (W002).",
        "type": "string",
        "minLength": 1,
    },
    "branches": {
        "description": "The branches file with each branch's values ({{ branch.phone }}). "
        "A [branches] table, even empty, turns on the branch-template checks (J rules).",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "file": {
                "description": "The branches file, relative to this config file.",
                "type": "string",
                "minLength": 1,
                "default": "branches.yml",
            }
        },
    },
    "site": {
        "description": "Publishing with `sop-lint site build` (needs `sop-lint[site]`).",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "mkdocs": {
                "description": "The MkDocs configuration the branch sites start from.",
                "type": "string",
                "minLength": 1,
                "default": "mkdocs.yml",
            },
            "output": {
                "description": "Where the sites are written: <output>/<branch>/<lang>/.",
                "type": "string",
                "minLength": 1,
                "default": "site",
            },
            "jobs": {
                "description": "Processes for the build (0: one per core).",
                "type": "integer",
                "minimum": 0,
                "default": 0,
            },
        },
    },
    "grammar": {
        "description": "The grammar rule (G001, off by default) and its LanguageTool server.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "url": {
                "description": "The LanguageTool server (SOP_LINT_LANGUAGETOOL_URL wins).",
                "type": "string",
                "pattern": "^https?://",
            },
            "language-variants": {
                "description": 'LanguageTool\'s language per sop-lint language, e.g. en = "en-GB".',
                "type": "object",
                "additionalProperties": {"type": "string"},
            },
            "disabled-rules": {
                "description": "LanguageTool rule ids to leave out.",
                "type": "array",
                "items": {"type": "string"},
            },
            "timeout": {
                "description": "Seconds to wait for one answer.",
                "type": "number",
                "exclusiveMinimum": 0,
            },
            "run-timeout": {
                "description": "Seconds LanguageTool may take in one run, in all.",
                "type": "number",
                "exclusiveMinimum": 0,
            },
            "max-response-size": {
                "description": "The largest answer read, in bytes.",
                "type": "number",
                "exclusiveMinimum": 0,
            },
        },
    },
    "extend": {
        "description": "Another sop-lint config file this one builds on (its settings "
        'first, then these), e.g. "../sop-lint.toml".',
        "type": "string",
        "minLength": 1,
    },
}

OVERRIDE: dict[str, dict[str, Any]] = {
    "paths": {
        "description": 'Globs relative to this config file, e.g. ["docs/sv/**"].',
        "anyOf": [{"type": "string"}, _GLOBS],
    },
    "language": {**_LANGUAGE, "description": "The language of the matching files."},
    "select": TOP_LEVEL["select"],
    "extend-select": TOP_LEVEL["extend-select"],
    "ignore": TOP_LEVEL["ignore"],
    "rules": {"$ref": "#/$defs/rules"},
}


def _option_schema(default: Any) -> dict[str, Any]:
    """A rule option's schema, from its default value (what the validator checks)."""
    described = {"description": f"Default: {json.dumps(default, ensure_ascii=False)}."}
    if isinstance(default, bool):
        return {**described, "type": "boolean", "default": default}
    if isinstance(default, int):
        return {**described, "type": "integer", "minimum": 0, "default": default}
    if isinstance(default, float):
        return {**described, "type": "number", "minimum": 0, "default": default}
    if isinstance(default, str):
        return {**described, "type": "string", "default": default}
    if isinstance(default, list | tuple):
        return {**described, "type": "array", "default": list(default)}
    if isinstance(default, dict):
        return {**described, "type": "object", "default": default}
    return described


def _rule_schema(rule: type) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "severity": {
            "description": f"The rule's severity (default {rule.severity}).",
            "enum": [str(s) for s in Severity],
        },
        "scope": {
            "description": "The kinds of text the rule reads.",
            "type": "array",
            "items": {"enum": list(SCOPES)},
        },
    }
    for option, default in rule.options.items():
        properties[option] = _option_schema(default)
    return {
        "description": f"{rule.code} {rule.name}: {rule.summary()}",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


def build_schema() -> dict[str, Any]:
    """The schema, as ``data/sop-lint.schema.json`` holds it."""
    rules: dict[str, Any] = {}
    rule_defs: dict[str, Any] = {}
    for rule in all_rules():
        rule_defs[rule.code] = _rule_schema(rule)
        reference = {"$ref": f"#/$defs/rule/{rule.code}"}
        rules[rule.name] = reference
        rules[rule.code] = reference
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "sop-lint configuration",
        "description": "[tool.sop-lint] in pyproject.toml, or the top level of sop-lint.toml. "
        "See docs/guide/configuration.md.",
        "type": "object",
        "additionalProperties": False,
        "properties": TOP_LEVEL,
        "$defs": {
            "rules": {
                "description": "Options per rule, by name or code: "
                "[tool.sop-lint.rules.sentence-too-long] max-words-step = 18.",
                "type": "object",
                "additionalProperties": False,
                "properties": rules,
            },
            "rule": rule_defs,
            "override": {
                "type": "object",
                "additionalProperties": False,
                "required": ["paths"],
                "properties": OVERRIDE,
            },
        },
    }


def schema_text() -> str:
    """The schema as the bundled file holds it (sorted nowhere: the order is the guide's)."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
