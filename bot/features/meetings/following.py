"""Following a practice area's meeting series in words ("follow LHS Finance", "ne plus suivre
Gestion LHS", "seguir Finanzas LHS"): its announcements then reach the person's chat too."""

from __future__ import annotations

from typing import Any

from bot.turn import Turn
from copbot.catalog import Community, MeetingSeries
from copbot.meetings.series import find_series, series_list
from copbot.services import Services


async def _named(turn: Turn, services: Services) -> tuple[Community, MeetingSeries] | None:
    """The series the person named, or None once they were told which ones there are."""
    community, series = find_series(services.catalog, turn.original("name"))
    if series is not None and community is not None:
        return community, series
    if community is not None and community.series:
        await turn.reply(
            turn.t(
                "series_which",
                cop=community.id,
                known=series_list(community, turn.lang),
                example=community.series[-1].title.get(turn.lang),
            )
        )
        return None
    known = "; ".join(f"{c.id}: {series_list(c, turn.lang)}" for c in services.catalog if c.series)
    await turn.reply(turn.t("series_none", known=known or "-"))
    return None


async def follow(turn: Turn, services: Services) -> None:
    found = await _named(turn, services)
    if found is None:
        return
    community, series = found
    added = await services.meetings.followers.follow(turn.user_id, community.id, series.key)
    key = "series_followed" if added else "series_already_followed"
    await turn.reply(turn.t(key, series=series.title.get(turn.lang), cop=community.id))


async def unfollow(turn: Turn, services: Services) -> None:
    found = await _named(turn, services)
    if found is None:
        return
    community, series = found
    removed = await services.meetings.followers.unfollow(turn.user_id, community.id, series.key)
    key = "series_unfollowed" if removed else "series_not_followed"
    await turn.reply(turn.t(key, series=series.title.get(turn.lang), cop=community.id))


async def follow_action(turn: Turn, services: Services, data: dict[str, Any]) -> str:
    """The Follow button of the welcome: follows each practice area ticked."""
    community = services.catalog.get(str(data.get("cop", "")))
    if community is None or not community.series:
        known = "; ".join(
            f"{c.id}: {series_list(c, turn.lang)}" for c in services.catalog if c.series
        )
        return turn.t("series_none", known=known or "-")
    chosen = {k.strip() for k in str(data.get("series") or "").split(",") if k.strip()}
    picked = [s for s in community.series if s.key in chosen]
    if not picked:
        return turn.t(
            "series_which",
            cop=community.id,
            known=series_list(community, turn.lang),
            example=community.series[-1].title.get(turn.lang),
        )
    followers = services.meetings.followers
    for series in picked:
        await followers.follow(turn.user_id, community.id, series.key)
    names = ", ".join(s.title.get(turn.lang) for s in picked)
    return turn.t("series_following_now", series=names)
