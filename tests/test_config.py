"""Configuration: discovery, selection, rule options, per-path overrides and validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import lint

from sop_lint.config import (
    ConfigError,
    enabled_rules,
    load_config,
    override_matches,
    parse_config,
)
from sop_lint.model import Severity
from sop_lint.rules import all_rules

LONG_STEP_SV = (
    "Be kunden om kvittot och kortet som används vid köpet och skriv också ordernumret på "
    "returlappen innan du tar emot varan och lägger den i en påse på returhyllan bakom "
    "kassan."
)  # 31 words
LONG_STEP_EN = (
    "Ask the customer for the receipt and the card they pay with, and write the order "
    "number on the return slip before you take the returned item and put it aside."
)  # 31 words


def rule_codes(rules) -> list[str]:
    return [r.code for r in rules]


# -- discovery -------------------------------------------------------------------------------


def test_pyproject_table_is_found_walking_up_from_a_nested_file(project):
    project.write(
        "pyproject.toml", '[project]\nname = "sops"\n\n[tool.sop-lint]\nlanguage = "sv"\n'
    )
    sop_file = project.write("docs/sv/retur.md", "# Retur\n")
    config = load_config(sop_file)
    assert config.source == project.root / "pyproject.toml"
    assert config.root == project.root
    assert config.language == "sv"


def test_sop_lint_toml_wins_over_pyproject_in_the_same_folder(project):
    project.write("pyproject.toml", '[tool.sop-lint]\nlanguage = "sv"\n')
    project.write("sop-lint.toml", 'language = "nb"\n')
    config = load_config(project.write("docs/retur.md", "# Retur\n"))
    assert config.source == project.root / "sop-lint.toml"
    assert config.language == "nb"


def test_the_closest_config_file_wins(project):
    project.write("pyproject.toml", '[tool.sop-lint]\nlanguage = "sv"\n')
    project.write("docs/te/sop-lint.toml", 'language = "te"\n')
    assert load_config(project.write("docs/te/complaints.md", "")).language == "te"
    assert load_config(project.write("docs/sv/klagomal.md", "")).language == "sv"


def test_pyproject_without_a_sop_lint_table_is_skipped(project):
    project.write("sop-lint.toml", 'language = "nb"\n')
    project.write("docs/pyproject.toml", '[project]\nname = "docs"\n')
    config = load_config(project.write("docs/retur.md", ""))
    assert config.source == project.root / "sop-lint.toml"


def test_without_a_config_file_the_defaults_apply(project):
    config = load_config(project.write("returns.md", ""))
    assert config.source is None
    assert (config.language, config.fail_on, config.docs, config.select) == (
        "en",
        "error",
        ["docs"],
        None,
    )


def test_explicit_config_file_is_used_instead_of_discovery(project):
    project.write("sop-lint.toml", 'language = "nb"\n')
    other = project.write("ci/strict.toml", 'language = "sv"\nfail-on = "warning"\n')
    config = load_config(project.root, explicit=other)
    assert (config.source, config.language, config.fail_on) == (other, "sv", "warning")
    assert config.root == project.root / "ci"


def test_explicit_pyproject_reads_its_tool_table(project):
    path = project.write("pyproject.toml", '[tool.sop-lint]\nlanguage = "te"\n')
    assert load_config(explicit=path).language == "te"


def test_missing_explicit_config_file_is_an_error(project):
    with pytest.raises(ConfigError, match=r"nope\.toml: config file not found"):
        load_config(explicit=Path("nope.toml"))


def test_cli_config_option_overrides_the_discovered_file(project, cli):
    project.write("sop-lint.toml", 'ignore = ["B001"]\n')
    project.write("strict.toml", "ignore = []\n")
    project.write("docs/returns.md", f"1. {LONG_STEP_EN}\n")
    assert cli("check", "docs").exit_code == 0
    assert cli("check", "docs", "--config", "strict.toml", "--fail-on", "warning").exit_code == 1


# -- selection -------------------------------------------------------------------------------


def test_by_default_every_rule_that_is_on_by_default_is_enabled():
    enabled = rule_codes(enabled_rules(None, [], []))
    assert enabled == [r.code for r in all_rules() if r.enabled_by_default]
    for code in ("B001", "B002", "B003", "R001", "R002"):
        assert code in enabled
    assert "B004" not in enabled  # heading-too-deep: editors rarely agreed, off by default
    assert "R003" not in enabled  # a notice on every Telugu file: off by default
    assert [c for c in enabled if c.startswith("S")] == ["S001", "S002", "S003", "S004", "S005"]
    assert "G001" not in enabled  # grammar needs a LanguageTool server: off by default


def test_all_selects_every_rule_even_those_off_by_default():
    assert enabled_rules(["ALL"], [], []) == tuple(all_rules())


@pytest.mark.parametrize(
    ("select", "extend", "ignore", "expected"),
    [
        (["B001"], [], [], ["B001"]),
        (["sentence-too-long"], [], [], ["B001"]),
        (["B"], [], [], ["B001", "B002", "B003", "B004"]),
        (["B00"], [], ["heading-too-deep"], ["B001", "B002", "B003"]),
        (["R"], ["S002"], [], ["R001", "R002", "R003", "S002"]),
        (["S"], [], ["S001", "unknown-rule-in-suppression"], ["S002", "S004", "S005"]),
        (["R", "S"], [], ["R"], ["S001", "S002", "S003", "S004", "S005"]),
        (["b001", "Paragraph-Too-Long"], [], [], ["B001", "B002"]),
    ],
)
def test_select_and_ignore_by_code_name_and_prefix(select, extend, ignore, expected):
    assert rule_codes(enabled_rules(select, extend, ignore)) == expected


def test_ignored_rule_reports_nothing():
    config = {"ignore": ["sentence-too-long"]}
    assert lint(f"1. {LONG_STEP_SV}\n", "sv", config) == []


def test_select_runs_only_the_selected_rules():
    steps = "".join(f"{n}. Ring chefen.\n" for n in range(1, 17))
    text = f"#### Bärgning\n\n{steps}\n## Kontakt\n"
    assert [f.rule for f in lint(text, "sv", {"select": ["B003"]})] == ["B003"]
    assert [f.rule for f in lint(text, "sv", {"select": ["B"], "ignore": ["B003"]})] == ["B004"]


# -- rule options and severity ---------------------------------------------------------------


def test_rule_severity_can_be_raised_by_code_or_name():
    for key in ("B001", "sentence-too-long"):
        [finding] = lint(f"1. {LONG_STEP_SV}\n", "sv", {"rules": {key: {"severity": "error"}}})
        assert finding.severity is Severity.ERROR


def test_rule_options_change_the_threshold():
    config = {"rules": {"sentence-too-long": {"max-words-step": 35}}}
    assert lint(f"1. {LONG_STEP_SV}\n", "sv", config) == []


def test_config_severity_is_case_insensitive():
    config = parse_config({"rules": {"B004": {"severity": "INFO"}}})
    assert config.rules["B004"].severity is Severity.INFO


# -- per-path overrides ----------------------------------------------------------------------


OVERRIDES = """\
[tool.sop-lint]
language = "en"

[tool.sop-lint.rules.sentence-too-long]
max-words-step = 35

[[tool.sop-lint.overrides]]
paths = ["docs/sv/**"]
language = "sv"

[[tool.sop-lint.overrides]]
paths = ["docs/legacy"]
ignore = ["B"]

[[tool.sop-lint.overrides]]
paths = ["docs/**/strict-*.md"]
rules = { sentence-too-long = { max-words-step = 10, severity = "error" } }
"""


def test_overrides_apply_language_ignore_and_rule_options_by_glob(project):
    config_path = project.write("pyproject.toml", OVERRIDES)
    config = load_config(config_path)
    sv = config.for_file(project.root / "docs/sv/retur.md")
    assert sv.language == "sv"
    assert sv.settings["B001"].options == {"max-words-step": 35}
    legacy = config.for_file(project.root / "docs/legacy/old/returns.md")
    assert "B001" not in [r.code for r in legacy.rule_classes]
    strict = config.for_file(project.root / "docs/en/strict-returns.md")
    assert strict.language == "en"
    assert strict.settings["B001"].options == {"max-words-step": 10}
    assert strict.settings["B001"].severity is Severity.ERROR


def test_double_star_slash_also_matches_files_directly_in_the_folder(project):
    # "docs/**/strict-*.md" matches docs/strict-x.md as well as docs/en/strict-x.md.
    config = load_config(project.write("pyproject.toml", OVERRIDES))
    direct = config.for_file(project.root / "docs/strict-returns.md")
    assert direct.settings["B001"].options == {"max-words-step": 10}
    other = config.for_file(project.root / "docs/en/returns.md")
    assert other.settings["B001"].options == {"max-words-step": 35}


def test_overrides_change_the_findings_of_matching_files_only(project, cli):
    project.write("pyproject.toml", OVERRIDES)
    project.write("docs/sv/retur.md", f"1. {LONG_STEP_SV}\n")  # 31 words <= 35
    # 11 words: over the strict limit of 10, under the project's 35.
    step = "Ask the customer for the receipt and the card they use."
    project.write("docs/en/strict-returns.md", f"1. {step}\n")
    project.write("docs/legacy/returns.md", f"#### Old\n\n1. {LONG_STEP_EN} {LONG_STEP_EN}\n")
    result = cli("check", "--format", "json")
    data = json.loads(result.stdout)
    assert [(f["path"], f["rule"], f["severity"]) for f in data["findings"]] == [
        ("docs/en/strict-returns.md", "B001", "error"),
    ]
    assert "Sentence has 11 words" in data["findings"][0]["message"]
    assert result.exit_code == 1


def test_excluded_paths_are_not_checked(project, cli):
    project.write("sop-lint.toml", 'exclude = ["docs/drafts/**", "**/README.md"]\n')
    project.write("docs/returns.md", "# Returns\n\nAsk for the receipt.\n")
    project.write("docs/drafts/new.md", "#### Draft\n")
    project.write("docs/README.md", "#### About\n")
    data = json.loads(cli("check", "--format", "json").stdout)
    assert data["summary"]["files"] == 1
    assert data["findings"] == []


def test_fail_on_from_config_sets_the_exit_code(project, cli):
    project.write("sop-lint.toml", 'fail-on = "warning"\n')
    project.write("docs/returns.md", f"1. {LONG_STEP_EN}\n")
    assert cli("check").exit_code == 1
    assert cli("check", "--fail-on", "error").exit_code == 0


# -- validation ------------------------------------------------------------------------------


INVALID = [
    ('colour = "red"', "has unknown key 'colour'"),
    ('fail-on = "sometimes"', "key 'fail-on': expected one of error, warning, info, never"),
    ('jobs = "four"', "key 'jobs': expected a whole number of at least 0, got 'four'"),
    ("jobs = -1", "key 'jobs': expected a whole number of at least 0, got -1"),
    ('language = "de"', "key 'language': expected a supported language: en, sv, nb or te"),
    ("language = 7", "key 'language': expected a language code"),
    ('select = ["B999"]', "key 'select': expected rule codes, names or code prefixes"),
    ('ignore = "sentence-to-long"', "key 'ignore': expected rule codes, names or code prefixes"),
    ("exclude = [1, 2]", "key 'exclude': expected a list of strings, got [1, 2]"),
    (
        "[tool.sop-lint.rules.sentence-to-long]\nmax-words = 10",
        "key 'rules.sentence-to-long': no rule is called 'sentence-to-long'",
    ),
    (
        '[tool.sop-lint.rules.B001]\nseverity = "fatal"',
        "key 'rules.B001.severity': expected error, warning or info, got 'fatal'",
    ),
    (
        '[tool.sop-lint.rules.B001]\nmax-words = "ten"',
        "key 'rules.B001.max-words': expected a number, got 'ten'",
    ),
    (
        "[tool.sop-lint.rules.B001]\nmax-words = 12.5",
        "key 'rules.B001.max-words': expected a whole number, got 12.5",
    ),
    (
        "[tool.sop-lint.rules.B001]\nmax-sentences = 3",
        "key 'rules.B001.max-sentences': rule sentence-too-long has no option 'max-sentences'",
    ),
    (
        '[tool.sop-lint.rules.B001]\nscope = ["table"]',
        "key 'rules.B001.scope': expected a list of heading, paragraph, step, step-detail",
    ),
    ('[[tool.sop-lint.overrides]]\nignore = ["B"]', "key 'overrides[0].paths' is missing"),
    (
        '[[tool.sop-lint.overrides]]\npaths = ["docs/sv/**"]\nlang = "sv"',
        "has unknown key 'overrides[0].lang'",
    ),
    ('overrides = "docs"', "key 'overrides': expected an array of tables"),
]


@pytest.mark.parametrize(("body", "message"), INVALID)
def test_invalid_config_exits_2_with_one_line_naming_the_key(project, cli, body, message):
    project.write("pyproject.toml", f"[tool.sop-lint]\n{body}\n")
    project.write("docs/returns.md", "# Returns\n\nAsk for the receipt.\n")
    result = cli("check", "docs")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("sop-lint: error: pyproject.toml: [tool.sop-lint] ")
    assert message in lines[0]


def test_invalid_toml_syntax_is_a_one_line_error(project, cli):
    project.write("sop-lint.toml", 'language = "sv\n')
    project.write("docs/retur.md", "# Retur\n")
    result = cli("check", "docs")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("sop-lint: error: sop-lint.toml: not valid TOML")


def test_errors_in_sop_lint_toml_name_it_config_not_the_tool_table():
    with pytest.raises(ConfigError) as info:
        parse_config({"colour": "red"}, Path("/srv/sops/sop-lint.toml"))
    assert str(info.value).startswith("/srv/sops/sop-lint.toml: config has unknown key 'colour'")


def test_config_keys_accept_a_single_string_where_a_list_is_usual():
    config = parse_config({"docs": "procedures", "select": "B", "ignore": "B004"})
    assert (config.docs, config.select, config.ignore) == (["procedures"], ["B"], ["B004"])


def test_language_aliases_are_normalised_in_config():
    assert parse_config({"language": "no"}).language == "nb"
    override = parse_config({"overrides": [{"paths": "docs/te", "language": "te-IN"}]})
    assert override.overrides[0].language == "te"


def test_config_to_dict_is_the_resolved_configuration():
    config = parse_config(
        {
            "language": "svenska",
            "ignore": ["R"],
            "rules": {"B001": {"max-words-step": 15, "severity": "error"}},
            "overrides": [{"paths": ["docs/te/**"], "language": "te"}],
        }
    )
    data = config.to_dict()
    assert (data["config-file"], data["language"], data["fail-on"]) == (None, "sv", "error")
    enabled = data["enabled-rules"]
    assert enabled[:4] == [
        "B001 sentence-too-long",
        "B002 paragraph-too-long",
        "B003 procedure-too-long",
        "D001 duplicate-id",
    ]
    assert "S002 invalid-front-matter" in enabled
    assert not [rule for rule in enabled if rule.startswith("R")]  # ignored
    assert data["rules"]["sentence-too-long"] == {
        "severity": "error",
        "max-words-step": 15,
        "max-words": 40,
        "error-words": 50,
    }
    assert data["overrides"] == [{"paths": ["docs/te/**"], "language": "te"}]


# -- globs match like .gitignore lines (issue 11) ----------------------------------------------


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [  # the table in docs/guide/configuration.md, "Globs"
        ("docs/*.md", "docs/index.md", True),
        ("docs/*.md", "docs/en/returns.md", False),  # the bug in issue 11
        ("docs/**/*.md", "docs/index.md", True),
        ("docs/**/*.md", "docs/sv/arkiv/gammal.md", True),
        ("docs/**/*.md", "README.md", False),
        ("docs/sv/**", "docs/sv/a/b.md", True),
        ("docs/sv/**", "docs/sv-SE/retur.md", False),
        ("docs/legacy", "docs/legacy/x.md", True),
        ("docs/legacy/", "docs/legacy/x.md", True),
        ("docs/legacy", "docs/legacy-2/x.md", False),
        ("docs/*/drafts", "docs/en/drafts/x.md", True),
        ("docs/*/drafts", "docs/drafts/x.md", False),
        ("*.draft.md", "docs/en/returns.draft.md", True),
        ("/README.md", "README.md", True),
        ("/README.md", "docs/README.md", False),
        ("docs/?.md", "docs/a.md", True),
        ("docs/[ab]/x.md", "docs/b/x.md", True),
        ("docs/a**b.md", "docs/a/b.md", False),  # "**" inside a name is a plain "*"
    ],
)
def test_config_globs_match_like_gitignore(glob, path, expected):
    assert override_matches(path, glob) is expected


def test_respect_gitignore_must_be_true_or_false(project):
    project.write("sop-lint.toml", 'respect-gitignore = "no"\n')
    with pytest.raises(
        ConfigError, match="key 'respect-gitignore': expected true or false, got 'no'"
    ):
        load_config(project.root)


def test_extend_merges_rules_option_by_option_and_appends_overrides(project, cli):
    project.write(
        "sop-lint.toml",
        'select = ["B"]\nfail-on = "warning"\n'
        '[rules.sentence-too-long]\nseverity = "error"\nmax-words = 30\n'
        '[[overrides]]\npaths = ["docs/sv/arkiv/**"]\nignore = ["B"]\n',
    )
    project.write(
        "docs/sv/sop-lint.toml",
        'extend = "../../sop-lint.toml"\nlanguage = "sv"\n'
        "[rules.sentence-too-long]\nmax-words-step = 20\n"
        '[[overrides]]\npaths = ["utkast/**"]\nignore = ["B001"]\n',
    )
    data = json.loads(cli("config", "docs/sv").stdout)
    assert data["config-file"].endswith("docs/sv/sop-lint.toml")
    assert (data["language"], data["fail-on"]) == ("sv", "warning")
    assert data["rules"]["sentence-too-long"]["severity"] == "error"
    assert data["rules"]["sentence-too-long"]["max-words"] == 30  # inherited
    assert data["rules"]["sentence-too-long"]["max-words-step"] == 20  # its own
    assert [o["paths"] for o in data["overrides"]] == [["docs/sv/arkiv/**"], ["utkast/**"]]
    config = load_config(project.root / "docs/sv")
    arkiv = config.for_file(project.root / "docs/sv/arkiv/gammal.md")
    assert not [r for r in arkiv.rule_classes if r.code.startswith("B")]
    utkast = config.for_file(project.root / "docs/sv/utkast/ny.md")
    assert "B001" not in [r.code for r in utkast.rule_classes]
