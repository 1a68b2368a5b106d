"""The result cache (issue 11): an unchanged SOP is not checked again, and the output is
the same bytes with a cold cache, a warm one and none, in every format."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import sop

from sop_lint import cache as cache_module
from sop_lint.cache import CACHE_DIR_NAME, ResultCache, decode, encode
from sop_lint.cli import main
from sop_lint.config import load_config
from sop_lint.engine import check_file, check_paths
from sop_lint.formatters import FORMATTERS

TODAY = "2027-06-01"  # CS-101's review was due 2027-03-01: overdue (T008) on this day

# Over 30 words in one step: a B001 finding in each language.
LONG_STEP_EN = (
    "Ask the customer for the receipt and the card they paid with, and write the order number "
    "on the return slip before you take the returned item and put it on the shelf behind the "
    "till."
)
LONG_STEP_SV = (
    "Be kunden om kvittot och kortet som användes vid köpet och skriv också ordernumret på "
    "returlappen innan du tar emot varan och lägger den på hyllan bakom kassan."
)

RETURNS_EN = sop(
    f"""
    ---
    id: CS-101
    title: Take back a returned product
    version: "1.0"
    status: effective
    owner: Customer Service Manager
    approved_by: Head of Operations
    approved_on: 2026-02-01
    effective_date: 2026-03-01
    review_due: 2027-03-01
    lang: en
    ---
    # Take back a returned product

    ## Purpose

    This SOP says how a shop takes back a product a customer returns.

    ## Procedure

    1. {LONG_STEP_EN}
    2. Check the product for damage.
    3. Give the money back on the same card.

    See [the complaint procedure](complaint.md) and [the old form](old-form.md).
    """
)

COMPLAINT_EN = sop(
    """
    ---
    id: CS-102
    title: Handle a complaint
    version: "1.0"
    lang: en
    ---
    # Handle a complaint

    ## Procedure

    1. Listen to the customer.
    2. Write the complaint in the CRM.
    3. Tell the customer when they will hear from us.
    """
)

RETUR_SV = sop(
    f"""
    ---
    id: CS-101-sv
    title: Ta emot en returnerad vara
    version: "1.0"
    lang: sv
    translation_of: CS-101
    source_version: "1.0"
    ---
    # Ta emot en returnerad vara

    ## Rutin

    1. {LONG_STEP_SV}
    2. Kontrollera att varan är hel.
    3. Betala tillbaka pengarna till samma kort.
    """
)

RETUR_NB = sop(
    """
    ---
    id: CS-101
    title: Ta imot en returnert vare
    version: "1.0"
    lang: nb
    ---
    # Ta imot en returnert vare

    ## Prosedyre

    1. Be kunden om kvitteringen.
    2. Sjekk at varen er hel.
    3. Betal pengene tilbake til samme kort.
    """
)

RETURN_TE = sop(
    """
    ---
    id: CS-101-te
    title: తిరిగి వచ్చిన వస్తువును స్వీకరించడం
    version: "1.0"
    lang: te
    translation_of: CS-101
    source_version: "1.0"
    ---
    # తిరిగి వచ్చిన వస్తువును స్వీకరించడం

    ## విధానం

    1. కస్టమర్ నుండి రసీదు అడగండి.
    2. వస్తువు పాడైందో లేదో చూడండి.
    3. అదే కార్డుకు డబ్బు తిరిగి ఇవ్వండి.
    """
)


def make_project(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A small SOP set in four languages with per-file and cross-document findings: a long
    step, an overdue review, a broken link, a duplicate id (CS-101 in en and nb)."""
    files = {
        "sop-lint.toml": 'docs = ["docs"]\n',
        "docs/en/returns.md": RETURNS_EN,
        "docs/en/complaint.md": COMPLAINT_EN,
        "docs/sv/retur.md": RETUR_SV,
        "docs/nb/retur.md": RETUR_NB,
        "docs/te/return.md": RETURN_TE,
        **(extra or {}),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path, monkeypatch):
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOP_LINT_DEBUG", "1")
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--today", TODAY, *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.stdout


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("??/*.json"))


# -- the same output, cold, warm and without ------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_output_is_the_same_bytes_cold_warm_and_without_a_cache(project, fmt):
    cold = run("--format", fmt, "docs")
    assert entries(project / CACHE_DIR_NAME), "the cold run wrote the cache"
    warm = run("--format", fmt, "docs")
    uncached = run("--format", fmt, "--no-cache", "docs")
    assert cold == warm == uncached
    assert cold[0] == 1


def test_the_sample_set_has_per_file_and_cross_document_findings(project):
    _, out = run("--format", "json", "docs")
    rules = {f["name"] for f in json.loads(out)["findings"]}
    # What the byte-identical test above covers: findings of both passes, a date rule.
    assert {"sentence-too-long", "review-overdue", "broken-reference"} <= rules


def test_a_warm_run_reads_every_result_from_the_cache(project):
    config = load_config(project)
    cache = ResultCache.open(config)
    check_paths([project / "docs"], config, jobs=1, cache=cache)
    assert cache.hits == 0
    cache = ResultCache.open(config)
    warm = check_paths([project / "docs"], config, jobs=1, cache=cache)
    assert cache.hits == len(warm.files) == 5
    assert cache.misses == 0


def test_no_cache_writes_no_folder(project):
    run("--no-cache", "docs")
    assert not (project / CACHE_DIR_NAME).exists()


def test_cache_dir_puts_the_cache_elsewhere_with_a_gitignore(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("ci-cache") / "sop-lint"
    run("--cache-dir", str(elsewhere), "docs")
    assert entries(elsewhere)
    assert not (project / CACHE_DIR_NAME).exists()
    assert (elsewhere / ".gitignore").read_text().splitlines()[-1] == "*"


def test_the_cache_folder_ignores_itself_in_git(project):
    run("docs")
    assert "*" in (project / CACHE_DIR_NAME / ".gitignore").read_text().splitlines()


# -- what invalidates an entry --------------------------------------------------------------


def test_a_changed_file_is_checked_again(project):
    _, before = run("--format", "json", "docs")
    path = project / "docs/en/complaint.md"
    path.write_text(
        path.read_text().replace("Listen to the customer.", "Listen to the customer " * 12 + "."),
        encoding="utf-8",
    )
    _, after = run("--format", "json", "docs")
    _, fresh = run("--format", "json", "--no-cache", "docs")
    assert after == fresh != before


def test_changed_config_template_and_date_are_part_of_the_key(project):
    _, base = run("--format", "json", "docs")
    # The config: a rule's severity.
    (project / "sop-lint.toml").write_text(
        'docs = ["docs"]\n[rules.sentence-too-long]\nseverity = "info"\n', encoding="utf-8"
    )
    _, severity = run("--format", "json", "docs")
    assert severity == run("--format", "json", "--no-cache", "docs")[1] != base
    # The date: with the review rules on, a result holds only for the day it was made.
    _, earlier = run("--format", "json", "--today", "2026-06-01", "docs")
    assert "review-overdue" not in earlier
    assert "review-overdue" in severity


def test_a_file_the_config_names_is_part_of_the_key(project):
    """A phrase list named in the config is hashed into the key: editing it (not the
    config) changes the findings of a cached run."""
    (project / "wordy-en.tsv").write_text("take back\treturn\n", encoding="utf-8")
    (project / "sop-lint.toml").write_text(
        'docs = ["docs"]\n[rules.wordy-phrase]\nfiles = {en = "wordy-en.tsv"}\n',
        encoding="utf-8",
    )
    first = run("--format", "json", "docs")
    (project / "wordy-en.tsv").write_text("the same card\tyour card\n", encoding="utf-8")
    second = run("--format", "json", "docs")
    assert second == run("--format", "json", "--no-cache", "docs")
    assert first != second


def test_a_link_target_that_appears_later_is_seen_with_a_warm_cache(project):
    """Whether a link's target exists is not in the linking file's bytes: the stored
    summary is brought up to date when it is read."""
    _, before = run("--format", "json", "docs")
    assert "old-form.md" in before
    (project / "docs/en/old-form.md").write_text(
        "# Old form\n\nFill in the form.\n", encoding="utf-8"
    )
    _, after = run("--format", "json", "docs")
    assert after == run("--format", "json", "--no-cache", "docs")[1]
    assert "old-form.md" not in "".join(
        f["message"] for f in json.loads(after)["findings"] if f["name"] == "broken-reference"
    )


# -- damaged, foreign and hostile entries ---------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # truncated to nothing
        b'{"key": "',  # cut off mid-write (cannot happen with the atomic write, but a copy)
        b"\x80\x04\x95 not JSON: a pickle would start like this",
        b'{"key": "someone else", "result": null}',  # another key's entry
        b"[1, 2, 3]",
    ],
)
def test_a_damaged_entry_is_ignored_and_written_again(project, damage):
    _, cold = run("--format", "json", "docs")
    written = entries(project / CACHE_DIR_NAME)
    for path in written:
        path.write_bytes(damage)
    assert run("--format", "json", "docs")[1] == cold
    assert all(path.read_bytes() != damage for path in written)
    assert run("--format", "json", "docs")[1] == cold


def forge(path: Path, change) -> None:
    """Rewrite an entry's result with ``change`` and a matching sum, as someone who knows
    the layout could: what stops a forged entry is then the checks on its shape."""
    raw = path.read_bytes()
    key = json.loads(raw)["key"]
    result = change(json.loads(raw[raw.index(b'"result":') + len(b'"result":') : -1]))
    body = result if isinstance(result, bytes) else json.dumps(result).encode()
    digest = hashlib.sha256(body).hexdigest()
    path.write_bytes(f'{{"key":"{key}","sum":"{digest}","result":'.encode() + body + b"}")


def test_an_entry_changed_by_hand_is_checked_again(project):
    """Valid JSON and the right key, but its findings emptied: the sum no longer matches."""
    _, cold = run("--format", "json", "docs")
    assert json.loads(cold)["findings"]
    for path in entries(project / CACHE_DIR_NAME):
        raw = path.read_bytes()
        start = raw.index(b'"result":') + len(b'"result":')
        result = json.loads(raw[start:-1])
        result["f"]["findings"] = []
        path.write_bytes(raw[:start] + json.dumps(result).encode() + b"}")
    assert run("--format", "json", "docs")[1] == cold


def _set(result, where):
    fields = result["f"]
    if where == "path":
        fields["path"] = 5
    elif where == "findings":
        fields["findings"] = "none"
    elif where == "line":
        for finding in fields["findings"]:
            finding["$F"][1] = "x"
    elif where == "source_line":
        for finding in fields["findings"]:
            finding["$F"][10] = ["not", "text"]
    elif where == "project_rules":
        fields["project_rules"] = [1, 2]
    elif where == "not a project rule":
        fields["project_rules"] = ["W001"]
    elif where == "generic finding":  # findings are rows; the long form is refused
        for finding in fields["findings"]:
            row = finding.pop("$F")
            finding.update({"$dc": "sop_lint.model:Finding", "f": {"path": row[0], "span": "x"}})
    elif where == "related":
        for finding in fields["findings"]:
            finding["$F"][11] = {
                "$t": [
                    {
                        "$dc": "sop_lint.model:Location",
                        "f": {"path": 5, "line": "x", "column": None, "message": [1]},
                    }
                ]
            }
    elif fields.get("summary"):
        summary = fields["summary"]["f"]
        if where == "summary language":
            summary["language"] = 5
        elif where == "summary path":
            summary["path"] = "docs/nope.md"
        elif where == "summary steps":
            summary["steps"] = [1, None, [2]]
        elif where == "summary headings":
            summary["headings"] = [[None, 5, "x", []]]
        elif where == "summary data":
            summary["data"] = {"D012": ["x", 5]}
    return result


@pytest.mark.parametrize(
    "where",
    [
        "path",
        "findings",
        "line",
        "source_line",
        "project_rules",
        "not a project rule",
        "generic finding",
        "related",
        "summary language",
        "summary path",
        "summary steps",
        "summary headings",
        "summary data",
    ],
)
def test_a_forged_entry_of_the_wrong_shape_is_checked_again_not_a_crash(project, where):
    _, cold = run("--format", "json", "docs")
    for path in entries(project / CACHE_DIR_NAME):
        forge(path, lambda result: _set(result, where))
    assert run("--format", "json", "docs")[1] == cold


def test_an_entry_nested_too_deep_to_read_is_checked_again(project):
    _, cold = run("--format", "json", "docs")
    for path in entries(project / CACHE_DIR_NAME):
        forge(path, lambda _: b"[" * 100_000 + b"]" * 100_000)
    assert run("--format", "json", "docs")[1] == cold


def test_many_findings_on_one_long_line_store_the_line_once(project):
    line = "In order to open the door, utilize the key. " * 400
    project.joinpath("docs/en/long.md").write_text(f"# Long\n\n{line}\n", encoding="utf-8")
    _, cold = run("--format", "text", "docs/en/long.md")
    [path] = [p for p in entries(project / CACHE_DIR_NAME) if b"long.md" in p.read_bytes()]
    assert path.stat().st_size < 20 * len(line)  # not one copy per finding (800 of them)
    assert run("--format", "text", "docs/en/long.md")[1] == cold


def test_an_entry_naming_a_class_outside_sop_lint_is_refused(project):
    """Entries are JSON; the only classes built from them are sop-lint's own dataclasses,
    so an entry cannot make the run call os.system or anything else."""
    _, cold = run("--format", "json", "docs")
    for path in entries(project / CACHE_DIR_NAME):
        forge(path, lambda _: {"$dc": "os:system", "f": {"command": "touch pwned"}})
    assert run("--format", "json", "docs")[1] == cold
    assert not (project / "pwned").exists()
    with pytest.raises(ValueError):
        decode({"$nt": "subprocess:CompletedProcess", "v": []})
    with pytest.raises(ValueError):
        decode({"$dc": "sop_lint.cache:_digest", "f": {}})
    # Nor any other class of sop-lint's than the result's own: not the site's (which would
    # import MkDocs into the linter) and not the CLI's or the fixer's.
    for name in ("sop_lint.site.plugin:SopLintPlugin", "sop_lint.fixes:FileFix"):
        with pytest.raises(ValueError):
            decode({"$dc": name, "f": {}})


def test_a_symlinked_entry_is_not_followed_out_of_the_cache(project, tmp_path_factory):
    _, cold = run("--format", "json", "docs")
    outside = tmp_path_factory.mktemp("outside") / "secret.json"
    outside.write_text('{"key": "x"}', encoding="utf-8")
    for path in entries(project / CACHE_DIR_NAME):
        path.unlink()
        path.symlink_to(outside)
    assert run("--format", "json", "docs")[1] == cold


def test_an_unwritable_cache_folder_warns_and_checks_without(project, tmp_path_factory):
    blocker = tmp_path_factory.mktemp("ro") / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    inside_a_file = str(blocker / "cache")  # cannot be made, even by root
    result = CliRunner().invoke(
        main, ["check", "--today", TODAY, "--format", "json", "--cache-dir", inside_a_file, "docs"]
    )
    assert result.exit_code == 1
    assert "cannot use the cache folder" in result.stderr
    assert "--no-cache" in result.stderr
    assert result.stdout == run("--format", "json", "--no-cache", "docs")[1]


# -- what is never cached -------------------------------------------------------------------


def test_an_unreadable_file_is_not_cached(project, tmp_path_factory):
    """A symlink out of the project is refused for where it points, not for its bytes."""
    outside = tmp_path_factory.mktemp("elsewhere") / "target.md"
    outside.write_text(COMPLAINT_EN, encoding="utf-8")
    (project / "docs/en/link.md").symlink_to(outside)
    config = load_config(project)
    cache = ResultCache.open(config)
    result = check_file(project / "docs/en/link.md", config, cache=cache)
    assert [f.name for f in result.findings] == ["unreadable-file"]
    assert cache.writes == 0


def test_a_binary_file_is_cached_its_bytes_say_it_all(project):
    (project / "docs/en/scan.md").write_bytes(b"# Scan\n\x00\x01\x02")
    config = load_config(project)
    cache = ResultCache.open(config)
    first = check_file(project / "docs/en/scan.md", config, cache=cache)
    assert cache.writes == 1
    again = check_file(project / "docs/en/scan.md", config, cache=cache)
    assert cache.hits == 1 and again == first


def test_results_of_the_grammar_rule_are_not_cached(project):
    config = load_config(project)
    config.extend_select = ["grammar"]
    cache = ResultCache.open(config)
    assert not cache.cacheable(config.for_file(project / "docs/en/returns.md"))


# -- the stored form ------------------------------------------------------------------------


def test_results_round_trip_exactly_through_json(project):
    config = load_config(project)
    report = check_paths([project / "docs"], config, jobs=1)
    for result in report.files:
        data = json.loads(json.dumps(encode(result), allow_nan=False))
        assert decode(data) == result
    assert any(r.summary is not None and r.summary.links for r in report.files)


def test_entries_are_json_in_sharded_folders(project):
    run("docs")
    written = entries(project / CACHE_DIR_NAME)
    assert len(written) == 5
    for path in written:
        entry = json.loads(path.read_text(encoding="utf-8"))
        assert path.parent.name + path.stem == entry["key"]


def test_entries_not_used_for_thirty_days_are_pruned(project):
    run("docs")
    folder = project / CACHE_DIR_NAME
    old, *recent = entries(folder)
    long_ago = time.time() - 31 * 86400
    os.utime(old, (long_ago, long_ago))
    (folder / "last-prune").unlink()  # the run pruned today already
    config = load_config(project)
    assert ResultCache.open(config).prune() == 1
    assert not old.exists() and all(p.exists() for p in recent)
    # At most once a day: a second prune the same day does nothing.
    os.utime(recent[0], (long_ago, long_ago))
    assert ResultCache.open(config).prune() == 0


def test_the_package_digest_is_cheap_and_stable():
    cache_module._PACKAGE_DIGEST = None
    first = cache_module.package_digest()
    cache_module._PACKAGE_DIGEST = None
    assert cache_module.package_digest() == first


def test_a_symlinked_shard_folder_is_neither_read_nor_written(project, tmp_path_factory):
    _, cold = run("--format", "json", "docs")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    for shard in {p.parent for p in entries(project / CACHE_DIR_NAME)}:
        for entry in shard.iterdir():
            (elsewhere / entry.name).write_bytes(entry.read_bytes())
            entry.unlink()
        shard.rmdir()
        shard.symlink_to(elsewhere)
    before = sorted(p.name for p in elsewhere.iterdir())
    assert run("--format", "json", "docs")[1] == cold
    assert sorted(p.name for p in elsewhere.iterdir()) == before


def test_fast_entry_parsing_builds_the_same_values_as_decode(project):
    from sop_lint.cache import loads

    config = load_config(project)
    report = check_paths([project / "docs"], config, jobs=1)
    for result in report.files:
        text = json.dumps({"result": encode(result)}, allow_nan=False)
        assert loads(text)["result"] == decode(json.loads(text)["result"]) == result


def test_a_finding_with_a_safe_fix_round_trips(project):
    """Part D's optional `fix` field is stored like every other field of Finding."""
    from sop_lint import check_text
    from sop_lint.cache import loads

    findings = check_text("# Returns\n\nIn order to help, ask for the receipt.\n", lang="en")
    fixed = [f for f in findings if getattr(f, "fix", None) is not None]
    assert fixed, "a wordy phrase with a safe fix"
    text = json.dumps({"result": encode(fixed)}, allow_nan=False)
    assert loads(text)["result"] == fixed


def test_a_nested_config_is_part_of_the_key_of_the_files_it_applies_to(project):
    """A sop-lint.toml in a folder applies to the files there (part A): editing it
    changes their cached results, and only the files under it are checked again."""
    nested = project / "docs/sv/sop-lint.toml"
    nested.write_text('select = ["B"]\n', encoding="utf-8")
    first = run("--format", "json", "docs")
    nested.write_text('select = ["T"]\n', encoding="utf-8")
    second = run("--format", "json", "docs")
    assert second == run("--format", "json", "--no-cache", "docs")
    assert first != second
    sv = [f["rule"] for f in json.loads(second[1])["findings"] if "/sv/" in f["path"]]
    assert sv and all(code.startswith("T") for code in sv)


def test_an_entry_of_another_file_under_this_files_key_is_checked_again(project):
    """Copying one file's entry (with its sum) over another's must not swap findings."""
    _, cold = run("--format", "json", "docs")
    paths = entries(project / CACHE_DIR_NAME)
    donor = paths[0].read_bytes()
    donor_key = json.loads(donor)["key"]
    for path in paths[1:]:
        key = json.loads(path.read_bytes())["key"]
        path.write_bytes(donor.replace(donor_key.encode(), key.encode(), 1))
    assert run("--format", "json", "docs")[1] == cold
