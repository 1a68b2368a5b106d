"""The warm run's shortcuts (issue 11, speed) give exactly what the long way gives.

A warm run reads findings stored as rows, resolves each folder once, turns paths away from
a glob by its literal text before matching it, and indexes copies of one procedure once
for ``procedure-diverges``. Each shortcut is checked here against the long way, and a run
after a one-file change that alters a cross-document finding against a run without cache.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from sop_lint import safe_io
from sop_lint.cache import ResultCache, decode, encode, loads
from sop_lint.config import Config, _glob_match, _GlobAutomaton, load_config
from sop_lint.engine import check_paths, display_path
from sop_lint.model import Finding, Fix, Location, Severity, Span, TextEdit
from sop_lint.rules.consistency import MAX_POSTING, similar_pairs

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2027-06-01"

# One routine for lost keys, written by three units (D012 names the copies), and the same
# routine in Swedish twice.
LOST_KEYS_EN = """\
---
id: {sop_id}
title: Lost keys
lang: en
---
# Lost keys

## Procedure

1. Ask the resident when and where the key was last used, and write down the answer.
2. Search the key cabinet, the key log and the car you drove on today's round.
3. Call {unit} and report the lost key at once.
4. Order a lock change from the caretaker if the key is not found within a day.
5. Record the incident in the case system the same day, with the time and who you told.
"""

TAPPAD_NYCKEL_SV = """\
---
id: {sop_id}
title: Tappad nyckel
lang: sv
---
# Tappad nyckel

## Utförande

1. Fråga brukaren när och var nyckeln senast användes och skriv ner svaret.
2. Leta i nyckelskåpet, i nyckelloggen och i bilen du körde under dagens tur.
3. Ring {unit} och anmäl den borttappade nyckeln direkt.
4. Beställ låsbyte hos fastighetsskötaren om nyckeln inte har hittats inom ett dygn.
5. Skriv en avvikelse i verksamhetssystemet samma dag, med tid och vem du har kontaktat.
"""

HAND_HYGIENE_NB = """\
---
id: NB-030
title: Håndhygiene
lang: nb
---
# Håndhygiene

## Fremgangsmåte

1. Vask hendene før og etter hvert besøk.
2. Bruk hanske når du steller sår.
3. Skift forkle mellom brukere.
"""

FIRE_DRILL_TE = """\
---
id: TE-001
title: అగ్ని ప్రమాద సాధన
lang: te
---
# అగ్ని ప్రమాద సాధన

## విధానం

1. అలారం మోగగానే మీ దగ్గర ఉన్న వారిని బయటకు తీసుకెళ్లండి.
2. మెట్ల మార్గం ద్వారా సమావేశ స్థలానికి వెళ్లండి.
3. మీ బృందంలో అందరూ ఉన్నారో లేదో లెక్కించండి.
"""


def _project(root: Path) -> None:
    files = {
        "sop-lint.toml": 'docs = ["docs"]\n',
        "docs/en/home-care.md": LOST_KEYS_EN.format(
            sop_id="EN-010", unit="the home care coordinator"
        ),
        "docs/en/group-home.md": LOST_KEYS_EN.format(
            sop_id="EN-020", unit="the duty officer at the group home"
        ),
        "docs/en/night-patrol.md": LOST_KEYS_EN.format(
            sop_id="EN-030", unit="the night patrol leader"
        ),
        "docs/sv/hemtjanst.md": TAPPAD_NYCKEL_SV.format(
            sop_id="SV-010", unit="hemtjänstens samordnare"
        ),
        "docs/sv/boende.md": TAPPAD_NYCKEL_SV.format(
            sop_id="SV-020", unit="den ansvariga på boendet"
        ),
        "docs/nb/hygiene.md": HAND_HYGIENE_NB,
        "docs/te/fire-drill.md": FIRE_DRILL_TE,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _run(folder: Path, *args: str) -> bytes:
    """A whole ``sop-lint check`` process in ``folder``; its standard output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [sys.executable, "-m", "sop_lint", "check", "--today", TODAY, *args, "docs"],
        cwd=folder,
        env=env,
        capture_output=True,
    )
    assert completed.returncode in (0, 1), completed.stderr.decode()
    return completed.stdout


# -- a one-file change that alters cross-document findings -----------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_a_one_file_change_that_alters_a_cross_document_finding_gives_the_cold_output(
    tmp_path, fmt
):
    _project(tmp_path)
    cold = _run(tmp_path, "--format", fmt)
    assert b"procedure-diverges" in cold or b"D012" in cold
    assert _run(tmp_path, "--format", fmt) == cold  # warm, nothing changed
    # The night patrol rewrites its routine: it is no longer a copy, and the other two
    # English SOPs now name one copy each instead of two.
    (tmp_path / "docs/en/night-patrol.md").write_text(
        LOST_KEYS_EN.format(sop_id="EN-030", unit="the night patrol leader")
        .replace(
            "## Procedure\n",
            "## Procedure\n\n"
            "1. Stop the round and tell the control room over the radio.\n"
            "2. Walk back along the route you took with a torch, checking the stairwells.\n"
            "3. Hand the spare key from the control room safe to the patrol.\n",
        )
        .split("1. Ask the resident")[0],
        encoding="utf-8",
    )
    warm = _run(tmp_path, "--format", fmt)
    assert warm != cold  # the cross-document findings did change
    assert warm == _run(tmp_path, "--format", fmt, "--no-cache")
    assert warm == _run(tmp_path, "--format", fmt, "--cache-dir", str(tmp_path / "fresh"))


# -- procedure-diverges: copies indexed once ----------------------------------------------


def _pairs_comparing_each(
    procedures: list[tuple[int, set[int]]], minimum: float
) -> list[tuple[int, int, float]]:
    """The pairs as found before copies were grouped: every procedure in the index."""
    first: dict[int, int] = {}
    more: dict[int, list[int]] = {}
    for number, found in procedures:
        for shingle in found:
            owner = first.setdefault(shingle, number)
            if owner != number:
                posting = more.setdefault(shingle, [owner])
                if len(posting) <= MAX_POSTING:
                    posting.append(number)
    sets = dict(procedures)
    shared: Counter[tuple[int, int]] = Counter()
    for posting in more.values():
        if len(posting) <= MAX_POSTING:
            for i, a in enumerate(posting):
                for b in posting[i + 1 :]:
                    shared[(a, b)] += 1
    pairs = []
    for (a, b), common in shared.items():
        size_a, size_b = len(sets[a]), len(sets[b])
        if common < minimum * min(size_a, size_b) * 0.5:
            continue
        exact = len(sets[a] & sets[b])
        jaccard = exact / (size_a + size_b - exact)
        if jaccard >= minimum:
            pairs.append((a, b, jaccard))
    return sorted(pairs)


def test_copies_of_one_procedure_give_the_pairs_of_comparing_every_copy():
    rng = random.Random(11)
    for _ in range(300):
        routines = [set(rng.sample(range(80), rng.randint(0, 25))) for _ in range(12)]
        procedures = []
        for number in range(rng.randint(1, 100)):
            found = set(rng.choice(routines))
            if rng.random() < 0.3:  # a unit's own wording in one step
                found |= set(rng.sample(range(80), 3))
            procedures.append((number * 2, found))
        for minimum in (0.0, 0.4, 0.8, 1.0):
            assert sorted(similar_pairs(procedures, minimum)) == _pairs_comparing_each(
                procedures, minimum
            )


def test_a_routine_copied_more_often_than_the_posting_cap_is_not_paired():
    # Shingles in more than MAX_POSTING procedures say nothing about which are copies.
    copies = [(n, {1, 2, 3, 4}) for n in range(MAX_POSTING + 1)]
    assert similar_pairs(copies, 0.4) == [] == _pairs_comparing_each(copies, 0.4)
    fewer = copies[:3]
    assert sorted(similar_pairs(fewer, 0.4)) == [(0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0)]


# -- findings stored as rows ------------------------------------------------------------------


def _finding(**changes) -> Finding:
    values = {
        "path": "docs/sv/hemtjanst.md",
        "span": Span(9, 1, 9, 60),
        "rule": "B001",
        "name": "sentence-too-long",
        "severity": Severity.WARNING,
        "message": "this step has 31 words; split it into two steps",
        "suggestion": None,
        "source_line": "1. Fråga brukaren när och var nyckeln senast användes.",
        "related": (),
        "fix": None,
        **changes,
    }
    return Finding(**values)


@pytest.mark.parametrize(
    "finding",
    [
        _finding(),
        _finding(suggestion="Fråga brukaren.", severity=Severity.INFO),
        _finding(related=(Location("docs/sv/boende.md", 8, 1, "a procedure 92% alike"),)),
        _finding(fix=Fix((TextEdit(9, 4, 9, 10, "Fråga", "Fraga"),), safe=True)),
    ],
)
def test_a_finding_stored_as_a_row_comes_back_equal(finding):
    import json

    text = json.dumps({"f": encode(finding)}, ensure_ascii=False)
    assert '"$F"' in text  # the compact form, not a tagged object per field
    assert loads(text)["f"] == decode(json.loads(text)["f"]) == finding


@pytest.mark.parametrize(
    "row",
    [
        '{"$F": [1, 2]}',  # too short
        '{"$F": ["a.md", 1, 1, 1, 2, "B001", "x", 9, "m", null, null, null, null]}',  # severity
        '{"$F": ["a.md", 1, 1, 1, 2, "B001", "x", 2, "m", null, null, [1], null]}',  # related
        '{"$F": ["a.md", 1, 1, 1, 2, "B001", "x", 2, "m", null, null, null, "fix"]}',  # fix
    ],
)
def test_a_damaged_finding_row_is_refused(row):
    with pytest.raises((ValueError, TypeError, KeyError)):
        loads(row)


def test_a_damaged_finding_row_in_an_entry_is_checked_again(tmp_path, monkeypatch):
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path)
    cache = ResultCache.open(config)
    cold = check_paths([tmp_path / "docs"], config, jobs=1, cache=cache).findings
    for entry in (tmp_path / ".sop-lint-cache").glob("??/*.json"):
        entry.write_text(entry.read_text("utf-8").replace('"$F": [', '"$F": [7, '), "utf-8")
    cache = ResultCache.open(config)
    again = check_paths([tmp_path / "docs"], config, jobs=1, cache=cache).findings
    assert again == cold
    assert cache.misses > 0  # the damaged entries were checked again, and written again


# -- paths: each folder resolved once -----------------------------------------------------------


def _relative_the_long_way(config: Config, path: Path, base: Path | None = None) -> str:
    real = Path(os.path.dirname(os.path.abspath(path))).resolve() / path.name
    try:
        return real.relative_to(Path(os.path.abspath(base or config.root)).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def test_paths_shown_and_relative_to_the_root_are_those_of_resolving_each_path(
    tmp_path, monkeypatch
):
    _project(tmp_path / "project")
    project = tmp_path / "project"
    (project / "docs/shared").symlink_to(project / "docs/sv", target_is_directory=True)
    (project / "docs/en/keys.md").symlink_to(project / "docs/en/home-care.md")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "note.md").write_text("# Note\n", encoding="utf-8")
    monkeypatch.chdir(project)
    config = load_config(project)
    paths = [
        Path("docs/en/home-care.md"),
        project / "docs/en/home-care.md",
        Path("docs/shared/boende.md"),  # through a symlinked folder
        Path("docs/en/keys.md"),  # a symlinked file
        Path("docs/en/../sv/boende.md"),
        Path("docs"),
        Path("."),
        outside / "note.md",
        Path("../elsewhere/note.md"),
    ]
    for path in paths:
        assert display_path(path) == _long_display(path), path
        assert config.relative(path) == _relative_the_long_way(config, path), path
        assert config.relative(path, project / "docs") == _relative_the_long_way(
            config, path, project / "docs"
        ), path


def _long_display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path(os.getcwd()).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def test_folders_are_remembered_only_for_the_length_of_a_run(tmp_path, monkeypatch):
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path)
    seen = []
    check_paths(
        [tmp_path / "docs"], config, jobs=1, on_result=lambda r: seen.append(safe_io._FOLDERS)
    )
    assert seen and all(folders is not None for folders in seen)
    assert safe_io._FOLDERS is None  # after the run, every read resolves its whole path


def test_a_symlink_out_of_the_project_is_refused_inside_a_run(tmp_path, monkeypatch):
    _project(tmp_path / "project")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.md").write_text("# Not an SOP\n", encoding="utf-8")
    project = tmp_path / "project"
    (project / "docs/en/leak.md").symlink_to(secret / "passwords.md")
    (project / "docs/leak-folder").symlink_to(secret, target_is_directory=True)
    monkeypatch.chdir(project)
    with safe_io.remembered_folders():
        for path in (project / "docs/en/leak.md", project / "docs/leak-folder/passwords.md"):
            for _ in range(2):  # the second time from the remembered folder
                with pytest.raises(safe_io.RefusedRead):
                    safe_io.read_guarded(path, project)
        assert safe_io.read_guarded(project / "docs/en/home-care.md", project)


# -- globs: the literal text first ---------------------------------------------------------------


def test_a_glob_turns_paths_away_by_its_literal_text_exactly_as_the_automaton_does():
    patterns = [
        "docs/*/digdir-docs-nb/**",
        "report.txt",
        ".sop-lint-cache/",
        "docs/**/drafts/*.md",
        "*.draft.md",
        "docs/[ab]*/x.md",
        "docs/sv",
        "/docs/en/*.md",
        "**/templates/**",
        "docs/?v/**",
    ]
    paths = [
        "docs/copy01/digdir-docs-nb/a.md",
        "docs/digdir-docs-nb/a.md",
        "report.txt",
        "docs/report.txt",
        ".sop-lint-cache/ab/c.json",
        "docs/en/drafts/a.md",
        "docs/drafts/a.md",
        "docs/en/a.draft.md",
        "docs/b1/x.md",
        "docs/sv/a.md",
        "docs/svx/a.md",
        "docs/en/a.md",
        "templates/a.md",
        "docs/templates/b/c.md",
        "docs/sv",
        "docs/en",
    ]
    for pattern in patterns:
        folders_only = pattern.endswith("/")
        body = pattern.strip("/") if pattern.startswith("/") else pattern.rstrip("/")
        if "/" not in body and not pattern.startswith("/"):
            body = "**/" + body
        automaton = _GlobAutomaton(body, folders_only)
        for path in paths:
            for candidate in (path, path + "/"):
                assert _glob_match(candidate, pattern) == automaton.match(candidate), (
                    pattern,
                    candidate,
                )


def test_a_summary_s_tuples_and_links_are_stored_untagged_and_come_back_equal(
    tmp_path, monkeypatch
):
    import json

    _project(tmp_path)
    (tmp_path / "docs/en/home-care.md").write_text(
        LOST_KEYS_EN.format(sop_id="EN-010", unit="the coordinator")
        + "\nSee [the group home routine](group-home.md#procedure).\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path)
    report = check_paths([tmp_path / "docs"], config, jobs=1)
    result = next(r for r in report.files if r.path.endswith("home-care.md"))
    assert result.summary is not None and result.summary.links and result.summary.steps
    text = json.dumps(encode(result.summary), ensure_ascii=False)
    stored = json.loads(text)
    assert stored["p"]["steps"] == "t" and stored["p"]["links"] == "sop_lint.crossdoc:LinkRef"
    assert loads(text) == decode(stored) == result.summary


@pytest.mark.parametrize(
    "plain",
    ['{"line": "os:system"}', '{"line": "sop_lint.model:Span"}', '{"line": "t", "x": 1}'],
)
def test_an_untagged_field_naming_a_foreign_or_wrong_class_is_refused(plain):
    entry = (
        '{"$dc": "sop_lint.model:Location", "f": {"path": "a.md", "line": [1], '
        '"column": 1, "message": ""}, "p": ' + plain + "}"
    )
    with pytest.raises((ValueError, TypeError, KeyError)):
        loads(entry)
