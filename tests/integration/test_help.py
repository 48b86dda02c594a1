"""Help names everything a person can do (switch primary, questions in advance, the calendar,
the glossary) and writes the communities' names out; every command it shows works as typed."""

from __future__ import annotations

import re

import pytest

from cards.help import HELP_LINES
from copbot.i18n import t
from tests.conftest import RunningBot
from tests.fakes.connector import card_text
from tests.support.bot_client import ALICE

HELP_WORD = {"en-US": "help", "fr-FR": "aide", "es-ES": "ayuda"}
BUTTONS = {"Ask a question", "Poser une question", "Hacer una pregunta"}  # on cards, not typed


@pytest.mark.parametrize("locale", list(HELP_WORD))
async def test_help_names_everything_and_each_command_it_shows_works(
    bot: RunningBot, locale: str
) -> None:
    lang = locale[:2]
    [shown] = (await bot.client.say(HELP_WORD[locale], ALICE, locale=locale)).cards
    text = card_text(shown)
    for key in ("help_primary", "help_questions", "help_calendar", "help_glossary"):
        assert str(t(lang, key)) in text, key  # type: ignore[arg-type]
    for community in bot.services.catalog:
        assert community.display_name(lang) in text  # type: ignore[arg-type]

    not_understood = str(t(lang, "not_understood"))  # type: ignore[arg-type]
    lines = " ".join(str(t(lang, key)) for key in HELP_LINES)  # type: ignore[arg-type]
    commands = [c for c in re.findall(r"\*\*(.+?)\*\*", lines) if c not in BUTTONS]
    assert len(commands) >= 9, commands
    for command in commands:
        typed = command.replace("\u202f", " ")
        answer = await bot.client.say(typed, ALICE, locale=locale)
        assert answer.texts or answer.cards, typed
        assert not_understood not in answer.texts, typed
        title = str(t(lang, "help_title"))  # type: ignore[arg-type]
        assert not any(title in card_text(c) for c in answer.cards), typed
