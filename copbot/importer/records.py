"""How an import's rows are stored: the memberships CoP Bot keeps, and rows written in bulk."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.importer.csvfile import Row
from copbot.store.membership_models import Membership

__all__ = ["membership_of_row", "upsert_many"]


def membership_of_row(
    session: AsyncSession,
    known: dict[tuple[str, str], Membership],
    primary_of: dict[str, str],
    user_id: str,
    row: Row,
    now: datetime,
) -> tuple[str, str]:
    """Record the membership in CoP Bot's tables (in ``session``, not yet flushed): the role
    recorded, and a note when the person's primary CoP was kept. ``known`` and ``primary_of``
    are the people's memberships, kept up to date for the next rows of the chunk."""
    role, note = "secondary", ""
    if row.primary:
        current = primary_of.get(user_id)
        if current is None or current == row.cop_id:
            role = "primary"
        else:
            note = (
                f"{current} stays the primary CoP (CoP Bot already had it); "
                f"{row.cop_id} recorded as secondary"
            )
    existing = known.get((user_id, row.cop_id))
    if existing is None:
        existing = Membership(
            person_id=user_id,
            cop_id=row.cop_id,
            role=role,
            since=now,
            request_id=None,
            source="import",
            added_at=now,
        )
        session.add(existing)
        known[(user_id, row.cop_id)] = existing
    else:
        if role == "primary" and existing.role != "primary":
            existing.role = "primary"
        if existing.added_at is None:
            existing.added_at = now
    if existing.role == "primary":
        primary_of[user_id] = row.cop_id
    return existing.role, note


async def upsert_many(
    session: AsyncSession,
    table: Any,
    rows: list[dict[str, Any]],
    *,
    keys: list[str],
    update: list[str],
    per_statement: int = 500,
) -> None:
    """INSERT ... ON CONFLICT DO UPDATE of many rows in few statements (SQLite and PostgreSQL)."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    module = postgresql if dialect == "postgresql" else sqlite
    for start in range(0, len(rows), per_statement):
        stmt = module.insert(table).values(rows[start : start + per_statement])
        stmt = stmt.on_conflict_do_update(
            index_elements=keys, set_={c: stmt.excluded[c] for c in update}
        )
        await session.execute(stmt)
