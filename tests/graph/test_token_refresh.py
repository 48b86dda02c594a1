"""A token Graph refuses (401 InvalidAuthenticationToken: revoked, or expired before its time) is
dropped from every cache, a new one is fetched and the request is sent once more; a second 401 is
a configuration problem. MSAL is the real library, its token endpoint a fake (tests/fakes/entra)."""

from __future__ import annotations

import asyncio

import pytest

from copbot.directory import DirectoryError
from graph.credentials import MsalClientCredential
from graph.directory import GraphDirectory
from tests.fakes.entra import FakeEntra
from tests.fakes.graph_fake import GraphFake

from .conftest import FAST_RETRY

SCOPE = "https://graph.microsoft.com/.default"


def msal_credential(entra: FakeEntra) -> MsalClientCredential:
    return MsalClientCredential(
        "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "11111111-2222-4333-8444-555555555555",
        "not-a-real-secret",
        msal_options=entra.msal_options(),
    )


@pytest.fixture
async def entra_directory(graph: GraphFake):
    entra = FakeEntra()
    directory = GraphDirectory.create(
        msal_credential(entra), graph.base_url, retry=FAST_RETRY, timeout=5.0
    )
    yield entra, directory
    await directory.aclose()


def tokens_sent(graph: GraphFake) -> list[tuple[str | None, int | None]]:
    return [((r.authorization or "").removeprefix("Bearer "), r.status) for r in graph.requests]


async def test_invalidate_drops_the_token_from_our_cache_and_msals() -> None:
    entra = FakeEntra()
    credential = msal_credential(entra)
    first = await credential.get_token(SCOPE)
    assert (await credential.get_token(SCOPE)).token == first.token == "entra-token-1"
    assert entra.token_requests == 1  # the second came from a cache

    assert credential.invalidate_token("entra-token-1") is True
    assert (await credential.get_token(SCOPE)).token == "entra-token-2"
    assert entra.token_requests == 2  # MSAL's own cache did not hand the old one back

    # Someone else renewed first: forgetting the old token again keeps the new one.
    assert credential.invalidate_token("entra-token-1") is False
    assert (await credential.get_token(SCOPE)).token == "entra-token-2"
    assert entra.token_requests == 2


async def test_a_refused_token_is_renewed_and_the_request_sent_once_more(
    graph: GraphFake, entra_directory
) -> None:
    entra, directory = entra_directory
    alice = graph.add_user("Alice", id="a1")
    group = graph.add_group("UBS")
    assert (await directory.get_user("a1")).display_name == "Alice"
    graph.expire_token("entra-token-1")  # revoked / expired early: Graph now says 401

    assert (await directory.add_member(group.id, alice.id)).value == "added"

    assert tokens_sent(graph) == [
        ("entra-token-1", 200),
        ("entra-token-1", 401),
        ("entra-token-2", 204),
    ]
    assert graph.member_ids(group.id) == [alice.id]  # added once
    assert entra.token_requests == 2


async def test_concurrent_calls_share_one_renewal(graph: GraphFake, entra_directory) -> None:
    entra, directory = entra_directory
    for i in range(6):
        graph.add_user(f"User {i}", id=f"u{i}")
    await directory.get_user("u0")
    graph.expire_token("entra-token-1")

    found = await asyncio.gather(*(directory.get_user(f"u{i}") for i in range(6)))

    assert [u.id for u in found] == [f"u{i}" for i in range(6)]
    assert entra.token_requests == 2
    after = tokens_sent(graph)[1:]
    assert sorted(set(after)) == [("entra-token-1", 401), ("entra-token-2", 200)]
    assert after.count(("entra-token-2", 200)) == 6


async def test_a_second_refusal_is_a_credentials_error_not_a_loop(
    graph: GraphFake, entra_directory
) -> None:
    entra, directory = entra_directory
    graph.add_user("Alice", id="a1")
    graph.accept_tokens("a-token-nobody-has")  # e.g. the app's tenant or audience is wrong

    with pytest.raises(DirectoryError) as raised:
        await directory.get_user("a1")

    assert raised.value.status == 401 and "client id" in str(raised.value)
    assert tokens_sent(graph) == [("entra-token-1", 401), ("entra-token-2", 401)]
    assert entra.token_requests == 2


async def test_a_credential_without_a_newer_token_is_not_asked_to_retry(
    graph: GraphFake, make_directory, credential
) -> None:
    """A static token (no `invalidate_token`, same token again): one request, one error."""
    graph.add_user("Alice", id="a1")
    graph.expire_token(credential.token)
    directory = make_directory()

    with pytest.raises(DirectoryError):
        await directory.get_user("a1")

    assert [r.status for r in graph.requests] == [401]
