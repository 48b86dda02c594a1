"""The membership tables as the workflow's jobs read and write them, and their audit entries.

Shared by every job of `copbot.membership` (requests, decisions, memberships, reminders, delivery,
directory work, reports), so that a rule about a row (what "pending" means, how a primary changes
hands) is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.catalog import Catalog
from copbot.clock import Clock
from copbot.membership.model import MembershipView, MyCommunities, RequestView, Role, Status
from copbot.store import Database, audit
from copbot.store.membership_models import JoinRequest, Membership


@dataclass(frozen=True)
class MembershipRecords:
    db: Database
    clock: Clock
    catalog: Catalog

    def now(self) -> datetime:
        return self.clock.now()

    # -- audit ------------------------------------------------------------------------------
    def audit(
        self,
        session: AsyncSession,
        action: str,
        subject: str,
        *,
        actor: str = audit.SYSTEM,
        at: datetime | None = None,
        **details: Any,
    ) -> None:
        """An audit entry in `session`: by the system, now, unless said otherwise."""
        audit.record(
            session, at=at or self.now(), actor=actor, action=action, subject=subject, **details
        )

    async def audit_alone(self, action: str, subject: str, **kwargs: Any) -> None:
        """An audit entry in a transaction of its own (nothing else is written with it)."""
        async with self.db.session() as session:
            self.audit(session, action, subject, **kwargs)

    # -- reading ----------------------------------------------------------------------------
    async def get_request(self, request_id: str) -> RequestView | None:
        async with self.db.session() as session:
            row = await session.get(JoinRequest, str(request_id)[:32])
        return RequestView.of(row) if row else None

    async def my_communities(self, person_id: str) -> MyCommunities:
        """A person's memberships (the primary first, then in catalog order) and pending asks."""
        async with self.db.session() as session:
            memberships = (
                await session.scalars(select(Membership).where(Membership.person_id == person_id))
            ).all()
            pending = (
                await session.scalars(
                    select(JoinRequest)
                    .where(JoinRequest.person_id == person_id, JoinRequest.status == Status.PENDING)
                    .order_by(JoinRequest.created_at)
                )
            ).all()
        order = {cop_id: i for i, cop_id in enumerate(self.catalog.ids())}
        views = sorted(
            (MembershipView.of(m) for m in memberships),
            key=lambda m: (not m.is_primary, order.get(m.cop_id, 99), m.cop_id),
        )
        return MyCommunities(views, [RequestView.of(r) for r in pending])

    @staticmethod
    async def pending(session: AsyncSession, person_id: str, cop_id: str) -> JoinRequest | None:
        return await session.scalar(
            select(JoinRequest).where(
                JoinRequest.person_id == person_id,
                JoinRequest.cop_id == cop_id,
                JoinRequest.status == Status.PENDING,
            )
        )

    @staticmethod
    async def primary(session: AsyncSession, person_id: str) -> Membership | None:
        return await session.scalar(
            select(Membership).where(
                Membership.person_id == person_id, Membership.role == Role.PRIMARY
            )
        )

    @staticmethod
    async def requester_of(session: AsyncSession, request_id: str) -> str | None:
        return await session.scalar(
            select(JoinRequest.person_id).where(JoinRequest.id == request_id)
        )

    @staticmethod
    async def status_of(session: AsyncSession, request_id: str) -> str | None:
        return await session.scalar(select(JoinRequest.status).where(JoinRequest.id == request_id))

    # -- the primary CoP changes hands ------------------------------------------------------
    @staticmethod
    async def promote(session: AsyncSession, person_id: str, cop_id: str) -> None:
        await session.execute(
            update(Membership)
            .where(Membership.person_id == person_id, Membership.cop_id == cop_id)
            .values(role=Role.PRIMARY)
            .execution_options(synchronize_session=False)
        )

    @staticmethod
    async def demote_primary(session: AsyncSession, person_id: str, *, keep: str) -> None:
        """The person's primary CoP, unless it is `keep`, becomes a secondary one."""
        await session.execute(
            update(Membership)
            .where(
                Membership.person_id == person_id,
                Membership.role == Role.PRIMARY,
                Membership.cop_id != keep,
            )
            .values(role=Role.SECONDARY)
            .execution_options(synchronize_session=False)
        )
