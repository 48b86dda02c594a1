"""People who talked to the bot, and where the bot can reach them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.store.db import Database
from copbot.store.models import ConversationReference, Person
from copbot.store.upsert import upsert


async def remember_person(
    db: Database,
    person_id: str,
    name: str,
    locale: str,
    now: datetime,
    *,
    reference: dict[str, Any] | None = None,
    conversation_id: str | None = None,
    email: str | None = None,
) -> None:
    """Record a person's visit. An empty name, locale or email never erases a known one: the
    locale is the language the bot writes to them in (`copbot.languages`)."""
    values: dict[str, Any] = {
        "id": person_id,
        "name": name[:256],
        "locale": locale[:16],
        "first_seen_at": now,
        "last_seen_at": now,
    }
    update = ["last_seen_at"] + (["name"] if name else []) + (["locale"] if locale else [])
    if email:
        values["email"] = email[:320]
        update.append("email")
    async with db.session() as session:
        await upsert(session, Person.__table__, values, keys=["id"], update=update)
        if reference is not None and conversation_id:
            await _save_reference(
                session, f"user:{person_id}", "personal", conversation_id, reference, now
            )


async def remember_reference(
    db: Database,
    key: str,
    kind: str,
    conversation_id: str,
    reference: dict[str, Any],
    now: datetime,
) -> None:
    async with db.session() as session:
        await _save_reference(session, key, kind, conversation_id, reference, now)


async def _save_reference(
    session: AsyncSession,
    key: str,
    kind: str,
    conversation_id: str,
    reference: dict[str, Any],
    now: datetime,
) -> None:
    await upsert(
        session,
        ConversationReference.__table__,
        {
            "key": key,
            "kind": kind,
            "conversation_id": conversation_id,
            "reference": reference,
            "updated_at": now,
        },
        keys=["key"],
        update=["kind", "conversation_id", "reference", "updated_at"],
    )


async def get_reference(db: Database, key: str) -> dict[str, Any] | None:
    async with db.session() as session:
        row = await session.scalar(
            select(ConversationReference.reference).where(ConversationReference.key == key)
        )
    return row


async def latest_reference(db: Database, *, kind: str | None = None) -> dict[str, Any] | None:
    """The most recently stored reference (of this kind: "personal" | "channel"), if any."""
    query = (
        select(ConversationReference.reference)
        .order_by(ConversationReference.updated_at.desc())
        .limit(1)
    )
    if kind:
        query = query.where(ConversationReference.kind == kind)
    async with db.session() as session:
        return await session.scalar(query)


async def get_person(db: Database, person_id: str) -> Person | None:
    async with db.session() as session:
        return await session.get(Person, person_id)
