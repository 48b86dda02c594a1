"""After the meeting, from Teams: focal points add the recording, materials and summary (the
announcement's button opens a form; or in words), members give feedback on the card in the
thread, anyone lists "past meetings of UBS" (the focal points see the feedback results there)."""

from __future__ import annotations

from typing import Any

import cards.meetings as meeting_cards
from bot.features.meetings.common import is_invoke, named_community, reply_unknown_community
from bot.turn import Turn
from cards.meetings.common import title
from copbot.catalog import Community
from copbot.meetings import MeetingsError, Occurrence
from copbot.meetings.dates import short_local
from copbot.meetings.links import split_links
from copbot.services import Services


async def _occurrence(services: Services, data: dict[str, Any]) -> Occurrence | None:
    return await services.meetings.calendar.occurrence(str(data.get("occurrence", ""))[:80])


def _unknown(turn: Turn, data: dict[str, Any]) -> str:
    return MeetingsError(
        "meetings_unknown_occurrence", occurrence=str(data.get("occurrence", ""))[:80]
    ).text(turn.lang)


async def form_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any] | str:
    """The announcement's "add recording and summary": the form, for focal points and admins."""
    meetings = services.meetings
    occ = await _occurrence(services, data)
    if occ is None:
        return _unknown(turn, data)
    community = meetings.calendar.community(occ.cop_id)
    if not meetings.calendar.can_manage(turn.user_id, community):
        return MeetingsError("meetings_not_allowed", cop=community).text(turn.lang)
    if occ.starts_at > services.clock.now():
        return MeetingsError("followup_not_yet").text(turn.lang)
    current = (await meetings.followups.of([occ.id])).get(occ.id)
    return meeting_cards.followup_form_card(occ, turn.lang, current=current)


async def followup_action(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | str | None:
    """The form sent: store the follow-up (posted, told and added to calendars by the domain)."""
    meetings = services.meetings
    occ = await _occurrence(services, data)
    if occ is None:
        return _unknown(turn, data)
    current = (await meetings.followups.of([occ.id])).get(occ.id)
    try:
        recording = str(data.get("recording") or "").strip()
        summary = str(data.get("summary") or "").strip()
        saved = await meetings.followups.add(
            occ,
            turn.user_id,
            recording=recording if recording != getattr(current, "recording_url", "") else None,
            materials=split_links(str(data.get("materials") or "")),
            summary=summary if summary != getattr(current, "summary", "") else None,
        )
    except MeetingsError as exc:
        if not is_invoke(turn):
            await turn.reply(exc.text(turn.lang))
            return None
        return meeting_cards.followup_form_card(
            occ, turn.lang, current=current, error=exc.text(turn.lang)
        )
    notice = _saved(turn, occ)
    if not is_invoke(turn):
        await turn.reply(notice)
        return None
    return meeting_cards.followup_form_card(occ, turn.lang, current=saved, notice=notice)


def _saved(turn: Turn, occ: Occurrence) -> str:
    return turn.t(
        "followup_saved",
        title=title(occ, turn.lang),
        when=short_local(occ.starts_at, occ.time_zone, turn.lang),
    )


async def feedback_action(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | str | None:
    """A rating (and comment) from the thread's card: the clicker sees their own answer; the card
    everyone sees shows the new count."""
    meetings = services.meetings
    occ = await _occurrence(services, data)
    if occ is None:
        return _unknown(turn, data)
    community = meetings.calendar.community(occ.cop_id)
    try:
        counted = await meetings.feedback.give(
            occ.id, turn.user_id, data.get("rating", ""), str(data.get("comment") or "")
        )
    except MeetingsError as exc:
        counted = await meetings.feedback.count(occ.id, turn.user_id)
        if not is_invoke(turn):
            await turn.reply(exc.text(turn.lang))
            return None
        return meeting_cards.feedback_card(
            occ, community, counted, turn.lang, error=exc.text(turn.lang)
        )
    await meetings.followups.refresh_feedback_card(occ)
    if not is_invoke(turn):  # Action.Submit: a card answer would show to the whole channel
        await turn.reply(turn.t("feedback_thanks", rating=counted.mine or 0))
        return None
    return meeting_cards.feedback_card(occ, community, counted, turn.lang)


# -- in words -------------------------------------------------------------------------------------


async def _managed_last(turn: Turn, services: Services) -> tuple[Community, Occurrence] | None:
    community = named_community(turn, services)
    if community is None:
        await reply_unknown_community(turn)
        return None
    meetings = services.meetings
    try:
        if not meetings.calendar.can_manage(turn.user_id, community):
            raise MeetingsError("meetings_not_allowed", cop=community)
        return community, await meetings.followups.last_held(community.id)
    except MeetingsError as exc:
        await turn.reply(exc.text(turn.lang))
        return None


async def _add_in_words(turn: Turn, services: Services, **given: Any) -> None:
    found = await _managed_last(turn, services)
    if found is None:
        return
    _community, occ = found
    try:
        if "links" in given:
            given = {"materials": split_links(given.pop("links"))}
        await services.meetings.followups.add(occ, turn.user_id, **given)
    except MeetingsError as exc:
        await turn.reply(exc.text(turn.lang))
        return
    await turn.reply(_saved(turn, occ))


async def add_recording(turn: Turn, services: Services) -> None:
    """ "add recording UBS https://…" (the latest meeting held)."""
    await _add_in_words(turn, services, recording=turn.original("link"))


async def add_materials(turn: Turn, services: Services) -> None:
    await _add_in_words(turn, services, links=turn.original("links"))


async def add_summary(turn: Turn, services: Services) -> None:
    await _add_in_words(turn, services, summary=turn.original("summary"))


async def show_past(turn: Turn, services: Services) -> None:
    community = named_community(turn, services)
    if community is None:
        await reply_unknown_community(turn)
        return
    meetings = services.meetings
    manager = meetings.calendar.can_manage(turn.user_id, community)
    past = []
    for occ, followup in await meetings.followups.past(community.id):
        results = await meetings.feedback.results(occ.id) if manager else None
        past.append((occ, followup, results))
    await turn.send_card(meeting_cards.past_card(community, past, turn.lang))
