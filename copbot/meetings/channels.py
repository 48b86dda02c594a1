"""Channel health: can each CoP's meeting posts reach its channel? For /readyz and
`copbot meetings list` (a CoP without a channel, or whose team does not have the bot, is shown
before its announcements fail)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from copbot.catalog import Catalog, Community
from copbot.store import Database, people
from copbot.store.meetings_models import MeetingPost


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

    async def failed_posts(self, since: datetime) -> list[dict[str, Any]]:
        """Meeting posts due since then that did not go out: failing (tried again while the
        meeting has not started) or given up after being tried; as `copbot deliveries` rows."""
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    select(MeetingPost)
                    .where(
                        MeetingPost.due_at >= since,
                        or_(
                            MeetingPost.status == "failed",
                            and_(MeetingPost.status == "skipped", MeetingPost.attempts > 0),
                        ),
                    )
                    .order_by(MeetingPost.due_at)
                )
            ).all()
        return [
            {
                "kind": f"meeting_{row.kind}",
                "subject": f"cop:{row.cop_id}",
                "recipient": row.recipient or "the CoP's channel",
                "state": "retrying" if row.status == "failed" else "undeliverable",
                "reason": row.reason,
                "attempts": row.attempts,
                "first_tried_at": row.claimed_at,
                "updated_at": row.claimed_at,
            }
            for row in rows
        ]

    async def failed_posts_per_cop(self, since: datetime) -> dict[str, int]:
        """How many meeting posts of each CoP did not go out lately (for /readyz)."""
        counts: dict[str, int] = {}
        for row in await self.failed_posts(since):
            cop = str(row["subject"]).removeprefix("cop:")
            counts[cop] = counts.get(cop, 0) + 1
        return counts
