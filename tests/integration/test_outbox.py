"""The outbox on SQLite and PostgreSQL: queued once, run once, retried, failed with a reason,
picked up again after a crash, and shared safely by two workers on one database."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from copbot.clock import FakeClock
from copbot.directory import DirectoryError, DirectoryUnavailable
from copbot.store import Database
from copbot.store.membership_models import OutboxItem
from copbot.work.outbox import Outbox, PermanentFailure, Retry
from copbot.work.policy import Backoff, RetryPolicy

FAST = RetryPolicy(max_attempts=4, schedule=Backoff(base=10, cap=100, jitter=0), lease_seconds=60)


def outbox_on(db: Database, clock: FakeClock, **policy: Any) -> Outbox:
    return Outbox(db, clock, policy=dataclasses.replace(FAST, **policy))


async def enqueue(outbox: Outbox, kind: str, payload: dict[str, Any], key: str) -> bool:
    async with outbox.db.session() as session:
        return await outbox.enqueue(session, kind, payload, key)


async def statuses(db: Database) -> dict[str, str]:
    async with db.session() as session:
        rows = (await session.execute(select(OutboxItem.dedupe_key, OutboxItem.status))).all()
    return dict(rows)


async def test_the_same_work_is_queued_once_and_done_once(database: Database) -> None:
    clock = FakeClock()
    outbox = outbox_on(database, clock)
    calls: list[dict[str, Any]] = []

    async def handler(payload: dict[str, Any]) -> None:
        calls.append(payload)

    outbox.register("test.do", handler)
    assert await enqueue(outbox, "test.do", {"n": 1}, "do:1") is True
    assert await enqueue(outbox, "test.do", {"n": 1}, "do:1") is False  # a double click
    assert await outbox.run_once() == 1
    assert await outbox.run_once() == 0
    assert calls == [{"n": 1}]
    assert await statuses(database) == {"do:1": "done"}


async def test_work_queued_in_a_transaction_that_rolls_back_never_runs(database: Database) -> None:
    outbox = outbox_on(database, FakeClock())
    outbox.register("test.do", lambda payload: asyncio.sleep(0))
    with pytest.raises(RuntimeError):
        async with database.session() as session:
            await outbox.enqueue(session, "test.do", {}, "do:rolled-back")
            raise RuntimeError("the decision failed")
    assert await statuses(database) == {}


async def test_a_passing_failure_waits_retry_after_then_succeeds(database: Database) -> None:
    clock = FakeClock()
    outbox = outbox_on(database, clock)
    answers = [DirectoryUnavailable("429", retry_after=42, status=429), None]

    async def handler(payload: dict[str, Any]) -> None:
        answer = answers.pop(0)
        if answer:
            raise answer

    outbox.register("test.add", handler)
    await enqueue(outbox, "test.add", {}, "add:1")
    await outbox.run_once()
    [item] = await outbox.items()
    assert item.status == "pending" and item.attempts == 1
    assert item.next_attempt_at == clock.now() + timedelta(seconds=42)
    assert "429" in (item.last_error or "")
    clock.advance(seconds=41)
    assert await outbox.run_once() == 0  # not before Retry-After
    clock.advance(seconds=1)
    assert await outbox.run_once() == 1
    assert await statuses(database) == {"add:1": "done"}


async def test_without_a_hint_it_backs_off_and_gives_up_with_the_reason(database: Database) -> None:
    clock = FakeClock()
    outbox = outbox_on(database, clock)
    failures: list[str] = []

    async def handler(payload: dict[str, Any]) -> None:
        raise Retry("connector 503")

    async def on_failed(session: Any, payload: dict[str, Any], reason: str) -> None:
        failures.append(reason)

    outbox.register("test.send", handler, on_failed=on_failed)
    await enqueue(outbox, "test.send", {}, "send:1")
    waits = []
    for _ in range(FAST.max_attempts):
        before = clock.now()
        assert await outbox.run_once() == 1
        [item] = await outbox.items()
        if item.status == "failed":
            break
        waits.append((item.next_attempt_at - before).total_seconds())
        clock.set(item.next_attempt_at)
    assert waits == [10, 20, 40]
    [item] = await outbox.items()
    assert item.status == "failed" and item.attempts == 4
    assert item.last_error == "gave up after 4 attempts: Retry: connector 503"
    assert failures == [item.last_error]


async def test_a_permanent_failure_fails_at_once_and_retry_puts_it_back(database: Database) -> None:
    clock = FakeClock()
    outbox = outbox_on(database, clock)
    answers: list[Exception | None] = [DirectoryError("403 no permission", status=403), None]

    async def handler(payload: dict[str, Any]) -> None:
        answer = answers.pop(0)
        if answer:
            raise answer

    outbox.register("test.add", handler)
    await enqueue(outbox, "test.add", {}, "add:1")
    await outbox.run_once()
    [item] = await outbox.items()
    assert item.status == "failed"
    assert "403 no permission" in (item.last_error or "")
    assert await outbox.run_once() == 0  # failed items wait for a person
    assert await outbox.retry_failed([item.id]) == [item.id]
    assert await outbox.run_once() == 1
    assert await statuses(database) == {"add:1": "done"}
    assert await outbox.retry_failed() == []  # nothing failed any more


async def test_an_unexpected_error_is_retried_like_a_passing_failure(database: Database) -> None:
    clock = FakeClock()
    outbox = outbox_on(database, clock)
    outbox.register("test.bug", lambda payload: _raise(KeyError("oops")))
    await enqueue(outbox, "test.bug", {}, "bug:1")
    await outbox.run_once()
    [item] = await outbox.items()
    assert item.status == "pending" and "KeyError" in (item.last_error or "")


async def _raise(exc: Exception) -> None:
    raise exc


async def test_a_crashed_workers_item_is_taken_again_when_its_lease_expires(
    database: Database,
) -> None:
    clock = FakeClock()
    crashed = outbox_on(database, clock)
    survivor = outbox_on(database, clock)
    runs: list[str] = []

    async def handler(payload: dict[str, Any]) -> None:
        runs.append("ran")

    crashed.register("test.add", handler)
    survivor.register("test.add", handler)
    await enqueue(crashed, "test.add", {}, "add:1")
    claimed = await crashed._claim(10)  # the worker claims, then dies before running it
    assert len(claimed) == 1
    assert await survivor.run_once() == 0  # leased: not taken twice
    clock.advance(seconds=FAST.lease_seconds + 1)
    assert await survivor.run_once() == 1
    assert runs == ["ran"]
    # The crashed worker's late outcome does not overwrite the survivor's.
    await crashed._finish(claimed[0][0], claimed[0][1], {"status": "failed", "last_error": "late"})
    assert await statuses(database) == {"add:1": "done"}


async def test_kinds_without_a_handler_here_are_left_for_another_process(
    database: Database,
) -> None:
    clock = FakeClock()
    cli = outbox_on(database, clock)
    await enqueue(cli, "membership.card", {}, "card:1")
    cli.register("test.other", lambda payload: asyncio.sleep(0))
    assert await cli.run_once() == 0
    assert await statuses(database) == {"card:1": "pending"}


async def test_two_workers_on_two_engines_do_each_item_exactly_once(db_url: str) -> None:
    """Two instances of CoP Bot (their own connection pools) drain one queue together."""
    first_db, second_db = Database(db_url), Database(db_url)
    await first_db.upgrade()
    async with first_db.session() as session:
        await session.execute(OutboxItem.__table__.delete())
    clock = FakeClock()
    done: list[tuple[str, int]] = []

    def worker(db: Database, name: str) -> Outbox:
        outbox = Outbox(db, clock, batch_size=7)

        async def handler(payload: dict[str, Any]) -> None:
            await asyncio.sleep(0.001)  # let the other worker interleave
            done.append((name, payload["n"]))

        outbox.register("test.race", handler)
        return outbox

    first, second = worker(first_db, "first"), worker(second_db, "second")
    try:
        for n in range(120):
            await enqueue(first, "test.race", {"n": n}, f"race:{n}")
        await asyncio.gather(first.run_pending(), second.run_pending())
        handled = sorted(n for _, n in done)
        assert handled == list(range(120)), "every item once, none twice"
        assert {name for name, _ in done} == {"first", "second"}, "both workers took a share"
        async with first_db.session() as session:
            counts = dict(
                (
                    await session.execute(
                        select(OutboxItem.status, func.count()).group_by(OutboxItem.status)
                    )
                ).all()
            )
        assert counts == {"done": 120}
    finally:
        async with first_db.session() as session:
            await session.execute(OutboxItem.__table__.delete())
        await first_db.dispose()
        await second_db.dispose()


async def test_permanent_failure_keeps_the_reason_for_copbot_requests(database: Database) -> None:
    outbox = outbox_on(database, FakeClock())

    async def handler(payload: dict[str, Any]) -> None:
        raise PermanentFailure("CC is no longer in the catalog")

    outbox.register("test.add", handler)
    await enqueue(outbox, "test.add", {"request_id": "r1"}, "add:r1")
    await outbox.run_once()
    [item] = await outbox.items(statuses=["failed"])
    assert item.last_error == "PermanentFailure: CC is no longer in the catalog"


async def test_stats_count_what_is_not_done_and_age_the_oldest(database: Database) -> None:
    clock = FakeClock()
    outbox = outbox_on(database, clock)

    async def handler(payload: dict[str, Any]) -> None:
        if payload.get("fail"):
            raise PermanentFailure("no")

    outbox.register("test.do", handler)
    await enqueue(outbox, "test.do", {"fail": True}, "a")
    clock.advance(seconds=30)
    await enqueue(outbox, "test.do", {}, "b")
    await outbox.run_once()
    await enqueue(outbox, "test.do", {}, "c")
    clock.advance(seconds=10)
    assert await outbox.stats() == ({"failed": 1, "pending": 1}, 40.0)
