"""Outgoing pace: this process keeps its proactive sends under Teams' rate limits by itself.

https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
- "Per bot per thread limit" (a thread: a 1:1 chat, a group chat or a channel): 7 per 1 s,
  8 per 2 s, 60 per 30 s, 1,800 per 3,600 s, for sends and conversation creation alike;
- "The global limit per app per tenant is 50 Requests Per Second (RPS)".
Over them Teams answers 429 with Retry-After.

`Pace.slot(thread)` reserves the earliest instant at which one more call to `thread` fits every
window of the thread and the tenant's rate, then waits until that instant. The tenant's calls are
spaced evenly (50 per second: one each 20 ms, never a burst); a thread's may come in bursts as
Teams allows (7 at once, then one place per free one). A reservation counts at
once, so concurrent senders line up behind each other instead of all rushing at the same free
place, and each thread is served in the order its calls asked. When that instant is further away
than `max_wait` (a thread that used up its 60 per 30 s, or one that Teams throttled), nothing is
reserved and `Paced` (a `DeliveryDeferred`) is raised with the wait as `retry_after`: the outbox
puts the item back until then (retrying, not failed) instead of holding a worker.

`throttled(thread, seconds)` is what a 429 teaches: no call to that thread before its
Retry-After, and the tenant's pace slows down (by a tenth, at most once a second) and comes back
with each call that follows (+0.05 per second per call, up to `tenant_rate`): Teams counts
calls when they arrive, and a loaded host or network bunches calls that left evenly, so the pace
finds the rate that actually gets through. It is this process's memory only; other instances
honour the same 429 because the item's next attempt is written in the database (`Outbox` records
`Retry-After` as `next_attempt_at`), and each instance's own 429s slow it the same way, which
is also how several instances sharing the tenant's budget settle under it (admins running N
instances may also set `TEAMS_SENDS_PER_SECOND` to about 50 / N; docs/admin.md).

Time comes from the injected clock and waiting from the injected `sleep`, so tests move a
`FakeClock` instead of sleeping.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import structlog

from copbot.clock import Clock
from copbot.notifier import DeliveryDeferred

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Window:
    seconds: float
    limit: int


PER_THREAD: tuple[Window, ...] = (
    Window(1, 7),
    Window(2, 8),
    Window(30, 60),
    Window(3600, 1800),
)
TENANT_RATE = 50  # requests per second per app per tenant
# Calls leave here in order but reach Teams after a delay that varies: each window (and the
# tenant's spacing) is kept this much longer than Teams' so that a small variation is harmless.
MARGIN_S = 0.05
MAX_WAIT_S = 10.0  # beyond this a send is put back (retrying) rather than waited for here
SLOW_DOWN = 0.9  # the tenant's pace after a 429
RECOVERY_PER_CALL = 0.05  # calls per second regained with each call
MIN_RATE = 1.0


class Paced(DeliveryDeferred):
    """Not sent now: the thread's (or the tenant's) limit is reached until `retry_after` s."""

    def __init__(self, thread: str, wait: float):
        super().__init__(
            f"held back by the bot to stay under Teams' rate limits (for {wait:.0f} s)",
            retry_after=wait,
        )
        self.thread = thread


class _Windows:
    """Reserved instants (seconds, increasing) of one key, checked against its windows."""

    def __init__(self, windows: Sequence[Window], margin: float):
        self.windows = tuple(windows)
        self.margin = margin
        span = max(w.seconds for w in self.windows) + margin
        self.span = span
        self.events: deque[float] = deque(maxlen=max(w.limit for w in self.windows))

    def earliest(self, now: float) -> float:
        """The first instant >= now (and >= the last reservation) one more call fits."""
        events = self.events
        when = max(now, events[-1]) if events else now
        for window in self.windows:
            if len(events) >= window.limit:
                # the limit-th latest call must have left the window
                when = max(when, events[-window.limit] + window.seconds + self.margin)
        return when

    def idle(self, now: float) -> bool:
        return not self.events or self.events[-1] < now - self.span


class Pace:
    def __init__(
        self,
        clock: Clock,
        *,
        per_thread: Sequence[Window] = PER_THREAD,
        tenant_rate: int = TENANT_RATE,
        margin: float = MARGIN_S,
        max_wait: float = MAX_WAIT_S,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ):
        if tenant_rate < 1:
            raise ValueError("tenant_rate must be at least 1 per second")
        self.clock = clock
        self.per_thread = tuple(per_thread)
        self.margin = margin
        self.max_wait = max_wait
        self.sleep = sleep
        self.tenant_rate = float(tenant_rate)
        self.rate = self.tenant_rate  # the tenant's pace now (slower after 429s)
        self._tenant_next = 0.0  # the tenant's next free instant
        self._slowed_at = float("-inf")
        self.throttles = 0  # 429s Teams answered
        self._threads: dict[str, _Windows] = {}
        self._deferred: dict[str, float] = {}  # thread -> not before (a 429's Retry-After)
        self.waited = 0.0  # seconds spent waiting for a slot (for the benchmark and metrics)
        self.put_back = 0  # calls answered with `Paced`

    def _now(self) -> float:
        return self.clock.now().timestamp()

    async def slot(self, thread: str) -> float:
        """Wait for a place for one call to `thread` (returns the seconds waited), or raise
        `Paced` when it is too far."""
        now = self._now()
        windows = self._threads.get(thread)
        if windows is None:
            windows = self._threads[thread] = _Windows(self.per_thread, self.margin)
        when = max(windows.earliest(now), self._tenant_next, self._deferred.get(thread, now))
        wait = when - now
        if wait > self.max_wait:
            self.put_back += 1
            log.info("pace.put_back", thread=thread, wait_s=round(wait, 1))
            raise Paced(thread, wait)
        windows.events.append(when)
        self._tenant_next = when + (1 + self.margin) / self.rate
        self.rate = min(self.tenant_rate, self.rate + RECOVERY_PER_CALL)
        self._forget_idle(now)
        if wait <= 0:
            return 0.0
        self.waited += wait
        await self.sleep(wait)
        return wait

    def rename(self, old: str, new: str) -> None:
        """`old` and `new` are one thread (a person's chat, once its id is known): counted as one."""
        if old == new or old not in self._threads:
            return
        moved = self._threads.pop(old)
        kept = self._threads.get(new)
        if kept is not None:
            merged = sorted([*kept.events, *moved.events])
            kept.events.clear()
            kept.events.extend(merged)
        else:
            self._threads[new] = moved
        if old in self._deferred:
            until = self._deferred.pop(old)
            self._deferred[new] = max(until, self._deferred.get(new, until))

    def throttled(self, thread: str, seconds: float | None) -> None:
        """Teams answered 429 for `thread`: nothing more to it before `seconds` from now, and the
        tenant's pace slows down."""
        now = self._now()
        self.throttles += 1
        until = now + max(1.0, seconds or 1.0)
        if until > self._deferred.get(thread, 0.0):
            self._deferred[thread] = until
        if now - self._slowed_at >= 1.0:  # one slow-down per burst of 429s
            self._slowed_at = now
            self.rate = max(MIN_RATE, self.rate * SLOW_DOWN)
        log.info("pace.throttled", thread=thread, retry_after_s=seconds, rate=round(self.rate, 1))

    def _forget_idle(self, now: float) -> None:
        """Threads quiet for longer than the longest window need no memory (bounded size)."""
        if len(self._threads) < 4096:
            return
        for key in [k for k, w in self._threads.items() if w.idle(now)]:
            del self._threads[key]
        for key in [k for k, until in self._deferred.items() if until < now]:
            del self._deferred[key]
