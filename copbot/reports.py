"""The admins' report: members and primaries per CoP, pending join requests and their age, and
people who talked to the bot without a primary CoP (`copbot report`, and a card in chat).

Figures come from CoP Bot's own tables (``memberships``, ``join_requests``, ``people``): what the
bot has recorded through join requests, the bulk import and people found already in a group.
``directory_members`` may add, per CoP, the number of members its Microsoft 365 group has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from copbot.catalog import Catalog
from copbot.delivery.ledger import UNREACHABLE_DAYS, unreachable_since
from copbot.store import Database
from copbot.store.membership_models import JoinRequest, Membership
from copbot.store.models import Person
from copbot.store.sync_models import DirectorySync


@dataclass(frozen=True)
class CopFigures:
    cop_id: str
    members: int  # recorded by CoP Bot (primary + secondary)
    primaries: int
    pending: int  # join requests waiting for a focal point
    oldest_pending: timedelta | None  # age of the oldest of them
    in_group: int | None = None  # members of the directory group (asked for, or the last sync)
    # The directory sync (copbot/membership/sync.py): drift found since the first sync.
    added_outside: int = 0
    removed_outside: int = 0
    last_sync_at: datetime | None = None
    last_sync_outcome: str | None = None  # ok | failed; None: never synced
    focal_points_gone: tuple[str, ...] = ()  # focal points whose account is disabled or gone


@dataclass(frozen=True)
class PendingRequest:
    request_id: str
    cop_id: str
    person_id: str
    name: str  # as the directory described them when they asked
    role: str
    age: timedelta


@dataclass(frozen=True)
class PersonWithoutPrimary:
    person_id: str
    name: str
    email: str | None
    last_seen_at: datetime
    cops: tuple[str, ...]  # their secondary CoPs, if any


@dataclass
class AdminReport:
    at: datetime
    cops: list[CopFigures] = field(default_factory=list)
    pending: list[PendingRequest] = field(default_factory=list)  # the oldest first
    without_primary: list[PersonWithoutPrimary] = field(default_factory=list)  # the latest first
    people: int = 0  # everyone who talked to the bot
    unreachable: int = 0  # people the bot could not write to lately (UNREACHABLE_DAYS)

    @property
    def members(self) -> int:
        return sum(c.members for c in self.cops)

    @property
    def primaries(self) -> int:
        return sum(c.primaries for c in self.cops)


async def build_report(
    db: Database,
    catalog: Catalog,
    now: datetime,
    *,
    directory_members: dict[str, int] | None = None,
) -> AdminReport:
    async with db.session() as session:
        per_cop = (
            await session.execute(
                select(
                    Membership.cop_id,
                    func.count(),
                    func.sum(case((Membership.role == "primary", 1), else_=0)),
                ).group_by(Membership.cop_id)
            )
        ).all()
        pending_rows = (
            await session.scalars(
                select(JoinRequest)
                .where(JoinRequest.status == "pending")
                .order_by(JoinRequest.created_at, JoinRequest.id)
            )
        ).all()
        primaries = select(Membership.person_id).where(Membership.role == "primary")
        lonely = (
            await session.scalars(
                select(Person)
                .where(Person.id.not_in(primaries))
                .order_by(Person.last_seen_at.desc(), Person.id)
            )
        ).all()
        secondary = (
            await session.execute(
                select(Membership.person_id, Membership.cop_id).where(
                    Membership.person_id.in_([p.id for p in lonely] or [""])
                )
            )
        ).all()
        people = await session.scalar(select(func.count()).select_from(Person)) or 0
        syncs = {r.cop_id: r for r in (await session.scalars(select(DirectorySync))).all()}

    counts = {cop: (int(total), int(prim or 0)) for cop, total, prim in per_cop}
    pending = [
        PendingRequest(
            request_id=r.id,
            cop_id=r.cop_id,
            person_id=r.person_id,
            name=str((r.requester or {}).get("name") or ""),
            role=r.role,
            age=max(timedelta(0), now - r.created_at),
        )
        for r in pending_rows
    ]
    ids = catalog.ids()
    extra = sorted(
        {cop for cop in counts if cop not in ids}
        | {p.cop_id for p in pending if p.cop_id not in ids}
    )
    cops = []
    for cop in [*ids, *extra]:
        waiting = [p for p in pending if p.cop_id == cop]
        members, prim = counts.get(cop, (0, 0))
        synced = syncs.get(cop)
        in_group = (directory_members or {}).get(cop)
        cops.append(
            CopFigures(
                cop_id=cop,
                members=members,
                primaries=prim,
                pending=len(waiting),
                oldest_pending=max((p.age for p in waiting), default=None),
                in_group=in_group if in_group is not None or not synced else synced.in_group,
                added_outside=synced.added_outside if synced else 0,
                removed_outside=synced.removed_outside if synced else 0,
                last_sync_at=synced.last_finished_at if synced else None,
                last_sync_outcome=synced.last_outcome if synced else None,
                focal_points_gone=tuple(
                    i for i in (synced.focal_points_gone if synced else "").split(",") if i
                ),
            )
        )
    their_cops: dict[str, list[str]] = {}
    for person_id, cop in secondary:
        their_cops.setdefault(person_id, []).append(cop)
    without = [
        PersonWithoutPrimary(
            person_id=p.id,
            name=p.name,
            email=p.email,
            last_seen_at=p.last_seen_at,
            cops=tuple(sorted(their_cops.get(p.id, []))),
        )
        for p in lonely
    ]
    unreachable = await unreachable_since(db, now - timedelta(days=UNREACHABLE_DAYS))
    return AdminReport(
        at=now,
        cops=cops,
        pending=pending,
        without_primary=without,
        people=people,
        unreachable=len(unreachable),
    )
