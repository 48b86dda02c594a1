"""Every approval card reaches its person, or someone knows it did not (issue 11), through the real
HTTP route on SQLite and PostgreSQL, with the connector double refusing like Teams and the Graph
fake installing the app:

- a focal point who never opened the bot gets the app installed through Graph, then the card;
- without the install permission: the other focal point has the card, the first is shown
  undeliverable with that reason, /readyz warns once;
- no focal point reachable: the admin gets the request at once, the requester is told; nobody
  reachable at all: `copbot requests` and /readyz say so;
- a chat created and then a send refused is never recorded as sent, and never updated.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from azure.core.credentials import AccessToken
from sqlalchemy import select

from cli.requests import report_lines
from copbot.installer import INSTALL_PERMISSION
from copbot.store import Database, audit
from copbot.store.membership_models import ApprovalCard
from graph.client import RetryPolicy
from graph.directory import GraphDirectory
from graph.installs import GraphAppInstaller
from tests.conftest import RunningBot
from tests.fakes.connector import FakeConnector, card_text
from tests.fakes.connector_refusals import SERVICE_ERROR
from tests.fakes.graph_fake import GraphFake
from tests.support.bot_client import ALICE, BRUNO, CARMEN, ERIN, GROUPS, TENANT, User

# Every permission that would let the app install itself for a user (Graph accepts any of them).
INSTALL_PERMISSIONS = (
    INSTALL_PERMISSION,
    "TeamsAppInstallation.ReadWriteForUser.All",
)
MANIFEST_ID = "6a4f0c1e-1111-4222-8333-944455556666"
BOT_ID = "28:copbot"
INSTALLED_APPS = "/users/*/teamwork/installedApps"
FAST_GRAPH = RetryPolicy(max_retries=1, max_wait=0.2, backoff_base=0.01, backoff_jitter=0.0)


class StaticToken:
    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("test-token", int(time.time()) + 3600)

    async def close(self) -> None:
        pass


def focal(user: User) -> dict[str, str]:
    return {"name": user.name, "email": user.email, "aad_object_id": user.aad_id}


@pytest.fixture
async def graph() -> AsyncIterator[GraphFake]:
    async with GraphFake() as fake:
        for user in (ALICE, BRUNO, CARMEN, ERIN):
            fake.add_user(user.name, id=user.aad_id, mail=user.email)
        for cop, group in GROUPS.items():
            fake.add_group(f"{cop} CoP", id=group)
        fake.add_teams_app(MANIFEST_ID, bot_id=BOT_ID)
        yield fake


@pytest.fixture
async def start(
    bot_factory: Callable[..., Any],
    graph: GraphFake,
    connector: FakeConnector,
    database: Database,
    tmp_path: Path,
) -> Callable[..., Any]:
    """The bot in Graph mode, PROACTIVE_INSTALL on; only `reachable` people have the app."""

    async def started(*reachable: User) -> RunningBot:
        communities: dict[str, Any] = {
            cop: {"graph_group_id": group, "focal_points": [focal(CARMEN)]}
            for cop, group in GROUPS.items()
        }
        communities["UBS"]["focal_points"] = [focal(BRUNO), focal(CARMEN)]
        overlay = tmp_path / "overlay.yaml"
        overlay.write_text(yaml.safe_dump({"communities": communities}), encoding="utf-8")
        # Alice talks to the bot (her own chat), and whoever is reachable has the app.
        connector.require_installation(
            ALICE.channel_id, ALICE.aad_id, *(user.aad_id for user in reachable)
        )
        graph.on_install.append(connector.install)  # Teams: installed = reachable
        return await bot_factory(
            database_url=database.url.render_as_string(hide_password=False),
            directory=GraphDirectory.create(
                StaticToken(), graph.base_url, retry=FAST_GRAPH, timeout=5.0
            ),
            installer=GraphAppInstaller.create(
                StaticToken(), graph.base_url, retry=FAST_GRAPH, timeout=5.0
            ),
            DIRECTORY_MODE="graph",
            GRAPH_CLIENT_ID="11111111-2222-4333-8444-555555555555",
            MICROSOFT_APP_TENANT_ID=TENANT,
            ADMIN_IDS=ERIN.aad_id,
            CATALOG_OVERLAY_PATH=str(overlay),
            PROACTIVE_INSTALL="true",
            TEAMS_APP_ID=MANIFEST_ID,
        )

    return started


async def ask(bot: RunningBot) -> str:
    response = await bot.client.say("join UBS as my primary", ALICE)
    assert response.status in (200, 201)
    await bot.services.outbox.drain()
    report = await bot.services.membership.reports.requests_report()
    [pending] = report["pending"]
    return str(pending["request_id"])


def approval_cards_to(connector: FakeConnector, user: User) -> list[str]:
    return [
        card_text(r.card)
        for r in connector.to_person(user.aad_id)
        if r.kind != "update" and r.cards and "Request to join" in card_text(r.card)
    ]


def texts_to_alice(connector: FakeConnector) -> list[str]:
    return [r.text for r in connector.to_person(ALICE.channel_id) if r.text]


async def cards_of(bot: RunningBot) -> dict[tuple[str, str], dict[str, Any]]:
    report = await bot.services.membership.reports.requests_report()
    [pending] = report["pending"]
    return {(c["recipient"], c["purpose"]): c for c in pending["cards"]}


async def readyz(bot: RunningBot) -> dict[str, Any]:
    async with bot.client.session.get(f"{bot.base_url}/readyz") as response:
        return dict(await response.json())


async def test_a_focal_point_who_never_opened_the_bot_gets_the_app_installed_then_the_card(
    start: Callable[..., Any], graph: GraphFake, connector: FakeConnector
) -> None:
    bot = await start(CARMEN)  # Bruno never installed the app
    await ask(bot)

    [bruno_card] = approval_cards_to(connector, BRUNO)
    assert "Alice Wanjiru" in bruno_card
    assert len(approval_cards_to(connector, CARMEN)) == 1
    [install] = graph.http_requests("POST", INSTALLED_APPS)
    assert install.status == 201 and BRUNO.aad_id in install.path
    assert install.body["teamsApp@odata.bind"].endswith(
        f"/appCatalogs/teamsApps/{graph_app(graph)}"
    )
    # Bruno's card arrived in the chat Graph named for the installation
    chat = f"19:{BRUNO.aad_id}_{BOT_ID}@unq.gbl.spaces"
    assert [r.conversation_id for r in connector.to_person(BRUNO.aad_id)] == [chat]
    cards = await cards_of(bot)
    assert cards[(BRUNO.aad_id, "request")]["state"] == "delivered"
    assert cards[(CARMEN.aad_id, "request")]["state"] == "delivered"
    assert texts_to_alice(connector)[1:] == []  # only the answer to her request: nothing waits
    async with bot.client.session.get(f"{bot.base_url}/metrics") as response:
        metrics = await response.text()
    assert 'copbot_sends_total{kind="approval_card",outcome="delivered"} 2.0' in metrics


def graph_app(graph: GraphFake) -> str:
    [app] = graph.apps.values()
    return app.id


async def test_without_the_install_permission_the_other_focal_point_decides_and_the_first_shows_why(
    start: Callable[..., Any], graph: GraphFake, connector: FakeConnector
) -> None:
    graph.revoke(*INSTALL_PERMISSIONS)
    bot = await start(CARMEN)
    await ask(bot)

    assert approval_cards_to(connector, BRUNO) == []
    assert len(approval_cards_to(connector, CARMEN)) == 1
    cards = await cards_of(bot)
    bruno = cards[(BRUNO.aad_id, "request")]
    assert bruno["state"] == "undeliverable"
    assert "BotNotInConversationRoster" in bruno["reason"]
    assert INSTALL_PERMISSION in bruno["reason"]
    assert cards[(CARMEN.aad_id, "request")]["state"] == "delivered"
    lines = report_lines(await bot.services.membership.reports.requests_report(), bot.clock.now())
    [line] = [line for line in lines if "Bruno Costa" in line]
    assert "request card to Bruno Costa <bruno.costa@un.org>: undeliverable" in line
    ready = await readyz(bot)
    assert ready["status"] == "ready"
    [warning] = [w for w in ready["warnings"] if INSTALL_PERMISSION in w]
    assert "cannot install its app" in warning
    assert approval_cards_to(connector, ERIN) == []  # Carmen has it: no escalation


async def test_no_focal_point_reachable_the_admin_has_it_at_once_and_the_requester_is_told(
    start: Callable[..., Any], graph: GraphFake, connector: FakeConnector, database: Database
) -> None:
    graph.revoke(*INSTALL_PERMISSIONS)
    bot = await start(ERIN)
    request_id = await ask(bot)

    [escalation] = approval_cards_to(connector, ERIN)
    assert "Alice Wanjiru" in escalation
    [_, told] = texts_to_alice(connector)
    assert "I cannot reach its focal points through Teams" in told
    assert "passed it to the CoP Bot admins" in told
    cards = await cards_of(bot)
    assert cards[(ERIN.aad_id, "escalation")]["state"] == "delivered"
    assert {cards[(u.aad_id, "request")]["state"] for u in (BRUNO, CARMEN)} == {"undeliverable"}
    [escalated] = await audit.entries(database, actions=["membership.escalated"])
    assert escalated.subject == f"request:{request_id}"
    assert "requests_reach" in (await readyz(bot))["checks"]
    assert not [w for w in (await readyz(bot))["warnings"] if "reached nobody" in w]


async def test_nobody_reachable_at_all_is_said_by_copbot_requests_readyz_and_to_the_requester(
    start: Callable[..., Any], graph: GraphFake, connector: FakeConnector
) -> None:
    graph.revoke(*INSTALL_PERMISSIONS)
    bot = await start()
    request_id = await ask(bot)

    assert approval_cards_to(connector, ERIN) == []
    told = texts_to_alice(connector)
    assert "neither its focal points nor the CoP Bot admins" in told[-1]
    report = await bot.services.membership.reports.requests_report()
    assert report["pending"][0]["reach"] == "nobody"
    lines = report_lines(report, bot.clock.now())
    assert any("NOBODY WHO MAY DECIDE COULD BE REACHED" in line for line in lines)
    ready = await readyz(bot)
    assert ready["checks"]["requests_reach"]["unreached_requests"] == [request_id]
    assert any("1 pending join request(s) reached nobody" in w for w in ready["warnings"])


async def test_a_chat_created_then_a_refused_send_is_never_recorded_as_sent_nor_updated(
    start: Callable[..., Any], connector: FakeConnector, database: Database
) -> None:
    bot = await start(BRUNO, CARMEN)
    connector.create_then_fail(BRUNO.aad_id, SERVICE_ERROR)  # 201 for the chat, then 500s
    request_id = await ask(bot)

    async with database.session() as session:
        recorded = (await session.scalars(select(ApprovalCard.recipient))).all()
    assert recorded == [CARMEN.aad_id]  # Bruno's card is not "sent"
    bruno = (await cards_of(bot))[(BRUNO.aad_id, "request")]
    assert bruno["state"] == "retrying" and "500" in bruno["reason"]

    refused_before = len(connector.refused)
    await bot.services.membership.decisions.decide(
        request_id, CARMEN.aad_id, approve=True, actor_name="Carmen Ruiz"
    )
    await bot.services.outbox.drain()
    updates = [r for r in connector.refused[refused_before:] if r.kind == "update"]
    assert updates == []  # Bruno's card never arrived: no update of it is attempted
    assert [r.kind for r in connector.to_person(CARMEN.aad_id) if r.cards][-1] == "update"
    assert (await bot.services.membership.reports.requests_report())["pending"] == []
