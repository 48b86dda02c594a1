"""A token Graph refuses (401 InvalidAuthenticationToken: revoked, or expired before its time) is
replaced: the credential is asked for a token not before now (the claims request of Graph's CAE
challenge), and the request is sent once more; a second 401 is a configuration problem.
azure-identity is the real library, Entra's token endpoint the login double on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from copbot.directory import DirectoryError
from graph.credential import CredentialConfig, GraphCredential
from graph.directory import GraphDirectory
from tests.fakes.graph_fake import GraphFake
from tests.support.login_double import LoginDouble

from .conftest import FAST_RETRY

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_ID = "11111111-2222-4333-8444-555555555555"


class Entra:
    """The login double, seen as the tests here need it."""

    def __init__(self, double: LoginDouble) -> None:
        self.double = double

    @property
    def token_requests(self) -> int:
        return len(self.double.issued)

    def claims(self, number: int) -> dict[str, Any]:
        """The claims of token request `number` (azure-identity always asks for CAE: xms_cc)."""
        return dict(json.loads(self.double.requests[number - 1].get("claims", "{}")))


@pytest.fixture
async def entra_directory(
    graph: GraphFake, tmp_path: Path
) -> AsyncIterator[tuple[Entra, GraphDirectory]]:
    login = LoginDouble(CLIENT_ID, "not-a-real-secret", tmp_path, prefix="entra-token").start()
    credential = GraphCredential(
        CredentialConfig(
            tenant_id=TENANT,
            client_id=CLIENT_ID,
            client_secret="not-a-real-secret",
            authority_host=login.base,
        ),
        connection_verify=str(login.cert_path),
    )
    directory = GraphDirectory.create(credential, graph.base_url, retry=FAST_RETRY, timeout=5.0)
    yield Entra(login), directory
    await directory.aclose()
    await credential.close()
    login.stop()


def tokens_sent(graph: GraphFake) -> list[tuple[str | None, int | None]]:
    return [((r.authorization or "").removeprefix("Bearer "), r.status) for r in graph.requests]


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
    # the renewal asked for a token not before the refusal (what Graph's CAE challenge asks)
    assert "nbf" not in entra.claims(1)["access_token"]
    assert "nbf" in entra.claims(2)["access_token"]


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
    """A static token (the same token when asked for a newer one): one request, one error."""
    graph.add_user("Alice", id="a1")
    graph.expire_token(credential.token)
    directory = make_directory()

    with pytest.raises(DirectoryError):
        await directory.get_user("a1")

    assert [r.status for r in graph.requests] == [401]
