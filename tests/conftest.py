"""Fixtures shared by the whole suite: settings, databases (SQLite and PostgreSQL), a running bot."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import text

import app as composition
from copbot.clock import FakeClock
from copbot.services import Services
from copbot.store import Database
from copbot.store.base import Base
from settings import Settings
from tests.fakes.connector import FakeConnector
from tests.support import postgres
from tests.support.bot_client import BotClient

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parent.parent


# -- settings -----------------------------------------------------------------------------------


def make_settings(**values: Any) -> Settings:
    """Settings from the given values only: the developer's environment and .env do not leak in."""
    defaults = {
        "MICROSOFT_APP_ID": "",
        "MICROSOFT_APP_PASSWORD": "",
        "MICROSOFT_APP_TENANT_ID": "",
        "DIRECTORY_MODE": "local",
        "CATALOG_PATH": str(ROOT / "catalog" / "communities.yaml"),
        "LOG_FORMAT": "console",
        "LOG_LEVEL": "WARNING",
    }
    defaults.update(values)
    # None removes a default (e.g. to set a setting by its Azure name instead)
    given = {key: value for key, value in defaults.items() if value is not None}
    return Settings(_env_file=None, **given)  # type: ignore[call-arg]


# -- PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    server, reason = postgres.find_server()
    if server is None:
        if IN_CI:
            pytest.fail(f"CI=true needs PostgreSQL: {reason}")
        pytest.skip(f"PostgreSQL tests did not run: {reason}")
    yield server.admin_url
    server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A database of this test session's own, as a SQLAlchemy async URL."""
    url = asyncio.run(postgres.create_database(postgres_admin_url))
    yield url.replace("postgresql://", "postgresql+asyncpg://", 1)
    asyncio.run(postgres.drop_database(postgres_admin_url, url))


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Runs a test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'copbot.sqlite3'}"
    return request.getfixturevalue("postgres_url")


async def _empty_tables(db: Database) -> None:
    async with db.engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        if db.is_postgres:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                await conn.execute(table.delete())


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    """A migrated, empty database (SQLite or PostgreSQL)."""
    db = Database(db_url)
    await db.upgrade()
    await _empty_tables(db)
    yield db
    await _empty_tables(db)
    await db.dispose()


# -- a running bot ------------------------------------------------------------------------------


@dataclass
class RunningBot:
    client: BotClient
    connector: FakeConnector
    services: Services
    components: composition.Components
    clock: FakeClock
    base_url: str


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot_factory(
    tmp_path: Path, connector: FakeConnector
) -> AsyncIterator[Callable[..., Any]]:
    """Starts the real app (composition root, aiohttp route) on 127.0.0.1; returns a RunningBot."""
    started: list[tuple[TestServer, aiohttp.ClientSession]] = []

    async def start(
        *,
        database_url: str | None = None,
        clock: FakeClock | None = None,
        directory: Any = None,
        installer: Any = None,
        credentials_factory: Any = None,
        adapter_overrides: dict[str, str] | None = None,
        sync_ports: Any = None,
        graph_credential: Any = None,
        **settings_values: Any,
    ) -> RunningBot:
        settings = make_settings(
            DATABASE_URL=database_url or f"sqlite:///{tmp_path / 'bot.sqlite3'}", **settings_values
        )
        clock = clock or FakeClock()
        components = composition.build_components(
            settings,
            clock=clock,
            directory=directory,
            installer=installer,
            credentials_factory=credentials_factory,
            adapter_overrides=adapter_overrides,
            sync_ports=sync_ports,
            graph_credential=graph_credential,
        )
        server = TestServer(composition.create_web_app(components), host="127.0.0.1")
        await server.start_server()
        session = aiohttp.ClientSession()
        started.append((server, session))
        base_url = str(server.make_url("/")).rstrip("/")
        client = BotClient(base_url, connector, session, settle=components.bot.settle)
        return RunningBot(client, connector, components.services, components, clock, base_url)

    yield start
    for server, session in reversed(started):
        await session.close()
        await server.close()


@pytest.fixture
async def bot(bot_factory: Callable[..., Any]) -> RunningBot:
    """The bot in local mode on SQLite, with a fake clock."""
    return await bot_factory()
