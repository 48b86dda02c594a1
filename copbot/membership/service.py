"""The membership workflow: join requests, focal-point decisions, memberships, leaving.

Rules (UN-Habitat's CoP guidance and issue 4):
- exactly one primary CoP per person; choosing a new primary asks to confirm, and the old one
  stays as a secondary; any number of secondary ones;
- at most one pending request per person and CoP (a partial unique index holds it);
- someone already in the CoP's group (asked to the directory, not only our tables) is told so
  and nothing is sent;
- only the CoP's focal points, or admins, decide; the decider comes from the authenticated turn;
- a decision is one conditional UPDATE (`WHERE status = 'pending'`): the first click wins, the
  later ones see it; the directory add and the messages it implies are outbox rows written in
  the same transaction, so they happen once, eventually.

Plain values in, plain values out: no Teams, no Graph types here.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.admins import Admins
from copbot.catalog import Catalog, Community
from copbot.clock import Clock
from copbot.directory import Directory, DirectoryError, DirectoryUnavailable
from copbot.membership.model import (
    ADD_TO_GROUP,
    CHANNEL_PREFIX,
    FOR_ESCALATION,
    FOR_REMINDER,
    FOR_REQUEST,
    NOTIFY_REQUESTER,
    REJECTED,
    REMOVE_FROM_GROUP,
    SEND_CARD,
    UPDATE_CARD,
    WAITING,
    WELCOME,
    DecisionOutcome,
    DecisionResult,
    JoinOutcome,
    JoinResult,
    LeaveOutcome,
    LeaveResult,
    MembershipView,
    MyCommunities,
    PrimaryOutcome,
    PrimaryResult,
    Requester,
    RequestView,
    Role,
    Status,
)
from copbot.outbox import Outbox, PermanentFailure
from copbot.store import Database, audit
from copbot.store.membership_models import ApprovalCard, JoinRequest, Membership

log = structlog.get_logger(__name__)

MAX_NOTE = 500
MAX_REASON = 500


@dataclass(frozen=True)
class MembershipSettings:
    reminder_days: float = 3
    escalation_days: float = 7


class MembershipService:
    def __init__(
        self,
        *,
        db: Database,
        catalog: Catalog,
        directory: Directory,
        clock: Clock,
        outbox: Outbox,
        admins: Admins,
        settings: MembershipSettings | None = None,
    ):
        self.db = db
        self.catalog = catalog
        self.directory = directory
        self.clock = clock
        self.outbox = outbox
        self.admins = admins
        self.settings = settings or MembershipSettings()
        outbox.register(ADD_TO_GROUP, self._add_to_group, on_failed=self._add_failed)
        outbox.register(REMOVE_FROM_GROUP, self._remove_from_group, on_failed=self._remove_failed)

    def _now(self) -> datetime:
        return self.clock.now()

    def _audit(
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
            session, at=at or self._now(), actor=actor, action=action, subject=subject, **details
        )

    async def _audit_alone(self, action: str, subject: str, **kwargs: Any) -> None:
        """An audit entry in a transaction of its own (nothing else is written with it)."""
        async with self.db.session() as session:
            self._audit(session, action, subject, **kwargs)

    # -- reading ----------------------------------------------------------------------------
    async def get_request(self, request_id: str) -> RequestView | None:
        async with self.db.session() as session:
            row = await session.get(JoinRequest, str(request_id)[:32])
        return RequestView.of(row) if row else None

    async def my_communities(self, person_id: str) -> MyCommunities:
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

    def may_decide(self, community: Community | None, actor_id: str) -> bool:
        actor = (actor_id or "").lower()
        if not actor:
            return False
        if self.admins.includes(actor):
            return True
        return community is not None and actor in community.focal_point_ids()

    @staticmethod
    async def _pending(session: AsyncSession, person_id: str, cop_id: str) -> JoinRequest | None:
        return await session.scalar(
            select(JoinRequest).where(
                JoinRequest.person_id == person_id,
                JoinRequest.cop_id == cop_id,
                JoinRequest.status == Status.PENDING,
            )
        )

    @staticmethod
    async def _primary(session: AsyncSession, person_id: str) -> Membership | None:
        return await session.scalar(
            select(Membership).where(
                Membership.person_id == person_id, Membership.role == Role.PRIMARY
            )
        )

    # -- asking to join ---------------------------------------------------------------------
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
        async with self.db.session() as session:
            membership = await session.get(Membership, (person_id, community.id))
            pending = await self._pending(session, person_id, community.id)
            primary = await self._primary(session, person_id)
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
                JoinResult.ALREADY_PENDING, community, RequestView.of(pending), pending.role
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
        now = self._now()
        try:
            async with self.db.session() as session:
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
                self._audit(
                    session,
                    "membership.already_in_group",
                    f"cop:{community.id}",
                    actor=requester.id,
                    at=now,
                    person_id=requester.id,
                    role=str(recorded),
                )
        except IntegrityError:  # recorded meanwhile (a double click, or a primary elsewhere)
            async with self.db.session() as session:
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

    def recipients(self, community: Community) -> list[str]:
        """Where approval cards go: the focal-points channel if the catalog names one, else each
        focal point with an Entra object id (their 1:1 chat with the bot)."""
        if community.focal_points_channel_id:
            return [f"{CHANNEL_PREFIX}{community.focal_points_channel_id}"]
        return community.focal_point_ids()

    async def _create_request(
        self,
        requester: Requester,
        community: Community,
        role: Role,
        note: str,
        current_primary: str | None,
    ) -> JoinOutcome:
        details = await self._requester_details(requester)
        now = self._now()
        request_id = uuid.uuid4().hex
        recipients = self.recipients(community)
        unreachable = [fp for fp in community.focal_points if not fp.aad_object_id]
        try:
            async with self.db.session() as session:
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
                self._audit(
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
                    await self._enqueue_card(session, request_id, recipient, FOR_REQUEST)
                if not community.focal_points_channel_id and unreachable:
                    self._audit(
                        session,
                        "membership.focal_point_unreachable",
                        f"request:{request_id}",
                        at=now,
                        cop_id=community.id,
                        focal_points=[fp.email for fp in unreachable],
                        reason="no aad_object_id in the catalog",
                    )
        except IntegrityError:
            async with self.db.session() as session:
                pending = await self._pending(session, requester.id, community.id)
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
        self.outbox.kick()
        request = await self.get_request(request_id)
        reached = [
            fp.name
            for fp in community.focal_points
            if fp.aad_object_id or community.focal_points_channel_id
        ]
        return JoinOutcome(
            JoinResult.CREATED,
            community,
            request,
            role,
            current_primary=current_primary,
            focal_points_reached=reached,
        )

    # -- deciding ---------------------------------------------------------------------------
    async def decide(
        self,
        request_id: str,
        actor_id: str,
        *,
        approve: bool,
        actor_name: str = "",
        reason: str | None = None,
    ) -> DecisionOutcome:
        request = await self.get_request(request_id)
        if request is None:
            return DecisionOutcome(DecisionResult.NOT_FOUND)
        community = self.catalog.get(request.cop_id)
        if not self.may_decide(community, actor_id):
            await self._audit_alone(
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
        current = await self.get_request(request.id)
        if not decided:
            return DecisionOutcome(DecisionResult.ALREADY_DECIDED, current)
        log.info(
            "membership.approved" if approve else "membership.rejected",
            request_id=request.id,
            cop_id=request.cop_id,
            actor_id=actor_id,
        )
        self.outbox.kick()
        return DecisionOutcome(DecisionResult.DECIDED, current)

    async def _decide_once(
        self,
        request: RequestView,
        actor_id: str,
        actor_name: str,
        approve: bool,
        reason: str | None,
    ) -> bool:
        now = self._now()
        status = Status.APPROVED if approve else Status.REJECTED
        async with self.db.session() as session:
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
            if result.rowcount != 1:
                return False  # someone decided first; nothing of ours is written
            if approve:
                await self._set_membership(session, request, now)
                await self.outbox.enqueue(
                    session, ADD_TO_GROUP, {"request_id": request.id}, f"add:{request.id}"
                )
            else:
                await self._enqueue_notify(session, request.id, REJECTED)
            await self._enqueue_card_updates(session, request.id, status)
            self._audit(
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
            await self._demote_primary(session, request.person_id, keep=request.cop_id)
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

    @staticmethod
    async def _promote(session: AsyncSession, person_id: str, cop_id: str) -> None:
        await session.execute(
            update(Membership)
            .where(Membership.person_id == person_id, Membership.cop_id == cop_id)
            .values(role=Role.PRIMARY)
            .execution_options(synchronize_session=False)
        )

    async def _demote_primary(self, session: AsyncSession, person_id: str, *, keep: str) -> None:
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

    # -- my communities: primary, leaving ---------------------------------------------------
    async def make_primary(self, person_id: str, cop_id: str) -> PrimaryOutcome:
        community = self.catalog.get(cop_id)
        if community is None:
            return PrimaryOutcome(PrimaryResult.UNKNOWN_COMMUNITY)
        now = self._now()
        async with self.db.session() as session:
            membership = await session.get(Membership, (person_id, community.id))
            if membership is None:
                return PrimaryOutcome(PrimaryResult.NOT_MEMBER, community)
            if membership.role == Role.PRIMARY:
                return PrimaryOutcome(PrimaryResult.ALREADY_PRIMARY, community)
            previous = await self._primary(session, person_id)
            previous_id = previous.cop_id if previous else None
            await self._demote_primary(session, person_id, keep=community.id)
            await self._promote(session, person_id, community.id)
            self._audit(
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
        now = self._now()
        async with self.db.session() as session:
            result = await session.execute(
                delete(Membership)
                .where(Membership.person_id == person_id, Membership.cop_id == community.id)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                return False  # left already (a double click)
            if membership.is_primary and new_primary:
                await self._promote(session, person_id, new_primary)
            await self.outbox.enqueue(
                session,
                REMOVE_FROM_GROUP,
                {"person_id": person_id, "cop_id": community.id, "group_key": community.group_key},
                f"remove:{person_id}:{community.id}:{membership.since.isoformat()}",
            )
            self._audit(
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
        self.outbox.kick()
        return True

    async def _withdraw(self, person_id: str, community: Community) -> bool:
        now = self._now()
        async with self.db.session() as session:
            pending = await self._pending(session, person_id, community.id)
            if pending is None:
                return False
            result = await session.execute(
                update(JoinRequest)
                .where(JoinRequest.id == pending.id, JoinRequest.status == Status.PENDING)
                .values(status=Status.WITHDRAWN, decided_by=person_id, decided_at=now)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                return False
            await self._enqueue_card_updates(session, pending.id, Status.WITHDRAWN)
            self._audit(
                session,
                "membership.withdrawn",
                f"request:{pending.id}",
                actor=person_id,
                at=now,
                cop_id=community.id,
            )
        self.outbox.kick()
        return True

    # -- reminders and escalation (a periodic job) ------------------------------------------
    async def remind_pending(self) -> dict[str, int]:
        """Recall requests left pending to their focal points, and escalate older ones to the
        admins. Each happens once per request (a conditional UPDATE claims it)."""
        now = self._now()
        counts = {"reminded": 0, "escalated": 0}
        async with self.db.session() as session:
            due_reminder = await self._due(
                session, JoinRequest.reminded_at, now - timedelta(days=self.settings.reminder_days)
            )
            due_escalation = await self._due(
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
            self.outbox.kick()
        return counts

    @staticmethod
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

    async def _recall(self, request_id: str, *, escalate: bool) -> bool:
        now = self._now()
        column = JoinRequest.escalated_at if escalate else JoinRequest.reminded_at
        async with self.db.session() as session:
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
            if result.rowcount != 1:
                return False
            if escalate:
                recipients = list(self.admins)
                purpose = FOR_ESCALATION
            else:
                recipients = self.recipients(community) if community else []
                purpose = FOR_REMINDER
            for recipient in recipients:
                await self._enqueue_card(session, request_id, recipient, purpose)
            self._audit(
                session,
                "membership.escalated" if escalate else "membership.reminded",
                f"request:{request_id}",
                at=now,
                cop_id=row.cop_id if row else None,
                recipients=len(recipients),
                reason=None if recipients else "nobody to tell: no admins / focal points",
            )
        return True

    # -- outbox: queueing -------------------------------------------------------------------
    async def _enqueue_card(
        self, session: AsyncSession, request_id: str, recipient: str, purpose: str
    ) -> None:
        await self.outbox.enqueue(
            session,
            SEND_CARD,
            {"request_id": request_id, "recipient": recipient, "purpose": purpose},
            f"card:{request_id}:{recipient}:{purpose}",
        )

    async def _enqueue_card_update(self, session: AsyncSession, card_id: int, status: str) -> None:
        await self.outbox.enqueue(
            session, UPDATE_CARD, {"card_id": card_id}, f"card-update:{card_id}:{status}"
        )

    async def _enqueue_card_updates(
        self, session: AsyncSession, request_id: str, status: str
    ) -> None:
        """Every approval card sent for the request comes to show its new status."""
        cards = await session.scalars(
            select(ApprovalCard.id).where(ApprovalCard.request_id == request_id)
        )
        for card_id in cards.all():
            await self._enqueue_card_update(session, card_id, status)

    async def _enqueue_notify(self, session: AsyncSession, request_id: str, event: str) -> None:
        await self.outbox.enqueue(
            session,
            NOTIFY_REQUESTER,
            {"request_id": request_id, "event": event},
            f"notify:{request_id}:{event}",
        )

    async def card_sent(
        self,
        request_id: str,
        recipient: str,
        purpose: str,
        *,
        conversation_id: str,
        activity_id: str,
        service_url: str,
    ) -> None:
        """Record a delivered approval card; if the request was decided meanwhile, queue its
        update at once (the decision did not know this card yet)."""
        now = self._now()
        async with self.db.session() as session:
            card = ApprovalCard(
                request_id=request_id,
                recipient=recipient[:200],
                purpose=purpose,
                conversation_id=conversation_id,
                activity_id=activity_id,
                service_url=service_url,
                sent_at=now,
            )
            session.add(card)
            await session.flush()
            status = await session.scalar(
                select(JoinRequest.status).where(JoinRequest.id == request_id)
            )
            decided = bool(status) and status != Status.PENDING
            if decided:
                await self._enqueue_card_update(session, card.id, status)
            self._audit(
                session,
                "membership.card_sent",
                f"request:{request_id}",
                at=now,
                recipient=recipient,
                purpose=purpose,
            )
        if decided:
            self.outbox.kick()

    async def card_already_sent(self, request_id: str, recipient: str, purpose: str) -> bool:
        async with self.db.session() as session:
            found = await session.scalar(
                select(ApprovalCard.id).where(
                    ApprovalCard.request_id == request_id,
                    ApprovalCard.recipient == recipient,
                    ApprovalCard.purpose == purpose,
                )
            )
        return found is not None

    async def card_undeliverable(
        self, session: AsyncSession, request_id: str, recipient: str, reason: str
    ) -> None:
        """A card could not be delivered for good: audit it, tell the requester they wait."""
        self._audit(
            session,
            "membership.card_undeliverable",
            f"request:{request_id}",
            recipient=recipient,
            reason=reason[:300],
        )
        status = await session.scalar(
            select(JoinRequest.status).where(JoinRequest.id == request_id)
        )
        if status == Status.PENDING:
            await self._enqueue_notify(session, request_id, WAITING)

    # -- outbox: the directory --------------------------------------------------------------
    async def _add_to_group(self, payload: dict[str, Any]) -> None:
        request = await self.get_request(str(payload.get("request_id", "")))
        if request is None or request.status != Status.APPROVED or request.added_at is not None:
            return  # nothing (more) to do
        community = self.catalog.get(request.cop_id)
        if community is None:
            raise PermanentFailure(f"{request.cop_id} is no longer in the catalog")
        async with self.db.session() as session:
            still = await session.get(Membership, (request.person_id, request.cop_id))
        if still is None:  # they left before the add happened
            await self._audit_alone(
                "membership.add_skipped", f"request:{request.id}", reason="left before being added"
            )
            return
        try:
            outcome = await self.directory.add_member(community.group_key, request.person_id)
        except DirectoryUnavailable as exc:
            await self._audit_alone(
                "membership.add_deferred",
                f"request:{request.id}",
                group_id=community.group_key,
                status=exc.status,
                retry_after=exc.retry_after,
                reason=str(exc)[:300],
            )
            raise
        now = self._now()
        async with self.db.session() as session:
            result = await session.execute(
                update(JoinRequest)
                .where(JoinRequest.id == request.id, JoinRequest.added_at.is_(None))
                .values(added_at=now)
                .execution_options(synchronize_session=False)
            )
            await session.execute(
                update(Membership)
                .where(
                    Membership.person_id == request.person_id,
                    Membership.cop_id == request.cop_id,
                    Membership.added_at.is_(None),
                )
                .values(added_at=now)
                .execution_options(synchronize_session=False)
            )
            self._audit(
                session,
                "membership.added",
                f"request:{request.id}",
                at=now,
                group_id=community.group_key,
                person_id=request.person_id,
                outcome=str(outcome),
            )
            if result.rowcount:
                await self._enqueue_notify(session, request.id, WELCOME)
        log.info(
            "membership.added",
            request_id=request.id,
            cop_id=request.cop_id,
            outcome=str(outcome),
        )
        self.outbox.kick()

    async def _add_failed(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        self._audit(
            session,
            "membership.add_failed",
            f"request:{payload.get('request_id')}",
            reason=reason[:500],
        )

    async def _remove_from_group(self, payload: dict[str, Any]) -> None:
        person_id = str(payload["person_id"])
        cop_id = str(payload["cop_id"])
        async with self.db.session() as session:
            back = await session.get(Membership, (person_id, cop_id))
        if back is not None:  # they joined again since: keep them in
            return
        try:
            outcome = await self.directory.remove_member(str(payload["group_key"]), person_id)
        except DirectoryUnavailable as exc:
            await self._audit_alone(
                "membership.remove_deferred",
                f"cop:{cop_id}",
                person_id=person_id,
                reason=str(exc)[:300],
            )
            raise
        await self._audit_alone(
            "membership.removed", f"cop:{cop_id}", person_id=person_id, outcome=str(outcome)
        )

    async def _remove_failed(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        self._audit(
            session,
            "membership.remove_failed",
            f"cop:{payload.get('cop_id')}",
            person_id=payload.get("person_id"),
            reason=reason[:500],
        )

    # -- reports (copbot requests) ----------------------------------------------------------
    async def requests_report(self) -> dict[str, list[dict[str, Any]]]:
        """Pending requests, approved ones not yet in the group, failed outbox items."""
        async with self.db.session() as session:
            pending = (
                await session.scalars(
                    select(JoinRequest)
                    .where(JoinRequest.status == Status.PENDING)
                    .order_by(JoinRequest.created_at)
                )
            ).all()
            approved = (
                await session.scalars(
                    select(JoinRequest)
                    .where(JoinRequest.status == Status.APPROVED, JoinRequest.added_at.is_(None))
                    .order_by(JoinRequest.decided_at)
                )
            ).all()
        queued = await self.outbox.items(statuses=("pending", "failed"))
        by_request: dict[str, Any] = {}
        for item in queued:
            if item.kind == ADD_TO_GROUP:
                by_request[str(item.payload.get("request_id"))] = item
        return {
            "pending": [_row(r) for r in pending],
            "approved_not_added": [{**_row(r), **_item(by_request.get(r.id))} for r in approved],
            "failed": [_item(i) for i in queued if i.status == "failed"],
        }


def _row(request: JoinRequest) -> dict[str, Any]:
    return {
        "request_id": request.id,
        "person_id": request.person_id,
        "name": (request.requester or {}).get("name", ""),
        "cop_id": request.cop_id,
        "role": request.role,
        "created_at": request.created_at,
        "decided_by": request.decided_by_name or request.decided_by,
        "decided_at": request.decided_at,
    }


def _item(item: Any) -> dict[str, Any]:
    if item is None:
        return {}
    return {
        "outbox_id": item.id,
        "kind": item.kind,
        "status": item.status,
        "attempts": item.attempts,
        "next_attempt_at": item.next_attempt_at,
        "last_error": item.last_error,
        "payload": dict(item.payload or {}),
    }
