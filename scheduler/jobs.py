"""The background jobs of the core: the outbox (queued work, retries) and the retention purge."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from copbot.clock import Clock
from copbot.metrics import Metrics
from copbot.retention import RetentionPolicy, purge
from copbot.store import Database
from copbot.work.outbox import Outbox
from scheduler.runner import Job

__all__ = ["OUTBOX_INTERVAL_S", "outbox_job", "outbox_metrics", "retention_job"]


# With leases of 30 s (copbot/work/policy.py), a killed instance's work is taken over within
# about 45 s.
OUTBOX_INTERVAL_S = 15


def outbox_job(outbox: Outbox) -> Job:
    """Queued work is also run when nobody kicks it (after a restart, for retries)."""
    soon = datetime.now(UTC) + timedelta(seconds=2)  # after a restart, pick up queued work at once
    return Job(
        "outbox",
        outbox.run_pending,
        IntervalTrigger(seconds=OUTBOX_INTERVAL_S, start_date=soon),
        misfire_grace_time=None,
    )


def outbox_metrics(outbox: Outbox) -> Callable[[Metrics], Awaitable[None]]:
    async def refresh(metrics: Metrics) -> None:
        counts, oldest = await outbox.stats()
        for status in ("pending", "failed"):
            metrics.outbox_depth.labels(status=status).set(counts.get(status, 0))
        metrics.outbox_oldest_seconds.set(oldest)

    return refresh


def retention_job(db: Database, clock: Clock, policy: RetentionPolicy) -> Job:
    async def run() -> None:
        await purge(db, clock.now(), policy)

    # Daily at 03:17 UTC: out of office hours in Nairobi, and not on the hour other jobs favour.
    return Job("retention.purge", run, CronTrigger(hour=3, minute=17, timezone="UTC"), 3600)
