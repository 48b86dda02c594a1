"""The outbox: work that must happen at least once, eventually, whatever fails in between.

A state change that implies outside work (a directory add, a message, a card update) writes an
outbox row *in the same transaction* (`enqueue`, with a unique dedupe key, so the same work is
never queued twice). Workers (`run_once`) claim due rows, run the handler registered for their
kind, and record the outcome:

- done: the handler returned;
- again later: it raised `Retry` or `DirectoryUnavailable` (or anything unexpected, logged with
  its traceback): the row waits `Retry-After` when the failure gave one, else the backoff of
  `copbot.work.policy.RetryPolicy` (the one retry policy of CoP Bot), and is tried again, also
  after a restart (the row is in the database);
- failed: it raised `PermanentFailure` / `DirectoryError`, or ran out of attempts; the reason
  is kept, the kind's `on_failed` hook runs in the same transaction, `copbot requests` shows it
  and `copbot retry` puts it back in the queue.

Claims are safe with several instances on one database: on PostgreSQL with
`SELECT ... FOR UPDATE SKIP LOCKED`; on SQLite (one writer at a time) with a single UPDATE that
takes the rows. A claim is a lease (`RetryPolicy.lease_seconds`, 30 s) that the worker renews
every `heartbeat_seconds` (10 s) while the handler runs (`copbot.work.lease.held`); a worker that
dies mid-item stops renewing, so its item is claimed again within about a minute (the periodic
job polls every 15 s). A handler may therefore run more than once and must be idempotent (the
directory's "already a member" is "done"; a card already recorded as sent is not sent again).
A worker that lost its lease while alive (frozen longer than the lease) sends nothing more for
that item: each send confirms the lease first (`copbot.work.lease.confirm`), and `LeaseLost`
ends the item here without recording an outcome (its new holder records it).

Time comes from the injected clock, so tests move a `FakeClock` and call `run_once()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.clock import Clock
from copbot.directory import DirectoryError, DirectoryUnavailable
from copbot.store import Database
from copbot.store.membership_models import OutboxItem
from copbot.store.results import rows_changed
from copbot.store.upsert import insert_ignore
from copbot.work.lease import LeaseLost, TrackedLease, held
from copbot.work.policy import RetryPolicy

log = structlog.get_logger(__name__)

PENDING, DONE, FAILED = "pending", "done", "failed"

Handler = Callable[[dict[str, Any]], Awaitable[None]]
# Called in the transaction that marks an item failed (to audit it, tell someone...).
FailureHook = Callable[[AsyncSession, dict[str, Any], str], Awaitable[None]]


class Retry(Exception):
    """A passing failure: try the item again later (after `after` seconds, when known)."""

    def __init__(self, reason: str, *, after: float | None = None):
        super().__init__(reason)
        self.after = after


class PermanentFailure(Exception):
    """Trying again will not help: mark the item failed with this reason."""


# How many due items one claim takes (and runs concurrently).
BATCH_SIZE = 20


@dataclass(frozen=True)
class _Kind:
    handler: Handler
    on_failed: FailureHook | None


class Outbox:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        policy: RetryPolicy | None = None,
        batch_size: int = BATCH_SIZE,
        owner: str | None = None,
    ):
        self.db = db
        self.clock = clock
        # The default: 20 attempts, 30 s doubling up to an hour (about a day before "failed"),
        # leases of 30 s renewed every 10 s while the handler runs.
        self.policy = policy or RetryPolicy()
        self.batch_size = batch_size
        self.owner = (owner or f"{socket.gethostname()[:24]}:{os.getpid()}:{uuid.uuid4().hex[:8]}")[
            :48
        ]
        self._kinds: dict[str, _Kind] = {}
        self._claims = itertools.count(1)
        self._runner: asyncio.Task[None] | None = None
        self._batches: set[asyncio.Future[Any]] = set()  # items being run, by anyone here
        self._claiming = 0  # claims under way here (their items are not in `_batches` yet)
        self._wanted = False
        self._closed = False

    # -- registration -----------------------------------------------------------------------
    def register(
        self, kind: str, handler: Handler, *, on_failed: FailureHook | None = None
    ) -> None:
        if kind in self._kinds:
            raise ValueError(f"outbox kind registered twice: {kind}")
        self._kinds[kind] = _Kind(handler, on_failed)

    @property
    def kinds(self) -> list[str]:
        return sorted(self._kinds)

    # -- writing ----------------------------------------------------------------------------
    async def enqueue(
        self,
        session: AsyncSession,
        kind: str,
        payload: dict[str, Any],
        dedupe_key: str,
        *,
        delay: timedelta | None = None,
    ) -> bool:
        """Queue work in the caller's transaction; False when that dedupe key was queued before."""
        now = self.clock.now()
        return await insert_ignore(
            session,
            OutboxItem.__table__,
            {
                "kind": kind,
                "payload": payload,
                "dedupe_key": dedupe_key[:200],
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": now + (delay or timedelta(0)),
                "created_at": now,
                "updated_at": now,
            },
            keys=["dedupe_key"],
        )

    # -- running ----------------------------------------------------------------------------
    def kick(self) -> None:
        """Run due work soon, in this process (after the caller's transaction committed)."""
        if self._closed:
            return
        self._wanted = True
        if self._runner is not None and not self._runner.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._runner = loop.create_task(self._run_while_wanted(), name="outbox-kick")

    async def _run_while_wanted(self) -> None:
        structlog.contextvars.clear_contextvars()  # this task's copy: not the turn that kicked it
        while self._wanted and not self._closed:
            self._wanted = False
            try:
                await self.run_pending()
            except Exception:  # the periodic job will try again; never crash the loop
                log.exception("outbox.kick_failed")

    async def run_pending(self, *, max_rounds: int = 50) -> int:
        """Run due items until none is left (bounded); returns how many were run."""
        total = 0
        for _ in range(max_rounds):
            ran = await self.run_once()
            total += ran
            if not ran:
                break
        return total

    async def run_once(self, limit: int | None = None) -> int:
        """Claim the items due now, run them (concurrently), record outcomes; returns the count."""
        if not self._kinds:
            return 0
        self._claiming += 1
        try:
            claimed = await self._claim(limit or self.batch_size)
        finally:
            self._claiming -= 1
        if claimed:
            batch = asyncio.ensure_future(
                asyncio.gather(*(self._run(item, token) for item, token in claimed))
            )
            self._batches.add(batch)
            batch.add_done_callback(self._batches.discard)
            await batch
        return len(claimed)

    async def drain(self) -> None:
        """Wait for kicked work, then run everything due (tests, the CLI)."""
        while True:
            if self._runner is not None and not self._runner.done():
                await asyncio.shield(self._runner)
            # batches claimed by others here (the periodic job) hold their items' leases
            await asyncio.gather(*list(self._batches), return_exceptions=True)
            ran = await self.run_once()
            if self._claiming:  # the periodic job is claiming: its batch is not visible yet
                await asyncio.sleep(0.01)
                continue
            if not ran and (self._runner is None or self._runner.done()) and not self._batches:
                return

    async def close(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - a bound on shutdown
        """Stop kicking; let the running batch finish (its leases would otherwise hold it)."""
        self._closed = True
        runner = self._runner
        if runner is not None and not runner.done():
            try:
                await asyncio.wait_for(asyncio.shield(runner), timeout)
            except TimeoutError:
                runner.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await runner

    # -- claiming ---------------------------------------------------------------------------
    def _due(self, now: datetime) -> Any:
        return and_(
            OutboxItem.status == PENDING,
            OutboxItem.next_attempt_at <= now,
            or_(OutboxItem.lease_until.is_(None), OutboxItem.lease_until <= now),
            OutboxItem.kind.in_(list(self._kinds)),
        )

    async def _claim(self, limit: int) -> list[tuple[OutboxItem, str]]:
        now = self.clock.now()
        token = f"{self.owner}/{next(self._claims)}"
        lease = {
            "lease_owner": token,
            "lease_until": self.policy.lease_end(now),
            "attempts": OutboxItem.attempts + 1,
            "updated_at": now,
        }
        due = (
            select(OutboxItem.id)
            .where(self._due(now))
            .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
            .limit(limit)
        )
        async with self.db.session() as session:
            if self.db.is_postgres:
                # Rows another worker holds are skipped, not waited for.
                ids = list((await session.scalars(due.with_for_update(skip_locked=True))).all())
                if not ids:
                    return []
                await session.execute(
                    update(OutboxItem).where(OutboxItem.id.in_(ids)).values(**lease)
                )
            else:
                # One statement: SQLite takes the write lock first, so no one else sees these
                # rows as due between our read and our write.
                result = await session.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id.in_(due), self._due(now))
                    .values(**lease)
                    .execution_options(synchronize_session=False)
                )
                if not rows_changed(result):
                    return []
            rows = (
                await session.scalars(
                    select(OutboxItem)
                    .where(OutboxItem.lease_owner == token)
                    .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
                )
            ).all()
        return [(row, token) for row in rows]

    # -- running one item -------------------------------------------------------------------
    async def _run(self, item: OutboxItem, token: str) -> None:
        kind = self._kinds[item.kind]
        bound = log.bind(outbox_id=item.id, kind=item.kind, attempt=item.attempts)
        try:
            async with held(_ItemLease(self, item.id, token), self.policy.heartbeat_seconds):
                await kind.handler(dict(item.payload))
        except LeaseLost:
            bound.warning("outbox.lease_lost_before_send")
        except (Retry, DirectoryUnavailable) as exc:
            hint = exc.after if isinstance(exc, Retry) else exc.retry_after
            await self._again(item, token, kind, _reason(exc), hint, bound)
        except (PermanentFailure, DirectoryError) as exc:
            await self._fail(item, token, kind, _reason(exc), bound)
        except Exception as exc:  # a bug or an unexpected outage: try again, within the limit
            bound.exception("outbox.handler_error")
            await self._again(item, token, kind, _reason(exc), None, bound)
        else:
            await self._finish(item, token, {"status": DONE, "done_at": self.clock.now()})
            bound.info("outbox.done")

    async def _again(
        self,
        item: OutboxItem,
        token: str,
        kind: _Kind,
        reason: str,
        hint: float | None,
        bound: Any,
    ) -> None:
        if item.attempts >= self.policy.max_attempts:
            await self._fail(
                item, token, kind, f"gave up after {item.attempts} attempts: {reason}", bound
            )
            return
        delay = self.policy.delay(item.attempts, hint)
        await self._finish(
            item,
            token,
            {"next_attempt_at": self.clock.now() + timedelta(seconds=delay), "last_error": reason},
        )
        bound.info("outbox.retry_later", delay_s=round(delay, 1), reason=reason[:200])

    async def _fail(
        self, item: OutboxItem, token: str, kind: _Kind, reason: str, bound: Any
    ) -> None:
        async def hook(session: AsyncSession) -> None:
            if kind.on_failed is not None:
                await kind.on_failed(session, dict(item.payload), reason)

        await self._finish(item, token, {"status": FAILED, "last_error": reason}, hook)
        bound.warning("outbox.failed", reason=reason[:200])

    async def _finish(
        self,
        item: OutboxItem,
        token: str,
        values: dict[str, Any],
        hook: Callable[[AsyncSession], Awaitable[None]] | None = None,
    ) -> None:
        """Record an outcome, only if we still hold the lease."""
        async with self.db.session() as session:
            result = await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item.id, OutboxItem.lease_owner == token)
                .values(lease_owner=None, lease_until=None, updated_at=self.clock.now(), **values)
                .execution_options(synchronize_session=False)
            )
            if not rows_changed(result):
                log.warning("outbox.lease_lost", outbox_id=item.id, kind=item.kind)
                return
            if hook is not None:
                await hook(session)

    async def renew(self, item_id: int, token: str) -> bool:
        """Extend the lease on an item this worker holds; False when another worker has it."""
        now = self.clock.now()
        async with self.db.session() as session:
            result = await session.execute(
                update(OutboxItem)
                .where(
                    OutboxItem.id == item_id,
                    OutboxItem.lease_owner == token,
                    OutboxItem.status == PENDING,
                )
                .values(lease_until=self.policy.lease_end(now))
                .execution_options(synchronize_session=False)
            )
            return bool(rows_changed(result))

    # -- reading and repair (copbot requests / copbot retry) --------------------------------
    async def items(
        self, statuses: Iterable[str] = (PENDING, FAILED), kinds: Sequence[str] | None = None
    ) -> list[OutboxItem]:
        query = (
            select(OutboxItem)
            .where(OutboxItem.status.in_(list(statuses)))
            .order_by(OutboxItem.created_at, OutboxItem.id)
        )
        if kinds:
            query = query.where(OutboxItem.kind.in_(list(kinds)))
        async with self.db.session() as session:
            return list((await session.scalars(query)).all())

    async def stats(self) -> tuple[dict[str, int], float]:
        """Items not done by status, and the age in seconds of the oldest one (for /metrics)."""
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    select(OutboxItem.status, func.count(), func.min(OutboxItem.created_at))
                    .where(OutboxItem.status.in_([PENDING, FAILED]))
                    .group_by(OutboxItem.status)
                )
            ).all()
        counts = {status: int(count) for status, count, _ in rows}
        # min() keeps the column's type: aware UTC datetimes on both backends.
        ages = [(self.clock.now() - first).total_seconds() for _, _, first in rows if first]
        return counts, max(ages, default=0.0)

    async def retry_failed(self, ids: Sequence[int] | None = None) -> list[int]:
        """Put failed items (these ids, or all) back in the queue, due now; returns their ids."""
        now = self.clock.now()
        condition = OutboxItem.status == FAILED
        if ids is not None:
            condition = and_(condition, OutboxItem.id.in_(list(ids)))
        async with self.db.session() as session:
            chosen = list((await session.scalars(select(OutboxItem.id).where(condition))).all())
            if chosen:
                await session.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id.in_(chosen), OutboxItem.status == FAILED)
                    .values(
                        status=PENDING,
                        attempts=0,
                        next_attempt_at=now,
                        lease_owner=None,
                        lease_until=None,
                        updated_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )
        return chosen


class _ItemLease(TrackedLease):
    def __init__(self, outbox: Outbox, item_id: int, token: str):
        super().__init__(outbox.clock, outbox.policy.heartbeat_seconds)
        self.outbox = outbox
        self.item_id = item_id
        self.token = token

    @property
    def what(self) -> str:
        return f"outbox:{self.item_id}"

    async def _extend(self) -> bool:
        return await self.outbox.renew(self.item_id, self.token)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:1000]
