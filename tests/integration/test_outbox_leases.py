"""Leases of the outbox on SQLite and PostgreSQL (copbot/work/lease.py): short, kept alive by a
heartbeat while the work runs, and confirmed before every send, so that work taken over from a
worker that stopped is done by one worker only, and a slow worker keeps what it is doing."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from copbot.clock import FakeClock
from copbot.notifier import SentMessage
from copbot.store import Database
from copbot.store.membership_models import OutboxItem
from copbot.work.outbox import Outbox
from copbot.work.pace import Pace
from copbot.work.paced_notifier import PacedNotifier
from copbot.work.policy import Backoff, RetryPolicy
from tests.faults.harness import eventually

POLICY = RetryPolicy(schedule=Backoff(base=10, cap=100, jitter=0))


class Teams:
    """A Notifier that records what reached people."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send_to_person(
        self, person_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        self.sent.append((person_id, text or ""))
        return SentMessage(f"a:{person_id}", f"act-{len(self.sent)}")

    async def send_to_channel(
        self, channel_id: str, *, text: str | None = None, card: dict[str, Any] | None = None
    ) -> SentMessage:
        raise NotImplementedError

    async def update_card(self, sent: SentMessage, card: dict[str, Any]) -> None:
        raise NotImplementedError


async def item(db: Database) -> OutboxItem:
    async with db.session() as session:
        [row] = (await session.scalars(select(OutboxItem))).all()
        return row


async def queue_welcome(outbox: Outbox) -> None:
    async with outbox.db.session() as session:
        await outbox.enqueue(session, "test.welcome", {"person": "alice"}, "welcome:alice")


async def test_a_worker_that_lost_its_lease_while_frozen_sends_nothing(
    database: Database,
) -> None:
    """Worker A claims the welcome and freezes before sending (a paused VM); its lease runs out,
    worker B takes the welcome over and sends it. When A wakes up, its send confirms the lease,
    finds it gone and is not made: Alice gets one welcome, the item is done once."""
    clock = FakeClock()
    teams = Teams()
    notifier = PacedNotifier(teams, Pace(clock))
    frozen, woke = asyncio.Event(), asyncio.Event()

    async def welcome_frozen(payload: dict[str, Any]) -> None:
        frozen.set()
        await woke.wait()
        await notifier.send_to_person(payload["person"], text="Welcome from A")

    async def welcome(payload: dict[str, Any]) -> None:
        await notifier.send_to_person(payload["person"], text="Welcome from B")

    a = Outbox(database, clock, policy=POLICY, owner="a")
    b = Outbox(database, clock, policy=POLICY, owner="b")
    a.register("test.welcome", welcome_frozen)
    b.register("test.welcome", welcome)
    await queue_welcome(a)
    running_a = asyncio.create_task(a.run_once())
    await frozen.wait()
    assert await b.run_once() == 0  # A holds it

    clock.advance(seconds=POLICY.lease_seconds + 1)  # A missed every heartbeat meanwhile
    assert await b.run_once() == 1
    woke.set()
    await running_a

    assert teams.sent == [("alice", "Welcome from B")]
    row = await item(database)
    assert (row.status, row.attempts, row.lease_owner) == ("done", 2, None)


async def test_a_slow_send_keeps_its_work_past_the_lease_by_its_heartbeat(
    database: Database,
) -> None:
    """The heartbeat renews the lease while the handler runs: a send slower than the lease is not
    taken over by another worker (which would send it a second time)."""
    clock = FakeClock()
    teams = Teams()
    notifier = PacedNotifier(teams, Pace(clock))
    slow, done = asyncio.Event(), asyncio.Event()

    async def welcome_slowly(payload: dict[str, Any]) -> None:
        slow.set()
        await done.wait()
        await notifier.send_to_person(payload["person"], text="Welcome from A")

    async def welcome(payload: dict[str, Any]) -> None:
        await notifier.send_to_person(payload["person"], text="Welcome from B")

    quick_beats = {"heartbeat_seconds": 0.05}  # real seconds: the beat must come in this test
    a = Outbox(database, clock, policy=dataclasses.replace(POLICY, **quick_beats), owner="a")
    b = Outbox(database, clock, policy=POLICY, owner="b")
    a.register("test.welcome", welcome_slowly)
    b.register("test.welcome", welcome)
    await queue_welcome(a)
    running_a = asyncio.create_task(a.run_once())
    await slow.wait()
    first_lease = (await item(database)).lease_until
    assert first_lease is not None

    for _ in range(3):  # well past the first lease, a beat at a time
        clock.advance(seconds=POLICY.lease_seconds * 0.8)
        seen = clock.now()
        await eventually(
            lambda at=seen: renewed_after(database, at),  # type: ignore[misc]
            "the heartbeat to renew",
        )
        assert await b.run_once() == 0
    assert clock.now() > first_lease + timedelta(seconds=POLICY.lease_seconds)
    done.set()
    await running_a

    assert teams.sent == [("alice", "Welcome from A")]
    row = await item(database)
    assert (row.status, row.attempts) == ("done", 1)


async def renewed_after(db: Database, when: datetime) -> bool:
    lease_until = (await item(db)).lease_until
    return lease_until is not None and lease_until >= when + timedelta(seconds=POLICY.lease_seconds)
