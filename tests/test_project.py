"""Checks across the whole SOP set run after every file, with one process or many."""

from __future__ import annotations

from sop_lint.config import Config, parse_config
from sop_lint.engine import check_paths

RETURN_EN = """---
id: CS-001
title: Handling a product return
lang: en
---
# Handling a product return

1. Greet the customer.
"""
COMPLAINT_EN = RETURN_EN.replace("product return", "customer complaint")
RETURN_SV = """---
id: CS-001
title: Hantera en retur
lang: sv
---
# Hantera en retur

1. Hälsa på kunden.
"""


def _write(folder, files):
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_two_sops_in_one_language_with_one_id_are_both_flagged_naming_each_other(tmp_path):
    _write(tmp_path, {"return.md": RETURN_EN, "complaint.md": COMPLAINT_EN})
    report = check_paths([tmp_path], Config(), jobs=1)
    duplicates = [f for f in report.findings if f.name == "duplicate-id"]
    assert [(f.path.rsplit("/", 1)[-1], f.line, f.column) for f in duplicates] == [
        ("complaint.md", 2, 5),
        ("return.md", 2, 5),
    ]
    assert "return.md:2" in duplicates[0].message
    assert duplicates[0].source_line == "id: CS-001"
    assert report.exit_code("error") == 1


def test_a_translation_sharing_the_id_in_another_language_is_not_a_duplicate(tmp_path):
    _write(tmp_path, {"return.md": RETURN_EN, "retur.md": RETURN_SV})
    report = check_paths([tmp_path], Config(), jobs=1)
    assert not [f for f in report.findings if f.name == "duplicate-id"]


def test_parallel_and_serial_runs_find_the_same_duplicates(tmp_path):
    files = {f"sop-{i:02d}.md": RETURN_EN.replace("CS-001", f"CS-{i % 20:03d}") for i in range(30)}
    _write(tmp_path, files)
    serial = check_paths([tmp_path], Config(), jobs=1)
    parallel = check_paths([tmp_path], Config(), jobs=2)
    assert [f.to_dict() for f in serial.findings] == [f.to_dict() for f in parallel.findings]
    assert len([f for f in serial.findings if f.name == "duplicate-id"]) == 20


def test_file_suppression_and_ignore_apply_to_project_findings(tmp_path):
    suppressed = COMPLAINT_EN + "\n<!-- sop-lint-disable-file duplicate-id -->\n"
    _write(tmp_path, {"return.md": RETURN_EN, "complaint.md": suppressed})
    report = check_paths([tmp_path], Config(), jobs=1)
    assert [f.path.rsplit("/", 1)[-1] for f in report.findings if f.rule == "D001"] == ["return.md"]
    ignoring = parse_config({"ignore": ["duplicate-id"]})
    assert not [f for f in check_paths([tmp_path], ignoring, jobs=1).findings if f.rule == "D001"]
