"""Requests left pending: recalled to their focal points, then escalated to the admins (a
periodic job, `membership.reminders`). Each happens once per request: a conditional UPDATE of
`reminded_at` / `escalated_at` claims it, and the cards it sends are queued in that transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.admins import Admins
from copbot.catalog import Catalog
from copbot.membership.audience import approval_recipients
from copbot.membership.model import FOR_ESCALATION, FOR_REMINDER, Status
from copbot.membership.queue import MembershipQueue
from copbot.membership.records import MembershipRecords
from copbot.store.membership_models import JoinRequest
from copbot.store.results import rows_changed

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class MembershipSettings:
    reminder_days: float = 3
    escalation_days: float = 7


@dataclass(frozen=True)
class Reminders:
    records: MembershipRecords
    catalog: Catalog
    admins: Admins
    queue: MembershipQueue
    settings: MembershipSettings

    async def remind_pending(self) -> dict[str, int]:
        """Recall requests left pending to their focal points, and escalate older ones to the
        admins; returns how many of each."""
        now = self.records.now()
        counts = {"reminded": 0, "escalated": 0}
        async with self.records.db.session() as session:
            due_reminder = await _due(
                session, JoinRequest.reminded_at, now - timedelta(days=self.settings.reminder_days)
            )
            due_escalation = await _due(
                session,
                JoinRequest.escalated_at,
                now - timedelta(days=self.settings.escalation_days),
            )
        for request_id in due_reminder:
            if await self._recall(request_id, escalate=False):
                counts["reminded"] += 1
        for request_id in due_escalation:
            if await self._recall(request_id, escalate=True):
                counts["escalated"] += 1
        if any(counts.values()):
            log.info("membership.recalled", **counts)
            self.queue.kick()
        return counts

    async def escalate(self, request_id: str) -> bool:
        """Escalate one pending request to the admins now (its focal points cannot decide);
        False when it was escalated already or is no longer pending."""
        escalated = await self._recall(request_id, escalate=True)
        if escalated:
            self.queue.kick()
        return escalated

    async def _recall(self, request_id: str, *, escalate: bool) -> bool:
        now = self.records.now()
        column = JoinRequest.escalated_at if escalate else JoinRequest.reminded_at
        async with self.records.db.session() as session:
            row = await session.get(JoinRequest, request_id)
            community = self.catalog.get(row.cop_id) if row else None
            result = await session.execute(
                update(JoinRequest)
                .where(
                    JoinRequest.id == request_id,
                    JoinRequest.status == Status.PENDING,
                    column.is_(None),
                )
                .values({column.key: now})
                .execution_options(synchronize_session=False)
            )
            if rows_changed(result) != 1:
                return False
            if escalate:
                recipients = list(self.admins)
                purpose = FOR_ESCALATION
            else:
                recipients = (
                    approval_recipients(community, row.person_id) if community and row else []
                )
                purpose = FOR_REMINDER
            for recipient in recipients:
                await self.queue.card(session, request_id, recipient, purpose)
            if not recipients:  # nobody to recall it to: nothing waits in silence
                await self.queue.reach_check(session, request_id, f"no-recipient:{purpose}")
            self.records.audit(
                session,
                "membership.escalated" if escalate else "membership.reminded",
                f"request:{request_id}",
                at=now,
                cop_id=row.cop_id if row else None,
                recipients=len(recipients),
                reason=None if recipients else "nobody to tell: no admins / focal points",
            )
        return True


async def _due(session: AsyncSession, recalled_at: Any, asked_by: datetime) -> Sequence[str]:
    """Pending requests asked by then and not yet recalled this way (`recalled_at` unset)."""
    due = await session.scalars(
        select(JoinRequest.id).where(
            JoinRequest.status == Status.PENDING,
            recalled_at.is_(None),
            JoinRequest.created_at <= asked_by,
        )
    )
    return due.all()
