"""People who leave: accounts disabled (`accountEnabled` false) or deleted (404) in the directory.

Checked by the sync (`copbot.membership.sync`) through the `Accounts` port:
- at every run: everyone with a pending request and every focal point (a few dozen accounts,
  one `$batch` per 20);
- every `account_check_days` (weekly by default): every member too (a deleted account also
  leaves its groups, which the group rounds see; a disabled one stays in them).

A person who left: their pending requests are closed with the reason (status withdrawn, by
`directory-sync`, the focal points' cards updated through the card-update path) and their
memberships end (our records only: the sync never removes anyone in the directory). A focal
point who left: the CoP is flagged (`directory_syncs.focal_points_gone`: `copbot check-config`,
/readyz, the admins' report), each admin gets one card asking for a new focal point (a dedupe key
per CoP, focal point and admin: once, not every run), and the CoP's pending requests are escalated
to the admins (the reminders' escalation, once per request).
"""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta

import structlog
from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.admins import Admins
from copbot.catalog import Catalog
from copbot.directory import Accounts, AccountState
from copbot.membership.model import SYNC_ACTOR, Status
from copbot.membership.queue import MembershipQueue
from copbot.membership.records import MembershipRecords
from copbot.membership.reminders import Reminders
from copbot.membership.sync import SyncSettings
from copbot.membership.sync_lease import SyncLease
from copbot.store.membership_models import JoinRequest, Membership
from copbot.store.results import rows_changed
from copbot.store.sync_models import DirectorySync
from copbot.store.upsert import insert_ignore
from copbot.work.lease import held

log = structlog.get_logger(__name__)

ACCOUNTS_ROW = "~accounts"  # the weekly check's row in directory_syncs (its claim, its last run)


@dataclass(frozen=True)
class LeaversReport:
    checked: int = 0
    everyone: bool = False  # every member was checked (not only requesters and focal points)
    left: dict[str, str] = field(default_factory=dict)  # person id -> disabled | deleted
    memberships_ended: int = 0
    requests_closed: int = 0
    focal_points_gone: dict[str, list[str]] = field(default_factory=dict)  # cop -> ids
    escalated: int = 0


@dataclass(frozen=True)
class Leavers:
    records: MembershipRecords
    catalog: Catalog
    accounts: Accounts
    queue: MembershipQueue
    admins: Admins
    reminders: Reminders
    settings: SyncSettings = field(default_factory=SyncSettings)
    instance: str = field(default_factory=lambda: uuid.uuid4().hex[:16])

    async def check(self, *, dry_run: bool = False) -> LeaversReport:
        """Raises PermissionMissing (User.Read.All), DirectoryUnavailable."""
        everyone = False if dry_run else await self._claim_everyone()
        lease = SyncLease(self.records, ACCOUNTS_ROW, self.instance, self.settings.lease)
        try:
            async with (
                held(lease, self.settings.lease.heartbeat_seconds) if everyone else nullcontext()
            ):
                report = await self._check(everyone=everyone, dry_run=dry_run)
        except BaseException:
            if everyone:
                await self._release_everyone(done=False)
            raise
        if everyone:
            await self._release_everyone(done=True)
        return report

    async def _check(self, *, everyone: bool, dry_run: bool) -> LeaversReport:
        async with self.records.db.session() as session:
            keys = set(
                (
                    await session.scalars(
                        select(JoinRequest.person_id).where(JoinRequest.status == Status.PENDING)
                    )
                ).all()
            )
            if everyone:
                keys.update((await session.scalars(select(Membership.person_id))).all())
        focal = {fp.lower() for c in self.catalog for fp in c.focal_point_ids()}
        keys.update(focal)
        states = await self.accounts.account_states(sorted(keys))
        left = {p: str(s) for p, s in states.items() if s is not AccountState.ENABLED}
        gone_fps = {
            c.id: [fp for fp in c.focal_point_ids() if fp.lower() in left]
            for c in self.catalog
            if c.focal_point_ids()
        }
        report = LeaversReport(
            checked=len(keys),
            everyone=everyone,
            left=left,
            focal_points_gone={cop: ids for cop, ids in gone_fps.items() if ids},
        )
        if dry_run:
            return report
        ended = closed = 0
        for person_id, state in sorted(left.items()):
            if person_id in focal and not await self._is_member_or_requester(person_id):
                continue
            e, c = await self._end(person_id, state)
            ended, closed = ended + e, closed + c
        escalated = await self._flag_cops(gone_fps, {p.lower(): s for p, s in left.items()})
        if ended or closed:
            self.queue.kick()
        log.info(
            "membership.leavers_checked",
            checked=len(keys),
            everyone=everyone,
            left=len(left),
            ended=ended,
            closed=closed,
            escalated=escalated,
        )
        return LeaversReport(
            checked=report.checked,
            everyone=everyone,
            left=left,
            memberships_ended=ended,
            requests_closed=closed,
            focal_points_gone=report.focal_points_gone,
            escalated=escalated,
        )

    async def _is_member_or_requester(self, person_id: str) -> bool:
        mine = await self.records.my_communities(person_id)
        return bool(mine.memberships or mine.pending)

    async def _end(self, person_id: str, state: str) -> tuple[int, int]:
        """One person's memberships and pending requests end, in one transaction."""
        now = self.records.now()
        reason = f"account_{state}"
        closed = 0
        async with self.records.db.session() as session:
            pending = (
                await session.scalars(
                    select(JoinRequest.id).where(
                        JoinRequest.person_id == person_id, JoinRequest.status == Status.PENDING
                    )
                )
            ).all()
            for request_id in pending:
                result = await session.execute(
                    update(JoinRequest)
                    .where(JoinRequest.id == request_id, JoinRequest.status == Status.PENDING)
                    .values(
                        status=Status.WITHDRAWN,
                        decided_by=SYNC_ACTOR,
                        decided_at=now,
                        reason=reason,
                    )
                    .execution_options(synchronize_session=False)
                )
                if rows_changed(result) == 1:
                    closed += 1
                    await self.queue.card_updates(session, request_id, Status.WITHDRAWN)
                    self.records.audit(
                        session,
                        "membership.request_closed",
                        f"request:{request_id}",
                        actor=SYNC_ACTOR,
                        at=now,
                        person_id=person_id,
                        reason=reason,
                    )
            cops = (
                await session.scalars(
                    select(Membership.cop_id).where(Membership.person_id == person_id)
                )
            ).all()
            await session.execute(
                delete(Membership)
                .where(Membership.person_id == person_id)
                .execution_options(synchronize_session=False)
            )
            for cop_id in cops:
                self.records.audit(
                    session,
                    "membership.ended",
                    f"cop:{cop_id}",
                    actor=SYNC_ACTOR,
                    at=now,
                    person_id=person_id,
                    reason=reason,
                )
        return len(cops), closed

    async def _flag_cops(self, gone_fps: dict[str, list[str]], left: dict[str, str]) -> int:
        """Record each CoP's focal points who left (clearing it once fixed); alert the admins
        and escalate the CoP's pending requests for each one newly gone."""
        to_escalate: list[str] = []
        async with self.records.db.session() as session:
            for cop_id, ids in gone_fps.items():
                await _ensure_row(session, cop_id)
                before = await session.scalar(
                    select(DirectorySync.focal_points_gone).where(DirectorySync.cop_id == cop_id)
                )
                known = {i.lower() for i in (before or "").split(",") if i}
                flagged = ",".join(sorted(ids))
                await session.execute(
                    update(DirectorySync)
                    .where(DirectorySync.cop_id == cop_id)
                    .values(focal_points_gone=flagged)
                    .execution_options(synchronize_session=False)
                )
                for focal_id in ids:
                    if focal_id.lower() not in known:  # newly gone: tell the admins once
                        await self._alert(session, cop_id, focal_id, left[focal_id.lower()])
                if ids:
                    to_escalate += (
                        await session.scalars(
                            select(JoinRequest.id).where(
                                JoinRequest.cop_id == cop_id,
                                JoinRequest.status == Status.PENDING,
                                JoinRequest.escalated_at.is_(None),
                            )
                        )
                    ).all()
        escalated = 0
        for request_id in to_escalate:
            if await self.reminders.escalate(request_id):
                escalated += 1
        return escalated

    async def _alert(self, session: AsyncSession, cop_id: str, focal_id: str, state: str) -> None:
        admins = list(self.admins)
        for admin in admins:
            await self.queue.focal_point_gone(session, cop_id, focal_id, state, admin)
        self.records.audit(
            session,
            "membership.focal_point_gone",
            f"cop:{cop_id}",
            actor=SYNC_ACTOR,
            focal_point_id=focal_id,
            state=state,
            admins=len(admins),
            reason=None if admins else "nobody to tell: no admins (ADMIN_IDS)",
        )

    # -- the weekly check's claim ----------------------------------------------------------
    async def _claim_everyone(self) -> bool:
        now = self.records.now()
        due = now - timedelta(days=self.settings.account_check_days)
        async with self.records.db.session() as session:
            await _ensure_row(session, ACCOUNTS_ROW)
            result = await session.execute(
                update(DirectorySync)
                .where(
                    DirectorySync.cop_id == ACCOUNTS_ROW,
                    or_(DirectorySync.lease_until.is_(None), DirectorySync.lease_until < now),
                    or_(
                        DirectorySync.last_finished_at.is_(None),
                        DirectorySync.last_outcome != "ok",
                        DirectorySync.last_finished_at <= due,
                    ),
                )
                .values(
                    lease_owner=self.instance,
                    lease_until=self.settings.lease.lease_end(now),
                    last_started_at=now,
                )
                .execution_options(synchronize_session=False)
            )
        return rows_changed(result) == 1

    async def _release_everyone(self, *, done: bool) -> None:
        values: dict[str, object] = {"lease_owner": None, "lease_until": None}
        values |= {
            "last_finished_at": self.records.now(),
            "last_outcome": "ok" if done else "failed",
        }
        async with self.records.db.session() as session:
            await session.execute(
                update(DirectorySync)
                .where(
                    DirectorySync.cop_id == ACCOUNTS_ROW,
                    DirectorySync.lease_owner == self.instance,
                )
                .values(values)
                .execution_options(synchronize_session=False)
            )


async def _ensure_row(session: AsyncSession, cop_id: str) -> None:
    await insert_ignore(session, DirectorySync.__table__, {"cop_id": cop_id}, ["cop_id"])
