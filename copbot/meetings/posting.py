"""Posting: what is due is sent once (the tick, `post-now`, change notices), through a claim per post
(`claims`), and what can no longer be sent is recorded with its reason.

Kinds: announcement and reminder in the channel of the occurrence's series (a practice area's
own channel, else the CoP's), the digest to each focal point, the notice to each follower of a
practice area's series (`schedule`), and "change:<sequence>" notices in the announcement's channel thread when an
announced meeting is skipped, moved or restored (`editing` asks for them). Each outcome is counted in
`copbot_meeting_posts{kind, outcome}` and logged with the post's ids.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta
from typing import Any

import structlog

from copbot.catalog import Catalog, Community
from copbot.clock import Clock
from copbot.meetings import claims
from copbot.meetings.calendar import Calendar
from copbot.meetings.claims import CLAIMED, FAILED, Claim, PostKey
from copbot.meetings.failures import NotSendable, log_send_failure, reason_of
from copbot.meetings.occurrences import Occurrence
from copbot.meetings.ports import MeetingCards
from copbot.meetings.questions import Questions
from copbot.meetings.recipients import Followers, person_lang, recipients
from copbot.meetings.schedule import (
    ANNOUNCEMENT,
    DIGEST,
    NOTICE,
    REMINDER,
    PlannedPost,
    PostPolicy,
    due_at,
    due_posts,
    missed_posts,
)
from copbot.meetings.series import Followers as FollowerStore
from copbot.meetings.values import CHANGE, MeetingsError, PostView, TickReport
from copbot.metrics import Metrics
from copbot.notifier import Notifier, SentMessage
from copbot.store import Database
from copbot.store.meetings_models import MeetingPost
from copbot.work.lease import LeaseLost, held
from copbot.work.policy import RetryPolicy

log = structlog.get_logger(__name__)

# A post sent this long after its time was missed (the app was down), not just the tick's delay.
LATE_AFTER_MINUTES = 5


def instance_id() -> str:
    """Who holds a claim: host, process and a random tail (two runs of one pid differ)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class Settled(Exception):
    """Nothing to send, for good (a digest without questions)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Posting:
    def __init__(
        self,
        *,
        db: Database,
        catalog: Catalog,
        clock: Clock,
        calendar: Calendar,
        questions: Questions,
        notifier: Notifier,
        metrics: Metrics,
        cards: MeetingCards,
        policy: PostPolicy,
        base_url: str,
        followers: FollowerStore,
        retry: RetryPolicy = claims.POLICY,
        instance: str | None = None,
    ):
        self.db = db
        self.catalog = catalog
        self.clock = clock
        self.calendar = calendar
        self.questions = questions
        self.notifier = notifier
        self.metrics = metrics
        self.cards = cards
        self.policy = policy
        self.base_url = base_url  # links in cards (the calendar feeds)
        self.followers = followers
        self.retry = retry
        self.instance = instance or instance_id()

    # -- reading ----------------------------------------------------------------------------
    def post_time(self, kind: str, occurrence: Occurrence) -> datetime:
        return due_at(kind, occurrence, self.policy)

    async def posts(self, occurrence_ids: list[str]) -> dict[str, list[PostView]]:
        """The posts made (or tried) for these occurrences, by occurrence id."""
        grouped: dict[str, list[PostView]] = {}
        for row in await claims.posts_of(self.db, occurrence_ids):
            grouped.setdefault(row.occurrence_id, []).append(PostView.of(row))
        return grouped

    # -- the tick ---------------------------------------------------------------------------
    async def tick(self) -> TickReport:
        """Send what is due now (by the clock); record what can no longer be sent."""
        now = self.clock.now()
        lookback = max(self.policy.longest_lead, timedelta(days=1))
        occurrences = await self.calendar.occurrences(
            now - lookback, now + self.policy.longest_lead + timedelta(days=1)
        )
        report = TickReport()
        known = {
            (r.kind, r.occurrence_id, r.recipient): r
            for r in await claims.posts_of(self.db, [o.id for o in occurrences])
        }
        followers = await self.followers.all() if any(o.series for o in occurrences) else {}
        for post in due_posts(occurrences, now, self.policy):
            if self._open(post, known, now, followers):
                await self.deliver(post, report, now=now, followers=followers)
        for post in missed_posts(occurrences, now, self.policy):
            if self._open(post, known, now, followers):
                await self._settle_missed(post, report, now=now, followers=followers)
        if report.sent or report.failed or report.skipped:
            log.info(
                "meetings.tick",
                sent=len(report.sent),
                failed=len(report.failed),
                skipped=len(report.skipped),
            )
        return report

    def _open(
        self,
        post: PlannedPost,
        known: dict[tuple[str, str, str], MeetingPost],
        now: datetime,
        followers: Followers,
    ) -> bool:
        """Worth a database round trip: not settled, not waiting for a retry or a lease."""
        for recipient in recipients(post.kind, post.occurrence, self.catalog, followers):
            row = known.get((post.kind, post.occurrence.id, recipient))
            if row is None or (
                row.status == FAILED and (row.next_attempt_at is None or row.next_attempt_at <= now)
            ):
                return True
            if row.status == CLAIMED and (row.lease_until is None or row.lease_until <= now):
                return True
            if post.occurrence.starts_at <= now and row.status in (FAILED, CLAIMED):
                return True
        return False

    async def post_now(
        self,
        cop_id: str,
        kind: str = ANNOUNCEMENT,
        ref: str | None = "next",
        *,
        again: bool = False,
        series: str = "",
    ) -> TickReport:
        """Post one kind for an occurrence now, whatever its time (`copbot meetings post-now`).

        Still exactly once: a post already sent is not sent again unless `again` is given.
        """
        occ = await self.calendar.resolve(cop_id, ref, series=series)
        if occ.skipped:
            raise MeetingsError("meetings_is_skipped", when=occ.id)
        report = TickReport()
        post = PlannedPost(kind, occ, due_at(kind, occ, self.policy))
        await self.deliver(post, report, now=self.clock.now(), force=again)
        return report

    async def post_change(self, occ: Occurrence) -> TickReport:
        """The channel notice that an announced occurrence was skipped, moved or restored (one
        per change: the kind carries the occurrence's sequence)."""
        report = TickReport()
        now = self.clock.now()
        await self.deliver(PlannedPost(f"{CHANGE}:{occ.sequence}", occ, now), report, now=now)
        return report

    # -- one post ---------------------------------------------------------------------------
    async def _followers(self, post: PlannedPost) -> Followers:
        occ = post.occurrence
        if post.kind != NOTICE or not occ.series:
            return {}
        return {(occ.cop_id, occ.series): await self.followers.of_series(occ.cop_id, occ.series)}

    async def deliver(
        self,
        post: PlannedPost,
        report: TickReport,
        *,
        now: datetime,
        force: bool = False,
        followers: Followers | None = None,
    ) -> None:
        """Claim the post for each recipient and send it (nothing when another instance has it)."""
        occ = post.occurrence
        if followers is None:
            followers = await self._followers(post)
        for recipient in recipients(post.kind, occ, self.catalog, followers):
            key = PostKey(occ.cop_id, post.kind, occ.id, recipient)
            take = claims.force_claim if force else claims.claim
            claim = await take(
                self.db, key, due_at=post.due_at, now=now, instance=self.instance, policy=self.retry
            )
            if claim is None:
                stale = await claims.expire_stale(self.db, key, now=now)
                if stale is not None:
                    self._skipped(
                        report, key, "meetings.post_outcome_unknown", claimed_by=stale.claimed_by
                    )
                continue
            await self._send(claim, occ, report, now=now)

    async def _send(
        self, claim: Claim, occ: Occurrence, report: TickReport, *, now: datetime
    ) -> None:
        key = claim.key
        community = self.catalog.get(occ.cop_id)
        try:
            if community is None:
                raise NotSendable("unknown_cop")
            lease = claims.ClaimLease(self.db, claim, self.instance, self.clock, self.retry)
            async with held(lease, self.retry.heartbeat_seconds):
                sent = await self._post(key, occ, community)
        except LeaseLost:  # another instance settled it while this one was stopped: not sent
            log.warning("meetings.post_lease_lost", cop_id=key.cop_id, kind=key.kind)
            return
        except Settled as settled:
            if now < self.post_time(key.kind, occ) and not claim.taken_over:
                # Early (`post-now`): nothing to post yet, but the post at its time stays open.
                await claims.release(self.db, claim, instance=self.instance)
            else:
                await claims.mark_skipped(
                    self.db, claim, instance=self.instance, reason=settled.reason
                )
            self._skipped(report, key, "meetings.post_skipped", warn=False, reason=settled.reason)
            return
        except Exception as exc:  # every failure of a send is retried (with backoff) until start
            await self._failed(claim, exc, report, now=now)
            return
        await claims.mark_sent(
            self.db,
            claim,
            now=self.clock.now(),
            instance=self.instance,
            conversation_id=sent.conversation_id,
            activity_id=sent.activity_id,
            service_url=sent.service_url,
        )
        report.sent.append(_label(key))
        late_minutes = (
            0
            if key.kind.startswith(CHANGE)
            else int((now - self.post_time(key.kind, occ)).total_seconds() // 60)
        )
        self._count(key.kind, "late" if late_minutes > LATE_AFTER_MINUTES else "sent")
        log.info(
            "meetings.posted",
            cop_id=key.cop_id,
            kind=key.kind,
            occurrence_id=key.occurrence_id,
            recipient=key.recipient,
            late_minutes=late_minutes,
        )

    async def _failed(
        self, claim: Claim, error: Exception, report: TickReport, *, now: datetime
    ) -> None:
        """Record the failure on the post (its reason, when to try again) and log it."""
        key = claim.key
        retry_at = await claims.mark_failed(
            self.db,
            claim,
            now=now,
            instance=self.instance,
            reason=reason_of(error),
            hint=getattr(error, "retry_after", None),  # Teams' Retry-After (a 429), honoured
            policy=self.retry,
        )
        report.failed.append(_label(key))
        self._count(key.kind, "failed")
        log_send_failure(
            log,
            "meetings.post_failed",
            error,
            cop_id=key.cop_id,
            kind=key.kind,
            occurrence_id=key.occurrence_id,
            recipient=key.recipient,
            attempt=claim.attempts,
            retry_at=retry_at.isoformat(),
        )

    def _skipped(
        self, report: TickReport, key: PostKey, event: str, *, warn: bool = True, **why: Any
    ) -> None:
        """A post that will not be sent: in the report, the metrics and the log."""
        report.skipped.append(_label(key))
        self._count(key.kind, "skipped")
        (log.warning if warn else log.info)(
            event,
            cop_id=key.cop_id,
            kind=key.kind,
            occurrence_id=key.occurrence_id,
            recipient=key.recipient,
            **why,
        )

    def _count(self, kind: str, outcome: str) -> None:
        label = CHANGE if kind.startswith(CHANGE) else kind
        self.metrics.meeting_posts.labels(label, outcome).inc()

    async def _post(self, key: PostKey, occ: Occurrence, community: Community) -> SentMessage:
        base_url = self.base_url
        lang = community.channel_language
        if key.kind == DIGEST:
            questions = await self.questions.digest_questions(occ)
            if not questions:  # before the recipient: no question, nothing is missing
                raise Settled("no_questions")
            if not key.recipient:
                raise NotSendable("no_focal_point_id")
            card = self.cards.digest_card(
                occ, community, questions, await person_lang(self.db, key.recipient, community)
            )
            return await self.notifier.send_to_person(key.recipient, card=card)
        if key.kind == NOTICE:
            person = await person_lang(self.db, key.recipient)
            card = self.cards.announcement_card(occ, community, person, base_url=base_url)
            return await self.notifier.send_to_person(key.recipient, card=card)
        _team, channel_id = community.series_channel(occ.series)
        if not channel_id:
            raise NotSendable("no_channel_id")
        if key.kind == ANNOUNCEMENT:
            card = self.cards.announcement_card(occ, community, lang, base_url=base_url)
        elif key.kind == REMINDER:
            card = self.cards.reminder_card(occ, community, lang, base_url=base_url)
        elif key.kind.startswith(CHANGE):
            card = self.cards.change_card(occ, community, lang, base_url=base_url)
            thread = await self._announcement_thread(occ)
            if thread is not None:  # told where people saw it: the announcement's thread
                return await self.notifier.reply_in_thread(thread, card=card)
        else:  # pragma: no cover - kinds are ours
            raise NotSendable(f"unknown_kind:{key.kind}")
        return await self.notifier.send_to_channel(channel_id, card=card)

    async def _announcement_thread(self, occ: Occurrence) -> SentMessage | None:
        row = await claims.get(self.db, PostKey(occ.cop_id, ANNOUNCEMENT, occ.id))
        if row is None or row.status != claims.SENT or not row.activity_id:
            return None
        return SentMessage(row.conversation_id, row.activity_id, row.service_url)

    async def _settle_missed(
        self, post: PlannedPost, report: TickReport, *, now: datetime, followers: Followers
    ) -> None:
        occ = post.occurrence
        for recipient in recipients(post.kind, occ, self.catalog, followers):
            key = PostKey(occ.cop_id, post.kind, occ.id, recipient)
            reason = await claims.settle_missed(
                self.db,
                key,
                due_at=post.due_at,
                now=now,
                instance=self.instance,
                reason="meeting_started",
            )
            if reason is not None:
                self._skipped(report, key, "meetings.post_missed", reason=reason)


def _label(key: PostKey) -> str:
    return f"{key.kind} {key.occurrence_id}" + (f" -> {key.recipient}" if key.recipient else "")
