"""Microsoft Graph misbehaving while the real server process adds an approved person to the
CoP's group: throttling storms, 503s, timeouts (before and after Graph did the work), a token
Graph stops accepting, and an outage longer than the in-process retries.

The two layers: the Graph client retries in-process, waiting exactly what `Retry-After` says
(else an exponential backoff), for as long as `graph.client.RetryPolicy` allows; past that the
outbox row stays queued and is tried again later (after `Retry-After` when Graph gave one), in
this process or in any other, after a restart too. A retried add that Graph already did answers
"already a member", which counts as done: never a second member, never a second welcome.
"""

from __future__ import annotations

import itertools

from tests.fakes.connector import FakeConnector, card_text
from tests.fakes.graph_fake import GraphFake
from tests.faults.harness import (
    ADD_PATH,
    GROUPS,
    Pg,
    ServerPool,
    adds,
    approve,
    ask_to_join_ubs,
    eventually,
    requests_report,
    welcomes,
)
from tests.support.bot_client import ALICE, BRUNO, CARMEN


async def added_once(pg: Pg, graph: GraphFake, connector: FakeConnector) -> None:
    """Wait for the end of the flow, then: one member, one welcome, one `membership.added`."""

    async def all_done() -> bool:
        items = await pg.outbox()
        return (await pg.request())["added_at"] is not None and all(
            i["status"] == "done" for i in items
        )

    await eventually(all_done, "the add and everything after it done", timeout=25)
    await eventually(lambda: welcomes(connector), "the welcome")
    assert graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]
    [welcome] = welcomes(connector)
    assert "Welcome to Urban Basic Services (UBS)!" in card_text(welcome.card)
    assert len(await pg.audit("membership.added")) == 1
    assert not await pg.audit("membership.add_failed")


def gaps(graph: GraphFake) -> list[float]:
    sent = graph.http_requests("POST", ADD_PATH)
    return [later.received_at - earlier.received_at for earlier, later in itertools.pairwise(sent)]


async def test_a_429_storm_and_503s_are_waited_out_as_graph_asks(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    server = await pool.start("graph")
    client = server.client(connector)
    card = await ask_to_join_ubs(client, connector)
    graph.throttle(times=4, retry_after=1, path=ADD_PATH)  # one more than the client retries
    graph.unavailable(times=2, path=ADD_PATH)  # no Retry-After: the client's own backoff

    assert "Approved by Carmen Ruiz on" in await approve(client, card, CARMEN)
    await added_once(pg, graph, connector)

    assert adds(graph) == [429, 429, 429, 429, 503, 503, 204]
    waited = gaps(graph)
    assert all(w >= 0.95 for w in waited[:3]), waited  # in-process: Retry-After, each time
    assert waited[3] >= 0.95, waited  # the outbox's next attempt: not before Retry-After either
    assert all(w >= 0.45 for w in waited[4:]), waited  # backoff after a 503 without Retry-After
    [deferred] = await pg.audit("membership.add_deferred")
    assert (deferred["details"]["status"], deferred["details"]["retry_after"]) == (429, 1.0)
    [item] = await pg.outbox("membership.add")
    assert item["attempts"] == 2 and "429" in item["last_error"]


async def test_timeouts_before_and_after_graph_did_the_add(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    server = await pool.start("graph", graph_timeout=1.0)
    client = server.client(connector)
    card = await ask_to_join_ubs(client, connector)
    graph.delay(3.0, path=ADD_PATH)  # no answer in time, and nothing done
    graph.slow_answer(3.0, path=ADD_PATH)  # done at once, but the answer comes too late

    await approve(client, card, BRUNO)
    await added_once(pg, graph, connector)

    # Neither timed-out request was answered; the third learnt the second had worked.
    assert adds(graph) == [None, None, 400]
    [added] = await pg.audit("membership.added")
    assert added["details"]["outcome"] == "already_member"
    deferred = await pg.audit("membership.add_deferred")
    assert [d["details"]["reason"] for d in deferred] == [
        "Graph did not answer in time to add a group member"
    ] * 2


async def test_a_token_graph_no_longer_accepts_is_renewed_once(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    server = await pool.start("graph")
    client = server.client(connector)
    card = await ask_to_join_ubs(client, connector)  # the server has used its first token
    token = graph.requests[-1].authorization
    assert token == "Bearer entra-token-1"
    graph.expire_token("entra-token-1")  # revoked: "Access token has expired or is not yet valid"

    await approve(client, card, BRUNO)
    await added_once(pg, graph, connector)

    sent = graph.http_requests("POST", ADD_PATH)
    assert [(r.authorization, r.status) for r in sent] == [
        ("Bearer entra-token-1", 401),
        ("Bearer entra-token-2", 204),
    ]
    [item] = await pg.outbox("membership.add")
    assert item["attempts"] == 1  # renewed inside the call: nothing was deferred
    assert not await pg.audit("membership.add_deferred")
    assert [e["renewed"] for e in server.events("graph.token_rejected")] == [True]


async def test_an_outage_longer_than_the_retries_leaves_the_add_queued_and_visible(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    server = await pool.start("graph", graph_retries=1, graph_backoff=0.2, outbox_base_delay=0.3)
    client = server.client(connector)
    card = await ask_to_join_ubs(client, connector)
    graph.unavailable(times=None, path=ADD_PATH)  # down until the test says otherwise

    await approve(client, card, BRUNO)

    async def retried_and_queued():
        [item] = await pg.outbox("membership.add")
        return item["attempts"] >= 2 and item["status"] == "pending" and item

    item = await eventually(retried_and_queued, "two attempts, still queued")
    assert "HTTP 503" in item["last_error"]
    report = await requests_report(pool)  # what an admin sees meanwhile
    assert "Pending requests (0):" in report
    assert "Approved, not yet in the group (1):" in report
    [waiting] = [line for line in report if "Alice Wanjiru -> UBS" in line]
    assert f"approved by {BRUNO.name}" in waiting
    assert f"outbox #{item['id']} pending" in waiting and "HTTP 503" in waiting
    assert "Failed (0):" in report
    assert await server.metric("copbot_outbox_depth", status="pending") == 1.0
    assert graph.member_ids(GROUPS["UBS"]) == [] and welcomes(connector) == []

    graph.clear_faults()  # Graph is back
    await added_once(pg, graph, connector)

    statuses = adds(graph)
    assert statuses[-1] == 204 and set(statuses[:-1]) == {503} and len(statuses) >= 4
    report = await requests_report(pool)
    assert "Approved, not yet in the group (0):" in report and "Failed (0):" in report
