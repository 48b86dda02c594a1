"""Two server processes on one PostgreSQL database, both running their schedulers (the outbox
every half second, the meetings tick every second), as a deployment with two replicas behind a
load balancer: both receive the focal points' approvals of one request at the same moment
(plus double clicks), and both find the same meeting post due at the same moment.

Concurrency is forced, not hoped for: the test holds the request's row (and then a conflicting
claim on the post) until every click has reached PostgreSQL on both servers and is waiting there,
then lets them all go at once. What makes it safe: the decision is one `UPDATE ... WHERE status =
'pending'` (the first to get the row wins; the others re-read it and see it decided), the add is
an outbox row claimed with `FOR UPDATE SKIP LOCKED` and leased (while one instance is adding,
held in flight here, the claims that run meanwhile leave it alone), and the post is claimed by an
INSERT on a unique key (`ON CONFLICT DO NOTHING`).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.fakes.connector import FakeConnector, card_text
from tests.fakes.graph_fake import GraphFake
from tests.faults.harness import (
    ADD_PATH,
    ANNOUNCE_AT,
    CHANNEL,
    DANIEL,
    DEC,
    FRANK,
    GROUPS,
    TEAM,
    Pg,
    ServerPool,
    adds,
    approval_cards,
    approve,
    arrived,
    ask_to_join_ubs,
    card_updates,
    channel_posts,
    eventually,
    welcomes,
)
from tests.support.bot_client import ALICE, BRUNO, CARMEN


async def test_two_instances_one_decision_one_add_one_welcome_one_post(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    before = ANNOUNCE_AT - timedelta(hours=1)
    a, b = await asyncio.gather(pool.start("a", clock=before), pool.start("b", clock=before))
    on_a, on_b = a.client(connector), b.client(connector)
    await on_a.install_in_team(TEAM, CHANNEL, BRUNO)
    card = await ask_to_join_ubs(on_b, connector)
    request = await ubs_request(pg)

    # -- the same approvals on both, at once ----------------------------------------------------
    adding = graph.hold(method="POST", path=ADD_PATH)  # keeps the add in flight (see below)
    async with pg.holding("SELECT 1 FROM join_requests WHERE id = $1 FOR UPDATE", request["id"]):
        clicks = [
            asyncio.create_task(approve(on_a, card, BRUNO)),
            asyncio.create_task(approve(on_b, card, CARMEN)),
            asyncio.create_task(approve(on_b, card, BRUNO)),  # Bruno's double click ...
            asyncio.create_task(approve(on_a, card, BRUNO)),  # ... and a third one
        ]
        await eventually(
            lambda: _all_waiting(pg, "UPDATE join_requests", 4), "every click waiting to decide"
        )
    seen = await asyncio.gather(*clicks)

    deciders = {
        line for text in seen for line in text.splitlines() if line.startswith("Approved by")
    }
    assert len(deciders) == 1, seen  # every clicker sees the one decision ...
    assert sum("had already been decided" in text for text in seen) == 3  # ... three were late

    # -- while one instance is adding, outbox claims run and leave the leased add alone ------------
    await arrived(adding.arrived, "the add to reach Graph")
    [item] = await pg.outbox("membership.add")
    assert item["lease_owner"] and item["lease_until"] is not None
    await on_a.say("join PLG as my primary", FRANK)  # new work: its card is claimed now
    await eventually(lambda: approval_cards(connector, DANIEL), "Frank's card claimed and sent")
    assert adds(graph) == [None]  # that claim did not take the add a second time
    adding.release()

    async def added() -> bool:
        items = await pg.outbox()
        return (await ubs_request(pg))["added_at"] is not None and all(
            i["status"] == "done" for i in items
        )

    await eventually(added, "the add and everything after it done")
    await eventually(lambda: welcomes(connector), "the welcome")
    assert adds(graph) == [204]  # the held one, answered once released
    assert graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]
    assert len(welcomes(connector)) == 1
    assert len(await pg.audit("membership.approved")) == 1
    assert len(await pg.audit("membership.added")) == 1
    for user in (BRUNO, CARMEN):
        [update] = card_updates(connector, user)
        assert card_text(update.card).count("Approved by") == 1
    ran_the_outbox = {s.name for s in (a, b) if s.events("outbox.done")}
    assert ran_the_outbox  # (either may have; both poll it every half second)

    # -- the same post due on both, at once -----------------------------------------------------
    conflicting_claim = (
        "INSERT INTO meeting_posts (cop_id, kind, occurrence_id, recipient, status, due_at, "
        "claimed_at, claimed_by, lease_until, attempts, reason, conversation_id, activity_id, "
        "service_url) VALUES ('UBS', 'announcement', $1, '', 'claimed', $2, $2, 'test', $2, 1, "
        "'', '', '', '')"
    )
    due = ANNOUNCE_AT + timedelta(minutes=1)
    async with pg.holding(conflicting_claim, DEC, ANNOUNCE_AT):
        await asyncio.gather(a.set_clock(due), b.set_clock(due))
        await eventually(
            lambda: _all_waiting(pg, "INSERT INTO meeting_posts", 2), "both ticks claiming the post"
        )

    async def posted():
        row = await pg.row(
            "SELECT * FROM meeting_posts WHERE kind = 'announcement' AND occurrence_id = $1", DEC
        )
        return row if row is not None and row["status"] == "sent" else None

    row = await eventually(posted, "the announcement posted")
    [post] = channel_posts(connector)
    assert "16 December 2026" in card_text(post.card)
    counted = [
        await s.metric("copbot_meeting_posts_total", kind="announcement", outcome="sent")
        for s in (a, b)
    ]
    assert sorted(counted) == [0.0, 1.0]  # one instance sent it; the other found it claimed
    posted_by = [
        s.name
        for s in (a, b)
        for e in s.events("meetings.posted")
        if e.get("occurrence_id") == DEC and e.get("kind") == "announcement"
    ]
    assert len(posted_by) == 1 and row["attempts"] == 1
    assert a.alive and b.alive


async def _all_waiting(pg: Pg, statement: str, count: int) -> bool:
    return await pg.waiting_on_lock(statement) >= count


async def ubs_request(pg: Pg):
    return await pg.row("SELECT * FROM join_requests WHERE cop_id = 'UBS'")
