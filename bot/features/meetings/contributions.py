"""What meetings add to other features' answers: the next meeting on a CoP's details card, and the
channels meeting posts cannot reach, and each CoP's posts that failed lately, on /readyz
(informative: the instance stays ready)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import cards.meetings as meeting_cards
from copbot.catalog import Community
from copbot.i18n import Lang
from copbot.services import Services

FAILED_POSTS_DAYS = 7  # /readyz names each CoP whose posts failed this recently


def next_meeting_on_details(
    community: Community, lang: Lang, services: Services
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    occ = services.meetings.calendar.next_occurrence_cached(community.id)
    if occ is None:
        return [], []
    return meeting_cards.next_meeting_lines(occ, lang, base_url=services.config.public_base_url)


async def readiness(name: str, services: Services) -> tuple[str, dict[str, Any], list[str]]:
    problems = await services.meetings.channels.problems()
    warnings = [f"warning: meetings: {cop}: {why}" for cop, why in problems.items()]
    since = services.clock.now() - timedelta(days=FAILED_POSTS_DAYS)
    failed = await services.meetings.channels.failed_posts_per_cop(since)
    warnings += [
        f"warning: meetings: {cop}: {count} post(s) could not reach Teams in the last "
        f"{FAILED_POSTS_DAYS} days (see `copbot deliveries`)"
        for cop, count in sorted(failed.items())
    ]
    return name, {"ok": True, "channels_missing": problems, "posts_failed": failed}, warnings
