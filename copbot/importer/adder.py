"""How the bulk import puts a chunk of people in a CoP: the Team's bulk add when the CoP has a
`team_id` (``POST /teams/{id}/members/add``: up to 200 per request, per-person results, at once in
Teams), else, or without TeamMember.ReadWrite.All, the group's (``add_members``: 20 per request;
Teams shows it after its background sync)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import structlog

from copbot.catalog import Community
from copbot.directory import (
    MAX_TEAM_BULK_ADD,
    AddOutcome,
    Directory,
    DirectoryError,
    PermissionMissing,
    TeamMembers,
    UnknownTeam,
)

log = structlog.get_logger(__name__)

GROUP_CHUNK = 20  # Graph: at most 20 members@odata.bind references per PATCH


@dataclass
class MemberAdder:
    directory: Directory
    team_members: TeamMembers | None = None
    # Teams whose bulk add was refused in this run (the reason): their CoPs use the group add.
    fell_back: dict[str, str] = field(default_factory=dict)

    def uses_team(self, community: Community) -> bool:
        return bool(
            community.team_id
            and self.team_members is not None
            and community.team_id not in self.fell_back
        )

    def chunk_size(self, community: Community) -> int:
        return MAX_TEAM_BULK_ADD if self.uses_team(community) else GROUP_CHUNK

    async def add(
        self, community: Community, user_ids: Sequence[str]
    ) -> dict[str, AddOutcome | DirectoryError]:
        """Per person: ADDED / ALREADY_MEMBER or the error. Raises UnknownGroup,
        DirectoryUnavailable, DirectoryError like `Directory.add_members`."""
        if self.uses_team(community):
            assert self.team_members is not None
            try:
                return await self.team_members.add_many_to_team(community.team_id, user_ids)
            except (PermissionMissing, UnknownTeam) as exc:
                self.fell_back[community.team_id] = str(exc)
                log.warning(
                    "import.team_add_fallback",
                    cop_id=community.id,
                    team_id=community.team_id,
                    reason=type(exc).__name__,
                )
        outcomes: dict[str, AddOutcome | DirectoryError] = {}
        for start in range(0, len(user_ids), GROUP_CHUNK):
            chunk = list(user_ids[start : start + GROUP_CHUNK])
            outcomes.update(await self.directory.add_members(community.group_key, chunk))
        return outcomes
