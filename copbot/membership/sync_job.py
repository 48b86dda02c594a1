"""One run of the directory sync: every CoP group's round (`sync.GroupSync`), then the accounts
of people who may have left (`leavers.Leavers`). The periodic job and `copbot sync` call `run`.

Also what the admins see of it: `drift(...)` per CoP (members in our records, in the group,
added and removed outside, last sync time and outcome, focal points gone) for `copbot report`,
the admins' card and /readyz.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from sqlalchemy import func, select

from copbot.catalog import Catalog
from copbot.directory import DirectoryError, DirectoryUnavailable
from copbot.membership.leavers import Leavers, LeaversReport
from copbot.membership.sync import CopSync, GroupSync
from copbot.store import Database
from copbot.store.membership_models import Membership
from copbot.store.sync_models import DirectorySync

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class SyncRun:
    cops: list[CopSync] = field(default_factory=list)
    leavers: LeaversReport | None = None
    leavers_error: str | None = None  # the account check could not run (why)

    @property
    def ok(self) -> bool:
        return self.leavers_error is None and all(c.outcome != "failed" for c in self.cops)


@dataclass(frozen=True)
class CopDrift:
    cop_id: str
    recorded: int  # members in our records
    in_group: int | None  # members of the group at the last sync (None: never synced)
    added_outside: int  # since the first sync
    removed_outside: int
    last_sync_at: datetime | None
    last_outcome: str | None  # ok | failed
    last_error: str | None
    focal_points_gone: tuple[str, ...] = ()


@dataclass(frozen=True)
class DirectorySyncJob:
    groups: GroupSync
    leavers: Leavers | None = None

    async def run(self, cop_ids: Sequence[str] | None = None, *, dry_run: bool = False) -> SyncRun:
        cops = await self.groups.sync_all(cop_ids, dry_run=dry_run)
        report: LeaversReport | None = None
        error: str | None = None
        if self.leavers is not None:
            try:
                report = await self.leavers.check(dry_run=dry_run)
            except (DirectoryUnavailable, DirectoryError) as exc:
                log.warning("membership.leavers_failed", exc_info=True)
                error = str(exc)[:500]
        return SyncRun(cops, report, error)

    async def __call__(self) -> SyncRun:
        """The periodic job."""
        return await self.run()

    async def drift(self) -> list[CopDrift]:
        return await drift_of(self.groups.records.db, self.groups.catalog)

    async def warnings(self) -> list[str]:
        return await sync_warnings(self.groups.records.db, self.groups.catalog)


async def drift_of(db: Database, catalog: Catalog) -> list[CopDrift]:
    """Per CoP of the catalog: our records against the group, as the last sync saw it."""
    async with db.session() as session:
        rows = {r.cop_id: r for r in (await session.scalars(select(DirectorySync))).all()}
        recorded = dict(
            (
                await session.execute(
                    select(Membership.cop_id, func.count()).group_by(Membership.cop_id)
                )
            ).all()
        )
        result = []
        for community in catalog:
            row = rows.get(community.id)
            result.append(
                CopDrift(
                    cop_id=community.id,
                    recorded=int(recorded.get(community.id, 0)),
                    in_group=row.in_group if row else None,
                    added_outside=row.added_outside if row else 0,
                    removed_outside=row.removed_outside if row else 0,
                    last_sync_at=row.last_finished_at if row else None,
                    last_outcome=row.last_outcome if row else None,
                    last_error=row.last_error if row else None,
                    focal_points_gone=tuple(
                        i for i in (row.focal_points_gone if row else "").split(",") if i
                    ),
                )
            )
    return result


async def sync_warnings(db: Database, catalog: Catalog) -> list[str]:
    """Sentences for /readyz and `copbot check-config`: CoPs without a working focal point,
    CoPs whose last sync failed."""
    out = []
    for drift in await drift_of(db, catalog):
        community = catalog.get(drift.cop_id)
        if community is None:
            continue
        names = {fp.aad_object_id.lower(): fp.name for fp in community.focal_points}
        for focal_id in drift.focal_points_gone:
            out.append(
                f"{community.id}: the focal point {names.get(focal_id.lower(), focal_id)} "
                "is disabled or no longer in the directory: name a new focal point in the "
                "catalog (its requests go to the admins meanwhile)"
            )
        if drift.last_outcome == "failed":
            out.append(f"{community.id}: the last directory sync failed: {drift.last_error or '?'}")
    return out
