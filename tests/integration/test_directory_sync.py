"""The directory sync through the real job, in Graph mode on the Graph fake (msgraph-sdk over
HTTP), on SQLite and PostgreSQL.

A first full round finds our records true; then, as owners and admins do in Teams and Entra, two
people are added to the UBS team, one is removed, a requester's account is disabled and a focal
point's account is deleted: the next run makes our records match, asks the newcomer without a
primary CoP once (in her language), closes the disabled person's request with the reason on the
focal points' cards, alerts the admin about UBS (once) and escalates UBS's pending request; a run
with no changes costs one delta request per CoP and changes nothing. Both notices are in the
delivery ledger: delivered with the id Teams gave them, or, when Teams refuses for good,
undeliverable with its reason in `copbot deliveries` and the admin report.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import app as composition
from bot.features.membership.wiring import SYNC_JOB
from bot.features.membership.wiring import jobs as membership_jobs
from cards.admin import admin_report_card
from cli.requests import delivery_lines
from cli.sync import sync_lines
from copbot.delivery.ledger import DeliveryView
from copbot.reports import build_report
from copbot.store import Database, audit
from copbot.store.membership_models import JoinRequest, Membership
from copbot.work.policy import RetryPolicy
from graph.accounts import GraphAccounts
from graph.delta import GraphGroupDelta
from graph.teams import GraphTeamMembers
from tests.conftest import RunningBot
from tests.fakes.connector import FakeConnector, Record, card_text
from tests.fakes.connector_refusals import BLOCKED_BY_USER, NOT_INSTALLED
from tests.fakes.graph_fake import GraphFake
from tests.integration.test_membership_flow import (
    FAST_GRAPH,
    StaticToken,
    graph_directory,
    graph_settings,
)
from tests.support.bot_client import ALICE, BRUNO, CARMEN, DANIEL, ERIN, GROUPS, UBS, User

DELTA = "/groups/delta*"

FRANK = User("f6f6f6f6-0000-4000-8000-000000000006", "Frank Mwangi", "frank.mwangi@un.org")
NINA = User("a7a7a7a7-0000-4000-8000-000000000007", "Nina Duarte", "nina.duarte@un.org")
OMAR = User("b8b8b8b8-0000-4000-8000-000000000008", "Omar Haddad", "omar.haddad@un.org")
LEO = User("c9c9c9c9-0000-4000-8000-000000000009", "Leo Park", "leo.park@un.org")
PIA = User("dadadada-0000-4000-8000-00000000000a", "Pia Schmidt", "pia.schmidt@un.org")


def sync_ports(graph: GraphFake) -> composition.SyncPorts:
    def make(cls: Any) -> Any:
        return cls.create(StaticToken(), graph.base_url, retry=FAST_GRAPH, timeout=5.0)

    return composition.SyncPorts(make(GraphGroupDelta), make(GraphAccounts), make(GraphTeamMembers))


@pytest.fixture
async def graph() -> AsyncIterator[GraphFake]:
    async with GraphFake() as fake:
        for user in (ALICE, BRUNO, CARMEN, DANIEL, ERIN, FRANK, NINA, OMAR, LEO, PIA):
            fake.add_user(user.name, id=user.aad_id, mail=user.email)
        for cop, group in GROUPS.items():
            fake.add_group(f"{cop} CoP", id=group)
        yield fake


async def start(
    bot_factory: Callable[..., Any], graph: GraphFake, tmp_path: Path, db_url: str, **values: Any
) -> RunningBot:
    ports = sync_ports(graph)
    bot = await bot_factory(
        database_url=db_url,
        directory=graph_directory(graph),
        sync_ports=ports,
        **graph_settings(tmp_path, **values),
    )
    return hand_driven(bot)


def hand_driven(bot: RunningBot) -> RunningBot:
    """The sync job is scheduled (a minute after the start, then daily); the tests run it
    themselves, at the moments they choose, so the scheduler's copy is taken off."""
    runner = bot.components.runner
    assert SYNC_JOB in runner.job_ids()
    runner.scheduler.remove_job(SYNC_JOB)
    return bot


async def seed_members(db: Database, graph: GraphFake, bot: RunningBot) -> None:
    """Records and groups agree: Alice (primary) and Frank in UBS, Frank's primary PLG, Omar's CC."""
    now = bot.clock.now()
    rows = [
        (ALICE, "UBS", "primary"),
        (FRANK, "UBS", "secondary"),
        (FRANK, "PLG", "primary"),
        (OMAR, "CC", "primary"),
    ]
    async with db.session() as session:
        for user, cop, role in rows:
            session.add(
                Membership(
                    person_id=user.aad_id,
                    cop_id=cop,
                    role=role,
                    since=now,
                    source="import",
                    added_at=now,
                )
            )
            graph.add_member(GROUPS[cop], user.aad_id)


async def run_sync_job(bot: RunningBot) -> Any:
    """The periodic job as the scheduler runs it, then the work it queued."""
    [job] = [j for j in membership_jobs(bot.services) if j.id == SYNC_JOB]
    result = await job.func()
    await bot.services.outbox.drain()
    return result


def to(connector: FakeConnector, user: User) -> list[Record]:
    """What reached the person in a 1:1 chat (their own, or one the bot created)."""
    return [
        r
        for r in connector.records
        if r.conversation_id in {f"a:personal-{user.aad_id}", f"a:personal-{user.channel_id}"}
    ]


async def memberships(db: Database, cop_id: str) -> dict[str, str]:
    async with db.session() as session:
        rows = await session.execute(
            Membership.__table__.select().where(Membership.cop_id == cop_id)
        )
        return {r.person_id: r.role for r in rows}


async def notices_about(bot: RunningBot, cop_id: str) -> dict[tuple[str, str], DeliveryView]:
    """The directory sync's notices about a CoP in the delivery ledger, by (kind, recipient)."""
    found = await bot.services.deliveries.of_subjects([f"cop:{cop_id}"])
    return {
        (row.kind, row.recipient): row
        for row in found.get(f"cop:{cop_id}", [])
        if row.kind in ("ask_primary", "focal_point_gone")
    }


async def requests_of(db: Database, user: User) -> list[JoinRequest]:
    async with db.session() as session:
        rows = await session.scalars(
            select(JoinRequest).where(JoinRequest.person_id == user.aad_id)
        )
        return list(rows)


async def test_drift_made_in_teams_is_reconciled_once_and_a_quiet_run_costs_one_request_per_cop(
    bot_factory: Callable[..., Any],
    graph: GraphFake,
    tmp_path: Path,
    db_url: str,
    database: Database,
) -> None:
    bot = await start(bot_factory, graph, tmp_path, db_url)
    db = bot.services.db
    await seed_members(db, graph, bot)
    await bot.client.say("bonjour", NINA, locale="fr-FR")  # Nina reads French
    for user in (LEO, PIA):
        await bot.client.say("join UBS as a secondary CoP", user)
    await bot.services.outbox.drain()
    assert len(await requests_of(db, LEO)) == 1

    # -- a first full round: our records were true ---------------------------------------------
    first = await run_sync_job(bot)
    assert [c.outcome for c in first.cops] == ["ok"] * len(GROUPS)
    assert all(c.full and not c.added_outside and not c.removed_outside for c in first.cops)
    assert first.leavers is not None and first.leavers.everyone and not first.leavers.left
    assert await memberships(db, "UBS") == {ALICE.aad_id: "primary", FRANK.aad_id: "secondary"}

    # -- drift, as an owner in Teams and an admin in Entra make it ------------------------------
    graph.add_member(GROUPS["UBS"], NINA.aad_id)  # no primary anywhere
    graph.add_member(GROUPS["UBS"], OMAR.aad_id)  # primary in CC already
    graph.remove_member(GROUPS["UBS"], FRANK.aad_id)
    graph.disable_user(LEO.aad_id)
    graph.delete_user(BRUNO.aad_id)  # a UBS focal point
    bot.clock.advance(timedelta(days=1))
    sent_before = len(bot.connector.records)
    graph.clear_requests()

    # `copbot sync --dry-run --cop UBS` says what would change and writes nothing.
    assert bot.services.membership.sync is not None
    dry = await bot.services.membership.sync.run(["ubs"], dry_run=True)
    lines = sync_lines(dry, dry_run=True)
    assert lines[0] == (
        "UBS: changes since the last run, 1 request(s); added outside: 2 would be recorded, "
        "removed outside: 1 would end; 3 in the group"
    )
    assert "2 disabled or deleted" in lines[1] and lines[-1].startswith("Dry run")
    assert await memberships(db, "UBS") == {ALICE.aad_id: "primary", FRANK.aad_id: "secondary"}
    await bot.services.outbox.drain()
    assert len(bot.connector.records) == sent_before

    second = await run_sync_job(bot)

    ubs = next(c for c in second.cops if c.cop_id == "UBS")
    assert not ubs.full
    assert set(ubs.added_outside) == {NINA.aad_id, OMAR.aad_id}
    assert ubs.removed_outside == (FRANK.aad_id,)
    assert await memberships(db, "UBS") == {
        ALICE.aad_id: "primary",
        NINA.aad_id: "secondary",
        OMAR.aad_id: "secondary",
    }
    assert await memberships(db, "PLG") == {FRANK.aad_id: "primary"}  # other CoPs untouched
    # The newcomer without a primary is asked, kindly and in French; Omar has one: not asked.
    [asked] = [r for r in to(bot.connector, NINA) if "principale" in r.text]
    assert "Vous avez été ajouté(e) à Services urbains de base (UBS)" in asked.text
    assert "faire de UBS ma principale" in asked.text
    assert not [r for r in to(bot.connector, OMAR) if r.kind != "update"]
    # Leo's account is disabled: his request is closed with the reason, on the focal point's card.
    [leo_request] = await requests_of(db, LEO)
    assert (leo_request.status, leo_request.reason) == ("withdrawn", "account_disabled")
    [closed] = [
        r
        for r in to(bot.connector, CARMEN)
        if r.kind == "update" and "account is disabled" in card_text(r.card)
    ]
    assert "Closed on" in card_text(closed.card)
    # Bruno's account is gone: the admin is asked for a new UBS focal point; Pia's request, still
    # pending, is escalated to the admin.
    erin = [r for r in bot.connector.records[sent_before:] if r in to(bot.connector, ERIN)]
    alerts = [r for r in erin if f"{UBS} needs a new focal point" in card_text(r.card)]
    assert len(alerts) == 1
    assert "Bruno Costa, focal point of Urban Basic Services (UBS), is no longer" in card_text(
        alerts[0].card
    )
    assert [r for r in erin if "Pia Schmidt" in card_text(r.card)], "Pia's request escalated"
    # Both notices are delivered in the ledger, with the id of the very message Teams took.
    notices = await notices_about(bot, "UBS")
    assert set(notices) == {("ask_primary", NINA.aad_id), ("focal_point_gone", ERIN.aad_id)}
    told = notices["ask_primary", NINA.aad_id]
    assert (told.state, told.activity_id, told.attempts) == ("delivered", asked.activity_id, 1)
    alerted = notices["focal_point_gone", ERIN.aad_id]
    assert (alerted.state, alerted.activity_id) == ("delivered", alerts[0].activity_id)
    [pia_request] = await requests_of(db, PIA)
    assert pia_request.status == "pending" and pia_request.escalated_at is not None
    entries = await audit.entries(db)
    [removed] = [e for e in entries if e.action == "membership.removed_outside"]
    assert removed.actor == "directory-sync" and removed.details["person_id"] == FRANK.aad_id
    assert [e.details["person_id"] for e in entries if e.action == "membership.added_outside"]
    # The sync never writes to the directory.
    assert [r for r in graph.requests if r.method != "GET" and r.path != "/$batch"] == []
    # `copbot report` and the admins' card show the drift and the missing focal point.
    report = await build_report(db, bot.services.catalog, bot.clock.now())
    figures = next(c for c in report.cops if c.cop_id == "UBS")
    assert (figures.members, figures.in_group) == (3, 3)
    assert (figures.added_outside, figures.removed_outside) == (2, 1)
    assert figures.last_sync_outcome == "ok" and figures.focal_points_gone == (BRUNO.aad_id,)
    shown = card_text(admin_report_card(report, bot.services.catalog, "en"))
    assert f"{UBS}: 3 in our records, 3 in the group; added outside: 2, removed outside: 1" in shown
    assert "Needs a new focal point." in shown
    assert "The bot reached everyone it wrote to in the last 30 days." in shown
    # /readyz flags UBS.
    async with bot.client.session.get(f"{bot.base_url}/readyz") as response:
        ready = await response.json()
    assert any("UBS: the focal point Bruno Costa" in w for w in ready["warnings"])

    # -- nothing changed: one delta request per CoP, nothing applied, nobody told again ---------
    graph.clear_requests()
    sent_before = len(bot.connector.records)
    changes_before = len(await audit.entries(db))
    third = await run_sync_job(bot)

    assert graph.count("GET", DELTA) == len(GROUPS)
    assert all(
        c.outcome == "ok" and not c.added_outside and not c.removed_outside for c in third.cops
    )
    assert bot.connector.records[sent_before:] == []
    new_entries = (await audit.entries(db))[changes_before:]
    assert {e.action for e in new_entries} == {"membership.synced"}
    assert len(await memberships(db, "UBS")) == 3
    async with bot.client.session.get(f"{bot.base_url}/metrics") as response:
        metrics = await response.text()
    assert 'copbot_directory_sync_runs_total{kind="full",outcome="ok"} 6.0' in metrics
    assert 'copbot_directory_sync_runs_total{kind="delta",outcome="ok"} 12.0' in metrics
    assert 'copbot_directory_sync_changes_total{change="added_outside"} 2.0' in metrics
    assert 'copbot_directory_sync_changes_total{change="removed_outside"} 1.0' in metrics


async def test_sync_notices_teams_refuses_for_good_are_shown_undeliverable_with_teams_reason(
    bot_factory: Callable[..., Any],
    graph: GraphFake,
    tmp_path: Path,
    db_url: str,
    database: Database,
) -> None:
    """Nina never installed the app (403) and Erin, the admin, blocked the bot (403): neither
    notice is tried again, and `copbot deliveries` and the admin report say so, with Teams'
    reason."""
    bot = await start(bot_factory, graph, tmp_path, db_url)
    db = bot.services.db
    await seed_members(db, graph, bot)
    for user in (NINA, ERIN):
        await bot.client.say("hello", user)  # the bot knows their chats
    await run_sync_job(bot)
    bot.connector.refuse(NOT_INSTALLED, person=NINA.channel_id)
    bot.connector.refuse(BLOCKED_BY_USER, person=ERIN.channel_id)
    graph.add_member(GROUPS["UBS"], NINA.aad_id)  # no primary anywhere: she is asked
    graph.delete_user(BRUNO.aad_id)  # a UBS focal point: the admin is alerted
    bot.clock.advance(timedelta(days=1))
    before = {user: len(to(bot.connector, user)) for user in (NINA, ERIN)}

    await run_sync_job(bot)

    assert {user: len(to(bot.connector, user)) for user in (NINA, ERIN)} == before
    refused = [r for r in bot.connector.refused if r.status == 403]
    assert len(refused) == 2, refused  # one try each: a refusal for good is not tried again
    failed = await bot.services.outbox.items(
        kinds=["membership.ask_primary", "membership.focal_point_gone"]
    )
    assert {(i.kind, i.status) for i in failed} == {
        ("membership.ask_primary", "failed"),
        ("membership.focal_point_gone", "failed"),
    }
    notices = await notices_about(bot, "UBS")
    told = notices["ask_primary", NINA.aad_id]
    assert (told.state, told.activity_id) == ("undeliverable", None)
    assert told.reason == (
        "Teams answered 403 (ForbiddenOperationException): "
        "Bot is not installed in user's personal scope"
    )
    alerted = notices["focal_point_gone", ERIN.aad_id]
    assert alerted.state == "undeliverable"
    assert alerted.reason == (
        "Teams answered 403 (ConversationBlockedByUser): User blocked the conversation with the bot."
    )
    # What an admin reads: `copbot deliveries` and the admin report card.
    rows = [row.as_json() for row in await bot.services.deliveries.undelivered()]
    lines = delivery_lines(rows, 7)
    [nina_line] = [line for line in lines if f"ask_primary to {NINA.aad_id}" in line]
    assert "(cop:UBS): undeliverable, 1 attempt(s): Teams answered 403" in nina_line
    [erin_line] = [line for line in lines if f"focal_point_gone to {ERIN.aad_id}" in line]
    assert "undeliverable, 1 attempt(s)" in erin_line and "ConversationBlockedByUser" in erin_line
    report = await build_report(db, bot.services.catalog, bot.clock.now())
    shown = card_text(admin_report_card(report, bot.services.catalog, "en"))
    assert "The bot cannot reach 2 people" in shown
    # A later run tells nobody again.
    await run_sync_job(bot)
    assert len([r for r in bot.connector.refused if r.status == 403]) == 2


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_instances_syncing_at_once_apply_each_change_once(
    bot_factory: Callable[..., Any], graph: GraphFake, tmp_path: Path, database: Database
) -> None:
    db_url = str(database.engine.url.render_as_string(hide_password=False))
    a = await start(bot_factory, graph, tmp_path, db_url)
    b = await start(bot_factory, graph, tmp_path, db_url)
    await seed_members(database, graph, a)
    await b.client.say("hello", NINA)
    await run_sync_job(a)
    graph.add_member(GROUPS["UBS"], NINA.aad_id)
    graph.add_member(GROUPS["UBS"], OMAR.aad_id)
    graph.remove_member(GROUPS["UBS"], FRANK.aad_id)
    graph.clear_requests()

    # Every delta request waits until both instances are inside a round at the same moment.
    held = graph.hold(times=None, method="GET", path=DELTA)
    runs = [asyncio.create_task(run_sync_job(bot)) for bot in (a, b)]
    while len([r for r in graph.http_requests("GET", DELTA) if r.status is None]) < 2:
        await asyncio.sleep(0.01)
    held.release()
    first, second = await asyncio.gather(*runs)

    outcomes = {(c.cop_id, c.outcome) for run in (first, second) for c in run.cops}
    assert {cop for cop, outcome in outcomes if outcome == "ok"} == set(GROUPS)
    assert any(outcome == "skipped" for _, outcome in outcomes)  # they did meet
    assert await memberships(database, "UBS") == {
        ALICE.aad_id: "primary",
        NINA.aad_id: "secondary",
        OMAR.aad_id: "secondary",
    }
    actions = [e.action for e in await audit.entries(database)]
    assert actions.count("membership.added_outside") == 2
    assert actions.count("membership.removed_outside") == 1
    asked = [r for r in to(a.connector, NINA) if "primary CoP" in r.text]
    assert len(asked) == 1, [(r.kind, r.text[:40]) for r in to(a.connector, NINA)]


async def test_an_expired_token_starts_a_full_round_and_a_refusal_is_shown_not_hidden(
    bot_factory: Callable[..., Any],
    graph: GraphFake,
    tmp_path: Path,
    db_url: str,
    database: Database,
) -> None:
    bot = await start(bot_factory, graph, tmp_path, db_url)
    db = bot.services.db
    await seed_members(db, graph, bot)
    await run_sync_job(bot)
    graph.remove_member(GROUPS["UBS"], FRANK.aad_id)
    graph.expire_delta_tokens()  # e.g. the server was off for more than seven days

    restarted = await run_sync_job(bot)

    ubs = next(c for c in restarted.cops if c.cop_id == "UBS")
    assert ubs.full and ubs.restarted and ubs.removed_outside == (FRANK.aad_id,)
    assert [r.status for r in graph.http_requests("GET", DELTA) if "$deltatoken" in r.query][
        -1
    ] == 410
    assert await memberships(db, "UBS") == {ALICE.aad_id: "primary"}

    graph.grant_only("User.Read.All")  # the app registration lost its group permissions
    refused = await run_sync_job(bot)

    assert {c.outcome for c in refused.cops} == {"failed"}
    assert "GroupMember.Read.All" in (refused.cops[0].reason or "")
    assert not refused.ok
    async with bot.client.session.get(f"{bot.base_url}/readyz") as response:
        warnings = (await response.json())["warnings"]
    assert any(w.startswith("UBS: the last directory sync failed") for w in warnings)
    assert await memberships(db, "UBS") == {ALICE.aad_id: "primary"}  # nothing guessed


async def test_a_dead_runs_cop_is_taken_over_after_the_lease_and_a_slow_live_run_keeps_it(
    bot_factory: Callable[..., Any], graph: GraphFake, tmp_path: Path, database: Database
) -> None:
    db_url = str(database.engine.url.render_as_string(hide_password=False))
    bot = await start(bot_factory, graph, tmp_path, db_url)
    await seed_members(database, graph, bot)
    sync = bot.services.membership.sync
    assert sync is not None
    # two instances' engines on one database; the one lease policy, its heartbeat made quick
    fast = replace(sync.groups.settings, lease=RetryPolicy(lease_seconds=30, heartbeat_seconds=0.1))
    a, b = (replace(sync.groups, settings=fast, instance=name) for name in ("a", "b"))
    ubs = bot.services.catalog.get("UBS")
    assert ubs is not None

    claimed, _ = await a._claim(ubs)  # instance a is killed right after its claim
    assert claimed
    assert (await b.sync_cop(ubs)).outcome == "skipped"
    bot.clock.advance(timedelta(seconds=31))  # half a minute later, not a quarter of an hour
    assert (await b.sync_cop(ubs)).outcome == "ok"

    held = graph.hold(times=1, method="GET", path=DELTA)
    slow = asyncio.create_task(a.sync_cop(ubs))
    while not [r for r in graph.http_requests("GET", DELTA) if r.status is None]:
        await asyncio.sleep(0.01)
    bot.clock.advance(timedelta(seconds=31))  # past the lease a took at its claim
    await asyncio.sleep(0.3)  # a's heartbeat renews it meanwhile
    assert (await b.sync_cop(ubs)).outcome == "skipped"
    held.release()
    assert (await slow).outcome == "ok"
