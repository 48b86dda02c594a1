"""Background jobs on APScheduler's AsyncIOScheduler.

Each instance schedules from memory (APScheduler 3 job stores must not be shared between
processes); the database decides which instance acts (claims, row locks, the outbox).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    func: Callable[[], Awaitable[Any]]
    trigger: BaseTrigger
    # A run missed while the process was busy or down: how late it may still start (seconds).
    misfire_grace_time: int | None = 60
    coalesce: bool = True

    @classmethod
    def every(cls, job_id: str, seconds: float, func: Callable[[], Awaitable[Any]]) -> Job:
        return cls(job_id, func, IntervalTrigger(seconds=seconds), misfire_grace_time=None)


class JobRunner:
    def __init__(self) -> None:
        self.scheduler = AsyncIOScheduler(timezone="UTC")

    def add(self, job: Job) -> None:
        self.scheduler.add_job(
            _guarded(job),
            job.trigger,
            id=job.id,
            replace_existing=True,
            max_instances=1,
            misfire_grace_time=job.misfire_grace_time,
            coalesce=job.coalesce,
        )

    def start(self) -> None:
        if not self.scheduler.running:
            self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def job_ids(self) -> list[str]:
        return [job.id for job in self.scheduler.get_jobs()]


def _guarded(job: Job) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        try:
            await job.func()
        except Exception:  # a failing job must not stop the scheduler; it runs again next time
            log.exception("job.failed", job_id=job.id)

    return run
