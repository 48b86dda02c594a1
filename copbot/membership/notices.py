"""What the directory sync tells people (outbox kinds `membership.ask_primary`,
`membership.focal_point_gone`), through the Notifier like every other membership message.

- ask_primary: someone the sync found in a group (or whose primary group dropped them) and who has
  no primary CoP gets one kind message, in their language, naming the command to choose one. Not
  sent if they chose meanwhile.
- focal_point_gone: each admin gets one card naming the CoP and asking for a new focal point.

Outcomes as in `copbot.membership.delivery` (`copbot.delivery.outcome.attempt`), each recorded in
the delivery ledger (kinds `ask_primary`, `focal_point_gone`): delivered only with Teams' activity
id; `DeliveryDeferred` is retrying, tried again after Teams' Retry-After; `Undeliverable` fails the
item with Teams' reason, undeliverable; an item the outbox gives up on is undeliverable too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.catalog import Catalog, Community
from copbot.delivery.ledger import DeliveryLedger, Message
from copbot.delivery.outcome import deliver, gave_up
from copbot.i18n import Lang, lang_from_locale, t
from copbot.membership.model import ASK_PRIMARY, FOCAL_POINT_GONE, Status
from copbot.membership.records import MembershipRecords
from copbot.notifier import Notifier
from copbot.store import people
from copbot.store.membership_models import JoinRequest
from copbot.work.outbox import Outbox

log = structlog.get_logger(__name__)


class SyncCards(Protocol):
    """What notices need of `cards.sync` (app.py passes the module)."""

    def focal_point_gone_card(
        self, community: Community, focal_point_name: str, state: str, pending: int, lang: Lang
    ) -> dict[str, Any]: ...


@dataclass(frozen=True)
class SyncNotices:
    records: MembershipRecords
    catalog: Catalog
    notifier: Notifier
    cards: SyncCards
    ledger: DeliveryLedger

    def register(self, outbox: Outbox) -> None:
        outbox.register(ASK_PRIMARY, self.ask_primary, on_failed=self._ask_primary_failed)
        outbox.register(
            FOCAL_POINT_GONE, self.focal_point_gone, on_failed=self._focal_point_gone_failed
        )

    async def _lang_of(self, person_id: str) -> Lang:
        person = await people.get_person(self.records.db, person_id)
        return lang_from_locale(person.locale) if person else "en"

    async def ask_primary(self, payload: dict[str, Any]) -> None:
        person_id = str(payload["person_id"])
        mine = await self.records.my_communities(person_id)
        if mine.primary is not None or not mine.memberships:
            return  # they chose one meanwhile, or belong nowhere now
        lang = await self._lang_of(person_id)
        community = self.catalog.get(str(payload.get("cop_id") or ""))
        if community is not None and mine.is_member(community.id):
            text = t(
                lang,
                "sync_ask_primary",
                cop=community.display_name(lang),
                cop_id=community.id,
            )
        else:
            lost = self.catalog.get(str(payload.get("lost") or ""))
            text = t(lang, "sync_ask_new_primary", cop=lost.display_name(lang) if lost else "—")
        message = ask_primary_message(payload)
        await deliver(self.ledger, self.notifier, message, "choose-a-primary message", text=text)
        log.info("membership.asked_primary", person_id=person_id)

    async def focal_point_gone(self, payload: dict[str, Any]) -> None:
        community = self.catalog.get(str(payload["cop_id"]))
        if community is None:
            return
        focal_id = str(payload["focal_point_id"]).lower()
        name = next(
            (fp.name for fp in community.focal_points if fp.aad_object_id.lower() == focal_id),
            focal_id,
        )
        async with self.records.db.session() as session:
            pending = await session.scalar(
                select(func.count())
                .select_from(JoinRequest)
                .where(JoinRequest.cop_id == community.id, JoinRequest.status == Status.PENDING)
            )
        admin = str(payload["admin"])
        lang = await self._lang_of(admin)
        card = self.cards.focal_point_gone_card(
            community, name, str(payload.get("state")), int(pending or 0), lang
        )
        message = focal_point_gone_message(payload)
        await deliver(self.ledger, self.notifier, message, "focal point alert", card=card)
        log.info("membership.focal_point_alert_sent", cop_id=community.id)

    async def _ask_primary_failed(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        await gave_up(self.ledger, session, ask_primary_message(payload), reason)

    async def _focal_point_gone_failed(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        await gave_up(self.ledger, session, focal_point_gone_message(payload), reason)


def ask_primary_message(payload: dict[str, Any]) -> Message:
    """One per outbox item (`MembershipQueue.ask_primary`'s dedupe key: once per person when found
    in a group, once per primary lost and day)."""
    person_id = str(payload["person_id"])
    cop_id = str(payload.get("cop_id") or "")
    lost = str(payload.get("lost") or "")
    why = str(payload.get("why") or (f"lost:{lost}" if lost else cop_id))
    return Message(
        key=f"sync:ask_primary:{person_id}:{why}",
        kind="ask_primary",
        subject=f"cop:{cop_id or lost}",
        recipient=person_id,
    )


def focal_point_gone_message(payload: dict[str, Any]) -> Message:
    """One per CoP, focal point and admin (as the outbox item)."""
    cop_id = str(payload["cop_id"])
    admin = str(payload["admin"])
    return Message(
        key=f"sync:focal_point_gone:{cop_id}:{str(payload['focal_point_id']).lower()}:{admin}",
        kind="focal_point_gone",
        subject=f"cop:{cop_id}",
        recipient=admin,
    )
