"""`copbot requests` and `copbot retry` as an admin runs them, on a database with work waiting."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from copbot.store import Database
from copbot.store.membership_models import JoinRequest, Membership, OutboxItem
from copbot.store.models import LocalGroupMember
from copbot.store.sync_models import DirectorySync

COPBOT = str(Path(sys.executable).parent / "copbot")
NOW = datetime.now(UTC).replace(microsecond=0)
PERSON = "a1a1a1a1-0000-4000-8000-000000000001"


async def copbot(tmp_path: Path, database_url: str, *args: str) -> tuple[int, str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        COPBOT,
        *args,
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, out.decode()


def request(request_id: str, status: str, cop: str, **values: object) -> JoinRequest:
    return JoinRequest(
        id=request_id,
        person_id=PERSON,
        cop_id=cop,
        role="secondary",
        note="",
        lang="en",
        requester={"name": "Alice Wanjiru"},
        status=status,
        created_at=NOW - timedelta(days=2),
        **values,
    )


async def test_requests_lists_what_waits_and_retry_drives_failed_work(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    await db.upgrade()
    async with db.session() as session:
        session.add(request("r-pending", "pending", "CC"))
        session.add(
            request(
                "r-approved",
                "approved",
                "UBS",
                decided_by="b2",
                decided_by_name="Bruno Costa",
                decided_at=NOW - timedelta(days=1),
            )
        )
        session.add(Membership(person_id=PERSON, cop_id="UBS", role="secondary", since=NOW))
        session.add(
            OutboxItem(
                kind="membership.add",
                payload={"request_id": "r-approved"},
                dedupe_key="add:r-approved",
                status="failed",
                attempts=1,
                next_attempt_at=NOW,
                last_error="DirectoryError: Graph refused to add a group member (403)",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    try:
        code, out = await copbot(tmp_path, database_url, "requests")
        assert code == 0, out
        assert "Pending requests (1):" in out
        assert "r-pending  Alice Wanjiru -> CC (secondary)" in out
        assert "waiting 2.0 days" in out
        assert "Approved, not yet in the group (1):" in out
        assert "approved by Bruno Costa" in out and "outbox #1 failed" in out
        assert "Failed (1):" in out
        assert "#1  membership.add r-approved: DirectoryError: Graph refused" in out
        assert "(copbot retry 1)" in out

        code, out = await copbot(tmp_path, database_url, "retry")
        assert code == 2 and "--all" in out

        code, out = await copbot(tmp_path, database_url, "retry", "1")
        assert code == 0, out
        assert "Queued again: #1" in out
        assert "still failing" not in out
        async with db.session() as session:
            added = await session.get(LocalGroupMember, ("local:UBS", PERSON))
            item = await session.scalar(select(OutboxItem).where(OutboxItem.id == 1))
        assert added is not None  # local mode: the LocalDirectory group
        assert item is not None and item.status == "done"

        code, out = await copbot(tmp_path, database_url, "requests")
        assert "Approved, not yet in the group (0):" in out
        code, out = await copbot(tmp_path, database_url, "retry", "1")
        assert code == 1 and "Nothing to retry" in out
    finally:
        await db.dispose()


async def test_copbot_sync_in_local_mode_says_it_needs_graph_and_check_config_reads_the_flags(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    code, out = await copbot(tmp_path, url, "sync", "--dry-run")
    assert code == 2
    assert "The directory sync needs DIRECTORY_MODE=graph" in out

    # A CoP the last sync flagged (its focal point's account is gone) shows in check-config.
    database = Database(url)
    await database.upgrade()
    async with database.session() as session:
        session.add(DirectorySync(cop_id="UBS", focal_points_gone="b2b2b2b2-0000-4000-8000-0000"))
    await database.dispose()
    code, out = await copbot(tmp_path, url, "check-config")
    assert code == 0, out
    assert "warning: directory sync: UBS: the focal point b2b2b2b2-0000-4000-8000-0000" in out
