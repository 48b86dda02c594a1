"""The directory: who people are and which Microsoft 365 groups they belong to.

The domain talks to the directory only through this protocol. `graph.GraphDirectory` implements it
on Microsoft Graph; `graph.LocalDirectory` keeps memberships in our own database (local mode).
Group ids are opaque strings: a Graph group id in production, ``local:<CoP id>`` in local mode.
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
