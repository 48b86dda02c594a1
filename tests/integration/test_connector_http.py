"""Outbound calls to Teams on aiohttp: a request that may have been delivered is not repeated."""

from __future__ import annotations

import socket
from contextlib import closing

import pytest
from botbuilder.schema import Activity, ErrorResponseException
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from botframework.connector.bot_framework_sdk_client_async import BotFrameworkConnectorConfiguration

from bot.connector_http import SharedSession, pipeline_type
from tests.fakes.connector import FakeConnector


def client_for(url: str, session: SharedSession, credentials=None) -> ConnectorClient:
    credentials = credentials or MicrosoftAppCredentials("", "")
    config = BotFrameworkConnectorConfiguration(
        credentials, url, pipeline_type=pipeline_type(session)
    )
    return ConnectorClient(credentials, url, custom_configuration=config)


async def test_a_reply_is_sent_once_even_when_teams_answers_503(connector: FakeConnector) -> None:
    session = SharedSession()
    client = client_for(connector.url, session)
    connector.fail_next = 1
    with pytest.raises(ErrorResponseException):
        await client.conversations.send_to_conversation(
            "conv-1", Activity(type="message", text="hi")
        )
    assert connector.records == []  # not sent behind the caller's back
    result = await client.conversations.send_to_conversation(
        "conv-1", Activity(type="message", text="hi")
    )
    assert result.id and [r.text for r in connector.records] == ["hi"]
    await session.close()


async def test_unreachable_teams_is_an_error_after_a_few_tries() -> None:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once we leave: nothing listens there
    session = SharedSession()
    client = client_for(f"http://127.0.0.1:{port}/", session)
    with pytest.raises(Exception) as caught:
        await client.conversations.send_to_conversation("c", Activity(type="message", text="x"))
    assert "Cannot connect" in str(caught.value) or "Connect" in type(caught.value).__name__
    await session.close()


class _Fixed(MicrosoftAppCredentials):
    calls = 0

    def get_access_token(self, force_refresh: bool = False) -> str:
        type(self).calls += 1
        return "fixed-token"


async def test_the_apps_token_is_sent_and_reused(connector: FakeConnector) -> None:
    session = SharedSession()
    client = client_for(connector.url, session, _Fixed("app-id", "secret"))
    for text in ("one", "two", "three"):
        await client.conversations.send_to_conversation("c", Activity(type="message", text=text))
    assert connector.authorizations[-3:] == ["Bearer fixed-token"] * 3
    assert _Fixed.calls == 1  # MSAL is asked once, not per message
    await session.close()


async def test_connection_retries_wait_as_the_shared_backoff_says(monkeypatch) -> None:
    """No connection: tried again after copbot.work.policy's backoff (with its jitter), not a
    formula of its own."""
    import random

    from msrest.pipeline import Request
    from msrest.universal_http import ClientRequest

    from bot import connector_http
    from copbot.work.policy import Backoff

    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(connector_http.asyncio, "sleep", record)
    monkeypatch.setattr(random, "uniform", lambda a, b: b)  # the most jitter the policy allows
    session = connector_http.SharedSession()
    sender = connector_http.AiohttpSender(session)
    request = Request(ClientRequest("POST", "http://127.0.0.1:9/v3/conversations"))
    try:
        await sender.send(request)
    except Exception:  # nothing listens on port 9: every attempt fails to connect
        pass
    finally:
        await session.close()
    expected = [Backoff(base=0.5, cap=4.0).delay(n) for n in (1, 2)]
    assert waits == expected and waits[0] > 0.5  # jittered, as the policy's backoff is
