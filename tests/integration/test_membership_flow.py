"""Joining a CoP the whole way through the real HTTP route, in Graph mode on the Graph fake.

A person asks -> every focal point gets an approval card in a 1:1 chat the bot creates -> one
approves (Action.Execute) -> exactly one `POST /groups/{id}/members/$ref` reaches Graph -> the
person is welcomed and every focal point's card says who approved. The same single add with
concurrent clicks, a 429 storm, a directory outage, and a restart in the middle.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from aiohttp.test_utils import TestServer
from azure.core.credentials import AccessToken

import app as composition
from cli.requests import report_lines
from copbot.clock import FakeClock
from copbot.store import Database, audit, people
from copbot.work.outbox import Outbox
from graph.client import RetryPolicy
from graph.directory import GraphDirectory
from tests.conftest import RunningBot, make_settings
from tests.fakes.connector import FakeConnector, Record, card_text
from tests.fakes.connector_refusals import NOT_IN_ROSTER, SERVICE_UNAVAILABLE
from tests.fakes.graph_fake import GraphFake
from tests.support.bot_client import (
    ADD_PATH,
    ALICE,
    BRUNO,
    CARMEN,
    DANIEL,
    ERIN,
    GROUPS,
    TENANT,
    UBS,
    BotClient,
    User,
)

# In-process Graph retries stay short; longer Retry-After values go to the outbox (FakeClock).
FAST_GRAPH = RetryPolicy(max_retries=2, max_wait=0.2, backoff_base=0.01, backoff_jitter=0.0)


class StaticToken:
    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("test-token", int(time.time()) + 3600)

    async def close(self) -> None:
        pass


def focal(user: User) -> dict[str, str]:
    return {"name": user.name, "email": user.email, "aad_object_id": user.aad_id}


def write_overlay(tmp_path: Path, **changes: dict[str, Any]) -> str:
    communities: dict[str, Any] = {
        cop: {"graph_group_id": group, "focal_points": [focal(CARMEN)]}
        for cop, group in GROUPS.items()
    }
    communities["UBS"].update(
        focal_points=[focal(BRUNO), focal(CARMEN)],
        team_url="https://teams.microsoft.com/l/team/ubs",
    )
    for cop, patch in changes.items():
        communities[cop].update(patch)
    path = tmp_path / "overlay.yaml"
    path.write_text(yaml.safe_dump({"communities": communities}), encoding="utf-8")
    return str(path)


@pytest.fixture
async def graph() -> AsyncIterator[GraphFake]:
    async with GraphFake() as fake:
        fake.add_user(
            ALICE.name,
            id=ALICE.aad_id,
            mail=ALICE.email,
            job_title="Urban planner",
            office_location="Nairobi",
        )
        for user in (BRUNO, CARMEN, DANIEL, ERIN):
            fake.add_user(user.name, id=user.aad_id, mail=user.email)
        for cop, group in GROUPS.items():
            fake.add_group(f"{cop} CoP", id=group)
        yield fake


def graph_directory(graph: GraphFake) -> GraphDirectory:
    return GraphDirectory.create(StaticToken(), graph.base_url, retry=FAST_GRAPH, timeout=5.0)


def graph_settings(tmp_path: Path, **values: Any) -> dict[str, Any]:
    settings = {
        "DIRECTORY_MODE": "graph",
        "GRAPH_CLIENT_ID": "11111111-2222-4333-8444-555555555555",
        "MICROSOFT_APP_TENANT_ID": TENANT,
        "ADMIN_IDS": ERIN.aad_id,
        "SKILLS_PROFILE_URL": "https://hr.example.org/skills",
    }
    settings.update(values)
    if "CATALOG_OVERLAY_PATH" not in settings:
        settings["CATALOG_OVERLAY_PATH"] = write_overlay(tmp_path)
    return settings


@pytest.fixture
async def graph_bot(
    bot_factory: Callable[..., Any], graph: GraphFake, tmp_path: Path
) -> RunningBot:
    return await bot_factory(directory=graph_directory(graph), **graph_settings(tmp_path))


# -- helpers: what people see ---------------------------------------------------------------------


def outbox_of(bot: RunningBot) -> Outbox:
    return bot.services.outbox


def chat_with(user: User) -> str:
    """The 1:1 chat the bot creates proactively (the fake connector names it after the member)."""
    return f"a:personal-{user.aad_id}"


def conversation(user: User) -> dict[str, str]:
    return {"id": chat_with(user), "conversationType": "personal", "tenantId": TENANT}


def cards_in(
    connector: FakeConnector, conversation_id: str, kind: str | None = None
) -> list[Record]:
    return [
        r
        for r in connector.to_conversation(conversation_id)
        if r.cards and (kind is None or r.kind == kind)
    ]


def approval_cards_of(connector: FakeConnector, user: User) -> list[Record]:
    return [
        r
        for r in cards_in(connector, chat_with(user))
        if r.kind != "update" and "Request to join" in card_text(r.card)
    ]


def execute_data(card: dict[str, Any], verb: str) -> dict[str, Any]:
    """The data of the card's Action.Execute with this verb, as Teams would send it back."""
    stack: list[Any] = [card]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and node.get("verb") == verb:
                return dict(node["data"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError(f"no {verb} button on the card:\n{card_text(card)}")


def has_button(card: dict[str, Any], verb: str) -> bool:
    try:
        execute_data(card, verb)
    except AssertionError:
        return False
    return True


def welcomes(connector: FakeConnector) -> list[Record]:
    return [
        r
        for r in cards_in(connector, f"a:personal-{ALICE.channel_id}")  # Alice's own chat
        if "Welcome to" in card_text(r.card)
    ]


def adds(graph: GraphFake) -> list[int | None]:
    return [r.status for r in graph.http_requests("POST", ADD_PATH)]


async def ask_to_join_ubs(bot: RunningBot) -> dict[str, Any]:
    """Alice asks; every focal point's approval card arrives. Returns Bruno's card."""
    response = await bot.client.say("join UBS as my primary: I run the water programme", ALICE)
    assert response.texts == [
        f"Your request to join {UBS} as your primary CoP is with its focal points "
        "(Bruno Costa, Carmen Ruiz). I'll tell you as soon as they decide."
    ]
    await outbox_of(bot).drain()
    [bruno_card] = approval_cards_of(bot.connector, BRUNO)
    [carmen_card] = approval_cards_of(bot.connector, CARMEN)
    assert card_text(bruno_card.card) == card_text(carmen_card.card)
    return bruno_card.card


async def approve_as(bot: RunningBot, card: dict[str, Any], user: User) -> Any:
    """`user` clicks Approve on `card` (in their chat); the decision's work is then done."""
    response = await bot.client.execute(
        "membership.approve",
        execute_data(card, "membership.approve"),
        user,
        conversation=conversation(user),
    )
    assert response.status == 200
    await outbox_of(bot).drain()
    return response


# -- the whole way ---------------------------------------------------------------------------------


async def test_request_cards_approve_one_add_both_sides_told(
    graph_bot: RunningBot, graph: GraphFake
) -> None:
    bot = graph_bot
    card = await ask_to_join_ubs(bot)
    text = card_text(card)
    for seen in ("Alice Wanjiru", "Urban planner", "Nairobi", "I run the water programme"):
        assert seen in text
    assert "as their primary CoP" in text and "Approve" in text and "Reject" in text
    assert card["version"] == "1.5"
    assert f"8:orgid:{BRUNO.aad_id}" in card["refresh"]["userIds"]
    # The chats were created from the focal points' Entra object ids, and remembered.
    assert await people.get_reference(bot.services.db, f"user:{BRUNO.aad_id}") is not None
    assert await people.get_reference(bot.services.db, f"user:{CARMEN.aad_id}") is not None
    assert adds(graph) == []  # nothing happens in the directory before a decision

    response = await approve_as(bot, card, BRUNO)
    assert response.body["type"] == "application/vnd.microsoft.card.adaptive"
    clicked = response.body["value"]
    assert "Approved by Bruno Costa on" in card_text(clicked)
    assert not has_button(clicked, "membership.approve")

    assert adds(graph) == [204]
    assert graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]
    [welcome] = welcomes(bot.connector)
    welcome_text = card_text(welcome.card)
    assert f"Welcome to {UBS}!" in welcome_text
    assert "Bruno Costa approved your request" in welcome_text
    assert "It is your primary CoP." in welcome_text
    assert "skills profile" in welcome_text
    assert "Climate Change (CC)" in welcome_text  # the cross-cutting suggestion
    urls = [a.get("url") for a in welcome.card["actions"] if a["type"] == "Action.OpenUrl"]
    assert urls == ["https://teams.microsoft.com/l/team/ubs", "https://hr.example.org/skills"]
    for user in (BRUNO, CARMEN):
        [updated] = cards_in(bot.connector, chat_with(user), kind="update")
        assert "Approved by Bruno Costa on" in card_text(updated.card)
        assert not has_button(updated.card, "membership.approve")

    mine = await bot.client.say("my communities", ALICE)
    assert f"{UBS}** · Primary" in card_text(mine.cards[0])
    actions = [e.action for e in await audit.entries(bot.services.db)]
    for expected in ("membership.requested", "membership.approved", "membership.added"):
        assert actions.count(expected) == 1, actions
    assert actions.count("membership.card_sent") == 2


async def test_concurrent_approvals_and_a_double_click_make_one_decision_and_one_add(
    bot_factory: Callable[..., Any], graph: GraphFake, tmp_path: Path, database: Database
) -> None:
    bot = await bot_factory(
        database_url=database.url.render_as_string(hide_password=False),
        directory=graph_directory(graph),
        **graph_settings(tmp_path),
    )
    card = await ask_to_join_ubs(bot)
    data = execute_data(card, "membership.approve")
    responses = await asyncio.gather(
        bot.client.execute("membership.approve", data, BRUNO, conversation=conversation(BRUNO)),
        bot.client.execute("membership.approve", data, CARMEN, conversation=conversation(CARMEN)),
        bot.client.execute("membership.approve", data, BRUNO, conversation=conversation(BRUNO)),
    )
    deciders = {
        line
        for r in responses
        for line in card_text(r.body["value"]).splitlines()
        if line.startswith("Approved by")
    }
    assert len(deciders) == 1, deciders  # every clicker sees the one decision
    later = [r for r in responses if "had already been decided" in card_text(r.body["value"])]
    assert len(later) == 2
    await outbox_of(bot).drain()
    assert adds(graph) == [204]
    assert len(welcomes(bot.connector)) == 1
    decisions = await audit.entries(bot.services.db, actions=["membership.approved"])
    assert len(decisions) == 1


async def test_a_429_storm_still_gives_one_add(graph_bot: RunningBot, graph: GraphFake) -> None:
    bot = graph_bot
    clock: FakeClock = bot.clock
    card = await ask_to_join_ubs(bot)
    graph.throttle(times=3, retry_after=0.05, path=ADD_PATH)  # waited in-process
    graph.throttle(times=2, retry_after=30, path=ADD_PATH)  # too long: the outbox waits
    await bot.client.execute(
        "membership.approve",
        execute_data(card, "membership.approve"),
        CARMEN,
        conversation=conversation(CARMEN),
    )
    await outbox_of(bot).drain()
    assert adds(graph) == [429, 429, 429]
    assert welcomes(bot.connector) == []
    for _ in range(3):
        clock.advance(seconds=30)
        await outbox_of(bot).drain()
    assert adds(graph) == [429, 429, 429, 429, 429, 204]
    assert graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]
    assert len(welcomes(bot.connector)) == 1
    deferred = await audit.entries(bot.services.db, actions=["membership.add_deferred"])
    assert [e.details.get("retry_after") for e in deferred] == [0.05, 30.0, 30.0]


async def test_an_outage_then_recovery_after_a_restart_gives_one_add(
    graph: GraphFake, connector: FakeConnector, tmp_path: Path
) -> None:
    """The decision is taken while Graph is down; the instance stops; a new one on the same
    database adds the person once and welcomes them once."""
    clock = FakeClock()
    database_url = f"sqlite:///{tmp_path / 'restart.sqlite3'}"
    settings = graph_settings(tmp_path)
    first = await start_bot(connector, clock, graph, database_url, **settings)
    try:
        card = await ask_to_join_ubs(first.bot)
        graph.unavailable(times=None, path=ADD_PATH)
        await first.bot.client.execute(
            "membership.approve",
            execute_data(card, "membership.approve"),
            BRUNO,
            conversation=conversation(BRUNO),
        )
        await outbox_of(first.bot).drain()
        assert set(adds(graph)) == {503}
        report = await first.bot.services.membership.reports.requests_report()
        lines = report_lines(report, clock.now())
        assert "Approved, not yet in the group (1):" in lines
        waiting = next(line for line in lines if "approved by Bruno Costa" in line)
        assert "503" in waiting and "Alice Wanjiru -> UBS" in waiting
        clock.advance(minutes=5)
        await outbox_of(first.bot).drain()  # still down: still queued
        assert graph.member_ids(GROUPS["UBS"]) == []
        async with first.session.get(f"{first.bot.base_url}/metrics") as response:
            metrics = await response.text()
        assert 'copbot_outbox_depth{status="pending"} 1.0' in metrics
        assert "copbot_outbox_oldest_age_seconds 300.0" in metrics
    finally:
        await first.stop()

    graph.clear_faults()
    clock.advance(hours=1)
    second = await start_bot(connector, clock, graph, database_url, **settings)
    try:
        await outbox_of(second.bot).drain()
        assert adds(graph).count(204) == 1
        assert graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]
        assert len(welcomes(connector)) == 1
        assert len(approval_cards_of(connector, BRUNO)) == 1  # no card was sent twice
        report = await second.bot.services.membership.reports.requests_report()
        assert report == {"pending": [], "approved_not_added": [], "failed": []}
    finally:
        await second.stop()


class Started:
    def __init__(self, bot: RunningBot, server: TestServer, session: aiohttp.ClientSession):
        self.bot, self.server, self.session = bot, server, session

    async def stop(self) -> None:
        await self.session.close()
        await self.server.close()  # runs the app's cleanup: the outbox worker stops


async def start_bot(
    connector: FakeConnector,
    clock: FakeClock,
    graph: GraphFake,
    database_url: str,
    **values: Any,
) -> Started:
    settings = make_settings(DATABASE_URL=database_url, **values)
    components = composition.build_components(
        settings, clock=clock, directory=graph_directory(graph)
    )
    server = TestServer(composition.create_web_app(components), host="127.0.0.1")
    await server.start_server()
    session = aiohttp.ClientSession()
    base_url = str(server.make_url("/")).rstrip("/")
    client = BotClient(base_url, connector, session)
    bot = RunningBot(client, connector, components.services, components, clock, base_url)
    return Started(bot, server, session)


# -- who may decide ---------------------------------------------------------------------------------


async def test_someone_else_gets_a_read_only_card_and_the_attempt_is_audited(
    graph_bot: RunningBot, graph: GraphFake
) -> None:
    bot = graph_bot
    card = await ask_to_join_ubs(bot)
    data = execute_data(card, "membership.approve")
    forged = {**data, "actor": BRUNO.aad_id, "decided_by": BRUNO.aad_id}  # card data is ignored
    response = await bot.client.execute("membership.approve", forged, DANIEL)
    seen = card_text(response.body["value"])
    assert f"Only the focal points of {UBS} can decide on this request." in seen
    assert not has_button(response.body["value"], "membership.approve")
    [entry] = await audit.entries(bot.services.db, actions=["membership.decision_refused"])
    assert entry.actor == DANIEL.aad_id
    await outbox_of(bot).drain()
    assert adds(graph) == []
    assert cards_in(bot.connector, chat_with(BRUNO), kind="update") == []

    # The refresh gives each viewer the current state: actionable for a focal point only.
    refresh = execute_data(card, "membership.approve")
    mine = await bot.client.execute("membership.refresh", refresh, BRUNO, trigger="automatic")
    assert has_button(mine.body["value"], "membership.approve")
    theirs = await bot.client.execute("membership.refresh", refresh, DANIEL, trigger="automatic")
    assert not has_button(theirs.body["value"], "membership.approve")


async def test_a_rejection_with_a_reason_reaches_the_person_and_every_card(
    graph_bot: RunningBot, graph: GraphFake
) -> None:
    bot = graph_bot
    card = await ask_to_join_ubs(bot)
    data = {**execute_data(card, "membership.reject"), "reason": "Please join PFE instead"}
    response = await bot.client.execute(
        "membership.reject", data, CARMEN, conversation=conversation(CARMEN)
    )
    assert "Rejected by Carmen Ruiz on" in card_text(response.body["value"])
    await outbox_of(bot).drain()
    told = bot.connector.to_conversation(bot.client.personal_conversation(ALICE))
    assert told[-1].text == (
        f"Carmen Ruiz did not approve your request to join {UBS}. "
        "The reason given: Please join PFE instead"
    )
    for user in (BRUNO, CARMEN):
        [updated] = cards_in(bot.connector, chat_with(user), kind="update")
        assert "Reason: Please join PFE instead" in card_text(updated.card)
    assert adds(graph) == []


async def test_pending_requests_are_recalled_then_escalated_to_an_admin_who_decides(
    graph_bot: RunningBot, graph: GraphFake
) -> None:
    bot = graph_bot
    await ask_to_join_ubs(bot)
    reminders = bot.services.membership.reminders
    bot.clock.advance(days=2, hours=23)
    await reminders.remind_pending()
    await outbox_of(bot).drain()
    assert len(approval_cards_of(bot.connector, BRUNO)) == 1
    bot.clock.advance(hours=1)
    await reminders.remind_pending()
    await outbox_of(bot).drain()
    for user in (BRUNO, CARMEN):
        reminder = approval_cards_of(bot.connector, user)[-1]
        assert "Reminder: this request has been waiting since" in card_text(reminder.card)
    bot.clock.advance(days=4)
    await reminders.remind_pending()
    await outbox_of(bot).drain()
    [escalation] = approval_cards_of(bot.connector, ERIN)
    assert "Escalated to the CoP Bot admins" in card_text(escalation.card)
    response = await bot.client.execute(
        "membership.approve",
        execute_data(escalation.card, "membership.approve"),
        ERIN,
        conversation=conversation(ERIN),
    )
    assert "Approved by Erin Admin on" in card_text(response.body["value"])
    await outbox_of(bot).drain()
    assert adds(graph) == [204]
    updated = [r for r in bot.connector.records if r.kind == "update"]
    assert len(updated) == 5  # 2 requests, 2 reminders, 1 escalation: every card shows it


async def test_when_no_focal_point_can_be_reached_the_person_is_told_it_waits(
    graph_bot: RunningBot,
) -> None:
    bot = graph_bot
    for focal_point in (BRUNO, CARMEN):  # Teams will not let the bot write to them
        bot.connector.refuse(NOT_IN_ROSTER, person=focal_point.aad_id)
    await bot.client.say("join UBS as a secondary", ALICE)
    await outbox_of(bot).drain()
    told = [
        r.text
        for r in bot.connector.to_conversation(bot.client.personal_conversation(ALICE))
        if "cannot reach its focal points" in r.text
    ]
    assert len(told) == 1  # two undeliverable cards, one message
    undeliverable = await audit.entries(bot.services.db, actions=["membership.card_undeliverable"])
    assert len(undeliverable) == 2
    assert all("BotNotInConversationRoster" in e.details["reason"] for e in undeliverable)
    report = await bot.services.membership.reports.requests_report()
    assert len(report["pending"]) == 1 and len(report["failed"]) == 2


async def test_a_focal_points_channel_gets_the_card_and_its_update(
    bot_factory: Callable[..., Any], graph: GraphFake, tmp_path: Path
) -> None:
    channel = "19:lhs-focal-points@thread.tacv2"
    overlay = write_overlay(tmp_path, LHS={"focal_points_channel_id": channel})
    bot = await bot_factory(
        directory=graph_directory(graph), **graph_settings(tmp_path, CATALOG_OVERLAY_PATH=overlay)
    )
    await bot.client.install_in_team("19:lhs-team@thread.tacv2", channel, CARMEN)
    await bot.client.say("unirme a LHS como secundaria", ALICE, locale="es-ES")
    await outbox_of(bot).drain()
    [posted] = [r for r in bot.connector.records if r.kind == "create"]
    assert posted.conversation_id.startswith(channel)
    assert "Request to join Land, Housing and Shelter (LHS)" in card_text(posted.card)
    thread = {"id": posted.conversation_id, "conversationType": "channel", "tenantId": TENANT}
    response = await bot.client.execute(
        "membership.approve",
        execute_data(posted.card, "membership.approve"),
        CARMEN,
        conversation=thread,
    )
    assert "Approved by Carmen Ruiz" in card_text(response.body["value"])
    await outbox_of(bot).drain()
    [updated] = cards_in(bot.connector, posted.conversation_id, kind="update")
    assert "Approved by Carmen Ruiz" in card_text(updated.card)
    [welcome] = [
        r
        for r in cards_in(bot.connector, bot.client.personal_conversation(ALICE))
        if "Le damos la bienvenida" in card_text(r.card)
    ]
    assert "Tierra, Vivienda y Refugio (LHS)" in card_text(welcome.card)


async def test_someone_already_in_the_graph_group_is_told_and_nothing_is_sent(
    graph_bot: RunningBot, graph: GraphFake
) -> None:
    bot = graph_bot
    graph.groups[GROUPS["UBS"]].members[ALICE.aad_id] = None  # added by hand, unknown to us
    response = await bot.client.say("join UBS", ALICE)
    assert response.texts == [
        f"You're already in the mailing list and Team of {UBS}, so there is nothing to ask. "
        "I've added it to your communities (as your primary CoP)."
    ]
    await outbox_of(bot).drain()
    assert approval_cards_of(bot.connector, BRUNO) == []
    assert adds(graph) == []
    mine = await bot.client.say("my communities", ALICE)
    assert f"{UBS}** · Primary" in card_text(mine.cards[0])


def local_overlay(tmp_path: Path) -> str:
    path = tmp_path / "local-overlay.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "communities": {
                    "UBS": {"focal_points": [focal(BRUNO)]},
                    "CC": {"focal_points": [focal(BRUNO)]},
                }
            }
        ),
        encoding="utf-8",
    )
    return str(path)


async def approve_latest(bot: RunningBot, user: User) -> None:
    await outbox_of(bot).drain()
    card = approval_cards_of(bot.connector, user)[-1].card
    response = await bot.client.execute(
        "membership.approve",
        execute_data(card, "membership.approve"),
        user,
        conversation=conversation(user),
    )
    assert "Approved by" in card_text(response.body["value"])
    await outbox_of(bot).drain()


async def test_make_primary_and_leave_the_primary_in_local_mode(
    bot_factory: Callable[..., Any], tmp_path: Path
) -> None:
    bot = await bot_factory(CATALOG_OVERLAY_PATH=local_overlay(tmp_path))
    directory = bot.services.directory
    await bot.client.say("join UBS as my primary", ALICE)
    await approve_latest(bot, BRUNO)
    asked = await bot.client.say("join the Climate Change CoP", ALICE)
    question = card_text(asked.cards[0])
    assert "Your primary CoP is Urban Basic Services (UBS)" in question
    await bot.client.submit({"verb": "join", "cop": "CC", "role": "secondary"}, ALICE)
    await approve_latest(bot, BRUNO)
    assert await directory.is_member("local:CC", ALICE.aad_id)

    made = await bot.client.say("make CC my primary", ALICE)
    assert made.texts == [
        f"Climate Change (CC) is now your primary CoP; {UBS} stays as a secondary one."
    ]
    confirm = await bot.client.say("quitter la CoP climat", ALICE, locale="fr-FR")
    offered = card_text(confirm.cards[0])
    assert "Changement climatique (CC) est votre CoP principale" in offered
    button = next(a for a in confirm.cards[0]["actions"] if a["title"] == "Principale\u202f: UBS")
    assert await directory.is_member("local:CC", ALICE.aad_id)  # nothing before confirming
    left = await bot.client.submit(button["data"], ALICE, locale="fr-FR")
    assert left.texts[0].startswith("Vous avez quitté Changement climatique (CC)")
    assert "Services urbains de base (UBS) est maintenant votre CoP principale." in left.texts[0]
    again = await bot.client.submit(button["data"], ALICE, locale="fr-FR")  # a double click
    assert again.texts == ["Vous n'êtes pas membre de Changement climatique (CC)."]
    await outbox_of(bot).drain()
    assert not await directory.is_member("local:CC", ALICE.aad_id)
    assert await directory.is_member("local:UBS", ALICE.aad_id)
    removed = await audit.entries(bot.services.db, actions=["membership.removed"])
    assert [e.details["outcome"] for e in removed] == ["removed"]
    mine = card_text((await bot.client.say("my communities", ALICE)).cards[0])
    assert f"{UBS}** · Primary" in mine and "Climate Change" not in mine


async def test_join_without_a_community_name_gets_a_suggestion_or_the_list(
    bot: RunningBot,
) -> None:
    suggested = await bot.client.say("I want to join a community about housing and land tenure")
    assert "Land, Housing and Shelter (LHS)" in card_text(suggested.cards[0])
    unknown = await bot.client.say("join Quantum Knitting")
    assert unknown.texts == [
        'I don\'t know a community called "Quantum Knitting". Here are the Communities of Practice:'
    ]
    assert "Urban Basic Services (UBS)" in card_text(unknown.cards[0])
    bare = await bot.client.say("join")
    assert bare.texts == ["Which community would you like to join? For example: **join UBS**."]


async def test_a_card_the_connector_could_not_take_is_sent_later_once(
    bot_factory: Callable[..., Any], tmp_path: Path
) -> None:
    bot = await bot_factory(CATALOG_OVERLAY_PATH=local_overlay(tmp_path))
    # Bruno's new chat: Teams answers 503 this once.
    bot.connector.refuse(SERVICE_UNAVAILABLE, person=BRUNO.aad_id, times=1)
    await bot.client.say("join UBS as a secondary", ALICE)
    await outbox_of(bot).drain()
    assert approval_cards_of(bot.connector, BRUNO) == []
    [item] = await outbox_of(bot).items()
    assert item.status == "pending" and "Teams answered 503" in (item.last_error or "")
    bot.clock.advance(minutes=1)
    await outbox_of(bot).drain()
    assert len(approval_cards_of(bot.connector, BRUNO)) == 1
    bot.clock.advance(hours=1)
    await outbox_of(bot).drain()
    assert len(approval_cards_of(bot.connector, BRUNO)) == 1
