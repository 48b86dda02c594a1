"""After the meeting, through the real app: announcement -> questions -> the meeting -> a focal
point adds the recording and summary (from the announcement's button, in words, refused for
others) -> a reply in the announcement's channel thread, the calendar feed updated (parsed with
`icalendar`, SEQUENCE raised), the askers told -> feedback given and changed, the count on the card
and never who said what -> the focal points get the results; a cancelled meeting's thread is told
and the feed shows it cancelled. Each message to a person (the asker told, the results) is in the
delivery ledger: delivered with the id Teams gave it, or undeliverable with Teams' reason
(`copbot deliveries`, the admin report).

UBS's next meeting: Wednesday 16 December 2026, 10:00 in Nairobi = 07:00 UTC (see
test_meetings_flow.py, whose fixtures this file uses)."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from sqlalchemy import select

from cards.admin import admin_report_card
from cli.requests import delivery_lines
from copbot.clock import FakeClock
from copbot.delivery.ledger import DeliveryView
from copbot.meetings.ics import uid_of
from copbot.reports import build_report
from copbot.retention import RetentionPolicy, purge
from copbot.store.followup_models import MeetingFeedback
from copbot.store.models import AuditEntry
from tests.conftest import RunningBot
from tests.fakes.connector import Record, card_text
from tests.fakes.connector_refusals import BLOCKED_BY_USER, NOT_INSTALLED, SERVICE_UNAVAILABLE
from tests.integration import test_meetings_flow as flow
from tests.integration.test_meetings_flow import (
    ANNOUNCE_AT,
    CHANNEL,
    DEC,
    DEC_START,
    DIGEST_AT,
    ask,
    channel_posts,
    installed,
    meetings,
    to_person,
)
from tests.integration.test_retention import _cells
from tests.support.bot_client import ALICE, BRUNO, CARMEN

clean_db = flow.clean_db  # the fixtures of the meetings flow: UBS mapped to a channel
start_bot = flow.start_bot
RECORDING = "https://unhabitat.sharepoint.com/sites/UBS/Recordings/2026-12-16.mp4"
SLIDES = "https://unhabitat.sharepoint.com/sites/UBS/Shared/slides.pdf"


def shown(response) -> str:
    """What the clicker sees: a card, or a message."""
    value = response.body["value"]
    return value if isinstance(value, str) else card_text(value)


def thread_replies(bot: RunningBot, announcement: Record) -> list[Record]:
    """Posts in the announcement's thread (Teams: `<channel>;messageid=<root id>`)."""
    return [
        r
        for r in bot.connector.records
        if r.kind in {"send", "reply"} and r.conversation_id == announcement.conversation_id
    ]


async def sent_about(bot: RunningBot, occ_id: str = DEC) -> dict[tuple[str, str], DeliveryView]:
    """The delivery ledger's messages to people about a meeting, by (kind, recipient)."""
    found = await bot.services.deliveries.of_subjects([f"meeting:{occ_id}"])
    return {(row.kind, row.recipient): row for row in found.get(f"meeting:{occ_id}", [])}


async def feed_event(bot: RunningBot, occ_id: str = DEC) -> icalendar.Event:
    async with bot.client.session.get(f"{bot.base_url}/calendar/UBS.ics") as response:
        assert response.status == 200
        calendar = icalendar.Calendar.from_ical(await response.text())
    occ = await bot.services.meetings.calendar.occurrence(occ_id)
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid_of(occ)]
    return event


async def announced_with_questions(start_bot) -> tuple[RunningBot, FakeClock, Record]:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    service = await meetings(bot)
    await service.posting.tick()
    (announcement,) = channel_posts(bot)
    await ask(bot, "How do utilities finance non-revenue water reduction?")  # Carmen
    await ask(bot, "Still open after the meeting", user=ALICE)
    clock.set(DIGEST_AT)
    await service.posting.tick()
    return bot, clock, announcement


async def test_a_focal_point_shares_recording_and_summary_after_the_meeting(
    clean_db: str, start_bot
) -> None:
    bot, clock, announcement = await announced_with_questions(start_bot)
    service = await meetings(bot)
    (button,) = [
        a for a in announcement.card["actions"] if a.get("verb") == "meetings_followup_form"
    ]
    before = await feed_event(bot)
    assert "ATTACH" not in before

    too_early = await bot.client.execute(button["verb"], button["data"], BRUNO)
    assert "has not taken place yet" in shown(too_early)

    clock.set(DEC_START + timedelta(minutes=30))  # the meeting: Carmen's question is taken
    carmen_q = next(
        q
        for q in await service.questions.digest_questions(await service.calendar.occurrence(DEC))
        if "non-revenue" in q.text
    )
    await service.questions.mark_answered(carmen_q.id, BRUNO.aad_id, BRUNO.name)
    told_answered = len(to_person(bot, CARMEN))
    answered_note = to_person(bot, CARMEN)[-1]
    assert "has been answered" in answered_note.text

    clock.set(DEC_START + timedelta(hours=3))
    refused = await bot.client.execute(button["verb"], button["data"], ALICE)
    assert "Only the focal points of Urban Basic Services (UBS)" in shown(refused)
    form = (await bot.client.execute(button["verb"], button["data"], BRUNO)).body["value"]
    assert {e["id"] for e in form["body"] if e["type"].startswith("Input")} == {
        "recording",
        "materials",
        "summary",
    }
    (send,) = form["actions"]
    not_https = await bot.client.execute(
        send["verb"], {**send["data"], "recording": "http://example.org/rec"}, BRUNO
    )
    assert "only https:// links are shared" in shown(not_https)

    summary = "Utilities *cut* losses by 30 % with <district metering>"
    done = await bot.client.execute(
        send["verb"],
        {**send["data"], "recording": RECORDING, "materials": SLIDES, "summary": summary},
        BRUNO,
    )
    assert "Shared: the follow-up of" in shown(done)
    await bot.services.outbox.drain()

    # The announcement's thread: the follow-up, then the feedback card.
    posted, feedback = thread_replies(bot, announcement)
    text = card_text(posted.card)
    assert "After the meeting: Urban Basic Services (UBS) meeting, 16 December 2026" in text
    assert "Utilities \\*cut\\* losses by 30 % with \\<district metering\\>" in text  # escaped
    links = {
        a["url"] for e in posted.card["body"] if e["type"] == "ActionSet" for a in e["actions"]
    }
    assert links == {RECORDING, SLIDES}
    assert "How was it?" in card_text(feedback.card)
    assert len(channel_posts(bot)) == 1  # no new thread

    # The calendar entry: recording and materials attached, summary in the description.
    after = await feed_event(bot)
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert str(after["URL"]) == RECORDING
    attached = after.get("ATTACH")
    attached = [str(a) for a in (attached if isinstance(attached, list) else [attached])]
    assert attached == [RECORDING, SLIDES]
    assert f"Summary: {summary}" in str(after["DESCRIPTION"])

    # Carmen's question was taken: she is told where to find the answer; Alice's was not.
    told = to_person(bot, CARMEN)[told_answered:]
    assert len(told) == 1 and "was taken at" in told[0].text and "thread" in told[0].text
    assert to_person(bot, ALICE) == []
    # Both messages to Carmen are delivered in the ledger, with the ids of what Teams took.
    sent = await sent_about(bot)
    assert set(sent) == {("question_answered", CARMEN.aad_id), ("followup_asker", CARMEN.aad_id)}
    note = sent["question_answered", CARMEN.aad_id]
    assert (note.state, note.activity_id) == ("delivered", answered_note.activity_id)
    taken = sent["followup_asker", CARMEN.aad_id]
    assert (taken.state, taken.activity_id, taken.attempts) == ("delivered", told[0].activity_id, 1)

    # Past meetings in chat, for everyone.
    past = await bot.client.say("past meetings of UBS", CARMEN)
    text = card_text(past.cards[0])
    assert "Past meetings: Urban Basic Services (UBS)" in text and "Key points" in text

    # In words, in French: a material added later; the thread gets the new version.
    more = await bot.client.say(
        "ajouter un document UBS https://unhabitat.org/ubs-report.pdf", BRUNO, locale="fr-FR"
    )
    assert "Partagé" in more.texts[0]
    await bot.services.outbox.drain()
    assert len(thread_replies(bot, announcement)) == 3  # one more follow-up, no second feedback
    assert (await feed_event(bot))["SEQUENCE"] > after["SEQUENCE"]
    again = await bot.client.say(f"add recording UBS {RECORDING}", ALICE)
    assert "Only the focal points" in again.texts[0]


async def test_feedback_is_given_and_changed_and_only_counts_show(clean_db: str, start_bot) -> None:
    bot, clock, announcement = await announced_with_questions(start_bot)
    service = await meetings(bot)
    clock.set(DEC_START + timedelta(hours=2))
    said = await bot.client.say("add summary UBS: Key points: metering, tariffs.", BRUNO)
    assert "Shared" in said.texts[0]
    await bot.services.outbox.drain()
    _posted, feedback = thread_replies(bot, announcement)
    (send,) = feedback.card["actions"]
    assert send["verb"] == "meetings_feedback"

    no_rating = await bot.client.execute(send["verb"], {**send["data"], "rating": "9"}, CARMEN)
    assert "Choose a rating from 1 to 5" in shown(no_rating)

    mine = await bot.client.execute(
        send["verb"], {**send["data"], "rating": "2", "comment": "Too *short*"}, CARMEN
    )
    own = mine.body["value"]
    assert "your rating is 2/5" in card_text(own) and "1 answer so far" in card_text(own)
    await bot.client.execute(send["verb"], {**send["data"], "rating": "5"}, ALICE)
    changed = await bot.client.execute(
        send["verb"], {**send["data"], "rating": "4", "comment": "Too *short*"}, CARMEN
    )
    assert "your rating is 4/5" in shown(changed)
    assert "2 answers so far" in shown(changed)
    async with bot.services.db.session() as session:
        rows = list(await session.scalars(select(MeetingFeedback)))
        audit = list(await session.scalars(select(AuditEntry)))
    assert sorted(r.rating for r in rows) == [4, 5]  # one answer per person, changed
    assert not any("short" in str(a.details) for a in audit)  # no comment text in the audit

    # The card everyone sees in the thread: the count, never who said what.
    updates = [
        r
        for r in bot.connector.records
        if r.kind == "update" and r.activity_id == feedback.activity_id
    ]
    everyone = card_text(updates[-1].card)
    assert "2 answers so far" in everyone
    assert CARMEN.name not in everyone and ALICE.name not in everyone
    assert "short" not in everyone

    # The focal points: the results three days later, and in "past meetings".
    clock.advance(days=3, minutes=1)
    await bot.services.outbox.drain()
    (results,) = [
        r for r in to_person(bot, BRUNO) if r.cards and "Feedback on" in card_text(r.card)
    ]
    text = card_text(results.card)
    assert "2 answers, average 4.5/5" in text and "Too \\*short\\*" in text
    assert CARMEN.name not in text
    delivered = (await sent_about(bot))["feedback_results", BRUNO.aad_id]
    assert (delivered.state, delivered.activity_id) == ("delivered", results.activity_id)
    focal = await bot.client.say("past meetings of UBS", BRUNO)
    assert "average 4.5/5" in card_text(focal.cards[0])
    member = await bot.client.say("past meetings of UBS", ALICE)
    assert "average" not in card_text(member.cards[0])

    # Comments are personal data: after the retention period no table holds them.
    clock.advance(days=366)
    report = await purge(bot.services.db, clock.now(), RetentionPolicy(days=365))
    assert report.feedback == 2
    cells = await _cells(bot.services.db)
    assert not [c for c in cells if "Too *short*" in c[2]]
    assert service is not None


async def test_a_cancelled_meeting_is_cancelled_in_the_feed_and_its_thread_is_told(
    clean_db: str, start_bot
) -> None:
    clock = FakeClock(ANNOUNCE_AT + timedelta(minutes=1))
    bot = await installed(clock, start_bot)
    await (await meetings(bot)).posting.tick()
    (announcement,) = channel_posts(bot)
    before = await feed_event(bot)
    assert str(before["STATUS"]) == "CONFIRMED"

    await bot.client.say("skip the next UBS meeting", BRUNO)
    after = await feed_event(bot)
    assert str(after["STATUS"]) == "CANCELLED" and after["SEQUENCE"] > before["SEQUENCE"]
    (notice,) = thread_replies(bot, announcement)
    assert "Cancelled: Urban Basic Services (UBS) meeting, 16 December 2026" in card_text(
        notice.card
    )
    assert len(channel_posts(bot)) == 1  # told in the thread, not in a new one

    await bot.client.say("move the next UBS meeting to 2026-12-16 14:00", BRUNO)  # FEB now
    restored = await bot.client.execute("meetings_restore", {"occurrence": DEC}, BRUNO)
    assert "As planned" in shown(restored)
    moved = await bot.client.say("move the next UBS meeting to 2026-12-17 15:00", BRUNO)
    assert "17 December 2026, 15:00" in card_text(moved.cards[0])
    event = await feed_event(bot)
    assert event["DTSTART"].dt.hour == 15 and event["DTSTART"].dt.day == 17
    assert event["SEQUENCE"] > after["SEQUENCE"] and str(event["STATUS"]) == "CONFIRMED"
    texts = [card_text(r.card) for r in thread_replies(bot, announcement)]
    assert any("17 December 2026, 15:00" in t for t in texts)
    assert CHANNEL in announcement.conversation_id


async def test_a_refused_thread_reply_is_tried_again_and_a_gone_thread_is_reported(
    clean_db: str, start_bot
) -> None:
    """Teams answers 503 once: the follow-up goes out on the next try, once. The thread is gone
    (404): the work is marked failed with Teams' reason, for `copbot requests` and `retry`."""
    bot, clock, announcement = await announced_with_questions(start_bot)
    clock.set(DEC_START + timedelta(hours=2))
    bot.connector.refuse(
        SERVICE_UNAVAILABLE, conversation=announcement.conversation_id, kinds=("reply",), times=1
    )
    said = await bot.client.say(f"add recording UBS {RECORDING}", BRUNO)
    assert "Shared" in said.texts[0]
    await bot.services.outbox.drain()
    assert thread_replies(bot, announcement) == []
    (waiting,) = await bot.services.outbox.items(kinds=["meetings.followup_post"])
    assert waiting.status == "pending" and "follow-up" in (waiting.last_error or "")
    clock.advance(minutes=5)
    await bot.services.outbox.drain()
    posted, _feedback = thread_replies(bot, announcement)
    assert "After the meeting" in card_text(posted.card)

    bot.connector.gone(announcement.conversation_id)
    await bot.client.say("add summary UBS: Key points: tariffs", BRUNO)
    for _ in range(25):  # until the outbox gives up on it (Teams' 404 is final at once)
        await bot.services.outbox.drain()
        clock.advance(hours=2)
    (failed,) = await bot.services.outbox.items(statuses=["failed"])
    assert failed.kind == "meetings.followup_post" and "ConversationNotFound" in failed.last_error


async def test_askers_and_focal_points_teams_refuses_are_shown_undeliverable_with_teams_reason(
    clean_db: str, start_bot
) -> None:
    """Carmen blocked the bot, Bruno removed the app (both 403): the question's answer, the
    follow-up's note and the feedback results are not tried again, the follow-up still reaches
    the channel, and `copbot deliveries` and the admin report say who was not reached and why."""
    bot, clock, announcement = await announced_with_questions(start_bot)
    service = await meetings(bot)
    for person in (CARMEN.aad_id, CARMEN.channel_id):  # the chat the bot made, and her own
        bot.connector.refuse(BLOCKED_BY_USER, person=person)

    clock.set(DEC_START + timedelta(minutes=30))
    carmen_q = next(
        q
        for q in await service.questions.digest_questions(await service.calendar.occurrence(DEC))
        if "non-revenue" in q.text
    )
    _view, answered_now = await service.questions.mark_answered(
        carmen_q.id, BRUNO.aad_id, BRUNO.name
    )
    assert answered_now  # the answer is recorded even though Carmen could not be told
    clock.set(DEC_START + timedelta(hours=2))
    said = await bot.client.say("add summary UBS: Key points: metering, tariffs.", BRUNO)
    assert "Shared" in said.texts[0]
    await bot.services.outbox.drain()
    for person in (BRUNO.aad_id, BRUNO.channel_id):  # then Bruno removes the app
        bot.connector.refuse(NOT_INSTALLED, person=person)
    clock.advance(days=3, minutes=1)
    await bot.services.outbox.drain()

    posted, _feedback = thread_replies(bot, announcement)
    assert "After the meeting" in card_text(posted.card)
    assert not [r for r in to_person(bot, CARMEN) if "answered" in r.text or "taken" in r.text]
    assert not [r for r in to_person(bot, BRUNO) if r.cards and "Feedback on" in card_text(r.card)]
    failed = await bot.services.outbox.items(
        kinds=["meetings.followup_asker", "meetings.feedback_results"]
    )
    assert sorted((i.kind, i.status, i.attempts) for i in failed) == [
        ("meetings.feedback_results", "failed", 1),
        ("meetings.followup_asker", "failed", 1),
    ]
    blocked = (
        "Teams answered 403 (ConversationBlockedByUser): "
        "User blocked the conversation with the bot."
    )
    not_installed = (
        "Teams answered 403 (ForbiddenOperationException): "
        "Bot is not installed in user's personal scope"
    )
    sent = await sent_about(bot)
    assert {key: (row.state, row.reason, row.activity_id) for key, row in sent.items()} == {
        ("question_answered", CARMEN.aad_id): ("undeliverable", blocked, None),
        ("followup_asker", CARMEN.aad_id): ("undeliverable", blocked, None),
        ("feedback_results", BRUNO.aad_id): ("undeliverable", not_installed, None),
    }

    # What an admin reads: `copbot deliveries` and the admin report card.
    rows = [row.as_json() for row in await bot.services.deliveries.undelivered()]
    lines = delivery_lines(rows, 7)
    for kind, person, reason in (
        ("question_answered", CARMEN, blocked),
        ("followup_asker", CARMEN, blocked),
        ("feedback_results", BRUNO, not_installed),
    ):
        [line] = [line for line in lines if f"{kind} to {person.aad_id}" in line]
        assert line.endswith(f"(meeting:{DEC}): undeliverable, 1 attempt(s): {reason}"), line
    report = await build_report(bot.services.db, bot.services.catalog, clock.now())
    shown = card_text(admin_report_card(report, bot.services.catalog, "en"))
    assert "The bot cannot reach 2 people" in shown


async def test_feedback_results_teams_keeps_failing_are_undeliverable_once_the_outbox_gives_up(
    clean_db: str, start_bot
) -> None:
    """Teams answers 503 every time: the results are shown retrying, then undeliverable with the
    reason once the outbox stops trying (about a day)."""
    bot, clock, _announcement = await announced_with_questions(start_bot)
    clock.set(DEC_START + timedelta(hours=2))
    said = await bot.client.say("add summary UBS: Key points: metering, tariffs.", BRUNO)
    assert "Shared" in said.texts[0]
    await bot.services.outbox.drain()
    for person in (BRUNO.aad_id, BRUNO.channel_id):
        bot.connector.refuse(SERVICE_UNAVAILABLE, person=person)
    clock.advance(days=3, minutes=1)
    await bot.services.outbox.drain()

    waiting = (await sent_about(bot))["feedback_results", BRUNO.aad_id]
    assert (waiting.state, waiting.reason) == ("retrying", "Teams answered 503")
    for _ in range(25):  # until the outbox gives up on it
        clock.advance(hours=2)
        await bot.services.outbox.drain()
    (failed,) = await bot.services.outbox.items(kinds=["meetings.feedback_results"])
    assert failed.status == "failed"
    gone = (await sent_about(bot))["feedback_results", BRUNO.aad_id]
    assert gone.state == "undeliverable"
    assert gone.reason == failed.last_error and "Teams answered 503" in gone.reason
    assert gone.reason.startswith(f"gave up after {failed.attempts} attempts")
    assert gone.attempts == failed.attempts  # each a send; the outbox giving up is not one more
    assert not [r for r in to_person(bot, BRUNO) if r.cards and "Feedback on" in card_text(r.card)]
