"""What is waiting, and why (`copbot requests`): pending requests with each approval card's
outcome (to whom, delivered / retrying / undeliverable, the reason, when) and whether anyone who
may decide has the request at all; approved people not yet in the group (with the state of their
queued add); failed work with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from copbot.catalog import Catalog
from copbot.delivery.ledger import DELIVERED, RETRYING, DeliveryLedger
from copbot.membership.model import ADD_TO_GROUP, SEND_CARD, Status
from copbot.membership.records import MembershipRecords
from copbot.store.membership_models import JoinRequest, OutboxItem
from copbot.work.outbox import FAILED, PENDING, Outbox

QUEUED = "queued"  # a card not tried yet
# Whether a pending request reached anyone who may decide.
REACHED, TRYING, NOBODY = "reached", "trying", "nobody"


@dataclass(frozen=True)
class RequestsReport:
    records: MembershipRecords
    outbox: Outbox
    ledger: DeliveryLedger
    catalog: Catalog

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
        waiting_cards: dict[str, list[OutboxItem]] = {}
        for item in queued:
            if item.kind == ADD_TO_GROUP:
                by_request[str(item.payload.get("request_id"))] = item
            elif item.kind == SEND_CARD and item.status == PENDING:
                waiting_cards.setdefault(str(item.payload.get("request_id")), []).append(item)
        outcomes = await self.ledger.of_subjects([f"request:{r.id}" for r in pending])
        pending_rows = []
        for r in pending:
            cards = self._cards(outcomes.get(f"request:{r.id}", []), waiting_cards.get(r.id, []))
            pending_rows.append({**_row(r), "cards": cards, "reach": reach_of(cards)})
        return {
            "pending": pending_rows,
            "approved_not_added": [{**_row(r), **_item(by_request.get(r.id))} for r in approved],
            "failed": [_item(i) for i in queued if i.status == FAILED],
        }

    def _cards(self, outcomes: list[Any], waiting: list[OutboxItem]) -> list[dict[str, Any]]:
        """Each approval card of a request: its recipient, purpose, state, reason and when."""
        cards = []
        seen = set()
        for outcome in outcomes:
            if not outcome.kind.endswith("_card"):
                continue
            seen.add(outcome.key)
            cards.append(
                {
                    "recipient": outcome.recipient,
                    "to": self._name_of(outcome.recipient),
                    "purpose": outcome.key.rsplit(":", 1)[-1],
                    "state": outcome.state,
                    "reason": outcome.reason,
                    "at": outcome.updated_at,
                    "attempts": outcome.attempts,
                }
            )
        for item in waiting:
            if item.dedupe_key in seen:
                continue
            recipient = str(item.payload.get("recipient"))
            cards.append(
                {
                    "recipient": recipient,
                    "to": self._name_of(recipient),
                    "purpose": str(item.payload.get("purpose")),
                    "state": QUEUED,
                    "reason": None,
                    "at": item.created_at,
                    "attempts": 0,
                }
            )
        return cards

    def _name_of(self, recipient: str) -> str:
        if recipient.startswith("channel:"):
            return f"the focal-points channel {recipient.removeprefix('channel:')}"
        for community in self.catalog:
            for focal_point in community.focal_points:
                if (focal_point.aad_object_id or "").lower() == recipient.lower():
                    return f"{focal_point.name} <{focal_point.email}>"
        return recipient

    async def unreached_requests(self) -> list[str]:
        """Pending requests that reached nobody who may decide (for /readyz)."""
        report = await self.requests_report()
        return [r["request_id"] for r in report["pending"] if r["reach"] == NOBODY]


def reach_of(cards: list[dict[str, Any]]) -> str:
    """`reached` (someone has a card), `trying` (a card is queued or retrying), else `nobody`."""
    states = {card["state"] for card in cards}
    if DELIVERED in states:
        return REACHED
    if states & {RETRYING, QUEUED}:
        return TRYING
    return NOBODY


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
