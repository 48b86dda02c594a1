"""Focal points and admins change meetings from Teams: skip or move the next one, add an event (in
words), skip or restore one from the upcoming card (buttons)."""

from __future__ import annotations

from typing import Any

import cards.meetings as meeting_cards
from bot.features.meetings.common import reply_unknown_community
from bot.features.meetings.words import parse_when
from bot.turn import Turn
from copbot import formats
from copbot.catalog import Community
from copbot.meetings import MeetingsError, Occurrence
from copbot.meetings.dates import zone_label
from copbot.meetings.series import find_series
from copbot.services import Services


def _changed(
    turn: Turn, services: Services, occ: Occurrence, community: Community
) -> dict[str, Any]:
    return meeting_cards.changed_card(
        occ, community, turn.lang, base_url=services.config.public_base_url
    )


async def _managed_next(turn: Turn, services: Services) -> tuple[Community, Occurrence] | None:
    """The next occurrence of the CoP named (of its practice area's series when one is named: "skip
    the next LHS Finance meeting"; else of its CoP-wide meetings), when the person may manage it
    (else they are told)."""
    community, series = find_series(services.catalog, turn.original("name"))
    if community is None:
        await reply_unknown_community(turn)
        return None
    calendar = services.meetings.calendar
    key = series.key if series else ""
    try:
        if not calendar.can_manage(turn.user_id, community, key):
            raise MeetingsError("meetings_not_allowed", cop=community)
        occ = await calendar.resolve(community.id, "next", series=key)
    except MeetingsError as exc:
        await turn.reply(exc.text(turn.lang))
        return None
    return community, occ


async def skip_next(turn: Turn, services: Services) -> None:
    found = await _managed_next(turn, services)
    if found is None:
        return
    community, occ = found
    changed = await services.meetings.editing.skip(occ, turn.user_id)
    await turn.send_card(_changed(turn, services, changed, community))


async def move_next(turn: Turn, services: Services) -> None:
    found = await _managed_next(turn, services)
    if found is None:
        return
    community, occ = found
    parsed = parse_when(turn.match.group("when") if turn.match and turn.match.group("when") else "")
    if parsed is None:
        zone = zone_label(occ.local_start)
        await turn.reply(turn.t("meetings_move_how", cop=community.id, zone=zone))
        return
    local, has_time = parsed
    if not has_time:  # a date alone keeps the meeting's local time
        start = occ.local_start
        local = local.replace(hour=start.hour, minute=start.minute)
    try:
        changed = await services.meetings.editing.move(occ, local, turn.user_id)
    except MeetingsError as exc:
        await turn.reply(exc.text(turn.lang))
        return
    await turn.send_card(_changed(turn, services, changed, community))


async def add_event(turn: Turn, services: Services) -> None:
    """ "add a workshop to LHS Finance on 2026-12-03 15:00 for 45 minutes: Land value capture"."""
    community, series = find_series(services.catalog, turn.original("name"))
    if community is None:
        await reply_unknown_community(turn)
        return
    meetings = services.meetings
    parsed = parse_when(turn.match.group("when") if turn.match else "")
    key = series.key if series else ""
    written = turn.original("format")
    format_ = formats.from_words(written)
    try:
        if not meetings.calendar.can_manage(turn.user_id, community, key):
            raise MeetingsError("meetings_not_allowed", cop=community)
        if format_ is None:
            raise MeetingsError(
                "meetings_unknown_format", name=written[:40], formats=formats.Listed()
            )
        if parsed is None or not parsed[1]:
            raise MeetingsError("meetings_add_event_how", cop=community.id)
        minutes = int(turn.match.group("minutes") or 60) if turn.match else 60
        occ = await meetings.editing.add_event(
            community.id,
            turn.original("title"),
            parsed[0],
            duration_minutes=minutes,
            series=key,
            format_=format_ or None,
            by=turn.user_id,
        )
    except MeetingsError as exc:
        await turn.reply(exc.text(turn.lang))
        return
    await turn.send_card(_changed(turn, services, occ, community))


async def _change_action(
    turn: Turn, services: Services, data: dict[str, Any], *, restore: bool
) -> dict[str, Any] | str:
    """A refusal is the answer itself: for Action.Execute the clicker sees it, not "Done."."""
    meetings = services.meetings
    occ = await meetings.calendar.occurrence(str(data.get("occurrence", ""))[:80])
    if occ is None:
        return MeetingsError(
            "meetings_unknown_occurrence", occurrence=str(data.get("occurrence"))[:80]
        ).text(turn.lang)
    community = meetings.calendar.community(occ.cop_id)
    if not meetings.calendar.can_manage(turn.user_id, community):
        return MeetingsError("meetings_not_allowed", cop=community).text(turn.lang)
    if restore:
        changed = await meetings.editing.restore(occ, turn.user_id)
    else:
        changed = await meetings.editing.skip(occ, turn.user_id)
    return _changed(turn, services, changed, community)


async def skip_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any] | str:
    return await _change_action(turn, services, data, restore=False)


async def restore_action(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | str:
    return await _change_action(turn, services, data, restore=True)
