"""When CoPs meet: occurrences of the catalog's cadences across months, years, zones and daylight
saving time; skips, moves and themes; when each post is due; one-off events; dates in 3 languages."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from copbot.catalog import CatalogError, load_catalog, parse_catalog
from copbot.meetings.dates import short_local, when_local, when_utc
from copbot.meetings.occurrences import (
    AddedEvent,
    Override,
    community_occurrences,
    find_occurrence,
    parse_occurrence_id,
)
from copbot.meetings.schedule import (
    ANNOUNCEMENT,
    DIGEST,
    REMINDER,
    PostPolicy,
    due_at,
    due_posts,
    missed_posts,
)

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog" / "communities.yaml"
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CATALOG)


def with_changes(tmp_path: Path, cop_id: str, **fields) -> object:
    """The shipped catalog with one CoP's fields replaced (a temp catalog)."""
    data = yaml.safe_load(CATALOG.read_text())
    for community in data["communities"]:
        if community["id"] == cop_id:
            community.update(fields)
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return load_catalog(path)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> int:
    """The day of the month of the n-th <weekday> (0 = Monday): an oracle independent of rrule."""
    days = [d for d, wd in calendar.Calendar().itermonthdays2(year, month) if d and wd == weekday]
    return days[n - 1]


# Every CoP of the shipped catalog: the next three meetings after 21 November 2026, in UTC
# (Nairobi is UTC+3 all year). Read by hand from a calendar.
EXPECTED_NEXT = {
    "PLG": [utc(2027, 1, 12, 7), utc(2027, 3, 9, 7), utc(2027, 5, 11, 7)],  # 2nd Tue 10:00
    "SHRSI": [utc(2026, 12, 9, 11), utc(2027, 2, 10, 11), utc(2027, 4, 14, 11)],  # 2nd Wed 14:00
    "PFE": [utc(2027, 1, 19, 11), utc(2027, 3, 16, 11), utc(2027, 5, 18, 11)],  # 3rd Tue 14:00
    "UBS": [utc(2026, 12, 16, 7), utc(2027, 2, 17, 7), utc(2027, 4, 21, 7)],  # 3rd Wed 10:00
    "LHS": [utc(2027, 1, 14, 8), utc(2027, 3, 11, 8), utc(2027, 5, 13, 8)],  # 2nd Thu 11:00
    "CC": [utc(2026, 12, 22, 10), utc(2027, 2, 23, 10), utc(2027, 4, 27, 10)],  # 4th Tue 13:00
}


@pytest.mark.parametrize("cop_id", list(EXPECTED_NEXT))
def test_next_meetings_of_every_cop_across_the_year_end(catalog, cop_id: str) -> None:
    community = catalog.get(cop_id)
    found = community_occurrences(community, NOW, utc(2027, 6, 1))
    found = [o for o in found if not o.series]  # the CoP-wide meetings (LHS has practice areas)
    assert [o.starts_at for o in found[:3]] == EXPECTED_NEXT[cop_id]
    first = found[0]
    local = first.local_start
    assert first.id == f"{cop_id}:0:{local:%Y-%m-%dT%H:%M}"
    assert first.title == f"{community.display_name('en')} meeting"
    assert first.title_in("fr") == f"Réunion de la communauté {community.display_name('fr')}"
    assert first.duration == timedelta(minutes=community.meetings[0].duration_minutes)


@pytest.mark.parametrize("cop_id", list(EXPECTED_NEXT))
def test_two_years_of_every_cop_match_an_independent_calendar(catalog, cop_id: str) -> None:
    """Every other month from the start month, the n-th weekday, at the local time, in UTC."""
    community = catalog.get(cop_id)
    cadence = community.meetings[0]
    byday = cadence.rrule.split("BYDAY=")[1]
    n, weekday = int(byday[0]), ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].index(byday[1:])
    hour, minute = map(int, cadence.time.split(":"))
    first_month = int(cadence.start_date[5:7])
    expected = []
    for year in (2026, 2027, 2028):
        for month in range(first_month, 13, 2):
            day = nth_weekday(year, month, weekday, n)
            expected.append(datetime(year, month, day, hour - 3, minute, tzinfo=UTC))
    start, end = utc(2026, 1, 1), utc(2028, 1, 1)
    expected = [e for e in expected if start <= e < end]
    found = [o for o in community_occurrences(community, start, end) if not o.series]
    assert [o.starts_at for o in found] == expected
    assert len(found) == 12  # two years, every other month


def test_daylight_saving_keeps_the_local_hour(tmp_path: Path) -> None:
    """Madrid: 10:00 local on the last Sunday of the month, when Europe changes the clocks."""
    catalog = with_changes(
        tmp_path,
        "UBS",
        time_zone="Europe/Madrid",
        meetings=[
            {"rrule": "FREQ=MONTHLY;BYDAY=-1SU", "start_date": "2026-09-01", "time": "10:00"}
        ],
    )
    found = community_occurrences(catalog.get("UBS"), utc(2026, 9, 1), utc(2027, 5, 1))
    starts = {o.id: o.starts_at for o in found}
    assert starts["UBS:0:2026-09-27T10:00"] == utc(2026, 9, 27, 8)  # CEST, UTC+2
    assert starts["UBS:0:2026-10-25T10:00"] == utc(2026, 10, 25, 9)  # the day summer time ends
    assert starts["UBS:0:2027-03-28T10:00"] == utc(2027, 3, 28, 8)  # the day it starts again
    assert all(o.local_start.hour == 10 for o in found)
    assert when_local(found[1].starts_at, "Europe/Madrid", "en").endswith("10:00 Madrid time")
    assert when_local(found[0].starts_at, "Europe/Madrid", "en").endswith("10:00 Madrid time")


def test_new_york_weekly_across_the_november_change(tmp_path: Path) -> None:
    catalog = with_changes(
        tmp_path,
        "CC",
        time_zone="America/New_York",
        meetings=[{"rrule": "FREQ=WEEKLY;BYDAY=MO", "start_date": "2026-10-01", "time": "10:00"}],
    )
    found = community_occurrences(catalog.get("CC"), utc(2026, 10, 26), utc(2026, 11, 10))
    assert [o.starts_at for o in found] == [
        utc(2026, 10, 26, 14),
        utc(2026, 11, 2, 15),
        utc(2026, 11, 9, 15),
    ]


def test_a_local_time_inside_the_spring_gap_is_read_with_the_winter_offset(tmp_path: Path) -> None:
    catalog = with_changes(
        tmp_path,
        "UBS",
        time_zone="Europe/Madrid",
        meetings=[
            {
                "rrule": "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "start_date": "2027-01-01",
                "time": "02:30",
            }
        ],
    )
    (occ,) = community_occurrences(catalog.get("UBS"), utc(2027, 1, 1), utc(2028, 1, 1))
    assert occ.starts_at == utc(2027, 3, 28, 1, 30)  # 02:30 does not exist: 03:30 summer time


def test_the_local_date_and_the_utc_date_differ_across_the_year_end(tmp_path: Path) -> None:
    """Auckland's New Year's Day morning is still 31 December in UTC; Los Angeles the other way."""
    catalog = with_changes(
        tmp_path,
        "PLG",
        time_zone="Pacific/Auckland",
        meetings=[
            {
                "rrule": "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1",
                "start_date": "2026-01-01",
                "time": "09:00",
            }
        ],
    )
    (occ,) = community_occurrences(catalog.get("PLG"), utc(2026, 12, 1), utc(2027, 2, 1))
    assert occ.id == "PLG:0:2027-01-01T09:00" and occ.starts_at == utc(2026, 12, 31, 20)
    catalog = with_changes(
        tmp_path,
        "PLG",
        time_zone="America/Los_Angeles",
        meetings=[
            {
                "rrule": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
                "start_date": "2026-01-01",
                "time": "20:00",
            }
        ],
    )
    (occ,) = community_occurrences(catalog.get("PLG"), utc(2026, 12, 1), utc(2027, 2, 1))
    assert occ.id == "PLG:0:2026-12-31T20:00" and occ.starts_at == utc(2027, 1, 1, 4)


def test_months_without_the_day_are_skipped_not_shifted(tmp_path: Path) -> None:
    catalog = with_changes(
        tmp_path,
        "LHS",
        meetings=[
            {"rrule": "FREQ=MONTHLY;BYMONTHDAY=31", "start_date": "2026-11-01", "time": "09:00"}
        ],
    )
    found = community_occurrences(catalog.get("LHS"), utc(2026, 11, 1), utc(2027, 4, 1))
    found = [o for o in found if not o.series]  # its CoP-wide meetings
    assert [o.local_start.date().isoformat() for o in found] == [
        "2026-12-31",
        "2027-01-31",
        "2027-03-31",
    ]


def test_ids_are_stable_and_only_real_occurrences_are_found(catalog) -> None:
    ubs = catalog.get("UBS")
    a = community_occurrences(ubs, NOW, utc(2027, 1, 1))[0]
    b = community_occurrences(ubs, utc(2026, 1, 1), utc(2028, 1, 1))
    assert a.id in [o.id for o in b]
    assert parse_occurrence_id(a.id)[0:2] == ("UBS", "0")
    assert find_occurrence(catalog, a.id).starts_at == a.starts_at
    assert find_occurrence(catalog, "UBS:0:2026-12-17T10:00") is None  # not a 3rd Wednesday
    assert find_occurrence(catalog, "UBS:0:2026-12-16T11:00") is None  # not its time
    assert find_occurrence(catalog, "XYZ:0:2026-12-16T10:00") is None
    assert find_occurrence(catalog, "UBS; DROP TABLE") is None


def test_skip_move_and_theme_apply_to_one_occurrence(catalog) -> None:
    ubs = catalog.get("UBS")
    dec, feb = community_occurrences(ubs, NOW, utc(2027, 3, 1))
    overrides = {
        dec.id: Override(dec.id, skipped=True, sequence=1),
        feb.id: Override(feb.id, moved_to=utc(2027, 2, 3, 12), theme="Water operators", sequence=2),
    }
    found = community_occurrences(ubs, NOW, utc(2027, 3, 1), overrides=overrides)
    assert [(o.id, o.status) for o in found] == [(dec.id, "skipped"), (feb.id, "moved")]
    moved = found[1]
    assert moved.starts_at == utc(2027, 2, 3, 12) and moved.original_starts_at == feb.starts_at
    assert moved.theme == "Water operators" and moved.sequence == 2
    assert [
        o.id
        for o in community_occurrences(
            ubs, NOW, utc(2027, 3, 1), overrides=overrides, include_skipped=False
        )
    ] == [feb.id]
    # Moved into a window it was not in; out of the one it was in.
    assert [
        o.id
        for o in community_occurrences(ubs, utc(2027, 2, 1), utc(2027, 2, 10), overrides=overrides)
    ] == [feb.id]
    assert community_occurrences(ubs, utc(2027, 2, 10), utc(2027, 2, 20), overrides=overrides) == []
    assert find_occurrence(catalog, feb.id, overrides=overrides).starts_at == utc(2027, 2, 3, 12)


def test_events_from_the_catalog_and_added_ones(tmp_path: Path) -> None:
    catalog = with_changes(
        tmp_path,
        "UBS",
        events=[
            {
                "title": {
                    "en": "Webinar: water operators",
                    "fr": "Webinaire : opérateurs de l'eau",
                    "es": "Seminario web: operadores de agua",
                },
                "start": "2026-12-03 15:00",
                "duration_minutes": 45,
            }
        ],
    )
    added = AddedEvent(
        "UBS:event:2026-12-10T09:00", "UBS", "Training: solid waste", utc(2026, 12, 10, 6)
    )
    found = community_occurrences(catalog.get("UBS"), NOW, utc(2027, 1, 1), added_events=[added])
    assert [(o.id, o.kind, o.title_in("fr")) for o in found] == [
        ("UBS:event:2026-12-03T15:00", "event", "Webinaire : opérateurs de l'eau"),
        ("UBS:event:2026-12-10T09:00", "event", "Training: solid waste"),
        (
            "UBS:0:2026-12-16T10:00",
            "meeting",
            "Réunion de la communauté Services urbains de base (UBS)",
        ),
    ]
    assert found[0].starts_at == utc(2026, 12, 3, 12) and found[0].duration == timedelta(minutes=45)


def test_themes_in_the_catalog_by_local_date(tmp_path: Path) -> None:
    catalog = with_changes(
        tmp_path,
        "CC",
        meetings=[
            {
                "rrule": "FREQ=MONTHLY;INTERVAL=2;BYDAY=4TU",
                "start_date": "2026-02-01",
                "time": "13:00",
                "themes": {"2026-12-22": "Climate finance and the Green Climate Fund"},
            }
        ],
    )
    dec, feb = community_occurrences(catalog.get("CC"), NOW, utc(2027, 3, 1))
    assert dec.theme == "Climate finance and the Green Climate Fund" and feb.theme == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"events": [{"title": "Webinar", "start": "next Tuesday"}]}, "YYYY-MM-DD HH:MM"),
        ({"events": [{"title": "Webinar", "start": "2026-12-03 15:00+01:00"}]}, "without offset"),
        ({"events": [{"title": " ", "start": "2026-12-03 15:00"}]}, "needs a title"),
        (
            {
                "events": [
                    {"title": "A", "start": "2026-12-03 15:00"},
                    {"title": "B", "start": "2026-12-03 15:00"},
                ]
            },
            "two events start at 2026-12-03 15:00",
        ),
        ({"meetings": [{"themes": {"December": "x"}}]}, "keyed by the meeting's date"),
        ({"channel_language": "de"}, "channel_language"),
    ],
)
def test_catalog_events_and_themes_are_checked_with_clear_messages(
    tmp_path: Path, fields, message
) -> None:
    with pytest.raises(CatalogError) as caught:
        with_changes(tmp_path, "UBS", **fields)
    assert message in str(caught.value)
    assert "(UBS)" in str(caught.value)


def test_the_shipped_catalog_still_loads_unchanged() -> None:
    catalog = parse_catalog(CATALOG.read_text(), str(CATALOG))
    assert all(c.events == [] and c.channel_language == "en" for c in catalog)


# -- when posts are due ---------------------------------------------------------------------------


def test_posts_are_due_a_week_a_day_and_the_morning_before(catalog) -> None:
    dec = community_occurrences(catalog.get("UBS"), NOW, utc(2027, 1, 1))[0]  # 16 Dec 07:00 UTC
    policy = PostPolicy(announce_days=7, digest_hours=24, day_reminder=True)
    assert due_at(ANNOUNCEMENT, dec, policy) == utc(2026, 12, 9, 7)
    assert due_at(DIGEST, dec, policy) == utc(2026, 12, 15, 7)
    assert due_at(REMINDER, dec, policy) == utc(2026, 12, 16, 5)  # 08:00 in Nairobi
    early = replace(dec, starts_at=utc(2026, 12, 16, 4, 30))  # 07:30 in Nairobi
    assert due_at(REMINDER, early, policy) == utc(2026, 12, 16, 3, 30)  # an hour before

    def kinds(now: datetime) -> list[str]:
        return [p.kind for p in due_posts([dec], now, policy)]

    assert kinds(utc(2026, 12, 9, 6, 59)) == []
    assert kinds(utc(2026, 12, 9, 7)) == [ANNOUNCEMENT]
    assert kinds(utc(2026, 12, 15, 7)) == [ANNOUNCEMENT, DIGEST]
    assert kinds(utc(2026, 12, 16, 6, 59)) == [ANNOUNCEMENT, DIGEST, REMINDER]
    assert kinds(utc(2026, 12, 16, 7)) == []  # started: nothing more is due...
    assert [p.kind for p in missed_posts([dec], utc(2026, 12, 16, 7), policy)] == [
        ANNOUNCEMENT,
        REMINDER,
        DIGEST,
    ]
    assert [p.kind for p in due_posts([dec], utc(2026, 12, 15, 7), PostPolicy())] == [
        ANNOUNCEMENT,
        DIGEST,
    ]


def test_a_skipped_occurrence_gets_no_posts(catalog) -> None:
    dec = community_occurrences(
        catalog.get("UBS"),
        NOW,
        utc(2027, 1, 1),
        overrides={"UBS:0:2026-12-16T10:00": Override("UBS:0:2026-12-16T10:00", skipped=True)},
    )[0]
    assert due_posts([dec], utc(2026, 12, 15, 12), PostPolicy()) == []
    assert missed_posts([dec], utc(2026, 12, 17), PostPolicy()) == []


# -- dates as people read them --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "local", "in_utc", "short"),
    [
        (
            "en",
            "Wednesday, 16 December 2026, 10:00 Nairobi time",
            "Wednesday, 16 December 2026, 07:00 UTC",
            "16 December 2026, 10:00 Nairobi time",
        ),
        (
            "fr",
            "mercredi 16 décembre 2026, 10:00 heure de Nairobi",
            "mercredi 16 décembre 2026, 07:00 UTC",
            "16 décembre 2026, 10:00 heure de Nairobi",
        ),
        (
            "es",
            "miércoles, 16 de diciembre de 2026, 10:00 hora de Nairobi",
            "miércoles, 16 de diciembre de 2026, 07:00 UTC",
            "16 de diciembre de 2026, 10:00 hora de Nairobi",
        ),
    ],
)
def test_dates_in_three_languages(lang, local, in_utc, short) -> None:
    at = utc(2026, 12, 16, 7)
    assert when_local(at, "Africa/Nairobi", lang) == local
    assert when_utc(at, lang) == in_utc
    assert short_local(at, "Africa/Nairobi", lang) == short


def test_a_zone_is_named_by_its_city_in_the_readers_language() -> None:
    at = utc(2026, 12, 16, 7)
    assert when_local(at, "America/Sao_Paulo", "en").endswith("04:00 Sao Paulo time")
    assert when_local(at, "America/Sao_Paulo", "fr").endswith("04:00 heure de São Paulo")
    assert when_local(at, "Asia/Kolkata", "es").endswith("12:30 hora de Calcuta")
    assert short_local(at, "UTC", "en") == "16 December 2026, 07:00 UTC"
