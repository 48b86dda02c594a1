"""What does X mean: the organisation's abbreviations through the real HTTP route, in en/fr/es."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import RunningBot
from tests.fakes.connector import card_text
from tests.unit.test_finder_card import buttons as submits


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [button["data"] for button in submits(card)]


@pytest.mark.parametrize(
    ("words", "locale", "means", "community"),
    [
        (
            "what does NUA mean?",
            "en-US",
            "**NUA** stands for **New Urban Agenda**.",
            "Policy, Legislation and Governance (PLG)",
        ),
        (
            "que veut dire CDN ?",
            "en-US",  # the question's words say French, whatever the Teams locale
            "**CDN** veut dire **contributions déterminées au niveau national**.",
            "Changement climatique (CC)",
        ),
        (
            "¿qué significa HLP?",
            "es-ES",
            "**HLP** significa **vivienda, tierra y propiedad**.",
            "Tierra, Vivienda y Refugio (LHS)",
        ),
        (
            "what is WASH",
            "en-US",
            "**WASH** stands for **water, sanitation and hygiene**.",
            "Urban Basic Services (UBS)",
        ),
        (
            "c'est quoi la VBG ?",
            "fr-FR",
            "**VBG** veut dire **violences basées sur le genre**.",
            "Sécurité, droits humains et inclusion sociale (SHRSI)",
        ),
        (
            "qué es el PSUP",
            "es-ES",
            "**PSUP** significa **Programa Participativo de Mejoramiento de Barrios Marginales**.",
            "Tierra, Vivienda y Refugio (LHS)",
        ),
        (
            "What does GBV stand for?",
            "en-US",
            "**GBV** stands for **gender-based violence**.",
            "Safety, Human Rights and Social Inclusion (SHRSI)",
        ),
        (
            "CDN, ça veut dire quoi ?",
            "fr-FR",
            "**CDN** veut dire **contributions déterminées au niveau national**.",
            "Changement climatique (CC)",
        ),
        (
            "¿Qué quiere decir VTP?",
            "es-ES",
            "**VTP** significa **vivienda, tierra y propiedad**.",
            "Tierra, Vivienda y Refugio (LHS)",
        ),
    ],
)
async def test_an_abbreviation_is_answered_in_the_askers_language_with_its_communities(
    bot: RunningBot, words: str, locale: str, means: str, community: str
) -> None:
    response = await bot.client.say(words, locale=locale)
    assert response.status == 201
    assert len(response.cards) == 1, response.texts
    text = card_text(response.cards[0])
    assert means in text
    assert community in text
    cop = community.rsplit("(", 1)[1].rstrip(")")
    data = buttons(response.cards[0])
    assert {"verb": "join", "cop": cop} in data
    assert {"verb": "details", "cop": cop} in data


async def test_the_join_button_of_a_glossary_answer_starts_a_join(bot: RunningBot) -> None:
    response = await bot.client.say("what does NUA mean?")
    join = next(d for d in buttons(response.cards[0]) if d["verb"] == "join")
    answer = await bot.client.submit(join)
    said = " ".join(answer.texts) + " ".join(card_text(c) for c in answer.cards)
    assert "Policy, Legislation and Governance (PLG)" in said


async def test_cop_is_the_climate_conference_or_a_community_of_practice(bot: RunningBot) -> None:
    text = card_text((await bot.client.say("what does cop mean?")).cards[0])
    assert "Conference of the Parties" in text and "Community of Practice" in text
    only = card_text((await bot.client.say("what does COP mean?")).cards[0])
    assert "Conference of the Parties" in only and "Climate Change (CC)" in only
    assert "not a Community of Practice (CoP)" in only
    ours = card_text((await bot.client.say("what does CoP mean?")).cards[0])
    assert "Community of Practice" in ours and "Conference of the Parties" not in ours


async def test_a_community_abbreviation_is_named_as_a_community(bot: RunningBot) -> None:
    response = await bot.client.say("que veut dire UBS ?", locale="fr-FR")
    text = card_text(response.cards[0])
    assert "**UBS** veut dire **Services urbains de base**." in text
    assert "communautés de pratique (CoP)" in text


@pytest.mark.parametrize(
    ("words", "locale", "answer"),
    [
        ("what does XYZQ mean?", "en-US", 'I don\'t know the abbreviation "XYZQ"'),
        ("que veut dire ABCD ?", "fr-FR", "Je ne connais pas l'abréviation «\u202fABCD\u202f»"),
        ("¿qué significa QWER?", "es-ES", "No conozco la abreviatura «QWER»"),
    ],
)
async def test_an_unknown_abbreviation_gets_a_clear_answer(
    bot: RunningBot, words: str, locale: str, answer: str
) -> None:
    response = await bot.client.say(words, locale=locale)
    assert response.texts and response.texts[0].startswith(answer)
    assert response.cards  # and what it can do


async def test_what_is_a_community_still_shows_the_community(bot: RunningBot) -> None:
    response = await bot.client.say("what is UBS?")
    assert card_text(response.cards[0]).splitlines()[0] == "Urban Basic Services (UBS)"


async def test_the_next_cop_points_to_climate_change_through_the_route(bot: RunningBot) -> None:
    response = await bot.client.say("I'm preparing the cities pavilion for the next COP")
    text = card_text(response.cards[0])
    assert text.index("1. Climate Change (CC)") < text.index("Conference of the Parties (COP)")


@pytest.mark.parametrize(
    ("words", "locale", "says"),
    [
        ("municipal finance and also climate adaptation", "en-US", "You name two topics."),
        (
            "finances municipales et aussi l'adaptation au climat",
            "fr-FR",
            "Vous citez deux sujets.",
        ),
        ("finanzas municipales y también adaptación climática", "es-ES", "Menciona dos temas."),
    ],
)
async def test_two_topics_through_the_route(
    bot: RunningBot, words: str, locale: str, says: str
) -> None:
    response = await bot.client.say(words, locale=locale)
    text = card_text(response.cards[0])
    assert says in text
    assert {"verb": "join", "cop": "CC", "role": "secondary"} in buttons(response.cards[0])
