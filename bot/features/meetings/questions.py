"""Questions in advance from Teams: "Ask a question" on the channel announcement, "Mark answered"
on a focal point's digest."""

from __future__ import annotations

from typing import Any

import structlog

import cards.meetings as meeting_cards
from bot.features.meetings.common import is_invoke
from bot.turn import Turn
from copbot.meetings import MeetingsError
from copbot.meetings.failures import log_send_failure
from copbot.services import Services

log = structlog.get_logger(__name__)


async def ask_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any] | None:
    """ "Ask a question in advance" on the channel announcement (Action.Execute).

    The answer is the announcement as only the asker sees it (Teams shows an invoke response card
    to the person who clicked), with the confirmation on top. Through Action.Submit (older
    clients), a card answer would be posted to the whole channel, so the confirmation goes to the
    asker's 1:1 chat instead.
    """
    meetings = services.meetings
    occ_id = str(data.get("occurrence", ""))[:80]
    base_url = services.config.public_base_url
    try:
        result = await meetings.questions.ask(
            occ_id, turn.user_id, turn.user_name, turn.lang, str(data.get("question") or "")
        )
    except MeetingsError as exc:
        occ = await meetings.calendar.occurrence(occ_id)
        if occ is None or not is_invoke(turn):
            await _private_text(turn, services, exc.text(turn.lang))
            return None
        card = meeting_cards.announcement_card(
            occ, meetings.calendar.community(occ.cop_id), turn.lang, base_url=base_url
        )
        card["body"].insert(0, meeting_cards.error_line(exc.text(turn.lang)))
        return card
    community = meetings.calendar.community(result.occurrence.cop_id)
    if not is_invoke(turn):
        key = "meetings_ack_duplicate" if result.duplicate else "meetings_ack_received"
        await _private_text(turn, services, turn.t(key))
        return None
    return meeting_cards.announcement_card(
        result.occurrence,
        community,
        turn.lang,
        base_url=base_url,
        acknowledged=result.question,
        next_occurrence=result.next_occurrence,
        duplicate=result.duplicate,
    )


async def _private_text(turn: Turn, services: Services, text: str) -> None:
    if turn.is_personal:
        await turn.reply(text)
        return
    try:
        await services.notifier.send_to_person(turn.user_id, text=text)
    except Exception as exc:  # nowhere private to say it; better silent than public
        log_send_failure(log, "meetings.private_reply_failed", exc, activity_id=turn.activity.id)


async def answered_action(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | None:
    """ "Mark answered" on a digest: record it, tell the asker, refresh every copy of the digest."""
    meetings = services.meetings
    occ = await meetings.calendar.occurrence(str(data.get("occurrence", ""))[:80])
    error = None
    try:
        question_id = int(data.get("question", 0))
        await meetings.questions.mark_answered(question_id, turn.user_id, turn.user_name)
    except (TypeError, ValueError):
        error = MeetingsError("meetings_unknown_question").text(turn.lang)
    except MeetingsError as exc:
        error = exc.text(turn.lang)
    if occ is None:
        if error:
            await turn.reply(error)
        return None
    community = meetings.calendar.community(occ.cop_id)
    questions = await meetings.questions.digest_questions(occ)
    if data.get("late"):
        asked = await meetings.questions.question(int(data.get("question", 0) or 0))
        questions = [q for q in questions if asked and q.id == asked.id]
    card = meeting_cards.digest_card(
        occ, community, questions, turn.lang, late=bool(data.get("late"))
    )
    if error:
        card["body"].insert(0, meeting_cards.error_line(error))
    elif not data.get("late"):
        await meetings.questions.refresh_digests(occ, except_activity=turn.activity.reply_to_id)
    if not is_invoke(turn):
        await turn.send_card(card)
        return None
    return card
