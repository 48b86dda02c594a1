"""Feedback on a meeting: a 1-5 rating and an optional comment per person, from the card posted
with the follow-up. Giving it again changes it (one row per person and occurrence). Cards show
the count and the average, never who said what; the focal points get the results (ratings and
comments, without names). Comments are personal data: `copbot.retention` deletes the answers
after the retention period, and the audit log never holds their text.
"""

from __future__ import annotations

from collections import Counter as Tally
from dataclasses import dataclass, field

import structlog
from sqlalchemy import select

from copbot.clock import Clock
from copbot.meetings.calendar import Calendar
from copbot.meetings.followup import FeedbackCount
from copbot.meetings.values import MeetingsError
from copbot.store import Database
from copbot.store.followup_models import MeetingFeedback
from copbot.store.upsert import insert_ignore

log = structlog.get_logger(__name__)

MAX_COMMENT = 1000
FEEDBACK_REACH_DAYS = 60  # feedback is taken for this long after the meeting


@dataclass(frozen=True)
class FeedbackResults:
    count: int
    average: float | None
    ratings: dict[int, int] = field(default_factory=dict)  # rating -> how many
    comments: tuple[str, ...] = ()  # newest first, without names


class Feedback:
    def __init__(self, *, db: Database, clock: Clock, calendar: Calendar):
        self.db = db
        self.clock = clock
        self.calendar = calendar

    async def give(
        self, occ_id: str, person_id: str, rating: object, comment: str | None = None
    ) -> FeedbackCount:
        try:
            value = int(str(rating).strip())
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise MeetingsError("feedback_rating_needed")
        words = " ".join((comment or "").split())
        if len(words) > MAX_COMMENT:
            raise MeetingsError("feedback_comment_too_long", limit=MAX_COMMENT)
        occ = await self.calendar.occurrence(occ_id)
        if occ is None:
            raise MeetingsError("meetings_unknown_occurrence", occurrence=occ_id[:80])
        now = self.clock.now()
        if occ.starts_at > now:
            raise MeetingsError("feedback_not_yet")
        if (now - occ.starts_at).days > FEEDBACK_REACH_DAYS:
            raise MeetingsError("feedback_closed")
        async with self.db.session() as session:
            inserted = await insert_ignore(
                session,
                MeetingFeedback.__table__,
                {
                    "cop_id": occ.cop_id,
                    "occurrence_id": occ.id,
                    "person_id": person_id[:64],
                    "rating": value,
                    "comment": words,
                    "given_at": now,
                    "updated_at": now,
                },
                keys=["occurrence_id", "person_id"],
            )
            if not inserted:
                row = await session.scalar(
                    select(MeetingFeedback)
                    .where(
                        (MeetingFeedback.occurrence_id == occ.id)
                        & (MeetingFeedback.person_id == person_id[:64])
                    )
                    .with_for_update()
                )
                assert row is not None
                row.rating = value
                row.comment = words
                row.updated_at = now
        log.info("meetings.feedback_given", occurrence_id=occ.id, changed=not inserted)
        return await self.count(occ.id, person_id)

    async def _rows(self, occ_id: str) -> list[MeetingFeedback]:
        async with self.db.session() as session:
            return list(
                await session.scalars(
                    select(MeetingFeedback)
                    .where(MeetingFeedback.occurrence_id == occ_id)
                    .order_by(MeetingFeedback.updated_at.desc(), MeetingFeedback.id.desc())
                )
            )

    async def count(self, occ_id: str, person_id: str | None = None) -> FeedbackCount:
        rows = await self._rows(occ_id)
        mine = next((r for r in rows if person_id and r.person_id == person_id), None)
        return FeedbackCount(
            count=len(rows),
            average=_average([r.rating for r in rows]),
            mine=mine.rating if mine else None,
            my_comment=mine.comment if mine else "",
        )

    async def results(self, occ_id: str) -> FeedbackResults:
        rows = await self._rows(occ_id)
        ratings = [r.rating for r in rows]
        return FeedbackResults(
            count=len(rows),
            average=_average(ratings),
            ratings=dict(sorted(Tally(ratings).items())),
            comments=tuple(r.comment for r in rows if r.comment),
        )


def _average(ratings: list[int]) -> float | None:
    return round(sum(ratings) / len(ratings), 1) if ratings else None
