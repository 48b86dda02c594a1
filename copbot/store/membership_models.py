"""Tables of the membership workflow: memberships, join requests, sent approval cards, the outbox.

Invariants the database itself keeps (on SQLite and PostgreSQL alike, with partial unique indexes):
- at most one *pending* join request per person and CoP (`uq_join_requests_pending`);
- at most one *primary* membership per person (`uq_memberships_primary`);
- one outbox row per dedupe key (`uq_outbox_dedupe_key`): the same work is never queued twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from copbot.store.base import Base

BIG_ID = BigInteger().with_variant(Integer, "sqlite")


class Membership(Base):
    """A person in a CoP, as CoP Bot knows it (the directory group is the source of truth)."""

    __tablename__ = "memberships"

    person_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cop_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # "primary" | "secondary"
    since: Mapped[datetime]
    request_id: Mapped[str | None] = mapped_column(String(32))  # the approved request, if any
    source: Mapped[str] = mapped_column(String(16), default="request")  # request|directory|import
    # When the person was put in the directory group (None: approved, still being added).
    added_at: Mapped[datetime | None]

    __table_args__ = (
        Index(
            "uq_memberships_primary",
            "person_id",
            unique=True,
            sqlite_where=text("role = 'primary'"),
            postgresql_where=text("role = 'primary'"),
        ),
        Index("ix_memberships_cop_id", "cop_id"),
    )


class JoinRequest(Base):
    """A person's request to join a CoP, and what became of it."""

    __tablename__ = "join_requests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex
    person_id: Mapped[str] = mapped_column(String(64))
    cop_id: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(500), default="")
    lang: Mapped[str] = mapped_column(String(8), default="en")
    # Who asks, as the directory described them when they asked (name, job title, office, mail).
    requester: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16))  # pending|approved|rejected|withdrawn
    created_at: Mapped[datetime]
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_by_name: Mapped[str | None] = mapped_column(String(256))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(500))
    added_at: Mapped[datetime | None]  # when the directory add was done (approved requests)
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]

    __table_args__ = (
        Index(
            "uq_join_requests_pending",
            "person_id",
            "cop_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_join_requests_status_created_at", "status", "created_at"),
        Index("ix_join_requests_person_id", "person_id"),
    )


class ApprovalCard(Base):
    """An approval card the bot sent (to a focal point, an admin or a channel), to update it later."""

    __tablename__ = "approval_cards"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(200))  # person id, or "channel:<id>"
    purpose: Mapped[str] = mapped_column(String(16))  # request | reminder | escalation
    conversation_id: Mapped[str] = mapped_column(String(512))
    activity_id: Mapped[str] = mapped_column(String(256))
    service_url: Mapped[str] = mapped_column(String(512))
    sent_at: Mapped[datetime]

    __table_args__ = (
        Index("uq_approval_cards_request_id", "request_id", "recipient", "purpose", unique=True),
    )


class OutboxItem(Base):
    """Work that must happen once, eventually: written in the transaction that decided it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(16))  # pending | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    done_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)
