"""Tables of CoP meetings: post claims, per-occurrence changes, added events, questions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from copbot.store.base import Base


class MeetingPost(Base):
    """One post of one occurrence to one place, claimed before it is sent (exactly once).

    status: claimed (an instance is sending it, until lease_until) -> sent | failed (the send
    raised; tried again while the meeting has not started) | skipped (never sent; `reason`).
    `recipient` is "" for the CoP's channel and the person's id for a digest.
    """

    __tablename__ = "meeting_posts"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    cop_id: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    occurrence_id: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    claimed_at: Mapped[datetime]
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(String(200), default="")
    conversation_id: Mapped[str] = mapped_column(String(512), default="")
    activity_id: Mapped[str] = mapped_column(String(200), default="")
    service_url: Mapped[str] = mapped_column(String(512), default="")

    __table_args__ = (
        UniqueConstraint(
            "cop_id", "kind", "occurrence_id", "recipient", name="uq_meeting_posts_key"
        ),
        Index("ix_meeting_posts_occurrence", "occurrence_id"),
    )


class MeetingOverride(Base):
    """A change to one occurrence: skipped, moved, or given a theme."""

    __tablename__ = "meeting_overrides"

    occurrence_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cop_id: Mapped[str] = mapped_column(String(16), index=True)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    moved_to: Mapped[datetime | None]
    theme: Mapped[str | None] = mapped_column(Text)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class MeetingEvent(Base):
    """A one-off event (webinar, training) added by an admin or a focal point."""

    __tablename__ = "meeting_events"

    occurrence_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cop_id: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    theme: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64), default="")
    series: Mapped[str] = mapped_column(String(24), default="", server_default="")
    format: Mapped[str] = mapped_column(String(24), default="meeting", server_default="meeting")


class MeetingFollower(Base):
    """A person following a practice area's meeting series (its announcements reach their chat)."""

    __tablename__ = "meeting_followers"

    person_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cop_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    series: Mapped[str] = mapped_column(String(24), primary_key=True)
    followed_at: Mapped[datetime]

    __table_args__ = (Index("ix_meeting_followers_series", "cop_id", "series"),)


class MeetingQuestion(Base):
    """A question sent in advance of an occurrence; unanswered ones roll over to the next digest."""

    __tablename__ = "meeting_questions"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    cop_id: Mapped[str] = mapped_column(String(16))
    occurrence_id: Mapped[str] = mapped_column(String(64))
    asker_id: Mapped[str] = mapped_column(String(64))
    asker_name: Mapped[str] = mapped_column(String(256), default="")
    asker_lang: Mapped[str] = mapped_column(String(8), default="en")
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_by_name: Mapped[str] = mapped_column(String(256), default="")
    asker_notified_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_meeting_questions_cop_answered", "cop_id", "answered_at"),
        Index("ix_meeting_questions_occurrence", "occurrence_id"),
    )
