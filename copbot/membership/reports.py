"""What is waiting, and why (`copbot requests`): pending requests, approved people not yet in
the group (with the state of their queued add), and failed work with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from copbot.membership.model import ADD_TO_GROUP, Status
from copbot.membership.records import MembershipRecords
from copbot.store.membership_models import JoinRequest, OutboxItem
from copbot.work.outbox import FAILED, PENDING, Outbox


@dataclass(frozen=True)
class RequestsReport:
    records: MembershipRecords
    outbox: Outbox

    async def requests_report(self) -> dict[str, list[dict[str, Any]]]:
        """Pending requests, approved ones not yet in the group, failed outbox items."""
        async with self.records.db.session() as session:
            pending = (
                await session.scalars(
                    select(JoinRequest)
                    .where(JoinRequest.status == Status.PENDING)
                    .order_by(JoinRequest.created_at)
                )
            ).all()
            approved = (
                await session.scalars(
                    select(JoinRequest)
                    .where(JoinRequest.status == Status.APPROVED, JoinRequest.added_at.is_(None))
                    .order_by(JoinRequest.decided_at)
                )
            ).all()
        queued = await self.outbox.items(statuses=(PENDING, FAILED))
        by_request: dict[str, OutboxItem] = {}
        for item in queued:
            if item.kind == ADD_TO_GROUP:
                by_request[str(item.payload.get("request_id"))] = item
        return {
            "pending": [_row(r) for r in pending],
            "approved_not_added": [{**_row(r), **_item(by_request.get(r.id))} for r in approved],
            "failed": [_item(i) for i in queued if i.status == FAILED],
        }


def _row(request: JoinRequest) -> dict[str, Any]:
    return {
        "request_id": request.id,
        "person_id": request.person_id,
        "name": (request.requester or {}).get("name", ""),
        "cop_id": request.cop_id,
        "role": request.role,
        "created_at": request.created_at,
        "decided_by": request.decided_by_name or request.decided_by,
        "decided_at": request.decided_at,
    }


def _item(item: OutboxItem | None) -> dict[str, Any]:
    if item is None:
        return {}
    return {
        "outbox_id": item.id,
        "kind": item.kind,
        "status": item.status,
        "attempts": item.attempts,
        "next_attempt_at": item.next_attempt_at,
        "last_error": item.last_error,
        "payload": dict(item.payload or {}),
    }
