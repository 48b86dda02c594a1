"""How long CoP Bot keeps personal data, and the purge that enforces it (docs/security.md).

What must stay (who is in which CoP, who decided what) stays; what is only needed while work is
under way (outbox payloads, card references, questions, meeting feedback, import progress, people who stopped
using the bot) is deleted or stripped of personal data once it is older than the retention period.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from copbot.store import Database
from copbot.store.base import Base
from copbot.store.delivery_models import Delivery
from copbot.store.followup_models import MeetingFeedback
from copbot.store.import_models import ImportRowProgress
from copbot.store.meetings_models import MeetingFollower, MeetingPost, MeetingQuestion
from copbot.store.membership_models import ApprovalCard, JoinRequest, Membership, OutboxItem
from copbot.store.models import AuditEntry, ConversationReference, LocalGroupMember, Person
from copbot.store.results import rows_changed

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RetentionPolicy:
    days: int = 365  # working data and inactive people
    audit_days: int = 730  # the audit log: who asked, who decided, what the directory said


@dataclass
class PurgeReport:
    outbox_items: int = 0
    approval_cards: int = 0
    requests_anonymised: int = 0
    questions: int = 0
    feedback: int = 0
    meeting_posts: int = 0
    import_rows: int = 0
    deliveries: int = 0
    inactive_people: int = 0
    audit_entries: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


async def purge(db: Database, now: datetime, policy: RetentionPolicy) -> PurgeReport:
    """Apply the policy once; safe to run on several instances at the same time."""
    cutoff = now - timedelta(days=policy.days)
    report = PurgeReport()
    async with db.session() as session:
        report.outbox_items = await _delete(
            session, OutboxItem, OutboxItem.status == "done", OutboxItem.done_at < cutoff
        )
        decided_long_ago = select(JoinRequest.id).where(
            JoinRequest.status != "pending", JoinRequest.decided_at < cutoff
        )
        report.approval_cards = await _delete(
            session, ApprovalCard, ApprovalCard.request_id.in_(decided_long_ago)
        )
        anonymised = await session.execute(
            update(JoinRequest)
            .where(
                JoinRequest.status != "pending",
                JoinRequest.decided_at < cutoff,
                or_(JoinRequest.note != "", JoinRequest.reason.is_not(None)),
            )
            .values(note="", reason=None, requester={}, decided_by_name=None)
        )
        report.requests_anonymised = rows_changed(anonymised) or 0
        report.questions = await _delete(
            session, MeetingQuestion, MeetingQuestion.asked_at < cutoff
        )
        # A rating with its comment is personal data: gone with the person's other working data.
        report.feedback = await _delete(
            session, MeetingFeedback, MeetingFeedback.updated_at < cutoff
        )
        report.meeting_posts = await _delete(session, MeetingPost, MeetingPost.due_at < cutoff)
        report.import_rows = await _delete(
            session, ImportRowProgress, ImportRowProgress.updated_at < cutoff
        )
        report.deliveries = await _delete(session, Delivery, Delivery.updated_at < cutoff)
        report.inactive_people = await _purge_inactive_people(session, cutoff)
        report.audit_entries = await _delete(
            session, AuditEntry, AuditEntry.at < now - timedelta(days=policy.audit_days)
        )
    log.info("retention.purged", **report.as_dict())
    return report


async def _delete(
    session: AsyncSession, model: type[Base], *conditions: ColumnElement[bool]
) -> int:
    result = await session.execute(delete(model).where(*conditions))
    return rows_changed(result) or 0


async def _purge_inactive_people(session: AsyncSession, cutoff: datetime) -> int:
    """People not seen since the cutoff who belong to no CoP and have nothing pending."""
    belongs = exists().where(Membership.person_id == Person.id)
    local_member = exists().where(LocalGroupMember.user_id == Person.id)
    pending = exists().where(JoinRequest.person_id == Person.id, JoinRequest.status == "pending")
    gone = (
        await session.scalars(
            select(Person.id).where(Person.last_seen_at < cutoff, ~belongs, ~local_member, ~pending)
        )
    ).all()
    if not gone:
        return 0
    await session.execute(
        delete(ConversationReference).where(
            ConversationReference.key.in_([f"user:{person_id}" for person_id in gone])
        )
    )
    await session.execute(delete(MeetingFollower).where(MeetingFollower.person_id.in_(gone)))
    await session.execute(delete(Person).where(Person.id.in_(gone)))
    return len(gone)
