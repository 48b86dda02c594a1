"""Fixtures of the fault tests: a PostgreSQL database of the test's own, the Graph fake seeded with
the people and groups of tests.faults.harness, and a pool of server processes on both."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.fakes.connector import FakeConnector
from tests.fakes.graph_fake import GraphFake
from tests.faults.harness import Pg, ServerPool, seed_graph, write_overlay
from tests.support import postgres


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[FAILED] = report.failed


FAILED = pytest.StashKey[bool]()


@pytest.fixture
async def fault_db(postgres_admin_url: str) -> AsyncIterator[str]:
    """A fresh database (postgresql://...): every server of the test shares it."""
    url = await postgres.create_database(postgres_admin_url)
    yield url
    await postgres.drop_database(postgres_admin_url, url)


@pytest.fixture
def pg(fault_db: str) -> Pg:
    return Pg(fault_db)


@pytest.fixture
async def graph() -> AsyncIterator[GraphFake]:
    async with GraphFake() as fake:
        seed_graph(fake)
        yield fake


@pytest.fixture
async def pool(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    fault_db: str,
    graph: GraphFake,
    connector: FakeConnector,
) -> AsyncIterator[ServerPool]:
    session = aiohttp.ClientSession()
    servers = ServerPool(
        tmp_path, fault_db, graph, write_overlay(tmp_path / "overlay.yaml"), session
    )
    try:
        yield servers
    finally:
        await servers.close()  # SIGKILL by pid whatever still runs
        await session.close()
        if request.node.stash.get(FAILED, False):
            print(servers.logs())
