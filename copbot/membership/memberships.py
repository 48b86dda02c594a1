"""A person's own communities: what they belong to, choosing the primary one, leaving, and
withdrawing a request still pending.

- exactly one primary CoP per person: choosing another makes the old one a secondary;
- leaving is confirmed first; leaving the primary CoP may name a new one;
- leaving removes the person from the directory group (`membership.remove`, queued with the
  leave), unless they joined again before it ran;
- withdrawing a pending request updates every approval card sent for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy import delete, update

from copbot.catalog import Catalog, Community
from copbot.membership.model import (
    LeaveOutcome,
    LeaveResult,
    MembershipView,
    MyCommunities,
    PrimaryOutcome,
    PrimaryResult,
    Role,
    Status,
)
from copbot.membership.queue import MembershipQueue
from copbot.membership.records import MembershipRecords
from copbot.store.membership_models import JoinRequest, Membership
from copbot.store.results import rows_changed

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Memberships:
    records: MembershipRecords
    catalog: Catalog
    queue: MembershipQueue

    async def my_communities(self, person_id: str) -> MyCommunities:
        return await self.records.my_communities(person_id)

    async def make_primary(self, person_id: str, cop_id: str) -> PrimaryOutcome:
        community = self.catalog.get(cop_id)
        if community is None:
            return PrimaryOutcome(PrimaryResult.UNKNOWN_COMMUNITY)
        now = self.records.now()
        async with self.records.db.session() as session:
            membership = await session.get(Membership, (person_id, community.id))
            if membership is None:
                return PrimaryOutcome(PrimaryResult.NOT_MEMBER, community)
            if membership.role == Role.PRIMARY:
                return PrimaryOutcome(PrimaryResult.ALREADY_PRIMARY, community)
            previous = await self.records.primary(session, person_id)
            previous_id = previous.cop_id if previous else None
            await self.records.demote_primary(session, person_id, keep=community.id)
            await self.records.promote(session, person_id, community.id)
            self.records.audit(
                session,
                "membership.primary_changed",
                f"cop:{community.id}",
                actor=person_id,
                at=now,
                previous=previous_id,
            )
        log.info("membership.primary_changed", person_id=person_id, cop_id=community.id)
        return PrimaryOutcome(PrimaryResult.DONE, community, previous_id)

    async def leave(
        self,
        person_id: str,
        cop_id: str,
        *,
        confirmed: bool = False,
        new_primary: str | None = None,
    ) -> LeaveOutcome:
        community = self.catalog.get(cop_id)
        if community is None:
            return LeaveOutcome(LeaveResult.UNKNOWN_COMMUNITY)
        mine = await self.my_communities(person_id)
        membership = next((m for m in mine.memberships if m.cop_id == community.id), None)
        others = [m.cop_id for m in mine.memberships if m.cop_id != community.id]
        if membership is None:
            if not mine.is_pending(community.id):
                return LeaveOutcome(LeaveResult.NOT_MEMBER, community)
            if not confirmed:
                return LeaveOutcome(LeaveResult.CONFIRM_WITHDRAW, community)
            withdrawn = await self._withdraw(person_id, community)
            return LeaveOutcome(
                LeaveResult.WITHDRAWN if withdrawn else LeaveResult.NOT_MEMBER, community
            )
        if not confirmed:
            return LeaveOutcome(
                LeaveResult.CONFIRM, community, was_primary=membership.is_primary, others=others
            )
        if new_primary and new_primary not in others:
            new_primary = None
        left = await self._leave(person_id, community, membership, new_primary)
        if not left:
            return LeaveOutcome(LeaveResult.NOT_MEMBER, community)
        return LeaveOutcome(
            LeaveResult.LEFT,
            community,
            was_primary=membership.is_primary,
            others=others,
            new_primary=new_primary if membership.is_primary else None,
        )

    async def _leave(
        self,
        person_id: str,
        community: Community,
        membership: MembershipView,
        new_primary: str | None,
    ) -> bool:
        now = self.records.now()
        async with self.records.db.session() as session:
            result = await session.execute(
                delete(Membership)
                .where(Membership.person_id == person_id, Membership.cop_id == community.id)
                .execution_options(synchronize_session=False)
            )
            if rows_changed(result) != 1:
                return False  # left already (a double click)
            if membership.is_primary and new_primary:
                await self.records.promote(session, person_id, new_primary)
            await self.queue.remove_from_group(session, person_id, community, membership.since)
            self.records.audit(
                session,
                "membership.left",
                f"cop:{community.id}",
                actor=person_id,
                at=now,
                person_id=person_id,
                was_primary=membership.is_primary,
                new_primary=new_primary,
            )
        log.info("membership.left", person_id=person_id, cop_id=community.id)
        self.queue.kick()
        return True

    async def _withdraw(self, person_id: str, community: Community) -> bool:
        now = self.records.now()
        async with self.records.db.session() as session:
            pending = await self.records.pending(session, person_id, community.id)
            if pending is None:
                return False
            result = await session.execute(
                update(JoinRequest)
                .where(JoinRequest.id == pending.id, JoinRequest.status == Status.PENDING)
                .values(status=Status.WITHDRAWN, decided_by=person_id, decided_at=now)
                .execution_options(synchronize_session=False)
            )
            if rows_changed(result) != 1:
                return False
            await self.queue.card_updates(session, pending.id, Status.WITHDRAWN)
            self.records.audit(
                session,
                "membership.withdrawn",
                f"request:{pending.id}",
                actor=person_id,
                at=now,
                cop_id=community.id,
            )
        self.queue.kick()
        return True
