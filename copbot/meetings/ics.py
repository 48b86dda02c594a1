"""iCalendar feeds (RFC 5545) of CoP meetings that Outlook, Google Calendar or Apple Calendar can
subscribe to, or open for one meeting ("Add to calendar").

Every occurrence is one VEVENT (expanded, not an RRULE: skips, moves and themes are per
occurrence) with a stable UID, DTSTART/DTEND in the CoP's zone with its VTIMEZONE, a SEQUENCE
that grows with every change, and STATUS:CANCELLED for a skipped occurrence, so a subscribed
calendar updates the entry instead of duplicating it. The SUMMARY names a practice area's series
and a format other than "meeting"; CATEGORIES has the CoP, the series and the format.

After the meeting, its follow-up (`followups`) adds the recording as the event's URL and ATTACH,
each material as an ATTACH, and the summary to the description (the follow-up raised SEQUENCE).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import icalendar

from copbot import formats
from copbot.catalog import Catalog
from copbot.i18n import Lang, t
from copbot.markup import plain
from copbot.meetings.occurrences import Occurrence

if TYPE_CHECKING:
    from copbot.meetings.followup import FollowUpView

PRODID = "-//UN-Habitat//CoP Bot//EN"
UID_DOMAIN = "copbot.unhabitat.org"
CONTENT_TYPE = "text/calendar"


def uid_of(occurrence: Occurrence) -> str:
    """Stable across feeds, restarts and moves: derived from the occurrence id only."""
    digest = hashlib.sha1(occurrence.id.encode(), usedforsecurity=False).hexdigest()[:16]
    safe = occurrence.id.replace(":", "-")
    return f"{safe}-{digest}@{UID_DOMAIN}"


def summary_of(occ: Occurrence, lang: Lang) -> str:
    """The event's title naming its series and its format when the title does not already:
    "LHS Finance: Land value capture (Workshop)"; a CoP-wide meeting keeps its title."""
    summary = occ.title_in(lang)
    series = occ.series_in(lang)
    if series and series.casefold() not in summary.casefold():
        summary = f"{series}: {summary}"
    if occ.format != formats.MEETING:
        name = occ.format_in(lang)
        if name.casefold() not in summary.casefold():
            summary += f" ({name})"
    return summary


def build_calendar(
    occurrences: Iterable[Occurrence],
    catalog: Catalog,
    *,
    name: str,
    lang: Lang,
    now: datetime,
    base_url: str,
    refresh: timedelta = timedelta(hours=6),
    followups: Mapping[str, FollowUpView] | None = None,
) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(refresh).to_ical().decode())
    for occ in occurrences:
        community = catalog.get(occ.cop_id)
        cop_name = community.display_name(lang) if community else occ.cop_id
        event = icalendar.Event()
        event.add("uid", uid_of(occ))
        event.add("dtstamp", now)
        event.add("dtstart", occ.local_start)
        event.add("dtend", occ.local_start + occ.duration)
        summary = summary_of(occ, lang)
        if occ.theme:
            summary += f": {occ.theme}"
        event.add("summary", summary)
        lines = [cop_name]
        if occ.series:
            lines.append(t(lang, "meetings_ics_series", series=occ.series_in(lang)))
        lines.append(t(lang, "meetings_ics_format", format=occ.format_in(lang)))
        if occ.theme:
            lines.append(t(lang, "meetings_ics_theme", theme=occ.theme))
        followup = (followups or {}).get(occ.id)
        if followup is not None and followup.summary:
            lines.append(t(lang, "followup_ics_summary", summary=followup.summary))
        if followup is not None and followup.recording_url:
            lines.append(t(lang, "followup_ics_recording", url=followup.recording_url))
        if followup is None:
            lines.append(t(lang, "meetings_ics_questions"))
        event.add("description", plain("\n".join(lines)))
        event.add(
            "categories",
            [cop_name, *([occ.series_in(lang)] if occ.series else []), occ.format_in(lang)],
        )
        event.add("sequence", occ.sequence)
        event.add("status", "CANCELLED" if occ.skipped else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if occ.skipped else "OPAQUE")
        if occ.updated_at:
            event.add("last-modified", occ.updated_at)
        if followup is not None and followup.recording_url:
            event.add("url", followup.recording_url)
        else:
            event.add("url", f"{base_url}/calendar/{occ.cop_id}.ics")
        if followup is not None:
            links = [followup.recording_url, *followup.material_urls]
            for link in (link for link in links if link):
                event.add("attach", link, parameters={"VALUE": "URI"})
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
