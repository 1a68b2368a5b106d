"""The template as data: the default template, organisations' own templates (``extends``),
clear errors for invalid template files, heading matching, and the commands."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from sop_lint.config import parse_config
from sop_lint.engine import check_text
from sop_lint.template import (
    TemplateError,
    Wildcard,
    builtin_dir,
    load_template,
    normalise_heading,
    template_for,
)

DEFAULT = builtin_dir() / "default.yml"
RETURN_SOP = (REPO / "docs" / "en" / "product-return.md").read_text("utf-8")
RETURN_SOP_SV = (REPO / "docs" / "sv" / "product-return.md").read_text("utf-8")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def template_findings(text: str, template: Path | None = None, lang: str = "en"):
    data: dict = {"select": ["T"]}
    if template is not None:
        data["template"] = str(template)
    return check_text(text, lang=lang, config=parse_config(data))


# -- the default template -----------------------------------------------------------------


def test_the_default_template_lists_the_standard_sections_in_order():
    template = load_template(DEFAULT)
    assert [(s.key, s.required) for s in template.sections] == [
        ("purpose", True),
        ("scope", True),
        ("definitions", False),
        ("roles", True),
        ("prerequisites", False),
        ("safety", False),
        ("procedure", True),
        ("deviations", True),
        ("records", True),
        ("follow_up", False),
        ("references", False),
        ("revision_history", True),
        ("attachments", False),
    ]


def test_every_section_has_a_name_and_guidance_in_all_four_languages():
    template = load_template(DEFAULT)
    for spec in template.sections:
        assert set(spec.names) == {"en", "sv", "nb", "te"}, spec.key
        if spec.kind != "revision-history":  # the skeleton writes a table there
            assert set(spec.guidance) == {"en", "sv", "nb", "te"}, spec.key
    names = {s.key: template.name_of(s, "sv") for s in template.sections}
    assert names["purpose"] == "Syfte" and names["procedure"] == "Utförande"
    assert template.name_of(template.section("revision_history"), "nb") == "Revisjonshistorikk"
    assert template.name_of(template.section("scope"), "te") == "పరిధి"


def test_the_default_front_matter_has_types_and_document_control():
    template = load_template(DEFAULT)
    types = {key: spec.type for key, spec in template.metadata.items()}
    assert types["approved_on"] == types["effective_date"] == types["review_due"] == "date"
    status = template.metadata["status"]
    assert status.choices == ("draft", "review", "approved", "effective", "superseded", "withdrawn")
    assert template.metadata["review_due"].alternative == "review_interval"
    assert template.metadata["source_version"].required_with == "translation_of"
    required = [key for key, spec in template.metadata.items() if spec.required]
    assert required == [
        "id",
        "title",
        "version",
        "status",
        "owner",
        "review_due",
        "applies_to",
        "lang",
    ]


@pytest.mark.parametrize(
    ("heading", "lang", "key"),
    [
        ("3. Procedure", "en", "procedure"),
        ("PROCEDURE:", "en", "procedure"),
        ("Roles & Responsibilities", "en", "roles"),
        ("Follow up", "en", "follow_up"),
        ("2.1 Scope", "en", "scope"),
        ("Utförande", "sv", "procedure"),
        ("4) Arbetsgång", "sv", "procedure"),
        ("Avvikelser", "sv", "deviations"),
        ("Fremgangsmåte", "nb", "procedure"),
        ("Avvik", "nb", "deviations"),
        ("Revisjonshistorikk", "nb", "revision_history"),
        ("విధానం", "te", "procedure"),
        ("5. సవరణ చరిత్ర", "te", "revision_history"),
    ],
)
def test_headings_match_sections_by_alias_in_the_sops_language(heading, lang, key):
    template = load_template(DEFAULT)
    spec = template.match(heading, lang)
    assert spec is not None and spec.key == key


def test_matching_is_per_language():
    template = load_template(DEFAULT)
    assert template.match("Procedure", "sv") is None
    spec, lang = template.match_other_language("Procedure", "sv")
    assert (spec.key, lang) == ("procedure", "en")


def test_normalising_keeps_telugu_vowel_signs_and_drops_joiners():
    assert normalise_heading("రిటర్న్\u200cను") == normalise_heading("రిటర్న్ను")
    assert normalise_heading("ఉద్దేశ్యం") != normalise_heading("ఉద్దశ్యం")
    assert normalise_heading("  1.2. Roles & responsibilities: ") == "roles responsibilities"


# -- an organisation's own template ---------------------------------------------------------


def test_extending_the_default_changes_what_is_required(tmp_path):
    custom = write(
        tmp_path,
        "ours.yml",
        """
        extends: default
        update_sections:
          definitions: {required: true}
          procedure:
            aliases: {en: [How to do it]}
        remove_sections: [attachments, follow_up]
        add_sections:
          - key: training
            required: true
            after: roles
            names: {en: Training, sv: Utbildning, nb: Opplæring, te: శిక్షణ}
            guidance: {en: "Say which training staff need first."}
        """,
    )
    template = load_template(custom)
    keys = [s.key for s in template.sections]
    assert keys.index("training") == keys.index("roles") + 1
    assert "attachments" not in keys
    assert template.match("How to do it", "en").key == "procedure"
    assert template.match("Procedure", "en").key == "procedure"  # aliases add up
    messages = [f.message for f in template_findings(RETURN_SOP, custom)]
    assert messages == [
        'Section "Definitions" is missing; add "## Definitions" after "## Scope".',
        'Section "Training" is missing; add "## Training" after "## Roles and responsibilities".',
    ]
    sv = [f.message for f in template_findings(RETURN_SOP_SV, custom, "sv")]
    assert (
        'Section "Utbildning" is missing; add "## Utbildning" after "## Roller och ansvar".' in sv
    )


def test_a_template_can_relax_the_default(tmp_path):
    custom = write(
        tmp_path,
        "light.yml",
        """
        extends: default
        update_sections:
          revision_history: {required: false}
        remove_metadata: [applies_to]
        """,
    )
    text = RETURN_SOP.split("## Revision history")[0].replace("applies_to: all\n", "")
    assert [f.rule for f in template_findings(text)] == ["T006", "T001"]
    assert template_findings(text, custom) == []


def test_a_template_may_extend_another_custom_template(tmp_path):
    write(tmp_path, "base.yml", "extends: default\nupdate_sections:\n  safety: {required: true}\n")
    child = write(tmp_path, "child.yml", "extends: base.yml\nname: Workshop SOPs\n")
    template = load_template(child)
    assert template.name == "Workshop SOPs"
    assert template.section("safety").required
    assert [p.name for p in template.sources] == ["default.yml", "base.yml", "child.yml"]


FEDORA_LIKE = """
    name: Release SOPs
    sops: {metadata: [], files: ["sop_*.md"]}
    metadata: {}
    sections:
      - key: description
        required: true
        names: {en: Description}
      - "*"
      - key: action
        required: true
        repeat: true
        kind: procedure
        names: {en: Action}
      - "?"
      - key: verification
        required: true
        names: {en: Verification}
    """


def fedora_like_sop(*headings: str) -> str:
    return "# Branching\n\n" + "".join(f"## {h}\n\nText.\n\n" for h in headings)


def test_wildcards_allow_sections_of_an_sops_own(tmp_path):
    template = write(tmp_path, "releng.yml", FEDORA_LIKE)
    config = parse_config({"select": ["T"], "template": str(template)})

    def found(*headings: str) -> list[tuple[str, str]]:
        text = fedora_like_sop(*headings).replace("## Action\n\nText.", "## Action\n\n1. Run it.")
        findings = check_text(text, path="docs/sop_branching.md", config=config)
        return [(f.rule, f.message.split(";")[0]) for f in findings]

    # "*": any number of own sections between Description and Action.
    assert found("Description", "Setup", "Assumptions", "Action", "Verification") == []
    # repeat: Action may appear twice; "?": at most one own section before Verification.
    assert found("Description", "Action", "Action", "Cleanup", "Verification") == []
    assert found("Description", "Action", "Cleanup", "Notes", "Verification") == [
        ("T004", 'Section "Notes" is not in the template')
    ]
    assert found("Setup", "Description", "Action", "Verification") == [
        ("T004", 'Section "Setup" is not in the template')
    ]


def test_sops_are_recognised_by_file_name_when_they_have_no_front_matter(tmp_path):
    template = write(tmp_path, "releng.yml", FEDORA_LIKE)
    config = parse_config({"select": ["T"], "template": str(template)})
    text = fedora_like_sop("Description")
    assert [f.rule for f in check_text(text, path="docs/sop_x.md", config=config)] == [
        "T001",
        "T001",
    ]
    assert check_text(text, path="docs/index.md", config=config) == []


def test_a_plus_wildcard_requires_an_own_section(tmp_path):
    template = write(tmp_path, "plus.yml", FEDORA_LIKE.replace('- "*"', '- "+"'))
    config = parse_config({"select": ["T"], "template": str(template)})
    text = fedora_like_sop("Description", "Action", "Verification").replace("Text.", "1. Go.")
    (finding,) = check_text(text, path="sop_a.md", config=config)
    assert finding.message == (
        'A section of this SOP\'s own is expected after "## Description" (the template has "+" '
        "there); add one."
    )


# -- invalid template files are clear errors -----------------------------------------------

INVALID = [
    (
        "extends: default\nsectoins: []\n",
        "bad.yml:2: key 'sectoins': unknown key; did you mean 'sections'?",
    ),
    (
        "extends: default\nupdate_sections:\n  scope:\n    required: yes please\n",
        "bad.yml:4: key 'update_sections.scope.required': expected true or false, got 'yes please'",
    ),
    (
        "extends: default\nupdate_sections:\n  scoop: {required: true}\n",
        "bad.yml:3: key 'update_sections.scoop': updates section 'scoop', which the template "
        "does not have; did you mean 'scope'?",
    ),
    (
        "extends: default\nadd_sections:\n  - key: notes\n    names: {en: Scope}\n",
        "bad.yml:4: key 'add_sections[0].names.en': 'Scope' (en) names both section 'scope' and "
        "section 'notes'; a heading must name one section",
    ),
    (
        "extends: default\nplaceholders: ['[[unclosed']\n",
        "bad.yml:2: key 'placeholders[0]': not a valid regular expression",
    ),
    (
        "extends: default\nmetadata:\n  department: {required: true}\n",
        "bad.yml:3: key 'metadata.department': front matter key 'department' needs a type",
    ),
    (
        "extends: default\nmetadata:\n  site: {type: place}\n",
        "bad.yml:3: key 'metadata.site.type': expected one of text, id, version, date",
    ),
    ("extends: missing.yml\n", "bad.yml:1: key 'extends': template"),
    (
        "sections:\n  - purpose\n",
        "bad.yml:2: key 'sections[0]': 'purpose' names a section of a parent",
    ),
    ("extends: default\nsections: [\n", "bad.yml:3: not valid YAML"),
    (
        "extends: default\nskeletons: {sv: nowhere.md.j2}\n",
        "bad.yml:2: key 'skeletons.sv': skeleton file",
    ),
]


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_an_invalid_template_names_file_line_and_key(project, text, message):
    project.write("bad.yml", text)
    with pytest.raises(TemplateError) as error:
        load_template(project.root / "bad.yml")
    assert message in str(error.value)


def test_a_template_that_extends_itself_in_a_circle_is_an_error(project):
    project.write("a.yml", "extends: b.yml\n")
    project.write("b.yml", "extends: a.yml\n")
    with pytest.raises(TemplateError, match=r"goes round in a circle: a\.yml -> b\.yml -> a\.yml"):
        load_template(project.root / "a.yml")


def test_the_config_value_must_name_a_template_file(tmp_path):
    with pytest.raises(TemplateError, match=r"config key 'template': template file .* not found"):
        template_for("nowhere.yml", tmp_path)
    with pytest.raises(TemplateError, match="expected the path of a template file"):
        template_for(["a.yml"], tmp_path)


# -- the commands -----------------------------------------------------------------------------


def test_check_uses_the_template_named_in_the_config(project, cli):
    project.write(
        "pyproject.toml", '[tool.sop-lint]\ntemplate = "templates/ours.yml"\nselect = ["T"]\n'
    )
    project.write(
        "templates/ours.yml", "extends: default\nupdate_sections:\n  safety: {required: true}\n"
    )
    project.write("docs/en/product-return.md", RETURN_SOP)
    result = cli("check", "docs", "--today", "2026-11-22")
    assert result.exit_code == 1
    assert (
        'docs/en/product-return.md:33:4: T001 [error] Section "Safety and warnings" is '
        'missing; add "## Safety and warnings" after "## Prerequisites and materials".'
    ) in result.output


def test_check_stops_with_a_clear_error_for_an_invalid_template(project, cli):
    project.write("pyproject.toml", '[tool.sop-lint]\ntemplate = "ours.yml"\n')
    project.write("ours.yml", "extends: default\nupdate_sections:\n  scope: {requried: true}\n")
    project.write("docs/en/product-return.md", RETURN_SOP)
    result = cli("check", "docs")
    assert result.exit_code == 2
    assert result.stderr == (
        "sop-lint: error: ours.yml:3: key 'update_sections.scope.requried': unknown key; did "
        "you mean 'required'? known keys: aliases, columns, guidance, kind, names, repeat, "
        "required, skeleton\n"
    )


def test_template_show_prints_the_resolved_template(project, cli):
    project.write("pyproject.toml", '[tool.sop-lint]\ntemplate = "ours.yml"\n')
    project.write(
        "ours.yml",
        "extends: default\nname: Nordlys SOPs\nupdate_sections:\n  definitions: {required: true}\n",
    )
    result = cli("template", "show")
    assert result.exit_code == 0
    first, rest = result.output.split("\n", 1)
    assert first == "# Nordlys SOPs, resolved from: built-in default.yml <- ours.yml"
    data = yaml.safe_load(rest)
    definitions = next(s for s in data["sections"] if s["key"] == "definitions")
    assert definitions["required"] is True
    assert definitions["names"]["nb"] == "Definisjoner"
    as_json = json.loads(cli("template", "show", "--format", "json").output)
    assert as_json["sections"] == data["sections"]


def test_template_show_checks_a_template_file(project, cli):
    project.write("draft.yml", "extends: default\nsection_level: 9\n")
    result = cli("template", "show", "draft.yml")
    assert result.exit_code == 2
    assert "draft.yml:2: key 'section_level': expected a heading level 1-6, got 9" in result.stderr


def test_every_pattern_item_of_the_default_is_a_section():
    assert not [p for p in load_template(DEFAULT).pattern if isinstance(p, Wildcard)]
