"""The admins' card about a CoP whose focal point left the directory (copbot/membership/notices.py)."""

from __future__ import annotations

from typing import Any

from cards.elements import card, heading, text
from copbot.catalog import Community
from copbot.i18n import Lang, t
from copbot.markup import plain


def focal_point_gone_card(
    community: Community, focal_point_name: str, state: str, pending: int, lang: Lang
) -> dict[str, Any]:
    """`state` is "disabled" or "deleted" (copbot.directory.AccountState)."""
    cop = community.display_name(lang)
    key = "sync_focal_gone_disabled" if state == "disabled" else "sync_focal_gone_deleted"
    title = t(lang, "sync_focal_gone_title", cop=cop)
    return card(
        [
            heading(title),
            text(t(lang, key, name=focal_point_name, cop=cop)),
            text(t(lang, "sync_focal_gone_ask", cop=cop, pending=str(pending))),
        ],
        fallback_text=plain(title),
    )
