"""Practice areas' meeting series and event formats through the real app: people follow LHS Finance
in words (English, French, Spanish), its meeting is announced once in its own channel and in each
follower's chat, the calendar feeds show every series with its format, a question in advance goes
to its series' meeting (and rolls over only there), a focal point adds a workshop in words, and the
catalog check refuses an unknown format or zone.

LHS is mapped by an overlay (as an admin does per environment): its team and CoP-wide channel,
Bruno as its focal point, and two of its practice areas: Finance with its own channel (third
Thursday, 14:00 Nairobi = 11:00 UTC: Thursday 17 December 2026) and Governance in the CoP's
channel (first Tuesday: 5 January 2027).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from sqlalchemy import select

from copbot.clock import FakeClock
from copbot.store.meetings_models import MeetingFollower, MeetingPost, MeetingQuestion
from tests.conftest import RunningBot
from tests.fakes.connector import Record, card_text
from tests.integration.test_cli_and_server import ROOT, run
from tests.support.bot_client import ALICE, BRUNO, CARMEN, DANIEL

TEAM = "19:lhs-team@thread.tacv2"
CHANNEL = "19:lhs-general@thread.tacv2"
FINANCE_CHANNEL = "19:lhs-finance@thread.tacv2"
FINANCE = "LHS:finance:0:2026-12-17T14:00"
FINANCE_JAN = "LHS:finance:0:2027-01-21T14:00"
GOVERNANCE = "LHS:governance:0:2027-01-05T14:00"
FINANCE_START = datetime(2026, 12, 17, 11, 0, tzinfo=UTC)
ANNOUNCE_AT = FINANCE_START - timedelta(days=7)


def overlay(tmp_path: Path) -> str:
    lhs = {
        "team_id": TEAM,
        "channel_id": CHANNEL,
        "focal_points": [{"name": BRUNO.name, "email": BRUNO.email, "aad_object_id": BRUNO.aad_id}],
        "series": [
            {
                "key": "finance",
                "title": {"en": "LHS Finance", "fr": "Finance LHS", "es": "Finanzas LHS"},
                "aliases": {"fr": ["finances"], "es": ["finanzas"]},
                "channel_id": FINANCE_CHANNEL,
                "meetings": [
                    {"rrule": "FREQ=MONTHLY;BYDAY=3TH", "start_date": "2026-01-01", "time": "14:00"}
                ],
            },
            {
                "key": "governance",
                "title": {"en": "LHS Governance", "fr": "Gouvernance LHS", "es": "Gobernanza LHS"},
                "format": "dialogue",
                "meetings": [
                    {"rrule": "FREQ=MONTHLY;BYDAY=1TU", "start_date": "2026-01-01", "time": "14:00"}
                ],
            },
        ],
    }
    path = tmp_path / "overlay.yaml"
    path.write_text(yaml.safe_dump({"communities": {"LHS": lhs}}, allow_unicode=True))
    return str(path)


@pytest.fixture
def start_bot(bot_factory: Callable[..., Any], tmp_path: Path, db_url: str, database: Any):
    """Starts the app on this test's database (SQLite and PostgreSQL), emptied first."""

    async def start(clock: FakeClock) -> RunningBot:
        bot = await bot_factory(
            database_url=db_url, clock=clock, CATALOG_OVERLAY_PATH=overlay(tmp_path)
        )
        await bot.client.install_in_team(TEAM, CHANNEL)
        return bot

    return start


def lhs(labels: list[str]) -> list[str]:
    """A tick's report about LHS (the other CoPs have no channel here)."""
    return sorted(label for label in labels if " LHS:" in label)


def posts_in(bot: RunningBot, channel: str) -> list[Record]:
    return [
        r
        for r in bot.connector.records
        if r.kind == "create" and r.conversation_id.startswith(channel)
    ]


def cards_to(bot: RunningBot, user) -> list[dict[str, Any]]:
    return [
        c
        for r in bot.connector.records
        if r.kind in {"create", "send", "reply"} and r.conversation_id.endswith(user.aad_id)
        for c in r.cards
    ]


async def say(bot: RunningBot, text: str, user, locale: str = "en-US") -> str:
    response = await bot.client.say(text, user, locale=locale)
    assert response.status in (200, 201)
    return " ".join(response.texts)


async def feed(bot: RunningBot, path: str) -> icalendar.Calendar:
    async with bot.client.session.get(f"{bot.base_url}{path}") as response:
        assert response.status == 200
        return icalendar.Calendar.from_ical(await response.read())


# -- following, in words ---------------------------------------------------------------------------


async def test_people_follow_and_unfollow_a_practice_area_in_three_languages(
    start_bot,
) -> None:
    bot = await start_bot(FakeClock(ANNOUNCE_AT - timedelta(days=1)))
    said = await say(bot, "follow LHS Finance", CARMEN)
    assert "You now follow **LHS Finance** (LHS)" in said
    assert "already follow" in await say(bot, "Follow LHS finance!", CARMEN)
    said = await say(bot, "suivre les finances de LHS", DANIEL, "fr-FR")
    assert "Vous suivez désormais **Finance LHS** (LHS)" in said
    said = await say(bot, "seguir Finanzas LHS", ALICE, "es-ES")
    assert "Ahora sigue **Finanzas LHS** (LHS)" in said
    said = await say(bot, "dejar de seguir Finanzas LHS", ALICE, "es-ES")
    assert "Ya no sigue **Finanzas LHS** (LHS)" in said
    assert "No sigue **Finanzas LHS**" in await say(
        bot, "dejar de seguir LHS finanzas", ALICE, "es-ES"
    )
    said = await say(bot, "ne plus suivre Gouvernance LHS", DANIEL, "fr-FR")
    assert "Vous ne suivez pas **Gouvernance LHS**" in said

    said = await say(bot, "follow LHS", CARMEN)  # which one?
    assert "Which practice area of LHS? LHS Finance, LHS Governance" in said
    said = await say(bot, "follow UBS water", CARMEN)  # UBS has no practice-area meetings
    assert "I don't know that practice area" in said and "LHS: LHS Finance, LHS Governance" in said

    async with bot.services.db.session() as session:
        rows = {(r.person_id, r.series) for r in await session.scalars(select(MeetingFollower))}
    assert rows == {(CARMEN.aad_id, "finance"), (DANIEL.aad_id, "finance")}


# -- announced in its own channel, to its followers -------------------------------------------------


async def test_a_practice_area_meeting_is_announced_once_in_its_channel_and_to_its_followers(
    start_bot,
) -> None:
    clock = FakeClock(ANNOUNCE_AT - timedelta(minutes=1))
    bot = await start_bot(clock)
    await say(bot, "follow LHS Finance", CARMEN)
    await say(bot, "suivre Finance LHS", DANIEL, "fr-FR")
    await say(bot, "hello", ALICE)  # talks to the bot, follows nothing
    service = bot.services.meetings
    assert lhs((await service.posting.tick()).sent) == []

    clock.advance(minutes=1)
    report = await service.posting.tick()
    assert lhs(report.sent) == [
        f"announcement {FINANCE}",
        f"notice {FINANCE} -> {CARMEN.aad_id}",
        f"notice {FINANCE} -> {DANIEL.aad_id}",
    ]
    (post,) = posts_in(bot, FINANCE_CHANNEL)
    text = card_text(post.card)
    assert "LHS Finance: Meeting" in text and "Practice area" in text and "Format" in text
    assert "Thursday, 17 December 2026, 14:00 Nairobi time" in text
    assert posts_in(bot, CHANNEL) == []  # the CoP-wide channel is not the practice area's
    (carmen,) = cards_to(bot, CARMEN)
    assert "LHS Finance" in card_text(carmen) and "Ask a question" in card_text(carmen)
    (daniel,) = cards_to(bot, DANIEL)
    assert "Finance LHS\u202f: Réunion" in card_text(daniel)  # in the follower's language
    assert cards_to(bot, ALICE) == []

    for _ in range(3):  # exactly once per series occurrence and recipient
        clock.advance(minutes=1)
        assert lhs((await service.posting.tick()).sent) == []
    async with bot.services.db.session() as session:
        keys = [
            (r.kind, r.occurrence_id, r.recipient)
            for r in await session.scalars(select(MeetingPost).where(MeetingPost.cop_id == "LHS"))
        ]
    assert len(keys) == len(set(keys)) == 3

    await say(bot, "follow LHS Finance", ALICE)  # following later: told at the next tick
    clock.advance(minutes=1)
    assert lhs((await service.posting.tick()).sent) == [f"notice {FINANCE} -> {ALICE.aad_id}"]
    assert len(posts_in(bot, FINANCE_CHANNEL)) == 1


# -- the calendar ---------------------------------------------------------------------------------


async def test_the_feeds_show_every_series_with_its_format(start_bot) -> None:
    bot = await start_bot(FakeClock(ANNOUNCE_AT))
    calendar = await feed(bot, "/calendar/LHS.ics")
    events = {str(e["UID"]).split("-")[1]: e for e in calendar.walk("VEVENT")}
    assert set(events) >= {"finance", "governance"}  # and the CoP-wide meetings
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "LHS Finance: Meeting" in summaries
    assert "LHS Governance: Dialogue" in summaries
    assert "Land, Housing and Shelter (LHS) meeting" in summaries
    finance = next(e for e in calendar.walk("VEVENT") if e.start.date().isoformat() == "2026-12-17")
    assert finance.start.astimezone(UTC) == FINANCE_START
    assert [str(c) for c in finance["CATEGORIES"].cats] == [
        "Land, Housing and Shelter (LHS)",
        "LHS Finance",
        "Meeting",
    ]
    assert "Practice area: LHS Finance" in str(finance["DESCRIPTION"])

    french = await feed(bot, "/calendar/all.ics?lang=fr")
    summaries = {str(e["SUMMARY"]) for e in french.walk("VEVENT")}
    assert {"Finance LHS\u202f: Réunion", "Gouvernance LHS\u202f: Dialogue"} <= summaries
    assert any("(UBS)" in s for s in summaries)  # the other CoPs are still there


# -- questions in advance, per series ---------------------------------------------------------------


async def test_a_question_goes_to_its_series_meeting_and_rolls_over_only_there(start_bot) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await start_bot(clock)
    service = bot.services.meetings
    await service.posting.tick()
    response = await bot.client.execute(
        "meetings_ask",
        {"occurrence": FINANCE, "question": "How do we finance incremental housing?"},
        CARMEN,
        conversation={"id": FINANCE_CHANNEL, "conversationType": "channel", "tenantId": "t"},
    )
    assert response.status == 200
    async with bot.services.db.session() as session:
        (question,) = list(await session.scalars(select(MeetingQuestion)))
    assert question.occurrence_id == FINANCE and question.cop_id == "LHS"

    finance = await service.calendar.occurrence(FINANCE)
    governance = await service.calendar.occurrence(GOVERNANCE)
    later = await service.calendar.occurrence(FINANCE_JAN)
    assert [q.text for q in await service.questions.digest_questions(finance)] == [question.text]
    assert await service.questions.digest_questions(governance) == []  # another series
    rolled = await service.questions.digest_questions(later)  # unanswered: the next Finance one
    assert [q.text for q in rolled] == [question.text]

    clock.set(FINANCE_START - timedelta(hours=24))  # the digest reaches the focal point
    report = await service.posting.tick()
    assert f"digest {FINANCE} -> {BRUNO.aad_id}" in lhs(report.sent)
    digest = next(c for c in cards_to(bot, BRUNO) if "Questions sent" in card_text(c))
    assert "How do we finance incremental housing?" in card_text(digest)

    clock.set(FINANCE_START + timedelta(minutes=5))  # asked once the meeting started
    result = await service.questions.ask(FINANCE, ALICE.aad_id, ALICE.name, "en", "And land?")
    assert result.next_occurrence is not None and result.next_occurrence.id == FINANCE_JAN


# -- a one-off event with a format ------------------------------------------------------------------


async def test_a_focal_point_adds_a_workshop_in_words_and_it_is_announced_and_in_the_feed(
    start_bot,
) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 13, tzinfo=UTC))  # a week before 8 December
    bot = await start_bot(clock)
    await say(bot, "hello", BRUNO)
    said = await say(
        bot, "add a seminar to LHS Finance on 2026-12-08 15:00: Land value capture", BRUNO
    )
    assert "I don't know the format seminar" in said
    assert "Workshop" in said and "Experts' round table" in said and "Co-creation session" in said
    said = await say(
        bot, "ajouter un séminaire à LHS Finance le 2026-12-08 15:00 : Captation", BRUNO, "fr-FR"
    )
    assert "Je ne connais pas le format seminaire" in said and "Atelier" in said
    said = await say(
        bot, "add a workshop to LHS Finance on 2026-12-08 15:00: Land value capture", CARMEN
    )
    assert "Only the focal points of Land, Housing and Shelter (LHS)" in said  # not hers to add

    response = await bot.client.say(
        "add a workshop to LHS Finance on 2026-12-08 15:00 for 90 minutes: Land value capture",
        BRUNO,
    )
    assert response.status in (200, 201) and response.cards
    event_id = "LHS:finance:event:2026-12-08T15:00"
    occ = await bot.services.meetings.calendar.occurrence(event_id)
    assert occ is not None and occ.format == "workshop" and occ.series == "finance"

    report = await bot.services.meetings.posting.tick()  # a week before: due now
    assert f"announcement {event_id}" in lhs(report.sent)
    (post,) = [
        p for p in posts_in(bot, FINANCE_CHANNEL) if "Land value capture" in card_text(p.card)
    ]
    text = card_text(post.card)
    assert "Workshop" in text and "LHS Finance" in text and "90 minutes" in text

    calendar = await feed(bot, "/calendar/LHS.ics")
    (event,) = [e for e in calendar.walk("VEVENT") if "Land value capture" in str(e["SUMMARY"])]
    assert str(event["SUMMARY"]) == "LHS Finance: Land value capture (Workshop)"
    assert "Workshop" in [str(c) for c in event["CATEGORIES"].cats]
    assert event.start.astimezone(UTC) == datetime(2026, 12, 8, 12, tzinfo=UTC)


async def test_an_event_with_an_unknown_series_or_format_is_refused_with_the_choices(
    start_bot,
) -> None:
    from copbot.meetings import MeetingsError

    bot = await start_bot(FakeClock(datetime(2026, 12, 1, 9, tzinfo=UTC)))
    editing = bot.services.meetings.editing
    with pytest.raises(MeetingsError) as refused:
        await editing.add_event(
            "LHS", "", datetime(2026, 12, 9, 10), series="finance", format_="gala", by="test"
        )
    assert refused.value.text("es").startswith("No conozco el formato gala. Los formatos son: ")
    with pytest.raises(MeetingsError) as refused:
        await editing.add_event("LHS", "", datetime(2026, 12, 9, 10), series="housing", by="t")
    assert "(LHS) has no practice area housing" in refused.value.text("en")
    assert "finance, governance" in refused.value.text("en")


# -- the catalog check ------------------------------------------------------------------------------


def catalog_with(tmp_path: Path, **series: Any) -> Path:
    data = yaml.safe_load((ROOT / "catalog" / "communities.yaml").read_text())
    lhs = next(c for c in data["communities"] if c["id"] == "LHS")
    lhs["series"][3].update(series)
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_check_config_shows_the_shipped_practice_areas(tmp_path: Path) -> None:
    result = run(tmp_path, "check-config")
    assert result.returncode == 0, result.stderr


def test_check_config_refuses_a_series_with_an_unknown_format_or_zone(tmp_path: Path) -> None:
    path = catalog_with(tmp_path, format="gala", time_zone="Mars/Olympus")
    result = run(tmp_path, "check-config", CATALOG_PATH=str(path))
    assert result.returncode == 1
    assert (
        "(LHS).series[3].format: unknown event format 'gala': one of meeting, webinar, workshop, "
        "training, round-table, dialogue, co-creation" in result.stdout
    )
    assert "(LHS).series[3].time_zone: unknown IANA time zone 'Mars/Olympus'" in result.stdout
    assert "2 problems found" in result.stderr


# -- offered on joining -----------------------------------------------------------------------------


async def test_joining_lhs_offers_its_practice_areas_and_the_choice_is_kept(start_bot) -> None:
    from tests.integration.test_membership_flow import (
        approval_cards_of,
        conversation,
        execute_data,
        outbox_of,
    )

    clock = FakeClock(ANNOUNCE_AT - timedelta(days=1))
    bot = await start_bot(clock)

    async def until(found: Callable[[], list[Any]]) -> list[Any]:
        """Drain the outbox; a send that failed on a busy machine is retried after its backoff."""
        for _ in range(4):
            await outbox_of(bot).drain()
            if found():
                break
            clock.advance(minutes=5)
        return found()

    await say(bot, "join LHS as my primary", CARMEN)
    (approval,) = await until(lambda: approval_cards_of(bot.connector, BRUNO))
    response = await bot.client.execute(
        "membership.approve",
        execute_data(approval.card, "membership.approve"),
        BRUNO,
        conversation=conversation(BRUNO),
    )
    assert response.status == 200
    (welcome,) = await until(
        lambda: [c for c in cards_to(bot, CARMEN) if "Welcome to" in card_text(c)]
    )
    text = card_text(welcome)
    assert "LHS has practice areas that meet on their own" in text
    (choice,) = [e for e in welcome["body"] if e.get("type") == "Input.ChoiceSet"]
    assert [c["value"] for c in choice["choices"]] == ["finance", "governance"]
    assert [c["title"] for c in choice["choices"]] == ["LHS Finance", "LHS Governance"]
    (follow,) = [
        a for a in welcome["actions"] if a.get("data", {}).get("verb") == "meetings_follow"
    ]

    response = await bot.client.submit({**follow["data"], "series": "finance,governance"}, CARMEN)
    assert "You follow: LHS Finance, LHS Governance." in " ".join(response.texts)
    response = await bot.client.submit({**follow["data"], "series": ""}, CARMEN)
    assert "Which practice area of LHS?" in " ".join(response.texts)
    response = await bot.client.submit({**follow["data"], "series": ["x"]}, CARMEN)
    assert response.status < 500  # a damaged card is answered, never a 500
    async with bot.services.db.session() as session:
        rows = {(r.person_id, r.series) for r in await session.scalars(select(MeetingFollower))}
    assert rows == {(CARMEN.aad_id, "finance"), (CARMEN.aad_id, "governance")}


# -- from the terminal ------------------------------------------------------------------------------


async def test_copbot_meetings_add_takes_a_series_and_a_format(tmp_path: Path) -> None:
    from copbot.clock import SystemClock
    from tests.integration.test_meetings_cli import copbot

    db_url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    path = overlay(tmp_path)
    day = (SystemClock().now() + timedelta(days=20)).strftime("%Y-%m-%d")
    args = ("add", "--cop", "LHS", "--series", "finance", "--at", f"{day} 15:00")
    code, out = await copbot(tmp_path, db_url, path, *args, "--format", "workshop")
    assert code == 0, out
    assert f"Added: LHS:finance:event:{day}T15:00" in out and "LHS Finance: Workshop" in out
    code, out = await copbot(tmp_path, db_url, path, "list", "LHS")
    assert f"LHS:finance:event:{day}T15:00" in out and "(Workshop)" in out

    code, out = await copbot(tmp_path, db_url, path, *args, "--format", "gala")
    assert code == 2
    assert (
        "--format is one of meeting, webinar, workshop, training, round-table, dialogue, "
        "co-creation, not 'gala'" in out
    )
    code, out = await copbot(
        tmp_path, db_url, path, "add", "--cop", "LHS", "--series", "housing", "--at", f"{day} 16:00"
    )
    assert code == 1 and "has no practice area housing" in out and "finance, governance" in out

    code, out = await copbot(tmp_path, db_url, path, "skip", "LHS", "--series", "governance")
    assert code == 0 and "Cancelled: LHS:governance:0:" in out
    code, out = await copbot(tmp_path, db_url, path, "skip", "LHS")  # its CoP-wide meetings
    assert code == 0 and "Cancelled: LHS:0:" in out


# -- two instances ----------------------------------------------------------------------------------


async def test_two_instances_announce_a_practice_area_meeting_once_per_recipient(
    bot_factory: Callable[..., Any], tmp_path: Path, db_url: str, database: Any
) -> None:
    import asyncio
    import time

    from tests.integration.test_meetings_instances import run_instance

    path = overlay(tmp_path)
    bot = await bot_factory(
        database_url=db_url, clock=FakeClock(ANNOUNCE_AT), CATALOG_OVERLAY_PATH=path
    )
    await bot.client.install_in_team(TEAM, CHANNEL)
    await say(bot, "follow LHS Finance", CARMEN)
    await say(bot, "suivre Finance LHS", DANIEL, "fr-FR")
    at = (ANNOUNCE_AT + timedelta(minutes=1)).isoformat()
    start_at = time.time() + 4
    first, second = await asyncio.gather(
        run_instance(tmp_path, db_url, path, at, start_at),
        run_instance(tmp_path, db_url, path, at, start_at),
    )
    assert len(posts_in(bot, FINANCE_CHANNEL)) == 1
    assert len(cards_to(bot, CARMEN)) == 1 and len(cards_to(bot, DANIEL)) == 1
    assert lhs(first["sent"] + second["sent"]) == [
        f"announcement {FINANCE}",
        f"notice {FINANCE} -> {CARMEN.aad_id}",
        f"notice {FINANCE} -> {DANIEL.aad_id}",
    ]


async def test_a_focal_point_skips_the_next_meeting_of_one_practice_area(start_bot) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await start_bot(clock)
    await bot.services.meetings.posting.tick()
    assert "Only the focal points" in await say(bot, "skip the next LHS Finance meeting", CARMEN)
    response = await bot.client.say("skip the next LHS Finance meeting", BRUNO)
    assert response.status in (200, 201) and "Cancelled" in card_text(response.cards[0])
    calendar = bot.services.meetings.calendar
    assert (await calendar.occurrence(FINANCE)).skipped
    assert not (await calendar.occurrence(GOVERNANCE)).skipped
    # the notice is a reply in the announcement's thread (`<channel>;messageid=<root id>`)
    in_channel = [
        r
        for r in bot.connector.records
        if r.conversation_id.startswith(FINANCE_CHANNEL) and r.kind != "update" and r.cards
    ]
    (notice,) = [p for p in in_channel if "Cancelled" in card_text(p.card)]
    assert "LHS Finance: Meeting" in card_text(notice.card)
    events = (await feed(bot, "/calendar/LHS.ics")).walk("VEVENT")
    (cancelled,) = [e for e in events if str(e["STATUS"]) == "CANCELLED"]
    assert str(cancelled["SUMMARY"]) == "LHS Finance: Meeting" and int(cancelled["SEQUENCE"]) == 1


async def test_my_calendar_has_the_practice_areas_i_follow(start_bot) -> None:
    bot = await start_bot(FakeClock(ANNOUNCE_AT))
    await say(bot, "follow LHS Finance", CARMEN)  # not a member of LHS
    response = await bot.client.say("my calendar", CARMEN)
    text = card_text(response.cards[0])
    assert "LHS Finance: Meeting" in text and "LHS Governance" not in text
    assert "Land, Housing and Shelter (LHS) meeting" not in text
