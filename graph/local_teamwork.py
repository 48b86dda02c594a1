"""Local mode's Teams side: no tenant, so nothing to install, no Team apart from its group, and
nobody changes a group behind the bot's back. Memberships live in our database
(`LocalDirectory`); these stand in for `GraphTeamMembers`, `GraphGroupDelta`, `GraphAccounts`
and `GraphAppInstaller` so the same workflows run on a laptop with the Playground.
"""

from __future__ import annotations

from collections.abc import Sequence

from copbot.directory import AccountState, AddOutcome, DeltaRound, DirectoryError
from copbot.installer import InstallOutcome

from .local_directory import LocalDirectory

LOCAL_DELTA_LINK = "local"  # not a secret: the "deltaLink" of local mode


class LocalTeamMembers:
    """A team's id is its group's id: a Team add is a group add, ADDED also when already in
    (as Teams answers)."""

    def __init__(self, directory: LocalDirectory):
        self.directory = directory

    async def add_to_team(self, team_id: str, user_id: str, *, owner: bool = False) -> AddOutcome:
        await self.directory.add_member(team_id, user_id)
        return AddOutcome.ADDED

    async def add_many_to_team(
        self, team_id: str, user_ids: Sequence[str]
    ) -> dict[str, AddOutcome | DirectoryError]:
        return {u: await self.add_to_team(team_id, u) for u in dict.fromkeys(user_ids) if u}


class LocalGroupDelta:
    """A full round is the membership we recorded; later rounds have no change."""

    def __init__(self, directory: LocalDirectory):
        self.directory = directory

    async def changes(self, group_id: str, token: str | None) -> DeltaRound:
        if token is not None:
            return DeltaRound(frozenset(), frozenset(), LOCAL_DELTA_LINK, full=False)
        members = frozenset(await self.directory.list_members(group_id))
        return DeltaRound(members, frozenset(), LOCAL_DELTA_LINK, full=True)


class LocalAccounts:
    """Local people never leave: every account is enabled."""

    async def account_states(self, user_ids: Sequence[str]) -> dict[str, AccountState]:
        return dict.fromkeys(user_ids, AccountState.ENABLED)


class LocalAppInstaller:
    """The Playground's users all have the app: nothing to install, and no Graph chat id (create
    the 1:1 chat through the connector instead)."""

    async def catalog_app_id(self, manifest_id: str) -> str | None:
        return manifest_id

    async def install_for_user(self, user_id: str, catalog_app_id: str) -> InstallOutcome:
        return InstallOutcome.ALREADY_INSTALLED

    async def personal_chat_id(self, user_id: str, catalog_app_id: str) -> str | None:
        return None
