"""`copbot import-members` as an admin runs it (local mode: the people table is the directory).

The command's output, exit codes, the per-line CSV report, a re-run that skips what is done, and
a real Ctrl-C (SIGINT) in the middle of a large import.
"""

from __future__ import annotations

import asyncio
import csv
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from copbot.store import Database
from copbot.store.import_models import ImportRowProgress
from copbot.store.membership_models import Membership
from copbot.store.models import LocalGroupMember, Person

COPBOT = str(Path(sys.executable).parent / "copbot")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "LOG_FORMAT": "json",
    }


def copbot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COPBOT, *args],
        env=env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


async def _seed(url: str, count: int) -> None:
    db = Database(url)
    try:
        await db.upgrade()
        async with db.session() as session:
            for i in range(count):
                session.add(
                    Person(
                        id=f"00000000-0000-4000-8000-{i:012d}",
                        name=f"Person {i}",
                        email=f"person{i}@un.org",
                        locale="en",
                        first_seen_at=NOW,
                        last_seen_at=NOW,
                    )
                )
    finally:
        await db.dispose()


async def _count(url: str, model: type) -> int:
    db = Database(url)
    try:
        async with db.session() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        await db.dispose()


def summary(stdout: str) -> dict[str, int]:
    """The summary table's rows: {"added": 3, "unknown people": 1, ...}."""
    found = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if len(cells) == 2 and cells[1].isdigit():
            found[cells[0]] = int(cells[1])
    return found


def seed(tmp_path: Path, count: int) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    asyncio.run(_seed(url, count))
    return url


def test_import_adds_reports_every_line_and_a_rerun_skips_what_is_done(tmp_path: Path) -> None:
    url = seed(tmp_path, 5)
    members = tmp_path / "members.csv"
    members.write_text(
        "email,CoP,primary\n"
        "person0@un.org,UBS,yes\n"
        "person1@un.org,UBS,no\n"
        "00000000-0000-4000-8000-000000000002,CC,yes\n"
        "stranger@un.org,CC,no\n"
        "person3@un.org,NOPE,no\n"
        "person4@un.org,LHS,yes\n"
        "person4@un.org,PLG,yes\n"
    )

    first = copbot(tmp_path, "import-members", str(members), "--report", "out.csv")

    assert first.returncode == 1, first.stderr  # rows need attention
    out = first.stdout
    assert summary(out) == {
        "added": 3,
        "already members": 0,
        "unknown people": 1,
        "failed": 0,
        "bad rows": 3,
        "done by an earlier run": 0,
    }
    assert "line 5: stranger@un.org (CC)" in out
    assert "line 6: unknown CoP 'NOPE'" in out
    assert "line 7: two primary CoPs for one person (lines 7, 8)" in out
    with (tmp_path / "out.csv").open() as handle:
        lines = list(csv.DictReader(handle))
    assert [(r["line"], r["outcome"]) for r in lines] == [
        ("2", "added"),
        ("3", "added"),
        ("4", "added"),
        ("5", "unknown_person"),
        ("6", "bad_row"),
        ("7", "bad_row"),
        ("8", "bad_row"),
    ]
    assert asyncio.run(_count(url, LocalGroupMember)) == 3
    assert asyncio.run(_count(url, Membership)) == 3

    second = copbot(tmp_path, "import-members", str(members))

    assert summary(second.stdout)["done by an earlier run"] == 3
    assert summary(second.stdout)["added"] == 0
    assert asyncio.run(_count(url, LocalGroupMember)) == 3


def test_a_clean_import_exits_0_and_a_dry_run_adds_nobody(tmp_path: Path) -> None:
    url = seed(tmp_path, 3)
    members = tmp_path / "members.csv"
    members.write_text("person0@un.org;PFE;oui\nperson1@un.org;PFE;non\n")

    dry = copbot(tmp_path, "import-members", str(members), "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "Dry run: nothing was added" in dry.stdout
    assert summary(dry.stdout)["would be added"] == 2
    assert asyncio.run(_count(url, LocalGroupMember)) == 0
    assert asyncio.run(_count(url, ImportRowProgress)) == 0

    real = copbot(tmp_path, "import-members", str(members))
    assert real.returncode == 0, real.stdout + real.stderr
    assert summary(real.stdout)["added"] == 2


def test_ctrl_c_keeps_the_progress_and_the_same_command_finishes_the_job(tmp_path: Path) -> None:
    rows = 2000
    url = seed(tmp_path, rows)
    members = tmp_path / "members.csv"
    members.write_text("".join(f"person{i}@un.org,UBS,no\n" for i in range(rows)))

    process = subprocess.Popen(
        [COPBOT, "import-members", str(members)],
        env=env(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        done = asyncio.run(_count(url, ImportRowProgress))
        if done >= 40:
            break
        time.sleep(0.05)
    if process.poll() is not None:
        pytest.fail(f"the import ended before it could be interrupted: {process.communicate()}")
    process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stdout + stderr
    assert "Interrupted: the rows done so far are saved" in stderr
    assert "Import (interrupted)" in stdout
    saved = asyncio.run(_count(url, ImportRowProgress))
    assert 40 <= saved < rows

    again = copbot(tmp_path, "import-members", str(members))

    assert again.returncode == 0, again.stdout + again.stderr
    assert summary(again.stdout)["done by an earlier run"] == saved
    counts = summary(again.stdout)
    # The request in flight when Ctrl-C came may have reached the directory: those people are
    # already members now, and are counted so.
    assert counts["added"] + counts["already members"] == rows - saved
    assert counts["already members"] <= 20
    assert asyncio.run(_count(url, LocalGroupMember)) == rows
    assert asyncio.run(_count(url, ImportRowProgress)) == rows
