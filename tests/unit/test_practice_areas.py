"""Practice areas' series in the shipped catalog (LHS's four), their occurrence ids, the names
people give them and the event formats they write (pure: no database)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from pathlib import Path

import pytest

from copbot import formats
from copbot.catalog import CatalogError, load_catalog, parse_catalog
from copbot.meetings.occurrences import (
    community_occurrences,
    find_occurrence,
    parse_occurrence_id,
    series_of_id,
)
from copbot.meetings.series import find_series

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "catalog" / "communities.yaml")


def nth_weekday(year: int, month: int, weekday: int, n: int) -> int:
    days = [d for d, wd in calendar.Calendar().itermonthdays2(year, month) if d and wd == weekday]
    return days[n - 1]


@pytest.mark.parametrize(
    ("key", "weekday", "n"),
    [("governance", 1, 1), ("management", 3, 1), ("rights-protection", 1, 3), ("finance", 3, 3)],
)
def test_lhs_has_its_four_practice_areas_each_meeting_monthly(catalog, key, weekday, n) -> None:
    lhs = catalog.get("LHS")
    found = [
        o
        for o in community_occurrences(lhs, NOW, datetime(2027, 3, 1, tzinfo=UTC))
        if o.series == key
    ]
    assert [(o.starts_at.month, o.starts_at.day) for o in found] == [
        (m, nth_weekday(y, m, weekday, n)) for y, m in ((2026, 12), (2027, 1), (2027, 2))
    ]
    first = found[0]
    assert all(o.starts_at.hour == 11 for o in found)  # 14:00 in Nairobi
    assert first.id == f"LHS:{key}:0:{first.local_start:%Y-%m-%dT%H:%M}"
    assert parse_occurrence_id(first.id)[0] == "LHS" and series_of_id(first.id) == key
    assert find_occurrence(catalog, first.id) == first
    assert first.title == f"{first.series_in('en')}: Meeting" and first.format == "meeting"


def test_the_cop_wide_ids_are_unchanged_and_an_unknown_series_is_no_occurrence(catalog) -> None:
    assert series_of_id("UBS:0:2026-12-16T10:00") == ""
    assert series_of_id("LHS:event:2026-12-16T10:00") == ""
    assert find_occurrence(catalog, "LHS:housing:0:2026-12-01T14:00") is None
    assert parse_occurrence_id("LHS:Finance:0:2026-12-01T14:00") is None


@pytest.mark.parametrize(
    ("words", "key"),
    [
        ("LHS Finance", "finance"),
        ("les finances de LHS", "finance"),
        ("Finanzas LHS", "finance"),
        ("Gestion LHS", "management"),
        ("LHS rights and protection", "rights-protection"),
        ("derechos LHS", "rights-protection"),
        ("LHS practice area 1", "governance"),
    ],
)
def test_people_name_a_series_in_their_words(catalog, words: str, key: str) -> None:
    community, series = find_series(catalog, words)
    assert community is not None and community.id == "LHS"
    assert series is not None and series.key == key


def test_a_community_named_without_a_series_is_found_without_one(catalog) -> None:
    community, series = find_series(catalog, "LHS")
    assert community.id == "LHS" and series is None
    assert find_series(catalog, "nothing at all") == (None, None)


@pytest.mark.parametrize(
    ("words", "key"),
    [
        ("workshop", "workshop"),
        ("an atelier", "workshop"),
        ("taller", "workshop"),
        ("experts' round table", "round-table"),
        ("table ronde", "round-table"),
        ("mesa redonda", "round-table"),
        ("co-creation session", "co-creation"),
        ("séance de co-création", "co-creation"),
        ("webinaire", "webinar"),
        ("capacitación", "training"),
        ("event", ""),
        ("séance", ""),
        ("gala", None),
    ],
)
def test_formats_in_words(words: str, key: str | None) -> None:
    assert formats.from_words(words) == key


def test_every_format_has_a_label_in_every_language() -> None:
    assert formats.FORMATS == (
        "meeting",
        "webinar",
        "workshop",
        "training",
        "round-table",
        "dialogue",
        "co-creation",
    )
    assert formats.labels("fr").startswith("Réunion, Webinaire, Atelier, Formation")
    assert formats.labels("es").endswith("Diálogo, Sesión de co-creación")


SERIES_YAML = """
communities:
  - id: LHS
    name: {en: Land (LHS), fr: Terre (LHS), es: Tierra (LHS)}
    lead: {en: x, fr: x, es: x}
    description: {en: x, fr: x, es: x}
    focal_points: [{name: A, email: a@un.org}]
    series:
%s
"""


def test_the_catalog_refuses_bad_series_with_where_they_are() -> None:
    bad = """      - {key: finance, title: {en: F, fr: F, es: F}, format: gala}
      - {key: Finance2, title: {en: G, fr: G, es: G}}
      - {key: x-area, title: {en: H, fr: H, es: H}, time_zone: Mars/Olympus}
      - {key: x-area, title: {en: I, fr: I, es: I},
         meetings: [{rrule: FREQ=MONTHLY, format: banquet}]}"""
    with pytest.raises(CatalogError) as refused:
        parse_catalog(SERIES_YAML % bad, "c.yaml")
    text = str(refused.value)
    assert "series[0].format: unknown event format 'gala': one of meeting, webinar" in text
    assert "series[1].key: a series key is 2-24 lower-case letters" in text
    assert "series[2].time_zone: unknown IANA time zone 'Mars/Olympus'" in text
    assert "series[3].meetings[0].format: unknown event format 'banquet'" in text
    twice = """      - {key: finance, title: {en: F, fr: F, es: F}}
      - {key: finance, title: {en: G, fr: G, es: G}}"""
    with pytest.raises(CatalogError, match="two series have the key 'finance'"):
        parse_catalog(SERIES_YAML % twice, "c.yaml")
