"""The connector double refuses like Teams: driven with the bot's own ConnectorClient (aiohttp pipeline).

Each test asserts what the SDK hands the bot: the HTTP status, Teams' error code and message, the
Retry-After header, and that nothing was recorded as delivered.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ErrorResponseException,
)
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from botframework.connector.bot_framework_sdk_client_async import BotFrameworkConnectorConfiguration

from bot.connector_http import SharedSession, pipeline_type
from copbot.clock import FakeClock
from tests.fakes import connector_refusals as teams
from tests.fakes.connector import FakeConnector, personal_conversation_id
from tests.fakes.rate_limits import TeamsRateLimits, Window

ALICE, BOB, CAROL = "aad-alice", "aad-bob", "aad-carol"
APP_ID = "11111111-2222-3333-4444-555555555555"
TENANT = "tenant-1"
CHANNEL = "19:general@thread.tacv2"


@pytest.fixture
async def client(connector: FakeConnector) -> AsyncIterator[ConnectorClient]:
    session = SharedSession()
    credentials = MicrosoftAppCredentials("", "")
    config = BotFrameworkConnectorConfiguration(
        credentials, connector.url, pipeline_type=pipeline_type(session)
    )
    yield ConnectorClient(credentials, connector.url, custom_configuration=config)
    await session.close()


def text(value: str = "hello") -> Activity:
    return Activity(type="message", text=value)


def one_to_one(person: str) -> ConversationParameters:
    return ConversationParameters(
        is_group=False,
        bot=ChannelAccount(id=f"28:{APP_ID}"),
        members=[ChannelAccount(id=person)],
        tenant_id=TENANT,
        channel_data={"tenant": {"id": TENANT}},
    )


def new_thread(channel: str = CHANNEL) -> ConversationParameters:
    return ConversationParameters(
        is_group=True,
        bot=ChannelAccount(id=f"28:{APP_ID}"),
        channel_data={"channel": {"id": channel}},
        activity=text("a new post"),
        tenant_id=TENANT,
    )


def refusal_of(
    caught: pytest.ExceptionInfo[ErrorResponseException],
) -> tuple[int, Any, str | None]:
    """(status, JSON body or None, Retry-After) as the bot receives them (an aiohttp response
    whose body the pipeline already read and released)."""
    response = caught.value.response
    raw = response._body or b""
    return (
        response.status,
        json.loads(raw) if raw else None,
        response.headers.get("Retry-After"),
    )


def error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


async def send(client: ConnectorClient, conversation_id: str, value: str = "hello") -> str:
    response = await client.conversations.send_to_conversation(conversation_id, text(value))
    return response.id


# -- nothing turned on: the double accepts everything, as before ----------------------------------


async def test_by_default_every_call_is_taken(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    created = await client.conversations.create_conversation(one_to_one(ALICE))
    assert created.id == personal_conversation_id(ALICE)
    sent = await send(client, created.id)
    reply = await client.conversations.reply_to_activity(created.id, sent, text("again"))
    await client.conversations.update_activity(created.id, sent, text("edited"))
    assert reply.id
    assert [r.kind for r in connector.records] == ["send", "reply", "update"]
    assert connector.refused == []


# -- 403: the bot may not write to this person -----------------------------------------------------


async def test_a_person_who_blocked_the_bot_gets_nothing_and_the_bot_hears_403_blocked(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    connector.block(ALICE)

    with pytest.raises(ErrorResponseException) as caught:
        await send(client, personal_conversation_id(ALICE))

    assert refusal_of(caught) == (
        403,
        error("ConversationBlockedByUser", "User blocked the conversation with the bot."),
        None,
    )
    assert connector.to_person(ALICE) == []
    assert await send(client, personal_conversation_id(BOB))  # Bob did not block it


async def test_without_the_app_a_person_cannot_be_reached_until_it_is_installed(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    connector.require_installation(BOB)

    with pytest.raises(ErrorResponseException) as create:
        await client.conversations.create_conversation(one_to_one(ALICE))
    assert refusal_of(create) == (
        403,
        error("BotNotInConversationRoster", "The bot is not part of the conversation roster."),
        None,
    )
    with pytest.raises(ErrorResponseException) as post:
        await send(client, personal_conversation_id(ALICE))
    assert refusal_of(post) == (
        403,
        error("ForbiddenOperationException", "Bot is not installed in user's personal scope"),
        None,
    )
    assert (await client.conversations.create_conversation(one_to_one(BOB))).id

    connector.install(ALICE)  # what Graph's POST /users/{id}/teamwork/installedApps does
    created = await client.conversations.create_conversation(one_to_one(ALICE))
    await send(client, created.id, "welcome")
    # the 1:1 chat id Graph gives (installedApps/{id}/chat) reaches the same person
    await send(client, f"19:{ALICE}_{APP_ID}@unq.gbl.spaces", "card")
    assert [r.text for r in connector.to_person(ALICE)] == ["welcome", "card"]
    assert [(r.kind, r.status, r.code) for r in connector.refused] == [
        ("create", 403, "BotNotInConversationRoster"),
        ("send", 403, "ForbiddenOperationException"),
    ]


async def test_a_person_who_removed_the_app_gives_403_message_writes_blocked(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    connector.require_installation(ALICE)
    connector.uninstall(ALICE)

    with pytest.raises(ErrorResponseException) as caught:
        await send(client, personal_conversation_id(ALICE))

    status, body, _ = refusal_of(caught)
    assert status == 403
    # Teams' own example answer: not the usual {"error": ...} shape
    assert body["errorCode"] == 209
    assert json.loads(body["message"])["subCode"] == "MessageWritesBlocked"


async def test_a_channel_whose_team_lacks_the_bot_refuses_new_threads_and_replies(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    thread = (await client.conversations.create_conversation(new_thread())).id
    connector.refuse(teams.NOT_IN_ROSTER, conversation=CHANNEL)

    with pytest.raises(ErrorResponseException) as create:
        await client.conversations.create_conversation(new_thread())
    with pytest.raises(ErrorResponseException) as reply:
        await client.conversations.reply_to_activity(thread, "act-1", text("reply"))

    for caught in (create, reply):
        assert refusal_of(caught)[:2] == (
            403,
            error("BotNotInConversationRoster", "The bot is not part of the conversation roster."),
        )
    assert await client.conversations.create_conversation(new_thread("19:other@thread.tacv2"))


# -- 404 ------------------------------------------------------------------------------------------


async def test_a_deleted_conversation_is_404_conversation_not_found(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    connector.gone(personal_conversation_id(BOB))

    with pytest.raises(ErrorResponseException) as caught:
        await send(client, personal_conversation_id(BOB))

    assert refusal_of(caught) == (
        404,
        error("ConversationNotFound", "Conversation not found."),
        None,
    )
    created = await client.conversations.create_conversation(one_to_one(BOB))  # a new chat
    assert created.id == personal_conversation_id(BOB)


async def test_updating_a_card_that_was_never_sent_is_404_when_activities_are_checked(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    connector.known_activities_only = True
    conversation = personal_conversation_id(ALICE)
    sent = await send(client, conversation, "card")

    await client.conversations.update_activity(conversation, sent, text("decided"))
    with pytest.raises(ErrorResponseException) as caught:
        await client.conversations.update_activity(conversation, "act-never", text("decided"))

    assert refusal_of(caught)[:2] == (
        404,
        error("ActivityNotFoundInConversation", "Conversation not found."),
    )


# -- passing failures: 412, 429, 5xx ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("refusal", "body"),
    [
        (
            teams.PRECONDITION_FAILED,
            error("PreconditionFailed", "Precondition failed, please try again."),
        ),
        (teams.BAD_GATEWAY, error("ServiceError", "Service dependency issue.")),
        (teams.SERVICE_UNAVAILABLE, None),
        (teams.GATEWAY_TIMEOUT, None),
        (teams.SERVICE_ERROR, error("ServiceError", "Internal server error.")),
        (
            teams.DISABLED_BY_ADMIN,
            error("BotDisabledByAdmin", "The tenant admin disabled this bot"),
        ),
    ],
    ids=lambda value: str(value.status) if isinstance(value, teams.Refusal) else "",
)
async def test_a_refusal_for_the_next_calls_only_then_teams_takes_them(
    connector: FakeConnector, client: ConnectorClient, refusal: teams.Refusal, body: Any
) -> None:
    connector.refuse(refusal, times=2)
    conversation = personal_conversation_id(ALICE)

    for _ in range(2):
        with pytest.raises(ErrorResponseException) as caught:
            await send(client, conversation)
        assert refusal_of(caught) == (refusal.status, body, None)
    assert connector.records == []

    assert await send(client, conversation)
    assert len(connector.records) == 1


async def test_throttling_answers_429_throttled_with_retry_after(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    connector.throttle(times=1, retry_after=3, person=ALICE)

    with pytest.raises(ErrorResponseException) as caught:
        await send(client, personal_conversation_id(ALICE))

    assert refusal_of(caught) == (429, error("Throttled", "Too many requests."), "3")
    assert await send(client, personal_conversation_id(ALICE))


async def test_a_message_over_100_kb_in_utf16_is_413_message_size_too_big(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    connector.limit_message_size()  # Teams: ~100 KB, counted in UTF-16
    conversation = personal_conversation_id(ALICE)

    assert await send(client, conversation, "x" * 45_000)  # ~90 KB in UTF-16
    with pytest.raises(ErrorResponseException) as caught:
        await send(client, conversation, "x" * 52_000)  # ~104 KB in UTF-16

    assert refusal_of(caught) == (
        413,
        error("MessageSizeTooBig", "Message size too large."),
        None,
    )
    assert len(connector.records) == 1


async def test_the_playground_creates_a_chat_with_an_unknown_user_then_fails_every_post(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    connector.create_then_fail(CAROL)

    created = await client.conversations.create_conversation(one_to_one(CAROL))
    assert created.id == personal_conversation_id(CAROL)  # 201 with an id: looks fine...
    with pytest.raises(ErrorResponseException) as caught:
        await send(client, created.id, "approval card")

    assert refusal_of(caught) == (500, error("UserNotFound", "User not found"), None)  # ...is not
    assert connector.to_person(CAROL) == []


# -- Teams' rate limits, on a fake clock ------------------------------------------------------------


async def test_per_thread_limits_7_per_second_then_8_per_2_seconds(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    clock = FakeClock()
    connector.enforce_rate_limits(clock)
    alice = personal_conversation_id(ALICE)

    for n in range(7):
        await send(client, alice, f"#{n}")
    with pytest.raises(ErrorResponseException) as eighth:
        await send(client, alice, "#7")
    assert refusal_of(eighth) == (429, error("Throttled", "Too many requests."), "1")
    assert await send(client, personal_conversation_id(BOB))  # another thread is not concerned

    clock.advance(seconds=1)  # the 1 s window is free again, the 2 s window holds 7 of 8
    await send(client, alice, "#7")
    with pytest.raises(ErrorResponseException) as ninth:
        await send(client, alice, "#8")
    assert refusal_of(ninth)[2] == "1"  # 8 in the last 2 s: wait for the first ones to age out

    clock.advance(seconds=1)
    assert await send(client, alice, "#8")
    assert [r.text for r in connector.to_conversation(alice)] == [f"#{n}" for n in range(9)]
    assert connector.rate_limits is not None and connector.rate_limits.throttled == 2


async def test_per_thread_limit_60_per_30_seconds_tells_how_long_to_wait(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    clock = FakeClock()
    connector.enforce_rate_limits(clock)
    alice = personal_conversation_id(ALICE)

    for n in range(60):  # 4 per second: under the 1 s and 2 s windows
        await send(client, alice, f"#{n}")
        if n % 4 == 3:
            clock.advance(seconds=1)
    clock.advance(seconds=0.5)  # 15.5 s after the first post

    with pytest.raises(ErrorResponseException) as caught:
        await send(client, alice, "one too many")

    assert refusal_of(caught)[0] == 429
    assert refusal_of(caught)[2] == "15"  # the first post leaves the 30 s window in 14.5 s
    clock.advance(seconds=14.5)
    assert await send(client, alice, "fits again")


async def test_creating_chats_counts_per_thread_and_the_tenant_allows_50_per_second(
    connector: FakeConnector, client: ConnectorClient
) -> None:
    clock = FakeClock()
    connector.enforce_rate_limits(clock)

    for n in range(50):  # 50 different people: no thread is over its limit
        await client.conversations.create_conversation(one_to_one(f"aad-{n}"))
    with pytest.raises(ErrorResponseException) as caught:
        await client.conversations.create_conversation(one_to_one("aad-50"))

    assert refusal_of(caught) == (429, error("Throttled", "Too many requests."), "1")
    clock.advance(seconds=1)
    assert await client.conversations.create_conversation(one_to_one("aad-50"))


def test_the_hour_window_allows_1800_per_thread_and_refused_calls_do_not_count() -> None:
    clock = FakeClock()
    limits = TeamsRateLimits(clock)
    sent = refused = 0
    for _ in range(3600 * 2):  # two attempts a second for an hour
        if limits.admit("send", "a:personal-alice") == 0:
            sent += 1
        else:
            refused += 1
        clock.advance(seconds=0.5)

    assert sent == 1800  # 60 per 30 s would allow 7,200 an hour: the hour window is the bound
    assert refused == 3600 * 2 - 1800
    assert limits.admit("send", "a:personal-bob") == 0


def test_the_wait_is_until_the_oldest_call_leaves_the_window() -> None:
    clock = FakeClock()
    limits = TeamsRateLimits(clock, per_thread=[Window(10, 2)], per_tenant=[Window(1, 100)])
    assert limits.admit("send", "t") == 0
    clock.advance(timedelta(seconds=4))
    assert limits.admit("send", "t") == 0
    clock.advance(timedelta(seconds=1))
    assert limits.admit("send", "t") == pytest.approx(5.0)  # the first leaves at t=10
    clock.advance(timedelta(seconds=5))
    assert limits.admit("send", "t") == 0
