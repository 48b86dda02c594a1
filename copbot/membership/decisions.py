"""Approving or rejecting a join request (a focal point's or an admin's click).

- only the CoP's focal points, or admins, decide; the decider comes from the authenticated turn;
- a decision is one conditional UPDATE (`WHERE status = 'pending'`): the first click wins, the
  later ones see it;
- what the decision implies is queued in the same transaction, so it happens once, eventually:
  approved: the membership row, the directory add (`membership.add`); rejected: the requester is
  told (`membership.notify`); both: every approval card sent shows the decision
  (`membership.card_update`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.admins import Admins
from copbot.catalog import Catalog, Community
from copbot.membership import audience
from copbot.membership.model import (
    REJECTED,
    DecisionOutcome,
    DecisionResult,
    RequestView,
    Role,
    Status,
)
from copbot.membership.queue import MembershipQueue
from copbot.membership.records import MembershipRecords
from copbot.store.membership_models import JoinRequest, Membership
from copbot.store.results import rows_changed

log = structlog.get_logger(__name__)

MAX_REASON = 500


@dataclass(frozen=True)
class Decisions:
    records: MembershipRecords
    catalog: Catalog
    admins: Admins
    queue: MembershipQueue

    def may_decide(self, community: Community | None, actor_id: str) -> bool:
        return audience.may_decide(self.admins, community, actor_id)

    async def decide(
        self,
        request_id: str,
        actor_id: str,
        *,
        approve: bool,
        actor_name: str = "",
        reason: str | None = None,
    ) -> DecisionOutcome:
        request = await self.records.get_request(request_id)
        if request is None:
            return DecisionOutcome(DecisionResult.NOT_FOUND)
        community = self.catalog.get(request.cop_id)
        if not self.may_decide(community, actor_id):
            await self.records.audit_alone(
                "membership.decision_refused",
                f"request:{request.id}",
                actor=actor_id or "unknown",
                cop_id=request.cop_id,
                wanted="approve" if approve else "reject",
            )
            log.warning(
                "membership.decision_refused",
                request_id=request.id,
                cop_id=request.cop_id,
                actor_id=actor_id,
            )
            return DecisionOutcome(DecisionResult.REFUSED, request)
        if not request.is_pending:
            return DecisionOutcome(DecisionResult.ALREADY_DECIDED, request)
        reason = " ".join((reason or "").split())[:MAX_REASON] or None
        for attempt in range(3):
            try:
                decided = await self._decide_once(
                    request, actor_id.lower(), actor_name, approve, reason
                )
                break
            except IntegrityError:
                # Two primaries approved for one person at the same instant: the loser tries
                # again and now sees the other's primary (demoting it, as the person confirmed).
                if attempt == 2:
                    raise
        current = await self.records.get_request(request.id)
        if not decided:
            return DecisionOutcome(DecisionResult.ALREADY_DECIDED, current)
        log.info(
            "membership.approved" if approve else "membership.rejected",
            request_id=request.id,
            cop_id=request.cop_id,
            actor_id=actor_id,
        )
        self.queue.kick()
        return DecisionOutcome(DecisionResult.DECIDED, current)

    async def _decide_once(
        self,
        request: RequestView,
        actor_id: str,
        actor_name: str,
        approve: bool,
        reason: str | None,
    ) -> bool:
        now = self.records.now()
        status = Status.APPROVED if approve else Status.REJECTED
        async with self.records.db.session() as session:
            result = await session.execute(
                update(JoinRequest)
                .where(JoinRequest.id == request.id, JoinRequest.status == Status.PENDING)
                .values(
                    status=status,
                    decided_by=actor_id,
                    decided_by_name=(actor_name or "")[:256] or None,
                    decided_at=now,
                    reason=reason,
                )
                .execution_options(synchronize_session=False)
            )
            if rows_changed(result) != 1:
                return False  # someone decided first; nothing of ours is written
            if approve:
                await self._set_membership(session, request, now)
                await self.queue.add_to_group(session, request.id)
            else:
                await self.queue.notify(session, request.id, REJECTED)
            await self.queue.card_updates(session, request.id, status)
            self.records.audit(
                session,
                f"membership.{status}",
                f"request:{request.id}",
                actor=actor_id,
                at=now,
                cop_id=request.cop_id,
                person_id=request.person_id,
                role=str(request.role),
                # not the reason itself: free text lives in join_requests only, and is purged
                # there after RETENTION_DAYS (the audit log is kept longer)
                has_reason=reason is not None,
            )
        return True

    async def _set_membership(
        self, session: AsyncSession, request: RequestView, now: datetime
    ) -> None:
        existing = await session.get(Membership, (request.person_id, request.cop_id))
        if request.role == Role.PRIMARY:
            await self.records.demote_primary(session, request.person_id, keep=request.cop_id)
        if existing is None:
            session.add(
                Membership(
                    person_id=request.person_id,
                    cop_id=request.cop_id,
                    role=request.role,
                    since=now,
                    request_id=request.id,
                    source="request",
                )
            )
        elif request.role == Role.PRIMARY:
            existing.role = Role.PRIMARY
        await session.flush()
