"""The membership rules on SQLite and PostgreSQL, through the domain's job services (no Teams).

The directory is an in-memory fake here (the Graph fake is used in test_membership_flow.py);
cards and messages are outbox rows, asserted as queued work: only the directory work is
registered on this outbox (their delivery is tested in test_membership_delivery.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from copbot.clock import FakeClock
from copbot.directory import (
    DirectoryError,
    DirectoryUnavailable,
    DirectoryUser,
)
from copbot.membership import (
    DecisionResult,
    JoinResult,
    LeaveResult,
    PrimaryResult,
    Role,
    Status,
)
from copbot.notifier import SentMessage, Undeliverable
from copbot.store import Database, audit
from copbot.store.membership_models import JoinRequest, Membership, OutboxItem
from tests.support.membership_world import (
    ALICE,
    BRUNO,
    CARMEN,
    DANIEL,
    ERIN,
    MemoryDirectory,
    membership_on,
    outbox_on,
)


class NoTeams:
    """This world has no Teams (its cards and messages stay queued): nothing is ever sent."""

    async def send_to_person(self, person_id: str, **kwargs: Any) -> SentMessage:
        raise Undeliverable("no Teams in this test")

    async def send_to_channel(self, channel_id: str, **kwargs: Any) -> SentMessage:
        raise Undeliverable("no Teams in this test")

    async def update_card(self, sent: SentMessage, card: dict[str, Any]) -> None:
        raise Undeliverable("no Teams in this test")


class World:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.clock = FakeClock()
        self.directory = MemoryDirectory()
        self.outbox = outbox_on(db, self.clock)
        self.membership = membership_on(db, self.clock, self.outbox, self.directory, NoTeams())
        self.membership.directory_work.register(self.outbox)

    async def queued(self, kind: str | None = None) -> list[OutboxItem]:
        items = await self.outbox.items(statuses=("pending", "failed", "done"))
        return [i for i in items if kind is None or i.kind == kind]

    async def ask(self, cop: str, role: Role | None = Role.SECONDARY, **kw: Any) -> Any:
        return await self.membership.requests.request_join(ALICE, cop, role, **kw)

    async def approved_member(self, cop: str, role: Role) -> None:
        outcome = await self.ask(cop, role, confirm_primary=True)
        assert outcome.result == JoinResult.CREATED, outcome
        decided = await self.membership.decisions.decide(outcome.request.id, ERIN, approve=True)
        assert decided.result == DecisionResult.DECIDED
        await self.outbox.drain()


@pytest.fixture
async def world(database: Database) -> AsyncIterator[World]:
    world = World(database)
    yield world
    await world.outbox.drain()  # no kicked work may outlive the test (it holds row locks)
    await world.outbox.close()


# -- asking -------------------------------------------------------------------------------------


async def test_a_request_is_stored_with_one_card_per_reachable_focal_point(world: World) -> None:
    world.directory.users[ALICE.id] = DirectoryUser(
        ALICE.id, "Alice Wanjiru", job_title="Urban planner", office="Nairobi"
    )
    outcome = await world.ask("UBS", Role.PRIMARY, note="  I run   water ")
    assert outcome.result == JoinResult.CREATED
    assert outcome.focal_points_reached == ["Bruno Costa", "Carmen Ruiz"]
    request = outcome.request
    assert request.status == Status.PENDING and request.note == "I run water"
    assert request.requester["job_title"] == "Urban planner"
    cards = await world.queued("membership.card")
    assert sorted(c.payload["recipient"] for c in cards) == sorted([BRUNO, CARMEN])
    actions = [e.action for e in await audit.entries(world.db)]
    assert actions == ["membership.requested", "membership.focal_point_unreachable"]


async def test_a_focal_points_channel_gets_one_card_instead(world: World) -> None:
    outcome = await world.ask("LHS")
    cards = await world.queued("membership.card")
    assert outcome.result == JoinResult.CREATED
    assert [c.payload["recipient"] for c in cards] == ["channel:19:lhs-focal-points@thread.tacv2"]


async def test_the_role_is_asked_when_not_given(world: World) -> None:
    outcome = await world.ask("UBS", None)
    assert outcome.result == JoinResult.NEEDS_ROLE
    assert await world.queued() == []


async def test_no_second_pending_request_for_the_same_cop(world: World) -> None:
    first = await world.ask("UBS")
    second = await world.ask("UBS", Role.PRIMARY)
    assert second.result == JoinResult.ALREADY_PENDING
    assert second.request.id == first.request.id
    assert len(await world.queued("membership.card")) == 2


async def test_two_requests_at_the_same_instant_make_one(world: World) -> None:
    outcomes = await asyncio.gather(*(world.ask("CC") for _ in range(5)))
    results = sorted(o.result for o in outcomes)
    assert results.count(JoinResult.CREATED) == 1
    assert results.count(JoinResult.ALREADY_PENDING) == 4
    async with world.db.session() as session:
        rows = (await session.scalars(select(JoinRequest))).all()
    assert len(rows) == 1


async def test_someone_already_in_the_group_is_told_and_nothing_is_sent(world: World) -> None:
    world.directory.groups["local:UBS"].add(ALICE.id)
    outcome = await world.ask("UBS", Role.SECONDARY)
    assert outcome.result == JoinResult.ALREADY_MEMBER
    assert outcome.recorded_from_directory
    assert await world.queued() == []
    mine = await world.membership.memberships.my_communities(ALICE.id)
    assert [m.cop_id for m in mine.memberships] == ["UBS"]
    again = await world.ask("UBS", Role.SECONDARY)
    assert again.result == JoinResult.ALREADY_MEMBER and not again.recorded_from_directory


async def test_a_directory_outage_does_not_stop_a_request(world: World) -> None:
    async def down(group_id: str, user_id: str) -> bool:
        raise DirectoryUnavailable("503", status=503)

    world.directory.is_member = down  # type: ignore[method-assign]
    assert (await world.ask("UBS")).result == JoinResult.CREATED


async def test_choosing_a_new_primary_asks_to_confirm_and_keeps_the_old_as_secondary(
    world: World,
) -> None:
    await world.approved_member("UBS", Role.PRIMARY)
    outcome = await world.ask("CC", Role.PRIMARY)
    assert outcome.result == JoinResult.CONFIRM_PRIMARY
    assert outcome.current_primary == "UBS"
    assert await world.queued("membership.card") != []  # only UBS's cards so far
    assert len(await world.queued("membership.card")) == 2
    await world.approved_member("CC", Role.PRIMARY)
    mine = await world.membership.memberships.my_communities(ALICE.id)
    assert [(m.cop_id, m.role) for m in mine.memberships] == [
        ("CC", Role.PRIMARY),
        ("UBS", Role.SECONDARY),
    ]


# -- deciding -----------------------------------------------------------------------------------


async def test_only_focal_points_of_that_cop_or_admins_decide(world: World) -> None:
    request = (await world.ask("UBS")).request
    refused = await world.membership.decisions.decide(request.id, DANIEL, approve=True)
    assert refused.result == DecisionResult.REFUSED
    assert refused.request.status == Status.PENDING
    [entry] = await audit.entries(world.db, actions=["membership.decision_refused"])
    assert entry.actor == DANIEL and entry.subject == f"request:{request.id}"
    cc_only = await world.ask("CC")
    assert (
        await world.membership.decisions.decide(cc_only.request.id, BRUNO, approve=True)
    ).result == (DecisionResult.REFUSED)  # Bruno is UBS's focal point, not CC's
    by_admin = await world.membership.decisions.decide(
        request.id, ERIN.upper(), approve=False, reason="no"
    )
    assert by_admin.result == DecisionResult.DECIDED
    assert by_admin.request.decided_by == ERIN


async def test_a_decision_happens_once_and_later_clicks_see_it(world: World) -> None:
    request = (await world.ask("UBS", Role.PRIMARY)).request
    first = await world.membership.decisions.decide(
        request.id, BRUNO, approve=True, actor_name="Bruno Costa"
    )
    later = await world.membership.decisions.decide(
        request.id, CARMEN, approve=False, reason="too late"
    )
    assert first.result == DecisionResult.DECIDED
    assert later.result == DecisionResult.ALREADY_DECIDED
    assert later.request.status == Status.APPROVED
    assert later.request.decided_by_name == "Bruno Costa"
    assert later.request.reason is None
    assert len(await world.queued("membership.add")) == 1


async def test_concurrent_clicks_make_one_decision_and_one_add(world: World) -> None:
    request = (await world.ask("UBS", Role.PRIMARY)).request
    clicks = [
        world.membership.decisions.decide(request.id, actor, approve=actor != CARMEN)
        for actor in (BRUNO, CARMEN, BRUNO, CARMEN, ERIN, BRUNO)
    ]
    outcomes = await asyncio.gather(*clicks)
    decided = [o for o in outcomes if o.result == DecisionResult.DECIDED]
    assert len(decided) == 1
    assert all(o.request.status == decided[0].request.status for o in outcomes)
    decisions = await audit.entries(
        world.db, actions=["membership.approved", "membership.rejected"]
    )
    assert len(decisions) == 1
    await world.outbox.drain()
    expected = 1 if decided[0].request.status == Status.APPROVED else 0
    assert len(world.directory.adds) == expected


async def test_unknown_request(world: World) -> None:
    outcome = await world.membership.decisions.decide("nope", BRUNO, approve=True)
    assert outcome.result == DecisionResult.NOT_FOUND


# -- the directory add ---------------------------------------------------------------------------


async def test_approval_adds_to_the_group_once_then_welcomes(world: World) -> None:
    request = (await world.ask("UBS", Role.PRIMARY)).request
    await world.membership.decisions.decide(request.id, BRUNO, approve=True)
    await world.outbox.drain()
    assert world.directory.adds == [("local:UBS", ALICE.id)]
    [welcome] = await world.queued("membership.notify")
    assert welcome.payload == {"request_id": request.id, "event": "welcome"}
    assert (await world.membership.requests.get_request(request.id)).added_at == world.clock.now()
    mine = await world.membership.memberships.my_communities(ALICE.id)
    assert mine.memberships[0].added
    [added] = await audit.entries(world.db, actions=["membership.added"])
    assert added.details["outcome"] == "added"


async def test_already_a_member_counts_as_done(world: World) -> None:
    request = (await world.ask("UBS")).request
    world.directory.groups["local:UBS"].add(ALICE.id)  # added by hand meanwhile
    await world.membership.decisions.decide(request.id, BRUNO, approve=True)
    await world.outbox.drain()
    [item] = await world.queued("membership.add")
    assert item.status == "done"
    [added] = await audit.entries(world.db, actions=["membership.added"])
    assert added.details["outcome"] == "already_member"


async def test_a_throttled_directory_is_tried_again_after_retry_after(world: World) -> None:
    request = (await world.ask("UBS")).request
    world.directory.failures = [
        DirectoryUnavailable("429", retry_after=120, status=429),
        DirectoryUnavailable("503", status=503),
    ]
    await world.membership.decisions.decide(request.id, BRUNO, approve=True)
    await world.outbox.drain()
    report = await world.membership.reports.requests_report()
    [waiting] = report["approved_not_added"]
    assert waiting["request_id"] == request.id and "429" in waiting["last_error"]
    world.clock.advance(seconds=120)
    await world.outbox.drain()
    world.clock.advance(seconds=60)  # the 503 had no Retry-After: backoff
    await world.outbox.drain()
    assert world.directory.adds == [("local:UBS", ALICE.id)]
    assert (await world.membership.reports.requests_report())["approved_not_added"] == []
    deferred = await audit.entries(world.db, actions=["membership.add_deferred"])
    assert [e.details["status"] for e in deferred] == [429, 503]


async def test_a_refused_add_fails_with_its_reason_and_is_audited(world: World) -> None:
    request = (await world.ask("UBS")).request
    world.directory.failures = [DirectoryError("Graph refused (403): needs permission")]
    await world.membership.decisions.decide(request.id, BRUNO, approve=True)
    await world.outbox.drain()
    report = await world.membership.reports.requests_report()
    [failed] = report["failed"]
    assert failed["kind"] == "membership.add" and "403" in failed["last_error"]
    [entry] = await audit.entries(world.db, actions=["membership.add_failed"])
    assert "403" in entry.details["reason"]
    await world.outbox.retry_failed()
    await world.outbox.drain()
    assert world.directory.adds == [("local:UBS", ALICE.id)]


async def test_rejection_tells_the_requester_with_the_reason(world: World) -> None:
    request = (await world.ask("UBS")).request
    await world.membership.decisions.decide(
        request.id, CARMEN, approve=False, reason=" Join  PFE instead "
    )
    [notify] = await world.queued("membership.notify")
    assert notify.payload["event"] == "rejected"
    assert (await world.membership.requests.get_request(request.id)).reason == "Join PFE instead"
    assert await world.queued("membership.add") == []


# -- my communities ------------------------------------------------------------------------------


async def test_make_primary_and_leave(world: World) -> None:
    await world.approved_member("UBS", Role.PRIMARY)
    await world.approved_member("CC", Role.SECONDARY)
    await world.approved_member("PFE", Role.SECONDARY)
    made = await world.membership.memberships.make_primary(ALICE.id, "CC")
    assert made.result == PrimaryResult.DONE and made.previous == "UBS"
    assert (await world.membership.memberships.make_primary(ALICE.id, "CC")).result == (
        PrimaryResult.ALREADY_PRIMARY
    )
    assert (
        await world.membership.memberships.make_primary(ALICE.id, "LHS")
    ).result == PrimaryResult.NOT_MEMBER

    ask = await world.membership.memberships.leave(ALICE.id, "CC")
    assert ask.result == LeaveResult.CONFIRM and ask.was_primary
    assert sorted(ask.others) == ["PFE", "UBS"]
    left = await world.membership.memberships.leave(
        ALICE.id, "CC", confirmed=True, new_primary="PFE"
    )
    assert left.result == LeaveResult.LEFT and left.new_primary == "PFE"
    again = await world.membership.memberships.leave(ALICE.id, "CC", confirmed=True)
    assert again.result == LeaveResult.NOT_MEMBER  # a double click removes once
    await world.outbox.drain()
    assert world.directory.removes == [("local:CC", ALICE.id)]
    mine = await world.membership.memberships.my_communities(ALICE.id)
    assert [(m.cop_id, m.role) for m in mine.memberships] == [
        ("PFE", Role.PRIMARY),
        ("UBS", Role.SECONDARY),
    ]


async def test_a_pending_request_can_be_withdrawn(world: World) -> None:
    await world.ask("UBS")
    assert (
        await world.membership.memberships.leave(ALICE.id, "UBS")
    ).result == LeaveResult.CONFIRM_WITHDRAW
    done = await world.membership.memberships.leave(ALICE.id, "UBS", confirmed=True)
    assert done.result == LeaveResult.WITHDRAWN
    assert (await world.ask("UBS")).result == JoinResult.CREATED  # may ask again


async def test_leaving_before_the_add_happens_adds_no_one(world: World) -> None:
    request = (await world.ask("UBS")).request
    world.directory.failures = [DirectoryUnavailable("503", status=503)]
    await world.membership.decisions.decide(request.id, BRUNO, approve=True)
    await world.outbox.drain()
    await world.membership.memberships.leave(ALICE.id, "UBS", confirmed=True)
    world.clock.advance(hours=2)
    await world.outbox.drain()
    assert world.directory.adds == []
    assert ALICE.id not in world.directory.groups["local:UBS"]


# -- reminders ----------------------------------------------------------------------------------


async def test_pending_requests_are_recalled_then_escalated_once(world: World) -> None:
    request = (await world.ask("UBS")).request
    assert await world.membership.reminders.remind_pending() == {"reminded": 0, "escalated": 0}
    world.clock.advance(days=3)
    assert await world.membership.reminders.remind_pending() == {"reminded": 1, "escalated": 0}
    assert await world.membership.reminders.remind_pending() == {"reminded": 0, "escalated": 0}
    reminders = [
        c for c in await world.queued("membership.card") if c.payload["purpose"] == "reminder"
    ]
    assert sorted(c.payload["recipient"] for c in reminders) == sorted([BRUNO, CARMEN])
    world.clock.advance(days=4)
    assert await world.membership.reminders.remind_pending() == {"reminded": 0, "escalated": 1}
    escalations = [
        c for c in await world.queued("membership.card") if c.payload["purpose"] == "escalation"
    ]
    assert [c.payload["recipient"] for c in escalations] == [ERIN]
    await world.membership.decisions.decide(request.id, ERIN, approve=True)
    world.clock.advance(days=30)
    assert await world.membership.reminders.remind_pending() == {"reminded": 0, "escalated": 0}


# -- what the database itself guarantees ----------------------------------------------------------


async def test_the_database_refuses_a_second_pending_request_and_a_second_primary(
    world: World,
) -> None:
    now = world.clock.now()

    def pending(request_id: str, status: str = "pending") -> JoinRequest:
        return JoinRequest(
            id=request_id,
            person_id="p",
            cop_id="UBS",
            role="secondary",
            note="",
            lang="en",
            requester={},
            status=status,
            created_at=now,
        )

    async with world.db.session() as session:
        session.add_all([pending("r1"), pending("r2", "rejected"), pending("r3", "approved")])
    with pytest.raises(IntegrityError):
        async with world.db.session() as session:
            session.add(pending("r4"))
    async with world.db.session() as session:
        session.add(Membership(person_id="p", cop_id="UBS", role="primary", since=now))
        session.add(Membership(person_id="p", cop_id="CC", role="secondary", since=now))
        session.add(Membership(person_id="q", cop_id="CC", role="primary", since=now))
    with pytest.raises(IntegrityError):
        async with world.db.session() as session:
            session.add(Membership(person_id="p", cop_id="PFE", role="primary", since=now))


async def test_two_primaries_approved_at_the_same_instant_leave_one_primary(
    world: World,
) -> None:
    ubs = (await world.ask("UBS", Role.PRIMARY)).request
    cc = (await world.ask("CC", Role.PRIMARY)).request
    await asyncio.gather(
        world.membership.decisions.decide(ubs.id, BRUNO, approve=True),
        world.membership.decisions.decide(cc.id, CARMEN, approve=True),
    )
    mine = await world.membership.memberships.my_communities(ALICE.id)
    assert sorted(m.cop_id for m in mine.memberships) == ["CC", "UBS"]
    assert [m.role for m in mine.memberships].count(Role.PRIMARY) == 1
