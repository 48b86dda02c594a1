"""CoP meetings in Teams, translated to the domain (`copbot.meetings`): the calendar in chat
(`calendar`), questions in advance from the channel announcement and the focal points' digest
(`questions`), skip/move/add for focal points and admins (`editing`), recordings, summaries,
feedback and past meetings (`followup`), following a practice area's series (`following`), the
`/calendar/*.ics` feeds (`feed`), the words for all of it (`words`). The posting itself is the
domain's tick (`jobs`)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

import cards.meetings as meeting_cards
from bot.feature import Feature
from bot.features.meetings import (
    calendar,
    contributions,
    editing,
    following,
    followup,
    questions,
    words,
)
from bot.features.meetings.feed import calendar_feed
from bot.router import Router
from cards.meetings.following import FOLLOW
from copbot.catalog import Community
from copbot.i18n import Lang
from copbot.services import Services
from scheduler.runner import Job

NAME = "meetings"


def setup(services: Services) -> None:
    def details(
        community: Community, lang: Lang, person_id: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return contributions.next_meeting_on_details(community, lang, services)

    async def readiness() -> tuple[str, dict[str, Any], list[str]]:
        return await contributions.readiness(NAME, services)

    services.details_contributors.append(details)
    services.readiness.append(readiness)


def jobs(services: Services) -> list[Job]:
    tick = services.meetings.posting.tick
    return [Job.every("meetings.tick", services.config.meetings_tick_seconds, tick)]


def routes(router: web.UrlDispatcher, services: Services) -> None:
    async def feed(request: web.Request) -> web.Response:
        return await calendar_feed(request, services)

    router.add_get("/calendar/{cop}.ics", feed)


def register(router: Router) -> None:
    router.command("meetings_unfollow", words.UNFOLLOW, following.unfollow, priority=33)
    router.command("meetings_follow", words.FOLLOW, following.follow, priority=34)
    router.command("meetings_skip", words.SKIP, editing.skip_next, priority=40)
    router.command("meetings_move", words.MOVE, editing.move_next, priority=41)
    router.command("meetings_add_event", words.ADD_EVENT, editing.add_event, priority=42)
    router.command("meetings_recording", words.RECORDING, followup.add_recording, priority=38)
    router.command("meetings_materials", words.MATERIALS, followup.add_materials, priority=38)
    router.command("meetings_summary", words.SUMMARY, followup.add_summary, priority=38)
    router.command("meetings_past", words.PAST, followup.show_past, priority=43)
    router.command("meetings_mine", words.MY_CALENDAR, calendar.show_my_calendar, priority=44)
    router.command("meetings_calendar", words.CALENDAR, calendar.show_calendar, priority=45)
    router.command("meetings_upcoming", words.UPCOMING, calendar.show_upcoming, priority=46)
    router.action(meeting_cards.ASK, questions.ask_action)
    router.action(meeting_cards.ANSWERED, questions.answered_action)
    router.action(meeting_cards.SKIP, editing.skip_action)
    router.action(meeting_cards.RESTORE, editing.restore_action)
    router.action(meeting_cards.FOLLOWUP_FORM, followup.form_action)
    router.action(meeting_cards.FOLLOWUP, followup.followup_action)
    router.action(meeting_cards.FEEDBACK, followup.feedback_action)
    router.action(FOLLOW, following.follow_action)


FEATURE = Feature(NAME, register, setup=setup, jobs=jobs, routes=routes)
