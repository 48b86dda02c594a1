"""The delivery ledger: the true outcome of every proactive message, kept in `deliveries`.

Every feature that sends (membership cards and messages; anything that sends through the outbox)
records each attempt here, so an admin sees, per message: `delivered` (only once Teams returned
the activity id), `retrying` (throttled, Teams failing for a while: the outbox tries again after
Teams' Retry-After or the backoff of `copbot.work.policy`, also after a restart) or
`undeliverable` (Teams refused for good, with the reason it gave). `copbot requests`,
`copbot deliveries`, /metrics (`copbot_sends_total{kind,outcome}`) and the admin report read it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.clock import Clock
from copbot.store import Database
from copbot.store.delivery_models import Delivery
from copbot.store.upsert import insert_ignore

log = structlog.get_logger(__name__)

DELIVERED, RETRYING, UNDELIVERABLE = "delivered", "retrying", "undeliverable"
STATES = (DELIVERED, RETRYING, UNDELIVERABLE)
MAX_REASON = 1000
UNREACHABLE_DAYS = 30  # "the bot cannot reach N people": their last message in these days failed

# Called for every recorded attempt: (kind, state); app.py counts them in /metrics.
Counting = Callable[[str, str], None]


def _no_count(kind: str, state: str) -> None:
    return None


@dataclass(frozen=True)
class Message:
    """What a message is: its key (unique, stable across retries), kind, subject and recipient."""

    key: str
    # approval_card, reminder_card, escalation_card, card_update, welcome, rejected, waiting,
    # unreached, ask_primary, focal_point_gone, question_answered, followup_asker,
    # feedback_results (docs/admin.md lists them)
    kind: str
    subject: str  # "request:<id>", "cop:<id>", "meeting:<occurrence id>"
    recipient: str  # a person's object id, or "channel:<id>"


@dataclass(frozen=True)
class DeliveryView:
    key: str
    kind: str
    subject: str
    recipient: str
    state: str
    reason: str | None
    attempts: int
    activity_id: str | None
    first_tried_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: Delivery) -> DeliveryView:
        return cls(
            key=row.key,
            kind=row.kind,
            subject=row.subject,
            recipient=row.recipient,
            state=row.state,
            reason=row.reason,
            attempts=row.attempts,
            activity_id=row.activity_id,
            first_tried_at=row.first_tried_at,
            updated_at=row.updated_at,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "recipient": self.recipient,
            "state": self.state,
            "reason": self.reason,
            "attempts": self.attempts,
            "first_tried_at": self.first_tried_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class DeliveryLedger:
    db: Database
    clock: Clock
    count: Counting = _no_count

    async def delivered(self, message: Message, activity_id: str) -> None:
        await self._record(message, DELIVERED, None, activity_id=activity_id)

    async def retrying(self, message: Message, reason: str) -> None:
        await self._record(message, RETRYING, reason)

    async def undeliverable(
        self,
        message: Message,
        reason: str,
        *,
        session: AsyncSession | None = None,
        attempted: bool = True,
    ) -> None:
        """For good; in `session` when given (the outbox's failure hook), else in its own.
        `attempted=False`: nothing was sent this time (the outbox gave up), not an attempt."""
        await self._record(message, UNDELIVERABLE, reason, session=session, attempted=attempted)

    async def _record(
        self,
        message: Message,
        state: str,
        reason: str | None,
        *,
        activity_id: str | None = None,
        session: AsyncSession | None = None,
        attempted: bool = True,
    ) -> None:
        if session is None:
            async with self.db.session() as own:
                await self._write(own, message, state, reason, activity_id, attempted)
        else:
            await self._write(session, message, state, reason, activity_id, attempted)
        self.count(message.kind, state)
        log.info(
            "delivery.recorded",
            kind=message.kind,
            subject=message.subject,
            state=state,
            reason=(reason or "")[:200] or None,
        )

    async def _write(
        self,
        session: AsyncSession,
        message: Message,
        state: str,
        reason: str | None,
        activity_id: str | None,
        attempted: bool,
    ) -> None:
        now = self.clock.now()
        reason = reason[:MAX_REASON] if reason else None
        inserted = await insert_ignore(
            session,
            Delivery.__table__,
            {
                "key": message.key[:200],
                "kind": message.kind[:32],
                "subject": message.subject[:64],
                "recipient": message.recipient[:200],
                "state": state,
                "reason": reason,
                "attempts": 1 if attempted else 0,
                "activity_id": activity_id,
                "first_tried_at": now,
                "updated_at": now,
            },
            keys=["key"],
        )
        if inserted:
            return
        values: dict[str, Any] = {"state": state, "updated_at": now}
        if state == DELIVERED:
            values.update(activity_id=activity_id, reason=None)
        else:
            values["reason"] = reason
        if attempted:  # a send (not only the outbox giving up)
            values["attempts"] = Delivery.attempts + 1
        await session.execute(
            update(Delivery)
            .where(Delivery.key == message.key[:200])
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    # -- reading ----------------------------------------------------------------------------
    async def of_subjects(self, subjects: Sequence[str]) -> dict[str, list[DeliveryView]]:
        """The messages about each subject, oldest first."""
        if not subjects:
            return {}
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    select(Delivery)
                    .where(Delivery.subject.in_(list(subjects)))
                    .order_by(Delivery.first_tried_at, Delivery.id)
                )
            ).all()
        found: dict[str, list[DeliveryView]] = {}
        for row in rows:
            found.setdefault(row.subject, []).append(DeliveryView.of(row))
        return found

    async def get(self, key: str, session: AsyncSession | None = None) -> DeliveryView | None:
        query = select(Delivery).where(Delivery.key == key[:200])
        if session is not None:
            row = await session.scalar(query)
        else:
            async with self.db.session() as own:
                row = await own.scalar(query)
        return DeliveryView.of(row) if row else None

    async def undelivered(self, days: float = 7) -> list[DeliveryView]:
        """Every message not delivered (retrying or undeliverable) touched in the last `days`,
        the latest first."""
        since = self.clock.now() - timedelta(days=days)
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    select(Delivery)
                    .where(Delivery.state != DELIVERED, Delivery.updated_at >= since)
                    .order_by(Delivery.updated_at.desc(), Delivery.id.desc())
                )
            ).all()
        return [DeliveryView.of(row) for row in rows]

    async def unreachable_people(self, days: float = UNREACHABLE_DAYS) -> list[str]:
        return await unreachable_since(self.db, self.clock.now() - timedelta(days=days))


async def unreachable_since(db: Database, since: datetime) -> list[str]:
    """People (not channels) the bot could not reach lately: their latest message since then
    is undeliverable."""
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Delivery.recipient, Delivery.state)
                .where(Delivery.updated_at >= since, Delivery.kind != "card_update")
                .order_by(Delivery.updated_at, Delivery.id)
            )
        ).all()
    latest: dict[str, str] = {}
    for recipient, state in rows:
        if not recipient.startswith("channel:"):
            latest[recipient] = state
    return sorted(r for r, state in latest.items() if state == UNDELIVERABLE)
