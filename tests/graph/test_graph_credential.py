"""Graph's token from azure-identity, for each credential the settings select: the real library
against Entra's token endpoint and App Service's managed identity endpoint on 127.0.0.1 over https
(tests/support/login_double.py), the token then used on the Graph fake by the real msgraph-sdk."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog

from copbot import logs
from copbot.directory import DirectoryError, DirectoryUnavailable
from graph.credential import CredentialConfig, CredentialRefused, GraphCredential
from graph.credential_kind import CredentialKind
from graph.directory import GraphDirectory
from tests.fakes.graph_fake import GraphFake
from tests.support.login_double import LoginDouble, app_certificate

from .conftest import FAST_RETRY

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_ID = "11111111-2222-4333-8444-555555555555"
SECRET = "s3cret-value-that-must-never-leak"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"


@pytest.fixture
def login(tmp_path: Path) -> Iterator[LoginDouble]:
    double = LoginDouble(CLIENT_ID, SECRET, tmp_path, prefix="graph-token").start()
    yield double
    double.stop()


@pytest.fixture
async def make_credential(login: LoginDouble) -> AsyncIterator[Any]:
    made: list[GraphCredential] = []

    def make(kind: CredentialKind = CredentialKind.SECRET, **values: Any) -> GraphCredential:
        values.setdefault("tenant_id", TENANT)
        values.setdefault("client_id", CLIENT_ID)
        values.setdefault("authority_host", login.base)
        if kind == CredentialKind.SECRET:
            values.setdefault("client_secret", SECRET)
        credential = GraphCredential(
            CredentialConfig(kind=kind, **values),
            connection_verify=str(login.cert_path),
            retry_backoff_factor=0.01,
        )
        made.append(credential)
        return credential

    yield make
    for credential in made:
        await credential.close()


async def directory_on(graph: GraphFake, credential: GraphCredential) -> GraphDirectory:
    return GraphDirectory.create(credential, graph.base_url, retry=FAST_RETRY, timeout=5.0)


async def test_a_client_secret_token_serves_every_graph_call_and_is_never_logged(
    graph: GraphFake, login: LoginDouble, make_credential: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    alice = graph.add_user("Alice", mail="alice@example.org")
    group = graph.add_group("PLG")
    credential = make_credential()

    with structlog.testing.capture_logs() as logs:
        async with await directory_on(graph, credential) as directory:
            await directory.add_member(group.id, alice.id)
            await directory.get_user(alice.id)

    [form] = login.requests  # one token request serves both Graph calls
    assert login.paths == [f"/{TENANT}/oauth2/v2.0/token"]
    assert form["grant_type"] == "client_credentials"
    assert form["client_id"] == CLIENT_ID and form["scope"] == GRAPH_SCOPE
    assert {r.authorization for r in graph.requests} == {"Bearer graph-token-1"}
    assert graph.member_ids(group.id) == [alice.id]
    everything = caplog.text + repr(logs) + repr(credential)
    assert SECRET not in everything and "graph-token-1" not in everything


async def test_a_wrong_secret_is_a_directory_error_naming_the_setting_and_nothing_reaches_graph(
    graph: GraphFake, make_credential: Any
) -> None:
    credential = make_credential(
        client_secret="an-old-secret", secret_setting="MICROSOFT_APP_PASSWORD"
    )

    async with await directory_on(graph, credential) as directory:
        with pytest.raises(DirectoryError) as refused:
            await directory.get_user("someone")

    assert refused.value.code == "authentication_failed"
    message = str(refused.value)
    assert "AADSTS7000215" in message and "MICROSOFT_APP_PASSWORD" in message
    assert "an-old-secret" not in message
    assert graph.requests == []


async def test_a_refusal_is_one_structured_line_with_ids_not_the_librarys_free_text(
    make_credential: Any, caplog: pytest.LogCaptureFixture
) -> None:
    buffer = io.StringIO()
    logs.configure("INFO", as_json=True, stream=buffer, cache=False)
    caplog.set_level(logging.WARNING)
    try:
        with pytest.raises(CredentialRefused):
            await make_credential(client_secret="an-old-secret").get_token(GRAPH_SCOPE)
    finally:
        structlog.reset_defaults()

    [line] = [json.loads(x) for x in buffer.getvalue().splitlines() if x.startswith("{")]
    assert (line["event"], line["credential"], line["client_id"]) == (
        "graph.token_refused",
        "secret",
        CLIENT_ID,
    )
    assert not [r for r in caplog.records if r.name.startswith("azure.identity")]
    assert "an-old-secret" not in buffer.getvalue() + caplog.text


async def test_entra_busy_is_unavailable_for_now_and_the_next_call_gets_its_token(
    graph: GraphFake, login: LoginDouble, make_credential: Any
) -> None:
    graph.add_user("Alice", id="a1")
    credential = make_credential()
    login.fail_next(503, times=3)  # azure-identity tries 3 times in-process, then gives up

    async with await directory_on(graph, credential) as directory:
        with pytest.raises(DirectoryUnavailable) as busy:
            await directory.get_user("a1")
        assert "AADSTS90033" in str(busy.value)
        assert graph.requests == []

        assert (await directory.get_user("a1")).display_name == "Alice"  # Entra is back

    assert {r.authorization for r in graph.requests} == {"Bearer graph-token-1"}


async def test_concurrent_first_calls_share_one_token_request(
    graph: GraphFake, login: LoginDouble, make_credential: Any
) -> None:
    for i in range(8):
        graph.add_user(f"User {i}", id=f"u{i}")
    async with await directory_on(graph, make_credential()) as directory:
        found = await asyncio.gather(*(directory.get_user(f"u{i}") for i in range(8)))

    assert [u.id for u in found] == [f"u{i}" for i in range(8)]
    assert login.issued == ["graph-token-1"]


async def test_an_unreachable_login_endpoint_is_unavailable_for_now(
    graph: GraphFake, make_credential: Any
) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    credential = make_credential(authority_host=f"https://127.0.0.1:{port}")

    async with await directory_on(graph, credential) as directory:
        with pytest.raises(DirectoryUnavailable):
            await directory.add_member("group", "user")
    assert graph.requests == []


async def test_a_certificate_signs_the_assertion_and_no_secret_is_sent(
    graph: GraphFake, login: LoginDouble, make_credential: Any, tmp_path: Path
) -> None:
    login.certificate = app_certificate(tmp_path)
    graph.add_user("Alice", id="a1")
    credential = make_credential(
        CredentialKind.CERTIFICATE, certificate_path=str(login.certificate)
    )

    async with await directory_on(graph, credential) as directory:
        assert (await directory.get_user("a1")).display_name == "Alice"

    [form] = login.requests
    assert "client_secret" not in form
    assert form["client_assertion_type"].endswith("jwt-bearer")
    assert graph.requests[0].authorization == "Bearer graph-token-1"


async def test_a_certificate_entra_does_not_know_is_refused_naming_the_certificate_setting(
    graph: GraphFake, login: LoginDouble, make_credential: Any, tmp_path: Path
) -> None:
    uploaded, other = tmp_path / "uploaded", tmp_path / "other"
    uploaded.mkdir()
    other.mkdir()
    login.certificate = app_certificate(uploaded)  # the one the app registration knows
    credential = make_credential(
        CredentialKind.CERTIFICATE, certificate_path=str(app_certificate(other))
    )

    async with await directory_on(graph, credential) as directory:
        with pytest.raises(DirectoryError) as refused:
            await directory.get_user("a1")

    assert "AADSTS700027" in str(refused.value)
    assert "GRAPH_CLIENT_CERTIFICATE_PATH" in str(refused.value)


async def test_a_managed_identity_needs_no_secret_at_all(
    graph: GraphFake,
    login: LoginDouble,
    make_credential: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """App Service's identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER, as Azure sets them);
    a user-assigned identity is chosen by its client id."""
    monkeypatch.setenv("IDENTITY_ENDPOINT", login.identity_endpoint)
    monkeypatch.setenv("IDENTITY_HEADER", "header-from-app-service")
    login.identity_header = "header-from-app-service"
    graph.add_user("Alice", id="a1")
    credential = make_credential(
        CredentialKind.MANAGED_IDENTITY,
        tenant_id="",
        client_id="",
        managed_identity_client_id="mi-client-id",
    )

    async with await directory_on(graph, credential) as directory:
        assert (await directory.get_user("a1")).display_name == "Alice"

    [query] = login.requests
    assert query["resource"] == "https://graph.microsoft.com"
    assert query["client_id"] == "mi-client-id"
    assert graph.requests[0].authorization == "Bearer graph-token-1"
    assert credential.config.describe() == "managed_identity (mi-client-id)"


async def test_a_managed_identity_endpoint_that_refuses_is_a_configuration_error(
    login: LoginDouble, make_credential: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDENTITY_ENDPOINT", login.identity_endpoint)
    monkeypatch.setenv("IDENTITY_HEADER", "a-stale-header")
    login.identity_header = "header-from-app-service"
    credential = make_credential(CredentialKind.MANAGED_IDENTITY, tenant_id="", client_id="")

    with pytest.raises(CredentialRefused) as refused:
        await credential.get_token(GRAPH_SCOPE)

    assert not refused.value.transient
    assert "managed identity" in str(refused.value)


async def test_a_workload_identity_sends_the_service_accounts_token(
    graph: GraphFake, login: LoginDouble, make_credential: Any, tmp_path: Path
) -> None:
    token_file = tmp_path / "azure-identity-token"
    token_file.write_text("federated-service-account-token")
    login.federated_token = "federated-service-account-token"
    graph.add_user("Alice", id="a1")
    credential = make_credential(
        CredentialKind.WORKLOAD_IDENTITY, federated_token_file=str(token_file)
    )

    async with await directory_on(graph, credential) as directory:
        assert (await directory.get_user("a1")).display_name == "Alice"

    [form] = login.requests
    assert form["client_assertion"] == "federated-service-account-token"
    assert "client_secret" not in form


# -- which credential the settings select ---------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ({"client_secret": "s"}, CredentialKind.SECRET),
        ({"client_secret": "s", "certificate_path": "/c.pem"}, CredentialKind.CERTIFICATE),
        ({"federated_token_file": "/t"}, CredentialKind.WORKLOAD_IDENTITY),
        ({"client_secret": "s", "federated_token_file": "/t"}, CredentialKind.SECRET),
        ({}, CredentialKind.MANAGED_IDENTITY),
    ],
)
def test_auto_takes_the_first_configured_credential(
    values: dict[str, str], kind: CredentialKind
) -> None:
    assert CredentialConfig(tenant_id="t", client_id="c", **values).resolved() == kind


def test_an_explicit_kind_wins_over_what_else_is_set() -> None:
    config = CredentialConfig(
        kind=CredentialKind.MANAGED_IDENTITY, client_secret="the-bot-password"
    )
    assert config.resolved() == CredentialKind.MANAGED_IDENTITY
    assert config.problems() == []  # no tenant or app id needed either


def test_each_kind_names_what_it_is_missing(tmp_path: Path) -> None:
    missing = CredentialConfig(kind=CredentialKind.SECRET).problems()
    assert missing == [
        "GRAPH_CREDENTIAL=secret needs MICROSOFT_APP_TENANT_ID",
        "GRAPH_CREDENTIAL=secret needs GRAPH_CLIENT_ID (or MICROSOFT_APP_ID)",
        "GRAPH_CREDENTIAL=secret needs GRAPH_CLIENT_SECRET (or MICROSOFT_APP_PASSWORD)",
    ]
    gone = str(tmp_path / "gone.pem")
    assert CredentialConfig(
        kind=CredentialKind.CERTIFICATE, tenant_id="t", client_id="c", certificate_path=gone
    ).problems() == [f"GRAPH_CLIENT_CERTIFICATE_PATH: no such file {gone}"]
    assert "AZURE_FEDERATED_TOKEN_FILE" in " ".join(
        CredentialConfig(
            kind=CredentialKind.WORKLOAD_IDENTITY, tenant_id="t", client_id="c"
        ).problems()
    )
    assert CredentialConfig(
        client_secret="s", tenant_id="t", client_id="c", authority_host="http://login.example"
    ).problems() == ["LOGIN_AUTHORITY_HOST must be an https URL"]
    with pytest.raises(ValueError, match="GRAPH_CLIENT_SECRET"):
        GraphCredential(CredentialConfig(kind=CredentialKind.SECRET, tenant_id="t", client_id="c"))


def test_no_secret_in_the_description_or_the_repr() -> None:
    config = CredentialConfig(
        tenant_id="t", client_id="c", client_secret=SECRET, certificate_password=SECRET
    )
    assert SECRET not in repr(config) + config.describe()
    assert config.describe() == "secret (app c, tenant t)"
