"""Calendar: which occurrences each CoP has (its cadences and events, with the changes people made),
read from the catalog and the database. Also who may manage a CoP's meetings.

The changes (overrides, added events) are small tables read whole per CoP. The last read is kept
per CoP for callers that cannot wait (the details card); every read refreshes it, so every tick.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select

from copbot.admins import Admins
from copbot.catalog import Catalog, Community
from copbot.clock import Clock
from copbot.meetings.occurrences import (
    AddedEvent,
    Occurrence,
    Override,
    all_occurrences,
    community_occurrences,
    find_occurrence,
    parse_occurrence_id,
)
from copbot.meetings.series import focal_point_ids
from copbot.meetings.values import MeetingsError
from copbot.store import Database
from copbot.store.meetings_models import MeetingEvent, MeetingOverride

Changes = tuple[dict[str, Override], list[AddedEvent]]


class Calendar:
    def __init__(self, *, db: Database, catalog: Catalog, clock: Clock, admins: Admins):
        self.db = db
        self.catalog = catalog
        self.clock = clock
        self.admins = admins
        self._cached: dict[str, Changes] = {}

    def now(self) -> datetime:
        return self.clock.now()

    def community(self, cop_id: str) -> Community:
        community = self.catalog.get(cop_id)
        if community is None:
            raise MeetingsError("meetings_unknown_cop", name=cop_id[:40])
        return community

    def can_manage(self, person_id: str, community: Community, series: str = "") -> bool:
        """Its focal points (and a series' own) and the admins skip, move and add events, and mark
        questions answered."""
        if person_id.lower() in focal_point_ids(community, series):
            return True
        return self.admins.includes(person_id)

    async def changes(self, cop_ids: Iterable[str] | None = None) -> Changes:
        """Overrides and added events from the database (all CoPs', or these CoPs')."""
        wanted = list(cop_ids) if cop_ids is not None else None
        async with self.db.session() as session:
            q_over = select(MeetingOverride)
            q_events = select(MeetingEvent)
            if wanted is not None:
                q_over = q_over.where(MeetingOverride.cop_id.in_(wanted))
                q_events = q_events.where(MeetingEvent.cop_id.in_(wanted))
            overrides = {
                row.occurrence_id: Override(
                    occurrence_id=row.occurrence_id,
                    skipped=row.skipped,
                    moved_to=row.moved_to,
                    theme=row.theme,
                    sequence=row.sequence,
                    updated_at=row.updated_at,
                )
                for row in await session.scalars(q_over)
            }
            events = [
                AddedEvent(
                    occurrence_id=row.occurrence_id,
                    cop_id=row.cop_id,
                    title=row.title,
                    starts_at=row.starts_at,
                    duration_minutes=row.duration_minutes,
                    theme=row.theme,
                    series=row.series,
                    format=row.format,
                )
                for row in await session.scalars(q_events)
            ]
        for cop_id in wanted if wanted is not None else self.catalog.ids():
            self._cached[cop_id] = (
                {k: v for k, v in overrides.items() if k.startswith(f"{cop_id}:")},
                [e for e in events if e.cop_id == cop_id],
            )
        return overrides, events

    async def occurrences(
        self,
        start: datetime,
        end: datetime,
        *,
        cop_ids: Iterable[str] | None = None,
        include_skipped: bool = True,
    ) -> list[Occurrence]:
        wanted = list(cop_ids) if cop_ids is not None else None
        overrides, events = await self.changes(wanted)
        return all_occurrences(
            self.catalog,
            start,
            end,
            overrides=overrides,
            added_events=events,
            include_skipped=include_skipped,
            cop_ids=wanted,
        )

    async def upcoming(
        self,
        *,
        days: int = 92,
        cop_ids: Iterable[str] | None = None,
        include_skipped: bool = True,
        limit: int | None = None,
    ) -> list[Occurrence]:
        """Occurrences that have not ended yet, in the next `days`."""
        now = self.now()
        items = await self.occurrences(
            now - timedelta(hours=12),
            now + timedelta(days=days),
            cop_ids=cop_ids,
            include_skipped=include_skipped,
        )
        items = [o for o in items if o.ends_at > now]
        return items[:limit] if limit else items

    async def next_occurrence(self, cop_id: str, series: str | None = None) -> Occurrence | None:
        """The CoP's next meeting or event that has not started and is not skipped (of one
        series when `series` is given: "" for the CoP-wide meetings)."""
        community = self.catalog.get(cop_id)
        if community is None:
            return None
        now = self.now()
        overrides, events = await self.changes([community.id])
        for days in (100, 400):
            found = self._next(community, now, days, (overrides, events), series)
            if found is not None:
                return found
        return None

    def next_occurrence_cached(self, cop_id: str) -> Occurrence | None:
        """`next_occurrence` without waiting: with the changes last read (at most a tick old)."""
        community = self.catalog.get(cop_id)
        if community is None:
            return None
        return self._next(community, self.now(), 400, self._cached.get(community.id, ({}, [])))

    @staticmethod
    def _next(
        community: Community,
        now: datetime,
        days: int,
        changes: Changes,
        series: str | None = None,
    ) -> Occurrence | None:
        overrides, events = changes
        items = community_occurrences(
            community,
            now,
            now + timedelta(days=days),
            overrides=overrides,
            added_events=events,
            include_skipped=False,
        )
        return next((o for o in items if o.starts_at > now and series in (None, o.series)), None)

    async def occurrence(self, occ_id: str) -> Occurrence | None:
        """The occurrence with this id (ids come from cards: anything malformed is None)."""
        parsed = parse_occurrence_id(occ_id)
        if parsed is None or self.catalog.get(parsed[0]) is None:
            return None
        overrides, events = await self.changes([parsed[0]])
        return find_occurrence(self.catalog, occ_id, overrides=overrides, added_events=events)

    async def resolve(
        self, cop_id: str, ref: str | None = "next", *, series: str | None = ""
    ) -> Occurrence:
        """An occurrence named by id, or "next" (the next one not skipped) of this CoP's CoP-wide
        meetings (of a practice area's series with `series`; of any with None)."""
        community = self.community(cop_id)
        if not ref or ref == "next":
            found = await self.next_occurrence(community.id, series)
            if found is None:
                raise MeetingsError("meetings_none_upcoming", cop=community)
            return found
        found = await self.occurrence(ref)
        if found is None or found.cop_id != community.id:
            raise MeetingsError("meetings_unknown_occurrence", occurrence=ref[:80])
        return found
