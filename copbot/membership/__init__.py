"""Joining a CoP: requests, focal-point decisions, memberships, the directory (through the outbox)."""

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
from copbot.membership.service import MembershipService, MembershipSettings

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
