"""Crash takeover with two instances on one PostgreSQL database: instance A is SIGKILLed while it
holds claimed work (Bruno's approval card, its send in flight), and instance B, running all along
with the production outbox poll (scheduler/jobs.py OUTBOX_INTERVAL_S), takes that work over by itself, within
a minute of the kill (the product's contract), and sends it once.

Why within a minute: A's lease is 30 s and renewed every 10 s while A works
(copbot/work/lease.py); killed, A renews no more, its lease runs out at most 30 s later and B's
next poll (every 15 s) claims the item. Why once: A's request never reached Teams (the connector
double drops it, as a connection cut by the kill), and B sends only after its own claim; the card
recorded as sent is not sent again.
"""

from __future__ import annotations

import time

from scheduler.jobs import OUTBOX_INTERVAL_S
from tests.fakes.connector import FakeConnector
from tests.faults.harness import (
    UBS,
    Pg,
    ServerPool,
    approval_cards,
    arrived,
    chat_with,
    eventually,
)
from tests.support.bot_client import ALICE, BRUNO, CARMEN

TAKEOVER_CONTRACT_S = 60.0


async def card_items(pg: Pg) -> dict[str, dict]:
    return {i["payload"]["recipient"]: dict(i) for i in await pg.outbox("membership.card")}


async def test_a_killed_instances_claimed_card_is_sent_by_the_survivor_within_a_minute(
    pool: ServerPool, pg: Pg, connector: FakeConnector
) -> None:
    a = await pool.start("a", outbox_interval=OUTBOX_INTERVAL_S)
    in_flight = connector.hold(("send", "reply"), conversation=chat_with(BRUNO))
    response = await a.client(connector).say(
        "join UBS as my primary: I run the water programme", ALICE
    )
    assert response.texts[0].startswith(f"Your request to join {UBS}"), response.texts
    await arrived(in_flight.arrived, "Bruno's card to reach Teams")
    await eventually(lambda: approval_cards(connector, CARMEN), "Carmen's card")

    b = await pool.start("b", outbox_interval=OUTBOX_INTERVAL_S)
    await b.set_clock(await a.clock())  # one time for both, as on one host
    claimed = (await card_items(pg))[BRUNO.aad_id]
    assert claimed["status"] == "pending" and claimed["lease_owner"], claimed

    await a.kill()
    killed_at = time.monotonic()
    in_flight.drop()  # the request died with its process: Teams never got it

    await eventually(
        lambda: approval_cards(connector, BRUNO),
        "the survivor to send Bruno's card",
        timeout=TAKEOVER_CONTRACT_S + 15,  # fail with a message, not a hang, if it is late
    )
    took = time.monotonic() - killed_at
    assert took <= TAKEOVER_CONTRACT_S, f"taken over after {took:.0f} s"
    print(f"taken over and sent {took:.1f} s after the kill")  # shown by pytest -rP

    async def recorded() -> bool:
        return (await card_items(pg))[BRUNO.aad_id]["status"] == "done"

    await eventually(recorded, "the card recorded as sent")
    assert len(approval_cards(connector, BRUNO)) == 1  # no duplicate ...
    assert len(approval_cards(connector, CARMEN)) == 1
    items = await card_items(pg)
    assert items[BRUNO.aad_id]["attempts"] == 2  # ... A's claim and B's
    assert items[BRUNO.aad_id]["lease_owner"] is None
    assert [e["outbox_id"] for e in b.events("outbox.done")].count(claimed["id"]) == 1
    sent = [r for r in await pg.audit("membership.card_sent")]
    assert len(sent) == 2, sent
    assert b.alive
