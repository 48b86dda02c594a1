"""The people, catalog and in-memory directory the membership domain tests share (no Teams,
no Graph: test_membership_flow.py has those)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import yaml

from cards import approval as approval_cards
from cards import membership as membership_cards
from copbot.admins import Admins
from copbot.catalog import Catalog, parse_catalog
from copbot.clock import FakeClock
from copbot.directory import AddOutcome, DirectoryUser, RemoveOutcome
from copbot.membership import MembershipService, Requester
from copbot.notifier import Notifier
from copbot.store import Database
from copbot.work.outbox import Outbox
from copbot.work.policy import Backoff, RetryPolicy
from tests.conftest import ROOT

ALICE = Requester("a1a1a1a1-0000-4000-8000-000000000001", "Alice Wanjiru", "en")
BRUNO = "b2b2b2b2-0000-4000-8000-000000000002"  # UBS focal point
CARMEN = "c3c3c3c3-0000-4000-8000-000000000003"  # UBS and CC focal point
DANIEL = "d4d4d4d4-0000-4000-8000-000000000004"  # nobody's focal point
ERIN = "e5e5e5e5-0000-4000-8000-000000000005"  # an admin


def catalog() -> Catalog:
    overlay = {
        "communities": {
            "UBS": {
                "focal_points": [
                    {"name": "Bruno Costa", "email": "bruno@un.org", "aad_object_id": BRUNO},
                    {"name": "Carmen Ruiz", "email": "carmen@un.org", "aad_object_id": CARMEN},
                    {"name": "No Id Yet", "email": "noid@un.org", "aad_object_id": ""},
                ]
            },
            "CC": {
                "focal_points": [
                    {"name": "Carmen Ruiz", "email": "carmen@un.org", "aad_object_id": CARMEN}
                ]
            },
            "LHS": {
                "focal_points": [
                    {"name": "Carmen Ruiz", "email": "carmen@un.org", "aad_object_id": CARMEN}
                ],
                "focal_points_channel_id": "19:lhs-focal-points@thread.tacv2",
            },
        }
    }
    text = (ROOT / "catalog" / "communities.yaml").read_text(encoding="utf-8")
    return parse_catalog(text, "communities.yaml", yaml.safe_dump(overlay))


class MemoryDirectory:
    """Just enough of copbot.directory.Directory, with a queue of failures to inject."""

    def __init__(self) -> None:
        self.groups: dict[str, set[str]] = defaultdict(set)
        self.users: dict[str, DirectoryUser] = {}
        self.adds: list[tuple[str, str]] = []
        self.removes: list[tuple[str, str]] = []
        self.failures: list[Exception] = []

    async def get_user(self, key: str) -> DirectoryUser | None:
        return self.users.get(key)

    async def find_users(self, keys: Sequence[str]) -> dict[str, DirectoryUser | None]:
        return {k: self.users.get(k) for k in keys}

    async def is_member(self, group_id: str, user_id: str) -> bool:
        return user_id in self.groups[group_id]

    async def add_member(self, group_id: str, user_id: str) -> AddOutcome:
        if self.failures:
            raise self.failures.pop(0)
        self.adds.append((group_id, user_id))
        if user_id in self.groups[group_id]:
            return AddOutcome.ALREADY_MEMBER
        self.groups[group_id].add(user_id)
        return AddOutcome.ADDED

    async def add_members(self, group_id: str, user_ids: Sequence[str]) -> dict[str, Any]:
        return {u: await self.add_member(group_id, u) for u in user_ids}

    async def remove_member(self, group_id: str, user_id: str) -> RemoveOutcome:
        self.removes.append((group_id, user_id))
        if user_id not in self.groups[group_id]:
            return RemoveOutcome.NOT_MEMBER
        self.groups[group_id].discard(user_id)
        return RemoveOutcome.REMOVED

    async def list_members(self, group_id: str) -> list[str]:
        return sorted(self.groups[group_id])


def outbox_on(db: Database, clock: FakeClock) -> Outbox:
    """The production retry policy without jitter (tests move the clock by exact delays)."""
    return Outbox(db, clock, policy=RetryPolicy(schedule=Backoff(base=30, cap=3600, jitter=0)))


def membership_on(
    db: Database,
    clock: FakeClock,
    outbox: Outbox,
    directory: MemoryDirectory,
    notifier: Notifier,
    **options: Any,
) -> MembershipService:
    """The membership workflow as app.py builds it, on these doubles (ERIN is the admin)."""
    return MembershipService.build(
        db=db,
        catalog=catalog(),
        directory=directory,  # type: ignore[arg-type]
        clock=clock,
        outbox=outbox,
        admins=Admins.of([ERIN]),
        notifier=notifier,
        approval_cards=approval_cards,
        welcome_cards=membership_cards,
        **options,
    )
