"""Every proactive message is written in its reader's language, never in the language of whoever
triggered it: an English speaker's request reaches a French-speaking focal point in French, a
focal point the bot has never heard from in the language the catalog gives them, and the welcome
reaches the requester in the language they last used with the bot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from copbot.store import Database, people
from tests.conftest import RunningBot
from tests.fakes.connector import Record, card_text
from tests.support.bot_client import ALICE, BRUNO, CARMEN, User


@pytest.fixture
async def clean_db(db_url: str, database: Database) -> str:
    """`db_url` with its tables emptied (PostgreSQL's database is shared by the session)."""
    return db_url


def focal(user: User, **extra: str) -> dict[str, str]:
    return {"name": user.name, "email": user.email, "aad_object_id": user.aad_id, **extra}


def overlay(tmp_path: Path) -> str:
    """UBS: Bruno (who writes in French) and Carmen (never wrote; the catalog says Spanish)."""
    path = tmp_path / "overlay.yaml"
    communities = {"UBS": {"focal_points": [focal(BRUNO), focal(CARMEN, language="es")]}}
    path.write_text(yaml.safe_dump({"communities": communities}), encoding="utf-8")
    return str(path)


def cards_to(bot: RunningBot, user: User) -> list[Record]:
    """In the chat the bot created, or the one the person opened (its reference is kept)."""
    chats = (f"a:personal-{user.aad_id}", f"a:personal-{user.channel_id}")
    return [r for chat in chats for r in bot.connector.to_conversation(chat) if r.cards]


async def test_each_focal_point_reads_the_request_in_their_language_and_the_requester_too(
    bot_factory: Callable[..., Any], tmp_path: Path, clean_db: str
) -> None:
    bot: RunningBot = await bot_factory(
        database_url=clean_db, CATALOG_OVERLAY_PATH=overlay(tmp_path)
    )
    await bot.client.say("bonjour", BRUNO, locale="fr-FR")
    await bot.components.bot.settle()

    answer = await bot.client.say("join UBS as my primary", ALICE, locale="en-US")
    await bot.components.bot.settle()
    assert "Your request to join Urban Basic Services (UBS)" in answer.texts[0]
    await bot.services.outbox.drain()

    [to_bruno] = [r for r in cards_to(bot, BRUNO) if r.kind != "update"]
    bruno_text = card_text(to_bruno.card)
    assert "Demande d'adhésion à Services urbains de base (UBS)" in bruno_text
    assert "Request to join" not in bruno_text
    [to_carmen] = cards_to(bot, CARMEN)
    assert "Solicitud para unirse a" in card_text(to_carmen.card)

    # Alice switches Teams to Spanish before Bruno decides: the welcome follows her.
    await bot.client.say("hola", ALICE, locale="es-ES")
    await bot.components.bot.settle()
    person = await people.get_person(bot.services.db, ALICE.aad_id)
    assert person is not None and person.locale == "es-ES"
    data = execute_data(to_bruno.card, "membership.approve")
    clicked = await bot.client.execute("membership.approve", data, BRUNO, locale="fr-FR")
    assert clicked.status == 200
    assert "Approuvée par Bruno Costa" in card_text(clicked.body["value"])
    await bot.services.outbox.drain()

    welcome = [card_text(r.card) for r in cards_to(bot, ALICE)]
    assert any(
        "Le damos la bienvenida a Servicios Urbanos Básicos (UBS)" in text for text in welcome
    ), welcome
    # Carmen's copy, updated after the decision, is still in Spanish.
    [carmen_update] = [r for r in cards_to(bot, CARMEN) if r.kind == "update"]
    assert "Aprobada por Bruno Costa" in card_text(carmen_update.card)


async def test_a_message_without_a_locale_keeps_the_one_the_bot_knows(bot: RunningBot) -> None:
    await bot.client.say("bonjour", BRUNO, locale="fr-CA")
    await bot.components.bot.settle()
    await bot.client.post(bot.client.activity("message", BRUNO, text="aide", locale=""))
    await bot.components.bot.settle()
    person = await people.get_person(bot.services.db, BRUNO.aad_id)
    assert person is not None and person.locale == "fr-CA"


def execute_data(card: dict[str, Any], verb: str) -> dict[str, Any]:
    stack: list[Any] = [card]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and node.get("verb") == verb:
                return dict(node["data"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError(f"no {verb} button on the card:\n{card_text(card)}")


async def test_the_channel_welcome_names_its_cop_in_the_channels_language(
    bot_factory: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "channel.yaml"
    ubs = {"team_id": "19:ubs-team@thread.tacv2", "channel_id": "19:ubs-general@thread.tacv2"}
    path.write_text(
        yaml.safe_dump({"communities": {"UBS": {**ubs, "channel_language": "fr"}}}),
        encoding="utf-8",
    )
    bot: RunningBot = await bot_factory(CATALOG_OVERLAY_PATH=str(path))
    welcomed = await bot.client.install_in_team(ubs["team_id"], ubs["channel_id"], ALICE)
    assert "J'annoncerai ici les réunions de Services urbains de base (UBS)" in welcomed.texts[0]
    elsewhere = await bot.client.install_in_team("19:x@thread.tacv2", "19:x@thread.tacv2", ALICE)
    assert "not a Community of Practice's channel in my catalog" in elsewhere.texts[0]


async def test_a_focal_point_joining_their_own_cop_is_decided_by_the_other_focal_points(
    bot_factory: Callable[..., Any], tmp_path: Path, clean_db: str
) -> None:
    """The rule (docs/admin.md): Bruno asks to join UBS, which he leads with Carmen: only Carmen
    is asked (alone, he would approve his own card: tests/e2e/test_join_flow.py)."""
    bot: RunningBot = await bot_factory(
        database_url=clean_db, CATALOG_OVERLAY_PATH=overlay(tmp_path)
    )
    answer = await bot.client.say("join UBS as a secondary", BRUNO, locale="en-US")
    assert answer.texts == [
        "Your request to join Urban Basic Services (UBS) as a secondary CoP is with its focal "
        "points (Carmen Ruiz). I'll tell you as soon as they decide."
    ]
    await bot.services.outbox.drain()
    assert not any("Request to join" in card_text(r.card) for r in cards_to(bot, BRUNO))
    [to_carmen] = cards_to(bot, CARMEN)
    assert "Bruno Costa" in card_text(to_carmen.card)
