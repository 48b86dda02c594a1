"""The outgoing pace (copbot/work/pace.py) on a FakeClock: sends to one thread and to the tenant
stay under Teams' documented limits (checked by the connector double's own counting,
tests/fakes/rate_limits.py), a thread that used up its budget or that Teams throttled is put
back with the wait instead of blocking a worker, and other threads are not held up by it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from copbot.clock import FakeClock
from copbot.notifier import DeliveryDeferred
from copbot.work.pace import Pace, Paced
from tests.fakes.rate_limits import TeamsRateLimits
from tests.support.fake_sleep import FakeSleep


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def teams(clock: FakeClock) -> TeamsRateLimits:
    return TeamsRateLimits(clock)


def paced(clock: FakeClock, **kwargs: object) -> Pace:
    return Pace(clock, sleep=FakeSleep(clock), **kwargs)  # type: ignore[arg-type]


async def send(pace: Pace, teams: TeamsRateLimits, thread: str) -> None:
    await pace.slot(thread)
    assert teams.admit("send", thread, "tenant") == 0, f"Teams would have throttled {thread}"


async def test_a_burst_to_one_person_waits_for_teams_windows_and_is_never_throttled(
    clock: FakeClock, teams: TeamsRateLimits
) -> None:
    pace = paced(clock)
    start = clock.now()
    for _ in range(60):
        await send(pace, teams, "a:chat-bruno")
    assert teams.throttled == 0
    # 7 in the first second, 8 in two, then one place each time one frees: 60 take about 14 s
    assert 13 < (clock.now() - start).total_seconds() < 16


async def test_the_61st_send_in_30_s_is_put_back_with_the_wait_not_waited_for(
    clock: FakeClock, teams: TeamsRateLimits
) -> None:
    pace = paced(clock)
    start = clock.now()
    for _ in range(60):
        await send(pace, teams, "a:chat-bruno")
    with pytest.raises(Paced) as put_back:
        await pace.slot("a:chat-bruno")
    assert isinstance(put_back.value, DeliveryDeferred)  # the outbox retries it: not a failure
    frees_at = start + timedelta(seconds=30)
    assert put_back.value.retry_after is not None
    assert abs((clock.now() + timedelta(seconds=put_back.value.retry_after)) - frees_at) < (
        timedelta(seconds=0.2)
    )
    assert pace.put_back == 1
    await send(pace, teams, "a:chat-carmen")  # another person is not held up by Bruno's chat
    clock.set(frees_at + timedelta(seconds=0.1))
    await send(pace, teams, "a:chat-bruno")
    assert teams.throttled == 0


async def test_many_people_at_once_stay_under_the_tenant_limit(
    clock: FakeClock, teams: TeamsRateLimits
) -> None:
    pace = paced(clock, max_wait=60)
    start = clock.now()
    await asyncio.gather(*(send(pace, teams, f"a:chat-{n}") for n in range(500)))
    assert teams.throttled == 0
    seconds = (clock.now() - start).total_seconds()
    assert 9 <= seconds < 11  # 500 at 50 per second


async def test_a_throttled_thread_waits_for_retry_after_others_do_not(
    clock: FakeClock, teams: TeamsRateLimits
) -> None:
    pace = paced(clock)
    pace.throttled("19:ubs-channel", 20)  # Teams answered 429, Retry-After: 20
    with pytest.raises(Paced) as put_back:
        await pace.slot("19:ubs-channel")
    assert put_back.value.retry_after == pytest.approx(20)
    await send(pace, teams, "a:chat-alice")
    clock.advance(seconds=20)
    await send(pace, teams, "19:ubs-channel")


async def test_a_short_retry_after_is_waited_for_here(clock: FakeClock) -> None:
    sleeper = FakeSleep(clock)
    pace = Pace(clock, sleep=sleeper)
    pace.throttled("a:chat-alice", 2)
    await pace.slot("a:chat-alice")
    assert sleeper.slept == [pytest.approx(2)]


def test_the_tenant_rate_is_at_least_one() -> None:
    with pytest.raises(ValueError):
        Pace(FakeClock(), tenant_rate=0)


async def test_429s_slow_the_tenant_pace_down_and_it_comes_back(clock: FakeClock) -> None:
    """Teams counts calls when they arrive; calls bunched on the way get 429s although they left
    evenly: each burst of 429s slows the pace down, calls that follow bring it back."""
    pace = paced(clock)
    pace.throttled("a:chat-1", 1)
    pace.throttled("a:chat-2", 1)  # the same burst: one slow-down
    assert pace.rate == pytest.approx(45)
    clock.advance(seconds=1)
    pace.throttled("a:chat-3", 1)
    assert pace.rate == pytest.approx(40.5)
    start = clock.now()
    for n in range(100):
        await pace.slot(f"a:chat-{n + 10}")
    slowed = (clock.now() - start).total_seconds()
    assert slowed > 100 / 50 * 1.1  # slower than the full pace ...
    assert pace.rate == pytest.approx(45.5)  # ... and regaining 0.05 per call
    for n in range(200):
        await pace.slot(f"a:chat-{n + 200}")
    assert pace.rate == 50  # never above Teams' limit
