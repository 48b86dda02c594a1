"""The migration history has one head, and every database reaches it with its data: an empty one,
one created by the release before the merge revision (at the three heads 0002, 0003, 0004), and
an older one that never had 0004. On SQLite and on PostgreSQL, each test with a database of its
own (the shared test database is already migrated)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from copbot.store import Database, people
from copbot.store.db import MIGRATIONS_DIR
from tests.support import postgres

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
HEAD = "0008_delivery"


def script(location: Path = MIGRATIONS_DIR) -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(location))
    return ScriptDirectory.from_config(config)


def test_the_history_has_one_head_that_every_revision_leads_to() -> None:
    history = script()
    assert history.get_heads() == [HEAD]
    revisions = {r.revision for r in history.walk_revisions()}
    assert revisions == {r.revision for r in history.iterate_revisions(HEAD, "base")}


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database no one has migrated yet."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'copbot.sqlite3'}"
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = asyncio.run(postgres.create_database(admin))
    yield url.replace("postgresql://", "postgresql+asyncpg://", 1)
    asyncio.run(postgres.drop_database(admin, url))


async def migrate_as_before(db: Database, tmp_path: Path, keep: set[str]) -> None:
    """What an older release did: upgrade to "heads" with only the revisions it shipped."""
    old = tmp_path / "old-migrations"
    shutil.copytree(MIGRATIONS_DIR, old, ignore=shutil.ignore_patterns("__pycache__"))
    for path in (old / "versions").glob("*.py"):
        if path.name[:4] not in keep:
            path.unlink()

    def run(connection: Connection) -> None:
        config = Config()
        config.set_main_option("script_location", str(old))
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")

    async with db.engine.begin() as conn:
        await conn.run_sync(run)


async def versions(db: Database) -> list[str]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
        return sorted(row[0] for row in rows)


async def tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return await conn.run_sync(lambda c: set(inspect(c).get_table_names()))


async def test_an_empty_database_reaches_the_single_head(empty_url: str) -> None:
    db = Database(empty_url)
    try:
        await db.upgrade()
        assert await versions(db) == [HEAD]
        assert {"people", "join_requests", "outbox", "meeting_posts", "import_rows"} <= (
            await tables(db)
        )
        await db.upgrade()  # the next start changes nothing
        assert await versions(db) == [HEAD]
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    "shipped",
    [
        pytest.param({"0001", "0002", "0003", "0004"}, id="at-the-three-heads"),
        pytest.param({"0001", "0002", "0003"}, id="before-the-import-branch"),
    ],
)
async def test_a_database_of_an_older_release_reaches_the_head_with_its_data(
    empty_url: str, tmp_path: Path, shipped: set[str]
) -> None:
    db = Database(empty_url)
    try:
        await migrate_as_before(db, tmp_path, shipped)
        assert await versions(db) == sorted(shipped - {"0001"})
        await people.remember_person(db, "p1", "Ana", "es-ES", NOW)
        await db.upgrade()
        assert await versions(db) == [HEAD]
        assert "import_rows" in await tables(db)
        person = await people.get_person(db, "p1")
        assert person is not None and person.name == "Ana"
    finally:
        await db.dispose()
