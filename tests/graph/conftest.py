from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from azure.core.credentials import AccessToken

from graph.calls import GraphCalls
from graph.client import RetryPolicy
from graph.directory import GraphDirectory
from tests.fakes.graph_fake import GraphFake

TOKEN = "test-token-1"

# Fast but real: Retry-After is honoured exactly, backoff without Retry-After is ~10 ms.
FAST_RETRY = RetryPolicy(max_retries=3, max_wait=2.0, backoff_base=0.01, backoff_jitter=0.0)


class StaticTokenCredential:
    """An AsyncTokenCredential handing out a fixed token, recording what it was asked for."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.calls.append((scopes, kwargs))
        return AccessToken(self.token, int(time.time()) + 3600)

    async def close(self) -> None:
        pass


@pytest.fixture
async def graph() -> AsyncIterator[GraphFake]:
    async with GraphFake() as fake:
        yield fake


@pytest.fixture
def credential() -> StaticTokenCredential:
    return StaticTokenCredential()


@pytest.fixture
async def make_directory(
    graph: GraphFake, credential: StaticTokenCredential
) -> AsyncIterator[Callable[..., GraphDirectory]]:
    made: list[GraphDirectory] = []

    def make(**kwargs: Any) -> GraphDirectory:
        kwargs.setdefault("retry", FAST_RETRY)
        kwargs.setdefault("timeout", 5.0)
        base_url = kwargs.pop("base_url", graph.base_url)
        directory = GraphDirectory.create(kwargs.pop("credential", credential), base_url, **kwargs)
        made.append(directory)
        return directory

    yield make
    for directory in made:
        await directory.aclose()


@pytest.fixture
def directory(make_directory: Callable[..., GraphDirectory]) -> GraphDirectory:
    return make_directory()


@pytest.fixture
async def make_client(
    graph: GraphFake, credential: StaticTokenCredential
) -> AsyncIterator[Callable[..., Any]]:
    """``make_client(GraphTeamMembers)``: one of the Teams-side clients, on the fake."""
    made: list[GraphCalls] = []

    def make(cls: type[GraphCalls], **kwargs: Any) -> Any:
        kwargs.setdefault("retry", FAST_RETRY)
        kwargs.setdefault("timeout", 5.0)
        client = cls.create(credential, graph.base_url, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()
