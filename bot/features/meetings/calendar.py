"""The calendar in chat: every CoP's upcoming meetings, the person's own, one CoP's (with the
state of each post for those who manage it)."""

from __future__ import annotations

from typing import Any

import cards.meetings as meeting_cards
from bot.features.meetings.common import named_community
from bot.turn import Turn
from copbot.catalog import Community
from copbot.i18n import Lang
from copbot.meetings import Occurrence
from copbot.services import Services


async def _send_calendar(
    turn: Turn, services: Services, occurrences: list[Occurrence], *, mine: bool = False
) -> None:
    await turn.send_card(
        meeting_cards.calendar_card(
            occurrences,
            {c.id: c for c in services.catalog},
            turn.lang,
            base_url=services.config.public_base_url,
            mine=mine,
        )
    )


async def show_calendar(turn: Turn, services: Services) -> None:
    await _send_calendar(turn, services, await services.meetings.calendar.upcoming(days=92))


async def my_cop_ids(services: Services, person_id: str) -> list[str]:
    """The CoPs a person belongs to, and those they are a focal point of."""
    ids: set[str] = {c.id for c in services.catalog.focal_point_of(person_id)}
    mine = await services.membership.memberships.my_communities(person_id)
    ids |= {m.cop_id for m in mine.memberships}
    return [c for c in services.catalog.ids() if c in ids]


async def show_my_calendar(turn: Turn, services: Services) -> None:
    """The meetings of the person's CoPs, and of the practice areas they follow in other CoPs."""
    cop_ids = await my_cop_ids(services, turn.user_id)
    calendar = services.meetings.calendar
    followed = {
        (f.cop_id, f.series)
        for f in await services.meetings.followers.followed_by(turn.user_id)
        if f.cop_id not in cop_ids
    }
    wanted = [*cop_ids, *sorted({cop for cop, _ in followed})]
    occurrences = await calendar.upcoming(days=92, cop_ids=wanted) if wanted else []
    occurrences = [
        o for o in occurrences if o.cop_id in cop_ids or (o.cop_id, o.series) in followed
    ]
    await _send_calendar(turn, services, occurrences, mine=True)


async def upcoming_card_for(
    services: Services, community: Community, person_id: str, lang: Lang
) -> dict[str, Any]:
    calendar, posting = services.meetings.calendar, services.meetings.posting
    occurrences = await calendar.upcoming(days=200, cop_ids=[community.id], limit=6)
    can_manage = calendar.can_manage(person_id, community)
    posts = await posting.posts([o.id for o in occurrences]) if can_manage else {}
    due_times = {
        (o.id, kind): posting.post_time(kind, o)
        for o in occurrences
        for kind in posting.policy.kinds()
    }
    return meeting_cards.upcoming_card(
        community,
        occurrences,
        lang,
        base_url=services.config.public_base_url,
        posts=posts,
        due_times=due_times,
        can_manage=can_manage,
    )


async def show_upcoming(turn: Turn, services: Services) -> None:
    community = named_community(turn, services)
    if community is None:  # "all meetings", "future events"...: the calendar answers
        await show_calendar(turn, services)
        return
    await turn.send_card(await upcoming_card_for(services, community, turn.user_id, turn.lang))
