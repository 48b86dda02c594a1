"""Asking to join a CoP: the rules before a request exists, and the request with its cards.

- someone already in the CoP's group (asked to the directory, not only our tables) is told so,
  recorded as a member, and nothing is sent;
- the role is asked when not given; a new primary CoP is confirmed first (the old one stays as a
  secondary);
- at most one pending request per person and CoP (a partial unique index holds it, also against
  two clicks at the same instant);
- the request and one approval card per recipient (outbox rows) commit together.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError

from copbot.catalog import Catalog, Community
from copbot.directory import Directory, DirectoryError, DirectoryUnavailable
from copbot.membership.audience import approval_recipients, reached_focal_points
from copbot.membership.model import (
    FOR_REQUEST,
    JoinOutcome,
    JoinResult,
    Requester,
    RequestView,
    Role,
    Status,
)
from copbot.membership.queue import MembershipQueue
from copbot.membership.records import MembershipRecords
from copbot.store.membership_models import JoinRequest, Membership

log = structlog.get_logger(__name__)

MAX_NOTE = 500


@dataclass(frozen=True)
class JoinRequests:
    records: MembershipRecords
    catalog: Catalog
    directory: Directory
    queue: MembershipQueue

    async def get_request(self, request_id: str) -> RequestView | None:
        return await self.records.get_request(request_id)

    async def request_join(
        self,
        requester: Requester,
        cop_id: str,
        role: Role | None,
        note: str = "",
        *,
        confirm_primary: bool = False,
    ) -> JoinOutcome:
        community = self.catalog.get(str(cop_id or ""))
        if community is None:
            return JoinOutcome(JoinResult.UNKNOWN_COMMUNITY)
        person_id = requester.id
        async with self.records.db.session() as session:
            membership = await session.get(Membership, (person_id, community.id))
            pending = await self.records.pending(session, person_id, community.id)
            primary = await self.records.primary(session, person_id)
        current_primary = primary.cop_id if primary else None
        if membership is not None:
            return JoinOutcome(
                JoinResult.ALREADY_MEMBER,
                community,
                role=Role(membership.role),
                current_primary=current_primary,
            )
        if pending is not None:
            return JoinOutcome(
                JoinResult.ALREADY_PENDING, community, RequestView.of(pending), Role(pending.role)
            )
        if await self._in_directory_group(community, person_id):
            recorded = await self._record_directory_member(
                requester, community, role, current_primary
            )
            return JoinOutcome(
                JoinResult.ALREADY_MEMBER,
                community,
                role=recorded,
                current_primary=community.id if recorded == Role.PRIMARY else current_primary,
                recorded_from_directory=True,
            )
        if role is None:
            return JoinOutcome(JoinResult.NEEDS_ROLE, community, current_primary=current_primary)
        if role == Role.PRIMARY and current_primary and not confirm_primary:
            return JoinOutcome(
                JoinResult.CONFIRM_PRIMARY, community, role=role, current_primary=current_primary
            )
        return await self._create_request(requester, community, role, note, current_primary)

    async def _in_directory_group(self, community: Community, person_id: str) -> bool:
        try:
            return await self.directory.is_member(community.group_key, person_id)
        except (DirectoryUnavailable, DirectoryError) as exc:
            # Cannot tell now: ask anyway. The add later treats "already a member" as done.
            log.warning(
                "membership.directory_check_failed",
                cop_id=community.id,
                person_id=person_id,
                error=type(exc).__name__,
                reason=str(exc)[:200],
            )
            return False

    async def _record_directory_member(
        self,
        requester: Requester,
        community: Community,
        role: Role | None,
        current_primary: str | None,
    ) -> Role:
        """Someone already in the group: we learn it too (nothing is sent to anyone)."""
        recorded = (
            Role.PRIMARY if role in (None, Role.PRIMARY) and not current_primary else Role.SECONDARY
        )
        now = self.records.now()
        try:
            async with self.records.db.session() as session:
                session.add(
                    Membership(
                        person_id=requester.id,
                        cop_id=community.id,
                        role=recorded,
                        since=now,
                        source="directory",
                        added_at=now,
                    )
                )
                self.records.audit(
                    session,
                    "membership.already_in_group",
                    f"cop:{community.id}",
                    actor=requester.id,
                    at=now,
                    person_id=requester.id,
                    role=str(recorded),
                )
        except IntegrityError:  # recorded meanwhile (a double click, or a primary elsewhere)
            async with self.records.db.session() as session:
                row = await session.get(Membership, (requester.id, community.id))
            return Role(row.role) if row else Role.SECONDARY
        log.info("membership.already_in_group", cop_id=community.id, person_id=requester.id)
        return recorded

    async def _requester_details(self, requester: Requester) -> dict[str, Any]:
        details: dict[str, Any] = {"name": requester.name[:256]}
        try:
            user = await self.directory.get_user(requester.id)
        except (DirectoryUnavailable, DirectoryError) as exc:
            log.info("membership.requester_lookup_failed", error=type(exc).__name__)
            user = None
        if user is not None:
            details.update(
                name=(user.display_name or requester.name)[:256],
                job_title=(user.job_title or "")[:256] or None,
                office=(user.office or "")[:256] or None,
                mail=(user.mail or "")[:320] or None,
            )
        return {k: v for k, v in details.items() if v}

    async def _create_request(
        self,
        requester: Requester,
        community: Community,
        role: Role,
        note: str,
        current_primary: str | None,
    ) -> JoinOutcome:
        details = await self._requester_details(requester)
        now = self.records.now()
        request_id = uuid.uuid4().hex
        recipients = approval_recipients(community, requester.id)
        unreachable = [fp for fp in community.focal_points if not fp.aad_object_id]
        try:
            async with self.records.db.session() as session:
                session.add(
                    JoinRequest(
                        id=request_id,
                        person_id=requester.id,
                        cop_id=community.id,
                        role=role,
                        note=" ".join((note or "").split())[:MAX_NOTE],
                        lang=requester.lang,
                        requester=details,
                        status=Status.PENDING,
                        created_at=now,
                    )
                )
                await session.flush()  # the pending-request index speaks here, before any card
                self.records.audit(
                    session,
                    "membership.requested",
                    f"request:{request_id}",
                    actor=requester.id,
                    at=now,
                    cop_id=community.id,
                    role=str(role),
                    has_note=bool(note),
                    recipients=len(recipients),
                )
                for recipient in recipients:
                    await self.queue.card(session, request_id, recipient, FOR_REQUEST)
                if not recipients:  # nobody to ask: escalate at once (the reply tells them)
                    await self.queue.reach_check(session, request_id, "no-recipient", told=True)
                if not community.focal_points_channel_id and unreachable:
                    self.records.audit(
                        session,
                        "membership.focal_point_unreachable",
                        f"request:{request_id}",
                        at=now,
                        cop_id=community.id,
                        focal_points=[fp.email for fp in unreachable],
                        reason="no aad_object_id in the catalog",
                    )
        except IntegrityError:
            async with self.records.db.session() as session:
                pending = await self.records.pending(session, requester.id, community.id)
            return JoinOutcome(
                JoinResult.ALREADY_PENDING,
                community,
                RequestView.of(pending) if pending else None,
                role,
            )
        log.info(
            "membership.requested",
            request_id=request_id,
            cop_id=community.id,
            role=str(role),
            recipients=len(recipients),
        )
        self.queue.kick()
        return JoinOutcome(
            JoinResult.CREATED,
            community,
            await self.records.get_request(request_id),
            role,
            current_primary=current_primary,
            focal_points_reached=reached_focal_points(community, requester.id),
        )
