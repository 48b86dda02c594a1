"""Which CoP fits me, through the real HTTP route: a person describes their work in the 1:1 chat."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import RunningBot
from tests.fakes.connector import card_text
from tests.support.bot_client import ALICE


def submits(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                found.append(node["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


async def test_an_english_question_gets_the_right_community_first_with_its_reason(
    bot: RunningBot,
) -> None:
    response = await bot.client.say("which CoP fits me? I work on bus rapid transit in Addis")
    assert response.status in (200, 201)
    assert len(response.cards) == 1, response.texts
    card = response.cards[0]
    text = card_text(card)
    assert text.splitlines()[0] == "Communities of Practice for your work"
    assert "1. Urban Basic Services (UBS)" in text
    assert "Matched: bus rapid transit" in text
    assert "Veronika Sojkova" in text  # the focal point, to contact meanwhile
    assert {"verb": "join", "cop": "UBS", "role": "primary"} in submits(card)
    assert {"verb": "join", "cop": "UBS", "role": "secondary"} in submits(card)
    assert "Also consider a cross-cutting CoP" in text
    assert card["version"] == "1.5" and "Urban Basic Services (UBS)" in card["fallbackText"]


async def test_a_french_question_gets_a_french_card(bot: RunningBot) -> None:
    response = await bot.client.say("Je travaille sur le foncier", locale="fr-FR")
    text = card_text(response.cards[0])
    assert text.splitlines()[0] == "Les communautés de pratique pour votre travail"
    assert "1. Foncier, logement et abris (LHS)" in text
    assert "Correspond à\u202f: foncier" in text
    assert "Rejoindre (principale)" in text


async def test_the_card_follows_the_language_the_person_writes_in(bot: RunningBot) -> None:
    response = await bot.client.say("trabajo en vivienda social", locale="en-US")
    text = card_text(response.cards[0])
    assert "1. Tierra, Vivienda y Refugio (LHS)" in text
    assert "Coincide con: vivienda social" in text


@pytest.mark.parametrize(
    ("words", "locale", "expected"),
    [
        ("water and sanitation", "en-US", "1. Urban Basic Services (UBS)"),
        (
            "I'm the gender focal point of our office",
            "en-US",
            "1. Safety, Human Rights and Social Inclusion (SHRSI)",
        ),
        ("quelle CoP pour la finance climatique ?", "fr-FR", "1. Changement climatique (CC)"),
        (
            "¿Qué CoP me recomiendas? Soy abogada y trabajo en leyes urbanas",
            "es-ES",
            "1. Políticas, Legislación y Gobernanza (PLG)",
        ),
        (
            "what is the right community for a land surveyor?",
            "en-US",
            "1. Land, Housing and Shelter (LHS)",
        ),
    ],
)
async def test_free_text_and_explicit_questions_in_three_languages(
    bot: RunningBot, words: str, locale: str, expected: str
) -> None:
    response = await bot.client.say(words, locale=locale)
    assert len(response.cards) == 1, response.texts
    assert expected in card_text(response.cards[0])


@pytest.mark.parametrize(
    ("words", "locale", "sentence"),
    [
        (
            "how do I reset my password?",
            "en-US",
            "I'm not sure which Community of Practice fits that",
        ),
        ("what time is it in New York", "en-US", "I'm not sure"),
        ("¿dónde está la cafetería?", "es-ES", "No estoy seguro"),
    ],
)
async def test_off_topic_gets_not_sure_and_the_list_offered(
    bot: RunningBot, words: str, locale: str, sentence: str
) -> None:
    response = await bot.client.say(words, locale=locale)
    assert len(response.cards) == 1
    card = response.cards[0]
    assert sentence in card_text(card)
    assert {"verb": "list"} in submits(card)
    listed = await bot.client.submit({"verb": "list"}, locale=locale)
    assert "Urban Basic Services (UBS)" in card_text(
        listed.cards[0]
    ) or "Servicios Urbanos Básicos (UBS)" in card_text(listed.cards[0])


async def test_asking_without_saying_what_the_work_is_gets_asked_about_the_work(
    bot: RunningBot,
) -> None:
    response = await bot.client.say("Which CoP fits me?")
    text = card_text(response.cards[0])
    assert "Tell me in a few words what your work is about" in text
    assert {"verb": "list"} in submits(response.cards[0])


async def test_a_greeting_still_gets_the_welcome(bot: RunningBot) -> None:
    response = await bot.client.say("hello")
    assert response.texts[0].startswith("Hello Alice!")
    assert not response.cards


async def test_gibberish_is_left_to_the_not_understood_answer(bot: RunningBot) -> None:
    response = await bot.client.say("zxqv wplk", locale="es-ES")
    assert response.texts[0].startswith("Lo siento, no lo entendí")


async def test_an_exact_community_name_still_shows_its_details(bot: RunningBot) -> None:
    response = await bot.client.say("Urban Basic Services")
    assert card_text(response.cards[0]).splitlines()[0] == "Urban Basic Services (UBS)"


async def test_the_buttons_of_the_card_work(bot: RunningBot) -> None:
    response = await bot.client.say("slum upgrading and land tenure")
    card = response.cards[0]
    assert {"verb": "details", "cop": "LHS"} in submits(card)
    details = await bot.client.submit({"verb": "details", "cop": "LHS"})
    assert card_text(details.cards[0]).splitlines()[0] == "Land, Housing and Shelter (LHS)"
    join = await bot.client.submit({"verb": "join", "cop": "LHS", "role": "primary"}, user=ALICE)
    assert join.status in (200, 201)
    assert join.replies  # the join feature answers (or, without it, a polite "not understood")
