"""A newcomer in the Playground: welcome, help, the list of communities, one community's details,
in English, French and Spanish."""

from __future__ import annotations

import pytest

from tests.e2e.harness import PlaygroundPage, PlaygroundServer

CASES = {
    "en-US": (
        "Hello Amina!",
        "help",
        "What I can do",
        "communities",
        "Urban Basic Services (UBS)",
        "tell me about LHS",
        "Land, Housing and Shelter (LHS)",
        "Thematic areas",
    ),
    "fr-FR": (
        "Bonjour Amina\u202f!",
        "aide",
        "Ce que je sais faire",
        "communautés",
        "Services urbains de base (UBS)",
        "parle-moi de la CoP climat",
        "Changement climatique (CC)",
        "Points focaux",
    ),
    "es-ES": (
        "¡Hola, Amina!",
        "ayuda",
        "Lo que puedo hacer",
        "comunidades",
        "Servicios Urbanos Básicos (UBS)",
        "háblame de vivienda",
        "Tierra, Vivienda y Refugio (LHS)",
        "Puntos focales",
    ),
}


@pytest.mark.parametrize("locale", list(CASES))
async def test_welcome_help_list_and_details_in_the_users_language(
    copbot: tuple[PlaygroundServer, object], chat: PlaygroundPage, locale: str
) -> None:
    playground, _ = copbot
    hello, help_word, help_title, list_word, ubs, details_words, details_title, details_part = (
        CASES[locale]
    )
    playground.locale = locale

    await chat.open_personal_chat()
    # The welcome may land while the chat is still opening: not necessarily "fresh".
    welcome = await chat.wait_for_bot_message(hello, fresh=False)
    assert "CoP" in welcome

    await chat.send_message(help_word)
    await chat.wait_for_card(help_title)

    await chat.send_message(list_word)
    await chat.wait_for_card(ubs)

    await chat.send_message(details_words)
    await chat.wait_for_card(details_title)
    await chat.wait_for_card(details_part)


async def test_details_button_on_the_list_card_opens_the_community(
    copbot: tuple[PlaygroundServer, object], chat: PlaygroundPage
) -> None:
    await chat.open_personal_chat()
    await chat.send_message("communities")
    await chat.wait_for_card("Planning, Finance and Economy (PFE)")
    await chat.click_card_button("Details", card_contains="Climate Change (CC)")
    details = await chat.wait_for_card("Jean Moreau")  # the demo overlay's CC focal point
    assert details is not None
