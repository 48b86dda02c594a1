"""The directory sync's and the Team add's ports (Graph mode); all None in local mode."""

from __future__ import annotations

from dataclasses import dataclass

from copbot.directory import Accounts, GroupDelta, TeamMembers


@dataclass(frozen=True)
class SyncPorts:
    group_delta: GroupDelta | None = None
    accounts: Accounts | None = None
    team_members: TeamMembers | None = None

    async def aclose(self) -> None:
        for port in (self.group_delta, self.accounts, self.team_members):
            close = getattr(port, "aclose", None)
            if close is not None:
                await close()
