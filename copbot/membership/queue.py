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
| `membership.reach_check` | request_id, told | reach:{request}:{why} | unreached |
| `membership.add` | request_id | add:{request} | directory_work |
| `membership.remove` | person_id, cop_id, group_key | remove:{person}:{cop}:{since} | directory_work |
| `membership.ask_primary` | person_id, cop_id, lost, why | ask-primary:{person}[:{why}] | notices |
| `membership.focal_point_gone` | cop_id, focal_point_id, state, admin | focal-gone:{cop}:{fp}:{admin} | notices |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.catalog import Community
from copbot.membership.model import (
    ADD_TO_GROUP,
    ASK_PRIMARY,
    FOCAL_POINT_GONE,
    NOTIFY_REQUESTER,
    REACH_CHECK,
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

    async def notify(
        self, session: AsyncSession, request_id: str, event: str, *, in_team: bool | None = None
    ) -> bool:
        """Tell the requester (`WELCOME`, `REJECTED`, `WAITING`, `UNREACHED`); `in_team`: the
        welcome's person was added to the Team itself (True) or only to its group (False).
        False when they were told this before."""
        payload: dict[str, object] = {"request_id": request_id, "event": event}
        if in_team is not None:
            payload["in_team"] = in_team
        return await self.outbox.enqueue(
            session,
            NOTIFY_REQUESTER,
            payload,
            f"notify:{request_id}:{event}",
        )

    async def reach_check(
        self, session: AsyncSession, request_id: str, why: str, *, told: bool = False
    ) -> None:
        """Look again whether the request's cards reached anyone who may decide (after a card
        failed for good: `why` names it; `told`: the requester already knows it waits)."""
        await self.outbox.enqueue(
            session,
            REACH_CHECK,
            {"request_id": request_id, "told": told},
            f"reach:{request_id}:{why}",
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

    async def ask_primary(
        self,
        session: AsyncSession,
        person_id: str,
        cop_id: str | None,
        *,
        lost: str | None = None,
        why: str = "",
    ) -> None:
        """Ask someone without a primary CoP to choose one (once per person and `why`): found in
        `cop_id`'s group, or dropped from `lost`, their primary."""
        await self.outbox.enqueue(
            session,
            ASK_PRIMARY,
            {"person_id": person_id, "cop_id": cop_id, "lost": lost, "why": why},
            f"ask-primary:{person_id}" + (f":{why}" if why else ""),
        )

    async def focal_point_gone(
        self, session: AsyncSession, cop_id: str, focal_point_id: str, state: str, admin: str
    ) -> None:
        """Tell an admin a CoP's focal point left (once per CoP, focal point and admin)."""
        await self.outbox.enqueue(
            session,
            FOCAL_POINT_GONE,
            {"cop_id": cop_id, "focal_point_id": focal_point_id, "state": state, "admin": admin},
            f"focal-gone:{cop_id}:{focal_point_id}:{admin}",
        )
