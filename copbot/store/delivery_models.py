"""The outcome of every proactive message the bot sends: one row per message (`deliveries`).

A message is named by its `key` (the outbox dedupe key of the work that sends it, e.g.
`card:{request}:{recipient}:{purpose}`), so a retried send updates its row instead of adding one.
`state` is what an admin reads: `delivered` (Teams returned the activity id), `retrying` (Teams
throttled or failed for a while; the outbox tries again) or `undeliverable` (Teams refused for
good; `reason` is what it said).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from copbot.store.base import Base

BIG_ID = BigInteger().with_variant(Integer, "sqlite")


class Delivery(Base):
    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))  # approval_card, welcome, card_update...
    subject: Mapped[str] = mapped_column(String(64))  # "request:<id>", "cop:<id>"
    recipient: Mapped[str] = mapped_column(String(200))  # a person id or "channel:<id>"
    state: Mapped[str] = mapped_column(String(16))  # delivered | retrying | undeliverable
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    activity_id: Mapped[str | None] = mapped_column(String(256))
    first_tried_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("key", name="uq_deliveries_key"),
        Index("ix_deliveries_subject", "subject"),
        Index("ix_deliveries_state_updated_at", "state", "updated_at"),
    )
