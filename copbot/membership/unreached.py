"""Nothing waits in silence: a join request whose approval cards reached nobody who may decide.

Each approval card that fails for good (reminders and escalations too) queues a reach check
(`membership.reach_check`, run after that failure committed, so two cards failing at the same
instant cannot both miss that the other failed). The check reads the request's cards:

- someone has a card (an `approval_cards` row), or a card is still being tried: nothing to do;
- no card reached anyone and the request was not escalated yet: it is escalated at once, to the
  focal-points channel when the catalog names one that was not tried already, else to the
  admins; the requester is told it waits and why (`WAITING`);
- the escalation reached nobody either (or there is nobody to escalate to): the requester is
  told honestly that nobody can be reached now (`UNREACHED`), the request is audited
  `membership.unreached`, and `copbot requests` and /readyz show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import select, update

from copbot.admins import Admins
from copbot.catalog import Catalog, Community
from copbot.membership.model import (
    CHANNEL_PREFIX,
    FOR_ESCALATION,
    REACH_CHECK,
    SEND_CARD,
    UNREACHED,
    WAITING,
    Status,
)
from copbot.membership.queue import MembershipQueue
from copbot.membership.records import MembershipRecords
from copbot.store.membership_models import ApprovalCard, JoinRequest, OutboxItem
from copbot.store.results import rows_changed
from copbot.work.outbox import PENDING, Outbox

log = structlog.get_logger(__name__)


def escalation_targets(
    community: Community | None, admins: Admins, already_tried: set[str]
) -> list[str]:
    """Where a request goes when its focal points cannot be reached."""
    if community is not None and community.focal_points_channel_id:
        channel = f"{CHANNEL_PREFIX}{community.focal_points_channel_id}"
        if channel not in already_tried:
            return [channel]
    return [admin for admin in admins if admin not in already_tried]


@dataclass(frozen=True)
class Unreached:
    records: MembershipRecords
    catalog: Catalog
    admins: Admins
    queue: MembershipQueue

    def register(self, outbox: Outbox) -> None:
        outbox.register(REACH_CHECK, self.check)

    async def check(self, payload: dict[str, Any]) -> None:
        request_id = str(payload["request_id"])
        now = self.records.now()
        escalated = False
        async with self.records.db.session() as session:
            row = await session.get(JoinRequest, request_id)
            if row is None or row.status != Status.PENDING:
                return
            has_card = await session.scalar(
                select(ApprovalCard.id).where(ApprovalCard.request_id == request_id).limit(1)
            )
            if has_card is not None:
                return
            items = (
                await session.scalars(
                    select(OutboxItem).where(
                        OutboxItem.kind == SEND_CARD,
                        OutboxItem.dedupe_key.like(f"card:{request_id}:%"),
                    )
                )
            ).all()
            if any(item.status == PENDING for item in items):
                return  # someone is still being tried: their outcome will check again
            tried = {str(item.payload.get("recipient")) for item in items}
            escalations = [i for i in items if i.payload.get("purpose") == FOR_ESCALATION]
            if not escalations and row.escalated_at is None:
                targets = escalation_targets(self.catalog.get(row.cop_id), self.admins, tried)
                claimed = await session.execute(
                    update(JoinRequest)
                    .where(JoinRequest.id == request_id, JoinRequest.escalated_at.is_(None))
                    .values(escalated_at=now)
                    .execution_options(synchronize_session=False)
                )
                if rows_changed(claimed) != 1:
                    return  # escalated meanwhile by another check
                if targets:
                    for target in targets:
                        await self.queue.card(session, request_id, target, FOR_ESCALATION)
                    if not payload.get("told"):
                        await self.queue.notify(session, request_id, WAITING)
                    self.records.audit(
                        session,
                        "membership.escalated",
                        f"request:{request_id}",
                        at=now,
                        cop_id=row.cop_id,
                        recipients=len(targets),
                        reason="no focal point could be reached through Teams",
                    )
                    escalated = True
            if not escalated and await self.queue.notify(session, request_id, UNREACHED):
                self.records.audit(
                    session,
                    "membership.unreached",
                    f"request:{request_id}",
                    at=now,
                    cop_id=row.cop_id,
                    tried=len(tried),
                    reason="nobody who may decide could be reached through Teams",
                )
                log.warning("membership.unreached", request_id=request_id, cop_id=row.cop_id)
        if escalated:
            log.warning("membership.escalated_at_once", request_id=request_id)
        self.queue.kick()
