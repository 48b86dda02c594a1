"""Tables of what happens after a meeting: its follow-up (recording, materials, summary) and the
members' feedback on it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from copbot.store.base import Base


class MeetingFollowUp(Base):
    """The recording, other materials and summary of one occurrence, added by a focal point.

    `version` grows with every change (each is posted in the announcement's thread once);
    `feedback_*` is where the feedback card was posted (updated with the count of answers).
    """

    __tablename__ = "meeting_followups"

    occurrence_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cop_id: Mapped[str] = mapped_column(String(16), index=True)
    recording_url: Mapped[str] = mapped_column(String(2000), default="")
    materials: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [url, ...]
    summary: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    posted_version: Mapped[int] = mapped_column(Integer, default=0)  # last one in the thread
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    feedback_conversation_id: Mapped[str] = mapped_column(String(512), default="")
    feedback_activity_id: Mapped[str] = mapped_column(String(200), default="")
    feedback_service_url: Mapped[str] = mapped_column(String(512), default="")


class MeetingFeedback(Base):
    """One person's rating (1-5) of one occurrence, with an optional comment (personal data: purged
    after the retention period). One row per person; giving feedback again changes it."""

    __tablename__ = "meeting_feedback"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    cop_id: Mapped[str] = mapped_column(String(16))
    occurrence_id: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[str] = mapped_column(String(64))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    given_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("occurrence_id", "person_id", name="uq_meeting_feedback_person"),
        Index("ix_meeting_feedback_cop_given", "cop_id", "given_at"),
    )
