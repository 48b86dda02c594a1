"""The help card: what CoP Bot can do, in the person's language."""

from __future__ import annotations

from typing import Any

from cards.elements import bullet_list, card, heading, submit, text
from copbot.i18n import Lang, t

HELP_LINES = ("help_find", "help_list", "help_details", "help_join", "help_mine", "help_calendar")


def help_card(lang: Lang, *, intro_key: str = "help_intro") -> dict[str, Any]:
    lines = [t(lang, key) for key in HELP_LINES]
    return card(
        [heading(t(lang, "help_title")), text(t(lang, intro_key)), bullet_list(lines)],
        [submit(t(lang, "button_all"), "list")],
        fallback_text=t(lang, "help_title") + ": " + "; ".join(lines),
    )
