"""The composition root's one Graph credential, end to end: the settings select it, every Graph
client of the running bot uses it (a join approved on a card adds the person with its token),
/readyz names it and says when Entra refuses it, and shutdown closes it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import ValidationError

import app as composition
from graph.credential import CredentialConfig, GraphCredential
from graph.credential_kind import CredentialKind
from tests.conftest import RunningBot, make_settings
from tests.fakes.graph_fake import GraphFake
from tests.integration.test_membership_flow import (
    approve_as,
    ask_to_join_ubs,
    graph,  # noqa: F401 (the fixture: the Graph fake with the CoPs' people and groups)
    graph_settings,
    welcomes,
)
from tests.support.bot_client import ALICE, BRUNO, GROUPS, TENANT
from tests.support.login_double import LoginDouble

CLIENT_ID = "11111111-2222-4333-8444-555555555555"


class ClosingCredential(GraphCredential):
    closed = 0

    async def close(self) -> None:
        type(self).closed += 1
        await super().close()


@pytest.fixture
def login(tmp_path: Path) -> Iterator[LoginDouble]:
    double = LoginDouble(CLIENT_ID, "the-graph-secret", tmp_path, prefix="graph-token").start()
    yield double
    double.stop()


def credential_on(login: LoginDouble, secret: str) -> ClosingCredential:
    config = CredentialConfig(
        tenant_id=TENANT, client_id=CLIENT_ID, client_secret=secret, authority_host=login.base
    )
    return ClosingCredential(config, connection_verify=str(login.cert_path))


async def readyz(bot: RunningBot) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(f"{bot.base_url}/readyz") as r:
        return r.status, await r.json()


async def test_an_approval_adds_the_person_with_the_credentials_token_and_readyz_names_it(
    bot_factory: Callable[..., Any],
    graph: GraphFake,  # noqa: F811
    login: LoginDouble,
    tmp_path: Path,
) -> None:
    credential = credential_on(login, "the-graph-secret")
    bot = await bot_factory(
        graph_credential=credential,
        **graph_settings(tmp_path, GRAPH_BASE_URL=graph.base_url),
    )
    card = await ask_to_join_ubs(bot)  # the focal points' details were read through Graph
    await approve_as(bot, card, BRUNO)

    assert graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]
    assert len(welcomes(bot.connector)) == 1
    assert {r.authorization for r in graph.requests} == {"Bearer graph-token-1"}
    assert login.issued == ["graph-token-1"]  # one token for every client of the process

    status, body = await readyz(bot)
    assert status == 200 and body["status"] == "ready"
    assert body["checks"]["graph_credential"] == {
        "ok": True,
        "credential": f"secret (app {CLIENT_ID}, tenant {TENANT})",
        "login": "ok",
    }
    assert not [w for w in body["warnings"] if "graph" in w]

    closed = ClosingCredential.closed
    await composition.close_components(bot.components, started=False)
    assert ClosingCredential.closed == closed + 1


async def test_a_refused_credential_is_a_readyz_warning_naming_the_setting_and_chat_still_works(
    bot_factory: Callable[..., Any],
    graph: GraphFake,  # noqa: F811
    login: LoginDouble,
    tmp_path: Path,
) -> None:
    bot = await bot_factory(
        graph_credential=credential_on(login, "last-years-secret"),
        **graph_settings(tmp_path, GRAPH_BASE_URL=graph.base_url),
    )

    status, body = await readyz(bot)

    assert status == 200  # finding a CoP in chat needs no Graph token
    assert "AADSTS7000215" in body["checks"]["graph_credential"]["login"]
    [warning] = [w for w in body["warnings"] if "Graph token" in w]
    assert "GRAPH_CLIENT_SECRET" in warning and "last-years-secret" not in warning
    assert (await bot.client.say("help")).status == 201
    assert graph.requests == []


# -- the settings that select it ------------------------------------------------------------------


def graph_mode(**values: Any) -> Any:
    return make_settings(
        DIRECTORY_MODE="graph", MICROSOFT_APP_TENANT_ID=TENANT, GRAPH_CLIENT_ID=CLIENT_ID, **values
    )


async def test_the_settings_select_the_credential_and_name_the_secret_they_took() -> None:
    fallback = graph_mode(MICROSOFT_APP_PASSWORD="bot-pw").graph_credential_config()
    assert fallback.resolved() == CredentialKind.SECRET
    assert fallback.secret_setting == "MICROSOFT_APP_PASSWORD"
    own = graph_mode(
        MICROSOFT_APP_PASSWORD="bot-pw", GRAPH_CLIENT_SECRET="graph-pw"
    ).graph_credential_config()
    assert (own.client_secret, own.secret_setting) == ("graph-pw", "GRAPH_CLIENT_SECRET")

    # On Azure: the bot keeps its password for Bot Framework, Graph uses the managed identity.
    settings = graph_mode(MICROSOFT_APP_PASSWORD="bot-pw", GRAPH_CREDENTIAL="managed_identity")
    credential = composition.build_graph_credential(settings)
    assert credential is not None and credential.kind == CredentialKind.MANAGED_IDENTITY
    await credential.close()
    assert composition.build_graph_credential(make_settings()) is None  # local mode: none

    # A bot running as a user-assigned managed identity: Graph uses the same one, no secret.
    msi = graph_mode(
        MICROSOFT_APP_ID="mi-client-id", MICROSOFT_APP_TYPE="UserAssignedMSI"
    ).graph_credential_config()
    assert msi.resolved() == CredentialKind.MANAGED_IDENTITY
    assert msi.describe() == "managed_identity (mi-client-id)"


def test_settings_that_cannot_give_a_token_are_reported_before_start(tmp_path: Path) -> None:
    problems = composition.check_settings(graph_mode(GRAPH_CREDENTIAL="certificate"))
    assert problems == ["GRAPH_CREDENTIAL=certificate needs GRAPH_CLIENT_CERTIFICATE_PATH"]
    assert composition.check_settings(graph_mode(GRAPH_CREDENTIAL="workload_identity")) == [
        "GRAPH_CREDENTIAL=workload_identity needs AZURE_FEDERATED_TOKEN_FILE "
        "(set by the AKS workload identity webhook)"
    ]
    with pytest.raises(composition.StartupError, match="GRAPH_CLIENT_SECRET"):
        composition.build_components(
            graph_mode(GRAPH_CREDENTIAL="secret", DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
        )
    with pytest.raises(ValidationError, match="GRAPH_CREDENTIAL"):
        graph_mode(GRAPH_CREDENTIAL="password")
