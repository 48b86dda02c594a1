"""The server process is SIGKILLed while posting a meeting announcement in the CoP's channel.

Posts are at most once, by design (copbot/meetings/claims.py): a post is claimed in the database
(a unique key per CoP, kind, occurrence and recipient) before it is sent. A process that dies
after claiming leaves a claim whose outcome nobody knows, because Teams may or may not have the
message, and Teams offers no way to send "only if not sent yet". Once its lease has run out the
post is recorded as skipped ("outcome_unknown"), visible in `copbot meetings list` and sendable by
hand (`post-now --again`); a duplicate in a channel of hundreds of people cannot be taken back.

(1) Killed mid-send: the Teams fake holds the post, the process dies, then Teams takes it. After
the restart nothing is posted again: one post, and the record says the outcome was unknown.
(1b) The same, but the post was lost on the way: still not re-sent on a guess; the record shows
it and `copbot meetings post-now --again` fills the gap, once.
(2) Killed before the send started: the process is blocked inside its claim (the test holds a
conflicting, uncommitted claim row), dies there, its transaction never commits; after the
restart the post is sent, once.
"""

from __future__ import annotations

from datetime import timedelta

from tests.fakes.connector import FakeConnector, card_text
from tests.faults.harness import (
    ANNOUNCE_AT,
    CHANNEL,
    DEC,
    TEAM,
    Pg,
    Server,
    ServerPool,
    arrived,
    channel_posts,
    copbot,
    eventually,
)
from tests.support.bot_client import BRUNO

DUE = ANNOUNCE_AT + timedelta(minutes=1)  # the announcement of 16 December is due


async def installed(pool: ServerPool, connector: FakeConnector) -> Server:
    """A server an hour before the announcement is due, installed in the UBS team."""
    server = await pool.start("first", clock=ANNOUNCE_AT - timedelta(hours=1))
    await server.client(connector).install_in_team(TEAM, CHANNEL, BRUNO)
    return server


async def announcement(pg: Pg):
    return await pg.row(
        "SELECT * FROM meeting_posts WHERE cop_id = 'UBS' AND kind = 'announcement' "
        "AND occurrence_id = $1",
        DEC,
    )


async def test_killed_mid_send_the_post_is_not_sent_again(
    pool: ServerPool, pg: Pg, connector: FakeConnector
) -> None:
    first = await installed(pool, connector)
    in_flight = connector.hold(("create",), channel=CHANNEL)
    await first.set_clock(DUE)
    await arrived(in_flight.arrived, "the announcement to reach Teams")
    claimed = await announcement(pg)
    assert claimed["status"] == "claimed" and claimed["attempts"] == 1
    await first.kill()
    in_flight.release()  # Teams takes the post; its sender is gone and will never know
    await eventually(lambda: len(channel_posts(connector)) == 1, "the post in the channel")

    second = await pool.start("second", clock=claimed["lease_until"] + timedelta(seconds=1))

    async def settled():
        row = await announcement(pg)
        return row if row["status"] != "claimed" else None

    row = await eventually(settled, "the restarted server to settle the post")
    assert row["status"] == "skipped"
    assert row["reason"] == f"outcome_unknown: {claimed['claimed_by']} stopped while sending"
    # The metric counts this post among the announcements skipped at the restart (others, e.g. a
    # practice area's meeting that already started, are settled as missed by the same tick)
    skipped = await pg.rows(
        "SELECT occurrence_id FROM meeting_posts WHERE kind = 'announcement' AND status = 'skipped'"
    )
    assert DEC in {r["occurrence_id"] for r in skipped}
    assert await second.metric(
        "copbot_meeting_posts_total", kind="announcement", outcome="skipped"
    ) == float(len(skipped))
    [post] = channel_posts(connector)  # at most once: the one Teams got, never a second
    assert "16 December 2026" in card_text(post.card)


async def test_killed_mid_send_and_lost_the_gap_is_recorded_and_can_be_filled_once(
    pool: ServerPool, pg: Pg, connector: FakeConnector
) -> None:
    """The price of at most once: Teams never got the post either. It is not guessed at: the
    record says the outcome is unknown, and an admin who sees the channel lacks it posts it."""
    first = await installed(pool, connector)
    in_flight = connector.hold(("create",), channel=CHANNEL)
    await first.set_clock(DUE)
    await arrived(in_flight.arrived, "the announcement to reach Teams")
    claimed = await announcement(pg)
    await first.kill()
    in_flight.drop()  # lost on the way: Teams has nothing

    await pool.start("second", clock=claimed["lease_until"] + timedelta(seconds=1))

    async def settled():
        row = await announcement(pg)
        return row if row["status"] != "claimed" else None

    row = await eventually(settled, "the restarted server to settle the post")
    assert row["status"] == "skipped" and row["reason"].startswith("outcome_unknown")
    assert channel_posts(connector) == []  # not sent again on a guess
    posted = await copbot(pool, "meetings", "post-now", "UBS", "--occurrence", DEC, "--again")
    assert f"posted: announcement {DEC}" in posted
    [post] = channel_posts(connector)
    assert "16 December 2026" in card_text(post.card)
    assert (await announcement(pg))["status"] == "sent"


async def test_killed_before_the_send_started_the_post_is_sent_once(
    pool: ServerPool, pg: Pg, connector: FakeConnector
) -> None:
    first = await installed(pool, connector)
    conflicting_claim = (
        "INSERT INTO meeting_posts (cop_id, kind, occurrence_id, recipient, status, due_at, "
        "claimed_at, claimed_by, lease_until, attempts, reason, conversation_id, activity_id, "
        "service_url) VALUES ('UBS', 'announcement', $1, '', 'claimed', $2, $2, 'test', $2, 1, "
        "'', '', '', '')"
    )
    async with pg.holding(conflicting_claim, DEC, ANNOUNCE_AT):
        await first.set_clock(DUE)
        await eventually(
            lambda: pg.waiting_on_lock("INSERT INTO meeting_posts"),
            "the server blocked in its claim",
        )
        await first.kill()  # inside the claim's transaction: it never commits
    assert await announcement(pg) is None
    assert channel_posts(connector) == []

    second = await pool.start("second", clock=DUE + timedelta(minutes=1))

    async def sent():
        row = await announcement(pg)
        return row if row is not None and row["status"] == "sent" else None

    row = await eventually(sent, "the restarted server to post")
    assert row["attempts"] == 1 and row["claimed_by"] != "test"
    [post] = channel_posts(connector)
    assert "16 December 2026" in card_text(post.card)
    assert (
        await second.metric("copbot_meeting_posts_total", kind="announcement", outcome="sent")
        == 1.0
    )
