"""What meetings add to other features' answers: the next meeting on a CoP's details card, and the
channels meeting posts cannot reach on /readyz (informative: the instance stays ready)."""

from __future__ import annotations

from typing import Any

import cards.meetings as meeting_cards
from copbot.catalog import Community
from copbot.i18n import Lang
from copbot.services import Services


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
    return name, {"ok": True, "channels_missing": problems}, warnings
