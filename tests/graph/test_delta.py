"""GraphGroupDelta (msgraph-sdk, real HTTP) against the Graph fake: a group's membership changes,
round after round, as owners and admins change the group outside the bot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from copbot.clock import FakeClock
from copbot.directory import (
    DirectoryUnavailable,
    PermissionMissing,
    UnknownGroup,
)
from graph.delta import GraphGroupDelta
from tests.fakes.graph_fake import GraphFake

from .conftest import TOKEN

DELTA = "/groups/delta*"


@pytest.fixture
def delta(make_client: Callable[..., Any]) -> GraphGroupDelta:
    return make_client(GraphGroupDelta)


def people(graph: GraphFake, count: int, prefix: str = "member") -> list[str]:
    return [graph.add_user(f"{prefix} {n}").id for n in range(count)]


async def test_a_first_round_pages_through_every_member_and_ends_with_a_token(
    graph: GraphFake, delta: GraphGroupDelta
) -> None:
    graph.delta.page_size = 4
    members = people(graph, 10)
    group = graph.add_group("UBS", members=members)
    graph.add_group("Other", members=people(graph, 3, "other"))

    first = await delta.changes(group.id, None)

    assert first.full and not first.restarted
    assert first.added == frozenset(members)
    assert first.removed == frozenset()
    assert first.requests == 3  # 4 + 4 + 2 members
    assert first.token.startswith(f"{graph.base_url}/groups/delta?$deltatoken=")
    [initial, *pages] = graph.http_requests("GET", DELTA)
    assert initial.query == {"$filter": f"id eq '{group.id}'", "$select": "members"}
    assert all("$skiptoken" in page.query for page in pages)


async def test_the_next_round_reports_only_what_owners_changed(
    graph: GraphFake, delta: GraphGroupDelta
) -> None:
    alice, bob, carol, dan, erin = people(graph, 5)
    group = graph.add_group("UBS", members=[alice, bob, carol])
    first = await delta.changes(group.id, None)
    graph.clear_requests()

    graph.add_member(group.id, dan)  # an owner adds two people in Teams...
    graph.groups[group.id].members[erin] = None
    graph.remove_member(group.id, bob)  # ...and removes one
    second = await delta.changes(group.id, first.token)

    assert not second.full
    assert second.added == {dan, erin}
    assert second.removed == {bob}
    assert second.token != first.token
    assert graph.count("GET", DELTA) == 1


async def test_removed_members_carry_graphs_removed_annotation(
    graph: GraphFake, delta: GraphGroupDelta
) -> None:
    alice, bob = people(graph, 2)
    group = graph.add_group("UBS", members=[alice, bob])
    first = await delta.changes(group.id, None)
    graph.delete_user(bob)  # a deleted account leaves every group

    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        page = (await http.get(first.token)).json()  # what Graph answers to the deltaLink
    second = await delta.changes(group.id, first.token)

    assert page["value"] == [
        {
            "id": group.id,
            "members@delta": [
                {
                    "@odata.type": "#microsoft.graph.user",
                    "id": bob,
                    "@removed": {"reason": "deleted"},
                }
            ],
        }
    ]
    assert "@odata.deltaLink" in page
    assert second.removed == {bob} and second.added == frozenset()


async def test_a_round_without_changes_costs_one_request(
    graph: GraphFake, delta: GraphGroupDelta
) -> None:
    graph.delta.page_size = 2
    group = graph.add_group("UBS", members=people(graph, 9))
    first = await delta.changes(group.id, None)
    graph.clear_requests()

    again = await delta.changes(group.id, first.token)

    assert (again.added, again.removed, again.full) == (frozenset(), frozenset(), False)
    assert graph.count("GET", DELTA) == 1
    assert again.requests == 1


async def test_an_expired_token_starts_a_full_round(
    graph: GraphFake, make_client: Callable[..., Any]
) -> None:
    clock = FakeClock()
    graph.clock = clock
    delta = make_client(GraphGroupDelta)
    alice, bob, carol = people(graph, 3)
    group = graph.add_group("UBS", members=[alice, bob])
    first = await delta.changes(group.id, None)
    graph.add_member(group.id, carol)
    graph.remove_member(group.id, alice)
    clock.advance(days=8)  # directory delta tokens live seven days
    graph.clear_requests()

    restarted = await delta.changes(group.id, first.token)

    assert restarted.full and restarted.restarted
    assert restarted.added == {bob, carol}  # the whole membership: compare with our records
    assert restarted.removed == frozenset()
    refused, full = graph.http_requests("GET", DELTA)
    assert (refused.status, full.status) == (410, 200)
    assert "$deltatoken" in refused.query and "$filter" in full.query
    later = await delta.changes(group.id, restarted.token)  # the new token works
    assert not later.full


async def test_a_token_graph_no_longer_knows_starts_a_full_round(
    graph: GraphFake, delta: GraphGroupDelta
) -> None:
    alice = people(graph, 1)[0]
    group = graph.add_group("UBS", members=[alice])
    first = await delta.changes(group.id, None)
    graph.expire_delta_tokens()

    restarted = await delta.changes(group.id, first.token)

    assert restarted.restarted and restarted.added == {alice}
    assert graph.http_requests("GET", DELTA)[1].status == 410


async def test_a_synchronization_reset_starts_a_full_round(
    graph: GraphFake, delta: GraphGroupDelta
) -> None:
    alice = people(graph, 1)[0]
    group = graph.add_group("UBS", members=[alice])
    first = await delta.changes(group.id, None)
    graph.reset_delta_sync()

    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        answer = await http.get(first.token)  # what Graph answers: 410, start again from here
    assert answer.status_code == 410
    assert answer.json()["error"]["code"] == "resyncRequired"
    assert answer.headers["Location"] == f"{graph.base_url}/groups/delta?$deltatoken="
    graph.reset_delta_sync()
    graph.clear_requests()

    restarted = await delta.changes(group.id, first.token)

    assert restarted.restarted and restarted.added == {alice}
    assert [r.status for r in graph.http_requests("GET", DELTA)] == [410, 200]


async def test_a_deleted_group_is_unknown_not_an_empty_group(
    graph: GraphFake, delta: GraphGroupDelta
) -> None:
    group = graph.add_group("UBS", members=people(graph, 2))
    first = await delta.changes(group.id, None)
    graph.delete_group(group.id)

    with pytest.raises(UnknownGroup):
        await delta.changes(group.id, first.token)  # Graph: the group with @removed
    with pytest.raises(UnknownGroup):
        await delta.changes(group.id, None)  # Graph: no such group in the answer


async def test_without_permission_to_read_members_the_error_names_it(
    graph: GraphFake, delta: GraphGroupDelta
) -> None:
    group = graph.add_group("UBS", members=people(graph, 1))
    graph.grant_only("User.Read.All")

    with pytest.raises(PermissionMissing) as refused:
        await delta.changes(group.id, None)

    assert refused.value.permission == "GroupMember.Read.All"


async def test_throttling_in_the_middle_of_a_round_is_honoured(
    graph: GraphFake, delta: GraphGroupDelta
) -> None:
    graph.delta.page_size = 2
    members = people(graph, 5)
    group = graph.add_group("UBS", members=members)
    graph.throttle(times=1, retry_after=0.2, path="/groups/delta*")

    first = await delta.changes(group.id, None)

    assert first.added == frozenset(members)
    assert [r.status for r in graph.http_requests("GET", DELTA)] == [429, 200, 200, 200]

    graph.throttle(times=None, retry_after=60, path="/groups/delta*")
    with pytest.raises(DirectoryUnavailable) as later:
        await delta.changes(group.id, first.token)
    assert later.value.retry_after == 60


async def test_every_cop_reads_only_its_own_group(graph: GraphFake, delta: GraphGroupDelta) -> None:
    groups = [graph.add_group(f"CoP {n}", members=people(graph, 3, f"cop{n}")) for n in range(3)]
    tokens = {g.id: (await delta.changes(g.id, None)).token for g in groups}
    newcomer = graph.add_user("Newcomer").id
    graph.add_member(groups[1].id, newcomer)
    graph.clear_requests()

    rounds = {g.id: await delta.changes(g.id, tokens[g.id]) for g in groups}

    assert graph.count("GET", DELTA) == 3  # one delta request per CoP
    assert rounds[groups[1].id].added == {newcomer}
    assert rounds[groups[0].id].added == rounds[groups[2].id].added == frozenset()
