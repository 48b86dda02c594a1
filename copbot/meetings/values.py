"""The plain values the meetings services return (never ORM rows), and their one error type."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from copbot.catalog import Community
from copbot.i18n import Lang, t
from copbot.meetings.occurrences import Occurrence

if TYPE_CHECKING:  # the services map rows to values; cards and bot/ only see the values
    from copbot.store.meetings_models import MeetingPost, MeetingQuestion

MAX_QUESTION = 1000
MAX_QUESTIONS_PER_PERSON = 10  # per occurrence: a generous bound against a stuck button
CHANGE = "change"  # kind prefix of the notice posted when an announced meeting is skipped or moved


class MeetingsError(Exception):
    """A request that cannot be done; `key` and `values` are a message for the person."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values

    def text(self, lang: Lang) -> str:
        values = {
            k: v.display_name(lang)
            if isinstance(v, Community)
            else (v.in_lang(lang) if hasattr(v, "in_lang") else v)
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

    @classmethod
    def of(cls, row: MeetingQuestion, origin: Occurrence | None = None) -> QuestionView:
        return cls(
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


@dataclass(frozen=True)
class PostView:
    """The state of one post of an occurrence (see `claims` for the states)."""

    kind: str
    occurrence_id: str
    recipient: str  # "" = the CoP's channel; else a focal point's id (digests)
    status: str  # claimed | sent | failed | skipped
    reason: str = ""
    sent_at: datetime | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None

    @classmethod
    def of(cls, row: MeetingPost) -> PostView:
        return cls(
            kind=row.kind,
            occurrence_id=row.occurrence_id,
            recipient=row.recipient,
            status=row.status,
            reason=row.reason,
            sent_at=row.sent_at,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
        )


@dataclass(frozen=True)
class AskResult:
    question: QuestionView
    occurrence: Occurrence
    next_occurrence: Occurrence | None  # set when the meeting asked about has already started
    duplicate: bool = False


@dataclass
class TickReport:
    """What one tick (or `post-now`) did, as labels "<kind> <occurrence> [-> <recipient>]"."""

    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
