"""The membership workflow as one typed value (`Services.membership`): one service per job.

    membership.requests        asking to join (copbot/membership/requests.py)
    membership.decisions       approve / reject (decisions.py)
    membership.memberships     my communities, primary, leave, withdraw (memberships.py)
    membership.reminders       recall and escalate pending requests (reminders.py)
    membership.delivery        approval cards, their updates, the requester's messages (delivery.py)
    membership.directory_work  the directory group: add, remove (directory_work.py)
    membership.reports         what is waiting and why, for `copbot requests` (reports.py)
    membership.notices         what the directory sync tells people (notices.py)
    membership.sync            the directory sync: group rounds, people who left (sync_job.py,
                               sync.py, leavers.py); None without a directory that has delta rounds
    membership.unreached       a request whose cards reached nobody: escalate, tell (unreached.py)

The jobs talk through the database: a step writes its rows and queues the outside work it implies
(copbot/membership/queue.py) in one transaction; `delivery` and `directory_work` do that work as
outbox handlers (`register(outbox)` registers all of them). Plain values in, plain values out: no
Teams, no Graph types here.
"""

from __future__ import annotations

from dataclasses import dataclass

from copbot.admins import Admins
from copbot.catalog import Catalog
from copbot.clock import Clock
from copbot.delivery.ledger import DeliveryLedger
from copbot.directory import Accounts, Directory, GroupDelta, TeamMembers
from copbot.membership.decisions import Decisions
from copbot.membership.delivery import (
    ApprovalCards,
    CardDelivery,
    NextMeeting,
    WelcomeCards,
    no_meetings,
)
from copbot.membership.directory_work import DirectoryWork, TeamAddWarnings
from copbot.membership.leavers import Leavers
from copbot.membership.memberships import Memberships
from copbot.membership.notices import SyncCards, SyncNotices
from copbot.membership.queue import MembershipQueue
from copbot.membership.records import MembershipRecords
from copbot.membership.reminders import MembershipSettings, Reminders
from copbot.membership.reports import RequestsReport
from copbot.membership.requests import JoinRequests
from copbot.membership.sync import GroupSync, SyncObserver, SyncSettings
from copbot.membership.sync_job import DirectorySyncJob
from copbot.membership.unreached import Unreached
from copbot.notifier import Notifier
from copbot.store import Database
from copbot.work.outbox import Outbox


@dataclass(frozen=True)
class MembershipService:
    requests: JoinRequests
    decisions: Decisions
    memberships: Memberships
    reminders: Reminders
    delivery: CardDelivery
    directory_work: DirectoryWork
    reports: RequestsReport
    unreached: Unreached
    notices: SyncNotices | None = None
    sync: DirectorySyncJob | None = None

    @classmethod
    def build(
        cls,
        *,
        db: Database,
        catalog: Catalog,
        directory: Directory,
        clock: Clock,
        outbox: Outbox,
        admins: Admins,
        notifier: Notifier,
        approval_cards: ApprovalCards,
        welcome_cards: WelcomeCards,
        settings: MembershipSettings | None = None,
        next_meeting: NextMeeting = no_meetings,
        skills_profile_url: str = "",
        group_delta: GroupDelta | None = None,
        accounts: Accounts | None = None,
        team_members: TeamMembers | None = None,
        sync_cards: SyncCards | None = None,
        sync_settings: SyncSettings | None = None,
        sync_observers: list[SyncObserver] | None = None,
        ledger: DeliveryLedger | None = None,
    ) -> MembershipService:
        """Every job from the ports it uses; call `register(outbox)` to have its work done."""
        records = MembershipRecords(db, clock, catalog)
        queue = MembershipQueue(outbox)
        settings = settings or MembershipSettings()
        sync_settings = sync_settings or SyncSettings()
        reminders = Reminders(records, catalog, admins, queue, settings)
        sync = None
        if group_delta is not None:
            groups = GroupSync(
                records, catalog, group_delta, queue, sync_settings, list(sync_observers or [])
            )
            leavers = (
                Leavers(records, catalog, accounts, queue, admins, reminders, sync_settings)
                if accounts is not None
                else None
            )
            sync = DirectorySyncJob(groups, leavers)
        ledger = ledger or DeliveryLedger(db, clock)
        notices = (
            SyncNotices(records, catalog, notifier, sync_cards, ledger=ledger)
            if sync_cards
            else None
        )
        return cls(
            requests=JoinRequests(records, catalog, directory, queue),
            decisions=Decisions(records, catalog, admins, queue),
            memberships=Memberships(records, catalog, queue),
            reminders=reminders,
            delivery=CardDelivery(
                records,
                catalog,
                admins,
                queue,
                notifier,
                approval_cards,
                welcome_cards,
                ledger,
                next_meeting=next_meeting,
                skills_profile_url=skills_profile_url,
            ),
            directory_work=DirectoryWork(
                records, catalog, directory, queue, team_members, TeamAddWarnings()
            ),
            reports=RequestsReport(records, outbox, ledger, catalog),
            unreached=Unreached(records, catalog, admins, queue),
            notices=notices,
            sync=sync,
        )

    def register(self, outbox: Outbox) -> None:
        """The outbox kinds of membership and their handlers (each registered once)."""
        self.directory_work.register(outbox)
        self.delivery.register(outbox)
        if self.notices is not None:
            self.notices.register(outbox)
        self.unreached.register(outbox)
