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
        """CoPs (and practice areas' series, "LHS/finance") whose meeting posts cannot reach a
        channel: {CoP id or CoP/series: why}."""
        problems = {}
        for community in self.catalog:
            places = [("", bool(community.meetings or community.events))]
            places += [(s.key, bool(s.meetings or s.events)) for s in community.series]
            for series, has_posts in places:
                if not has_posts:
                    continue
                name = f"{community.id}/{series}" if series else community.id
                _team, channel_id = community.series_channel(series)
                if not channel_id:
                    problems[name] = "channel_id is empty in the catalog"
                elif not await self.reachable(community, series):
                    problems[name] = f"the bot is not installed in the team of channel {channel_id}"
        return problems

    async def reachable(self, community: Community, series: str = "") -> bool:
        """The bot was installed in the channel's team (it recorded a reference on install)."""
        team_id, channel_id = community.series_channel(series)
        keys = [f"channel:{channel_id}"]
        if team_id:
            keys.append(f"team:{team_id}")
        for key in keys:
            if await people.get_reference(self.db, key) is not None:
                return True
        return False
