"""Joining a CoP: requests, focal-point decisions, memberships, reminders, delivery of cards and
messages, the directory group (through the outbox). `MembershipService` holds one service per job."""

from copbot.membership.model import (
    DecisionOutcome,
    DecisionResult,
    JoinOutcome,
    JoinResult,
    LeaveOutcome,
    LeaveResult,
    MembershipView,
    MyCommunities,
    PrimaryOutcome,
    PrimaryResult,
    Requester,
    RequestView,
    Role,
    Status,
)
from copbot.membership.reminders import MembershipSettings
from copbot.membership.service import MembershipService

__all__ = [
    "DecisionOutcome",
    "DecisionResult",
    "JoinOutcome",
    "JoinResult",
    "LeaveOutcome",
    "LeaveResult",
    "MembershipService",
    "MembershipSettings",
    "MembershipView",
    "MyCommunities",
    "PrimaryOutcome",
    "PrimaryResult",
    "RequestView",
    "Requester",
    "Role",
    "Status",
]
