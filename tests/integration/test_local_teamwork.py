"""Local mode's Teams side on SQLite and PostgreSQL: Team adds are group adds, syncs see no drift."""

from __future__ import annotations

from datetime import UTC, datetime

from copbot.clock import FakeClock
from copbot.directory import (
    Accounts,
    AccountState,
    AddOutcome,
    GroupDelta,
    TeamMembers,
)
from copbot.installer import AppInstaller, InstallOutcome, install_and_find_chat
from copbot.store import Database
from graph.local_directory import LocalDirectory
from graph.local_teamwork import LocalAccounts, LocalAppInstaller, LocalGroupDelta, LocalTeamMembers

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


async def test_a_local_team_add_is_a_group_add_and_answers_like_teams(database: Database) -> None:
    directory = LocalDirectory(database, FakeClock(NOW))
    teams: TeamMembers = LocalTeamMembers(directory)

    assert await teams.add_to_team("local:UBS", "p1") is AddOutcome.ADDED
    assert await teams.add_to_team("local:UBS", "p1") is AddOutcome.ADDED  # Teams: 201 again
    assert await teams.add_many_to_team("local:UBS", ["p2", "p1", "p2"]) == {
        "p2": AddOutcome.ADDED,
        "p1": AddOutcome.ADDED,
    }
    assert sorted(await directory.list_members("local:UBS")) == ["p1", "p2"]


async def test_a_local_sync_sees_our_records_then_no_change(database: Database) -> None:
    directory = LocalDirectory(database, FakeClock(NOW))
    await directory.add_members("local:UBS", ["p1", "p2"])
    delta: GroupDelta = LocalGroupDelta(directory)

    first = await delta.changes("local:UBS", None)
    second = await delta.changes("local:UBS", first.token)

    assert first.full and first.added == {"p1", "p2"}
    assert not second.full and second.added == second.removed == frozenset()


async def test_local_people_all_have_the_app_and_working_accounts() -> None:
    installer: AppInstaller = LocalAppInstaller()
    accounts: Accounts = LocalAccounts()

    assert await installer.install_for_user("p1", "app") is InstallOutcome.ALREADY_INSTALLED
    assert await install_and_find_chat(installer, "p1", "app") is None  # create it via the bot
    assert await accounts.account_states(["p1"]) == {"p1": AccountState.ENABLED}
