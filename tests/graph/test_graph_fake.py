"""The Graph fake answers like Graph where the directory's correctness depends on it (raw HTTP)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.fakes.graph_fake import ALREADY_EXISTS_MESSAGE, GraphFake

AUTH = {"Authorization": "Bearer t"}


@pytest.fixture
async def http(graph: GraphFake) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=graph.base_url + "/", headers=AUTH) as client:
        yield client


def _ref(user_id: str) -> str:
    return f"https://graph.microsoft.com/v1.0/directoryObjects/{user_id}"


async def test_errors_have_graphs_shape_and_need_a_token(
    graph: GraphFake, http: httpx.AsyncClient
) -> None:
    missing = await http.get("users/nobody")
    assert missing.status_code == 404
    error = missing.json()["error"]
    assert error["code"] == "Request_ResourceNotFound"
    assert "'nobody'" in error["message"]
    assert {"date", "request-id", "client-request-id"} <= set(error["innerError"])

    anonymous = await http.get("users/nobody", headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert graph.http_requests()[1].authorization == ""


async def test_patch_bind_is_all_or_nothing_and_limited_to_20(
    graph: GraphFake, http: httpx.AsyncClient
) -> None:
    users = [graph.add_user(f"U{i}") for i in range(21)]
    group = graph.add_group("G", members=[users[1].id])

    refused = await http.patch(
        f"groups/{group.id}", json={"members@odata.bind": [_ref(users[0].id), _ref(users[1].id)]}
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == ALREADY_EXISTS_MESSAGE
    assert graph.member_ids(group.id) == [users[1].id]  # users[0] was not added either

    too_many = await http.patch(
        f"groups/{group.id}", json={"members@odata.bind": [_ref(u.id) for u in users]}
    )
    assert too_many.status_code == 400
    assert graph.member_ids(group.id) == [users[1].id]


async def test_batch_limits_and_per_item_answers(graph: GraphFake, http: httpx.AsyncClient) -> None:
    user = graph.add_user("U", id="u1")
    group = graph.add_group("G", id="g1")

    over = await http.post(
        "$batch",
        json={"requests": [{"id": str(i), "method": "GET", "url": "/users/u1"} for i in range(21)]},
    )
    assert over.status_code == 400

    answer = await http.post(
        "$batch",
        json={
            "requests": [
                {"id": "a", "method": "GET", "url": "/users/u1?$select=id,jobTitle"},
                {"id": "b", "method": "GET", "url": "/users/ghost"},
                {
                    "id": "c",
                    "method": "POST",
                    "url": "/groups/g1/members/$ref",
                    "body": {"@odata.id": _ref(user.id)},
                },  # no Content-Type: Graph refuses the item
            ]
        },
    )
    assert answer.status_code == 200
    responses = {r["id"]: r for r in answer.json()["responses"]}
    assert responses["a"]["status"] == 200
    assert responses["a"]["body"] == {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
        "id": "u1",
        "jobTitle": None,
    }
    assert responses["b"]["status"] == 404
    assert responses["c"]["status"] == 400
    assert graph.member_ids(group.id) == []


async def test_paging_honours_top_and_rejects_out_of_range(
    graph: GraphFake, http: httpx.AsyncClient
) -> None:
    users = [graph.add_user(f"U{i}") for i in range(5)]
    group = graph.add_group("G", members=[u.id for u in users])

    seen, url = [], f"groups/{group.id}/members?$top=2&$select=id"
    while url:
        page = (await http.get(url)).json()
        assert len(page["value"]) <= 2
        assert all(v["@odata.type"] == "#microsoft.graph.user" for v in page["value"])
        seen += [v["id"] for v in page["value"]]
        url = page.get("@odata.nextLink")
    assert seen == [u.id for u in users]
    assert (await http.get(f"groups/{group.id}/members?$top=1000")).status_code == 400
