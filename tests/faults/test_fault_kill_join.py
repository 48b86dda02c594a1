"""The server process is SIGKILLed in the middle of the join flow, after the decision, while the
person is being added to the CoP's group; a new process on the same database finishes the work.

Why nothing is lost: the decision and the directory add it implies (an outbox row) commit in one
transaction, before anything is sent; the row is leased by the worker that runs it, and a lease
left by a dead process expires, so the next process runs it again. Why nothing happens twice: the
decision is a conditional UPDATE (it is never taken again), a second add is harmless (Graph says
"already a member", which the handler takes as done), and the welcome is queued by the single
UPDATE that records the add (`added_at IS NULL`), so only the add that is recorded welcomes.

Two kill points, each pinned exactly: (1) the add is in flight and Graph has not done it (the Graph
fake holds the request); (2) Graph added the person and answered 204, and the server is blocked
writing that down (the test holds the request's row lock, so the server waits on it in
PostgreSQL, where the test sees it, and is killed there).
"""

from __future__ import annotations

from datetime import timedelta

from tests.fakes.connector import FakeConnector, card_text
from tests.fakes.graph_fake import GraphFake
from tests.faults.harness import (
    ADD_PATH,
    GROUPS,
    UBS,
    Pg,
    ServerPool,
    adds,
    approval_cards,
    approve,
    arrived,
    ask_to_join_ubs,
    card_updates,
    eventually,
    requests_report,
    welcomes,
)
from tests.support.bot_client import ALICE, BRUNO, CARMEN


async def decided_and_cards_updated(pg: Pg, connector: FakeConnector) -> None:
    """The decision's other work (each focal point's card updated) is done: only the add is left."""

    async def done() -> bool:
        updates = await pg.outbox("membership.card_update")
        return len(updates) == 2 and all(u["status"] == "done" for u in updates)

    await eventually(done, "both approval cards updated")
    for user in (BRUNO, CARMEN):
        assert len(card_updates(connector, user)) == 1


async def restart_after_the_lease(pool: ServerPool, pg: Pg, name: str):
    """A new process, its clock just past the add's lease (as if it came back a little later)."""
    [item] = await pg.outbox("membership.add")
    assert item["status"] == "pending" and item["lease_owner"], dict(item)
    return await pool.start(name, clock=item["lease_until"] + timedelta(seconds=1))


async def finished(pg: Pg, connector: FakeConnector) -> None:
    async def all_done() -> bool:
        request = await pg.request()
        items = await pg.outbox()
        return request["added_at"] is not None and all(i["status"] == "done" for i in items)

    await eventually(all_done, "the add recorded and every outbox item done")
    await eventually(lambda: welcomes(connector), "the welcome")


async def assert_everything_happened_once(
    pool: ServerPool, pg: Pg, connector: FakeConnector, graph: GraphFake
) -> None:
    assert graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]
    [welcome] = welcomes(connector)
    assert f"Welcome to {UBS}!" in card_text(welcome.card)
    assert "Bruno Costa approved your request" in card_text(welcome.card)
    for user in (BRUNO, CARMEN):
        assert len(approval_cards(connector, user)) == 1  # no card sent twice
        [update] = card_updates(connector, user)  # the decision shown once, on the card itself
        assert "Approved by Bruno Costa on" in card_text(update.card)
    request = await pg.request()
    assert (request["status"], request["decided_by"]) == ("approved", BRUNO.aad_id)
    actions = await pg.audit_actions()
    for action, times in {
        "membership.requested": 1,
        "membership.card_sent": 2,
        "membership.approved": 1,
        "membership.added": 1,
    }.items():
        assert actions.count(action) == times, actions
    assert not {"membership.add_failed", "membership.decision_refused"} & set(actions)
    [add_item] = await pg.outbox("membership.add")
    assert add_item["attempts"] == 2  # the killed attempt and the one that finished
    report = await requests_report(pool)
    assert "Pending requests (0):" in report
    assert "Approved, not yet in the group (0):" in report
    assert "Failed (0):" in report


async def test_killed_while_the_add_is_in_flight(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    first = await pool.start("first")
    client = first.client(connector)
    card = await ask_to_join_ubs(client, connector)
    in_flight = graph.hold(method="POST", path=ADD_PATH)  # Graph does nothing until released

    assert "Approved by Bruno Costa on" in await approve(client, card, BRUNO)
    await arrived(in_flight.arrived, "the add to reach Graph")
    await decided_and_cards_updated(pg, connector)
    await first.kill()

    assert graph.member_ids(GROUPS["UBS"]) == []  # the add never happened
    assert welcomes(connector) == []
    second = await restart_after_the_lease(pool, pg, "second")
    await finished(pg, connector)

    assert adds(graph) == [None, 204]  # the killed one was never answered; the retry added
    [added] = await pg.audit("membership.added")
    assert added["details"]["outcome"] == "added"
    await assert_everything_happened_once(pool, pg, connector, graph)
    assert second.alive


async def test_killed_after_graph_added_before_the_outcome_was_recorded(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    first = await pool.start("first")
    client = first.client(connector)
    card = await ask_to_join_ubs(client, connector)
    held = graph.hold(method="POST", path=ADD_PATH)

    assert "Approved by Bruno Costa on" in await approve(client, card, BRUNO)
    await arrived(held.arrived, "the add to reach Graph")
    await decided_and_cards_updated(pg, connector)
    request = await pg.request()
    async with pg.holding("SELECT 1 FROM join_requests WHERE id = $1 FOR UPDATE", request["id"]):
        held.release()  # Graph adds Alice and answers 204 ...
        await eventually(lambda: adds(graph) == [204], "Graph's 204")
        # ... and the server waits for the row to record it: killed right there.
        await eventually(
            lambda: pg.waiting_on_lock("UPDATE join_requests"),
            "the server blocked recording the add",
        )
        await first.kill()

    assert graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]  # done in Graph ...
    assert (await pg.request())["added_at"] is None  # ... not known to us
    assert welcomes(connector) == []
    await restart_after_the_lease(pool, pg, "second")
    await finished(pg, connector)

    assert adds(graph) == [204, 400]  # the second add: "already a member", taken as done
    [added] = await pg.audit("membership.added")
    assert added["details"]["outcome"] == "already_member"
    await assert_everything_happened_once(pool, pg, connector, graph)


async def test_killed_after_teams_took_the_welcome_it_comes_again_the_add_does_not(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    """The one window where something happens twice, by design: a message to a person (the
    welcome; an approval card alike) is *at least* once. Killed after Teams took it and before the
    outbox recorded it, the restarted server sends it again: the person sees a second welcome
    rather than none. Nothing else is redone (the add, the decision, the cards). Posts to a CoP's
    channel make the other choice, at most once (test_fault_kill_post.py)."""
    first = await pool.start("first")
    client = first.client(connector)
    card = await ask_to_join_ubs(client, connector)
    welcome = connector.hold(("send", "reply"), conversation=f"a:personal-{ALICE.channel_id}")

    await approve(client, card, BRUNO)
    await arrived(welcome.arrived, "the welcome to reach Teams")
    await first.kill()
    welcome.release()  # Teams shows it; the server never learnt
    await eventually(lambda: len(welcomes(connector)) == 1, "the first welcome")
    [notify] = await pg.outbox("membership.notify")
    assert notify["status"] == "pending" and notify["lease_owner"]

    await pool.start("second", clock=notify["lease_until"] + timedelta(seconds=1))

    async def notified() -> bool:
        [item] = await pg.outbox("membership.notify")
        return item["status"] == "done"

    await eventually(notified, "the welcome sent again")
    assert len(welcomes(connector)) == 2  # at least once: the only thing seen twice
    assert adds(graph) == [204] and graph.member_ids(GROUPS["UBS"]) == [ALICE.aad_id]
    actions = await pg.audit_actions()
    assert actions.count("membership.approved") == actions.count("membership.added") == 1
    for user in (BRUNO, CARMEN):
        assert len(approval_cards(connector, user)) == 1
        assert len(card_updates(connector, user)) == 1
