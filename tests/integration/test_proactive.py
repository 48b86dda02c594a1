"""BotNotifier (bot/proactive.py) through the real Bot Framework SDK against connectors on
127.0.0.1: what Teams answers becomes the domain's outcome (copbot/notifier.py), and a send that
failed is never reported as sent, also when it fails inside the adapter's callback (after a chat
was created, or in a chat the bot knows), where the SDK would hand it to `on_turn_error`.

Teams' answers: "Status codes from bot conversational APIs",
https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
(403 = the bot may not write there, 404 = conversation gone, 429 with Retry-After = throttled:
https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from copbot.notifier import DeliveryDeferred, NoConversation, SentMessage, Undeliverable
from copbot.store import people
from tests.conftest import RunningBot
from tests.support.bot_client import ALICE, BRUNO

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Hi"}]}


class RefusingConnector:
    """A Bot Connector on 127.0.0.1 that answers every send with one refusal, as Teams does."""

    def __init__(self, status: int, body: dict[str, Any] | None, headers: dict[str, str]):
        self.status, self.body, self.headers = status, body, headers
        self.calls = 0
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> RefusingConnector:
        async def refuse(request: web.Request) -> web.Response:
            self.calls += 1
            if self.body is None:
                return web.Response(status=self.status, headers=self.headers)
            return web.json_response(self.body, status=self.status, headers=self.headers)

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", refuse)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()


@pytest.fixture
async def refusing() -> AsyncIterator[Any]:
    started: list[RefusingConnector] = []

    async def start(
        status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> RefusingConnector:
        connector = await RefusingConnector(status, body, headers or {}).start()
        started.append(connector)
        return connector

    yield start
    for connector in started:
        await connector.stop()


async def a_chat_served_by(bot: RunningBot, service_url: str) -> None:
    """Alice's 1:1 chat as the bot stored it, with its service URL moved to `service_url`."""
    await bot.client.say("hello", ALICE)
    reference = await people.get_reference(bot.services.db, f"user:{ALICE.aad_id}")
    assert reference is not None
    await people.remember_reference(
        bot.services.db,
        f"user:{ALICE.aad_id}",
        "personal",
        reference["conversation"]["id"],
        {**reference, "serviceUrl": service_url},
        bot.clock.now(),
    )


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (403, "BotNotInConversationRoster", "The bot is not part of the conversation roster."),
        (403, "ConversationBlockedByUser", "User blocked the conversation with the bot."),
        (404, "ConversationNotFound", "Conversation not found."),
    ],
)
async def test_a_refusal_for_good_is_undeliverable_with_teams_status_code_and_message(
    bot: RunningBot, refusing: Any, status: int, code: str, message: str
) -> None:
    teams = await refusing(status, {"error": {"code": code, "message": message}})
    await a_chat_served_by(bot, teams.url)
    with pytest.raises(Undeliverable) as refused:
        await bot.services.notifier.send_to_person(ALICE.aad_id, card=CARD)
    assert (refused.value.status, refused.value.code) == (status, code)
    assert refused.value.reason == f"Teams answered {status} ({code}): {message}"
    assert teams.calls == 1


async def test_throttling_is_deferred_with_teams_retry_after(
    bot: RunningBot, refusing: Any
) -> None:
    teams = await refusing(
        429, {"error": {"code": "Throttled", "message": "Too many requests."}}, {"Retry-After": "7"}
    )
    await a_chat_served_by(bot, teams.url)
    with pytest.raises(DeliveryDeferred) as deferred:
        await bot.services.notifier.send_to_person(ALICE.aad_id, text="hello again")
    assert (deferred.value.status, deferred.value.retry_after) == (429, 7.0)
    assert "Throttled" in deferred.value.reason


async def test_an_update_of_a_card_in_a_conversation_gone_is_undeliverable(
    bot: RunningBot, refusing: Any
) -> None:
    teams = await refusing(404, {"error": {"code": "ActivityNotFoundInConversation"}})
    with pytest.raises(Undeliverable) as refused:
        await bot.services.notifier.update_card(SentMessage("a:gone", "act-1", teams.url), CARD)
    assert refused.value.status == 404 and teams.calls == 1


async def test_a_send_that_failed_after_the_chat_was_created_is_not_reported_as_sent(
    bot: RunningBot,
) -> None:
    await bot.client.say("hello", ALICE)  # the bot knows Teams' service URL now
    lost = bot.connector.hold(("send", "reply"), conversation=f"a:personal-{BRUNO.aad_id}")
    send = asyncio.create_task(bot.services.notifier.send_to_person(BRUNO.aad_id, card=CARD))
    await asyncio.wait_for(lost.arrived.wait(), 5)
    lost.drop()  # Teams created the chat, then answered 503 to the message
    with pytest.raises(DeliveryDeferred) as deferred:
        await send
    assert deferred.value.status == 503
    assert [r for r in bot.connector.records if r.conversation_id.endswith(BRUNO.aad_id)] == []


async def test_a_send_that_failed_in_a_known_chat_is_not_reported_as_sent(bot: RunningBot) -> None:
    await bot.client.say("hello", ALICE)
    chat = bot.client.personal_conversation(ALICE)
    lost = bot.connector.hold(("send", "reply"), conversation=chat)
    send = asyncio.create_task(bot.services.notifier.send_to_person(ALICE.aad_id, text="news"))
    await asyncio.wait_for(lost.arrived.wait(), 5)
    lost.drop()
    with pytest.raises(DeliveryDeferred):
        await send
    sent = await bot.services.notifier.send_to_person(ALICE.aad_id, text="news")  # Teams is back
    assert sent.activity_id and sent.conversation_id == chat


async def test_nobody_reached_yet_means_no_conversation(bot: RunningBot) -> None:
    with pytest.raises(NoConversation):
        await bot.services.notifier.send_to_person(BRUNO.aad_id, text="hello")


async def test_a_connector_that_cannot_be_reached_defers(bot: RunningBot, refusing: Any) -> None:
    teams = await refusing(503)
    url = teams.url
    await teams.stop()  # nothing listens there any more
    with pytest.raises(DeliveryDeferred) as deferred:
        await bot.services.notifier.update_card(SentMessage("a:chat", "act-1", url), CARD)
    assert deferred.value.status is None and "could not be reached" in deferred.value.reason
