"""Reading an import file: good rows kept, every bad row reported with its line, nothing stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from copbot.catalog import load_catalog
from copbot.importer import parse_import

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT / "catalog" / "communities.yaml")
ALICE_ID = "a1a1a1a1-0000-4000-8000-000000000001"


def parse(text: str, **kwargs: str):  # type: ignore[no-untyped-def]
    return parse_import(text.encode("utf-8"), CATALOG, **kwargs)


def test_rows_with_a_header_emails_ids_and_yes_no() -> None:
    parsed = parse(
        "email or object id,CoP,primary\n"
        "Alice.Wanjiru@UN.org,UBS,yes\n"
        f"{ALICE_ID.upper()},cc,no\n"
        "bruno.costa@un.org,SHRSI\n"
        "\n"
        "# a comment\n"
        "carmen.ruiz@un.org,LHS,Oui\n"
    )
    assert parsed.bad == []
    assert [(r.line, r.person_key, r.cop_id, r.primary) for r in parsed.rows] == [
        (2, "alice.wanjiru@un.org", "UBS", True),
        (3, ALICE_ID, "CC", False),
        (4, "bruno.costa@un.org", "SHRSI", False),
        (7, "carmen.ruiz@un.org", "LHS", True),
    ]


def test_semicolons_and_the_bom_excel_writes_are_understood() -> None:
    data = "\ufeffalice@un.org;PLG;sí\r\nbruno@un.org;CC;non\r\n".encode()
    parsed = parse_import(data, CATALOG)
    assert [(r.person_key, r.cop_id, r.primary) for r in parsed.rows] == [
        ("alice@un.org", "PLG", True),
        ("bruno@un.org", "CC", False),
    ]


def test_bad_rows_are_reported_with_their_line_and_do_not_stop_the_rest() -> None:
    parsed = parse(
        "alice@un.org,UBS,yes\n"  # 1 ok
        "bruno@un,UBS,no\n"  # 2 malformed email
        "carmen@un.org,XYZ,no\n"  # 3 unknown CoP
        "dina@un.org,CC,maybe\n"  # 4 bad primary
        "eve@un.org\n"  # 5 one column
        "frank@un.org,PFE,no\n"  # 6 ok
        "alice@un.org,UBS,no\n"  # 7 repeats line 1
    )
    assert [(r.line, r.person_key) for r in parsed.rows] == [
        (1, "alice@un.org"),
        (6, "frank@un.org"),
    ]
    assert [(b.line, b.reason) for b in parsed.bad] == [
        (2, "'bruno@un' is neither an email address nor an Entra object id"),
        (3, "unknown CoP 'XYZ' (the catalog has PLG, SHRSI, PFE, UBS, LHS, CC)"),
        (4, "primary must be yes or no, not 'maybe'"),
        (5, "expected 3 columns (email or object id, CoP id, primary), found 1"),
        (7, "same person and CoP as line 1"),
    ]
    assert parsed.lines == 7


def test_two_primaries_for_one_person_are_both_reported_and_skipped() -> None:
    parsed = parse(
        "alice@un.org,UBS,yes\nalice@un.org,CC,no\nALICE@un.org,LHS,yes\nbruno@un.org,UBS,yes\n"
    )
    assert [(r.line, r.cop_id) for r in parsed.rows] == [(2, "CC"), (4, "UBS")]
    assert [(b.line, b.reason) for b in parsed.bad] == [
        (
            line,
            "two primary CoPs for one person (lines 1, 3): a person has exactly one primary CoP; "
            "mark the others 'no'",
        )
        for line in (1, 3)
    ]


def test_a_file_that_is_not_utf8_says_how_to_save_it() -> None:
    parsed = parse_import("josé@un.org,UBS,yes\n".encode("cp1252"), CATALOG)
    assert parsed.rows == []
    assert parsed.bad[0].reason.endswith("save it as 'CSV UTF-8'")


@pytest.mark.parametrize("name", [None, "2026 staff list"])
def test_the_progress_key_is_the_files_hash_or_its_name(name: str | None) -> None:
    first = parse("alice@un.org,UBS,yes\n", name=name) if name else parse("alice@un.org,UBS,yes\n")
    edited = parse("alice@un.org,UBS,no\n", name=name) if name else parse("alice@un.org,UBS,no\n")
    if name:
        assert first.key == edited.key == "name:2026 staff list"
    else:
        assert first.key.startswith("sha256:") and first.key != edited.key
