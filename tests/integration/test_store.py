"""The store on SQLite and on PostgreSQL: migrations, people, references, local groups."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from copbot.clock import FakeClock
from copbot.directory import AddOutcome, RemoveOutcome
from copbot.store import Database, DatabaseUnavailable, people
from graph.local_directory import LocalDirectory

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


async def test_migrations_create_the_tables_and_can_run_again(database: Database) -> None:
    await database.upgrade()  # a second start changes nothing
    async with database.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"people", "conversation_references", "audit_log", "local_group_members"} <= tables
    assert "alembic_version" in tables


async def test_two_instances_migrating_at_once_both_start(db_url: str) -> None:
    first, second = Database(db_url), Database(db_url)
    try:
        await asyncio.gather(first.upgrade(), second.upgrade())
        await first.ping()
        await second.ping()
    finally:
        await first.dispose()
        await second.dispose()


async def test_a_person_is_kept_with_their_latest_name_and_language(database: Database) -> None:
    await people.remember_person(database, "p1", "Ana", "es-ES", NOW)
    later = NOW + timedelta(days=3)
    await people.remember_person(database, "p1", "Ana María", "fr-FR", later)
    person = await people.get_person(database, "p1")
    assert person is not None
    assert (person.name, person.locale) == ("Ana María", "fr-FR")
    assert person.first_seen_at == NOW and person.last_seen_at == later
    assert person.first_seen_at.tzinfo is not None


async def test_the_latest_conversation_reference_wins(database: Database) -> None:
    ref_a = {"conversation": {"id": "a"}, "serviceUrl": "http://one/"}
    ref_b = {"conversation": {"id": "b"}, "serviceUrl": "http://two/"}
    await people.remember_person(
        database, "p1", "Ana", "en", NOW, reference=ref_a, conversation_id="a"
    )
    await people.remember_person(
        database, "p1", "Ana", "en", NOW, reference=ref_b, conversation_id="b"
    )
    assert await people.get_reference(database, "user:p1") == ref_b
    assert await people.get_reference(database, "user:nobody") is None


async def test_local_directory_adds_once_and_removes(database: Database) -> None:
    directory = LocalDirectory(database, FakeClock(NOW))
    assert await directory.add_member("local:UBS", "p1") == AddOutcome.ADDED
    assert await directory.add_member("local:UBS", "p1") == AddOutcome.ALREADY_MEMBER
    assert await directory.is_member("local:UBS", "p1")
    assert not await directory.is_member("local:CC", "p1")
    outcomes = await directory.add_members("local:UBS", ["p1", "p2", "p3"])
    assert outcomes == {
        "p1": AddOutcome.ALREADY_MEMBER,
        "p2": AddOutcome.ADDED,
        "p3": AddOutcome.ADDED,
    }
    assert sorted(await directory.list_members("local:UBS")) == ["p1", "p2", "p3"]
    assert await directory.remove_member("local:UBS", "p2") == RemoveOutcome.REMOVED
    assert await directory.remove_member("local:UBS", "p2") == RemoveOutcome.NOT_MEMBER


async def test_concurrent_adds_of_one_person_make_one_membership(database: Database) -> None:
    directory = LocalDirectory(database, FakeClock(NOW))
    outcomes = await asyncio.gather(*(directory.add_member("local:CC", "p9") for _ in range(8)))
    assert outcomes.count(AddOutcome.ADDED) == 1
    assert await directory.list_members("local:CC") == ["p9"]


async def test_local_directory_knows_people_who_talked_to_the_bot(database: Database) -> None:
    await people.remember_person(database, "a1", "Ana", "en", NOW)
    directory = LocalDirectory(database, FakeClock(NOW))
    user = await directory.get_user("a1")
    assert user is not None and user.display_name == "Ana"
    assert await directory.get_user("stranger") is None


async def test_an_unreachable_postgresql_is_named_with_the_reason() -> None:
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:1/test")
    with pytest.raises(DatabaseUnavailable) as caught:
        await db.ping(timeout=3)
    assert "127.0.0.1:1" in str(caught.value)
    assert "Connection refused" in str(caught.value)
    with pytest.raises(DatabaseUnavailable):
        await db.upgrade()
    await db.dispose()


def test_a_sqlite_file_where_no_folder_can_be_made_is_named(tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(DatabaseUnavailable, match="cannot create the folder"):
        Database(f"sqlite+aiosqlite:///{blocker / 'copbot.sqlite3'}")
