"""The branches file: every branch's id, name, languages and values, validated with the
file and line of every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, sop

from sop_lint.branching.data import BranchDataError, load_branches, parse_branches

GOOD = sop(
    """
    org:
      name: Nordlys Service
      toll_free: "020-123 456"
    defaults:
      opening_hours: "Mon–Fri 08:00–18:00"
      emergency_phone: "112"
    required: [phone, emergency_phone]
    branches:
      - id: stockholm-city
        name: Stockholm City
        languages: [sv, en]
        vars:
          phone: "08-555 012 30"
      - id: london-docklands
        name: London Docklands
        languages: [en]
        vars:
          phone: "020 7946 0123"
          emergency_phone: "999"
    """
)


def problems(text: str) -> list[str]:
    with pytest.raises(BranchDataError) as caught:
        parse_branches(text, Path("branches.yml"))
    return [str(p) for p in caught.value.problems]


def test_the_bundled_branches_file_is_valid():
    data = load_branches(REPO / "branches.yml")
    assert "stockholm-city" in data.ids
    assert data.org["name"] == "Nordlys Service"
    bergen = data.get("bergen-vest")
    assert bergen is not None and bergen.languages == ("nb",)
    # Bergen overrides the organisation-wide opening hours; Oslo keeps the default.
    assert bergen.values["opening_hours"] == "Mon–Fri 07:30–17:00, Sat 09:00–14:00"
    assert data.get("oslo-sentrum").values["opening_hours"] == "Mon–Fri 08:00–18:00"


def test_a_branch_value_overrides_the_default_and_the_others_keep_it():
    data = parse_branches(GOOD)
    assert data.get("london-docklands").values["emergency_phone"] == "999"
    assert data.get("stockholm-city").values["emergency_phone"] == "112"
    assert data.get("stockholm-city").context()["name"] == "Stockholm City"


def test_values_are_read_exactly_as_written():
    text = GOOD.replace('phone: "08-555 012 30"', "phone: 0855501230").replace(
        'emergency_phone: "112"', "emergency_phone: 112"
    )
    data = parse_branches(text)
    # Unquoted numbers stay text: the leading zero of a phone number is kept.
    assert data.get("stockholm-city").values["phone"] == "0855501230"
    assert data.get("stockholm-city").values["emergency_phone"] == "112"


def test_norwegian_written_as_no_is_not_read_as_false():
    data = parse_branches(GOOD.replace("languages: [en]", "languages: [no, en]"))
    assert data.get("london-docklands").languages == ("nb", "en")


def test_an_unknown_key_names_file_line_and_the_key_it_resembles():
    text = GOOD.replace("    languages: [en]\n", "    languages: [en]\n    adress: x\n")
    assert problems(text) == [
        "branches.yml:17:5: branch 'london-docklands': unknown key 'adress'; a branch's values "
        "(phone, address...) go under vars; known keys: id, languages, name, vars"
    ]
    text = GOOD.replace("defaults:", "defualts:")
    assert problems(text)[0].startswith(
        "branches.yml:4:1: the branches file: unknown key 'defualts'; did you mean 'defaults'?"
    )


def test_a_duplicate_id_names_both_lines():
    text = GOOD.replace("id: london-docklands", "id: stockholm-city")
    assert problems(text) == [
        "branches.yml:14:9: branch id 'stockholm-city' is used twice (first on line 9); "
        "every branch needs its own id"
    ]


def test_a_missing_required_value_names_the_branch_and_the_value():
    text = GOOD.replace('      phone: "020 7946 0123"\n', "")
    assert problems(text) == [
        "branches.yml:14:5: branch 'london-docklands' has no 'phone', which 'required' "
        "lists; add it under vars (or to defaults)"
    ]


def test_missing_id_name_and_languages_are_each_reported():
    text = sop(
        """
        org:
          name: Nordlys Service
        branches:
          - vars:
              phone: "1"
        """
    )
    assert problems(text) == [
        "branches.yml:4:5: branch 1 has no 'id'; add a slug such as id: stockholm-city",
        "branches.yml:4:5: branch 1 has no 'name'; add its display name",
        "branches.yml:4:5: branch 1 has no 'languages'; add e.g. languages: [sv, en]",
    ]


def test_an_id_that_is_not_a_safe_slug_is_refused():
    for bad in ("Stockholm City", "../etc", "stockholm_city", "-oslo"):
        text = GOOD.replace("id: stockholm-city", f'id: "{bad}"')
        assert "is not a safe slug" in problems(text)[0], bad


def test_an_empty_value_an_unsupported_language_and_a_list_value_are_errors():
    text = (
        GOOD.replace('phone: "08-555 012 30"', "phone:")
        .replace("languages: [sv, en]", "languages: [sv, de]")
        .replace('emergency_phone: "999"', "emergency_phone: [999, 112]")
    )
    assert problems(text) == [
        "branches.yml:9:5: branch 'stockholm-city' has no 'phone', which 'required' lists; "
        "add it under vars (or to defaults)",
        "branches.yml:11:21: branch 'stockholm-city' languages: 'de' is not a supported "
        "language (en, sv, nb, te)",
        "branches.yml:13:13: branch 'stockholm-city' vars phone has no value; write one, "
        'e.g. phone: "..."',
        "branches.yml:19:24: branch 'london-docklands' vars emergency_phone must be text, "
        "not a list",
    ]


def test_yaml_aliases_are_refused_so_a_file_cannot_expand_without_limit():
    text = GOOD.replace('opening_hours: "Mon–Fri 08:00–18:00"', "opening_hours: &h x").replace(
        'emergency_phone: "112"', "emergency_phone: *h"
    )
    assert problems(text) == [
        "branches.yml:6:20: not valid YAML: aliases (*name) are not allowed in the branches file"
    ]


def test_broken_yaml_points_at_the_line():
    assert problems("org:\n  name: [Nordlys\nbranches: []\n")[0].startswith("branches.yml:2:9:")


def test_a_missing_file_says_how_to_configure_one(tmp_path):
    with pytest.raises(BranchDataError) as caught:
        load_branches(tmp_path / "branches.yml")
    assert "branches file not found" in str(caught.value)
