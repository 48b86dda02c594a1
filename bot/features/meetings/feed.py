"""The calendar feeds people subscribe to: GET /calendar/all.ics and /calendar/{CoP}.ics
(?occurrence=<id> for one entry, ?lang=fr|es), iCalendar built by the domain (`copbot.meetings.ics`)."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from copbot.i18n import LANGS, Lang
from copbot.meetings.ics import CONTENT_TYPE, build_calendar
from copbot.services import Services

FEED_PAST = timedelta(days=31)
FEED_AHEAD = timedelta(days=366)


def _lang(request: web.Request) -> Lang:
    wanted = request.query.get("lang", "en")
    return next((lang for lang in LANGS if lang == wanted), "en")


def _not_found(text: str) -> web.Response:
    return web.Response(status=404, text=text, content_type="text/plain")


async def calendar_feed(request: web.Request, services: Services) -> web.Response:
    calendar = services.meetings.calendar
    cop = request.match_info["cop"]
    lang = _lang(request)
    catalog = services.catalog
    cop_ids: list[str] | None
    if cop.lower() == "all":
        cop_ids = None
        name = "UN-Habitat Communities of Practice"
    else:
        community = catalog.get(cop)
        if community is None:
            known = ", ".join(catalog.ids())
            return _not_found(
                f"No Community of Practice {cop[:40]!r}. Known: {known}; or all.ics for every one.\n"
            )
        cop_ids = [community.id]
        name = community.display_name(lang)
    now = services.clock.now()
    occurrences = await calendar.occurrences(now - FEED_PAST, now + FEED_AHEAD, cop_ids=cop_ids)
    wanted = request.query.get("occurrence")
    if wanted:
        occurrences = [o for o in occurrences if o.id == wanted]
        if not occurrences:
            found = await calendar.occurrence(wanted)
            if found is None or (cop_ids and found.cop_id not in cop_ids):
                return _not_found(f"No meeting {wanted[:80]!r} in this calendar.\n")
            occurrences = [found]
    body = build_calendar(
        occurrences,
        catalog,
        name=name,
        lang=lang,
        now=now,
        base_url=services.config.public_base_url,
        followups=await services.meetings.followups.of([o.id for o in occurrences]),
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
