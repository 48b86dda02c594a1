"""INSERT ... ON CONFLICT for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import FromClause

from copbot.store.results import rows_changed


def _insert(session: AsyncSession, table: FromClause) -> Any:
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


async def upsert(
    session: AsyncSession,
    table: FromClause,
    values: Mapping[str, Any],
    keys: Iterable[str],
    update: Iterable[str],
) -> None:
    """Insert a row, or update the `update` columns of the row with the same `keys`."""
    stmt = _insert(session, table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: stmt.excluded[c] for c in update}
    )
    await session.execute(stmt)


async def insert_ignore(
    session: AsyncSession, table: FromClause, values: Mapping[str, Any], keys: Iterable[str]
) -> bool:
    """Insert a row unless one with the same `keys` exists; True when this call inserted it."""
    stmt = (
        _insert(session, table).values(**values).on_conflict_do_nothing(index_elements=list(keys))
    )
    result = await session.execute(stmt)
    return bool(rows_changed(result))
