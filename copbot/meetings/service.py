"""MeetingsService: the CoP meetings feature as the bot, the scheduler and the CLI use it.

`Services.meetings`. The composition root builds it with the card functions (`cards.meetings`),
so the domain decides what to post and when, and never imports Teams code.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog
from sqlalchemy import select, update

from copbot.admins import Admins
from copbot.catalog import Catalog, Community
from copbot.clock import Clock
from copbot.i18n import Lang, lang_from_locale, t
from copbot.meetings import claims
from copbot.meetings.claims import FAILED, SENT, PostKey
from copbot.meetings.occurrences import (
    MOVE_REACH,
    AddedEvent,
    Occurrence,
    Override,
    all_occurrences,
    community_occurrences,
    find_occurrence,
    occurrence_id,
    parse_occurrence_id,
    to_utc,
)
from copbot.meetings.schedule import (
    ANNOUNCEMENT,
    DIGEST,
    REMINDER,
    PlannedPost,
    PostPolicy,
    due_at,
    due_posts,
    missed_posts,
)
from copbot.metrics import Metrics
from copbot.notifier import Notifier, SentMessage
from copbot.store import Database, people
from copbot.store.meetings_models import (
    MeetingEvent,
    MeetingOverride,
    MeetingPost,
    MeetingQuestion,
)
from copbot.store.models import AuditEntry
from copbot.store.upsert import insert_ignore

log = structlog.get_logger(__name__)

MAX_QUESTION = 1000
MAX_QUESTIONS_PER_PERSON = 10  # per occurrence: a generous bound against a stuck button
# A post sent this long after its time was missed (the app was down), not just the tick's delay.
LATE_AFTER_MINUTES = 5
CHANGE = "change"  # kind prefix of the notice posted when an announced meeting is skipped or moved


class MeetingsError(Exception):
    """A request that cannot be done; `key` and `values` are a message for the person."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values

    def text(self, lang: Lang) -> str:
        values = {
            k: v.display_name(lang) if isinstance(v, Community) else v
            for k, v in self.values.items()
        }
        return t(lang, self.key, **values)


@dataclass(frozen=True)
class QuestionView:
    id: int
    cop_id: str
    occurrence_id: str
    text: str
    asker_id: str
    asker_name: str
    asked_at: datetime
    answered_at: datetime | None = None
    answered_by_name: str = ""
    from_occurrence: Occurrence | None = None  # set when it rolled over from an earlier meeting

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


@dataclass(frozen=True)
class AskResult:
    question: QuestionView
    occurrence: Occurrence
    next_occurrence: Occurrence | None  # set when the meeting asked about has already started
    duplicate: bool = False


@dataclass
class TickReport:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class MeetingCards(Protocol):
    """What the domain needs from `cards.meetings` to post."""

    def announcement_card(
        self, occurrence: Occurrence, community: Community, lang: Lang, *, base_url: str
    ) -> dict[str, Any]: ...

    def reminder_card(
        self, occurrence: Occurrence, community: Community, lang: Lang, *, base_url: str
    ) -> dict[str, Any]: ...

    def change_card(
        self, occurrence: Occurrence, community: Community, lang: Lang, *, base_url: str
    ) -> dict[str, Any]: ...

    def digest_card(
        self,
        occurrence: Occurrence,
        community: Community,
        questions: list[QuestionView],
        lang: Lang,
        *,
        late: bool = False,
    ) -> dict[str, Any]: ...

    def answered_text(
        self,
        question: str,
        occurrence: Occurrence | None,
        community: Community,
        by: str,
        lang: Lang,
    ) -> str: ...


def _instance_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def _question_view(row: MeetingQuestion, origin: Occurrence | None = None) -> QuestionView:
    return QuestionView(
        id=row.id,
        cop_id=row.cop_id,
        occurrence_id=row.occurrence_id,
        text=row.text,
        asker_id=row.asker_id,
        asker_name=row.asker_name,
        asked_at=row.asked_at,
        answered_at=row.answered_at,
        answered_by_name=row.answered_by_name,
        from_occurrence=origin,
    )


class MeetingsService:
    def __init__(
        self,
        *,
        db: Database,
        catalog: Catalog,
        clock: Clock,
        notifier: Notifier,
        metrics: Metrics,
        cards: MeetingCards,
        admins: Admins,
        policy: PostPolicy,
        base_url: str,
        instance_id: str | None = None,
    ):
        self.db = db
        self.catalog = catalog
        self.clock = clock
        self.notifier = notifier
        self.metrics = metrics
        self.cards = cards
        self.admins = admins
        self.policy = policy
        self.base_url = base_url  # links in cards (the calendar feeds)
        self.instance = instance_id or _instance_id()
        # The last changes read from the database, per CoP, for callers that cannot wait
        # (the details card). Refreshed by every read, so by every tick.
        self._cached: dict[str, tuple[dict[str, Override], list[AddedEvent]]] = {}

    # -- reading ----------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def community(self, cop_id: str) -> Community:
        community = self.catalog.get(cop_id)
        if community is None:
            raise MeetingsError("meetings_unknown_cop", name=cop_id[:40])
        return community

    async def changes(
        self, cop_ids: Iterable[str] | None = None
    ) -> tuple[dict[str, Override], list[AddedEvent]]:
        """Overrides and added events from the database (small tables: read whole per CoP)."""
        wanted = list(cop_ids) if cop_ids is not None else None
        async with self.db.session() as session:
            q_over = select(MeetingOverride)
            q_events = select(MeetingEvent)
            if wanted is not None:
                q_over = q_over.where(MeetingOverride.cop_id.in_(wanted))
                q_events = q_events.where(MeetingEvent.cop_id.in_(wanted))
            overrides = {
                row.occurrence_id: Override(
                    occurrence_id=row.occurrence_id,
                    skipped=row.skipped,
                    moved_to=row.moved_to,
                    theme=row.theme,
                    sequence=row.sequence,
                    updated_at=row.updated_at,
                )
                for row in await session.scalars(q_over)
            }
            events = [
                AddedEvent(
                    occurrence_id=row.occurrence_id,
                    cop_id=row.cop_id,
                    title=row.title,
                    starts_at=row.starts_at,
                    duration_minutes=row.duration_minutes,
                    theme=row.theme,
                )
                for row in await session.scalars(q_events)
            ]
        for cop_id in wanted if wanted is not None else self.catalog.ids():
            self._cached[cop_id] = (
                {k: v for k, v in overrides.items() if k.startswith(f"{cop_id}:")},
                [e for e in events if e.cop_id == cop_id],
            )
        return overrides, events

    async def occurrences(
        self,
        start: datetime,
        end: datetime,
        *,
        cop_ids: Iterable[str] | None = None,
        include_skipped: bool = True,
    ) -> list[Occurrence]:
        wanted = list(cop_ids) if cop_ids is not None else None
        overrides, events = await self.changes(wanted)
        return all_occurrences(
            self.catalog,
            start,
            end,
            overrides=overrides,
            added_events=events,
            include_skipped=include_skipped,
            cop_ids=wanted,
        )

    async def upcoming(
        self,
        *,
        days: int = 92,
        cop_ids: Iterable[str] | None = None,
        include_skipped: bool = True,
        limit: int | None = None,
    ) -> list[Occurrence]:
        """Occurrences that have not ended yet, in the next `days`."""
        now = self.now()
        items = await self.occurrences(
            now - timedelta(hours=12),
            now + timedelta(days=days),
            cop_ids=cop_ids,
            include_skipped=include_skipped,
        )
        items = [o for o in items if o.ends_at > now]
        return items[:limit] if limit else items

    async def next_occurrence(self, cop_id: str) -> Occurrence | None:
        """The CoP's next meeting or event that has not started and is not skipped."""
        community = self.catalog.get(cop_id)
        if community is None:
            return None
        now = self.now()
        overrides, events = await self.changes([community.id])
        for days in (100, 400):
            items = community_occurrences(
                community,
                now,
                now + timedelta(days=days),
                overrides=overrides,
                added_events=events,
                include_skipped=False,
            )
            found = [o for o in items if o.starts_at > now]
            if found:
                return found[0]
        return None

    def next_occurrence_cached(self, cop_id: str) -> Occurrence | None:
        """`next_occurrence` without waiting: with the changes last read (at most a tick old)."""
        community = self.catalog.get(cop_id)
        if community is None:
            return None
        now = self.now()
        overrides, events = self._cached.get(community.id, ({}, []))
        items = community_occurrences(
            community,
            now,
            now + timedelta(days=400),
            overrides=overrides,
            added_events=events,
            include_skipped=False,
        )
        return next((o for o in items if o.starts_at > now), None)

    async def occurrence(self, occ_id: str) -> Occurrence | None:
        """The occurrence with this id (ids come from cards: anything malformed is None)."""
        parsed = parse_occurrence_id(occ_id)
        if parsed is None or self.catalog.get(parsed[0]) is None:
            return None
        overrides, events = await self.changes([parsed[0]])
        return find_occurrence(self.catalog, occ_id, overrides=overrides, added_events=events)

    async def resolve(self, cop_id: str, ref: str | None = "next") -> Occurrence:
        """An occurrence named by id, or "next" (the next one not skipped), of this CoP."""
        community = self.community(cop_id)
        if not ref or ref == "next":
            found = await self.next_occurrence(community.id)
            if found is None:
                raise MeetingsError("meetings_none_upcoming", cop=community)
            return found
        found = await self.occurrence(ref)
        if found is None or found.cop_id != community.id:
            raise MeetingsError("meetings_unknown_occurrence", occurrence=ref[:80])
        return found

    def can_manage(self, person_id: str, community: Community) -> bool:
        return person_id.lower() in community.focal_point_ids() or self.admins.includes(person_id)

    async def posts(self, occurrence_ids: list[str]) -> dict[str, list[MeetingPost]]:
        rows = await claims.posts_of(self.db, occurrence_ids)
        grouped: dict[str, list[MeetingPost]] = {}
        for row in rows:
            grouped.setdefault(row.occurrence_id, []).append(row)
        return grouped

    def post_time(self, kind: str, occurrence: Occurrence) -> datetime:
        return due_at(kind, occurrence, self.policy)

    # -- the tick ---------------------------------------------------------------------------
    async def tick(self) -> TickReport:
        """Send what is due now (by the clock); record what can no longer be sent."""
        now = self.now()
        lookback = max(self.policy.longest_lead, timedelta(days=1))
        occurrences = await self.occurrences(
            now - lookback, now + self.policy.longest_lead + timedelta(days=1)
        )
        report = TickReport()
        known = {
            (r.kind, r.occurrence_id, r.recipient): r
            for r in await claims.posts_of(self.db, [o.id for o in occurrences])
        }

        def open_(post: PlannedPost) -> bool:
            """Worth a database round trip: not settled, not waiting for a retry or a lease."""
            for recipient in self._recipients(post):
                row = known.get((post.kind, post.occurrence.id, recipient))
                if row is None or (
                    row.status == FAILED
                    and (row.next_attempt_at is None or row.next_attempt_at <= now)
                ):
                    return True
                if row.status == claims.CLAIMED and (
                    row.lease_until is None or row.lease_until <= now
                ):
                    return True
                if post.occurrence.starts_at <= now and row.status in (FAILED, claims.CLAIMED):
                    return True
            return False

        for post in due_posts(occurrences, now, self.policy):
            if open_(post):
                await self._deliver(post, report, now=now)
        for post in missed_posts(occurrences, now, self.policy):
            if open_(post):
                await self._settle_missed(post, report, now=now)
        if report.sent or report.failed or report.skipped:
            log.info(
                "meetings.tick",
                sent=len(report.sent),
                failed=len(report.failed),
                skipped=len(report.skipped),
            )
        return report

    def _recipients(self, post: PlannedPost) -> list[str]:
        if post.kind != DIGEST:
            return [""]
        community = self.catalog.get(post.occurrence.cop_id)
        return (community.focal_point_ids() if community else []) or [""]

    async def _deliver(
        self, post: PlannedPost, report: TickReport, *, now: datetime, force: bool = False
    ) -> None:
        occ = post.occurrence
        for recipient in self._recipients(post):
            key = PostKey(occ.cop_id, post.kind, occ.id, recipient)
            take = claims.force_claim if force else claims.claim
            claim = await take(self.db, key, due_at=post.due_at, now=now, instance=self.instance)
            if claim is None:
                stale = await claims.expire_stale(self.db, key, now=now)
                if stale is not None:
                    self._skipped(
                        report, key, "meetings.post_outcome_unknown", claimed_by=stale.claimed_by
                    )
                continue
            await self._send(claim, occ, report, now=now)

    async def _send(
        self, claim: claims.Claim, occ: Occurrence, report: TickReport, *, now: datetime
    ) -> None:
        key = claim.key
        community = self.catalog.get(occ.cop_id)
        try:
            if community is None:
                raise _NotSendable("unknown_cop")
            sent = await self._post(key, occ, community)
        except _Settled as settled:
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
            reason = exc.reason if isinstance(exc, _NotSendable) else type(exc).__name__
            retry_at = await claims.mark_failed(
                self.db, claim, now=now, instance=self.instance, reason=reason
            )
            report.failed.append(_label(key))
            self._count(key.kind, "failed")
            log.warning(
                "meetings.post_failed",
                cop_id=key.cop_id,
                kind=key.kind,
                occurrence_id=key.occurrence_id,
                recipient=key.recipient,
                attempt=claim.attempts,
                reason=reason,
                retry_at=retry_at.isoformat(),
            )
            return
        await claims.mark_sent(
            self.db,
            claim,
            now=self.now(),
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
        notifier = self.notifier
        base_url = self.base_url
        lang = community.channel_language
        if key.kind == DIGEST:
            if not key.recipient:
                raise _NotSendable("no_focal_point_id")
            questions = await self.digest_questions(occ)
            if not questions:
                raise _Settled("no_questions")
            person_lang = await self.person_lang(key.recipient)
            card = self.cards.digest_card(occ, community, questions, person_lang)
            return await notifier.send_to_person(key.recipient, card=card)
        if not community.channel_id:
            raise _NotSendable("no_channel_id")
        if key.kind == ANNOUNCEMENT:
            card = self.cards.announcement_card(occ, community, lang, base_url=base_url)
        elif key.kind == REMINDER:
            card = self.cards.reminder_card(occ, community, lang, base_url=base_url)
        elif key.kind.startswith(CHANGE):
            card = self.cards.change_card(occ, community, lang, base_url=base_url)
        else:  # pragma: no cover - kinds are ours
            raise _NotSendable(f"unknown_kind:{key.kind}")
        return await notifier.send_to_channel(community.channel_id, card=card)

    async def _settle_missed(self, post: PlannedPost, report: TickReport, *, now: datetime) -> None:
        occ = post.occurrence
        for recipient in self._recipients(post):
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

    async def post_now(
        self,
        cop_id: str,
        kind: str = ANNOUNCEMENT,
        ref: str | None = "next",
        *,
        again: bool = False,
    ) -> TickReport:
        """Post one kind for an occurrence now, whatever its time (`copbot meetings post-now`).

        Still exactly once: a post already sent is not sent again unless `again` is given.
        """
        occ = await self.resolve(cop_id, ref)
        if occ.skipped:
            raise MeetingsError("meetings_is_skipped", when=occ.id)
        report = TickReport()
        now = self.now()
        post = PlannedPost(kind, occ, due_at(kind, occ, self.policy))
        await self._deliver(post, report, now=now, force=again)
        return report

    async def person_lang(self, person_id: str) -> Lang:
        person = await people.get_person(self.db, person_id)
        return lang_from_locale(person.locale if person else None)

    # -- changes to occurrences -------------------------------------------------------------
    async def _override(self, occ: Occurrence, by: str, **values: Any) -> Occurrence:
        now = self.now()
        async with self.db.session() as session:
            await insert_ignore(
                session,
                MeetingOverride.__table__,
                {
                    "occurrence_id": occ.id,
                    "cop_id": occ.cop_id,
                    "skipped": False,
                    "moved_to": None,
                    "theme": None,
                    "sequence": 0,
                    "updated_at": now,
                    "updated_by": by[:64],
                },
                keys=["occurrence_id"],
            )
            row = await session.get(MeetingOverride, occ.id, with_for_update=True)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)
            row.sequence = (row.sequence or 0) + 1
            row.updated_at = now
            row.updated_by = by[:64]
            session.add(
                AuditEntry(
                    at=now,
                    actor=by[:64],
                    action="meetings.changed",
                    subject=occ.id,
                    details={
                        k: (v.isoformat() if isinstance(v, datetime) else v)
                        for k, v in values.items()
                    },
                )
            )
        changed = await self.occurrence(occ.id)
        assert changed is not None
        return changed

    async def skip(self, occ: Occurrence, by: str) -> Occurrence:
        changed = await self._override(occ, by, skipped=True)
        log.info("meetings.skipped", occurrence_id=occ.id, by=by)
        await self._tell_channel_of_change(changed)
        return changed

    async def restore(self, occ: Occurrence, by: str) -> Occurrence:
        """Undo a skip and a move: the occurrence is back as the cadence has it."""
        changed = await self._override(occ, by, skipped=False, moved_to=None)
        log.info("meetings.restored", occurrence_id=occ.id, by=by)
        await self._tell_channel_of_change(changed)
        return changed

    async def move(self, occ: Occurrence, local_start: datetime, by: str) -> Occurrence:
        """Move to a local time in the CoP's zone (naive), at most MOVE_REACH from the original."""
        community = self.community(occ.cop_id)
        new_start = to_utc(local_start, community.time_zone)
        original = occ.original_starts_at or occ.starts_at
        if abs(new_start - original) > MOVE_REACH:
            raise MeetingsError("meetings_move_too_far", days=MOVE_REACH.days)
        if new_start <= self.now():
            raise MeetingsError("meetings_move_past")
        changed = await self._override(occ, by, moved_to=new_start, skipped=False)
        log.info("meetings.moved", occurrence_id=occ.id, by=by)
        await self._tell_channel_of_change(changed)
        return changed

    async def set_theme(self, occ: Occurrence, theme: str, by: str) -> Occurrence:
        changed = await self._override(occ, by, theme=theme.strip()[:300])
        await self._refresh_announcement(changed)
        return changed

    async def add_event(
        self,
        cop_id: str,
        title: str,
        local_start: datetime,
        *,
        duration_minutes: int = 60,
        theme: str = "",
        by: str,
    ) -> Occurrence:
        community = self.community(cop_id)
        title = title.strip()
        if not title:
            raise MeetingsError("meetings_event_needs_title")
        if not 5 <= duration_minutes <= 600:
            raise MeetingsError("meetings_event_duration")
        starts_at = to_utc(local_start, community.time_zone)
        if starts_at <= self.now():
            raise MeetingsError("meetings_move_past")
        occ_id = occurrence_id(community.id, "event", local_start)
        if await self.occurrence(occ_id) is not None:
            raise MeetingsError("meetings_event_exists", occurrence=occ_id)
        now = self.now()
        async with self.db.session() as session:
            inserted = await insert_ignore(
                session,
                MeetingEvent.__table__,
                {
                    "occurrence_id": occ_id,
                    "cop_id": community.id,
                    "title": title[:200],
                    "starts_at": starts_at,
                    "duration_minutes": duration_minutes,
                    "theme": theme.strip()[:300],
                    "created_at": now,
                    "created_by": by[:64],
                },
                keys=["occurrence_id"],
            )
            if not inserted:
                raise MeetingsError("meetings_event_exists", occurrence=occ_id)
            session.add(
                AuditEntry(
                    at=now, actor=by[:64], action="meetings.event_added", subject=occ_id, details={}
                )
            )
        log.info("meetings.event_added", occurrence_id=occ_id, by=by)
        found = await self.occurrence(occ_id)
        assert found is not None
        return found

    async def _announcement_row(self, occ: Occurrence) -> MeetingPost | None:
        return await claims.get(self.db, PostKey(occ.cop_id, ANNOUNCEMENT, occ.id))

    async def _refresh_announcement(self, occ: Occurrence) -> MeetingPost | None:
        """Show the change on the announcement already posted (if any)."""
        row = await self._announcement_row(occ)
        if row is None or row.status != SENT or not row.activity_id:
            return None
        community = self.community(occ.cop_id)
        card = self.cards.announcement_card(
            occ,
            community,
            community.channel_language,
            base_url=self.base_url,
        )
        try:
            await self.notifier.update_card(
                SentMessage(row.conversation_id, row.activity_id, row.service_url), card
            )
        except Exception as exc:  # the change is saved; a stale card is not worth failing for
            log.warning("meetings.update_failed", occurrence_id=occ.id, error=type(exc).__name__)
        return row

    async def _tell_channel_of_change(self, occ: Occurrence) -> None:
        """A meeting already announced that is skipped or moved: update the card and post a notice."""
        now = self.now()
        if occ.starts_at <= now and (occ.original_starts_at or occ.starts_at) <= now:
            return  # a change to the past (an admin tidying up): nothing to tell
        row = await self._refresh_announcement(occ)
        if row is None:
            return
        report = TickReport()
        kind = f"{CHANGE}:{occ.sequence}"
        post = PlannedPost(kind, occ, self.now())
        await self._deliver(post, report, now=self.now())
        await self.refresh_digests(occ)

    # -- questions in advance ---------------------------------------------------------------
    async def ask(self, occ_id: str, person_id: str, name: str, lang: Lang, text: str) -> AskResult:
        text = " ".join(text.split())
        if not text:
            raise MeetingsError("meetings_question_empty")
        if len(text) > MAX_QUESTION:
            raise MeetingsError("meetings_question_too_long", limit=MAX_QUESTION)
        occ = await self.occurrence(occ_id)
        if occ is None:
            raise MeetingsError("meetings_unknown_occurrence", occurrence=occ_id[:80])
        now = self.now()
        async with self.db.session() as session:
            mine = list(
                await session.scalars(
                    select(MeetingQuestion).where(
                        (MeetingQuestion.occurrence_id == occ.id)
                        & (MeetingQuestion.asker_id == person_id)
                    )
                )
            )
            same = next((q for q in mine if q.text == text), None)
            if same is None and len(mine) >= MAX_QUESTIONS_PER_PERSON:
                raise MeetingsError("meetings_question_limit", limit=MAX_QUESTIONS_PER_PERSON)
            if same is None:
                same = MeetingQuestion(
                    cop_id=occ.cop_id,
                    occurrence_id=occ.id,
                    asker_id=person_id,
                    asker_name=name[:256],
                    asker_lang=lang,
                    text=text,
                    asked_at=now,
                    answered_at=None,
                    answered_by=None,
                    answered_by_name="",
                    asker_notified_at=None,
                )
                session.add(same)
                await session.flush()
                duplicate = False
            else:
                duplicate = True
        view = _question_view(same)
        log.info(
            "meetings.question_asked",
            occurrence_id=occ.id,
            question_id=view.id,
            duplicate=duplicate,
        )
        started = occ.starts_at <= now or occ.skipped
        following = await self.next_occurrence(occ.cop_id) if started else None
        if not duplicate and not started and await self._digest_went_out(occ, now):
            await self._forward_late_question(occ, view)
        return AskResult(view, occ, following, duplicate)

    async def _digest_went_out(self, occ: Occurrence, now: datetime) -> bool:
        """The digest time has come (or a digest was sent early with `post-now`): a new question
        would miss it, so it goes to the focal points on its own."""
        if now >= self.post_time(DIGEST, occ):
            return True
        rows = (await self.posts([occ.id])).get(occ.id, [])
        return any(r.kind == DIGEST and r.status == SENT for r in rows)

    async def _forward_late_question(self, occ: Occurrence, question: QuestionView) -> None:
        """A question after the digest went out reaches the focal points on its own card."""
        community = self.community(occ.cop_id)
        for person_id in community.focal_point_ids():
            try:
                lang = await self.person_lang(person_id)
                card = self.cards.digest_card(occ, community, [question], lang, late=True)
                await self.notifier.send_to_person(person_id, card=card)
            except Exception as exc:  # it is stored: it stays in the next digest if unanswered
                log.warning(
                    "meetings.late_question_failed",
                    question_id=question.id,
                    recipient=person_id,
                    error=type(exc).__name__,
                )

    async def digest_questions(self, occ: Occurrence) -> list[QuestionView]:
        """Questions for this occurrence's digest: its own (answered or not) and the unanswered
        ones of earlier occurrences of the CoP (rolled over), oldest first."""
        async with self.db.session() as session:
            rows = list(
                await session.scalars(
                    select(MeetingQuestion)
                    .where(
                        (MeetingQuestion.cop_id == occ.cop_id)
                        & (
                            (MeetingQuestion.occurrence_id == occ.id)
                            | MeetingQuestion.answered_at.is_(None)
                        )
                    )
                    .order_by(MeetingQuestion.asked_at, MeetingQuestion.id)
                )
            )
        origins: dict[str, Occurrence | None] = {}
        views = []
        for row in rows:
            if row.occurrence_id == occ.id:
                views.append(_question_view(row))
                continue
            if row.occurrence_id not in origins:
                origins[row.occurrence_id] = await self.occurrence(row.occurrence_id)
            origin = origins[row.occurrence_id]
            # Rolled over: its meeting was skipped, is gone, or came before this one.
            if origin is None or origin.skipped or origin.starts_at < occ.starts_at:
                views.append(_question_view(row, origin))
        return views

    async def question(self, question_id: int) -> MeetingQuestion | None:
        async with self.db.session() as session:
            return await session.get(MeetingQuestion, question_id)

    async def mark_answered(
        self, question_id: int, by_id: str, by_name: str
    ) -> tuple[MeetingQuestion, bool]:
        """(the question, True when this call answered it). Only focal points or admins."""
        row = await self.question(question_id)
        if row is None:
            raise MeetingsError("meetings_unknown_question")
        community = self.community(row.cop_id)
        if not self.can_manage(by_id, community):
            raise MeetingsError("meetings_not_allowed", cop=community)
        now = self.now()
        async with self.db.session() as session:
            result = await session.execute(
                update(MeetingQuestion)
                .where((MeetingQuestion.id == question_id) & MeetingQuestion.answered_at.is_(None))
                .values(answered_at=now, answered_by=by_id[:64], answered_by_name=by_name[:256])
            )
            if result.rowcount == 1:
                session.add(
                    AuditEntry(
                        at=now,
                        actor=by_id[:64],
                        action="meetings.question_answered",
                        subject=str(question_id),
                        details={"occurrence_id": row.occurrence_id},
                    )
                )
        answered_now = result.rowcount == 1
        row = await self.question(question_id)
        assert row is not None
        if answered_now:
            log.info("meetings.question_answered", question_id=question_id, by=by_id)
            await self._tell_asker(row)
        return row, answered_now

    async def _tell_asker(self, row: MeetingQuestion) -> None:
        occ = await self.occurrence(row.occurrence_id)
        community = self.community(row.cop_id)
        lang = lang_from_locale(row.asker_lang)
        text = self.cards.answered_text(
            _quote(row.text), occ, community, row.answered_by_name, lang
        )
        try:
            await self.notifier.send_to_person(row.asker_id, text=text)
        except Exception as exc:  # the answer is recorded; telling the asker is best effort
            log.warning("meetings.asker_not_told", question_id=row.id, error=type(exc).__name__)
            return
        async with self.db.session() as session:
            await session.execute(
                update(MeetingQuestion)
                .where(MeetingQuestion.id == row.id)
                .values(asker_notified_at=self.now())
            )

    async def refresh_digests(self, occ: Occurrence, *, except_activity: str | None = None) -> None:
        """Show every focal point's copy of this occurrence's digest as it is now."""
        community = self.community(occ.cop_id)
        rows = [
            r
            for r in (await self.posts([occ.id])).get(occ.id, [])
            if r.kind == DIGEST and r.status == SENT and r.activity_id
        ]
        if not rows:
            return
        questions = await self.digest_questions(occ)
        for row in rows:
            if except_activity and row.activity_id == except_activity:
                continue
            lang = await self.person_lang(row.recipient)
            card = self.cards.digest_card(occ, community, questions, lang)
            try:
                await self.notifier.update_card(
                    SentMessage(row.conversation_id, row.activity_id, row.service_url), card
                )
            except Exception as exc:  # stale copies refresh when viewed; not worth failing
                log.warning(
                    "meetings.digest_update_failed", occurrence_id=occ.id, error=type(exc).__name__
                )

    # -- health -----------------------------------------------------------------------------
    async def channel_problems(self) -> dict[str, str]:
        """CoPs whose meeting posts cannot reach a channel: {CoP id: why}."""
        problems = {}
        for community in self.catalog:
            if not community.meetings and not community.events:
                continue
            if not community.channel_id:
                problems[community.id] = "channel_id is empty in the catalog"
            elif not await self.channel_reachable(community):
                problems[community.id] = (
                    f"the bot is not installed in the team of channel {community.channel_id}"
                )
        return problems

    async def channel_reachable(self, community: Community) -> bool:
        """The bot was installed in the channel's team (it recorded a reference on install)."""
        keys = [f"channel:{community.channel_id}"]
        if community.team_id:
            keys.append(f"team:{community.team_id}")
        for key in keys:
            if await people.get_reference(self.db, key) is not None:
                return True
        return False


class _NotSendable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Settled(Exception):
    """Nothing to send, for good (a digest without questions)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _label(key: PostKey) -> str:
    return f"{key.kind} {key.occurrence_id}" + (f" -> {key.recipient}" if key.recipient else "")


def _quote(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
