"""LocalDirectory: the directory of local mode. Group memberships live in our own database.

People are known from their chats with the bot (the `people` table); nobody else exists, so a
local install needs no Microsoft 365 tenant at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, or_, select

from copbot.clock import Clock
from copbot.directory import AddOutcome, DirectoryError, DirectoryUser, RemoveOutcome
from copbot.store import Database
from copbot.store.models import LocalGroupMember, Person
from copbot.store.results import rows_changed
from copbot.store.upsert import insert_ignore


class LocalDirectory:
    def __init__(self, db: Database, clock: Clock):
        self.db = db
        self.clock = clock

    async def get_user(self, user_id_or_upn: str) -> DirectoryUser | None:
        found = await self.find_users([user_id_or_upn])
        return found[user_id_or_upn]

    async def find_users(self, keys: Sequence[str]) -> dict[str, DirectoryUser | None]:
        wanted = {k.lower() for k in keys}
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    select(Person).where(
                        or_(func.lower(Person.id).in_(wanted), func.lower(Person.email).in_(wanted))
                    )
                )
            ).all()
        by_key: dict[str, DirectoryUser] = {}
        for row in rows:
            user = DirectoryUser(id=row.id, display_name=row.name, mail=row.email)
            by_key[row.id.lower()] = user
            if row.email:
                by_key[row.email.lower()] = user
        return {k: by_key.get(k.lower()) for k in keys}

    async def is_member(self, group_id: str, user_id: str) -> bool:
        async with self.db.session() as session:
            row = await session.get(LocalGroupMember, (group_id, user_id))
        return row is not None

    async def add_member(self, group_id: str, user_id: str) -> AddOutcome:
        if not group_id:
            raise DirectoryError("no group id", status=400)
        async with self.db.session() as session:
            inserted = await insert_ignore(
                session,
                LocalGroupMember.__table__,
                {"group_id": group_id, "user_id": user_id, "added_at": self.clock.now()},
                keys=["group_id", "user_id"],
            )
        return AddOutcome.ADDED if inserted else AddOutcome.ALREADY_MEMBER

    async def add_members(
        self, group_id: str, user_ids: Sequence[str]
    ) -> dict[str, AddOutcome | DirectoryError]:
        return {user_id: await self.add_member(group_id, user_id) for user_id in user_ids}

    async def remove_member(self, group_id: str, user_id: str) -> RemoveOutcome:
        async with self.db.session() as session:
            result = await session.execute(
                delete(LocalGroupMember).where(
                    LocalGroupMember.group_id == group_id, LocalGroupMember.user_id == user_id
                )
            )
        return RemoveOutcome.REMOVED if rows_changed(result) else RemoveOutcome.NOT_MEMBER

    async def list_members(self, group_id: str) -> list[str]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(LocalGroupMember.user_id)
                .where(LocalGroupMember.group_id == group_id)
                .order_by(LocalGroupMember.added_at)
            )
            return list(rows)
