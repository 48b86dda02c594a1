"""When a CoP meets: occurrences of its cadences and one-off events, with skips, moves and themes.

Pure functions over the catalog and the overrides kept in the database (no I/O here).

- A cadence is an iCalendar RRULE over *wall-clock* time in the CoP's zone: "the second Tuesday at
  10:00 in Nairobi" stays at 10:00 local when the zone changes to or from daylight saving time. The
  rule is expanded on naive local datetimes, then each is placed in the zone and converted to UTC.
  A local time that does not exist (inside a spring-forward gap) is read with the offset before the
  change, as zoneinfo does (02:30 becomes 03:30 summer time).
- An occurrence id is stable and readable: ``<CoP>:<cadence index>:<original local start>`` for a
  cadence (``UBS:0:2026-12-16T10:00``), ``<CoP>:event:<local start>`` for a one-off event. A move
  keeps the id: the occurrence is the same meeting at another time (posts, questions and the
  calendar entry follow it). A practice area's series puts its key after the CoP's
  (``LHS:finance:0:2026-12-09T14:00``, ``LHS:finance:event:2026-12-03T15:00``): everything keyed
  by the occurrence id (the post claims, questions, overrides) is therefore per series.
- A move may shift an occurrence by at most `MOVE_REACH` (about three months), which keeps the
  computation of a window bounded; further than that, skip it and add an event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

from copbot import formats
from copbot.catalog import Cadence, Catalog, Community, OneOffEvent
from copbot.i18n import LANGS, Lang, t

MOVE_REACH = timedelta(days=92)
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
_ID_RE = re.compile(
    r"^(?P<cop>[A-Z][A-Z0-9_-]{1,15}):(?:(?P<series>[a-z][a-z0-9-]{1,23}):)?"
    r"(?P<source>\d{1,3}|event):(?P<local>\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$"
)

SCHEDULED, MOVED, SKIPPED = "scheduled", "moved", "skipped"


@dataclass(frozen=True)
class Override:
    """What admins or focal points changed about one occurrence."""

    occurrence_id: str
    skipped: bool = False
    moved_to: datetime | None = None  # aware UTC
    theme: str | None = None
    sequence: int = 0  # bumped at every change (iCalendar SEQUENCE)
    updated_at: datetime | None = None


@dataclass(frozen=True)
class AddedEvent:
    """A one-off event an admin or focal point added (kept in the database)."""

    occurrence_id: str
    cop_id: str
    title: str
    starts_at: datetime  # aware UTC
    duration_minutes: int = 60
    theme: str = ""
    series: str = ""  # "" = the CoP-wide series
    format: str = formats.MEETING


@dataclass(frozen=True)
class Occurrence:
    id: str
    cop_id: str
    kind: str  # "meeting" (a cadence) | "event" (one-off)
    starts_at: datetime  # aware UTC, after a move
    duration: timedelta
    time_zone: str
    titles: Mapping[str, str] = field(default_factory=dict)
    theme: str = ""
    original_starts_at: datetime | None = None
    skipped: bool = False
    sequence: int = 0
    updated_at: datetime | None = None
    typed_title: bool = False  # the title was typed by a person (an added event): cards escape it
    series: str = ""  # the practice area's series key; "" = the CoP-wide meetings
    series_titles: Mapping[str, str] = field(default_factory=dict)  # its name, per language
    format: str = formats.MEETING  # copbot.formats

    def series_in(self, lang: Lang) -> str:
        """The series' name ("LHS Finance"), "" for the CoP-wide meetings."""
        return self.series_titles.get(lang) or self.series_titles.get("en") or ""

    def format_in(self, lang: Lang) -> str:
        return formats.label(self.format, lang)

    @property
    def title(self) -> str:
        """The title in English (`title_in(lang)` for another language)."""
        return self.title_in("en")

    def title_in(self, lang: Lang) -> str:
        return self.titles.get(lang) or self.titles.get("en") or self.cop_id

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + self.duration

    @property
    def moved(self) -> bool:
        return self.original_starts_at is not None and self.starts_at != self.original_starts_at

    @property
    def status(self) -> str:
        if self.skipped:
            return SKIPPED
        return MOVED if self.moved else SCHEDULED

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(self.time_zone))


def occurrence_id(cop_id: str, source: int | str, local_start: datetime, series: str = "") -> str:
    middle = f"{series}:{source}" if series else str(source)
    return f"{cop_id}:{middle}:{local_start.strftime(LOCAL_FORMAT)}"


def parse_occurrence_id(value: str) -> tuple[str, str, datetime] | None:
    """(CoP id, cadence index or "event", original local start) or None when malformed."""
    found = _ID_RE.match(value or "")
    if not found:
        return None
    try:
        local = datetime.strptime(found["local"], LOCAL_FORMAT)
    except ValueError:
        return None
    return found["cop"], found["source"], local


def series_of_id(value: str) -> str:
    """The series key an occurrence id names ("" for the CoP-wide meetings, or malformed)."""
    found = _ID_RE.match(value or "")
    return (found["series"] or "") if found else ""


def to_utc(local_naive: datetime, time_zone: str) -> datetime:
    return local_naive.replace(tzinfo=ZoneInfo(time_zone)).astimezone(UTC)


def _titles(
    community: Community,
    cadence_title: Mapping[str, str] | None,
    series: Mapping[str, str] | None = None,
    format_: str = formats.MEETING,
) -> dict[str, str]:
    if cadence_title:
        return dict(cadence_title)
    if series:
        return {
            lang: t(
                lang,
                "meetings_series_title",
                series=series[lang],
                format=formats.label(format_, lang),
            )
            for lang in LANGS
        }
    return {
        lang: t(lang, "meetings_default_title", name=community.display_name(lang)) for lang in LANGS
    }


@dataclass(frozen=True)
class _Series:
    """One series of a community as occurrences need it (the CoP-wide one has key "")."""

    key: str
    titles: dict[str, str]
    format: str
    meetings: list[Cadence]
    events: list[OneOffEvent]
    time_zone: str


def _series(community: Community) -> list[_Series]:
    found = [
        _Series("", {}, community.format, community.meetings, community.events, community.time_zone)
    ]
    for s in community.series:
        found.append(
            _Series(
                s.key,
                s.title.as_dict(),
                s.format,
                s.meetings,
                s.events,
                s.time_zone or community.time_zone,
            )
        )
    return found


def _rule(cadence: Cadence) -> rrule | rruleset:
    start = datetime.combine(
        datetime.strptime(cadence.start_date, "%Y-%m-%d").date(), dtime.fromisoformat(cadence.time)
    )
    return rrulestr(cadence.rrule, dtstart=start, ignoretz=True)


def cadence_starts(
    community: Community,
    index: int,
    start: datetime,
    end: datetime,
    series: _Series | None = None,
) -> list[tuple[str, datetime]]:
    """(occurrence id, original UTC start) of one cadence with start <= UTC start < end."""
    series = series or _series(community)[0]
    cadence = series.meetings[index]
    zone = ZoneInfo(series.time_zone)
    # Expand in local wall-clock time, a day wider each side for the zone offset.
    local_from = start.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    local_to = end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    found = []
    for local in _rule(cadence).between(local_from, local_to, inc=True):
        utc = to_utc(local, series.time_zone)
        if start <= utc < end:
            found.append((occurrence_id(community.id, index, local, series.key), utc))
    return found


def _catalog_events(community: Community, series: _Series) -> list[AddedEvent]:
    events = []
    for event in series.events:
        local = datetime.strptime(event.start, "%Y-%m-%d %H:%M")
        events.append(
            AddedEvent(
                occurrence_id=occurrence_id(community.id, "event", local, series.key),
                cop_id=community.id,
                title="",  # titles come from the catalog, per language
                starts_at=to_utc(local, series.time_zone),
                duration_minutes=event.duration_minutes,
                theme=event.theme,
                series=series.key,
                format=event.format or series.format,
            )
        )
    return events


def _event_titles(
    community: Community, series: _Series, event_id: str, added: AddedEvent
) -> dict[str, str]:
    for event in series.events:
        local = datetime.strptime(event.start, "%Y-%m-%d %H:%M")
        if occurrence_id(community.id, "event", local, series.key) == event_id:
            return {lang: event.title_in(lang) for lang in LANGS}
    if not added.title:  # added without a title: named by its series and format
        return _titles(community, None, series.titles or _cop_titles(community), added.format)
    return dict.fromkeys(LANGS, added.title)


def _cop_titles(community: Community) -> dict[str, str]:
    return {lang: community.display_name(lang) for lang in LANGS}


def _apply(occurrence: Occurrence, override: Override | None) -> Occurrence:
    if override is None:
        return occurrence
    return replace(
        occurrence,
        starts_at=override.moved_to or occurrence.starts_at,
        theme=override.theme if override.theme is not None else occurrence.theme,
        skipped=override.skipped,
        sequence=override.sequence,
        updated_at=override.updated_at,
    )


def community_occurrences(
    community: Community,
    start: datetime,
    end: datetime,
    *,
    overrides: Mapping[str, Override] | None = None,
    added_events: Iterable[AddedEvent] = (),
    include_skipped: bool = True,
) -> list[Occurrence]:
    """Occurrences of one CoP whose (effective) start is in [start, end), in time order."""
    overrides = overrides or {}
    # Originals up to MOVE_REACH outside the window may have been moved into it.
    wide_from, wide_to = start - MOVE_REACH, end + MOVE_REACH
    added = [e for e in added_events if e.cop_id == community.id]
    items: list[Occurrence] = []
    for series in _series(community):
        items += _series_items(community, series, wide_from, wide_to, added)
    result = [
        occ
        for occ in (_apply(o, overrides.get(o.id)) for o in items)
        if start <= occ.starts_at < end and (include_skipped or not occ.skipped)
    ]
    return sorted(result, key=lambda o: (o.starts_at, o.id))


def _series_items(
    community: Community,
    series: _Series,
    wide_from: datetime,
    wide_to: datetime,
    added: list[AddedEvent],
) -> list[Occurrence]:
    items: list[Occurrence] = []
    zone = series.time_zone
    for index, cadence in enumerate(series.meetings):
        format_ = cadence.format or series.format
        titles = _titles(
            community, cadence.title.as_dict() if cadence.title else None, series.titles, format_
        )
        duration = timedelta(minutes=cadence.duration_minutes)
        for occ_id, utc in cadence_starts(community, index, wide_from, wide_to, series):
            local_date = utc.astimezone(ZoneInfo(zone)).date().isoformat()
            items.append(
                Occurrence(
                    id=occ_id,
                    cop_id=community.id,
                    kind="meeting",
                    starts_at=utc,
                    duration=duration,
                    time_zone=zone,
                    titles=titles,
                    theme=cadence.themes.get(local_date, ""),
                    original_starts_at=utc,
                    series=series.key,
                    series_titles=series.titles,
                    format=format_,
                )
            )
    from_catalog = _catalog_events(community, series)
    events = [*from_catalog, *(e for e in added if e.series == series.key)]
    for event in events:
        if not wide_from <= event.starts_at < wide_to:
            continue
        items.append(
            Occurrence(
                id=event.occurrence_id,
                cop_id=community.id,
                kind="event",
                starts_at=event.starts_at,
                duration=timedelta(minutes=event.duration_minutes),
                time_zone=zone,
                titles=_event_titles(community, series, event.occurrence_id, event),
                theme=event.theme,
                original_starts_at=event.starts_at,
                typed_title=event not in from_catalog and bool(event.title),
                series=series.key,
                series_titles=series.titles,
                format=event.format,
            )
        )
    return items


def all_occurrences(
    catalog: Catalog,
    start: datetime,
    end: datetime,
    *,
    overrides: Mapping[str, Override] | None = None,
    added_events: Iterable[AddedEvent] = (),
    include_skipped: bool = True,
    cop_ids: Iterable[str] | None = None,
) -> list[Occurrence]:
    wanted = set(cop_ids) if cop_ids is not None else None
    added = list(added_events)
    items: list[Occurrence] = []
    for community in catalog:
        if wanted is not None and community.id not in wanted:
            continue
        items += community_occurrences(
            community,
            start,
            end,
            overrides=overrides,
            added_events=added,
            include_skipped=include_skipped,
        )
    return sorted(items, key=lambda o: (o.starts_at, o.id))


def find_occurrence(
    catalog: Catalog,
    occ_id: str,
    *,
    overrides: Mapping[str, Override] | None = None,
    added_events: Iterable[AddedEvent] = (),
) -> Occurrence | None:
    """The occurrence with this id, when the catalog (or an added event) really has it."""
    parsed = parse_occurrence_id(occ_id)
    if parsed is None:
        return None
    cop_id, _source, local = parsed
    community = catalog.get(cop_id)
    if community is None:
        return None
    series = series_of_id(occ_id)
    if series and community.series_of(series) is None:
        return None
    original = to_utc(local, community.series_zone(series))
    reach = timedelta(hours=30)
    for occ in community_occurrences(
        community,
        original - MOVE_REACH - reach,
        original + MOVE_REACH + reach,
        overrides=overrides,
        added_events=added_events,
    ):
        if occ.id == occ_id:
            return occ
    return None
