"""Bulk import into a CoP that has a team: the Team's bulk add (`POST /teams/{id}/members/add`, up
to 200 per request, per-person results: a 207 partial failure fails only those rows); without
TeamMember.ReadWrite.All, the group add, 20 per request. Graph fake, real msgraph-sdk, real DB."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import yaml

from copbot.catalog import parse_catalog
from copbot.clock import FakeClock
from copbot.directory import TEAM_MEMBER_PERMISSION
from copbot.importer import MemberImporter, Outcome, parse_import
from copbot.store import Database
from graph.directory import GraphDirectory
from graph.teams import GraphTeamMembers
from tests.fakes.graph_fake import GraphFake
from tests.integration.test_import import (
    FAST_RETRY,
    ROOT,
    Naps,
    StaticToken,
    csv_bytes,
    memberships,
)

PEOPLE = 230


@pytest.fixture
async def graph() -> AsyncIterator[GraphFake]:
    async with GraphFake() as fake:
        yield fake


async def run_import(graph: GraphFake, database: Database) -> tuple[object, list[str], str]:
    people = [graph.add_user(f"P {i:03d}", mail=f"p{i:03d}@un.org") for i in range(PEOPLE)]
    group = graph.add_group("UBS")
    graph.add_team(group.id)
    text = (ROOT / "catalog" / "communities.yaml").read_text(encoding="utf-8")
    overlay = {"communities": {"UBS": {"graph_group_id": group.id, "team_id": group.id}}}
    catalog = parse_catalog(text, "communities.yaml", yaml.safe_dump(overlay))
    rows = [f"{p.mail},UBS,no" for p in people]
    graph.refuse_team_member(group.id, people[7].id, "Forbidden", "Guests cannot be added")
    async with (
        GraphDirectory.create(StaticToken(), graph.base_url, retry=FAST_RETRY) as directory,
        GraphTeamMembers.create(StaticToken(), graph.base_url, retry=FAST_RETRY) as team,
    ):
        graph.clear_requests()
        report = await MemberImporter(
            database, directory, catalog, FakeClock(), sleep=Naps(), team_members=team
        ).run(parse_import(csv_bytes(rows), catalog))
    return report, [p.id for p in people], group.id


async def test_a_cop_with_a_team_is_imported_200_per_request_with_per_person_results(
    graph: GraphFake, database: Database
) -> None:
    report, people, group_id = await run_import(graph, database)

    bulk = graph.http_requests("POST", f"/teams/{group_id}/members/add")
    assert [r.status for r in bulk] == [207, 200]  # 200 + 30; one refused in the first
    assert graph.http_requests("PATCH", f"/groups/{group_id}") == []
    [refused] = report.of(Outcome.FAILED)  # type: ignore[attr-defined]
    assert refused.user_id == people[7] and "Guests cannot be added" in refused.reason
    assert len(report.of(Outcome.ADDED)) == PEOPLE - 1  # type: ignore[attr-defined]
    assert len(graph.member_ids(group_id)) == PEOPLE - 1
    assert len(await memberships(database)) == PEOPLE - 1


async def test_without_the_permission_the_import_adds_to_the_group_20_per_request(
    graph: GraphFake, database: Database
) -> None:
    graph.revoke(TEAM_MEMBER_PERMISSION)
    report, _, group_id = await run_import(graph, database)

    assert [r.status for r in graph.http_requests("POST", f"/teams/{group_id}/members/add")] == [
        403
    ]
    assert len(graph.http_requests("PATCH", f"/groups/{group_id}")) == -(-PEOPLE // 20)
    assert len(report.of(Outcome.ADDED)) == PEOPLE  # type: ignore[attr-defined]
    assert len(graph.member_ids(group_id)) == PEOPLE
