"""MsalClientCredential: tokens from MSAL, off the event loop, cached, never logged."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from typing import Any

import pytest
import requests
import structlog
from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError

from copbot.directory import DirectoryError, DirectoryUnavailable
from graph.credentials import MsalClientCredential
from graph.directory import GraphDirectory
from tests.fakes.graph_fake import GraphFake

from .conftest import FAST_RETRY

SECRET = "s3cret-value-that-must-never-leak"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"


class StubMsalApp:
    """Stands in for msal.ConfidentialClientApplication: counts calls, may block like MSAL does."""

    def __init__(
        self,
        *,
        block: float = 0.0,
        expires_in: int = 3600,
        result: dict[str, Any] | None = None,
        error: Exception | None = None,
    ) -> None:
        self.block = block
        self.expires_in = expires_in
        self.result = result
        self.error = error
        self.calls: list[tuple[list[str], str | None]] = []
        self.threads: list[int] = []

    def acquire_token_for_client(
        self, scopes: list[str], claims_challenge: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        self.calls.append((scopes, claims_challenge))
        self.threads.append(threading.get_ident())
        if self.block:
            time.sleep(self.block)  # MSAL does blocking HTTP
        if self.error:
            raise self.error
        if self.result is not None:
            return self.result
        n = len(self.calls)
        return {"access_token": f"token-{n}", "token_type": "Bearer", "expires_in": self.expires_in}


def _credential(app: StubMsalApp, **kwargs: Any) -> MsalClientCredential:
    return MsalClientCredential("tenant-id", "client-id", SECRET, app=app, **kwargs)


async def test_token_is_acquired_once_and_reused() -> None:
    app = StubMsalApp()
    credential = _credential(app)

    tokens = [(await credential.get_token(GRAPH_SCOPE)).token for _ in range(3)]

    assert tokens == ["token-1"] * 3
    assert app.calls == [([GRAPH_SCOPE], None)]


async def test_msal_runs_in_a_worker_thread_and_the_loop_keeps_running() -> None:
    app = StubMsalApp(block=0.3)
    credential = _credential(app)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        token = await credential.get_token(GRAPH_SCOPE)
    finally:
        task.cancel()

    assert token.token == "token-1"
    assert app.threads[0] != threading.get_ident()
    assert ticks >= 5  # the loop ticked while MSAL blocked for 0.3 s


async def test_concurrent_callers_share_one_acquisition() -> None:
    app = StubMsalApp(block=0.1)
    credential = _credential(app)

    tokens = await asyncio.gather(*(credential.get_token(GRAPH_SCOPE) for _ in range(10)))

    assert {t.token for t in tokens} == {"token-1"}
    assert len(app.calls) == 1


async def test_a_token_close_to_expiry_is_renewed() -> None:
    app = StubMsalApp(expires_in=60)  # less than the 5 minute refresh margin
    credential = _credential(app)

    first = await credential.get_token(GRAPH_SCOPE)
    second = await credential.get_token(GRAPH_SCOPE)

    assert (first.token, second.token) == ("token-1", "token-2")
    assert second.expires_on >= int(time.time()) + 55


async def test_a_claims_challenge_bypasses_the_cache() -> None:
    app = StubMsalApp()
    credential = _credential(app)
    await credential.get_token(GRAPH_SCOPE)

    challenged = await credential.get_token(GRAPH_SCOPE, claims='{"access_token":{}}')

    assert challenged.token == "token-2"
    assert app.calls[-1] == ([GRAPH_SCOPE], '{"access_token":{}}')


async def test_default_scope_is_the_graph_default_scope() -> None:
    app = StubMsalApp()
    await _credential(app).get_token()
    assert app.calls == [([GRAPH_SCOPE], None)]


async def test_a_refused_secret_is_a_directory_error_without_the_secret() -> None:
    app = StubMsalApp(
        result={
            "error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided.\nTrace ID: x",
            "error_codes": [7000215],
            "correlation_id": "c-1",
        }
    )
    credential = _credential(app)

    with pytest.raises(ClientAuthenticationError) as raised:
        await credential.get_token(GRAPH_SCOPE)
    assert "AADSTS7000215" in str(raised.value)
    assert SECRET not in str(raised.value)
    assert SECRET not in repr(credential)

    async with GraphFake() as graph:
        directory = GraphDirectory.create(credential, graph.base_url, retry=FAST_RETRY)
        async with directory:
            with pytest.raises(DirectoryError) as refused:
                await directory.get_user("someone")
        assert refused.value.code == "authentication_failed"
        assert graph.requests == []  # nothing reached Graph without a token


@pytest.mark.parametrize(
    "app",
    [
        StubMsalApp(error=requests.ConnectionError("login.microsoftonline.com unreachable")),
        StubMsalApp(result={"error": "temporarily_unavailable", "error_description": "busy"}),
    ],
    ids=["network", "entra-busy"],
)
async def test_a_login_outage_is_directory_unavailable(app: StubMsalApp) -> None:
    credential = _credential(app)
    with pytest.raises(ServiceRequestError):
        await credential.get_token(GRAPH_SCOPE)

    async with GraphFake() as graph:
        directory = GraphDirectory.create(credential, graph.base_url, retry=FAST_RETRY)
        async with directory:
            with pytest.raises(DirectoryUnavailable):
                await directory.add_member("group", "user")


def test_msal_needs_an_https_authority() -> None:
    with pytest.raises(ValueError, match="https"):
        MsalClientCredential("t", "c", SECRET, authority_host="http://login.example")


# -- real MSAL, with its HTTP answered in-process (no network) -----------------------------------


class _Response:
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status_code = status
        self.text = json.dumps(body)
        self.headers = {"Content-Type": "application/json"}

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise requests.HTTPError(str(self.status_code))


class FakeLogin:
    """What MSAL's http_client talks to: OpenID metadata and the token endpoint of one tenant."""

    def __init__(self, host: str, tenant: str) -> None:
        self.base = f"{host}/{tenant}"
        self.gets: list[str] = []
        self.posts: list[tuple[str, dict[str, Any]]] = []

    def get(self, url: str, params: Any = None, headers: Any = None, **kwargs: Any) -> _Response:
        self.gets.append(url)
        return _Response(
            200,
            {
                "token_endpoint": f"{self.base}/oauth2/v2.0/token",
                "authorization_endpoint": f"{self.base}/oauth2/v2.0/authorize",
                "issuer": f"{self.base}/v2.0",
            },
        )

    def post(self, url: str, params: Any = None, data: Any = None, **kwargs: Any) -> _Response:
        self.posts.append((url, dict(data or {})))
        token = f"graph-token-{len(self.posts)}"
        return _Response(200, {"token_type": "Bearer", "expires_in": 3599, "access_token": token})

    def close(self) -> None:
        pass


async def test_real_msal_client_credentials_token_reaches_graph(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    login = FakeLogin("https://login.microsoftonline.com", "contoso-tenant")
    credential = MsalClientCredential(
        "contoso-tenant", "app-client-id", SECRET, msal_options={"http_client": login}
    )

    with structlog.testing.capture_logs() as logs:
        async with GraphFake() as graph:
            alice = graph.add_user("Alice", mail="alice@example.org")
            group = graph.add_group("PLG")
            async with GraphDirectory.create(credential, graph.base_url, retry=FAST_RETRY) as d:
                await d.add_member(group.id, alice.id)
                await d.get_user(alice.id)

    [(url, form)] = login.posts  # one token request serves both Graph calls
    assert url == "https://login.microsoftonline.com/contoso-tenant/oauth2/v2.0/token"
    assert form["grant_type"] == "client_credentials"
    assert form["client_id"] == "app-client-id"
    assert form["scope"] == GRAPH_SCOPE
    assert {r.authorization for r in graph.requests} == {"Bearer graph-token-1"}
    # neither the secret nor the token is written to any log
    everything = caplog.text + repr(logs)
    assert SECRET not in everything
    assert "graph-token-1" not in everything
    assert "alice@example.org" not in repr([e for e in logs if e["log_level"] == "info"])
