"""Plain values of the membership workflow: roles, statuses, outcomes, views of stored rows."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from copbot.catalog import Community
from copbot.delivery.outcome import CHANNEL_PREFIX as CHANNEL_PREFIX  # the recipient form
from copbot.store.membership_models import JoinRequest, Membership


class Role(enum.StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"

    @classmethod
    def parse(cls, value: object) -> Role | None:
        text = str(value or "").strip().lower()
        return cls(text) if text in {r.value for r in cls} else None


class Status(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# Outbox kinds (copbot/membership/queue.py queues them): copbot/membership/directory_work.py does
# the directory ones, copbot/membership/delivery.py delivers the cards and messages.
ADD_TO_GROUP = "membership.add"
REMOVE_FROM_GROUP = "membership.remove"
SEND_CARD = "membership.card"
UPDATE_CARD = "membership.card_update"
NOTIFY_REQUESTER = "membership.notify"
# The directory sync (copbot/membership/sync.py, leavers.py; told by notices.py).
ASK_PRIMARY = "membership.ask_primary"
FOCAL_POINT_GONE = "membership.focal_point_gone"
# Who the audit (and a closed request) says acted when the directory sync noticed a change.
SYNC_ACTOR = "directory-sync"
CLOSED_REASONS = ("account_disabled", "account_deleted")  # requests the sync closed
REACH_CHECK = "membership.reach_check"  # did any card reach someone who can decide?

# Card purposes (one approval card per request, recipient and purpose).
FOR_REQUEST, FOR_REMINDER, FOR_ESCALATION = "request", "reminder", "escalation"
# Events told to the requester. WAITING: no focal point could be reached, the request went to
# the admins; UNREACHED: nobody who may decide could be reached at all.
WELCOME, REJECTED, WAITING, UNREACHED = "welcome", "rejected", "waiting", "unreached"


@dataclass(frozen=True)
class Requester:
    """The person asking, as the turn gives them."""

    id: str
    name: str = ""
    lang: str = "en"


@dataclass(frozen=True)
class RequestView:
    id: str
    person_id: str
    cop_id: str
    role: Role
    note: str
    lang: str
    requester: dict[str, Any]
    status: Status
    created_at: datetime
    decided_by: str | None = None
    decided_by_name: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    added_at: datetime | None = None
    escalated_at: datetime | None = None

    @classmethod
    def of(cls, row: JoinRequest) -> RequestView:
        return cls(
            id=row.id,
            person_id=row.person_id,
            cop_id=row.cop_id,
            role=Role(row.role),
            note=row.note or "",
            lang=row.lang or "en",
            requester=dict(row.requester or {}),
            status=Status(row.status),
            created_at=row.created_at,
            decided_by=row.decided_by,
            decided_by_name=row.decided_by_name,
            decided_at=row.decided_at,
            reason=row.reason,
            added_at=row.added_at,
            escalated_at=row.escalated_at,
        )

    @property
    def requester_name(self) -> str:
        return str(self.requester.get("name") or "") or self.person_id

    @property
    def is_pending(self) -> bool:
        return self.status == Status.PENDING


@dataclass(frozen=True)
class MembershipView:
    cop_id: str
    role: Role
    since: datetime
    added: bool  # in the directory group already (False: approved, being added)

    @classmethod
    def of(cls, row: Membership) -> MembershipView:
        return cls(row.cop_id, Role(row.role), row.since, row.added_at is not None)

    @property
    def is_primary(self) -> bool:
        return self.role == Role.PRIMARY


@dataclass(frozen=True)
class MyCommunities:
    memberships: list[MembershipView]  # the primary first
    pending: list[RequestView]

    @property
    def primary(self) -> MembershipView | None:
        return next((m for m in self.memberships if m.is_primary), None)

    def is_member(self, cop_id: str) -> bool:
        return any(m.cop_id == cop_id for m in self.memberships)

    def is_pending(self, cop_id: str) -> bool:
        return any(r.cop_id == cop_id for r in self.pending)


class JoinResult(enum.StrEnum):
    CREATED = "created"
    NEEDS_ROLE = "needs_role"
    CONFIRM_PRIMARY = "confirm_primary"
    ALREADY_MEMBER = "already_member"
    ALREADY_PENDING = "already_pending"
    UNKNOWN_COMMUNITY = "unknown_community"


@dataclass(frozen=True)
class JoinOutcome:
    result: JoinResult
    community: Community | None = None
    request: RequestView | None = None
    role: Role | None = None  # the role asked, or the one recorded (already a member)
    current_primary: str | None = None  # the person's primary CoP id, when relevant
    recorded_from_directory: bool = False  # already in the group: we now know it too
    focal_points_reached: list[str] = field(default_factory=list)  # names


class DecisionResult(enum.StrEnum):
    DECIDED = "decided"
    ALREADY_DECIDED = "already_decided"
    REFUSED = "refused"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class DecisionOutcome:
    result: DecisionResult
    request: RequestView | None = None


class LeaveResult(enum.StrEnum):
    CONFIRM = "confirm"  # a member: ask before leaving (and for a new primary)
    CONFIRM_WITHDRAW = "confirm_withdraw"  # not a member, a pending request: withdraw it?
    LEFT = "left"
    WITHDRAWN = "withdrawn"
    NOT_MEMBER = "not_member"
    UNKNOWN_COMMUNITY = "unknown_community"


@dataclass(frozen=True)
class LeaveOutcome:
    result: LeaveResult
    community: Community | None = None
    was_primary: bool = False
    others: list[str] = field(default_factory=list)  # the person's other CoPs (choices)
    new_primary: str | None = None


class PrimaryResult(enum.StrEnum):
    DONE = "done"
    ALREADY_PRIMARY = "already_primary"
    NOT_MEMBER = "not_member"
    UNKNOWN_COMMUNITY = "unknown_community"


@dataclass(frozen=True)
class PrimaryOutcome:
    result: PrimaryResult
    community: Community | None = None
    previous: str | None = None
