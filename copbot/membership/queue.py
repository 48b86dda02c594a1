"""The outside work a membership step implies, queued in the step's own transaction.

Every row is an outbox item (`copbot.work.outbox`) with a dedupe key, so a step that runs twice
(a double click, a retried transaction) queues its work once. The handlers of these kinds are in
`copbot.membership.delivery` (cards and messages) and `copbot.membership.directory_work` (the
directory group).

| kind | payload | dedupe key | done by |
| --- | --- | --- | --- |
| `membership.card` | request_id, recipient, purpose | card:{request}:{recipient}:{purpose} | delivery |
| `membership.card_update` | card_id | card-update:{card}:{status} | delivery |
| `membership.notify` | request_id, event | notify:{request}:{event} | delivery |
| `membership.add` | request_id | add:{request} | directory_work |
| `membership.remove` | person_id, cop_id, group_key | remove:{person}:{cop}:{since} | directory_work |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.catalog import Community
from copbot.membership.model import (
    ADD_TO_GROUP,
    NOTIFY_REQUESTER,
    REMOVE_FROM_GROUP,
    SEND_CARD,
    UPDATE_CARD,
)
from copbot.store.membership_models import ApprovalCard
from copbot.work.outbox import Outbox


@dataclass(frozen=True)
class MembershipQueue:
    outbox: Outbox

    def kick(self) -> None:
        """Run the queued work soon (call it after the transaction committed)."""
        self.outbox.kick()

    async def card(
        self, session: AsyncSession, request_id: str, recipient: str, purpose: str
    ) -> None:
        """An approval card for one recipient (a person id or `channel:<id>`)."""
        await self.outbox.enqueue(
            session,
            SEND_CARD,
            {"request_id": request_id, "recipient": recipient, "purpose": purpose},
            f"card:{request_id}:{recipient}:{purpose}",
        )

    async def card_update(self, session: AsyncSession, card_id: int, status: str) -> None:
        await self.outbox.enqueue(
            session, UPDATE_CARD, {"card_id": card_id}, f"card-update:{card_id}:{status}"
        )

    async def card_updates(self, session: AsyncSession, request_id: str, status: str) -> None:
        """Every approval card sent for the request comes to show its new status."""
        cards = await session.scalars(
            select(ApprovalCard.id).where(ApprovalCard.request_id == request_id)
        )
        for card_id in cards.all():
            await self.card_update(session, card_id, status)

    async def notify(self, session: AsyncSession, request_id: str, event: str) -> None:
        """Tell the requester (`WELCOME`, `REJECTED`, `WAITING`)."""
        await self.outbox.enqueue(
            session,
            NOTIFY_REQUESTER,
            {"request_id": request_id, "event": event},
            f"notify:{request_id}:{event}",
        )

    async def add_to_group(self, session: AsyncSession, request_id: str) -> None:
        await self.outbox.enqueue(
            session, ADD_TO_GROUP, {"request_id": request_id}, f"add:{request_id}"
        )

    async def remove_from_group(
        self, session: AsyncSession, person_id: str, community: Community, since: datetime
    ) -> None:
        await self.outbox.enqueue(
            session,
            REMOVE_FROM_GROUP,
            {"person_id": person_id, "cop_id": community.id, "group_key": community.group_key},
            f"remove:{person_id}:{community.id}:{since.isoformat()}",
        )
