"""Tables of the foundation: people, conversation references, the audit log, local groups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from copbot.store.base import Base


class Person(Base):
    """Someone who talked to the bot. `id` is the Entra object id (or the channel id when none)."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(256), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(16), default="en")
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


class ConversationReference(Base):
    """Where the bot can write to later: a person's 1:1 chat, a team's channel."""

    __tablename__ = "conversation_references"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # "user:<id>", "channel:<id>"
    kind: Mapped[str] = mapped_column(String(16))  # "personal" | "channel" | "groupChat"
    conversation_id: Mapped[str] = mapped_column(String(512))
    reference: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class AuditEntry(Base):
    """Every request, decision and directory outcome, append-only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))  # person id, "system", or "cli"
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (Index("ix_audit_log_subject_at", "subject", "at"),)


class LocalGroupMember(Base):
    """Group memberships in local mode (LocalDirectory), where no Microsoft Graph is used."""

    __tablename__ = "local_group_members"

    group_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    added_at: Mapped[datetime]


# Feature tables live in their own modules; importing them here registers them with Base.metadata
# (Alembic and the tests read it). Keep one line per module.
from copbot.store import (  # noqa: E402, F401
    delivery_models,
    followup_models,
    import_models,
    meetings_models,
    membership_models,
    sync_models,
)
