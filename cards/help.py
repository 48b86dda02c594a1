"""The help card: what CoP Bot can do, in the person's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cards.elements import bullet_list, card, heading, submit, text
from copbot.catalog import Community
from copbot.i18n import Lang, colon, t

HELP_LINES = (
    "help_find",
    "help_list",
    "help_details",
    "help_join",
    "help_primary",
    "help_mine",
    "help_questions",
    "help_calendar",
    "help_glossary",
)


def help_card(
    lang: Lang, *, intro_key: str = "help_intro", communities: Iterable[Community] = ()
) -> dict[str, Any]:
    """Everything a person can do, and the communities by their full names."""
    lines = [t(lang, key) for key in HELP_LINES]
    body = [heading(t(lang, "help_title")), text(t(lang, intro_key)), bullet_list(lines)]
    names = ", ".join(c.display_name(lang) for c in communities)
    if names:
        body.append(text(t(lang, "help_communities", names=names), subtle=True))
    return card(
        body,
        [submit(t(lang, "button_all"), "list")],
        fallback_text=colon(lang, t(lang, "help_title"), "; ".join(lines)),
    )
