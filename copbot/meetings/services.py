"""`Services.meetings`: the meetings feature's services, one per job, built from the ports they use.

    calendar   which occurrences each CoP has; who may manage them        (calendar.py)
    questions  questions in advance, digests' contents, "answered"         (questions.py)
    posting    the tick, post-now, change notices: each post once          (posting.py, claims.py)
    editing    skip, restore, move, theme, add an event                    (editing.py)
    channels   can the posts reach each CoP's channel                       (channels.py)
    feedback   members' 1-5 ratings and comments of a meeting held           (feedback.py)
    followups  recording, materials, summary after a meeting; its posts      (followup.py)
    followers  who follows which practice area's series                     (series.py)

They depend on each other in that order only (editing asks posting for a change notice, posting
asks questions for a digest's contents), never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from copbot.admins import Admins
from copbot.catalog import Catalog
from copbot.clock import Clock
from copbot.delivery.ledger import DeliveryLedger
from copbot.meetings.calendar import Calendar
from copbot.meetings.channels import Channels
from copbot.meetings.editing import Editing
from copbot.meetings.feedback import Feedback
from copbot.meetings.followup import FollowUpCards, FollowUps
from copbot.meetings.ports import MeetingCards
from copbot.meetings.posting import Posting
from copbot.meetings.questions import Questions
from copbot.meetings.schedule import PostPolicy
from copbot.meetings.series import Followers
from copbot.metrics import Metrics
from copbot.notifier import Notifier
from copbot.store import Database
from copbot.work.outbox import Outbox


@dataclass(frozen=True)
class Meetings:
    calendar: Calendar
    questions: Questions
    posting: Posting
    editing: Editing
    channels: Channels
    feedback: Feedback
    followups: FollowUps
    followers: Followers

    @classmethod
    def build(
        cls,
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
        outbox: Outbox,
        followup_cards: FollowUpCards,
        instance_id: str | None = None,
        ledger: DeliveryLedger | None = None,
    ) -> Meetings:
        """`base_url`: the app's public address, for the calendar links in cards;
        `instance_id`: who holds this process's claims (a fresh id by default); `outbox`: where the
        follow-up's posts are queued (`followups.register(outbox)` adds its kinds); `ledger`:
        where the messages to people record their outcome (app.py's, shared with membership)."""
        ledger = ledger or DeliveryLedger(db, clock)
        calendar = Calendar(db=db, catalog=catalog, clock=clock, admins=admins)
        followers = Followers(db=db, clock=clock)
        questions = Questions(
            db=db,
            clock=clock,
            calendar=calendar,
            notifier=notifier,
            cards=cards,
            policy=policy,
            ledger=ledger,
        )
        posting = Posting(
            db=db,
            catalog=catalog,
            clock=clock,
            calendar=calendar,
            questions=questions,
            notifier=notifier,
            metrics=metrics,
            cards=cards,
            policy=policy,
            base_url=base_url,
            followers=followers,
            instance=instance_id,
        )
        editing = Editing(
            db=db,
            clock=clock,
            calendar=calendar,
            posting=posting,
            questions=questions,
            notifier=notifier,
            cards=cards,
            base_url=base_url,
        )
        feedback = Feedback(db=db, clock=clock, calendar=calendar)
        followups = FollowUps(
            db=db,
            catalog=catalog,
            clock=clock,
            calendar=calendar,
            editing=editing,
            notifier=notifier,
            cards=followup_cards,
            outbox=outbox,
            feedback=feedback,
            ledger=ledger,
        )
        return cls(
            calendar,
            questions,
            posting,
            editing,
            Channels(db=db, catalog=catalog),
            feedback,
            followups,
            followers,
        )
