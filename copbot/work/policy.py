"""When to try again: the one backoff formula and the one retry/lease policy of CoP Bot.

Every piece of work that is tried again uses these: the outbox (`copbot.work.outbox`), the meeting
post claims, in-process retries of Graph and Bot Framework calls, the bulk import.

- `backoff(attempt, ...)`: exponential, capped, with up to `jitter` (a fraction) added at random so
  that many clients recovering from one outage do not come back in step.
- `retry_delay(...)`: the service's own `Retry-After` when it gave one (never below a floor, so a
  "Retry-After: 0" is no hot loop), else the backoff.
- `RetryPolicy`: the above plus how many attempts before giving up, how long a claim (lease)
  on a piece of work lasts before another worker may take it over, and how often a worker renews
  it while the work runs (the heartbeat, `copbot.work.lease`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta


def backoff(
    attempt: int,
    *,
    base: float,
    cap: float,
    jitter: float = 0.1,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait after the `attempt`-th failed try (1 = the first): `base * 2**(attempt-1)`,
    at most `cap`, plus up to `jitter * delay` at random (never more than `cap`)."""
    if base < 0 or cap < 0 or jitter < 0:
        raise ValueError("backoff values must not be negative")
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    if jitter:
        delay = min(cap, delay * (1 + (rng or random).uniform(0, jitter)))
    return delay


@dataclass(frozen=True, slots=True)
class Backoff:
    """An exponential backoff: `base` seconds after the first failure, doubling up to `cap`."""

    base: float
    cap: float
    jitter: float = 0.1

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        return backoff(attempt, base=self.base, cap=self.cap, jitter=self.jitter, rng=rng)


def retry_delay(
    attempt: int,
    hint: float | None,
    schedule: Backoff,
    *,
    floor: float = 1.0,
    rng: random.Random | None = None,
) -> float:
    """The wait before the next try: the service's `Retry-After` (`hint`) when given, else the
    backoff for this attempt; never below `floor`."""
    if hint is not None:
        return max(floor, hint)
    return max(floor, schedule.delay(attempt, rng))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How persisted background work is retried and leased."""

    max_attempts: int = 20  # with the default backoff: about a day of trying before "failed"
    schedule: Backoff = field(default_factory=lambda: Backoff(base=30.0, cap=3600.0))
    min_delay: float = 1.0  # even a "Retry-After: 0" waits this long
    # A claim not renewed for this long may be taken over: with the heartbeat below and the
    # outbox polled every 15 s, a killed worker's work is taken over within about 45 s.
    lease_seconds: float = 30.0
    heartbeat_seconds: float = 10.0  # renewal while the work runs (two beats may be missed)

    def __post_init__(self) -> None:
        if not 0 < self.heartbeat_seconds < self.lease_seconds:
            raise ValueError("the heartbeat must come well within the lease")

    def lease_end(self, now: datetime) -> datetime:
        """Until when a claim made (or renewed) at `now` is held."""
        return now + timedelta(seconds=self.lease_seconds)

    def delay(self, attempts: int, hint: float | None = None) -> float:
        return retry_delay(attempts, hint, self.schedule, floor=self.min_delay)
