"""The directory side of membership: adding an approved person to the CoP's group, removing
someone who left (outbox kinds `membership.add` and `membership.remove`).

Both run at least once (the outbox may run an item again after a crash), so both are idempotent:
"already a member" / "not a member" count as done, the add is recorded by one conditional UPDATE
(`added_at IS NULL`) that also queues the welcome, so only the add that is recorded welcomes.
`DirectoryUnavailable` (throttled, Graph down) is tried again by the outbox, after Retry-After;
`DirectoryError` (refused) fails the item with its reason, audited.

A CoP with a `team_id` and a `TeamMembers` port: the person is added to the Team itself
(`POST /teams/{id}/members`, at once, and so to its group); without the permission
TeamMember.ReadWrite.All (`PermissionMissing`) or an unknown team, the group add as before, and
`TeamAddWarnings` keeps the reason for /readyz. The welcome says which it was: in the team now, or
Teams may take hours to show it (a group add reaches Teams through a background sync).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.catalog import Catalog, Community
from copbot.directory import (
    AddOutcome,
    Directory,
    DirectoryUnavailable,
    PermissionMissing,
    TeamMembers,
    UnknownTeam,
)
from copbot.membership.model import ADD_TO_GROUP, REMOVE_FROM_GROUP, WELCOME, Status
from copbot.membership.queue import MembershipQueue
from copbot.membership.records import MembershipRecords
from copbot.store.membership_models import JoinRequest, Membership
from copbot.store.results import rows_changed
from copbot.work.outbox import Outbox, PermanentFailure

log = structlog.get_logger(__name__)


@dataclass
class TeamAddWarnings:
    """Why Team adds fell back to group adds in this process (for /readyz), by team id."""

    reasons: dict[str, str] = field(default_factory=dict)

    def note(self, team_id: str, reason: str) -> None:
        self.reasons[team_id] = reason

    def clear(self, team_id: str) -> None:
        self.reasons.pop(team_id, None)


@dataclass(frozen=True)
class DirectoryWork:
    records: MembershipRecords
    catalog: Catalog
    directory: Directory
    queue: MembershipQueue
    team_members: TeamMembers | None = None
    team_warnings: TeamAddWarnings = field(default_factory=TeamAddWarnings)

    def register(self, outbox: Outbox) -> None:
        outbox.register(ADD_TO_GROUP, self.add_to_group, on_failed=self._add_failed)
        outbox.register(REMOVE_FROM_GROUP, self.remove_from_group, on_failed=self._remove_failed)

    async def add_to_group(self, payload: dict[str, Any]) -> None:
        request = await self.records.get_request(str(payload.get("request_id", "")))
        if request is None or request.status != Status.APPROVED or request.added_at is not None:
            return  # nothing (more) to do
        community = self.catalog.get(request.cop_id)
        if community is None:
            raise PermanentFailure(f"{request.cop_id} is no longer in the catalog")
        async with self.records.db.session() as session:
            still = await session.get(Membership, (request.person_id, request.cop_id))
        if still is None:  # they left before the add happened
            await self.records.audit_alone(
                "membership.add_skipped", f"request:{request.id}", reason="left before being added"
            )
            return
        try:
            outcome, in_team = await self._add(community, request.person_id)
        except DirectoryUnavailable as exc:
            await self.records.audit_alone(
                "membership.add_deferred",
                f"request:{request.id}",
                group_id=community.group_key,
                status=exc.status,
                retry_after=exc.retry_after,
                reason=str(exc)[:300],
            )
            raise
        now = self.records.now()
        async with self.records.db.session() as session:
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
            self.records.audit(
                session,
                "membership.added",
                f"request:{request.id}",
                at=now,
                group_id=community.group_key,
                person_id=request.person_id,
                outcome=str(outcome),
                via="team" if in_team else "group",  # (the local table in local mode)
            )
            if rows_changed(result):
                await self.queue.notify(session, request.id, WELCOME, in_team=in_team)
        log.info(
            "membership.added",
            request_id=request.id,
            cop_id=request.cop_id,
            outcome=str(outcome),
        )
        self.queue.kick()

    async def _add(self, community: Community, person_id: str) -> tuple[AddOutcome, bool | None]:
        """(the outcome, whether they are in the Team at once: None when there is no Microsoft
        365 group, i.e. local mode)."""
        team_id = community.team_id
        if team_id and self.team_members is not None:
            try:
                outcome = await self.team_members.add_to_team(team_id, person_id)
            except PermissionMissing as exc:
                self.team_warnings.note(
                    team_id,
                    f"the application permission {exc.permission} is not granted: people are "
                    "added to the group, and Teams can take hours to show them the team",
                )
                log.warning("membership.team_add_fallback", team_id=team_id, reason="permission")
            except UnknownTeam:
                self.team_warnings.note(team_id, "Graph knows no team with this id")
                log.warning("membership.team_add_fallback", team_id=team_id, reason="no_team")
            else:
                self.team_warnings.clear(team_id)
                return outcome, True
        outcome = await self.directory.add_member(community.group_key, person_id)
        return outcome, False if community.graph_group_id else None

    async def _add_failed(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        self.records.audit(
            session,
            "membership.add_failed",
            f"request:{payload.get('request_id')}",
            reason=reason[:500],
        )

    async def remove_from_group(self, payload: dict[str, Any]) -> None:
        person_id = str(payload["person_id"])
        cop_id = str(payload["cop_id"])
        async with self.records.db.session() as session:
            back = await session.get(Membership, (person_id, cop_id))
        if back is not None:  # they joined again since: keep them in
            return
        try:
            outcome = await self.directory.remove_member(str(payload["group_key"]), person_id)
        except DirectoryUnavailable as exc:
            await self.records.audit_alone(
                "membership.remove_deferred",
                f"cop:{cop_id}",
                person_id=person_id,
                reason=str(exc)[:300],
            )
            raise
        await self.records.audit_alone(
            "membership.removed", f"cop:{cop_id}", person_id=person_id, outcome=str(outcome)
        )

    async def _remove_failed(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        self.records.audit(
            session,
            "membership.remove_failed",
            f"cop:{payload.get('cop_id')}",
            person_id=payload.get("person_id"),
            reason=reason[:500],
        )
