"""BotNotifier (bot/proactive.py) through the real Bot Framework SDK against the connector double
(tests/fakes/connector.py, which refuses the way Teams does, each refusal with its Microsoft page
in tests/fakes/connector_refusals.py): what Teams answers becomes the domain's outcome
(copbot/notifier.py), and a send that failed is never reported as sent, also when it fails inside
the adapter's callback (after a chat was created, or in a chat the bot knows), where the SDK would
hand the error to `on_turn_error` and return as if it had been sent.
"""

from __future__ import annotations

import socket

import pytest

from copbot.notifier import DeliveryDeferred, NoConversation, SentMessage, Undeliverable
from tests.conftest import RunningBot
from tests.fakes.connector_refusals import (
    BAD_GATEWAY,
    BLOCKED_BY_USER,
    CONVERSATION_NOT_FOUND,
    NOT_IN_ROSTER,
    SERVICE_UNAVAILABLE,
    WRITES_BLOCKED,
    Refusal,
)
from tests.support.bot_client import ALICE, BRUNO

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Hi"}]}


async def alices_chat(bot: RunningBot) -> str:
    """Alice talked to the bot: it knows her 1:1 chat (and Teams' service URL)."""
    await bot.client.say("hello", ALICE)
    return bot.client.personal_conversation(ALICE)


@pytest.mark.parametrize(
    "refusal",
    [NOT_IN_ROSTER, BLOCKED_BY_USER, CONVERSATION_NOT_FOUND],
    ids=lambda r: f"{r.status}-{r.code}",
)
async def test_a_refusal_for_good_is_undeliverable_with_teams_status_code_and_message(
    bot: RunningBot, refusal: Refusal
) -> None:
    bot.connector.refuse(refusal, conversation=await alices_chat(bot))
    with pytest.raises(Undeliverable) as refused:
        await bot.services.notifier.send_to_person(ALICE.aad_id, card=CARD)
    assert (refused.value.status, refused.value.code) == (refusal.status, refusal.code)
    assert refused.value.reason == f"Teams answered {refusal.status} ({refusal.code}): " + (
        refusal.message
    )


async def test_a_blocked_chat_in_teams_own_answer_shape_is_undeliverable(bot: RunningBot) -> None:
    bot.connector.refuse(WRITES_BLOCKED, conversation=await alices_chat(bot))
    with pytest.raises(Undeliverable) as refused:
        await bot.services.notifier.send_to_person(ALICE.aad_id, text="news")
    assert refused.value.status == 403


async def test_throttling_is_deferred_with_teams_retry_after(bot: RunningBot) -> None:
    bot.connector.throttle(retry_after=7, conversation=await alices_chat(bot))
    with pytest.raises(DeliveryDeferred) as deferred:
        await bot.services.notifier.send_to_person(ALICE.aad_id, text="hello again")
    assert (deferred.value.status, deferred.value.retry_after) == (429, 7.0)
    assert "Throttled" in deferred.value.reason


@pytest.mark.parametrize("refusal", [BAD_GATEWAY, SERVICE_UNAVAILABLE], ids=["502", "503"])
async def test_a_failing_teams_is_deferred_and_the_next_try_goes_through(
    bot: RunningBot, refusal: Refusal
) -> None:
    chat = await alices_chat(bot)
    bot.connector.refuse(refusal, conversation=chat, times=1)
    with pytest.raises(DeliveryDeferred) as deferred:
        await bot.services.notifier.send_to_person(ALICE.aad_id, text="news")
    assert deferred.value.status == refusal.status and deferred.value.retry_after is None
    sent = await bot.services.notifier.send_to_person(ALICE.aad_id, text="news")  # Teams is back
    assert sent.activity_id and sent.conversation_id == chat


async def test_a_send_that_failed_after_the_chat_was_created_is_not_reported_as_sent(
    bot: RunningBot,
) -> None:
    await alices_chat(bot)  # the bot knows Teams' service URL now
    bot.connector.create_then_fail(BRUNO.aad_id)  # 201 for the chat, 500 UserNotFound for the post
    # UserNotFound is the Playground's "nobody by that id": for good, whatever the 500 says
    with pytest.raises(Undeliverable) as failed:
        await bot.services.notifier.send_to_person(BRUNO.aad_id, card=CARD)
    assert failed.value.status == 500 and "UserNotFound" in failed.value.reason
    assert [r for r in bot.connector.records if r.conversation_id.endswith(BRUNO.aad_id)] == []


async def test_an_update_of_a_card_in_a_conversation_gone_is_undeliverable(
    bot: RunningBot,
) -> None:
    chat = await alices_chat(bot)
    sent = await bot.services.notifier.send_to_person(ALICE.aad_id, card=CARD)
    bot.connector.gone(chat)
    with pytest.raises(Undeliverable) as refused:
        await bot.services.notifier.update_card(sent, CARD)
    assert (refused.value.status, refused.value.code) == (404, "ConversationNotFound")


async def test_nobody_reached_yet_means_no_conversation(bot: RunningBot) -> None:
    with pytest.raises(NoConversation):
        await bot.services.notifier.send_to_person(BRUNO.aad_id, text="hello")


async def test_a_connector_that_cannot_be_reached_defers(bot: RunningBot) -> None:
    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{free.getsockname()[1]}/"
    with pytest.raises(DeliveryDeferred) as deferred:
        await bot.services.notifier.update_card(SentMessage("a:chat", "act-1", url), CARD)
    assert deferred.value.status is None and "could not be reached" in deferred.value.reason
