"""`sop-lint new`: a new SOP from the template, in every language, never over another file."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from sop_lint import authoring
from sop_lint import cli as cli_module
from sop_lint.config import Config, load_config
from sop_lint.engine import check_file
from sop_lint.template import builtin_dir, load_template

TODAY = datetime.date(2026, 11, 22)
PROJECT = '[tool.sop-lint]\ndocs = "docs"\nexclude = ["docs/guide/**"]\n'


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


@pytest.fixture
def docs(project):
    """A project with a docs folder per language, like the bundled one."""
    project.write("pyproject.toml", PROJECT)
    for lang in ("en", "sv", "nb", "te"):
        (project.root / "docs" / lang).mkdir(parents=True)
    return project


# -- file names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Handling a product return", "handling-a-product-return"),
        ("Hantera en retur!", "hantera-en-retur"),
        ("Åtgärda fel i kassan", "atgarda-fel-i-kassan"),
        ("Håndtere en klage – før og etter", "handtere-en-klage-for-og-etter"),
        ("Sikkerhet: sjekkliste for bæring", "sikkerhet-sjekkliste-for-baering"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con-sop"),
        ("కస్టమర్ ఫిర్యాదును నిర్వహించడం", ""),
    ],
)
def test_file_names_are_safe_ascii_slugs(title, slug):
    assert authoring.slugify(title) == slug


def test_a_long_title_is_cut_at_a_word():
    slug = authoring.slugify(
        "Receiving, checking and shelving the weekly delivery of batteries and bulbs"
    )
    assert slug == "receiving-checking-and-shelving-the-weekly-delivery-of"
    assert len(slug) <= authoring.MAX_SLUG


def test_a_telugu_title_takes_its_file_name_from_the_id():
    sop = authoring.NewSop("కస్టమర్ ఫిర్యాదును నిర్వహించడం", "te", "CS-007-te")
    assert authoring.file_name(sop) == "cs-007-te.md"
    assert authoring.file_name(authoring.NewSop("ఫిర్యాదు", "te")) == "new-sop.md"


# -- the new file --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "owner", "headings"),
    [
        ("en", "Handling a product return", "Store manager", ["## Purpose", "## Procedure"]),
        (
            "sv",
            "Hantera en retur",
            "Butikschef",
            ["## Syfte", "## Utförande", "## Versionshistorik"],
        ),
        ("nb", "Håndtere en retur", "Butikksjef", ["## Formål", "## Fremgangsmåte"]),
        ("te", "ఉత్పత్తి రిటర్న్‌ను నిర్వహించడం", "స్టోర్ మేనేజర్", ["## ఉద్దేశ్యం", "## విధానం"]),
    ],
)
def test_a_new_sop_has_only_placeholders_to_fill_in(docs, cli, lang, title, owner, headings):
    result = cli("new", title, "--lang", lang, "--id", f"CS-100-{lang}", "--owner", owner,
                 "--today", "2026-11-22")  # fmt: skip
    assert result.exit_code == 0, result.output
    (path,) = (docs.root / "docs" / lang).glob("*.md")
    text = path.read_text("utf-8")
    for heading in headings:
        assert f"\n{heading}\n" in text
    meta = front_matter(path)
    assert meta["id"] == f"CS-100-{lang}" and meta["owner"] == owner and meta["lang"] == lang
    assert (meta["status"], meta["version"], meta["applies_to"]) == ("draft", "0.1", "all")
    # Checked at once, with every default rule: only placeholder-left, as warnings (a draft).
    findings = check_file(path, load_config(docs.root)).findings
    assert findings and {(f.name, str(f.severity)) for f in findings} == {
        ("placeholder-left", "warning")
    }
    assert f"Fill in its {len(findings)} placeholders" in result.output
    assert "| 0.1 | 2026-11-22 |" in text  # the first revision-history row


def test_the_procedure_is_a_numbered_list_and_the_history_matches_the_version(docs, cli):
    cli("new", "Öppna butiken", "--lang", "sv", "--id", "ST-001-sv", "--owner", "Butikschef",
        "--today", "2026-11-22")  # fmt: skip
    text = (docs.root / "docs" / "sv" / "oppna-butiken.md").read_text("utf-8")
    procedure = text.split("## Utförande\n\n")[1].split("\n\n")[0]
    assert procedure.splitlines() == [
        "1. [[Första steget: en kort mening som börjar med ett verb.]]",
        "2. [[Nästa steg.]]",
        "3. [[Sista steget: skriv hur personalen vet att arbetet är klart.]]",
    ]
    assert text.endswith(
        "| Version | Datum | Ändring | Författare (roll) |\n|---|---|---|---|\n"
        "| 0.1 | 2026-11-22 | Första utkast. | Butikschef |\n"
    )


def test_the_issue_example_writes_a_swedish_sop_into_the_docs_folder(docs, cli):
    result = cli("new", "Handling a product return", "--lang", "sv", "--id", "CS-004",
                 "--owner", "Butikschef")  # fmt: skip
    assert result.exit_code == 0
    assert result.output.startswith(
        "Created docs/sv/handling-a-product-return.md (sv) from the template "
        '"Standard SOP template".\n'
    )
    meta = front_matter(docs.root / "docs" / "sv" / "handling-a-product-return.md")
    assert meta["title"] == "Handling a product return" and meta["owner"] == "Butikschef"


def test_what_is_not_given_becomes_a_placeholder(docs, cli):
    result = cli("new", "Stänga kassan", "--lang", "sv")
    assert result.exit_code == 0
    meta = front_matter(docs.root / "docs" / "sv" / "stanga-kassan.md")
    assert meta["id"] == "[[ID, t.ex. CS-006]]"
    assert meta["owner"] == "[[Roll som äger rutinen]]"
    assert meta["review_due"] == "[[ÅÅÅÅ-MM-DD]]"


def test_new_refuses_to_overwrite_a_file(docs, cli):
    existing = docs.write("docs/en/closing-the-till.md", "# Closing the till\n\nOur own text.\n")
    result = cli("new", "Closing the till", "--lang", "en", "--id", "CS-200")
    assert result.exit_code == 2
    assert result.stderr == (
        "sop-lint: error: docs/en/closing-the-till.md already exists; choose "
        "another title or --output\n"
    )
    assert existing.read_text("utf-8") == "# Closing the till\n\nOur own text.\n"


def test_new_refuses_an_id_that_is_already_used(docs, cli):
    docs.write("docs/en/product-return.md", (REPO / "docs/en/product-return.md").read_text("utf-8"))
    result = cli("new", "Another return", "--lang", "en", "--id", "cs-001")
    assert result.exit_code == 2
    assert result.stderr == (
        "sop-lint: error: id cs-001 is already used by docs/en/product-return.md; ids must be "
        "unique: choose another with --id\n"
    )
    assert not (docs.root / "docs/en/another-return.md").exists()


def test_output_chooses_the_file(docs, cli):
    result = cli("new", "Closing the till", "--lang", "nb", "--output", "drafts/till.md")
    assert result.exit_code == 0
    assert "## Fremgangsmåte" in (docs.root / "drafts" / "till.md").read_text("utf-8")


def test_without_a_docs_language_folder_the_sop_goes_in_docs(project, cli):
    project.write("pyproject.toml", PROJECT)
    (project.root / "docs").mkdir()
    assert cli("new", "Closing the till", "--lang", "en").exit_code == 0
    assert (project.root / "docs" / "closing-the-till.md").is_file()


def test_an_unsupported_language_is_a_usage_error(docs, cli):
    result = cli("new", "Kasse schließen", "--lang", "de")
    assert result.exit_code == 2
    assert "--lang 'de' is not a supported language" in result.stderr


# -- asking, and not asking ------------------------------------------------------------------


def test_in_ci_nothing_is_asked_and_a_missing_title_is_an_error(docs, cli):
    result = cli("new")  # no terminal: click's runner gives no tty
    assert result.exit_code == 2
    assert "give the SOP's title" in result.stderr
    assert list((docs.root / "docs").rglob("*.md")) == []


def test_at_a_terminal_sop_lint_asks_for_what_is_missing(docs, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.setattr(cli_module, "_may_ask", lambda no_input: not no_input)
    result = CliRunner().invoke(
        cli_module.main, ["new"], input="Fylle på hylla\nnb\nST-020-nb\nButikksjef\n"
    )
    assert result.exit_code == 0, result.output
    assert "Title of the SOP: " in result.output
    meta = front_matter(docs.root / "docs" / "nb" / "fylle-pa-hylla.md")
    assert (meta["id"], meta["owner"], meta["lang"]) == ("ST-020-nb", "Butikksjef", "nb")


def test_no_input_never_asks(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert cli_module._may_ask(no_input=True) is False
    monkeypatch.setenv("CI", "true")
    assert cli_module._may_ask(no_input=False) is False


# -- writing -------------------------------------------------------------------------------


def test_writing_is_atomic_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "docs" / "en" / "new.md"
    authoring.write_new(target, "# New\n")
    assert target.read_text("utf-8") == "# New\n"
    assert [p.name for p in target.parent.iterdir()] == ["new.md"]
    with pytest.raises(authoring.AuthoringError, match="already exists"):
        authoring.write_new(target, "# Other\n")
    assert target.read_text("utf-8") == "# New\n"
    assert [p.name for p in target.parent.iterdir()] == ["new.md"]


def test_a_file_that_appears_while_writing_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "race.md"
    real_link = authoring.os.link

    def someone_else_was_faster(src, dst):
        Path(dst).write_text("theirs\n", encoding="utf-8")
        real_link(src, dst)

    monkeypatch.setattr(authoring.os, "link", someone_else_was_faster)
    with pytest.raises(authoring.AuthoringError, match="already exists"):
        authoring.write_new(target, "ours\n")
    assert target.read_text("utf-8") == "theirs\n"
    assert [p.name for p in tmp_path.iterdir()] == ["race.md"]


def test_a_custom_template_shapes_the_new_sop(project):
    project.write(
        "ours.yml",
        "extends: default\nadd_sections:\n  - key: training\n    required: true\n"
        "    after: roles\n    names: {en: Training, sv: Utbildning}\n"
        "    guidance: {en: Say which training staff need first.}\n"
        "metadata:\n  department: {type: text, required: true}\n",
    )
    template = load_template(project.root / "ours.yml")
    sop = authoring.NewSop("Closing the till", "en", "CS-300", "Shift lead")
    text = authoring.render(template, sop, TODAY)
    assert "## Roles and responsibilities\n\n[[Name each role" in text
    assert "## Training\n\n[[Say which training staff need first.]]" in text
    assert '\ndepartment: "[[department]]"\n' in text
    path = project.write("docs/closing-the-till.md", text)
    config = Config(sections={"template": "ours.yml"}, root=project.root)
    assert {f.name for f in check_file(path, config).findings} == {"placeholder-left"}


def test_every_language_has_a_skeleton():
    skeletons = builtin_dir() / "skeletons"
    assert sorted(p.name for p in skeletons.glob("*.md.j2")) == [
        "en.md.j2",
        "nb.md.j2",
        "sv.md.j2",
        "te.md.j2",
    ]
