"""Which posts an occurrence gets, and when (pure).

- announcement: in the CoP's channel, `announce_days` before the start.
- reminder (optional): in the channel on the day, at 08:00 local, or one hour before a meeting that
  starts earlier than 09:00.
- digest: to each focal point, `digest_hours` before the start, with the questions sent in advance.
- notice: a practice area's series only: the announcement in the chat of each person following the
  series, at the announcement's time (someone who follows later gets it then, until the start).

A post is *due* from its time until the meeting starts; a post whose time passed while no instance
was running is sent late when the meeting has not started yet. Once the meeting has started a
post that was never sent is *missed*: it is recorded as skipped (and logged), never sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from copbot.meetings.occurrences import Occurrence

ANNOUNCEMENT, REMINDER, DIGEST, NOTICE = "announcement", "reminder", "digest", "notice"
KINDS = (ANNOUNCEMENT, REMINDER, DIGEST)  # what `post-now` takes; a notice goes with its series
REMINDER_LOCAL_HOUR = 8


@dataclass(frozen=True)
class PostPolicy:
    announce_days: float = 7
    digest_hours: float = 24
    day_reminder: bool = False

    def kinds(self) -> tuple[str, ...]:
        return KINDS if self.day_reminder else (ANNOUNCEMENT, DIGEST)

    @property
    def longest_lead(self) -> timedelta:
        return max(timedelta(days=self.announce_days), timedelta(hours=self.digest_hours))


@dataclass(frozen=True)
class PlannedPost:
    kind: str
    occurrence: Occurrence
    due_at: datetime


def due_at(kind: str, occurrence: Occurrence, policy: PostPolicy) -> datetime:
    starts = occurrence.starts_at
    if kind in (ANNOUNCEMENT, NOTICE):
        return starts - timedelta(days=policy.announce_days)
    if kind == DIGEST:
        return starts - timedelta(hours=policy.digest_hours)
    if kind == REMINDER:
        local = occurrence.local_start
        morning = local.replace(hour=REMINDER_LOCAL_HOUR, minute=0, second=0, microsecond=0)
        return min(morning.astimezone(starts.tzinfo), starts - timedelta(hours=1))
    raise ValueError(f"unknown post kind {kind!r}")


def planned_posts(occurrence: Occurrence, policy: PostPolicy) -> list[PlannedPost]:
    if occurrence.skipped:
        return []
    kinds = (*policy.kinds(), NOTICE) if occurrence.series else policy.kinds()
    return [PlannedPost(k, occurrence, due_at(k, occurrence, policy)) for k in kinds]


def due_posts(
    occurrences: Iterable[Occurrence], now: datetime, policy: PostPolicy
) -> list[PlannedPost]:
    """Posts whose time has come for meetings that have not started, oldest first."""
    due = [
        post
        for occ in occurrences
        if occ.starts_at > now
        for post in planned_posts(occ, policy)
        if post.due_at <= now
    ]
    return sorted(due, key=lambda p: (p.due_at, p.occurrence.starts_at, p.kind))


def missed_posts(
    occurrences: Iterable[Occurrence], now: datetime, policy: PostPolicy
) -> list[PlannedPost]:
    """Posts of meetings that have started (the caller looks back a bounded time)."""
    return [
        post for occ in occurrences if occ.starts_at <= now for post in planned_posts(occ, policy)
    ]
