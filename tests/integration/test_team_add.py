"""Approval in a CoP with a team: the person is added to the Team at once (`POST /teams/{id}/members`),
and the welcome says so; without TeamMember.ReadWrite.All, the group add as before, a welcome that
says Teams may take time, and a /readyz warning. Graph mode on the Graph fake (msgraph-sdk)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from copbot.directory import TEAM_MEMBER_PERMISSION
from copbot.store import Database
from tests.conftest import RunningBot
from tests.fakes.connector import card_text
from tests.fakes.graph_fake import GraphFake
from tests.integration.test_directory_sync import hand_driven, sync_ports
from tests.integration.test_membership_flow import (
    approve_as,
    ask_to_join_ubs,
    graph_directory,
    graph_settings,
    welcomes,
    write_overlay,
)
from tests.support.bot_client import ADD_PATH, ALICE, BRUNO, CARMEN, DANIEL, ERIN, GROUPS

TEAM_ADD = f"/teams/{GROUPS['UBS']}/members"


@pytest.fixture
async def graph() -> AsyncIterator[GraphFake]:
    async with GraphFake() as fake:
        fake.add_user(ALICE.name, id=ALICE.aad_id, mail=ALICE.email, job_title="Urban planner")
        for user in (BRUNO, CARMEN, DANIEL, ERIN):
            fake.add_user(user.name, id=user.aad_id, mail=user.email)
        for cop, group in GROUPS.items():
            fake.add_group(f"{cop} CoP", id=group)
        fake.add_team(GROUPS["UBS"])
        yield fake


async def approved_in_ubs(
    bot_factory: Callable[..., Any], graph: GraphFake, tmp_path: Path, db_url: str
) -> RunningBot:
    overlay = write_overlay(tmp_path, UBS={"team_id": GROUPS["UBS"]})
    bot = hand_driven(
        await bot_factory(
            database_url=db_url,
            directory=graph_directory(graph),
            sync_ports=sync_ports(graph),
            **graph_settings(tmp_path, CATALOG_OVERLAY_PATH=overlay),
        )
    )
    card = await ask_to_join_ubs(bot)
    await approve_as(bot, card, BRUNO)
    return bot


async def readiness_warnings(bot: RunningBot) -> list[str]:
    async with bot.client.session.get(f"{bot.base_url}/readyz") as response:
        return list((await response.json())["warnings"])


async def test_approval_adds_to_the_team_at_once_and_the_welcome_says_it_shows_now(
    bot_factory: Callable[..., Any],
    graph: GraphFake,
    tmp_path: Path,
    db_url: str,
    database: Database,
) -> None:
    bot = await approved_in_ubs(bot_factory, graph, tmp_path, db_url)

    [team_add] = graph.http_requests("POST", TEAM_ADD)
    assert team_add.status == 201
    assert graph.http_requests("POST", ADD_PATH) == []  # no group add needed
    assert graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]
    [welcome] = welcomes(bot.connector)
    assert "You are in the team now" in card_text(welcome.card)
    assert not [w for w in await readiness_warnings(bot) if TEAM_MEMBER_PERMISSION in w]


async def test_without_the_permission_the_group_add_and_a_readiness_warning(
    bot_factory: Callable[..., Any],
    graph: GraphFake,
    tmp_path: Path,
    db_url: str,
    database: Database,
) -> None:
    graph.revoke(TEAM_MEMBER_PERMISSION)
    bot = await approved_in_ubs(bot_factory, graph, tmp_path, db_url)

    assert [r.status for r in graph.http_requests("POST", TEAM_ADD)] == [403]
    assert [r.status for r in graph.http_requests("POST", ADD_PATH)] == [204]
    assert graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]
    [welcome] = welcomes(bot.connector)
    assert "Teams may take a few hours" in card_text(welcome.card)
    [warning] = [w for w in await readiness_warnings(bot) if TEAM_MEMBER_PERMISSION in w]
    assert warning.startswith(f"team {GROUPS['UBS']}: the application permission")
