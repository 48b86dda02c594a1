"""Teams' bot rate limits as sliding windows, on an injectable clock.

https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
- "Per bot per thread limit" (a thread = a 1:1 chat, a group chat or a channel): send to
  conversation and create conversation each allow 7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per
  3,600 s.
- "The global limit per app per tenant is 50 Requests Per Second (RPS)" (older copies of the page
  say 30).
Over a limit Teams answers 429 `Throttled` with `Retry-After` (the status codes table). A refused
request does not count: it did not happen.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from copbot.clock import Clock, SystemClock


@dataclass(frozen=True, slots=True)
class Window:
    seconds: float
    limit: int


PER_BOT_PER_THREAD: tuple[Window, ...] = (
    Window(1, 7),
    Window(2, 8),
    Window(30, 60),
    Window(3600, 1800),
)
PER_APP_PER_TENANT: tuple[Window, ...] = (Window(1, 50),)


class SlidingWindows:
    """Counts events per key; `wait(key, now)` is how long until one more fits every window."""

    def __init__(self, windows: Sequence[Window]):
        if not windows:
            raise ValueError("at least one window")
        self.windows = tuple(windows)
        self._span = max(w.seconds for w in self.windows)
        self._events: dict[str, list[float]] = {}

    def wait(self, key: str, now: float) -> float:
        events = self._trimmed(key, now)
        longest = 0.0
        for window in self.windows:
            start = bisect_right(events, now - window.seconds)
            inside = len(events) - start
            if inside >= window.limit:
                # the oldest events must leave the window until one place is free
                frees_at = events[start + inside - window.limit] + window.seconds
                longest = max(longest, frees_at - now)
        return longest

    def record(self, key: str, now: float) -> None:
        self._events.setdefault(key, []).append(now)

    def _trimmed(self, key: str, now: float) -> list[float]:
        events = self._events.get(key)
        if not events:
            return []
        old = bisect_right(events, now - self._span)
        if old:
            del events[:old]
        return events


@dataclass
class TeamsRateLimits:
    """The per-thread and per-tenant limits together. `admit` counts the call and returns 0, or
    returns the seconds to wait (nothing counted)."""

    clock: Clock = field(default_factory=SystemClock)
    per_thread: Sequence[Window] = PER_BOT_PER_THREAD
    per_tenant: Sequence[Window] = PER_APP_PER_TENANT
    throttled: int = 0  # how many calls were refused
    _threads: dict[str, SlidingWindows] = field(default_factory=dict)  # by operation
    _tenant: SlidingWindows | None = None

    def admit(self, operation: str, thread: str, tenant: str = "") -> float:
        now = self.clock.now().timestamp()
        threads = self._threads.get(operation)
        if threads is None:
            threads = self._threads[operation] = SlidingWindows(self.per_thread)
        if self._tenant is None:
            self._tenant = SlidingWindows(self.per_tenant)
        wait = max(threads.wait(thread, now), self._tenant.wait(tenant, now))
        if wait > 0:
            self.throttled += 1
            return wait
        threads.record(thread, now)
        self._tenant.record(tenant, now)
        return 0.0


def retry_after_header(wait: float) -> str:
    """HTTP's Retry-After is whole seconds (RFC 9110 delay-seconds): round up, at least 1."""
    return str(max(1, math.ceil(wait)))
