"""After the meeting: a focal point adds the recording, other materials and a short summary.

What one `add` does, in one transaction: the follow-up is stored (merged with what was there:
the recording and summary replaced when given, materials added), an audit entry, and outbox work
(at least once, retried with the one policy, visible in `copbot requests`):

- the follow-up posted as a reply in the announcement's channel thread (a new thread in the CoP's
  channel when the meeting was never announced), once per version, and under it, once, the
  feedback card (`feedback`);
- each person whose question was answered at this meeting told where to find the answer;
- a few days later, the feedback results to each focal point.

Those two messages to people record their true outcome in the delivery ledger
(`copbot.delivery.outcome.attempt`; kinds `followup_asker`, `feedback_results`), as membership's
do: delivered only with Teams' activity id, retrying, or undeliverable with Teams' reason (also
when the outbox gives up on the item).

The occurrence's SEQUENCE is then raised (`Editing.touch`) so subscribed calendars show the
recording (URL / ATTACH) and the summary.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from copbot.catalog import Catalog, Community
from copbot.clock import Clock
from copbot.delivery.ledger import DeliveryLedger, Message
from copbot.delivery.outcome import deliver, gave_up
from copbot.i18n import Lang
from copbot.meetings import claims
from copbot.meetings.calendar import Calendar
from copbot.meetings.claims import SENT, PostKey
from copbot.meetings.editing import Editing
from copbot.meetings.failures import log_send_failure
from copbot.meetings.links import MAX_MATERIALS, check_link
from copbot.meetings.occurrences import MOVE_REACH, Occurrence
from copbot.meetings.recipients import person_lang
from copbot.meetings.schedule import ANNOUNCEMENT
from copbot.meetings.values import MeetingsError
from copbot.notifier import DeliveryDeferred, Notifier, SentMessage, Undeliverable
from copbot.store import Database, audit
from copbot.store.followup_models import MeetingFollowUp
from copbot.store.meetings_models import MeetingQuestion
from copbot.store.upsert import insert_ignore
from copbot.work.outbox import Outbox, PermanentFailure, Retry

log = structlog.get_logger(__name__)

MAX_SUMMARY = 2000
POST, ASKER, RESULTS = (
    "meetings.followup_post",
    "meetings.followup_asker",
    "meetings.feedback_results",
)
RESULTS_AFTER = timedelta(days=3)  # the feedback results go to the focal points then
PAST_REACH = timedelta(days=366)  # "past meetings of UBS" and the follow-up's "last" meeting


@dataclass(frozen=True)
class FollowUpView:
    occurrence_id: str
    cop_id: str
    recording_url: str
    material_urls: tuple[str, ...]  # links checked by `links.check_link`
    summary: str
    version: int
    updated_at: datetime

    @classmethod
    def of(cls, row: MeetingFollowUp) -> FollowUpView:
        return cls(
            occurrence_id=row.occurrence_id,
            cop_id=row.cop_id,
            recording_url=row.recording_url,
            material_urls=tuple(str(m) for m in row.materials or ()),
            summary=row.summary,
            version=row.version,
            updated_at=row.updated_at,
        )


@dataclass(frozen=True)
class FeedbackCount:
    count: int
    average: float | None
    mine: int | None = None  # the rating of the person looking, when they gave one
    my_comment: str = ""


class FollowUpCards(Protocol):
    def followup_card(
        self, occ: Occurrence, community: Community, followup: FollowUpView, lang: Lang
    ) -> dict[str, Any]: ...

    def feedback_card(
        self, occ: Occurrence, community: Community, counted: FeedbackCount, lang: Lang
    ) -> dict[str, Any]: ...

    def followup_asker_text(
        self, question: str, occ: Occurrence, community: Community, lang: Lang
    ) -> str: ...

    def feedback_results_card(
        self, occ: Occurrence, community: Community, results: Any, lang: Lang
    ) -> dict[str, Any]: ...


class Counter(Protocol):
    """What the follow-up needs from the feedback service (`feedback.Feedback`)."""

    async def count(self, occ_id: str, person_id: str | None = None) -> FeedbackCount: ...

    async def results(self, occ_id: str) -> Any: ...


class FollowUps:
    def __init__(
        self,
        *,
        db: Database,
        catalog: Catalog,
        clock: Clock,
        calendar: Calendar,
        editing: Editing,
        notifier: Notifier,
        cards: FollowUpCards,
        outbox: Outbox,
        feedback: Counter,
        ledger: DeliveryLedger,
    ):
        self.db = db
        self.catalog = catalog
        self.clock = clock
        self.calendar = calendar
        self.editing = editing
        self.notifier = notifier
        self.cards = cards
        self.outbox = outbox
        self.feedback = feedback
        self.ledger = ledger

    def register(self, outbox: Outbox) -> None:
        outbox.register(POST, self._post)
        outbox.register(ASKER, self._tell_asker, on_failed=self._asker_failed)
        outbox.register(RESULTS, self._send_results, on_failed=self._results_failed)

    # -- reading ----------------------------------------------------------------------------
    async def of(self, occurrence_ids: Sequence[str]) -> dict[str, FollowUpView]:
        if not occurrence_ids:
            return {}
        async with self.db.session() as session:
            rows = await session.scalars(
                select(MeetingFollowUp).where(
                    MeetingFollowUp.occurrence_id.in_(list(occurrence_ids))
                )
            )
            return {row.occurrence_id: FollowUpView.of(row) for row in rows}

    async def past(
        self, cop_id: str, *, limit: int = 6
    ) -> list[tuple[Occurrence, FollowUpView | None]]:
        """The CoP's meetings held in the last year, the latest first, with their follow-ups."""
        now = self.clock.now()
        items = await self.calendar.occurrences(
            now - PAST_REACH, now, cop_ids=[cop_id], include_skipped=False
        )
        held = list(reversed(items))[:limit]
        followups = await self.of([o.id for o in held])
        return [(o, followups.get(o.id)) for o in held]

    async def last_held(self, cop_id: str) -> Occurrence:
        """The CoP's latest meeting that has started (not cancelled)."""
        now = self.clock.now()
        community = self.calendar.community(cop_id)
        items = await self.calendar.occurrences(
            now - MOVE_REACH, now, cop_ids=[community.id], include_skipped=False
        )
        if not items:
            raise MeetingsError("followup_no_past_meeting", cop=community)
        return items[-1]

    # -- adding -----------------------------------------------------------------------------
    async def add(
        self,
        occ: Occurrence,
        by: str,
        *,
        recording: str | None = None,
        materials: Sequence[str] = (),
        summary: str | None = None,
        trusted: bool = False,
    ) -> FollowUpView:
        """`trusted`: an operator's command (`copbot meetings follow-up`), not a Teams user."""
        community = self.calendar.community(occ.cop_id)
        if not trusted and not self.calendar.can_manage(by, community):
            raise MeetingsError("meetings_not_allowed", cop=community)
        if occ.skipped:
            raise MeetingsError("meetings_is_skipped", when=occ.id)
        now = self.clock.now()
        if occ.starts_at > now:
            raise MeetingsError("followup_not_yet")
        recording = check_link(recording) if recording else None
        links = [check_link(m) for m in materials]
        summary = summary.strip() if summary else None
        if summary and len(summary) > MAX_SUMMARY:
            raise MeetingsError("followup_summary_too_long", limit=MAX_SUMMARY)
        if not recording and not links and not summary:
            raise MeetingsError("followup_empty", cop=community.id)
        async with self.db.session() as session:
            await insert_ignore(
                session,
                MeetingFollowUp.__table__,
                {
                    "occurrence_id": occ.id,
                    "cop_id": occ.cop_id,
                    "recording_url": "",
                    "materials": [],
                    "summary": "",
                    "version": 0,
                    "posted_version": 0,
                    "created_at": now,
                    "updated_at": now,
                    "updated_by": by[:64],
                },
                keys=["occurrence_id"],
            )
            row = await session.get(MeetingFollowUp, occ.id, with_for_update=True)
            assert row is not None
            if recording:
                row.recording_url = recording
            kept = list(row.materials or [])
            kept += [link for link in links if link not in kept]
            if len(kept) > MAX_MATERIALS:
                raise MeetingsError("followup_too_many", limit=MAX_MATERIALS)
            row.materials = kept
            if summary:
                row.summary = summary
            row.version = (row.version or 0) + 1
            row.updated_at = now
            row.updated_by = by[:64]
            view = FollowUpView.of(row)
            audit.record(
                session,
                at=now,
                actor=by,
                action="meetings.followup",
                subject=occ.id,
                version=view.version,
                recording=bool(view.recording_url),
                materials=len(view.material_urls),
                summary=bool(view.summary),
            )
            payload = {"occurrence_id": occ.id, "version": view.version}
            await self.outbox.enqueue(session, POST, payload, f"{POST}:{occ.id}:{view.version}")
            for question_id in await self._answered_here(session, occ):
                await self.outbox.enqueue(
                    session,
                    ASKER,
                    {"occurrence_id": occ.id, "question_id": question_id},
                    f"{ASKER}:{question_id}",
                )
            for person_id in community.focal_point_ids():
                await self.outbox.enqueue(
                    session,
                    RESULTS,
                    {"occurrence_id": occ.id, "recipient": person_id},
                    f"{RESULTS}:{occ.id}:{person_id}",
                    delay=RESULTS_AFTER,
                )
        await self.editing.touch(occ, by)  # SEQUENCE + 1: subscribed calendars show it
        log.info("meetings.followup_added", occurrence_id=occ.id, version=view.version, by=by)
        self.outbox.kick()
        return view

    @staticmethod
    async def _answered_here(session: Any, occ: Occurrence) -> list[int]:
        """Questions taken at this meeting: its own answered ones, and earlier ones (rolled over)
        answered from the day before it to the day after it."""
        rows = await session.scalars(
            select(MeetingQuestion.id).where(
                (MeetingQuestion.cop_id == occ.cop_id)
                & MeetingQuestion.answered_at.is_not(None)
                & (
                    (MeetingQuestion.occurrence_id == occ.id)
                    | (
                        (MeetingQuestion.asked_at < occ.starts_at)
                        & (MeetingQuestion.answered_at >= occ.starts_at - timedelta(days=1))
                        & (MeetingQuestion.answered_at < occ.ends_at + timedelta(days=1))
                    )
                )
            )
        )
        return list(rows)

    # -- outbox handlers --------------------------------------------------------------------
    async def _context(self, occ_id: str) -> tuple[Occurrence, Community, MeetingFollowUp]:
        occ = await self.calendar.occurrence(occ_id)
        community = self.catalog.get(occ.cop_id) if occ else None
        async with self.db.session() as session:
            row = await session.get(MeetingFollowUp, occ_id)
        if occ is None or community is None or row is None:
            raise PermanentFailure(f"no follow-up for {occ_id}")
        return occ, community, row

    async def _thread(self, occ: Occurrence) -> SentMessage | None:
        """The announcement's post, when it went out (its thread is where replies go)."""
        row = await claims.get(self.db, PostKey(occ.cop_id, ANNOUNCEMENT, occ.id))
        if row is None or row.status != SENT or not row.activity_id:
            return None
        return SentMessage(row.conversation_id, row.activity_id, row.service_url)

    async def _in_thread(
        self,
        occ: Occurrence,
        community: Community,
        card: dict[str, Any],
        started: SentMessage | None = None,
    ) -> SentMessage:
        """A reply in the announcement's thread; without one, in the thread `started` (the
        follow-up's own post), else a new thread in the CoP's channel."""
        thread = await self._thread(occ) or started
        with _outcome("follow-up"):
            if thread is not None:
                return await self.notifier.reply_in_thread(thread, card=card)
            if not community.channel_id:
                raise PermanentFailure("no_channel_id")
            return await self.notifier.send_to_channel(community.channel_id, card=card)

    async def _post(self, payload: dict[str, Any]) -> None:
        """The follow-up in the thread, then (once) the feedback card under it; each step is
        recorded when done, so a retry does not post it again."""
        occ, community, row = await self._context(str(payload["occurrence_id"]))
        lang = community.channel_language
        started = None
        if row.posted_version < row.version:
            card = self.cards.followup_card(occ, community, FollowUpView.of(row), lang)
            started = await self._in_thread(occ, community, card)
            await self._record(occ.id, posted_version=row.version)
            log.info("meetings.followup_posted", occurrence_id=occ.id, version=row.version)
        if not row.feedback_activity_id:
            counted = await self.feedback.count(occ.id)
            card = self.cards.feedback_card(occ, community, counted, lang)
            sent = await self._in_thread(occ, community, card, started)
            await self._record(
                occ.id,
                feedback_conversation_id=sent.conversation_id,
                feedback_activity_id=sent.activity_id,
                feedback_service_url=sent.service_url,
            )

    async def _record(self, occ_id: str, **values: Any) -> None:
        async with self.db.session() as session:
            stored = await session.get(MeetingFollowUp, occ_id, with_for_update=True)
            assert stored is not None
            for name, value in values.items():
                if name == "posted_version":
                    value = max(value, stored.posted_version or 0)
                setattr(stored, name, value)

    async def refresh_feedback_card(self, occ: Occurrence) -> None:
        """The feedback card in the thread shows the new count (best effort: it is stored)."""
        async with self.db.session() as session:
            row = await session.get(MeetingFollowUp, occ.id)
        community = self.catalog.get(occ.cop_id)
        if row is None or not row.feedback_activity_id or community is None:
            return
        counted = await self.feedback.count(occ.id)
        card = self.cards.feedback_card(occ, community, counted, community.channel_language)
        sent = SentMessage(
            row.feedback_conversation_id, row.feedback_activity_id, row.feedback_service_url
        )
        try:
            await self.notifier.update_card(sent, card)
        except Exception as exc:  # the answer is stored; the count shows at the next update
            log_send_failure(log, "meetings.feedback_card_update_failed", exc, occurrence_id=occ.id)

    async def _tell_asker(self, payload: dict[str, Any]) -> None:
        occ, community, _row = await self._context(str(payload["occurrence_id"]))
        async with self.db.session() as session:
            question = await session.get(MeetingQuestion, int(payload["question_id"]))
        if question is None:
            return  # purged since
        lang = await person_lang(self.db, question.asker_id, community, known=question.asker_lang)
        text = self.cards.followup_asker_text(_quote(question.text), occ, community, lang)
        await deliver(self.ledger, self.notifier, asker_message(question), "asker told", text=text)
        log.info("meetings.followup_asker_told", question_id=question.id)

    async def _send_results(self, payload: dict[str, Any]) -> None:
        occ, community, _row = await self._context(str(payload["occurrence_id"]))
        recipient = str(payload["recipient"])
        results = await self.feedback.results(occ.id)
        lang = await person_lang(self.db, recipient, community)
        card = self.cards.feedback_results_card(occ, community, results, lang)
        message = results_message(payload)
        await deliver(self.ledger, self.notifier, message, "feedback results", card=card)
        log.info("meetings.feedback_results_sent", occurrence_id=occ.id, recipient=recipient)

    async def _asker_failed(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        question = await session.get(MeetingQuestion, int(payload["question_id"]))
        if question is not None:
            await gave_up(self.ledger, session, asker_message(question), reason)

    async def _results_failed(
        self, session: AsyncSession, payload: dict[str, Any], reason: str
    ) -> None:
        await gave_up(self.ledger, session, results_message(payload), reason)


def asker_message(question: MeetingQuestion) -> Message:
    """Telling the asker their question was taken at the meeting (once per question)."""
    return Message(
        key=f"meeting:asker:{question.id}",
        kind="followup_asker",
        subject=f"meeting:{question.occurrence_id}",
        recipient=question.asker_id,
    )


def results_message(payload: dict[str, Any]) -> Message:
    """The feedback results of a meeting, to one focal point."""
    occurrence_id = str(payload["occurrence_id"])
    recipient = str(payload["recipient"])
    return Message(
        key=f"meeting:results:{occurrence_id}:{recipient}",
        kind="feedback_results",
        subject=f"meeting:{occurrence_id}",
        recipient=recipient,
    )


@contextmanager
def _outcome(what: str) -> Iterator[None]:
    """A failed send is the outbox's outcome: Retry (after Teams' Retry-After) or failed."""
    try:
        yield
    except Undeliverable as exc:
        raise PermanentFailure(f"{what}: {exc.reason}") from exc
    except DeliveryDeferred as exc:
        raise Retry(f"{what}: {exc.reason}", after=exc.retry_after) from exc


def _quote(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
