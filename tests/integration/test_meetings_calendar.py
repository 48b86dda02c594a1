"""The iCalendar feeds Outlook subscribes to: /calendar/all.ics and /calendar/{CoP}.ics, parsed
with the `icalendar` library: right local times with their zone, the right UTC instant, stable
UIDs, SEQUENCE bumped by a move, STATUS:CANCELLED for a skipped meeting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest

from copbot.clock import FakeClock
from tests.conftest import RunningBot
from tests.integration.test_meetings_flow import DEC, FEB, overlay

NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)


async def get(bot: RunningBot, path: str) -> tuple[int, str, bytes]:
    async with bot.client.session.get(f"{bot.base_url}{path}") as response:
        return response.status, response.headers.get("Content-Type", ""), await response.read()


@pytest.fixture
async def bot(bot_factory: Callable[..., Any], tmp_path: Path) -> RunningBot:
    return await bot_factory(clock=FakeClock(NOW), CATALOG_OVERLAY_PATH=overlay(tmp_path))


async def test_a_cops_feed_has_its_meetings_in_its_zone_with_the_right_instant(
    bot: RunningBot,
) -> None:
    status, content_type, body = await get(bot, "/calendar/UBS.ics")
    assert status == 200 and content_type == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Urban Basic Services (UBS)"
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Africa/Nairobi"
    found = calendar.walk("VEVENT")
    assert 6 <= len(found) <= 8  # every other month, a year ahead (and the last month)
    dec = next(e for e in found if e.start.date().isoformat() == "2026-12-16")
    assert "DTSTART;TZID=Africa/Nairobi:20261216T100000" in dec.to_ical().decode()
    assert dec.start.tzinfo is not None and str(dec.start.tzinfo) == "Africa/Nairobi"
    assert dec.start.astimezone(UTC) == datetime(2026, 12, 16, 7, tzinfo=UTC)
    assert dec.end.astimezone(UTC) == datetime(2026, 12, 16, 8, 30, tzinfo=UTC)
    assert str(dec["SUMMARY"]) == "Urban Basic Services (UBS) meeting"
    assert str(dec["STATUS"]) == "CONFIRMED" and int(dec["SEQUENCE"]) == 0
    _, _, again = await get(bot, "/calendar/UBS.ics")
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(again).walk("VEVENT")] == [
        str(e["UID"]) for e in found
    ]


async def test_the_all_feed_has_every_cop_and_is_one_valid_calendar(bot: RunningBot) -> None:
    status, _, body = await get(bot, "/calendar/all.ics")
    assert status == 200
    calendar = icalendar.Calendar.from_ical(body)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    for cop in ("PLG", "SHRSI", "PFE", "UBS", "LHS", "CC"):
        assert any(f"({cop}) meeting" in s for s in summaries), cop
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Africa/Nairobi"]


async def test_a_move_bumps_the_sequence_and_a_skip_cancels_the_same_uid(bot: RunningBot) -> None:
    service = bot.services.meetings
    _, _, before = await get(bot, "/calendar/UBS.ics")
    uids = {
        e.start.date().isoformat(): str(e["UID"])
        for e in icalendar.Calendar.from_ical(before).walk("VEVENT")
    }
    await service.editing.skip(await service.calendar.resolve("UBS", DEC), "test")
    await service.editing.move(
        await service.calendar.resolve("UBS", FEB), datetime(2027, 2, 18, 15, 30), "test"
    )
    _, _, after = await get(bot, "/calendar/UBS.ics")
    by_uid = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(after).walk("VEVENT")}
    dec = by_uid[uids["2026-12-16"]]
    assert str(dec["STATUS"]) == "CANCELLED" and int(dec["SEQUENCE"]) == 1
    feb = by_uid[uids["2027-02-17"]]
    assert feb.start.astimezone(UTC) == datetime(2027, 2, 18, 12, 30, tzinfo=UTC)
    assert int(feb["SEQUENCE"]) == 1 and str(feb["STATUS"]) == "CONFIRMED"


async def test_one_occurrence_for_add_to_calendar_and_french_titles(bot: RunningBot) -> None:
    status, _, body = await get(bot, f"/calendar/UBS.ics?occurrence={DEC}&lang=fr")
    assert status == 200
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Réunion de la communauté Services urbains de base (UBS)"
    assert event.start.astimezone(UTC) == datetime(2026, 12, 16, 7, tzinfo=UTC)
    status, _, body = await get(bot, "/calendar/UBS.ics?occurrence=UBS:0:2026-12-17T10:00")
    assert status == 404 and b"No meeting" in body


async def test_an_unknown_cop_is_a_404_that_says_why(bot: RunningBot) -> None:
    status, content_type, body = await get(bot, "/calendar/XYZ.ics")
    assert status == 404 and content_type.startswith("text/plain")
    assert b"No Community of Practice 'XYZ'" in body and b"UBS" in body


async def test_a_cop_in_a_daylight_saving_zone_gets_both_offsets(
    bot_factory: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "dst.yaml"
    path.write_text(
        "communities:\n  CC:\n    time_zone: Europe/Madrid\n    meetings:\n"
        "      - {rrule: 'FREQ=MONTHLY;BYDAY=-1SU', start_date: '2026-09-01', time: '10:00'}\n"
    )
    bot = await bot_factory(clock=FakeClock(NOW), CATALOG_OVERLAY_PATH=str(path))
    _, _, body = await get(bot, "/calendar/CC.ics")
    calendar = icalendar.Calendar.from_ical(body)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Madrid"
    assert zone.walk("DAYLIGHT") and zone.walk("STANDARD")
    starts = {e.start.date().isoformat(): e.start for e in calendar.walk("VEVENT")}
    assert starts["2027-03-28"].astimezone(UTC) == datetime(2027, 3, 28, 8, tzinfo=UTC)  # summer
    assert starts["2027-02-28"].astimezone(UTC) == datetime(2027, 2, 28, 9, tzinfo=UTC)  # winter
    assert all(s.hour == 10 for s in starts.values())
