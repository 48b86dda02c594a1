"""GraphDirectory (real msgraph-sdk, real HTTP) against the Graph fake."""

from __future__ import annotations

import socket
import time

import pytest

from copbot.directory import (
    AddOutcome,
    DirectoryError,
    DirectoryUnavailable,
    RemoveOutcome,
    UnknownGroup,
    UnknownUser,
)
from graph.client import RetryPolicy, graph_scope
from graph.directory import GraphDirectory
from tests.fakes.graph_fake import GraphFake

from .conftest import TOKEN

MEMBERS_REF = "/groups/*/members/$ref"


def _ref(user_id: str) -> str:
    return f"https://graph.microsoft.com/v1.0/directoryObjects/{user_id}"


# -- add / remove / membership ------------------------------------------------------------------


async def test_add_member_posts_the_directory_object_ref_and_graph_records_the_member(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice Achieng", mail="alice@example.org")
    group = graph.add_group("PLG")

    assert await directory.add_member(group.id, alice.id) is AddOutcome.ADDED

    assert graph.member_ids(group.id) == [alice.id]
    [post] = graph.http_requests("POST", MEMBERS_REF)
    assert post.path == f"/groups/{group.id}/members/$ref"
    assert post.body == {"@odata.id": _ref(alice.id)}
    assert post.status == 204
    assert post.authorization == f"Bearer {TOKEN}"


async def test_adding_an_existing_member_is_already_member_not_an_error(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    group = graph.add_group("PLG", members=[alice.id])

    assert await directory.add_member(group.id, alice.id) is AddOutcome.ALREADY_MEMBER
    assert graph.member_ids(group.id) == [alice.id]
    [post] = graph.http_requests("POST", MEMBERS_REF)
    assert post.status == 400


async def test_add_unknown_user_and_unknown_group_are_told_apart(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    group = graph.add_group("PLG")

    with pytest.raises(UnknownUser) as unknown_user:
        await directory.add_member(group.id, "no-such-user")
    assert unknown_user.value.status == 404
    with pytest.raises(UnknownGroup) as unknown_group:
        await directory.add_member("no-such-group", alice.id)
    assert unknown_group.value.status == 404
    assert graph.member_ids(group.id) == []


async def test_unknown_group_is_recognised_even_when_graph_names_no_id(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    graph.inject(404, path=MEMBERS_REF, code="Request_ResourceNotFound", message="Not found.")

    with pytest.raises(UnknownGroup):
        await directory.add_member("no-such-group", alice.id)
    # the directory asked Graph whether the group exists
    assert [r.path for r in graph.http_requests("GET")] == ["/groups/no-such-group"]


async def test_remove_member_then_remove_again_is_not_member(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    bob = graph.add_user("Bob")
    group = graph.add_group("PLG", members=[alice.id, bob.id])

    assert await directory.remove_member(group.id, alice.id) is RemoveOutcome.REMOVED
    assert graph.member_ids(group.id) == [bob.id]
    assert await directory.remove_member(group.id, alice.id) is RemoveOutcome.NOT_MEMBER
    deletes = graph.http_requests("DELETE")
    assert [d.path for d in deletes] == [f"/groups/{group.id}/members/{alice.id}/$ref"] * 2
    assert [d.status for d in deletes] == [204, 404]

    with pytest.raises(UnknownGroup):
        await directory.remove_member("no-such-group", bob.id)


async def test_is_member_uses_check_member_groups(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    bob = graph.add_user("Bob")
    group = graph.add_group("PLG", members=[alice.id])

    assert await directory.is_member(group.id, alice.id) is True
    assert await directory.is_member(group.id, bob.id) is False
    checks = graph.http_requests("POST", "/users/*/checkMemberGroups")
    assert [c.body for c in checks] == [{"groupIds": [group.id]}] * 2
    with pytest.raises(UnknownUser):
        await directory.is_member(group.id, "no-such-user")


# -- users ----------------------------------------------------------------------------------------


async def test_get_user_by_id_and_by_email_maps_job_title_and_office(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user(
        "Alice Achieng",
        mail="Alice.Achieng@unhabitat.org",
        user_principal_name="aachieng@unhabitat.onmicrosoft.com",
        job_title="Urban Planner",
        office_location="Nairobi",
    )

    by_id = await directory.get_user(alice.id)
    by_mail = await directory.get_user("alice.achieng@UNHABITAT.org")  # case does not matter
    by_upn = await directory.get_user("aachieng@unhabitat.onmicrosoft.com")

    assert by_id == by_mail == by_upn
    assert by_id is not None
    assert (by_id.id, by_id.display_name, by_id.job_title, by_id.office) == (
        alice.id,
        "Alice Achieng",
        "Urban Planner",
        "Nairobi",
    )
    assert by_id.mail == "Alice.Achieng@unhabitat.org"
    assert await directory.get_user("nobody@unhabitat.org") is None
    assert await directory.get_user("00000000-0000-0000-0000-000000000000") is None
    # only the fields we map are asked for
    first = graph.http_requests("GET")[0]
    assert set(first.query["$select"].split(",")) == {
        "id",
        "displayName",
        "mail",
        "userPrincipalName",
        "jobTitle",
        "officeLocation",
    }


async def test_find_users_batches_45_keys_into_3_requests(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    users = [
        graph.add_user(f"User {i}", mail=f"user{i}@example.org", job_title=f"Officer {i}")
        for i in range(40)
    ]
    obrien = graph.add_user(
        "Aoife O'Brien", mail="aoife.o'brien@example.org", office_location="Rome"
    )
    keys = [u.id for u in users[:20]] + [u.mail or "" for u in users[20:]]
    keys += [
        "aoife.o'brien@example.org",
        "ghost@example.org",
        "11111111-2222-3333-4444-555555555555",
    ]
    keys += ["not-an-id", users[0].id]  # 45 keys, one repeated
    assert len(keys) == 45

    found = await directory.find_users(keys)

    batches = graph.http_requests("POST", "/$batch")
    assert len(batches) == 3
    assert [len(b.body["requests"]) for b in batches] == [20, 20, 4]  # the repeat is asked once
    assert all(b.status == 200 and b.authorization == f"Bearer {TOKEN}" for b in batches)
    assert set(found) == set(keys)
    for user in users[:20]:
        assert found[user.id] is not None and found[user.id].id == user.id  # type: ignore[union-attr]
    for user in users[20:]:
        hit = found[user.mail or ""]
        assert hit is not None and hit.id == user.id and hit.job_title == user.job_title
    hit = found["aoife.o'brien@example.org"]
    assert hit is not None and hit.id == obrien.id and hit.office == "Rome"
    assert found["ghost@example.org"] is None
    assert found["11111111-2222-3333-4444-555555555555"] is None
    assert found["not-an-id"] is None


async def test_find_users_retries_items_graph_throttled_inside_the_batch(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    users = [graph.add_user(f"User {i}") for i in range(5)]
    graph.throttle(times=2, retry_after=0.2, path="/users/*", scope="batch")

    started = time.monotonic()
    found = await directory.find_users([u.id for u in users])
    elapsed = time.monotonic() - started

    assert all(found[u.id] is not None for u in users)
    batches = graph.http_requests("POST", "/$batch")
    assert len(batches) == 2
    assert len(batches[1].body["requests"]) == 2  # only the throttled items are sent again
    assert batches[1].received_at - batches[0].received_at >= 0.2
    assert elapsed >= 0.2


async def test_find_users_gives_up_when_items_stay_throttled(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    user = graph.add_user("User")
    graph.throttle(times=None, retry_after=0.05, path="/users/*", scope="batch")

    with pytest.raises(DirectoryUnavailable) as raised:
        await directory.find_users([user.id])
    assert raised.value.retry_after == pytest.approx(0.05)
    assert len(graph.http_requests("POST", "/$batch")) == 1 + 3


# -- bulk add ------------------------------------------------------------------------------------


async def test_bulk_add_45_users_sends_3_patches_and_handles_existing_members(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    users = [graph.add_user(f"User {i}") for i in range(45)]
    already = [users[22].id, users[30].id, users[39].id]  # all in the second chunk
    group = graph.add_group("UBS", members=already)

    outcomes = await directory.add_members(group.id, [u.id for u in users])

    patches = graph.http_requests("PATCH", f"/groups/{group.id}")
    assert len(patches) == 3
    sent = [p.body["members@odata.bind"] for p in patches]
    assert [len(s) for s in sent] == [20, 20, 5]
    assert [ref for chunk in sent for ref in chunk] == [_ref(u.id) for u in users]
    assert [p.status for p in patches] == [204, 400, 204]
    # the refused chunk is settled per user in one batch of single adds
    [batch] = graph.http_requests("POST", "/$batch")
    assert len(batch.body["requests"]) == 20
    assert {o for u, o in outcomes.items() if u in already} == {AddOutcome.ALREADY_MEMBER}
    assert [u for u, o in outcomes.items() if o is AddOutcome.ADDED] == [
        u.id for u in users if u.id not in already
    ]
    assert sorted(graph.member_ids(group.id)) == sorted(u.id for u in users)


async def test_bulk_add_reports_unknown_users_individually(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    users = [graph.add_user(f"User {i}") for i in range(3)]
    group = graph.add_group("CC")

    outcomes = await directory.add_members(
        group.id, [users[0].id, "ghost", users[1].id, users[2].id]
    )

    assert isinstance(outcomes["ghost"], UnknownUser)
    assert [outcomes[u.id] for u in users] == [AddOutcome.ADDED] * 3
    assert graph.member_ids(group.id) == [u.id for u in users]


async def test_bulk_add_to_an_unknown_group_raises(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    users = [graph.add_user(f"User {i}") for i in range(2)]
    with pytest.raises(UnknownGroup):
        await directory.add_members("no-such-group", [u.id for u in users])


# -- paging ---------------------------------------------------------------------------------------


async def test_list_members_follows_next_links_across_pages(
    graph: GraphFake, make_directory
) -> None:
    users = [graph.add_user(f"User {i}") for i in range(7)]
    group = graph.add_group("LHS", members=[u.id for u in users])
    directory = make_directory(page_size=3)

    assert await directory.list_members(group.id) == [u.id for u in users]

    pages = graph.http_requests("GET", f"/groups/{group.id}/members/*")
    assert len(pages) == 3
    assert pages[0].query == {"$select": "id", "$top": "3"}
    assert all("$skiptoken" in p.query and p.query["$top"] == "3" for p in pages[1:])
    assert all(p.authorization == f"Bearer {TOKEN}" for p in pages)
    with pytest.raises(UnknownGroup):
        await directory.list_members("no-such-group")


async def test_list_members_copes_with_graph_returning_smaller_pages_than_asked(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    graph.max_page_size = 2
    users = [graph.add_user(f"User {i}") for i in range(5)]
    group = graph.add_group("PFE", members=[u.id for u in users])

    assert await directory.list_members(group.id) == [u.id for u in users]
    assert len(graph.http_requests("GET")) == 3


async def test_the_token_does_not_follow_a_next_link_to_another_host(
    graph: GraphFake, make_directory
) -> None:
    directory = make_directory(page_size=2)
    async with GraphFake() as elsewhere:
        # same fake data reachable under another host name: "localhost" is not "127.0.0.1"
        graph.link_base = f"http://localhost:{elsewhere.port}/v1.0"
        users = [graph.add_user(f"User {i}") for i in range(3)]
        group = graph.add_group("PLG", members=[u.id for u in users])
        elsewhere.users = graph.users
        elsewhere.groups = graph.groups

        with pytest.raises(DirectoryError) as raised:
            await directory.list_members(group.id)

        [leaked] = elsewhere.http_requests()
        assert leaked.authorization is None
        assert raised.value.status == 401


# -- throttling, outages, timeouts -----------------------------------------------------------------


async def test_429_waits_the_retry_after_graph_asked_for_then_succeeds(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    group = graph.add_group("PLG")
    graph.throttle(times=1, retry_after=0.2, path=MEMBERS_REF)

    started = time.monotonic()
    assert await directory.add_member(group.id, alice.id) is AddOutcome.ADDED
    elapsed = time.monotonic() - started

    first, second = graph.http_requests("POST", MEMBERS_REF)
    assert (first.status, second.status) == (429, 204)
    assert second.received_at - first.received_at >= 0.2
    assert elapsed >= 0.2
    assert second.header("Retry-Attempt") == "1"
    assert graph.member_ids(group.id) == [alice.id]


async def test_whole_second_retry_after_as_graph_sends_it_is_honoured(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    graph.throttle(times=1, retry_after="1", path="/users/*")

    assert await directory.get_user(alice.id) is not None
    first, second = graph.http_requests("GET")
    assert second.received_at - first.received_at >= 1.0


async def test_503_then_success(graph: GraphFake, directory: GraphDirectory) -> None:
    users = [graph.add_user(f"User {i}") for i in range(2)]
    group = graph.add_group("SHRSI", members=[u.id for u in users])
    graph.unavailable(times=1, path="/groups/*/members/*")

    assert await directory.list_members(group.id) == [u.id for u in users]
    assert [r.status for r in graph.http_requests("GET")] == [503, 200]


async def test_a_429_storm_longer_than_the_retry_cap_is_directory_unavailable(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    group = graph.add_group("PLG")
    graph.throttle(times=None, retry_after=0.1, path=MEMBERS_REF)

    with pytest.raises(DirectoryUnavailable) as raised:
        await directory.add_member(group.id, alice.id)

    assert raised.value.status == 429
    assert raised.value.retry_after == pytest.approx(0.1)
    assert len(graph.http_requests("POST", MEMBERS_REF)) == 1 + 3  # first try + max_retries
    assert graph.member_ids(group.id) == []


async def test_a_retry_after_beyond_max_wait_fails_fast_with_graphs_hint(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    group = graph.add_group("PLG")
    graph.throttle(times=1, retry_after=120, path=MEMBERS_REF)

    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable) as raised:
        await directory.add_member(group.id, alice.id)

    assert time.monotonic() - started < 1.0  # no two-minute stall inside a request
    assert raised.value.retry_after == 120
    assert len(graph.http_requests("POST", MEMBERS_REF)) == 1


async def test_a_persistent_outage_on_bulk_add_is_directory_unavailable(
    graph: GraphFake, make_directory
) -> None:
    directory = make_directory(
        retry=RetryPolicy(max_retries=1, backoff_base=0.01, backoff_jitter=0)
    )
    users = [graph.add_user(f"User {i}") for i in range(3)]
    group = graph.add_group("PLG")
    graph.unavailable(times=None, status=504, path=f"/groups/{group.id}")

    with pytest.raises(DirectoryUnavailable) as raised:
        await directory.add_members(group.id, [u.id for u in users])
    assert raised.value.status == 504
    assert len(graph.http_requests("PATCH")) == 2


async def test_a_slow_graph_times_out_as_directory_unavailable(
    graph: GraphFake, make_directory
) -> None:
    directory = make_directory(timeout=0.3)
    alice = graph.add_user("Alice")
    graph.delay(3.0, path="/users/*")

    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable):
        await directory.get_user(alice.id)
    assert time.monotonic() - started < 2.0


async def test_graph_unreachable_is_directory_unavailable(make_directory) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    directory = make_directory(base_url=f"http://127.0.0.1:{port}/v1.0")

    with pytest.raises(DirectoryUnavailable):
        await directory.add_member("group", "user")


# -- permissions and tokens ---------------------------------------------------------------------


async def test_missing_permission_is_a_directory_error_naming_it(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    group = graph.add_group("PLG")
    graph.deny(path=MEMBERS_REF)
    graph.deny(path="/users/*")

    with pytest.raises(DirectoryError) as add_refused:
        await directory.add_member(group.id, alice.id)
    assert add_refused.value.status == 403
    assert "GroupMember.ReadWrite.All" in str(add_refused.value)

    with pytest.raises(DirectoryError) as read_refused:
        await directory.get_user(alice.id)
    assert "User.Read.All" in str(read_refused.value)
    assert not isinstance(read_refused.value, UnknownUser)


async def test_missing_permission_inside_a_batch_is_a_directory_error(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    graph.deny(path="/users/*", scope="batch")

    with pytest.raises(DirectoryError) as raised:
        await directory.find_users([alice.id])
    assert raised.value.status == 403 and "User.Read.All" in str(raised.value)


async def test_an_expired_token_is_a_directory_error_about_credentials(
    graph: GraphFake, directory: GraphDirectory
) -> None:
    alice = graph.add_user("Alice")
    graph.expire_token(TOKEN)

    with pytest.raises(DirectoryError) as raised:
        await directory.get_user(alice.id)
    assert raised.value.status == 401
    assert raised.value.code == "InvalidAuthenticationToken"
    assert "client id" in str(raised.value)


async def test_the_credential_is_asked_for_the_graph_scope_not_the_fake_host(
    graph: GraphFake, directory: GraphDirectory, credential
) -> None:
    graph.add_user("Alice", id="a1")
    await directory.get_user("a1")
    scopes, _ = credential.calls[0]
    assert scopes == ("https://graph.microsoft.com/.default",)


# -- configuration ---------------------------------------------------------------------------------


async def test_a_directory_is_built_for_https_graph_only(credential) -> None:
    directory = GraphDirectory.create(credential)
    await directory.aclose()
    assert graph_scope("https://graph.microsoft.us/v1.0") == "https://graph.microsoft.us/.default"

    with pytest.raises(ValueError, match="https"):  # a token must never go over http
        GraphDirectory.create(credential, "http://graph.example.org/v1.0")
