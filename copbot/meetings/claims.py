"""Exactly-once posts: each (CoP, kind, occurrence, recipient) is claimed in the database first.

    claimed --send ok--> sent
       |  \\--send raised--> failed --(backoff, meeting not started)--> claimed again
       \\--lease expired (the sender died mid-send)--> skipped "outcome_unknown"
    (no row / failed) --meeting started--> skipped "meeting_started"

- The claim is an INSERT ... ON CONFLICT DO NOTHING on the unique key: of two instances (or a
  tick and `copbot meetings post-now`) exactly one inserts the row and sends.
- A claim's lease is short (30 s) and renewed every 10 s while the send runs
  (`ClaimLease` under `copbot.work.lease.held`), so a row left "claimed" past its lease means the
  process that claimed it stopped between the claim and recording the outcome; the next tick of
  any instance settles it within about a minute. Whether Teams received the post is unknown, so it is *not* sent again
  (a missing post is visible in `copbot meetings list` and can be sent with `post-now --again`;
  a duplicate in a channel of hundreds of people cannot be taken back). It is marked skipped with
  the reason and logged as a warning.
- A send that raised (connector 5xx, bot not installed in the team, no channel configured) is a
  failure we know about: tried again while the meeting has not started, after the backoff of the
  one retry policy (`copbot.work.policy`, the outbox's too: exponential with jitter, the service's
  Retry-After when given). The meeting's start is the deadline, not a number of attempts.
- Every transition is a compare-and-set UPDATE (WHERE status/attempts/claimed_by match), so two
  instances never both move a row.

## A claim or the outbox?

Both take work with a lease from the same `RetryPolicy` and retry with the same backoff; they
differ in what happens when a worker dies holding the lease:

- the outbox (`copbot.work.outbox`) runs the item again: at least once, so its handlers must be
  idempotent (a Graph add is: "already a member" is success). Use it for work that can be
  repeated safely or whose target deduplicates, and that has no deadline.
- a claim records "outcome_unknown" and does not send again: at most once. Use it for a message
  that cannot be taken back and that the receiver cannot deduplicate (a new thread in a channel:
  Teams has no "send only if not sent yet"), or work that is worthless after a deadline (a
  meeting announcement after the meeting started).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.clock import Clock
from copbot.store.db import Database
from copbot.store.meetings_models import MeetingPost
from copbot.store.results import rows_changed
from copbot.store.upsert import insert_ignore
from copbot.work.lease import TrackedLease
from copbot.work.policy import Backoff, RetryPolicy

CLAIMED, SENT, FAILED, SKIPPED = "claimed", "sent", "failed", "skipped"
# A minute after the first failure, doubling up to an hour (the outbox starts at 30 s: a channel
# post is rarer and less urgent); leases of the one policy (30 s, renewed every 10 s).
POLICY = RetryPolicy(schedule=Backoff(base=60.0, cap=3600.0))
LEASE = timedelta(seconds=POLICY.lease_seconds)


@dataclass(frozen=True)
class PostKey:
    cop_id: str
    kind: str
    occurrence_id: str
    recipient: str = ""  # "" = the CoP's channel; else the person's id

    def where(self) -> ColumnElement[bool]:
        return (
            (MeetingPost.cop_id == self.cop_id)
            & (MeetingPost.kind == self.kind)
            & (MeetingPost.occurrence_id == self.occurrence_id)
            & (MeetingPost.recipient == self.recipient)
        )


@dataclass(frozen=True)
class Claim:
    id: int
    key: PostKey
    attempts: int
    taken_over: bool = False  # a retry of a failed send


def retry_at(
    attempts: int, *, now: datetime, hint: float | None = None, policy: RetryPolicy = POLICY
) -> datetime:
    """When a post that failed `attempts` times may be tried again (`hint`: a Retry-After)."""
    return now + timedelta(seconds=policy.delay(attempts, hint))


def lease_end(now: datetime, policy: RetryPolicy = POLICY) -> datetime:
    return policy.lease_end(now)


class ClaimLease(TrackedLease):
    """The lease of a claim being sent, for `copbot.work.lease.held` (renewed while the send
    runs, confirmed before it)."""

    def __init__(
        self, db: Database, claim: Claim, instance: str, clock: Clock, policy: RetryPolicy = POLICY
    ):
        super().__init__(clock, policy.heartbeat_seconds)
        self.db = db
        self.claim = claim
        self.instance = instance
        self.clock = clock
        self.policy = policy

    @property
    def what(self) -> str:
        return f"meeting_post:{self.claim.id}"

    async def _extend(self) -> bool:
        async with self.db.session() as session:
            result = await session.execute(
                update(MeetingPost)
                .where(
                    (MeetingPost.id == self.claim.id)
                    & (MeetingPost.status == CLAIMED)
                    & (MeetingPost.claimed_by == self.instance)
                    & (MeetingPost.attempts == self.claim.attempts)
                )
                .values(lease_until=lease_end(self.clock.now(), self.policy))
            )
        return rows_changed(result) == 1


async def get(db: Database, key: PostKey) -> MeetingPost | None:
    async with db.session() as session:
        return await session.scalar(select(MeetingPost).where(key.where()))


async def _insert_new(
    session: AsyncSession,
    key: PostKey,
    *,
    status: str,
    due_at: datetime,
    now: datetime,
    instance: str,
    lease_until: datetime | None = None,
    attempts: int = 0,
    reason: str = "",
) -> bool:
    """The post's row, unless it exists already (then False: another instance was first)."""
    return await insert_ignore(
        session,
        MeetingPost.__table__,
        {
            "cop_id": key.cop_id,
            "kind": key.kind,
            "occurrence_id": key.occurrence_id,
            "recipient": key.recipient,
            "status": status,
            "due_at": due_at,
            "claimed_at": now,
            "claimed_by": instance,
            "lease_until": lease_until,
            "attempts": attempts,
            "next_attempt_at": None,
            "sent_at": None,
            "reason": reason,
            "conversation_id": "",
            "activity_id": "",
            "service_url": "",
        },
        keys=["cop_id", "kind", "occurrence_id", "recipient"],
    )


async def claim(
    db: Database,
    key: PostKey,
    *,
    due_at: datetime,
    now: datetime,
    instance: str,
    policy: RetryPolicy = POLICY,
) -> Claim | None:
    """This instance's claim on the post, or None when another has it or it is settled."""
    async with db.session() as session:
        inserted = await _insert_new(
            session,
            key,
            status=CLAIMED,
            due_at=due_at,
            now=now,
            instance=instance,
            lease_until=lease_end(now, policy),
            attempts=1,
        )
        row = await session.scalar(select(MeetingPost).where(key.where()))
    if row is None:  # pragma: no cover - the row exists after the insert
        return None
    if inserted:
        return Claim(row.id, key, 1)
    if row.status == FAILED and (row.next_attempt_at is None or row.next_attempt_at <= now):
        async with db.session() as session:
            result = await session.execute(
                update(MeetingPost)
                .where(
                    (MeetingPost.id == row.id)
                    & (MeetingPost.status == FAILED)
                    & (MeetingPost.attempts == row.attempts)
                )
                .values(
                    status=CLAIMED,
                    claimed_at=now,
                    claimed_by=instance,
                    lease_until=lease_end(now, policy),
                    attempts=row.attempts + 1,
                )
            )
        if rows_changed(result) == 1:
            return Claim(row.id, key, row.attempts + 1, taken_over=True)
    return None


async def force_claim(
    db: Database,
    key: PostKey,
    *,
    due_at: datetime,
    now: datetime,
    instance: str,
    policy: RetryPolicy = POLICY,
) -> Claim | None:
    """A claim even on a settled post (an admin's `post-now --again`); None while one is sending."""
    fresh = await claim(db, key, due_at=due_at, now=now, instance=instance, policy=policy)
    if fresh is not None:
        return fresh
    row = await get(db, key)
    if row is None or (row.status == CLAIMED and row.lease_until and row.lease_until > now):
        return None
    async with db.session() as session:
        result = await session.execute(
            update(MeetingPost)
            .where(
                (MeetingPost.id == row.id)
                & (MeetingPost.status == row.status)
                & (MeetingPost.attempts == row.attempts)
            )
            .values(
                status=CLAIMED,
                claimed_at=now,
                claimed_by=instance,
                lease_until=lease_end(now, policy),
                attempts=row.attempts + 1,
            )
        )
    return Claim(row.id, key, row.attempts + 1, True) if rows_changed(result) == 1 else None


async def mark_sent(
    db: Database,
    claim_: Claim,
    *,
    now: datetime,
    instance: str,
    conversation_id: str,
    activity_id: str,
    service_url: str,
) -> None:
    # Recorded even if the lease expired meanwhile (a slow send that did succeed): the truth wins.
    async with db.session() as session:
        await session.execute(
            update(MeetingPost)
            .where((MeetingPost.id == claim_.id) & (MeetingPost.claimed_by == instance))
            .values(
                status=SENT,
                sent_at=now,
                lease_until=None,
                reason="",
                conversation_id=conversation_id[:512],
                activity_id=activity_id[:200],
                service_url=service_url[:512],
            )
        )


async def mark_failed(
    db: Database,
    claim_: Claim,
    *,
    now: datetime,
    instance: str,
    reason: str,
    hint: float | None = None,
    policy: RetryPolicy = POLICY,
) -> datetime:
    """Record a failed send; returns when it may be tried again."""
    again = retry_at(claim_.attempts, now=now, hint=hint, policy=policy)
    async with db.session() as session:
        await session.execute(
            update(MeetingPost)
            .where(
                (MeetingPost.id == claim_.id)
                & (MeetingPost.claimed_by == instance)
                & (MeetingPost.status == CLAIMED)
            )
            .values(status=FAILED, lease_until=None, next_attempt_at=again, reason=reason[:200])
        )
    return again


async def mark_skipped(db: Database, claim_: Claim, *, instance: str, reason: str) -> None:
    async with db.session() as session:
        await session.execute(
            update(MeetingPost)
            .where((MeetingPost.id == claim_.id) & (MeetingPost.claimed_by == instance))
            .values(status=SKIPPED, lease_until=None, reason=reason[:200])
        )


async def release(db: Database, claim_: Claim, *, instance: str) -> None:
    """Give a claim up as if it had never been made (nothing was sent)."""
    async with db.session() as session:
        await session.execute(
            delete(MeetingPost).where(
                (MeetingPost.id == claim_.id) & (MeetingPost.claimed_by == instance)
            )
        )


async def settle_missed(
    db: Database, key: PostKey, *, due_at: datetime, now: datetime, instance: str, reason: str
) -> str | None:
    """Record a post that can no longer be sent (its meeting started). Returns the reason recorded,
    or None when there was nothing to record (already sent/skipped, or being sent right now)."""
    async with db.session() as session:
        inserted = await _insert_new(
            session,
            key,
            status=SKIPPED,
            due_at=due_at,
            now=now,
            instance=instance,
            reason=reason[:200],
        )
        if inserted:
            return reason
        row = await session.scalar(select(MeetingPost).where(key.where()))
        if row is None or row.status in (SENT, SKIPPED):
            return None
        if row.status == CLAIMED and row.lease_until and row.lease_until > now:
            return None  # someone is sending it this instant; they record the outcome
        why = (
            f"{reason} (last error: {row.reason})"
            if row.status == FAILED
            else f"outcome_unknown: {row.claimed_by} stopped while sending"
        )
        result = await session.execute(
            update(MeetingPost)
            .where(
                (MeetingPost.id == row.id)
                & (MeetingPost.status == row.status)
                & (MeetingPost.attempts == row.attempts)
            )
            .values(status=SKIPPED, lease_until=None, reason=why[:200])
        )
    return why if rows_changed(result) == 1 else None


async def expire_stale(db: Database, key: PostKey, *, now: datetime) -> MeetingPost | None:
    """A claim whose lease expired before its outcome was recorded: settle it as skipped."""
    row = await get(db, key)
    if row is None or row.status != CLAIMED or not row.lease_until or row.lease_until > now:
        return None
    async with db.session() as session:
        result = await session.execute(
            update(MeetingPost)
            .where(
                (MeetingPost.id == row.id)
                & (MeetingPost.status == CLAIMED)
                & (MeetingPost.claimed_by == row.claimed_by)
                & (MeetingPost.attempts == row.attempts)
            )
            .values(
                status=SKIPPED,
                lease_until=None,
                reason=f"outcome_unknown: {row.claimed_by} stopped while sending"[:200],
            )
        )
    return row if rows_changed(result) == 1 else None


async def posts_of(db: Database, occurrence_ids: list[str]) -> list[MeetingPost]:
    if not occurrence_ids:
        return []
    async with db.session() as session:
        rows = await session.scalars(
            select(MeetingPost).where(MeetingPost.occurrence_id.in_(occurrence_ids))
        )
        return list(rows)
