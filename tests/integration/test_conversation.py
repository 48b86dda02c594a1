"""The core conversation through the real HTTP route: welcome, help, list, details, in three languages."""

from __future__ import annotations

import pytest

from tests.conftest import RunningBot
from tests.fakes.connector import card_text
from tests.support.bot_client import ALICE

FULL_NAMES = {
    "en-US": [
        "Policy, Legislation and Governance (PLG)",
        "Safety, Human Rights and Social Inclusion (SHRSI)",
        "Planning, Finance and Economy (PFE)",
        "Urban Basic Services (UBS)",
        "Land, Housing and Shelter (LHS)",
        "Climate Change (CC)",
    ],
    "fr-FR": ["Services urbains de base (UBS)", "Changement climatique (CC)"],
    "es-ES": ["Servicios Urbanos Básicos (UBS)", "Cambio Climático (CC)"],
}


async def test_install_greets_once_in_a_short_message(bot: RunningBot) -> None:
    response = await bot.client.install(ALICE)
    assert response.status in (200, 201)
    assert len(response.replies) == 1
    text = response.texts[0]
    assert text.startswith("Hello Alice!")
    assert "Communities of Practice" in text and "help" in text
    assert len(text) < 300


@pytest.mark.parametrize(
    ("locale", "hello", "keyword"),
    [("fr-FR", "Bonjour Alice\u202f!", "aide"), ("es-ES", "¡Hola, Alice!", "ayuda")],
)
async def test_install_greets_in_the_users_language(
    bot: RunningBot, locale: str, hello: str, keyword: str
) -> None:
    response = await bot.client.install(ALICE, locale=locale)
    assert response.texts[0].startswith(hello)
    assert keyword in response.texts[0]


@pytest.mark.parametrize(
    ("words", "locale", "title"),
    [
        ("help", "en-US", "What I can do"),
        ("aide", "fr-FR", "Ce que je sais faire"),
        ("Ayuda", "es-ES", "Lo que puedo hacer"),
        ("what can you do?", "en-US", "What I can do"),
    ],
)
async def test_help_answers_with_a_card_in_the_users_language(
    bot: RunningBot, words: str, locale: str, title: str
) -> None:
    response = await bot.client.say(words, locale=locale)
    assert response.status == 201
    assert len(response.cards) == 1
    text = card_text(response.cards[0])
    assert title in text
    assert response.cards[0]["version"] == "1.5"


@pytest.mark.parametrize("locale", ["en-US", "fr-FR", "es-ES"])
async def test_list_shows_every_community_with_full_name_lead_and_focal_points(
    bot: RunningBot, locale: str
) -> None:
    words = {"en-US": "communities", "fr-FR": "communautés", "es-ES": "comunidades"}[locale]
    response = await bot.client.say(words, locale=locale)
    assert len(response.cards) == 1
    text = card_text(response.cards[0])
    for name in FULL_NAMES[locale]:
        assert name in text
    assert "Veronika Sojkova" in text  # UBS focal point
    assert "Bernhard Barth" in text  # CC focal point
    assert text.count("Details" if locale == "en-US" else "D") >= 6


@pytest.mark.parametrize(
    ("words", "locale", "expected"),
    [
        ("tell me about UBS", "en-US", "Urban Basic Services (UBS)"),
        ("Tell me about the Climate Change CoP", "en-US", "Climate Change (CC)"),
        ("parle-moi de la CoP climat", "fr-FR", "Changement climatique (CC)"),
        ("háblame de vivienda", "es-ES", "Tierra, Vivienda y Refugio (LHS)"),
        ("LHS", "en-US", "Land, Housing and Shelter (LHS)"),
        ("Urban Basic Services", "en-US", "Urban Basic Services (UBS)"),
    ],
)
async def test_details_of_one_community_by_id_or_name(
    bot: RunningBot, words: str, locale: str, expected: str
) -> None:
    response = await bot.client.say(words, locale=locale)
    assert len(response.cards) == 1, response.texts
    text = card_text(response.cards[0])
    assert text.splitlines()[0] == expected
    assert "@un.org" in text  # focal points with their email


async def test_details_button_on_the_list_opens_that_community(bot: RunningBot) -> None:
    response = await bot.client.submit({"verb": "details", "cop": "PFE"})
    assert card_text(response.cards[0]).startswith("Planning, Finance and Economy (PFE)")


async def test_unknown_community_is_named_and_the_list_offered(bot: RunningBot) -> None:
    response = await bot.client.say("tell me about Quantum Knitting")
    assert 'I don\'t know a community called "Quantum Knitting"' in response.texts[0]
    assert "Urban Basic Services (UBS)" in card_text(response.cards[0])


async def test_text_it_does_not_understand_gets_help_not_silence(bot: RunningBot) -> None:
    response = await bot.client.say("zxqv wplk", locale="es-ES")
    assert response.texts[0].startswith("Lo siento, no lo entendí")
    assert "Lo que puedo hacer" in card_text(response.cards[0])


async def test_greeting_gets_the_welcome(bot: RunningBot) -> None:
    response = await bot.client.say("Bonjour", locale="fr-FR")
    assert response.texts[0].startswith("Bonjour Alice\u202f!")


async def test_very_long_text_gets_a_polite_answer(bot: RunningBot) -> None:
    response = await bot.client.say("water " * 1000)
    assert response.status == 201
    assert "too long" in response.texts[0]


async def test_mentions_and_control_characters_are_ignored(bot: RunningBot) -> None:
    response = await bot.client.say("<at>CoP Bot</at> he\u0000lp\u200b")
    assert response.cards or response.texts
    response = await bot.client.say("<at>CoP Bot</at>  help ")
    assert "What I can do" in card_text(response.cards[0])


async def test_a_person_is_remembered_with_a_way_to_reach_them(bot: RunningBot) -> None:
    from copbot.store import people

    await bot.client.say("help", locale="fr-FR")
    person = await people.get_person(bot.services.db, ALICE.aad_id)
    assert person is not None and person.name == "Alice Wanjiru" and person.locale == "fr-FR"
    reference = await people.get_reference(bot.services.db, f"user:{ALICE.aad_id}")
    assert reference is not None
    assert reference["conversation"]["id"] == bot.client.personal_conversation(ALICE)
    assert reference["serviceUrl"] == bot.connector.url


async def test_a_topic_where_a_community_name_was_expected_gets_the_recommendation(
    bot: RunningBot,
) -> None:
    response = await bot.client.say("tell me about water and sanitation")
    text = card_text(response.cards[0])
    names = ["Urban Basic Services (UBS)", "Climate Change (CC)", "Land, Housing and Shelter (LHS)"]
    shown = sorted((text.index(n), n) for n in names if n in text)
    assert shown[0][1] == "Urban Basic Services (UBS)"  # the best match first
    assert "I don't know a community" not in " ".join(response.texts)


async def test_replies_reuse_connections_to_teams_instead_of_opening_one_per_turn(
    bot: RunningBot,
) -> None:
    for _ in range(6):
        await bot.client.say("help")
    connections = set(bot.connector.peers[-6:])
    assert len(connections) <= 2, connections  # the SDK alone opens a new one for every reply
