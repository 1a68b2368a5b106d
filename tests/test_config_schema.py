"""The config's JSON Schema (sop_lint/data/sop-lint.schema.json) and the validator agree.

Editors check a config against the schema; sop-lint checks it with config.py. The schema
is generated (``python -m sop_lint.config_schema``) and these tests keep the two from
drifting apart: the same keys at every level, every rule and option, every example in the
guide valid under both, and the same mistakes refused by both.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from conftest import REPO

from sop_lint.config import ConfigError, parse_config
from sop_lint.config_schema import build_schema, schema_text
from sop_lint.grammar import GrammarSettings
from sop_lint.rules.base import all_rules

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates the schema itself")

BUNDLED = REPO / "sop_lint" / "data" / "sop-lint.schema.json"
SCHEMA = json.loads(BUNDLED.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
GUIDES = ("configuration.md", "site.md", "templates.md", "workflow.md")


def known_keys(probe) -> set[str]:
    """The keys a validator accepts, read from its message for an unknown key."""
    with pytest.raises(ConfigError) as error:
        probe()
    listed = re.search(r"known(?: keys)?: (.*)$", str(error.value))
    assert listed, str(error.value)
    return {key.strip().rpartition(".")[2] for key in listed.group(1).split(",")}


def test_the_bundled_schema_is_the_generated_one():
    assert BUNDLED.read_text(encoding="utf-8") == schema_text(), (
        "sop_lint/data/sop-lint.schema.json is out of date: run "
        "python -m sop_lint.config_schema > sop_lint/data/sop-lint.schema.json"
    )


def test_the_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_has_exactly_the_top_level_keys_the_validator_accepts():
    accepted = known_keys(lambda: parse_config({"no-such-key": 1}))
    assert set(SCHEMA["properties"]) == accepted, (
        "add the new key to TOP_LEVEL in sop_lint/config_schema.py (with a description) "
        "and regenerate the schema"
    )


def test_the_schema_has_exactly_the_override_keys_the_validator_accepts():
    accepted = known_keys(lambda: parse_config({"overrides": [{"paths": ["x"], "zz": 1}]}))
    assert set(SCHEMA["$defs"]["override"]["properties"]) == accepted


def test_the_subsystem_tables_have_the_keys_their_modules_accept():
    from sop_lint.branching.settings import BRANCHES_KEYS, SITE_KEYS

    properties = SCHEMA["properties"]
    assert set(properties["branches"]["properties"]) == set(BRANCHES_KEYS)
    assert set(properties["site"]["properties"]) == set(SITE_KEYS)
    grammar = known_keys(lambda: GrammarSettings.from_config({"zz": 1}))
    assert set(properties["grammar"]["properties"]) == grammar


def test_every_rule_and_option_is_in_the_schema_by_name_and_code():
    rules = SCHEMA["$defs"]["rules"]["properties"]
    for rule in all_rules():
        assert rules[rule.name] == rules[rule.code] == {"$ref": f"#/$defs/rule/{rule.code}"}
        options = SCHEMA["$defs"]["rule"][rule.code]["properties"]
        assert set(options) == {"severity", "scope", *rule.options}
        assert rule.code in SCHEMA["$defs"]["rule"][rule.code]["description"]


def test_every_key_has_a_description():
    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                assert "description" in value or "$ref" in value, f"{where}.{key}"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(SCHEMA, "schema")


def sop_lint_tables(path: Path) -> list[tuple[str, dict]]:
    """Every TOML example in a guide page, as the sop-lint table it sets."""
    text = path.read_text(encoding="utf-8")
    tables = []
    for number, block in enumerate(re.findall(r"```toml\n(.*?)```", text, re.S), 1):
        data = tomllib.loads(block)
        if "tool" in data or "project" in data:
            if "sop-lint" not in data.get("tool", {}):
                continue  # a pyproject.toml example about something else
            data = data["tool"]["sop-lint"]
        tables.append((f"{path.name} example {number}", data))
    return tables


def guide_examples() -> list[tuple[str, dict]]:
    examples = []
    for name in GUIDES:
        path = REPO / "docs" / "guide" / name
        if path.exists():
            examples += sop_lint_tables(path)
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    examples.append(("pyproject.toml", pyproject["tool"]["sop-lint"]))
    return examples


EXAMPLES = guide_examples()


@pytest.mark.parametrize(("where", "table"), EXAMPLES, ids=[w for w, _ in EXAMPLES])
def test_every_config_example_is_valid_under_the_schema_and_the_validator(where, table):
    errors = [f"{'.'.join(map(str, e.path))}: {e.message}" for e in VALIDATOR.iter_errors(table)]
    assert not errors, f"{where}: {errors}"
    # `extend` names another file: only a config read from a file follows it.
    parse_config({k: v for k, v in table.items() if k != "extend"})  # raises if refused


def test_the_configuration_guide_has_examples_to_check():
    assert sum(w.startswith("configuration.md") for w, _ in EXAMPLES) >= 4


MISTAKES = {
    "an unknown key": {"exlude": ["docs/guide/**"]},
    "an unknown fail-on": {"fail-on": "sometimes"},
    "negative jobs": {"jobs": -1},
    "a rule that does not exist": {"rules": {"sentence-too-short": {"max-words": 3}}},
    "an option of the wrong type": {"rules": {"sentence-too-long": {"max-words-step": "18"}}},
    "an option the rule does not have": {"rules": {"passive-voice": {"max-words": 3}}},
    "an unknown severity": {"rules": {"B001": {"severity": "fatal"}}},
    "an unknown scope": {"rules": {"B001": {"scope": ["table"]}}},
    "an override without paths": {"overrides": [{"language": "sv"}]},
    "an unknown override key": {"overrides": [{"paths": ["docs/sv/**"], "lang": "sv"}]},
    "docs as a number": {"docs": 3},
    "a site table with an unknown key": {"site": {"out": "public"}},
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_is_refused_by_both_the_schema_and_the_validator(mistake):
    table = MISTAKES[mistake]
    assert not VALIDATOR.is_valid(table), mistake
    with pytest.raises(ConfigError):
        config = parse_config(table)
        # The subsystem tables are validated where they are used.
        from sop_lint.branching.settings import site_settings

        site_settings(config.sections, config.root)


def test_the_schema_ships_in_the_package_data():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["sop_lint"]
    assert "data/**/*" in patterns
    assert build_schema()["$id"].endswith("/sop_lint/data/sop-lint.schema.json")
