"""GraphAccounts (msgraph-sdk $batch, real HTTP) against the Graph fake: who left the organisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from copbot.directory import AccountState, DirectoryUnavailable, PermissionMissing
from graph.accounts import GraphAccounts
from graph.directory import GraphDirectory
from tests.fakes.graph_fake import GraphFake


@pytest.fixture
def accounts(make_client: Callable[..., Any]) -> GraphAccounts:
    return make_client(GraphAccounts)


async def test_enabled_disabled_and_deleted_accounts_are_told_apart(
    graph: GraphFake, accounts: GraphAccounts
) -> None:
    stays, leaves, gone = (graph.add_user(n).id for n in ("Stays", "Leaves", "Gone"))
    graph.disable_user(leaves)
    graph.delete_user(gone)

    states = await accounts.account_states([stays, leaves, gone])

    assert states == {
        stays: AccountState.ENABLED,
        leaves: AccountState.DISABLED,
        gone: AccountState.DELETED,
    }
    [item] = graph.batch_items("GET", f"/users/{leaves}")
    assert item.query == {"$select": "id,accountEnabled"}
    assert [i.status for i in graph.batch_items("GET", f"/users/{gone}")] == [404]


async def test_a_deleted_user_is_404_request_resource_not_found_for_every_lookup(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    gone = graph.add_user("Gone", mail="gone@example.org")
    group = graph.add_group("UBS", members=[gone.id])
    graph.delete_user(gone.id)

    assert await directory.get_user(gone.id) is None
    assert graph.member_ids(group.id) == []
    [request] = graph.http_requests("GET", f"/users/{gone.id}")
    assert request.status == 404


async def test_many_accounts_go_20_per_batch(graph: GraphFake, accounts: GraphAccounts) -> None:
    ids = [graph.add_user(f"P{n}").id for n in range(45)]

    states = await accounts.account_states(ids)

    assert set(states.values()) == {AccountState.ENABLED} and len(states) == 45
    assert len(graph.http_requests("POST", "/$batch")) == 3


async def test_without_user_read_the_error_names_the_permission(
    graph: GraphFake, accounts: GraphAccounts
) -> None:
    someone = graph.add_user("Someone").id
    graph.grant_only("GroupMember.Read.All")

    with pytest.raises(PermissionMissing) as refused:
        await accounts.account_states([someone])

    assert refused.value.permission == "User.Read.All"


async def test_throttled_items_are_passing(graph: GraphFake, accounts: GraphAccounts) -> None:
    someone = graph.add_user("Someone").id
    graph.throttle(times=None, retry_after=90, path="/users/*", scope="batch")

    with pytest.raises(DirectoryUnavailable) as later:
        await accounts.account_states([someone])

    assert later.value.retry_after == 90
