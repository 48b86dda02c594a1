"""Editing: focal points and admins skip, restore, move or theme one occurrence, or add a one-off
event. Each change is stored (with its audit entry and a raised SEQUENCE for subscribed calendars)
and, when the meeting was announced already, shown where people saw it: the announcement card is
updated, a change notice is posted in the channel, and the focal points' digests are refreshed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog

from copbot import formats
from copbot.clock import Clock
from copbot.meetings import claims
from copbot.meetings.calendar import Calendar
from copbot.meetings.claims import SENT, PostKey
from copbot.meetings.failures import log_send_failure
from copbot.meetings.occurrences import MOVE_REACH, Occurrence, occurrence_id, to_utc
from copbot.meetings.ports import MeetingCards
from copbot.meetings.posting import Posting
from copbot.meetings.questions import Questions
from copbot.meetings.schedule import ANNOUNCEMENT
from copbot.meetings.values import MeetingsError
from copbot.notifier import Notifier, SentMessage
from copbot.store import Database
from copbot.store.meetings_models import MeetingEvent, MeetingOverride, MeetingPost
from copbot.store.models import AuditEntry
from copbot.store.upsert import insert_ignore

log = structlog.get_logger(__name__)


class Editing:
    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        calendar: Calendar,
        posting: Posting,
        questions: Questions,
        notifier: Notifier,
        cards: MeetingCards,
        base_url: str,
    ):
        self.db = db
        self.clock = clock
        self.calendar = calendar
        self.posting = posting
        self.questions = questions
        self.notifier = notifier
        self.cards = cards
        self.base_url = base_url

    async def skip(self, occ: Occurrence, by: str) -> Occurrence:
        changed = await self._override(occ, by, skipped=True)
        log.info("meetings.skipped", occurrence_id=occ.id, by=by)
        await self._tell_channel_of_change(changed)
        return changed

    async def restore(self, occ: Occurrence, by: str) -> Occurrence:
        """Undo a skip and a move: the occurrence is back as the cadence has it."""
        changed = await self._override(occ, by, skipped=False, moved_to=None)
        log.info("meetings.restored", occurrence_id=occ.id, by=by)
        await self._tell_channel_of_change(changed)
        return changed

    async def move(self, occ: Occurrence, local_start: datetime, by: str) -> Occurrence:
        """Move to a local time in the CoP's zone (naive), at most MOVE_REACH from the original."""
        new_start = to_utc(local_start, occ.time_zone)
        original = occ.original_starts_at or occ.starts_at
        if abs(new_start - original) > MOVE_REACH:
            raise MeetingsError("meetings_move_too_far", count=MOVE_REACH.days)
        if new_start <= self.clock.now():
            raise MeetingsError("meetings_move_past")
        changed = await self._override(occ, by, moved_to=new_start, skipped=False)
        log.info("meetings.moved", occurrence_id=occ.id, by=by)
        await self._tell_channel_of_change(changed)
        return changed

    async def touch(self, occ: Occurrence, by: str) -> Occurrence:
        """Raise the SEQUENCE alone (the follow-up added a recording): calendars update the entry."""
        return await self._override(occ, by)

    async def set_theme(self, occ: Occurrence, theme: str, by: str) -> Occurrence:
        changed = await self._override(occ, by, theme=theme.strip()[:300])
        await self._refresh_announcement(changed)
        return changed

    async def add_event(
        self,
        cop_id: str,
        title: str,
        local_start: datetime,
        *,
        duration_minutes: int = 60,
        theme: str = "",
        series: str = "",
        format_: str | None = None,
        by: str,
    ) -> Occurrence:
        """A one-off event of a CoP (of one of its practice areas' series with `series`), of a
        format (the series' own by default). Without a title (and with a series or a format) it
        is named by them: "LHS Finance: Workshop"."""
        community = self.calendar.community(cop_id)
        title = title.strip()
        if series and community.series_of(series) is None:
            raise MeetingsError(
                "meetings_unknown_series",
                cop=community,
                name=series[:40],
                known=", ".join(s.key for s in community.series) or "-",
            )
        own = community.series_of(series)
        try:
            format_ = formats.check(format_) if format_ else (own or community).format
        except formats.UnknownFormat as exc:
            raise MeetingsError(
                "meetings_unknown_format", name=exc.value[:40], formats=formats.Listed()
            ) from exc
        if not title and not series and format_ == community.format:
            raise MeetingsError("meetings_event_needs_title")
        if not 5 <= duration_minutes <= 600:
            raise MeetingsError("meetings_event_duration")
        starts_at = to_utc(local_start, community.series_zone(series))
        if starts_at <= self.clock.now():
            raise MeetingsError("meetings_move_past")
        occ_id = occurrence_id(community.id, "event", local_start, series)
        if await self.calendar.occurrence(occ_id) is not None:
            raise MeetingsError("meetings_event_exists", occurrence=occ_id)
        now = self.clock.now()
        async with self.db.session() as session:
            inserted = await insert_ignore(
                session,
                MeetingEvent.__table__,
                {
                    "occurrence_id": occ_id,
                    "cop_id": community.id,
                    "title": title[:200],
                    "starts_at": starts_at,
                    "duration_minutes": duration_minutes,
                    "theme": theme.strip()[:300],
                    "created_at": now,
                    "created_by": by[:64],
                    "series": series,
                    "format": format_,
                },
                keys=["occurrence_id"],
            )
            if not inserted:
                raise MeetingsError("meetings_event_exists", occurrence=occ_id)
            session.add(
                AuditEntry(
                    at=now,
                    actor=by[:64],
                    action="meetings.event_added",
                    subject=occ_id,
                    details={"format": format_},
                )
            )
        log.info("meetings.event_added", occurrence_id=occ_id, format=format_, by=by)
        found = await self.calendar.occurrence(occ_id)
        assert found is not None
        return found

    async def _override(self, occ: Occurrence, by: str, **values: Any) -> Occurrence:
        now = self.clock.now()
        async with self.db.session() as session:
            await insert_ignore(
                session,
                MeetingOverride.__table__,
                {
                    "occurrence_id": occ.id,
                    "cop_id": occ.cop_id,
                    "skipped": False,
                    "moved_to": None,
                    "theme": None,
                    "sequence": 0,
                    "updated_at": now,
                    "updated_by": by[:64],
                },
                keys=["occurrence_id"],
            )
            row = await session.get(MeetingOverride, occ.id, with_for_update=True)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)
            row.sequence = (row.sequence or 0) + 1
            row.updated_at = now
            row.updated_by = by[:64]
            session.add(
                AuditEntry(
                    at=now,
                    actor=by[:64],
                    action="meetings.changed",
                    subject=occ.id,
                    details={
                        k: (v.isoformat() if isinstance(v, datetime) else v)
                        for k, v in values.items()
                    },
                )
            )
        changed = await self.calendar.occurrence(occ.id)
        assert changed is not None
        return changed

    async def _refresh_announcement(self, occ: Occurrence) -> MeetingPost | None:
        """Show the change on the announcement already posted (if any)."""
        row = await claims.get(self.db, PostKey(occ.cop_id, ANNOUNCEMENT, occ.id))
        if row is None or row.status != SENT or not row.activity_id:
            return None
        community = self.calendar.community(occ.cop_id)
        card = self.cards.announcement_card(
            occ, community, community.channel_language, base_url=self.base_url
        )
        try:
            await self.notifier.update_card(
                SentMessage(row.conversation_id, row.activity_id, row.service_url), card
            )
        except Exception as exc:  # the change is saved; a stale card is not worth failing for
            log_send_failure(log, "meetings.update_failed", exc, occurrence_id=occ.id)
        return row

    async def _tell_channel_of_change(self, occ: Occurrence) -> None:
        """A meeting already announced that is skipped or moved: update the card and post a notice."""
        now = self.clock.now()
        if occ.starts_at <= now and (occ.original_starts_at or occ.starts_at) <= now:
            return  # a change to the past (an admin tidying up): nothing to tell
        if await self._refresh_announcement(occ) is None:
            return
        await self.posting.post_change(occ)
        await self.questions.refresh_digests(occ)
