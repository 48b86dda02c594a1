"""Keeping our membership records true to the directory: the periodic sync (`copbot sync`).

Each CoP group's membership is read through the directory's delta rounds (`GroupDelta`: Graph's
`GET /groups/delta`); the round's token is kept per CoP (`directory_syncs`), so later runs read
only what changed. What the sync does with a change (it never adds or removes anyone in the
directory itself):

- someone in the group we did not know: recorded as a *secondary* member (`source="directory"`);
  if they have no primary CoP they are asked once, kindly, in their language, to choose one
  (`membership.ask_primary`, dedupe key per person);
- someone we recorded as added who is no longer in the group: their membership ends, the audit
  says the sync noticed it (`actor="directory-sync"`); if it was their primary and they have
  others, they are asked to choose a new one;
- an expired or refused token: the round restarts in full (the port handles it) and the full
  membership is compared with our records.

Exactly once with several instances: a run claims the CoP's row (a conditional UPDATE of the
lease: `copbot.work.policy`'s 30 s, renewed every 10 s while the run goes on) before it reads; the
changes, the new token and the release are one transaction that commits only while the lease is still this run's. A run that
dies leaves the old token: the next run reads the same changes again and finds them applied
(inserts and deletes are conditional), so nothing is applied twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.catalog import Catalog, Community
from copbot.directory import DeltaRound, DirectoryError, DirectoryUnavailable, GroupDelta
from copbot.membership.model import SYNC_ACTOR, Role
from copbot.membership.queue import MembershipQueue
from copbot.membership.records import MembershipRecords
from copbot.membership.sync_lease import SyncLease
from copbot.store.membership_models import Membership
from copbot.store.results import rows_changed
from copbot.store.sync_models import DirectorySync
from copbot.store.upsert import insert_ignore
from copbot.work.lease import held
from copbot.work.policy import RetryPolicy

log = structlog.get_logger(__name__)

OK, FAILED, SKIPPED, DRY_RUN = "ok", "failed", "skipped", "dry_run"


@dataclass(frozen=True)
class SyncSettings:
    interval_hours: float = 24  # 0: no periodic sync (copbot sync still works)
    account_check_days: float = 7  # every member's account is checked this often
    # the one lease policy of background work: a run holds its CoP 30 s at a time, renewed every
    # 10 s while it goes on (copbot.membership.sync_lease)
    lease: RetryPolicy = field(default_factory=RetryPolicy)


@dataclass(frozen=True)
class CopSync:
    """What one run did (or, dry, would do) for one CoP."""

    cop_id: str
    outcome: str  # ok | failed | skipped | dry_run
    full: bool = False
    restarted: bool = False
    added_outside: tuple[str, ...] = ()
    removed_outside: tuple[str, ...] = ()
    in_group: int | None = None
    requests: int = 0
    reason: str | None = None


# Called after each CoP's run with its result (metrics).
SyncObserver = Callable[[CopSync], None]


class _LeaseLost(Exception):
    """Another run took the CoP over (this one was slower than the lease): write nothing."""


@dataclass(frozen=True)
class GroupSync:
    records: MembershipRecords
    catalog: Catalog
    delta: GroupDelta
    queue: MembershipQueue
    settings: SyncSettings = field(default_factory=SyncSettings)
    observers: list[SyncObserver] = field(default_factory=list)
    instance: str = field(default_factory=lambda: uuid.uuid4().hex[:16])

    def communities(self, cop_ids: Sequence[str] | None = None) -> list[Community]:
        """CoPs with a directory group (local groups have nothing to reconcile)."""
        wanted = {c.upper() for c in cop_ids} if cop_ids else None
        return [
            c
            for c in self.catalog
            if c.graph_group_id and (wanted is None or c.id.upper() in wanted)
        ]

    async def sync_all(
        self, cop_ids: Sequence[str] | None = None, *, dry_run: bool = False
    ) -> list[CopSync]:
        results = [await self.sync_cop(c, dry_run=dry_run) for c in self.communities(cop_ids)]
        if not dry_run and any(r.added_outside or r.removed_outside for r in results):
            self.queue.kick()
        return results

    async def sync_cop(self, community: Community, *, dry_run: bool = False) -> CopSync:
        if dry_run:
            token = await self._token(community.id)
        else:
            claimed, token = await self._claim(community)
            if not claimed:
                result = CopSync(community.id, SKIPPED, reason="another run is syncing this CoP")
                self._observe(result)
                return result
        lease = SyncLease(self.records, community.id, self.instance, self.settings.lease)
        try:
            async with (
                nullcontext() if dry_run else held(lease, self.settings.lease.heartbeat_seconds)
            ):
                delta_round = await self.delta.changes(community.graph_group_id, token)
                result = await self._apply(community, delta_round, dry_run=dry_run)
        except (DirectoryUnavailable, DirectoryError) as exc:
            log.warning("membership.sync_failed", cop_id=community.id, exc_info=True)
            result = CopSync(community.id, FAILED, reason=str(exc)[:500])
            if not dry_run:
                await self._release(community.id, result)
        except _LeaseLost:
            log.warning("membership.sync_lease_lost", cop_id=community.id)
            result = CopSync(community.id, SKIPPED, reason="another run took this CoP over")
        except BaseException:
            if not dry_run:
                await self._release(community.id, CopSync(community.id, FAILED, reason="error"))
            raise
        self._observe(result)
        return result

    def _observe(self, result: CopSync) -> None:
        for observe in self.observers:
            observe(result)

    # -- the claim ---------------------------------------------------------------------------
    async def _token(self, cop_id: str) -> str | None:
        async with self.records.db.session() as session:
            return await session.scalar(
                select(DirectorySync.delta_token).where(DirectorySync.cop_id == cop_id)
            )

    async def _claim(self, community: Community) -> tuple[bool, str | None]:
        now = self.records.now()
        async with self.records.db.session() as session:
            await insert_ignore(
                session,
                DirectorySync.__table__,
                {"cop_id": community.id, "group_id": community.graph_group_id},
                ["cop_id"],
            )
            result = await session.execute(
                update(DirectorySync)
                .where(
                    DirectorySync.cop_id == community.id,
                    or_(DirectorySync.lease_until.is_(None), DirectorySync.lease_until < now),
                )
                .values(
                    lease_owner=self.instance,
                    lease_until=self.settings.lease.lease_end(now),
                    last_started_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if rows_changed(result) != 1:
                return False, None
            row = await session.scalar(
                select(DirectorySync).where(DirectorySync.cop_id == community.id)
            )
            assert row is not None
            # Another group id in the catalog: the old token belongs to the old group.
            token = row.delta_token if row.group_id == community.graph_group_id else None
            row.group_id = community.graph_group_id
        return True, token

    async def _release(self, cop_id: str, result: CopSync) -> None:
        async with self.records.db.session() as session:
            await session.execute(
                update(DirectorySync)
                .where(DirectorySync.cop_id == cop_id, DirectorySync.lease_owner == self.instance)
                .values(
                    lease_owner=None,
                    lease_until=None,
                    last_finished_at=self.records.now(),
                    last_outcome=result.outcome,
                    last_error=result.reason,
                )
                .execution_options(synchronize_session=False)
            )

    # -- applying a round --------------------------------------------------------------------
    async def _apply(
        self, community: Community, delta_round: DeltaRound, *, dry_run: bool
    ) -> CopSync:
        cop_id = community.id
        now = self.records.now()
        async with self.records.db.session() as session:
            # a full round compares everyone; a delta round only the people it names
            wanted = None if delta_round.full else delta_round.added | delta_round.removed
            ours = await _recorded(session, cop_id, wanted)
            previous = await session.get(DirectorySync, cop_id)
            if delta_round.full:
                in_group: int | None = len(delta_round.added)
                added = sorted(delta_round.added - ours.keys())
                # only people we know were put in the group (not those still being added)
                removed = sorted(
                    p for p, at in ours.items() if at is not None and p not in delta_round.added
                )
            else:
                added = sorted(delta_round.added - ours.keys())
                removed = sorted(p for p in delta_round.removed if ours.get(p) is not None)
                known = previous.in_group if previous is not None else None
                in_group = (
                    None
                    if known is None
                    else max(0, known + len(delta_round.added) - len(delta_round.removed))
                )
            result = CopSync(
                cop_id,
                DRY_RUN if dry_run else OK,
                full=delta_round.full,
                restarted=delta_round.restarted,
                added_outside=tuple(added),
                removed_outside=tuple(removed),
                in_group=in_group,
                requests=delta_round.requests,
            )
            if dry_run:
                return result
            applied_adds = [p for p in added if await self._record_added(session, cop_id, p, now)]
            applied_removes = [
                p for p in removed if await self._record_removed(session, community, p, now)
            ]
            kept = await session.execute(
                update(DirectorySync)
                .where(DirectorySync.cop_id == cop_id, DirectorySync.lease_owner == self.instance)
                .values(
                    delta_token=delta_round.token,
                    lease_owner=None,
                    lease_until=None,
                    last_finished_at=now,
                    last_outcome=OK,
                    last_error=None,
                    in_group=in_group,
                    added_outside=DirectorySync.added_outside + len(applied_adds),
                    removed_outside=DirectorySync.removed_outside + len(applied_removes),
                )
                .execution_options(synchronize_session=False)
            )
            if rows_changed(kept) != 1:
                raise _LeaseLost()  # rolls the whole transaction back
            self.records.audit(
                session,
                "membership.synced",
                f"cop:{cop_id}",
                actor=SYNC_ACTOR,
                at=now,
                full=delta_round.full,
                restarted=delta_round.restarted or None,
                added_outside=len(applied_adds),
                removed_outside=len(applied_removes),
                requests=delta_round.requests,
            )
        log.info(
            "membership.synced",
            cop_id=cop_id,
            full=delta_round.full,
            added=len(applied_adds),
            removed=len(applied_removes),
            requests=delta_round.requests,
        )
        return result

    async def _record_added(
        self, session: AsyncSession, cop_id: str, person_id: str, now: datetime
    ) -> bool:
        inserted = await insert_ignore(
            session,
            Membership.__table__,
            {
                "person_id": person_id,
                "cop_id": cop_id,
                "role": Role.SECONDARY.value,
                "since": now,
                "source": "directory",
                "added_at": now,
            },
            ["person_id", "cop_id"],
        )
        if not inserted:
            return False
        self.records.audit(
            session,
            "membership.added_outside",
            f"cop:{cop_id}",
            actor=SYNC_ACTOR,
            at=now,
            person_id=person_id,
        )
        if await self.records.primary(session, person_id) is None:
            await self.queue.ask_primary(session, person_id, cop_id)
        return True

    async def _record_removed(
        self, session: AsyncSession, community: Community, person_id: str, now: datetime
    ) -> bool:
        role = await session.scalar(
            select(Membership.role).where(
                Membership.person_id == person_id, Membership.cop_id == community.id
            )
        )
        gone = await session.execute(
            delete(Membership)
            .where(
                Membership.person_id == person_id,
                Membership.cop_id == community.id,
                Membership.added_at.is_not(None),
            )
            .execution_options(synchronize_session=False)
        )
        if rows_changed(gone) != 1:
            return False
        self.records.audit(
            session,
            "membership.removed_outside",
            f"cop:{community.id}",
            actor=SYNC_ACTOR,
            at=now,
            person_id=person_id,
            was_primary=role == Role.PRIMARY,
        )
        if role == Role.PRIMARY:
            others = await session.scalar(
                select(func.count())
                .select_from(Membership)
                .where(Membership.person_id == person_id)
            )
            if others:
                await self.queue.ask_primary(
                    session,
                    person_id,
                    None,
                    lost=community.id,
                    why=f"lost:{community.id}:{now:%Y%m%d}",
                )
        return True


async def _recorded(
    session: AsyncSession, cop_id: str, people: frozenset[str] | None
) -> dict[str, datetime | None]:
    """Our records of the CoP (person -> added_at): all, or only `people`."""
    query = select(Membership.person_id, Membership.added_at).where(Membership.cop_id == cop_id)
    if people is None:
        return {p: at for p, at in (await session.execute(query)).all()}
    found: dict[str, datetime | None] = {}
    ordered = sorted(people)
    for start in range(0, len(ordered), 500):  # bound the IN list
        chunk = ordered[start : start + 500]
        rows = await session.execute(query.where(Membership.person_id.in_(chunk)))
        found.update({p: at for p, at in rows.all()})
    return found
