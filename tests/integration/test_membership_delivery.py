"""Delivery of the membership workflow's cards and messages (copbot/membership/delivery.py), on
SQLite and PostgreSQL, through the domain's own ports: what each outcome of a send turns into.

`Teams` below answers the Notifier port the way `bot.proactive.BotNotifier` does (its
translation of the connector's answers is tested in test_proactive.py): a `SentMessage`, an
`Undeliverable` with Teams' status and code, or a `DeliveryDeferred` with Teams' Retry-After.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from copbot.clock import FakeClock
from copbot.i18n import Lang
from copbot.membership import Role
from copbot.notifier import DeliveryDeferred, SentMessage, Undeliverable
from copbot.store import Database, audit
from copbot.store.membership_models import ApprovalCard, OutboxItem
from tests.fakes.connector import card_text
from tests.support.membership_world import (
    ALICE,
    BRUNO,
    CARMEN,
    ERIN,
    MemoryDirectory,
    membership_on,
    outbox_on,
)

NOT_IN_ROSTER = Undeliverable(
    "Teams answered 403 (BotNotInConversationRoster): The bot is not part of the conversation "
    "roster.",
    status=403,
    code="BotNotInConversationRoster",
)


class Teams:
    """The Notifier port: each recipient's next answers in turn (delivered when none is left).
    Recipients are person ids or `channel:<id>`; a card's conversation is `chat:<recipient>`."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str | None, dict[str, Any] | None]] = []
        self.updated: list[tuple[str, dict[str, Any]]] = []  # (recipient, card)
        self.refusals: dict[str, list[Exception]] = defaultdict(list)
        self.update_refusals: dict[str, list[Exception]] = defaultdict(list)
        self._ids = itertools.count(1)

    async def send_to_person(
        self, person_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        return self._send(person_id, text, card)

    async def send_to_channel(
        self, channel_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        return self._send(f"channel:{channel_id}", text, card)

    async def update_card(self, sent: SentMessage, card: dict[str, Any]) -> None:
        recipient = sent.conversation_id.removeprefix("chat:")
        if self.update_refusals[recipient]:
            raise self.update_refusals[recipient].pop(0)
        self.updated.append((recipient, card))

    def _send(self, recipient: str, text: str | None, card: dict[str, Any] | None) -> SentMessage:
        if self.refusals[recipient]:
            raise self.refusals[recipient].pop(0)
        self.sent.append((recipient, text, card))
        return SentMessage(f"chat:{recipient}", f"activity-{next(self._ids)}", "https://teams")

    def approval_cards_to(self, recipient: str) -> list[dict[str, Any]]:
        return [
            card
            for to, _, card in self.sent
            if to == recipient and card and "Request to join" in card_text(card)
        ]

    def texts_to(self, recipient: str) -> list[str]:
        return [text for to, text, _ in self.sent if to == recipient and text]


class World:
    def __init__(self, db: Database, **membership: Any) -> None:
        self.db = db
        self.clock = FakeClock()
        self.teams = Teams()
        self.outbox = outbox_on(db, self.clock)
        self.membership = membership_on(
            db, self.clock, self.outbox, MemoryDirectory(), self.teams, **membership
        )
        self.membership.register(self.outbox)

    async def ask(self, cop: str) -> str:
        outcome = await self.membership.requests.request_join(ALICE, cop, Role.SECONDARY)
        await self.outbox.drain()
        return outcome.request.id

    async def items(self, kind: str) -> list[OutboxItem]:
        return [
            i
            for i in await self.outbox.items(statuses=("pending", "failed", "done"))
            if i.kind == kind
        ]


@pytest.fixture
async def world(database: Database) -> AsyncIterator[World]:
    world = World(database)
    yield world
    await world.outbox.drain()
    await world.outbox.close()


async def test_each_focal_point_gets_one_card_that_later_shows_the_decision(world: World) -> None:
    request_id = await world.ask("UBS")
    await world.outbox.drain()  # nothing is sent twice
    for focal_point in (BRUNO, CARMEN):
        [card] = world.teams.approval_cards_to(focal_point)
        assert "**Alice Wanjiru** asks to join Urban Basic Services (UBS)" in card_text(card)
    async with world.db.session() as session:
        recorded = (await session.scalars(select(ApprovalCard.recipient))).all()
    assert sorted(recorded) == sorted([BRUNO, CARMEN])  # so that the cards can be updated
    await world.membership.decisions.decide(request_id, BRUNO, approve=True, actor_name="Bruno")
    await world.outbox.drain()
    assert sorted(to for to, _ in world.teams.updated) == sorted([BRUNO, CARMEN])
    assert all("Approved by Bruno on" in card_text(card) for _, card in world.teams.updated)
    [welcome] = [card for to, _, card in world.teams.sent if to == ALICE.id and card]
    assert "Welcome to Urban Basic Services (UBS)!" in card_text(welcome)


async def test_a_focal_points_channel_gets_the_card_in_the_channel(world: World) -> None:
    await world.ask("LHS")
    [card] = world.teams.approval_cards_to("channel:19:lhs-focal-points@thread.tacv2")
    assert "Land, Housing and Shelter (LHS)" in card_text(card)


async def test_cards_that_reach_no_focal_point_go_to_the_admins_at_once_and_the_requester_is_told(
    world: World,
) -> None:
    world.teams.refusals[BRUNO].append(NOT_IN_ROSTER)
    world.teams.refusals[CARMEN].append(NOT_IN_ROSTER)
    request_id = await world.ask("UBS")
    cards = [c for c in await world.items("membership.card") if c.payload["purpose"] == "request"]
    assert [c.status for c in cards] == ["failed", "failed"]
    assert all("BotNotInConversationRoster" in (c.last_error or "") for c in cards)
    assert all(c.attempts == 1 for c in cards)  # refused for good: not tried again
    entries = await audit.entries(world.db, actions=["membership.card_undeliverable"])
    assert sorted(e.details["recipient"] for e in entries) == sorted([BRUNO, CARMEN])
    assert all("not part of the conversation roster" in e.details["reason"] for e in entries)
    # escalated at once, not after REQUEST_ESCALATION_DAYS
    [escalation] = world.teams.approval_cards_to(ERIN)
    assert "Alice Wanjiru" in card_text(escalation)
    [told] = world.teams.texts_to(ALICE.id)
    assert "I cannot reach its focal points through Teams" in told
    assert "passed it to the CoP Bot admins" in told
    report = await world.membership.reports.requests_report()
    [pending] = report["pending"]
    assert pending["request_id"] == request_id and pending["reach"] == "reached"
    states = {(c["recipient"], c["purpose"]): c["state"] for c in pending["cards"]}
    assert states == {
        (BRUNO, "request"): "undeliverable",
        (CARMEN, "request"): "undeliverable",
        (ERIN, "escalation"): "delivered",
    }
    assert all(
        "not part of the conversation roster" in c["reason"]
        for c in pending["cards"]
        if c["state"] == "undeliverable"
    )
    assert [f["kind"] for f in report["failed"]] == ["membership.card", "membership.card"]


async def test_when_no_admin_is_reachable_either_the_request_says_nobody_and_the_requester_knows(
    world: World,
) -> None:
    for person in (BRUNO, CARMEN, ERIN):
        world.teams.refusals[person].append(NOT_IN_ROSTER)
    request_id = await world.ask("UBS")
    await world.outbox.drain()
    told = world.teams.texts_to(ALICE.id)
    assert len(told) == 2  # waiting (sent to the admins), then: nobody can be reached
    assert "neither its focal points nor the CoP Bot admins" in told[1]
    report = await world.membership.reports.requests_report()
    [pending] = report["pending"]
    assert pending["reach"] == "nobody"
    assert {c["state"] for c in pending["cards"]} == {"undeliverable"}
    assert await world.membership.reports.unreached_requests() == [request_id]
    [entry] = await audit.entries(world.db, actions=["membership.unreached"])
    assert entry.subject == f"request:{request_id}"


async def test_one_focal_point_reached_is_enough_no_escalation_no_waiting_message(
    world: World,
) -> None:
    world.teams.refusals[BRUNO].append(NOT_IN_ROSTER)
    await world.ask("UBS")
    await world.outbox.drain()
    assert len(world.teams.approval_cards_to(CARMEN)) == 1
    assert world.teams.approval_cards_to(ERIN) == []
    assert world.teams.texts_to(ALICE.id) == []


async def test_a_deferred_card_waits_for_teams_retry_after_then_goes_once(world: World) -> None:
    world.teams.refusals[BRUNO].append(
        DeliveryDeferred("Teams answered 429 (Throttled)", status=429, retry_after=120)
    )
    asked_at = world.clock.now()
    await world.ask("UBS")
    assert world.teams.approval_cards_to(BRUNO) == []
    assert len(world.teams.approval_cards_to(CARMEN)) == 1
    [waiting] = [c for c in await world.items("membership.card") if c.payload["recipient"] == BRUNO]
    assert waiting.status == "pending" and "429" in (waiting.last_error or "")
    assert waiting.next_attempt_at == asked_at + timedelta(seconds=120)
    world.clock.advance(seconds=119)
    await world.outbox.drain()
    assert world.teams.approval_cards_to(BRUNO) == []
    world.clock.advance(seconds=1)
    await world.outbox.drain()
    world.clock.advance(hours=1)
    await world.outbox.drain()
    assert len(world.teams.approval_cards_to(BRUNO)) == 1
    assert world.teams.texts_to(ALICE.id) == []  # nothing to tell: the card went out


async def test_card_updates_are_tried_again_when_deferred_and_fail_when_the_chat_is_gone(
    world: World,
) -> None:
    request_id = await world.ask("UBS")
    world.teams.update_refusals[BRUNO].append(DeliveryDeferred("Teams answered 503", status=503))
    world.teams.update_refusals[CARMEN].append(
        Undeliverable("Teams answered 404 (ConversationNotFound)", status=404, code="NotFound")
    )
    await world.membership.decisions.decide(request_id, ERIN, approve=False, reason="PFE fits")
    await world.outbox.drain()
    async with world.db.session() as session:
        recipients = dict(
            (await session.execute(select(ApprovalCard.id, ApprovalCard.recipient))).all()
        )
    items = {
        recipients[i.payload["card_id"]]: i for i in await world.items("membership.card_update")
    }
    assert items[BRUNO].status == "pending" and "503" in (items[BRUNO].last_error or "")
    assert items[CARMEN].status == "failed" and "ConversationNotFound" in items[CARMEN].last_error
    assert world.teams.updated == []
    world.clock.advance(seconds=40)
    await world.outbox.drain()
    [(recipient, card)] = world.teams.updated
    assert recipient == BRUNO and "Rejected by" in card_text(card)


@pytest.mark.parametrize("meetings", ["working", "failing"])
async def test_the_welcome_names_the_next_meeting_and_goes_out_without_it_if_meetings_fail(
    database: Database, meetings: str
) -> None:
    async def next_meeting(cop_id: str, lang: Lang) -> tuple[str, datetime] | None:
        if meetings == "failing":
            raise RuntimeError("the meetings feature is broken")
        return f"{cop_id} meeting", datetime(2027, 1, 12, 10, tzinfo=FakeClock().now().tzinfo)

    world = World(database, next_meeting=next_meeting, skills_profile_url="https://hr/skills")
    try:
        request_id = await world.ask("UBS")
        await world.membership.decisions.decide(request_id, BRUNO, approve=True)
        await world.outbox.drain()
    finally:
        await world.outbox.close()
    [welcome] = [card for to, _, card in world.teams.sent if to == ALICE.id and card]
    text = card_text(welcome)
    assert "Welcome to Urban Basic Services (UBS)!" in text
    assert ("Next meeting: UBS meeting" in text) == (meetings == "working")
    [item] = await world.items("membership.notify")
    assert item.status == "done"
