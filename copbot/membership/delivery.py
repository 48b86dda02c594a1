"""Delivering what the membership workflow says to people: approval cards to focal points (and
admins, and focal-points channels), the cards' updates after a decision, and the requester's
messages (welcome, rejection, "still waiting"). Outbox kinds `membership.card`,
`membership.card_update` and `membership.notify`.

It depends on ports only: `copbot.notifier.Notifier` (how a message reaches Teams) and the card
functions (`ApprovalCards`, `WelcomeCards`: the modules `cards.approval` and `cards.membership`,
passed in by app.py), so it never imports Teams code.

What a send ends in (every send goes through `_send` / `_update`, i.e.
`copbot.delivery.outcome.attempt`, which records it in the delivery ledger):
- delivered: the Notifier returned a `SentMessage` with Teams' activity id; an approval card is
  recorded (`approval_cards`) so that it can be updated after the decision (a card that never
  arrived has no row, so no update of it is ever attempted);
- `DeliveryDeferred` (throttled, Teams down): `retrying`; the outbox tries again, after Teams'
  Retry-After when it gave one, else with the backoff of `copbot.work.policy`;
- `Undeliverable` (the bot may not write there, also after installing the app for the person:
  `copbot.delivery.reach`): `undeliverable` with Teams' reason; for an approval card the failure
  is audited (`membership.card_undeliverable`) and a reach check is queued
  (`copbot.membership.unreached`: escalate at once, tell the requester).

Idempotent, as outbox handlers must be: a card already recorded for (request, recipient, purpose)
is not sent again; a card whose request was decided before it went out is not sent at all; a card
recorded after the decision is updated at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.admins import Admins
from copbot.catalog import Catalog, Community
from copbot.delivery.ledger import DeliveryLedger, Message
from copbot.delivery.outcome import attempt_update, deliver, gave_up
from copbot.i18n import Lang, t
from copbot.languages import channel_language, language_of
from copbot.membership import audience
from copbot.membership.model import (
    CHANNEL_PREFIX,
    FOR_ESCALATION,
    FOR_REMINDER,
    FOR_REQUEST,
    NOTIFY_REQUESTER,
    REJECTED,
    SEND_CARD,
    UNREACHED,
    UPDATE_CARD,
    WAITING,
    WELCOME,
    RequestView,
    Status,
)
from copbot.membership.queue import MembershipQueue
from copbot.membership.records import MembershipRecords
from copbot.notifier import Notifier, SentMessage
from copbot.store import people
from copbot.store.membership_models import ApprovalCard
from copbot.work.outbox import Outbox

# The ledger's kind of each card purpose (and /metrics' `kind` label).
CARD_KINDS = {
    FOR_REQUEST: "approval_card",
    FOR_REMINDER: "reminder_card",
    FOR_ESCALATION: "escalation_card",
}

log = structlog.get_logger(__name__)


class ApprovalCards(Protocol):
    """What delivery needs of `cards.approval` (app.py passes the module)."""

    def approval_card(
        self,
        request: RequestView,
        community: Community | None,
        lang: Lang,
        *,
        actionable: bool,
        refresh_user_ids: Sequence[str] = (),
        purpose: str = FOR_REQUEST,
        notice: str | None = None,
    ) -> dict[str, Any]: ...


class WelcomeCards(Protocol):
    """What delivery needs of `cards.membership` (app.py passes the module)."""

    def welcome_card(
        self,
        request: RequestView,
        community: Community,
        lang: Lang,
        *,
        next_meeting: tuple[str, datetime] | None = None,
        skills_profile_url: str = "",
        cross_cutting: Sequence[Community] = (),
        in_team: bool | None = None,
    ) -> dict[str, Any]: ...


# The CoP's next meeting for the welcome: (title in that language, start), or None.
NextMeeting = Callable[[str, Lang], Awaitable[tuple[str, datetime] | None]]


async def no_meetings(cop_id: str, lang: Lang) -> None:
    return None


@dataclass(frozen=True)
class CardDelivery:
    records: MembershipRecords
    catalog: Catalog
    admins: Admins
    queue: MembershipQueue
    notifier: Notifier
    approval_cards: ApprovalCards
    welcome_cards: WelcomeCards
    ledger: DeliveryLedger
    next_meeting: NextMeeting = no_meetings
    skills_profile_url: str = ""

    def register(self, outbox: Outbox) -> None:
        outbox.register(SEND_CARD, self.send_card, on_failed=self._card_undeliverable)
        outbox.register(UPDATE_CARD, self.update_card, on_failed=self._update_failed)
        outbox.register(NOTIFY_REQUESTER, self.notify_requester, on_failed=self._notify_failed)

    # -- the approval card, as each viewer sees it ------------------------------------------
    async def approval_card(
        self,
        request: RequestView,
        lang: Lang,
        *,
        actionable: bool,
        purpose: str,
        notice: str | None = None,
    ) -> dict[str, Any]:
        """The approval card of `request` (also the answer to a click or a refresh)."""
        return self.approval_cards.approval_card(
            request,
            self.catalog.get(request.cop_id),
            lang,
            actionable=actionable,
            refresh_user_ids=await self.refresh_user_ids(request, purpose),
            purpose=purpose,
            notice=notice,
        )

    async def refresh_user_ids(self, request: RequestView, purpose: str) -> list[str]:
        """Who gets the card's automatic refresh (Teams `refresh.userIds`): the deciders, as
        Teams user ids ("8:orgid:<Entra object id>") and, when a conversation with them gave it,
        the bot-scoped id ("29:...")."""
        community = self.catalog.get(request.cop_id)
        ids: list[str] = []
        for person_id in audience.deciders(self.admins, community, purpose):
            reference = await people.get_reference(self.records.db, f"user:{person_id}")
            channel_id = ((reference or {}).get("user") or {}).get("id")
            if channel_id:
                ids.append(channel_id)
            ids.append(f"8:orgid:{person_id}")
        return ids

    # -- membership.card --------------------------------------------------------------------
    async def send_card(self, payload: dict[str, Any]) -> None:
        request_id = str(payload["request_id"])
        recipient = str(payload["recipient"])
        purpose = str(payload.get("purpose") or FOR_REQUEST)
        if await self._card_recorded(request_id, recipient, purpose):
            return
        request = await self.records.get_request(request_id)
        if request is None or not request.is_pending:
            return  # decided (or withdrawn) before this card went out: nothing to ask any more
        lang = await self._lang_of(recipient, request.cop_id)
        card = await self.approval_card(request, lang, actionable=True, purpose=purpose)
        message = card_message(request_id, recipient, purpose)
        sent = await self._send(message, f"{purpose} card", card=card)
        await self._card_sent(request_id, recipient, purpose, sent)
        log.info("membership.card_sent", request_id=request_id, purpose=purpose)

    async def _card_recorded(self, request_id: str, recipient: str, purpose: str) -> bool:
        async with self.records.db.session() as session:
            found = await session.scalar(
                select(ApprovalCard.id).where(
                    ApprovalCard.request_id == request_id,
                    ApprovalCard.recipient == recipient,
                    ApprovalCard.purpose == purpose,
                )
            )
        return found is not None

    async def _card_sent(
        self, request_id: str, recipient: str, purpose: str, sent: SentMessage
    ) -> None:
        """Record a delivered approval card; if the request was decided meanwhile, queue its
        update at once (the decision did not know this card yet)."""
        now = self.records.now()
        async with self.records.db.session() as session:
            card = ApprovalCard(
                request_id=request_id,
                recipient=recipient[:200],
                purpose=purpose,
                conversation_id=sent.conversation_id,
                activity_id=sent.activity_id,
                service_url=sent.service_url,
                sent_at=now,
            )
            session.add(card)
            await session.flush()
            status = await self.records.status_of(session, request_id)
            decided = bool(status) and status != Status.PENDING
            if decided and status is not None:
                await self.queue.card_update(session, card.id, status)
            self.records.audit(
                session,
                "membership.card_sent",
                f"request:{request_id}",
                at=now,
                recipient=recipient,
                purpose=purpose,
            )
        if decided:
            self.queue.kick()

    async def _card_undeliverable(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        """A card could not be delivered for good: audit it, and look (once that is committed)
        whether anyone who may decide has the request at all."""
        request_id = str(payload["request_id"])
        recipient = str(payload["recipient"])
        purpose = str(payload.get("purpose") or FOR_REQUEST)
        await gave_up(self.ledger, session, card_message(request_id, recipient, purpose), reason)
        self.records.audit(
            session,
            "membership.card_undeliverable",
            f"request:{request_id}",
            recipient=recipient,
            purpose=purpose,
            reason=reason[:300],
        )
        if await self.records.status_of(session, request_id) == Status.PENDING:
            await self.queue.reach_check(session, request_id, f"{recipient}:{purpose}")

    async def _update_failed(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        row = await session.get(ApprovalCard, int(payload["card_id"]))
        if row is not None:
            await gave_up(self.ledger, session, update_message(row), reason)

    async def _notify_failed(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        request_id = str(payload["request_id"])
        person_id = await self.records.requester_of(session, request_id)
        if person_id is not None:
            message = notify_message(request_id, person_id, str(payload.get("event")))
            await gave_up(self.ledger, session, message, reason)

    # -- membership.card_update -------------------------------------------------------------
    async def update_card(self, payload: dict[str, Any]) -> None:
        async with self.records.db.session() as session:
            row = await session.get(ApprovalCard, int(payload["card_id"]))
        if row is None:
            return
        request = await self.records.get_request(row.request_id)
        if request is None:
            return
        lang = await self._lang_of(row.recipient, request.cop_id)
        card = await self.approval_card(
            request, lang, actionable=request.is_pending, purpose=row.purpose
        )
        if not row.activity_id:
            return  # not known to have arrived: there is nothing to update
        sent = SentMessage(row.conversation_id, row.activity_id, row.service_url)
        await self._update(update_message(row), sent, card)

    # -- membership.notify ------------------------------------------------------------------
    async def notify_requester(self, payload: dict[str, Any]) -> None:
        request = await self.records.get_request(str(payload["request_id"]))
        if request is None:
            return
        event = str(payload.get("event"))
        community = self.catalog.get(request.cop_id)
        lang = await language_of(
            self.records.db,
            request.person_id,
            community=community,
            catalog=self.catalog,
            known=request.lang,
        )
        cop = community.display_name(lang) if community else request.cop_id
        text: str | None = None
        card: dict[str, Any] | None = None
        if event == WELCOME and community is not None:
            in_team = payload.get("in_team")
            card = await self._welcome_card(
                request, community, lang, in_team if isinstance(in_team, bool) else None
            )
        elif event == REJECTED:
            text = t(lang, "membership_rejected", name=request.decided_by_name or "—", cop=cop)
            if request.reason:
                text += " " + t(lang, "membership_rejected_reason", reason=request.reason)
            elif community is not None:
                emails = ", ".join(fp.email for fp in community.focal_points)
                text += " " + t(lang, "membership_rejected_no_reason", emails=emails)
        elif event in (WAITING, UNREACHED):
            if not request.is_pending:
                return
            text = t(
                lang, "membership_waiting" if event == WAITING else "membership_unreached", cop=cop
            )
        else:
            return
        message = notify_message(request.id, request.person_id, event)
        await self._send(message, f"{event} message", text=text, card=card)
        log.info("membership.requester_told", request_id=request.id, kind=event)

    async def _welcome_card(
        self, request: RequestView, community: Community, lang: Lang, in_team: bool | None
    ) -> dict[str, Any]:
        return self.welcome_cards.welcome_card(
            request,
            community,
            lang,
            next_meeting=await self._next_meeting(community.id, lang),
            skills_profile_url=self.skills_profile_url,
            cross_cutting=await self._cross_cutting_to_suggest(request, community),
            in_team=in_team,
        )

    async def _next_meeting(self, cop_id: str, lang: Lang) -> tuple[str, datetime] | None:
        """The welcome goes out without the next meeting if the meetings feature fails."""
        try:
            return await self.next_meeting(cop_id, lang)
        except Exception:  # another feature's failure must not stop the welcome
            log.exception("membership.next_meeting_failed", cop_id=cop_id)
            return None

    async def _cross_cutting_to_suggest(
        self, request: RequestView, community: Community
    ) -> list[Community]:
        if community.cross_cutting:
            return []
        mine = await self.records.my_communities(request.person_id)
        return [
            c
            for c in self.catalog.cross_cutting()
            if not mine.is_member(c.id) and not mine.is_pending(c.id)
        ]

    # -- sending: the one place a delivery outcome is decided -------------------------------
    async def _send(
        self,
        message: Message,
        what: str,
        *,
        text: str | None = None,
        card: dict[str, Any] | None = None,
    ) -> SentMessage:
        """Send to a person (their object id) or a channel (`channel:<id>`)."""
        return await deliver(self.ledger, self.notifier, message, what, text=text, card=card)

    async def _update(self, message: Message, sent: SentMessage, card: dict[str, Any]) -> None:
        async def update() -> None:
            await self.notifier.update_card(sent, card)

        await attempt_update(self.ledger, message, "card update", update)

    async def _lang_of(self, recipient: str, cop_id: str) -> Lang:
        """The reader's language (`copbot.languages`); a focal-points channel reads the CoP's
        channel language."""
        community = self.catalog.get(cop_id)
        if recipient.startswith(CHANNEL_PREFIX):
            return channel_language(community, self.catalog)
        return await language_of(
            self.records.db, recipient, community=community, catalog=self.catalog
        )


def card_message(request_id: str, recipient: str, purpose: str) -> Message:
    return Message(
        key=f"card:{request_id}:{recipient}:{purpose}",
        kind=CARD_KINDS.get(purpose, "approval_card"),
        subject=f"request:{request_id}",
        recipient=recipient,
    )


def update_message(row: ApprovalCard) -> Message:
    return Message(
        key=f"card-update:{row.id}",
        kind="card_update",
        subject=f"request:{row.request_id}",
        recipient=row.recipient,
    )


def notify_message(request_id: str, person_id: str, event: str) -> Message:
    return Message(
        key=f"notify:{request_id}:{event}",
        kind=event,
        subject=f"request:{request_id}",
        recipient=person_id,
    )
