"""The directory: who people are and which Microsoft 365 groups (and Teams) they belong to.

The domain talks to the directory only through these protocols. `graph.GraphDirectory` implements
`Directory` on Microsoft Graph; `graph.LocalDirectory` keeps memberships in our own database (local
mode). Group ids are opaque strings: a Graph group id in production, ``local:<CoP id>`` in local
mode. A team's id is its group's id.

- `Directory`: users and group membership.
- `TeamMembers`: add people to a Team at once (`graph.teams.GraphTeamMembers`); a group add
  reaches the Team only through a background sync that can take hours.
- `GroupDelta`: one round of a group's membership changes (`graph.delta.GraphGroupDelta`).
- `Accounts`: whether accounts still work (`graph.accounts.GraphAccounts`).

Errors: `DirectoryError` (permanent: retrying will not help) and its kinds `UnknownUser`,
`UnknownGroup`, `UnknownTeam`, `PermissionMissing` (the app registration lacks an application
permission: fall back or warn); `DirectoryUnavailable` (passing: try again, after `retry_after`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class DirectoryUser:
    id: str  # Entra (AAD) object id
    display_name: str
    mail: str | None = None
    user_principal_name: str | None = None
    job_title: str | None = None
    office: str | None = None  # officeLocation
    # accountEnabled; None when the source did not say (local mode, a lookup that did not ask)
    account_enabled: bool | None = None


class AddOutcome(enum.StrEnum):
    ADDED = "added"
    ALREADY_MEMBER = "already_member"


class RemoveOutcome(enum.StrEnum):
    REMOVED = "removed"
    NOT_MEMBER = "not_member"


class DirectoryError(Exception):
    """A request the directory refused for good (bad id, no permission...). Retrying will not help."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


class UnknownUser(DirectoryError):
    """The user does not exist in the directory."""


class UnknownGroup(DirectoryError):
    """The group does not exist in the directory."""


class UnknownTeam(DirectoryError):
    """The team does not exist (or the group has no team)."""


class PermissionMissing(DirectoryError):
    """The app registration lacks an application permission (Graph 403): an admin must grant it
    (with consent). `permission` names it, for the readiness warning and the fallback."""

    def __init__(
        self, message: str, *, permission: str, status: int | None = 403, code: str | None = None
    ):
        super().__init__(message, status=status, code=code)
        self.permission = permission


class DirectoryUnavailable(Exception):
    """A passing failure (throttling, 5xx, timeout, network): the work should be tried again later.

    ``retry_after`` is the directory's own hint in seconds, when it gave one.
    """

    def __init__(
        self, message: str, *, retry_after: float | None = None, status: int | None = None
    ):
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


class Directory(Protocol):
    async def get_user(self, user_id_or_upn: str) -> DirectoryUser | None:
        """Look a user up by object id or user principal name / mail; None when unknown."""
        ...

    async def find_users(self, keys: Sequence[str]) -> dict[str, DirectoryUser | None]:
        """Resolve many object ids or emails at once (batched); each key maps to its user or None."""
        ...

    async def is_member(self, group_id: str, user_id: str) -> bool: ...

    async def add_member(self, group_id: str, user_id: str) -> AddOutcome: ...

    async def add_members(
        self, group_id: str, user_ids: Sequence[str]
    ) -> dict[str, AddOutcome | DirectoryError]:
        """Add many users (in requests of up to 20); per-user outcome. Raises DirectoryUnavailable."""
        ...

    async def remove_member(self, group_id: str, user_id: str) -> RemoveOutcome: ...

    async def list_members(self, group_id: str) -> list[str]:
        """Object ids of every member of the group (follows paging)."""
        ...


# -- Teams membership ------------------------------------------------------------------------------

TEAM_MEMBER_PERMISSION = "TeamMember.ReadWrite.All"
MAX_TEAM_BULK_ADD = 200  # Graph: POST /teams/{id}/members/add takes up to 200 members


class TeamMembers(Protocol):
    """People put in a Team at once (and so in its group). Without TeamMember.ReadWrite.All every
    call raises `PermissionMissing`: fall back to `Directory.add_member` on the group."""

    async def add_to_team(self, team_id: str, user_id: str, *, owner: bool = False) -> AddOutcome:
        """ADDED also when they already were a member (Teams answers 201 either way).
        Raises UnknownTeam, UnknownUser, PermissionMissing, DirectoryUnavailable."""
        ...

    async def add_many_to_team(
        self, team_id: str, user_ids: Sequence[str]
    ) -> dict[str, AddOutcome | DirectoryError]:
        """Bulk add (requests of up to 200); each user's outcome: ADDED, or the error Teams gave
        for that user (UnknownUser, DirectoryError). Raises UnknownTeam, PermissionMissing,
        DirectoryUnavailable (some may be added already: adding again is harmless)."""
        ...


# -- group membership changes --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeltaRound:
    """One round of a group's membership changes.

    ``full`` False: ``added`` and ``removed`` are what changed since the token given.
    ``full`` True: a full round (no token given, or the token was refused: ``restarted``):
    ``added`` is the whole current membership and ``removed`` is empty; compare it with your own
    records to find who left. ``token`` is for the next round: store it as is (opaque, Graph's
    deltaLink; may be a few hundred characters).
    """

    added: frozenset[str]
    removed: frozenset[str]
    token: str
    full: bool
    restarted: bool = False  # the stored token was expired or reset, so this is a full round
    requests: int = 1  # requests it took (pages)


class GroupDelta(Protocol):
    async def changes(self, group_id: str, token: str | None) -> DeltaRound:
        """Membership changes of one group since ``token`` (None: a full round).

        An expired or reset token is handled here: the round restarts in full (``full`` and
        ``restarted`` True), never raises for it. Raises UnknownGroup (the group is gone),
        PermissionMissing, DirectoryUnavailable."""
        ...


# -- accounts ------------------------------------------------------------------------------------


class AccountState(enum.StrEnum):
    ENABLED = "enabled"
    DISABLED = "disabled"  # accountEnabled false: the person can no longer sign in
    DELETED = "deleted"  # the directory no longer knows the account (404)


class Accounts(Protocol):
    async def account_states(self, user_ids: Sequence[str]) -> dict[str, AccountState]:
        """The state of each account (in batches). Raises PermissionMissing,
        DirectoryUnavailable."""
        ...
