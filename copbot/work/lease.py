"""Leases on claimed work: short, renewed by a heartbeat while the work runs, confirmed before a send.

A worker that claims a piece of work (an outbox item, a meeting post) holds it for
`RetryPolicy.lease_seconds` (30 s). While the work runs, `held(lease)` renews it every
`RetryPolicy.heartbeat_seconds` (10 s), so slow work keeps its lease and a killed worker's lease
runs out within half a minute: another instance takes the work over at its next poll (the outbox
job runs every 15 s), within about a minute of the crash.

A lease can still be lost by a worker that is alive: stopped for longer than the lease (a paused
VM, a process frozen, the database out of reach) while another instance took its work over. Such
a worker must not do the work a second time, so every send confirms the lease first
(`confirm()`, called by `copbot.work.paced_notifier.PacedNotifier` right before the call to
Teams): a lease renewed less than a heartbeat ago is ours for 20 s more whatever happens (no
database call), an older one is renewed there and then; a renewal that finds the lease gone
raises `LeaseLost` and nothing is sent; the outbox then records nothing either (the new holder
does). What no lease can close is the instant between
Teams taking a message and the worker writing that down: Teams' activity POST takes no
idempotency key, so a worker killed right then leaves a message that the next holder sends again
(CONTRIBUTING.md, "The outbox or a claim?").
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Protocol

import structlog

from copbot.clock import Clock

log = structlog.get_logger(__name__)


class LeaseLost(Exception):
    """Another worker holds this work now: stop without doing or recording anything."""


class Renewable(Protocol):
    @property
    def what(self) -> str:
        """For logs: "outbox:12", "meeting_post:3"."""
        ...

    def fresh(self) -> bool:
        """Renewed (or claimed) less than a heartbeat ago by this worker's clock: still ours for
        at least lease - heartbeat seconds, whatever another worker does."""
        ...

    async def renew(self) -> bool:
        """Extend the lease; False when it is no longer ours."""
        ...


class Freshness:
    """When the lease was last known ours, on the worker's clock (for `Renewable.fresh`)."""

    def __init__(self, clock: Clock, heartbeat: float):
        self.clock = clock
        self.heartbeat = timedelta(seconds=heartbeat)
        self.renewed_at = clock.now()  # made at the claim

    def fresh(self) -> bool:
        return self.clock.now() - self.renewed_at < self.heartbeat

    def renewed(self) -> None:
        self.renewed_at = self.clock.now()


class TrackedLease(ABC):
    """A `Renewable` that remembers when it was last renewed (its `fresh`): a subclass says what it
    leases (`what`) and how to extend the lease in the database (`_extend`)."""

    def __init__(self, clock: Clock, heartbeat: float):
        self._freshness = Freshness(clock, heartbeat)

    @property
    @abstractmethod
    def what(self) -> str: ...

    @abstractmethod
    async def _extend(self) -> bool:
        """Extend the lease if it is still this worker's; False when it is not."""

    def fresh(self) -> bool:
        return self._freshness.fresh()

    async def renew(self) -> bool:
        if ours := await self._extend():
            self._freshness.renewed()
        return ours


_current: ContextVar[Renewable | None] = ContextVar("copbot_lease", default=None)


@contextlib.asynccontextmanager
async def held(lease: Renewable, every: float) -> AsyncIterator[None]:
    """Run the block holding `lease`: renewed every `every` seconds, confirmable by `confirm()`."""
    token = _current.set(lease)
    beat = asyncio.create_task(_heartbeat(lease, every), name=f"lease-{lease.what}")
    try:
        yield
    finally:
        beat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beat
        _current.reset(token)


async def _heartbeat(lease: Renewable, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            if not await lease.renew():
                log.warning("lease.lost", work=lease.what)
                return
        except Exception:  # the database out of reach: the next beat (or confirm) tries again
            log.warning("lease.renew_failed", work=lease.what, exc_info=True)


async def confirm() -> None:
    """Before an action that must not happen twice: the lease of the running work (if any) is
    still ours (renewed less than a heartbeat ago, or renewed now); else `LeaseLost`."""
    lease = _current.get()
    if lease is None or lease.fresh():
        return
    if not await lease.renew():
        log.warning("lease.lost_before_send", work=lease.what)
        raise LeaseLost(f"{lease.what}: the lease was taken over by another worker")
