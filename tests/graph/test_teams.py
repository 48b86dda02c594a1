"""GraphTeamMembers (msgraph-sdk, real HTTP) against the Graph fake: people put in a CoP's Team at
once, one by one or in bulk, with Teams' per-person results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from copbot.directory import (
    AddOutcome,
    DirectoryError,
    DirectoryUnavailable,
    PermissionMissing,
    UnknownTeam,
    UnknownUser,
)
from graph.directory import GraphDirectory
from graph.teams import GraphTeamMembers
from tests.fakes.graph_fake import GraphFake

TEAM_MEMBERS = "/teams/*/members"
BULK_ADD = "/teams/*/members/add"


@pytest.fixture
def teams(make_client: Callable[..., Any]) -> GraphTeamMembers:
    return make_client(GraphTeamMembers)


def a_team(graph: GraphFake, *members: str) -> str:
    group = graph.add_group("Urban Basic Services (UBS)", members=members)
    graph.add_team(group.id)
    return group.id


async def test_adding_to_the_team_puts_the_person_in_the_team_and_its_group(
    graph: GraphFake, teams: GraphTeamMembers
) -> None:
    team_id = a_team(graph)
    alice = graph.add_user("Alice", mail="alice@example.org")

    assert await teams.add_to_team(team_id, alice.id) is AddOutcome.ADDED

    assert graph.member_ids(team_id) == [alice.id]
    [post] = graph.http_requests("POST", TEAM_MEMBERS)
    assert post.status == 201
    assert post.body == {
        "@odata.type": "#microsoft.graph.aadUserConversationMember",
        "roles": [],
        "user@odata.bind": f"https://graph.microsoft.com/v1.0/users('{alice.id}')",
    }


async def test_an_existing_member_is_201_too(graph: GraphFake, teams: GraphTeamMembers) -> None:
    alice = graph.add_user("Alice")
    team_id = a_team(graph, alice.id)

    assert await teams.add_to_team(team_id, alice.id) is AddOutcome.ADDED
    assert graph.http_requests("POST", TEAM_MEMBERS)[0].status == 201
    assert graph.member_ids(team_id) == [alice.id]


async def test_an_owner_is_added_with_the_owner_role(
    graph: GraphFake, teams: GraphTeamMembers
) -> None:
    team_id = a_team(graph)
    fatima = graph.add_user("Fatima")

    await teams.add_to_team(team_id, fatima.id, owner=True)

    assert graph.teams[team_id].owners == {fatima.id}
    assert graph.http_requests("POST", TEAM_MEMBERS)[0].body["roles"] == ["owner"]


async def test_without_team_member_permission_the_caller_can_fall_back_to_the_group(
    graph: GraphFake, teams: GraphTeamMembers, directory: GraphDirectory
) -> None:
    team_id = a_team(graph)
    alice = graph.add_user("Alice")
    graph.revoke("TeamMember.ReadWrite.All")

    with pytest.raises(PermissionMissing) as refused:
        await teams.add_to_team(team_id, alice.id)

    assert refused.value.permission == "TeamMember.ReadWrite.All"
    assert refused.value.code == "Forbidden"  # Teams APIs: "Missing role permissions..."
    assert graph.member_ids(team_id) == []
    # the fallback: the group add still works with GroupMember.ReadWrite.All
    assert await directory.add_member(team_id, alice.id) is AddOutcome.ADDED
    assert graph.member_ids(team_id) == [alice.id]


async def test_an_unknown_team_and_an_unknown_person_are_told_apart(
    graph: GraphFake, teams: GraphTeamMembers
) -> None:
    team_id = a_team(graph)
    alice = graph.add_user("Alice")
    plain_group = graph.add_group("No team").id  # a group without a team

    with pytest.raises(UnknownTeam):
        await teams.add_to_team(plain_group, alice.id)
    with pytest.raises(UnknownUser):
        await teams.add_to_team(team_id, "no-such-user")
    with pytest.raises(UnknownTeam):
        await teams.add_many_to_team("no-such-team", [alice.id])


async def test_a_bulk_add_reports_each_persons_outcome_when_some_fail(
    graph: GraphFake, teams: GraphTeamMembers
) -> None:
    team_id = a_team(graph)
    ana, ben, guest = (graph.add_user(n).id for n in ("Ana", "Ben", "Guest"))
    gone = graph.add_user("Gone").id
    graph.delete_user(gone)
    graph.refuse_team_member(team_id, guest, "Forbidden", "Guests cannot be added to this team.")

    outcomes = await teams.add_many_to_team(team_id, [ana, gone, ben, guest, ana])

    assert outcomes[ana] is AddOutcome.ADDED and outcomes[ben] is AddOutcome.ADDED
    assert isinstance(outcomes[gone], UnknownUser)
    refused = outcomes[guest]
    assert isinstance(refused, DirectoryError) and not isinstance(refused, UnknownUser)
    assert refused.code == "Forbidden" and "Guests cannot be added" in str(refused)
    assert set(graph.member_ids(team_id)) == {ana, ben}
    [post] = graph.http_requests("POST", BULK_ADD)
    assert post.status == 207  # Graph: only some of the members were added
    assert len(post.body["values"]) == 4  # Ana once


async def test_a_bulk_add_sends_at_most_200_per_request(
    graph: GraphFake, teams: GraphTeamMembers
) -> None:
    team_id = a_team(graph)
    people = [graph.add_user(f"Person {n}").id for n in range(450)]

    outcomes = await teams.add_many_to_team(team_id, people)

    assert all(o is AddOutcome.ADDED for o in outcomes.values()) and len(outcomes) == 450
    posts = graph.http_requests("POST", BULK_ADD)
    assert [len(p.body["values"]) for p in posts] == [200, 200, 50]
    assert [p.status for p in posts] == [200, 200, 200]
    assert len(graph.member_ids(team_id)) == 450


async def test_graph_refuses_a_bulk_add_of_more_than_200(graph: GraphFake) -> None:
    team_id = a_team(graph)
    people = [graph.add_user(f"P{n}").id for n in range(201)]
    body = {
        "values": [
            {
                "@odata.type": "microsoft.graph.aadUserConversationMember",
                "roles": [],
                "user@odata.bind": f"https://graph.microsoft.com/v1.0/users('{p}')",
            }
            for p in people
        ]
    }
    async with httpx.AsyncClient(headers={"Authorization": "Bearer t"}) as http:
        answer = await http.post(f"{graph.base_url}/teams/{team_id}/members/add", json=body)

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "BadRequest"
    assert graph.member_ids(team_id) == []


async def test_throttling_on_teams_is_honoured_or_handed_back(
    graph: GraphFake, teams: GraphTeamMembers
) -> None:
    team_id = a_team(graph)
    ana, ben = graph.add_user("Ana").id, graph.add_user("Ben").id

    graph.throttle(times=1, retry_after=0.1, path=TEAM_MEMBERS)
    assert await teams.add_to_team(team_id, ana) is AddOutcome.ADDED

    graph.throttle(times=None, retry_after=30, path=BULK_ADD)
    with pytest.raises(DirectoryUnavailable) as later:
        await teams.add_many_to_team(team_id, [ben])
    assert later.value.retry_after == 30
    assert graph.member_ids(team_id) == [ana]
