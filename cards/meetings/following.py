"""The offer to follow a community's practice areas (on the welcome when joining LHS): a choice of
its series and a Follow button (`meetings_follow`, answered by bot/features/meetings/following)."""

from __future__ import annotations

from typing import Any

from cards.elements import submit, text
from copbot.catalog import Community
from copbot.i18n import Lang, t

FOLLOW = "meetings_follow"


def follow_offer(
    community: Community, lang: Lang
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(body, actions) for a card; nothing when the community has no practice-area series."""
    if not community.series:
        return [], []
    body = [
        text(t(lang, "series_welcome_offer", cop=community.id), separator=True),
        {
            "type": "Input.ChoiceSet",
            "id": "series",
            "isMultiSelect": True,
            "style": "expanded",
            "choices": [{"title": s.title.get(lang), "value": s.key} for s in community.series],
        },
    ]
    return body, [submit(t(lang, "series_button_follow"), FOLLOW, cop=community.id)]
