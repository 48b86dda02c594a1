"""The audit log: every request, decision and directory outcome, append-only (`audit_log`).

Write inside the transaction that made the change (`record(session, ...)`), so the log never
claims something the database does not hold, and never misses something it does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.store.db import Database
from copbot.store.models import AuditEntry

SYSTEM = "system"
CLI = "cli"


def record(
    session: AsyncSession,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject: str = "",
    **details: Any,
) -> None:
    """Add one entry. `details` must be JSON values (ids, statuses, short reasons)."""
    session.add(
        AuditEntry(
            at=at,
            actor=(actor or SYSTEM)[:64],
            action=action[:64],
            subject=subject[:200],
            details={k: v for k, v in details.items() if v is not None},
        )
    )


async def entries(
    db: Database,
    *,
    subject: str | None = None,
    actions: Sequence[str] | None = None,
    actor: str | None = None,
) -> list[AuditEntry]:
    """Entries in the order they were written, optionally filtered."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if subject is not None:
        query = query.where(AuditEntry.subject == subject)
    if actions:
        query = query.where(AuditEntry.action.in_(list(actions)))
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    async with db.session() as session:
        return list((await session.scalars(query)).all())
