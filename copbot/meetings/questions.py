"""Questions in advance: people ask from the channel announcement, the focal points get them in a
digest before the meeting (`posting` sends it), mark each answered, and the asker is told.

- A question asked after the digest went out reaches the focal points on its own card.
- A question not answered rolls over: it is in the digest of every later meeting of the same series
  of the CoP (its CoP-wide meetings, or one practice area's) until someone marks it answered.
- Marking answered is a compare-and-set: of two focal points clicking at once, one answers it (and
  the asker is told once); every copy of the digest is then refreshed. Telling the asker is best
  effort (not queued, not tried again) and its outcome is recorded in the delivery ledger (kind
  `question_answered`): delivered with Teams' activity id, else undeliverable with the reason.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlalchemy import select, update

from copbot.clock import Clock
from copbot.delivery.ledger import DeliveryLedger, Message
from copbot.delivery.outcome import deliver
from copbot.i18n import Lang
from copbot.meetings import claims
from copbot.meetings.calendar import Calendar
from copbot.meetings.claims import SENT
from copbot.meetings.failures import log_send_failure
from copbot.meetings.occurrences import Occurrence, series_of_id
from copbot.meetings.ports import MeetingCards
from copbot.meetings.recipients import person_lang
from copbot.meetings.schedule import DIGEST, PostPolicy, due_at
from copbot.meetings.series import focal_point_ids
from copbot.meetings.values import (
    MAX_QUESTION,
    MAX_QUESTIONS_PER_PERSON,
    AskResult,
    MeetingsError,
    QuestionView,
)
from copbot.notifier import DeliveryError, Notifier, SentMessage, Undeliverable
from copbot.store import Database
from copbot.store.meetings_models import MeetingPost, MeetingQuestion
from copbot.store.models import AuditEntry
from copbot.store.results import rows_changed

log = structlog.get_logger(__name__)


class Questions:
    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        calendar: Calendar,
        notifier: Notifier,
        cards: MeetingCards,
        policy: PostPolicy,
        ledger: DeliveryLedger,
    ):
        self.ledger = ledger
        self.db = db
        self.clock = clock
        self.calendar = calendar
        self.notifier = notifier
        self.cards = cards
        self.policy = policy

    async def ask(self, occ_id: str, person_id: str, name: str, lang: Lang, text: str) -> AskResult:
        text = " ".join(text.split())
        if not text:
            raise MeetingsError("meetings_question_empty")
        if len(text) > MAX_QUESTION:
            raise MeetingsError("meetings_question_too_long", limit=MAX_QUESTION)
        occ = await self.calendar.occurrence(occ_id)
        if occ is None:
            raise MeetingsError("meetings_unknown_occurrence", occurrence=occ_id[:80])
        now = self.clock.now()
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
        view = QuestionView.of(same)
        log.info(
            "meetings.question_asked",
            occurrence_id=occ.id,
            question_id=view.id,
            duplicate=duplicate,
        )
        started = occ.starts_at <= now or occ.skipped
        following = await self.calendar.next_occurrence(occ.cop_id, occ.series) if started else None
        if not duplicate and not started and await self._digest_went_out(occ, now):
            await self._forward_late_question(occ, view)
        return AskResult(view, occ, following, duplicate)

    async def _sent_digests(self, occ: Occurrence) -> list[MeetingPost]:
        return [
            r
            for r in await claims.posts_of(self.db, [occ.id])
            if r.kind == DIGEST and r.status == SENT
        ]

    async def _digest_went_out(self, occ: Occurrence, now: datetime) -> bool:
        """The digest time has come (or a digest was sent early with `post-now`): a new question
        would miss it, so it goes to the focal points on its own."""
        if now >= due_at(DIGEST, occ, self.policy):
            return True
        return bool(await self._sent_digests(occ))

    async def _forward_late_question(self, occ: Occurrence, question: QuestionView) -> None:
        """A question after the digest went out reaches the focal points on its own card."""
        community = self.calendar.community(occ.cop_id)
        for person_id in focal_point_ids(community, occ.series):
            try:
                lang = await person_lang(self.db, person_id, community)
                card = self.cards.digest_card(occ, community, [question], lang, late=True)
                await self.notifier.send_to_person(person_id, card=card)
            except Exception as exc:  # it is stored: it stays in the next digest if unanswered
                log_send_failure(
                    log,
                    "meetings.late_question_failed",
                    exc,
                    question_id=question.id,
                    recipient=person_id,
                )

    async def digest_questions(self, occ: Occurrence) -> list[QuestionView]:
        """Questions for this occurrence's digest: the unanswered ones of earlier occurrences of
        the same series of the CoP (rolled over) first, then its own (answered or not), each oldest
        first."""
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
                views.append(QuestionView.of(row))
                continue
            if series_of_id(row.occurrence_id) != occ.series:
                continue  # another series' question: its own meetings answer it
            if row.occurrence_id not in origins:
                origins[row.occurrence_id] = await self.calendar.occurrence(row.occurrence_id)
            origin = origins[row.occurrence_id]
            # Rolled over: its meeting was skipped, is gone, or came before this one.
            if origin is None or origin.skipped or origin.starts_at < occ.starts_at:
                views.append(QuestionView.of(row, origin))
        # Those still waiting from earlier meetings come first: they have waited longest.
        return sorted(views, key=lambda v: v.occurrence_id == occ.id)

    async def _row(self, question_id: int) -> MeetingQuestion | None:
        async with self.db.session() as session:
            return await session.get(MeetingQuestion, question_id)

    async def question(self, question_id: int) -> QuestionView | None:
        row = await self._row(question_id)
        return QuestionView.of(row) if row is not None else None

    async def mark_answered(
        self, question_id: int, by_id: str, by_name: str
    ) -> tuple[QuestionView, bool]:
        """(the question, True when this call answered it). Only focal points or admins."""
        row = await self._row(question_id)
        if row is None:
            raise MeetingsError("meetings_unknown_question")
        community = self.calendar.community(row.cop_id)
        if not self.calendar.can_manage(by_id, community, series_of_id(row.occurrence_id)):
            raise MeetingsError("meetings_not_allowed", cop=community)
        now = self.clock.now()
        async with self.db.session() as session:
            result = await session.execute(
                update(MeetingQuestion)
                .where((MeetingQuestion.id == question_id) & MeetingQuestion.answered_at.is_(None))
                .values(answered_at=now, answered_by=by_id[:64], answered_by_name=by_name[:256])
            )
            if rows_changed(result) == 1:
                session.add(
                    AuditEntry(
                        at=now,
                        actor=by_id[:64],
                        action="meetings.question_answered",
                        subject=str(question_id),
                        details={"occurrence_id": row.occurrence_id},
                    )
                )
        answered_now = rows_changed(result) == 1
        row = await self._row(question_id)
        assert row is not None
        if answered_now:
            log.info("meetings.question_answered", question_id=question_id, by=by_id)
            await self._tell_asker(row)
        return QuestionView.of(row), answered_now

    async def _tell_asker(self, row: MeetingQuestion) -> None:
        occ = await self.calendar.occurrence(row.occurrence_id)
        community = self.calendar.community(row.cop_id)
        lang = await person_lang(self.db, row.asker_id, community, known=row.asker_lang)
        text = self.cards.answered_text(
            _quote(row.text), occ, community, row.answered_by_name, lang
        )
        message = answered_message(row)
        try:
            await deliver(self.ledger, self.notifier, message, "asker told", text=text)
        except Exception as exc:  # the answer is recorded; telling the asker is best effort
            cause = exc.__cause__ if isinstance(exc.__cause__, DeliveryError) else exc
            reason = log_send_failure(log, "meetings.asker_not_told", cause, question_id=row.id)
            if not isinstance(cause, Undeliverable):  # recorded as retrying: nobody retries it
                try:
                    await self.ledger.undeliverable(  # the attempt is counted already
                        message, f"not tried again: {reason}", attempted=False
                    )
                except Exception:  # the ledger's own failure must not undo the answer
                    log.exception("meetings.asker_outcome_not_recorded", question_id=row.id)
            return
        async with self.db.session() as session:
            await session.execute(
                update(MeetingQuestion)
                .where(MeetingQuestion.id == row.id)
                .values(asker_notified_at=self.clock.now())
            )

    async def refresh_digests(self, occ: Occurrence, *, except_activity: str | None = None) -> None:
        """Show every focal point's copy of this occurrence's digest as it is now."""
        community = self.calendar.community(occ.cop_id)
        rows = [r for r in await self._sent_digests(occ) if r.activity_id]
        if not rows:
            return
        questions = await self.digest_questions(occ)
        for row in rows:
            if except_activity and row.activity_id == except_activity:
                continue
            lang = await person_lang(self.db, row.recipient, community)
            card = self.cards.digest_card(occ, community, questions, lang)
            try:
                await self.notifier.update_card(
                    SentMessage(row.conversation_id, row.activity_id, row.service_url), card
                )
            except Exception as exc:  # stale copies refresh when viewed; not worth failing
                log_send_failure(
                    log,
                    "meetings.digest_update_failed",
                    exc,
                    occurrence_id=occ.id,
                    recipient=row.recipient,
                )


def answered_message(row: MeetingQuestion) -> Message:
    """Telling the asker a focal point marked their question answered (once per question)."""
    return Message(
        key=f"meeting:answered:{row.id}",
        kind="question_answered",
        subject=f"meeting:{row.occurrence_id}",
        recipient=row.asker_id,
    )


def _quote(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
