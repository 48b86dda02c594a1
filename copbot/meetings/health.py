"""CoP health for the coordinator of all CoPs: per CoP over the last year (`copbot report
--health`, and the admins' health card).

- meetings planned: occurrences whose start fell in the year, cancelled ones included; held: those
  not cancelled (a meeting is "held" once its time came and it was not cancelled);
- recordings: held meetings whose follow-up has a recording link;
- questions received in the year, and how many of them are answered (the share answered is the
  communications guidance's measure: every question gets an answer);
- feedback: answers given in the year, and their average rating;
- members joined: memberships recorded in the year still held today; left: "membership.left"
  entries of the audit log in the year (someone who joined and left within the year counts as
  left only: the membership row is gone).

Everything comes from CoP Bot's tables, so it covers what the retention period keeps (questions
and feedback are deleted after RETENTION_DAYS, 365 by default).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from copbot.catalog import Catalog
from copbot.meetings.calendar import Calendar
from copbot.store import Database
from copbot.store.followup_models import MeetingFeedback, MeetingFollowUp
from copbot.store.meetings_models import MeetingQuestion
from copbot.store.membership_models import Membership
from copbot.store.models import AuditEntry

YEAR = timedelta(days=365)


@dataclass(frozen=True)
class CopHealth:
    cop_id: str
    meetings_planned: int = 0
    meetings_held: int = 0
    meetings_cancelled: int = 0
    recordings: int = 0
    questions: int = 0
    questions_answered: int = 0
    feedback_count: int = 0
    feedback_average: float | None = None
    members_joined: int = 0
    members_left: int = 0

    @property
    def answered_share(self) -> float | None:
        """Answered / received, 0..1 (None without questions)."""
        return round(self.questions_answered / self.questions, 3) if self.questions else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "questions_answered_share": self.answered_share}


@dataclass(frozen=True)
class HealthReport:
    start: datetime
    end: datetime
    cops: list[CopHealth] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "cops": [c.as_dict() for c in self.cops],
        }


async def build_health(
    db: Database, catalog: Catalog, calendar: Calendar, now: datetime, *, period: timedelta = YEAR
) -> HealthReport:
    start = now - period
    occurrences = await calendar.occurrences(start, now, include_skipped=True)
    held_ids = [o.id for o in occurrences if not o.skipped]
    async with db.session() as session:
        recorded = dict(
            (
                await session.execute(
                    select(MeetingFollowUp.cop_id, func.count())
                    .where(
                        MeetingFollowUp.occurrence_id.in_(held_ids or [""]),
                        MeetingFollowUp.recording_url != "",
                    )
                    .group_by(MeetingFollowUp.cop_id)
                )
            ).all()
        )
        questions = {
            cop: (int(total), int(answered or 0))
            for cop, total, answered in (
                await session.execute(
                    select(
                        MeetingQuestion.cop_id,
                        func.count(),
                        func.count(MeetingQuestion.answered_at),
                    )
                    .where(MeetingQuestion.asked_at >= start, MeetingQuestion.asked_at < now)
                    .group_by(MeetingQuestion.cop_id)
                )
            ).all()
        }
        feedback = {
            cop: (int(count), float(average) if average is not None else None)
            for cop, count, average in (
                await session.execute(
                    select(MeetingFeedback.cop_id, func.count(), func.avg(MeetingFeedback.rating))
                    .where(MeetingFeedback.given_at >= start, MeetingFeedback.given_at < now)
                    .group_by(MeetingFeedback.cop_id)
                )
            ).all()
        }
        joined = dict(
            (
                await session.execute(
                    select(Membership.cop_id, func.count())
                    .where(Membership.since >= start, Membership.since < now)
                    .group_by(Membership.cop_id)
                )
            ).all()
        )
        left_rows = (
            await session.execute(
                select(AuditEntry.subject, func.count())
                .where(
                    AuditEntry.action == "membership.left",
                    AuditEntry.at >= start,
                    AuditEntry.at < now,
                )
                .group_by(AuditEntry.subject)
            )
        ).all()
    left = {subject.removeprefix("cop:"): int(n) for subject, n in left_rows}
    cops = []
    for community in catalog:
        own = [o for o in occurrences if o.cop_id == community.id]
        asked, answered = questions.get(community.id, (0, 0))
        given, average = feedback.get(community.id, (0, None))
        cops.append(
            CopHealth(
                cop_id=community.id,
                meetings_planned=len(own),
                meetings_held=sum(1 for o in own if not o.skipped),
                meetings_cancelled=sum(1 for o in own if o.skipped),
                recordings=int(recorded.get(community.id, 0)),
                questions=asked,
                questions_answered=answered,
                feedback_count=given,
                feedback_average=round(average, 2) if average is not None else None,
                members_joined=int(joined.get(community.id, 0)),
                members_left=left.get(community.id, 0),
            )
        )
    return HealthReport(start=start, end=now, cops=cops)
