"""CoP meetings through the real app: the tick posts the announcement once in the CoP's channel
(also after a restart, late when the app was down, never after the meeting started), questions
from the card reach the focal points' digest, "Mark answered" tells the asker, unanswered ones
roll over, focal points skip or move a meeting, and the chat shows the calendar.

UBS is mapped to a team channel by an overlay (as an admin does per environment), with Bruno as
its focal point. Its next meeting: Wednesday 16 December 2026, 10:00 in Nairobi = 07:00 UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import structlog
from sqlalchemy import select, update

from copbot.clock import FakeClock
from copbot.meetings.claims import LEASE
from copbot.store.meetings_models import MeetingPost, MeetingQuestion
from tests.conftest import RunningBot
from tests.fakes.connector import Record, card_text
from tests.support.bot_client import ALICE, BRUNO, CARMEN

TEAM = "19:ubs-team@thread.tacv2"
CHANNEL = "19:ubs-general@thread.tacv2"
DEC = "UBS:0:2026-12-16T10:00"
FEB = "UBS:0:2027-02-17T10:00"
DEC_START = datetime(2026, 12, 16, 7, 0, tzinfo=UTC)
FEB_START = datetime(2027, 2, 17, 7, 0, tzinfo=UTC)
ANNOUNCE_AT = DEC_START - timedelta(days=7)
DIGEST_AT = DEC_START - timedelta(hours=24)


def overlay(tmp_path: Path, **extra: str) -> str:
    path = tmp_path / "overlay.yaml"
    lines = [
        "communities:",
        "  UBS:",
        f"    team_id: '{TEAM}'",
        f"    channel_id: '{CHANNEL}'",
        "    focal_points:",
        f"      - {{name: {BRUNO.name}, email: {BRUNO.email}, aad_object_id: {BRUNO.aad_id}}}",
    ]
    lines += [f"    {k}: {v}" for k, v in extra.items()]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture
def start_bot(bot_factory: Callable[..., Any], tmp_path: Path, db_url: str):
    """Starts the app on this test's database (SQLite and PostgreSQL) with UBS mapped."""

    async def start(clock: FakeClock, **settings: Any) -> RunningBot:
        return await bot_factory(
            database_url=db_url,
            clock=clock,
            CATALOG_OVERLAY_PATH=overlay(tmp_path),
            **settings,
        )

    return start


@pytest.fixture
async def clean_db(db_url: str, database):
    return db_url


def ubs(labels: list[str]) -> list[str]:
    """A tick's report about UBS (the other CoPs have no channel here: their posts fail)."""
    return [label for label in labels if " UBS:" in label]


def answer(bot: RunningBot, response, user=ALICE) -> dict[str, Any]:
    """The card the bot answered with in the person's chat (not what it posted elsewhere)."""
    here = bot.client.personal_conversation(user)
    return next(c for r in response.replies if r.conversation_id == here for c in r.cards)


def channel_posts(bot: RunningBot) -> list[Record]:
    return [
        r
        for r in bot.connector.records
        if r.kind == "create" and r.conversation_id.startswith(CHANNEL)
    ]


def to_person(bot: RunningBot, user) -> list[Record]:
    return [
        r
        for r in bot.connector.records
        if r.kind in {"create", "send", "reply"} and r.conversation_id.endswith(user.aad_id)
    ]


def digests(bot: RunningBot) -> list[Record]:
    return [r for r in to_person(bot, BRUNO) if r.cards and "Questions sent" in card_text(r.card)]


async def meetings(bot: RunningBot):
    return bot.services.meetings


async def installed(clock: FakeClock, start_bot) -> RunningBot:
    bot = await start_bot(clock)
    await bot.client.install_in_team(TEAM, CHANNEL)
    return bot


async def rows(bot: RunningBot, model=MeetingPost) -> list[Any]:
    async with bot.services.db.session() as session:
        return list(await session.scalars(select(model)))


def channel_conversation() -> dict[str, str]:
    return {"id": CHANNEL, "conversationType": "channel", "tenantId": "t"}


# -- the announcement, exactly once ---------------------------------------------------------------


async def test_announcement_is_posted_once_a_week_before_in_the_cops_channel(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(ANNOUNCE_AT - timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    assert "meetings.tick" in bot.components.runner.job_ids()  # APScheduler runs it every minute

    await service.posting.tick()
    assert channel_posts(bot) == []

    clock.advance(minutes=1)
    report = await service.posting.tick()
    assert ubs(report.sent) == [f"announcement {DEC}"]
    (post,) = channel_posts(bot)
    text = card_text(post.card)
    assert "Urban Basic Services (UBS) meeting" in text
    assert "Wednesday, 16 December 2026, 10:00 Nairobi time" in text
    assert "Wednesday, 16 December 2026, 07:00 UTC" in text
    assert "Ask a question" in text
    assert post.card["version"] == "1.5" and post.card["fallbackText"]
    (calendar,) = [a for a in post.card["actions"] if a["type"] == "Action.OpenUrl"]
    assert calendar["title"] == "Add to calendar"
    assert calendar["url"].startswith(f"{bot.services.config.public_base_url}/calendar/UBS.ics?")
    ask, follow_up = [a for a in post.card["actions"] if a["type"] == "Action.Execute"]
    assert ask["verb"] == "meetings_ask" and ask["data"] == {"occurrence": DEC}
    assert follow_up["verb"] == "meetings_followup_form"  # for the focal points, after it
    assert any(e.get("type") == "Input.Text" and e["id"] == "question" for e in post.card["body"])

    for _ in range(3):
        clock.advance(minutes=1)
        await service.posting.tick()
    assert len(channel_posts(bot)) == 1


def post_metric(bot, kind: str, outcome: str) -> float:
    """copbot_meeting_posts_total{kind, outcome}, as /metrics shows it."""
    value = bot.services.metrics.registry.get_sample_value(
        "copbot_meeting_posts_total", {"kind": kind, "outcome": outcome}
    )
    return value or 0.0


async def test_a_restart_on_the_same_database_does_not_post_again(clean_db: str, start_bot) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    first = await installed(clock, start_bot)
    await (await meetings(first)).posting.tick()
    assert len(channel_posts(first)) == 1

    second = await start_bot(clock)  # a new app, same database: what a restart is
    clock.advance(minutes=5)
    report = await (await meetings(second)).posting.tick()
    assert ubs(report.sent) == []
    assert len(channel_posts(second)) == 1  # the same fake connector saw both apps


async def test_a_post_missed_while_down_is_sent_late_if_the_meeting_has_not_started(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(DEC_START - timedelta(days=2))  # down from before T-7d until T-2d
    bot = await installed(clock, start_bot)
    report = await (await meetings(bot)).posting.tick()
    assert f"announcement {DEC}" in ubs(report.sent)
    assert "16 December 2026" in card_text(channel_posts(bot)[0].card)
    assert post_metric(bot, "announcement", "late") >= 1  # operators see it went out late


async def test_a_post_missed_until_the_meeting_started_is_skipped_not_sent(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(DEC_START + timedelta(minutes=30))
    bot = await installed(clock, start_bot)
    report = await (await meetings(bot)).posting.tick()
    assert channel_posts(bot) == []
    assert f"announcement {DEC}" in ubs(report.skipped)
    (row,) = [r for r in await rows(bot) if r.occurrence_id == DEC and r.kind == "announcement"]
    assert row.status == "skipped" and row.reason == "meeting_started"
    skipped = post_metric(bot, "announcement", "skipped")
    assert skipped >= 1
    clock.advance(hours=1)
    assert ubs((await (await meetings(bot)).posting.tick()).skipped) == []  # recorded once
    assert post_metric(bot, "announcement", "skipped") == skipped


async def test_a_claim_left_by_a_crashed_instance_is_not_sent_twice(
    clean_db: str, start_bot
) -> None:
    """Claimed but never recorded: Teams may have the post, so it is settled as unknown, not resent."""
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    await service.posting.tick()
    async with bot.services.db.session() as session:  # as if the process died mid-send
        await session.execute(
            update(MeetingPost)
            .where(MeetingPost.kind == "announcement", MeetingPost.occurrence_id == DEC)
            .values(status="claimed", claimed_by="crashed:1", lease_until=clock.now() + LEASE)
        )
    clock.advance(LEASE / 2)
    assert (
        ubs((await service.posting.tick()).sent) == []
    )  # the lease still runs: maybe it is still sending
    clock.advance(LEASE)
    report = await service.posting.tick()
    assert ubs(report.sent) == [] and f"announcement {DEC}" in ubs(report.skipped)
    (row,) = [r for r in await rows(bot) if r.occurrence_id == DEC and r.kind == "announcement"]
    assert row.status == "skipped" and row.reason.startswith("outcome_unknown")
    assert len(channel_posts(bot)) == 1


async def test_a_failed_send_is_tried_again_and_posted_once(clean_db: str, start_bot) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    bot.connector.fail_next = 1
    report = await service.posting.tick()
    assert ubs(report.failed) == [f"announcement {DEC}"] and channel_posts(bot) == []
    clock.advance(seconds=30)
    assert ubs((await service.posting.tick()).sent) == []  # backing off
    clock.advance(minutes=2)
    assert ubs((await service.posting.tick()).sent) == [f"announcement {DEC}"]
    assert len(channel_posts(bot)) == 1


async def test_a_failed_send_keeps_its_reason_and_its_traceback(clean_db: str, start_bot) -> None:
    """Teams answered 503: the post records what failed, the log keeps the traceback, and the next
    try waits the backoff of the one retry policy (a minute, plus at most 10 % jitter)."""
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    bot.connector.fail_next = 1
    with structlog.testing.capture_logs() as logs:
        await (await meetings(bot)).posting.tick()
    (row,) = [r for r in await rows(bot) if r.occurrence_id == DEC and r.kind == "announcement"]
    assert row.status == "failed" and "ServiceUnavailable" in row.reason  # the error code
    wait = row.next_attempt_at.replace(tzinfo=UTC) - clock.now()
    assert timedelta(minutes=1) <= wait <= timedelta(minutes=1, seconds=6)
    (failed,) = [e for e in logs if e["event"] == "meetings.post_failed" and e["cop_id"] == "UBS"]
    assert failed["log_level"] == "warning" and failed["reason"] == row.reason
    assert isinstance(failed["exc_info"], Exception)  # rendered as a traceback by the app's logs


async def test_a_post_the_bot_cannot_deliver_yet_says_why_without_a_traceback(
    clean_db: str, start_bot
) -> None:
    """The focal point never chatted with the bot and no conversation is known at all: an expected
    failure, recorded with its reason, logged without a traceback, tried again."""
    clock = FakeClock(DIGEST_AT - timedelta(hours=1))
    bot = await start_bot(clock)  # never installed anywhere: no conversation to start from
    service = await meetings(bot)
    await service.questions.ask(DEC, CARMEN.aad_id, CARMEN.name, "en", "Who else works on NRW?")
    clock.advance(hours=1, minutes=1)
    with structlog.testing.capture_logs() as logs:
        report = await service.posting.tick()
    assert f"digest {DEC} -> {BRUNO.aad_id}" in ubs(report.failed)
    (row,) = [r for r in await rows(bot) if r.occurrence_id == DEC and r.kind == "digest"]
    assert row.status == "failed" and row.reason.startswith("no_conversation: ")
    (failed,) = [e for e in logs if e["event"] == "meetings.post_failed" and e["kind"] == "digest"]
    assert failed["reason"] == row.reason and "exc_info" not in failed


async def test_a_cop_whose_team_does_not_have_the_bot_is_reported_not_silently_skipped(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await start_bot(clock)  # not installed in the UBS team yet
    async with bot.client.session.get(f"{bot.base_url}/readyz") as response:
        body = await response.json()
    assert response.status == 200
    missing = body["checks"]["meetings"]["channels_missing"]
    assert "not installed" in missing["UBS"] and "channel_id is empty" in missing["CC"]
    assert any("meetings: UBS" in w for w in body["warnings"])

    report = await (await meetings(bot)).posting.tick()
    assert f"announcement {DEC}" in ubs(report.failed)  # tried again until the meeting starts

    await bot.client.install_in_team(TEAM, CHANNEL)
    async with bot.client.session.get(f"{bot.base_url}/readyz") as response:
        body = await response.json()
    assert "UBS" not in body["checks"]["meetings"]["channels_missing"]
    clock.advance(minutes=5)
    assert f"announcement {DEC}" in ubs((await (await meetings(bot)).posting.tick()).sent)
    assert len(channel_posts(bot)) == 1


# -- questions in advance ----------------------------------------------------------------------------


async def ask(bot: RunningBot, question: str, user=CARMEN, occurrence: str = DEC):
    return await bot.client.execute(
        "meetings_ask",
        {"occurrence": occurrence, "question": question},
        user,
        conversation=channel_conversation(),
    )


async def test_a_question_from_the_card_is_acknowledged_privately_and_reaches_the_digest(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    await service.posting.tick()
    before = len(bot.connector.records)

    clock.advance(days=1)
    response = await ask(bot, "How do utilities *finance* non-revenue water reduction?")
    assert response.status == 200
    ack = response.body["value"]
    text = card_text(ack)
    assert "your question was sent to the focal points" in text
    assert "How do utilities \\*finance\\* non-revenue water reduction?" in text  # escaped
    assert "Only you see this confirmation" in text
    assert len(bot.connector.records) == before  # nothing posted where others would see it
    (stored,) = await rows(bot, MeetingQuestion)
    assert stored.asker_id == CARMEN.aad_id and stored.occurrence_id == DEC

    again = await ask(bot, "How do utilities *finance*   non-revenue water reduction?")
    assert "already sent this question" in card_text(again.body["value"])
    empty = await ask(bot, "   ")
    assert "Write your question" in card_text(empty.body["value"])
    assert len(await rows(bot, MeetingQuestion)) == 1

    await ask(bot, "Will the slides be shared?", user=ALICE)
    clock.set(DIGEST_AT - timedelta(minutes=1))
    await service.posting.tick()
    assert to_person(bot, BRUNO) == []
    clock.set(DIGEST_AT)
    report = await service.posting.tick()
    assert ubs(report.sent) == [f"digest {DEC} -> {BRUNO.aad_id}"]
    (digest,) = to_person(bot, BRUNO)
    text = card_text(digest.card)
    assert "Questions sent in advance" in text and "2 questions" in text
    assert "non-revenue water" in text and "Will the slides be shared?" in text
    assert f"Asked by {CARMEN.name}" in text
    assert text.count("Mark answered") == 2
    clock.advance(minutes=5)
    await service.posting.tick()
    assert len(to_person(bot, BRUNO)) == 1


async def test_mark_answered_tells_the_asker_and_only_focal_points_may(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    await service.posting.tick()
    await ask(bot, "What is the agenda?")
    clock.set(DIGEST_AT)
    await service.posting.tick()
    (digest,) = to_person(bot, BRUNO)
    (button,) = [
        a
        for c in digest.card["body"]
        for item in c.get("items", [])
        if item.get("type") == "ActionSet"
        for a in item["actions"]
    ]
    assert button["verb"] == "meetings_answered"

    refused = await bot.client.execute("meetings_answered", button["data"], ALICE)
    assert "Only the focal points of Urban Basic Services (UBS)" in card_text(refused.body["value"])
    (question,) = await rows(bot, MeetingQuestion)
    assert question.answered_at is None

    clock.advance(hours=2)
    done = await bot.client.execute("meetings_answered", button["data"], BRUNO)
    card = done.body["value"]
    assert "Answered (marked by Bruno Costa)" in card_text(card)
    assert "Every question has been answered" in card_text(card)
    (told,) = to_person(bot, CARMEN)
    assert "Your question «What is the agenda?»" in told.text and "has been answered" in told.text
    (question,) = await rows(bot, MeetingQuestion)
    assert question.answered_by == BRUNO.aad_id and question.asker_notified_at is not None
    # Bruno's copy of the digest is updated too (the Playground and Teams show the change).
    updates = [
        r
        for r in bot.connector.records
        if r.kind == "update" and r.activity_id == digest.activity_id
    ]
    assert updates and "Answered (marked by Bruno Costa)" in card_text(updates[-1].card)

    await bot.client.execute("meetings_answered", button["data"], BRUNO)  # a second click
    assert len(to_person(bot, CARMEN)) == 1


async def test_unanswered_questions_roll_over_to_the_next_meetings_digest(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    await service.posting.tick()
    await ask(bot, "Answered at the meeting")
    await ask(bot, "Still open after the meeting", user=ALICE)
    await ask(bot, "Asked early for February", user=ALICE, occurrence=FEB)
    clock.set(DIGEST_AT)
    await service.posting.tick()
    answered = next(
        q for q in await rows(bot, MeetingQuestion) if q.text == "Answered at the meeting"
    )
    await service.questions.mark_answered(answered.id, BRUNO.aad_id, BRUNO.name)

    clock.set(DEC_START + timedelta(hours=2))  # the meeting is over
    response = await ask(bot, "Asked after the meeting", user=ALICE)
    assert "goes to the next one (17 February 2027, 10:00 Nairobi time)" in card_text(
        response.body["value"]
    )

    clock.set(FEB_START - timedelta(hours=24))
    await service.posting.tick()
    feb_digest = to_person(bot, BRUNO)[-1]
    text = card_text(feb_digest.card)
    assert "Still open after the meeting" in text and "Asked after the meeting" in text
    assert "Answered at the meeting" not in text
    # The focal points see first what has waited since an earlier meeting.
    assert text.index("Asked after the meeting") < text.index("Asked early for February")
    assert (
        text.count(
            "Not answered at the meeting of 16 December 2026, 10:00 Nairobi time: carried over"
        )
        == 2
    )


async def test_a_question_after_the_digest_reaches_the_focal_points_at_once(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    await service.posting.tick()
    clock.set(DIGEST_AT)
    report = await service.posting.tick()
    assert ubs(report.skipped) == [
        f"digest {DEC} -> {BRUNO.aad_id}"
    ]  # no question: no empty digest
    assert to_person(bot, BRUNO) == []
    clock.advance(hours=3)
    await ask(bot, "A late one: is there a dial-in number?")
    (late,) = to_person(bot, BRUNO)
    assert "a new question (1), sent after the digest" in card_text(late.card)
    assert "dial-in number" in card_text(late.card)


# -- focal points change a meeting ---------------------------------------------------------------


async def test_a_focal_point_skips_the_next_meeting_and_the_channel_is_told(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    await service.posting.tick()
    (announcement,) = channel_posts(bot)

    refused = await bot.client.say("skip the next UBS meeting", ALICE)
    assert refused.texts == [
        "Only the focal points of Urban Basic Services (UBS) and CoP Bot admins can do that."
    ]

    done = await bot.client.say("skip the next UBS meeting", BRUNO)
    assert (
        "Done. Cancelled: Urban Basic Services (UBS) meeting, 16 December 2026, 10:00 Nairobi time"
        in card_text(answer(bot, done, BRUNO))
    )
    updated = [
        r
        for r in bot.connector.records
        if r.kind == "update" and r.activity_id == announcement.activity_id
    ]
    assert "Cancelled" in card_text(updated[-1].card)
    assert "Ask a question" not in card_text(updated[-1].card)
    assert len(channel_posts(bot)) == 1  # the notice is a reply in the announcement's thread
    notice = next(
        r
        for r in bot.connector.records
        if r.kind in {"send", "reply"} and r.conversation_id == announcement.conversation_id
    )
    assert (
        "Cancelled: Urban Basic Services (UBS) meeting, 16 December 2026, 10:00 Nairobi time."
        in card_text(notice.card)
    )

    clock.set(DIGEST_AT)
    await ask(bot, "Anything?")
    await service.posting.tick()
    assert digests(bot) == []  # a cancelled meeting has no digest
    assert (await service.calendar.next_occurrence("UBS")).id == FEB

    undo = next(
        a for a in answer(bot, done, BRUNO)["actions"] if a.get("verb") == "meetings_restore"
    )
    restored = await bot.client.execute("meetings_restore", undo["data"], BRUNO)
    assert "As planned" in card_text(restored.body["value"])
    assert (await service.calendar.next_occurrence("UBS")).id == DEC


async def test_a_focal_point_moves_the_next_meeting_in_french(clean_db: str, start_bot) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 9, tzinfo=UTC))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    how = await bot.client.say("move the next UBS meeting", BRUNO)
    assert "2026-12-15 14:00" in how.texts[0] and "EAT" in how.texts[0]

    done = await bot.client.say(
        "déplacer la prochaine réunion UBS au 2026-12-15 14:00", BRUNO, locale="fr-FR"
    )
    assert (
        "Nouvelle date\u202f: Réunion de la communauté Services urbains de base (UBS), 15 décembre 2026, 14:00 heure de Nairobi"
        in card_text(answer(bot, done, BRUNO))
    )
    moved = await service.calendar.next_occurrence("UBS")
    assert moved.id == DEC and moved.starts_at == datetime(2026, 12, 15, 11, tzinfo=UTC)
    assert moved.sequence == 1

    too_far = await bot.client.say("move the next UBS meeting to 2027-06-01 10:00", BRUNO)
    assert "at most 92 days" in too_far.texts[0]

    clock.set(datetime(2026, 12, 8, 11, 1, tzinfo=UTC))  # a week before the new time
    await service.posting.tick()
    assert "Tuesday, 15 December 2026, 14:00 Nairobi time" in card_text(channel_posts(bot)[-1].card)
    assert "New date (was 16 December 2026, 10:00 Nairobi time)" in card_text(
        channel_posts(bot)[-1].card
    )


async def test_upcoming_meetings_of_a_cop_with_their_status(clean_db: str, start_bot) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    await (await meetings(bot)).posting.tick()
    member = await bot.client.say("upcoming meetings of UBS", ALICE)
    text = card_text(member.cards[0])
    assert "Upcoming meetings: Urban Basic Services (UBS)" in text
    assert "16 December 2026" in text and "17 February 2027" in text
    assert "Announcement" not in text and "Skip this one" not in text

    focal = await bot.client.say("UBS meetings", BRUNO)
    text = card_text(focal.cards[0])
    assert "Announcement: sent 9 December 2026, 10:01 Nairobi time" in text
    assert "Questions digest: planned 15 December 2026, 10:00 Nairobi time" in text
    assert f"Id: {DEC}" in text and "Skip this one" in text


# -- the calendar ----------------------------------------------------------------------------------


async def test_calendar_in_chat_lists_every_cops_next_meetings(clean_db: str, start_bot) -> None:
    clock = FakeClock(datetime(2026, 11, 21, 9, tzinfo=UTC))
    bot = await start_bot(clock)
    response = await bot.client.say("calendar")
    text = card_text(response.cards[0])
    assert "Upcoming meetings of the Communities of Practice" in text
    for title in (
        "Safety, Human Rights and Social Inclusion (SHRSI) meeting",
        "Urban Basic Services (UBS) meeting",
        "Climate Change (CC) meeting",
    ):
        assert title in text
    assert text.index("(SHRSI)") < text.index("(UBS)") < text.index("(CC) meeting")
    assert "Subscribe: all CoPs" in text

    french = await bot.client.say("calendrier", locale="fr-FR")
    assert "Prochaines réunions des communautés de pratique" in card_text(french.cards[0])
    assert "mercredi 16 décembre 2026, 10:00 heure de Nairobi" in card_text(french.cards[0])
    spanish = await bot.client.say("eventos", locale="es-ES")
    assert "miércoles, 16 de diciembre de 2026" in card_text(spanish.cards[0])

    mine = await bot.client.say("my calendar", BRUNO)  # Bruno is UBS's focal point
    text = card_text(mine.cards[0])
    assert "Upcoming meetings of your Communities of Practice" in text
    assert "(UBS) meeting" in text and "(CC) meeting" not in text
    nobody = await bot.client.say("my events", CARMEN)
    assert "None of your communities" in card_text(nobody.cards[0])


async def test_details_of_a_cop_show_its_next_meeting(clean_db: str, start_bot) -> None:
    clock = FakeClock(datetime(2026, 11, 21, 9, tzinfo=UTC))
    bot = await start_bot(clock)
    response = await bot.client.say("tell me about UBS")
    text = card_text(response.cards[-1])
    assert "Next meeting" in text and "Wednesday, 16 December 2026, 10:00 Nairobi time" in text


async def test_a_focal_point_adds_a_webinar_which_is_announced_at_once(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(datetime(2026, 11, 30, 9, tzinfo=UTC))
    bot = await installed(clock, start_bot)
    words = "add an event to UBS on 2026-12-03 15:00 for 45 minutes: Webinar on *water* operators"
    refused = await bot.client.say(words, ALICE)
    assert "Only the focal points" in refused.texts[0]
    done = await bot.client.say(words, BRUNO)
    text = card_text(answer(bot, done, BRUNO))
    assert (
        "Added: Webinar on \\*water\\* operators, 3 December 2026, 15:00 Nairobi time" in text
    )  # escaped
    assert "45 minutes" in text

    report = await (await meetings(bot)).posting.tick()  # less than a week ahead: announced now
    assert "announcement UBS:event:2026-12-03T15:00" in ubs(report.sent)
    post = channel_posts(bot)[-1]
    assert "Webinar on \\*water\\* operators" in card_text(post.card)
    calendar = await bot.client.say("calendar", CARMEN)
    assert "Webinar on \\*water\\* operators" in card_text(calendar.cards[0])
    async with bot.client.session.get(f"{bot.base_url}/calendar/UBS.ics") as response:
        assert "SUMMARY:Webinar on *water* operators" in await response.text()  # plain text there


async def test_a_digest_posted_early_keeps_later_questions_flowing(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    await service.posting.tick()
    empty = await service.posting.post_now("UBS", "digest")  # nothing to send yet...
    assert ubs(empty.sent) == [] and digests(bot) == []
    await ask(bot, "First question")
    early = await service.posting.post_now("UBS", "digest")  # ...now there is
    assert ubs(early.sent) == [f"digest {DEC} -> {BRUNO.aad_id}"]
    assert ubs((await service.posting.post_now("UBS", "digest")).sent) == []  # once
    await ask(bot, "Second question, after the early digest")
    late = digests(bot)[-1]
    assert "Second question" in card_text(late.card) and "First question" not in card_text(
        late.card
    )
    clock.set(DIGEST_AT)
    assert (
        ubs((await service.posting.tick()).sent) == []
    )  # the digest of this meeting went out already
    assert len(digests(bot)) == 2
