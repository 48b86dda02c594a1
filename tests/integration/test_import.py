"""Bulk import against the Graph fake (real msgraph-sdk, real HTTP) and a real database.

Covers: people resolved in batches and added 20 per request, memberships recorded, resume after
an interruption (done rows skipped, a request cut off in flight made good), throttling honoured
(inside the client and beyond it), bad rows, an unknown group, a refused permission, dry runs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from azure.core.credentials import AccessToken
from sqlalchemy import select

from copbot.catalog import Catalog, parse_catalog
from copbot.clock import FakeClock
from copbot.directory import AddOutcome, DirectoryError
from copbot.importer import ImportReport, MemberImporter, Outcome, Progress, parse_import
from copbot.store import Database
from copbot.store.import_models import ImportRowProgress
from copbot.store.membership_models import Membership
from copbot.store.models import AuditEntry
from graph.client import RetryPolicy
from graph.directory import GraphDirectory
from tests.fakes.graph_fake import GraphFake

ROOT = Path(__file__).resolve().parents[2]
FAST_RETRY = RetryPolicy(max_retries=2, max_wait=2.0, backoff_base=0.01, backoff_jitter=0.0)


class StaticToken:
    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("import-test-token", int(time.time()) + 3600)

    async def close(self) -> None:
        pass


class Naps:
    """The importer's sleep: records what Graph asked for, without waiting that long."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
async def graph() -> AsyncIterator[GraphFake]:
    async with GraphFake() as fake:
        yield fake


@pytest.fixture
async def directory(graph: GraphFake) -> AsyncIterator[GraphDirectory]:
    async with GraphDirectory.create(
        StaticToken(), graph.base_url, retry=FAST_RETRY, timeout=5.0
    ) as made:
        yield made


def catalog_with_groups(groups: dict[str, str]) -> Catalog:
    text = (ROOT / "catalog" / "communities.yaml").read_text(encoding="utf-8")
    overlay = {"communities": {cop: {"graph_group_id": gid} for cop, gid in groups.items()}}
    return parse_catalog(text, "communities.yaml", yaml.safe_dump(overlay))


class World:
    """The fake tenant: people, and a group per CoP."""

    def __init__(self, graph: GraphFake, people: int = 50) -> None:
        self.graph = graph
        self.people = [
            graph.add_user(f"Person {i:03d}", mail=f"person{i:03d}@un.org") for i in range(people)
        ]
        self.groups = {cop: graph.add_group(cop).id for cop in ("PLG", "UBS", "CC", "LHS")}
        self.catalog = catalog_with_groups(self.groups)

    def members(self, cop: str) -> set[str]:
        return set(self.graph.member_ids(self.groups[cop]))


def importer(
    database: Database, directory: Any, world: World, naps: Naps | None = None
) -> MemberImporter:
    return MemberImporter(
        database, directory, world.catalog, FakeClock(), sleep=naps or Naps(), max_waits=5
    )


def csv_bytes(rows: Sequence[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode()


async def memberships(database: Database) -> dict[tuple[str, str], tuple[str, str]]:
    async with database.session() as session:
        rows = (await session.scalars(select(Membership))).all()
    return {(m.person_id, m.cop_id): (m.role, m.source) for m in rows}


# -- the whole way --------------------------------------------------------------------------------


async def test_import_resolves_in_batches_adds_20_per_request_and_records_memberships(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=50)
    already = world.people[0]
    graph.groups[world.groups["UBS"]].members[already.id] = None
    rows = [f"{p.mail},UBS,{'yes' if i % 2 else 'no'}" for i, p in enumerate(world.people[:45])]
    rows[3] = f"{world.people[3].id},UBS,yes"  # by object id, not email
    rows += [f"{p.mail},CC,no" for p in world.people[45:]]  # 5 more, to CC
    rows += ["nobody@un.org,CC,no", "bad-email,UBS,no", "someone@un.org,XYZ,yes"]
    parsed = parse_import(csv_bytes(rows), world.catalog)
    graph.clear_requests()

    report = await importer(database, directory, world).run(parsed)

    counts = report.counts()
    assert (counts["added"], counts["already_member"], counts["unknown_person"]) == (49, 1, 1)
    assert (counts["failed"], counts["bad_rows"]) == (0, 2)
    assert [r.row.person_key for r in report.of(Outcome.UNKNOWN_PERSON)] == ["nobody@un.org"]
    assert [(b.line, b.reason[:20]) for b in report.bad] == [
        (52, "'bad-email' is neith"),
        (53, "unknown CoP 'XYZ' (t"),
    ]
    assert world.members("UBS") == {p.id for p in world.people[:45]}
    assert world.members("CC") == {p.id for p in world.people[45:]}
    # 51 people to look up: 3 $batch requests of at most 20
    batches = graph.http_requests("POST", "/$batch")
    lookups = [b for b in batches if b.body["requests"][0]["method"] == "GET"]
    assert [len(b.body["requests"]) for b in lookups] == [20, 20, 11]
    # 45 UBS rows: 3 PATCHes; the chunk holding the existing member is refused whole and redone
    # as one $batch of single adds (Graph's all-or-nothing rule); 5 CC rows: 1 PATCH
    patches = graph.http_requests("PATCH", "/groups/*")
    assert [len(p.body["members@odata.bind"]) for p in patches] == [20, 20, 5, 5]
    stored = await memberships(database)
    assert stored[(world.people[1].id, "UBS")] == ("primary", "import")
    assert stored[(world.people[2].id, "UBS")] == ("secondary", "import")
    assert stored[(already.id, "UBS")] == ("secondary", "import")
    assert len(stored) == 50
    async with database.session() as session:
        audit = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "membership.imported")
            )
        ).all()
    assert len(audit) == 50 and audit[0].actor == "cli"


async def test_a_primary_the_bot_already_knows_is_kept_and_said(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=2)
    alice = world.people[0]
    async with database.session() as session:
        session.add(
            Membership(
                person_id=alice.id,
                cop_id="PLG",
                role="primary",
                since=FakeClock().now(),
                source="request",
                added_at=FakeClock().now(),
            )
        )
    parsed = parse_import(csv_bytes([f"{alice.mail},UBS,yes"]), world.catalog)

    report = await importer(database, directory, world).run(parsed)

    [result] = report.results
    assert result.outcome == Outcome.ADDED
    assert result.note.startswith("PLG stays the primary CoP")
    stored = await memberships(database)
    assert stored[(alice.id, "PLG")] == ("primary", "request")
    assert stored[(alice.id, "UBS")] == ("secondary", "import")


async def test_one_person_named_twice_is_caught_after_resolution(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=2)
    alice, bruno = world.people
    parsed = parse_import(
        csv_bytes(
            [
                f"{alice.mail},UBS,yes",
                f"{alice.id},CC,yes",  # the same person, by id: a second primary
                f"{bruno.mail},UBS,no",
                f"{bruno.id},UBS,no",  # the same person and CoP again
            ]
        ),
        world.catalog,
    )

    report = await importer(database, directory, world).run(parsed)

    assert [(r.row.line, r.outcome) for r in report.results] == [(3, Outcome.ADDED)]
    assert [(b.line, b.reason.split(" (")[0]) for b in report.bad] == [
        (1, "two primary CoPs for one person"),
        (2, "two primary CoPs for one person"),
        (4, "same person and CoP as line 3"),
    ]


# -- interruption and resume -------------------------------------------------------------------------


class Interrupt(Exception):
    pass


async def test_an_interrupted_import_resumes_where_it_stopped(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=50)
    parsed = parse_import(csv_bytes([f"{p.mail},LHS,no" for p in world.people]), world.catalog)

    def stop_after_first_chunk(progress: Progress) -> None:
        if progress.stage == "add" and progress.done >= 20:
            raise Interrupt  # as Ctrl-C would, between two requests

    first = ImportReport(key=parsed.key)
    with pytest.raises(Interrupt):
        await importer(database, directory, world).run(
            parsed, on_progress=stop_after_first_chunk, report=first
        )
    assert len(first.of(Outcome.ADDED)) == 20 and not first.finished
    assert len(world.members("LHS")) == 20
    graph.clear_requests()

    second = await importer(database, directory, world).run(parsed)

    assert len(second.previously_done) == 20
    assert len(second.of(Outcome.ADDED)) == 30
    assert world.members("LHS") == {p.id for p in world.people}
    # the 20 done rows were neither looked up nor sent again
    lookups = [i for i in graph.batch_items("GET")]
    assert len(lookups) == 30
    assert [len(p.body["members@odata.bind"]) for p in graph.http_requests("PATCH")] == [20, 10]
    async with database.session() as session:
        done = (await session.scalars(select(ImportRowProgress))).all()
    assert {r.status for r in done} == {"added"} and len(done) == 50


class CutAfterAdd:
    """A directory whose second bulk add reaches Graph, then the process is stopped."""

    def __init__(self, inner: GraphDirectory) -> None:
        self.inner = inner
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def add_members(
        self, group_id: str, user_ids: Sequence[str]
    ) -> dict[str, AddOutcome | DirectoryError]:
        outcomes = await self.inner.add_members(group_id, user_ids)
        self.calls += 1
        if self.calls == 2:
            raise asyncio.CancelledError  # Ctrl-C after Graph answered, before we stored it
        return outcomes


async def test_a_request_cut_off_in_flight_is_sent_again_and_counted_already_member(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=45)
    parsed = parse_import(csv_bytes([f"{p.mail},PLG,no" for p in world.people]), world.catalog)

    with pytest.raises(asyncio.CancelledError):
        await importer(database, CutAfterAdd(directory), world).run(parsed)
    assert len(world.members("PLG")) == 40  # Graph has the second chunk; we did not store it

    report = await importer(database, directory, world).run(parsed)

    assert len(report.previously_done) == 20
    assert len(report.of(Outcome.ALREADY_MEMBER)) == 20
    assert len(report.of(Outcome.ADDED)) == 5
    assert world.members("PLG") == {p.id for p in world.people}
    assert len(await memberships(database)) == 45


# -- throttling ------------------------------------------------------------------------------------


async def test_throttling_within_the_clients_retries_costs_only_time(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=40)
    parsed = parse_import(csv_bytes([f"{p.mail},CC,no" for p in world.people]), world.catalog)
    graph.throttle(times=2, retry_after=0.05, method="PATCH")
    graph.throttle(times=3, retry_after=0.05, path="/users", scope="batch")
    naps = Naps()

    report = await importer(database, directory, world, naps).run(parsed)

    assert len(report.of(Outcome.ADDED)) == 40
    assert naps.asked == []  # GraphDirectory waited the Retry-After itself
    patches = graph.http_requests("PATCH")
    assert [p.status for p in patches] == [429, 429, 204, 204]


async def test_throttling_beyond_the_client_is_waited_out_as_graph_asks(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=25)
    parsed = parse_import(csv_bytes([f"{p.mail},UBS,no" for p in world.people]), world.catalog)
    # A long Retry-After: the client gives up at once (max_wait), the importer waits it out.
    graph.throttle(times=2, retry_after=30, method="PATCH")
    # A storm longer than the client's retries (3 attempts), with a short Retry-After.
    graph.throttle(times=3, retry_after=0.05, method="POST", path="/$batch")
    naps = Naps()
    progress: list[Progress] = []

    report = await importer(database, directory, world, naps).run(
        parsed, on_progress=progress.append
    )

    assert len(report.of(Outcome.ADDED)) == 25
    assert naps.asked == [0.05, 30.0, 30.0]
    assert [p.wait_s for p in progress if p.stage == "wait"] == [0.05, 30.0, 30.0]
    assert world.members("UBS") == {p.id for p in world.people}


async def test_a_graph_that_stays_down_fails_the_rows_for_a_later_run(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=3)
    parsed = parse_import(csv_bytes([f"{p.mail},CC,no" for p in world.people]), world.catalog)
    graph.unavailable(times=None, status=503, method="PATCH")

    report = await importer(database, directory, world).run(parsed)

    assert {r.outcome for r in report.results} == {Outcome.FAILED}
    assert report.results[0].reason.startswith("the directory is unavailable")
    graph.clear_faults()
    again = await importer(database, directory, world).run(parsed)
    assert len(again.of(Outcome.ADDED)) == 3 and again.previously_done == []


# -- refusals --------------------------------------------------------------------------------------


async def test_an_unknown_group_fails_its_rows_and_the_others_go_on(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=30)
    del graph.groups[world.groups["PLG"]]
    rows = [f"{p.mail},PLG,no" for p in world.people[:25]] + [
        f"{p.mail},CC,no" for p in world.people[25:]
    ]
    parsed = parse_import(csv_bytes(rows), world.catalog)

    report = await importer(database, directory, world).run(parsed)

    failed = report.of(Outcome.FAILED)
    assert len(failed) == 25
    assert failed[0].reason == (
        f"group {world.groups['PLG']} does not exist in the directory: fix graph_group_id"
    )
    assert len(graph.http_requests("PATCH", f"/groups/{world.groups['PLG']}")) == 1
    assert len(report.of(Outcome.ADDED)) == 5


async def test_a_missing_permission_is_reported_as_the_reason(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=2)
    graph.deny(method="PATCH")
    parsed = parse_import(csv_bytes([f"{p.mail},CC,no" for p in world.people]), world.catalog)

    report = await importer(database, directory, world).run(parsed)

    assert {r.outcome for r in report.results} == {Outcome.FAILED}
    assert "GroupMember.ReadWrite.All" in report.results[0].reason


# -- dry run -----------------------------------------------------------------------------------------


async def test_a_dry_run_resolves_and_compares_but_changes_nothing(
    graph: GraphFake, directory: GraphDirectory, database: Database
) -> None:
    world = World(graph, people=4)
    graph.groups[world.groups["UBS"]].members[world.people[0].id] = None
    rows = [f"{p.mail},UBS,no" for p in world.people[:3]] + ["ghost@un.org,UBS,no"]
    parsed = parse_import(csv_bytes(rows), world.catalog)

    report = await importer(database, directory, world).run(parsed, dry_run=True)

    assert report.dry_run
    assert [(r.row.line, r.outcome) for r in report.results] == [
        (4, Outcome.UNKNOWN_PERSON),
        (1, Outcome.ALREADY_MEMBER),
        (2, Outcome.WOULD_ADD),
        (3, Outcome.WOULD_ADD),
    ]
    assert graph.http_requests("PATCH") == [] and graph.http_requests("POST", "/groups/*") == []
    assert world.members("UBS") == {world.people[0].id}
    async with database.session() as session:
        assert (await session.scalars(select(ImportRowProgress))).all() == []
    assert await memberships(database) == {}
