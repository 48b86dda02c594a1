"""CoP meetings in Teams: the calendar in chat, questions in advance from the channel
announcement, the focal points' digest, skip/move for focal points and admins, and the
`/calendar/*.ics` feeds. The posting itself is the domain's tick (`jobs`)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import structlog
from aiohttp import web

import cards.meetings as meeting_cards
from bot.feature import Feature
from bot.router import Router
from bot.turn import Turn
from copbot.catalog import Community
from copbot.i18n import LANGS, Lang
from copbot.meetings import MeetingsError
from copbot.meetings.dates import zone_label
from copbot.meetings.ics import CONTENT_TYPE, build_calendar
from copbot.meetings.occurrences import Occurrence
from copbot.services import Services
from scheduler.runner import Job

log = structlog.get_logger(__name__)

NAME = "meetings"
FEED_PAST = timedelta(days=31)
FEED_AHEAD = timedelta(days=366)

# Patterns run on folded text (lower case, no accents).
_END = r"\s*[.!?]*\s*$"
CALENDAR = [
    r"^\s*((show|see|list|voir|afficher|ver|mostrar)\s+(me\s+)?)?(the\s+|le\s+|les\s+|el\s+|los\s+)?"
    r"(calendar|events|upcoming (events|meetings)|(cop |next )?meetings|calendrier|evenements|"
    r"reunions|prochaines reunions|calendario|eventos|reuniones|proximas reuniones|agenda)" + _END,
]
MY_CALENDAR = [
    r"^\s*(my|mon|ma|mes|mi|mis)\s+(calendar|events|meetings|calendrier|agenda|evenements|reunions|"
    r"calendario|eventos|reuniones)" + _END,
]
_OF_FR = r"(de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+)?"
_OF_ES = r"(de\s+la\s+|del\s+|de\s+los\s+|de\s+)?"
UPCOMING = [
    r"^\s*(upcoming\s+|next\s+)?(meetings|events)\s+(of|for)\s+(the\s+)?(?P<name>.+?)" + _END,
    r"^\s*(upcoming\s+|next\s+)?(?P<name>[^\s]+(\s[^\s]+){0,4}?)\s+(meetings|events)" + _END,
    r"^\s*(prochaines\s+)?(reunions|evenements)\s+" + _OF_FR + r"(?P<name>.+?)" + _END,
    r"^\s*(proximas\s+)?(reuniones|eventos)\s+" + _OF_ES + r"(?P<name>.+?)" + _END,
]
SKIP = [
    r"^\s*(skip|cancel)\s+(the\s+)?next\s+(?P<name>.+?)\s+(meeting|event)" + _END,
    r"^\s*(annuler|sauter)\s+la\s+prochaine\s+(reunion|seance)\s+"
    + _OF_FR
    + r"(?P<name>.+?)"
    + _END,
    r"^\s*(cancelar|saltar|omitir)\s+la\s+proxima\s+(reunion|sesion)\s+"
    + _OF_ES
    + r"(?P<name>.+?)"
    + _END,
]
_WHEN = r"(?P<when>\d{4}-\d{1,2}-\d{1,2}([ t]+\d{1,2}[:h]\d{2})?)"
MOVE = [
    r"^\s*(move|reschedule|postpone)\s+(the\s+)?next\s+(?P<name>.+?)\s+(meeting|event)"
    r"(\s+(to|on)\s+" + _WHEN + r")?" + _END,
    r"^\s*(deplacer|reporter)\s+la\s+prochaine\s+(reunion|seance)\s+" + _OF_FR + r"(?P<name>.+?)"
    r"(\s+(au|a|le|pour le)\s+" + _WHEN + r")?" + _END,
    r"^\s*(mover|cambiar|aplazar)\s+la\s+proxima\s+(reunion|sesion)\s+" + _OF_ES + r"(?P<name>.+?)"
    r"(\s+(al|a|para el|el)\s+" + _WHEN + r")?" + _END,
]


# -- setup, jobs, routes -------------------------------------------------------------------------


def setup(services: Services) -> None:
    def details(
        community: Community, lang: Lang, person_id: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return _next_meeting_on_details(community, lang, services)

    async def readiness() -> tuple[str, dict[str, Any], list[str]]:
        return await _readiness(services)

    services.details_contributors.append(details)
    services.readiness.append(readiness)


def jobs(services: Services) -> list[Job]:
    return [
        Job.every("meetings.tick", services.config.meetings_tick_seconds, services.meetings.tick)
    ]


def routes(router: web.UrlDispatcher, services: Services) -> None:
    async def feed(request: web.Request) -> web.Response:
        return await calendar_feed(request, services)

    router.add_get("/calendar/{cop}.ics", feed)


async def calendar_feed(request: web.Request, services: Services) -> web.Response:
    """GET /calendar/all.ics, /calendar/{CoP}.ics (?occurrence=<id> for one, ?lang=fr|es)."""
    service = services.meetings
    cop = request.match_info["cop"]
    lang: Lang = request.query.get("lang", "en") if request.query.get("lang") in LANGS else "en"  # type: ignore[assignment]
    catalog = services.catalog
    if cop.lower() == "all":
        cop_ids = None
        name = "UN-Habitat Communities of Practice"
    else:
        community = catalog.get(cop)
        if community is None:
            known = ", ".join(catalog.ids())
            return web.Response(
                status=404,
                text=f"No Community of Practice {cop[:40]!r}. Known: {known}; or all.ics for every one.\n",
                content_type="text/plain",
            )
        cop_ids = [community.id]
        name = community.display_name(lang)
    now = services.clock.now()
    occurrences = await service.occurrences(now - FEED_PAST, now + FEED_AHEAD, cop_ids=cop_ids)
    wanted = request.query.get("occurrence")
    if wanted:
        occurrences = [o for o in occurrences if o.id == wanted]
        if not occurrences:
            found = await service.occurrence(wanted)
            if found is None or (cop_ids and found.cop_id not in cop_ids):
                return web.Response(
                    status=404,
                    text=f"No meeting {wanted[:80]!r} in this calendar.\n",
                    content_type="text/plain",
                )
            occurrences = [found]
    body = build_calendar(
        occurrences,
        catalog,
        name=name,
        lang=lang,
        now=now,
        base_url=services.config.public_base_url,
    )
    filename = f"{cop if cop_ids else 'all'}.ics"
    return web.Response(
        body=body,
        content_type=CONTENT_TYPE,
        charset="utf-8",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "public, max-age=900",
        },
    )


async def _readiness(services: Services) -> tuple[str, dict[str, Any], list[str]]:
    """CoPs whose announcements have nowhere to go; informative, the instance stays ready."""
    problems = await services.meetings.channel_problems()
    warnings = [f"warning: meetings: {cop}: {why}" for cop, why in problems.items()]
    return NAME, {"ok": True, "channels_missing": problems}, warnings


def _next_meeting_on_details(
    community: Community, lang: Lang, services: Services
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    occ = services.meetings.next_occurrence_cached(community.id)
    if occ is None:
        return [], []
    return meeting_cards.next_meeting_lines(occ, lang, base_url=services.config.public_base_url)


# -- chat ----------------------------------------------------------------------------------------


async def show_calendar(turn: Turn, services: Services) -> None:
    occurrences = await services.meetings.upcoming(days=92)
    await turn.send_card(
        meeting_cards.calendar_card(
            occurrences,
            {c.id: c for c in services.catalog},
            turn.lang,
            base_url=services.config.public_base_url,
        )
    )


async def my_cop_ids(services: Services, person_id: str) -> list[str]:
    """The CoPs a person belongs to, and those they are a focal point of."""
    ids: set[str] = {c.id for c in services.catalog.focal_point_of(person_id)}
    ids |= {m.cop_id for m in (await services.membership.my_communities(person_id)).memberships}
    return [c for c in services.catalog.ids() if c in ids]


async def show_my_calendar(turn: Turn, services: Services) -> None:
    cop_ids = await my_cop_ids(services, turn.user_id)
    occurrences = await services.meetings.upcoming(days=92, cop_ids=cop_ids) if cop_ids else []
    await turn.send_card(
        meeting_cards.calendar_card(
            occurrences,
            {c.id: c for c in services.catalog},
            turn.lang,
            base_url=services.config.public_base_url,
            mine=True,
        )
    )


def _community(turn: Turn, services: Services) -> Community | None:
    name = turn.original("name") or ""
    return services.catalog.resolve(name) if name else None


async def _unknown(turn: Turn) -> None:
    name = turn.original("name") or turn.text
    await turn.reply(MeetingsError("meetings_unknown_cop", name=name[:80]).text(turn.lang))


async def upcoming_card_for(
    services: Services, community: Community, person_id: str, lang: Lang
) -> dict[str, Any]:
    service = services.meetings
    occurrences = await service.upcoming(days=200, cop_ids=[community.id], limit=6)
    can_manage = service.can_manage(person_id, community)
    posts = await service.posts([o.id for o in occurrences]) if can_manage else {}
    due_times = {
        (o.id, kind): service.post_time(kind, o)
        for o in occurrences
        for kind in service.policy.kinds()
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
    community = _community(turn, services)
    if community is None:  # "all meetings", "future events"...: the calendar answers
        await show_calendar(turn, services)
        return
    await turn.send_card(await upcoming_card_for(services, community, turn.user_id, turn.lang))


async def _managed_next(turn: Turn, services: Services) -> tuple[Community, Occurrence] | None:
    community = _community(turn, services)
    if community is None:
        await _unknown(turn)
        return None
    service = services.meetings
    try:
        if not service.can_manage(turn.user_id, community):
            raise MeetingsError("meetings_not_allowed", cop=community)
        occ = await service.resolve(community.id, "next")
    except MeetingsError as exc:
        await turn.reply(exc.text(turn.lang))
        return None
    return community, occ


async def skip_next(turn: Turn, services: Services) -> None:
    found = await _managed_next(turn, services)
    if found is None:
        return
    community, occ = found
    changed = await services.meetings.skip(occ, turn.user_id)
    await turn.send_card(
        meeting_cards.changed_card(
            changed, community, turn.lang, base_url=services.config.public_base_url
        )
    )


def parse_when(value: str) -> tuple[datetime, bool] | None:
    """'2026-12-15 14:00' -> (naive local datetime, True); '2026-12-15' -> (date at 00:00, False)."""
    found = re.fullmatch(
        r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]+(\d{1,2})[:h](\d{2}))?\s*", value or "", re.I
    )
    if not found:
        return None
    year, month, day, hour, minute = found.groups()
    try:
        return (
            datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0)),
            hour is not None,
        )
    except ValueError:
        return None


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
        changed = await services.meetings.move(occ, local, turn.user_id)
    except MeetingsError as exc:
        await turn.reply(exc.text(turn.lang))
        return
    await turn.send_card(
        meeting_cards.changed_card(
            changed, community, turn.lang, base_url=services.config.public_base_url
        )
    )


# -- card actions --------------------------------------------------------------------------------


def _is_invoke(turn: Turn) -> bool:
    return turn.activity.type == "invoke"


async def ask_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any] | None:
    """ "Ask a question in advance" on the channel announcement (Action.Execute).

    The answer is the announcement as only the asker sees it (Teams shows an invoke response card
    to the person who clicked), with the confirmation on top. Through Action.Submit (older
    clients), a card answer would be posted to the whole channel, so the confirmation goes to the
    asker's 1:1 chat instead.
    """
    service = services.meetings
    occ_id = str(data.get("occurrence", ""))[:80]
    base_url = services.config.public_base_url
    try:
        result = await service.ask(
            occ_id, turn.user_id, turn.user_name, turn.lang, str(data.get("question") or "")
        )
    except MeetingsError as exc:
        occ = await service.occurrence(occ_id)
        if occ is None or not _is_invoke(turn):
            await _private_text(turn, services, exc.text(turn.lang))
            return None
        card = meeting_cards.announcement_card(
            occ, service.community(occ.cop_id), turn.lang, base_url=base_url
        )
        card["body"].insert(0, meeting_cards.error_line(exc.text(turn.lang)))
        return card
    community = service.community(result.occurrence.cop_id)
    if not _is_invoke(turn):
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
        log.warning("meetings.private_reply_failed", error=type(exc).__name__)


async def answered_action(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | None:
    """ "Mark answered" on a digest: record it, tell the asker, refresh every copy of the digest."""
    service = services.meetings
    occ = await service.occurrence(str(data.get("occurrence", ""))[:80])
    error = None
    try:
        question_id = int(data.get("question", 0))
        await service.mark_answered(question_id, turn.user_id, turn.user_name)
    except (TypeError, ValueError):
        error = MeetingsError("meetings_unknown_question").text(turn.lang)
    except MeetingsError as exc:
        error = exc.text(turn.lang)
    if occ is None:
        if error:
            await turn.reply(error)
        return None
    community = service.community(occ.cop_id)
    if data.get("late"):
        row = await service.question(int(data.get("question", 0) or 0))
        questions = [q for q in await service.digest_questions(occ) if row and q.id == row.id]
    else:
        questions = await service.digest_questions(occ)
    card = meeting_cards.digest_card(
        occ, community, questions, turn.lang, late=bool(data.get("late"))
    )
    if error:
        card["body"].insert(0, meeting_cards.error_line(error))
    elif not data.get("late"):
        await service.refresh_digests(occ, except_activity=turn.activity.reply_to_id)
    if not _is_invoke(turn):
        await turn.send_card(card)
        return None
    return card


async def _change_action(
    turn: Turn, services: Services, data: dict[str, Any], *, restore: bool
) -> dict[str, Any] | str:
    """A refusal is the answer itself: for Action.Execute the clicker sees it, not "Done."."""
    service = services.meetings
    occ = await service.occurrence(str(data.get("occurrence", ""))[:80])
    if occ is None:
        return MeetingsError(
            "meetings_unknown_occurrence", occurrence=str(data.get("occurrence"))[:80]
        ).text(turn.lang)
    community = service.community(occ.cop_id)
    if not service.can_manage(turn.user_id, community):
        return MeetingsError("meetings_not_allowed", cop=community).text(turn.lang)
    if restore:
        changed = await service.restore(occ, turn.user_id)
    else:
        changed = await service.skip(occ, turn.user_id)
    return meeting_cards.changed_card(
        changed, community, turn.lang, base_url=services.config.public_base_url
    )


async def skip_action(turn: Turn, services: Services, data: dict[str, Any]) -> dict[str, Any] | str:
    return await _change_action(turn, services, data, restore=False)


async def restore_action(
    turn: Turn, services: Services, data: dict[str, Any]
) -> dict[str, Any] | str:
    return await _change_action(turn, services, data, restore=True)


ADD_EVENT = [
    r"^\s*add\s+(an?\s+)?(event|webinar|training|session)\s+(to|for)\s+(the\s+)?(?P<name>\S+)"
    r"\s+(on|at)\s+"
    + _WHEN
    + r"(\s+for\s+(?P<minutes>\d{1,3})\s*(min|minutes))?\s*[:,-]\s*(?P<title>.+?)\s*$",
    r"^\s*ajouter\s+(un\s+)?(evenement|webinaire|formation|seance)\s+(a|pour)\s+(la\s+)?(?P<name>\S+)"
    r"\s+(le|au)\s+"
    + _WHEN
    + r"(\s+pour\s+(?P<minutes>\d{1,3})\s*(min|minutes))?\s*[:,-]\s*(?P<title>.+?)\s*$",
    r"^\s*(agregar|anadir)\s+(un\s+)?(evento|seminario web|seminario|capacitacion|sesion)\s+(a|para)\s+"
    r"(la\s+)?(?P<name>\S+)\s+(el|para el)\s+"
    + _WHEN
    + r"(\s+de\s+(?P<minutes>\d{1,3})\s*(min|minutos))?\s*[:,-]\s*(?P<title>.+?)\s*$",
]


async def add_event(turn: Turn, services: Services) -> None:
    """ "add an event to UBS on 2026-12-03 15:00 for 45 minutes: Webinar on water operators"."""
    community = _community(turn, services)
    if community is None:
        await _unknown(turn)
        return
    service = services.meetings
    parsed = parse_when(turn.match.group("when") if turn.match else "")
    try:
        if not service.can_manage(turn.user_id, community):
            raise MeetingsError("meetings_not_allowed", cop=community)
        if parsed is None or not parsed[1]:
            raise MeetingsError("meetings_add_event_how", cop=community.id)
        minutes = int(turn.match.group("minutes") or 60) if turn.match else 60
        occ = await service.add_event(
            community.id,
            turn.original("title"),
            parsed[0],
            duration_minutes=minutes,
            by=turn.user_id,
        )
    except MeetingsError as exc:
        await turn.reply(exc.text(turn.lang))
        return
    await turn.send_card(
        meeting_cards.changed_card(
            occ, community, turn.lang, base_url=services.config.public_base_url
        )
    )


def register(router: Router) -> None:
    router.command("meetings_skip", SKIP, skip_next, priority=40)
    router.command("meetings_move", MOVE, move_next, priority=41)
    router.command("meetings_add_event", ADD_EVENT, add_event, priority=42)
    router.command("meetings_mine", MY_CALENDAR, show_my_calendar, priority=44)
    router.command("meetings_calendar", CALENDAR, show_calendar, priority=45)
    router.command("meetings_upcoming", UPCOMING, show_upcoming, priority=46)
    router.action(meeting_cards.ASK, ask_action)
    router.action(meeting_cards.ANSWERED, answered_action)
    router.action(meeting_cards.SKIP, skip_action)
    router.action(meeting_cards.RESTORE, restore_action)


FEATURE = Feature(NAME, register, setup=setup, jobs=jobs, routes=routes)
