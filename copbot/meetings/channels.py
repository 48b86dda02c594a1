"""Channel health: can each CoP's meeting posts reach its channel? For /readyz and
`copbot meetings list` (a CoP without a channel, or whose team does not have the bot, is shown
before its announcements fail)."""

from __future__ import annotations

from copbot.catalog import Catalog, Community
from copbot.store import Database, people


class Channels:
    def __init__(self, *, db: Database, catalog: Catalog):
        self.db = db
        self.catalog = catalog

    async def problems(self) -> dict[str, str]:
        """CoPs whose meeting posts cannot reach a channel: {CoP id: why}."""
        problems = {}
        for community in self.catalog:
            if not community.meetings and not community.events:
                continue
            if not community.channel_id:
                problems[community.id] = "channel_id is empty in the catalog"
            elif not await self.reachable(community):
                problems[community.id] = (
                    f"the bot is not installed in the team of channel {community.channel_id}"
                )
        return problems

    async def reachable(self, community: Community) -> bool:
        """The bot was installed in the channel's team (it recorded a reference on install)."""
        keys = [f"channel:{community.channel_id}"]
        if community.team_id:
            keys.append(f"team:{community.team_id}")
        for key in keys:
            if await people.get_reference(self.db, key) is not None:
                return True
        return False
