"""`copbot deliveries` as an admin runs it (JSON alone on stdout), and meeting posts that did not go
out reported per CoP on /readyz: what was not delivered lately, and Teams' reason."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from copbot.delivery.ledger import DeliveryLedger, Message
from copbot.store import Database
from copbot.store.meetings_models import MeetingPost
from tests.conftest import RunningBot

COPBOT = str(Path(sys.executable).parent / "copbot")
NOW = datetime.now(UTC).replace(microsecond=0)
BRUNO = "b2b2b2b2-0000-4000-8000-000000000002"
ROSTER = "Teams answered 403 (BotNotInConversationRoster): The bot is not part of the roster."


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def failed_post(cop: str, due: datetime) -> MeetingPost:
    return MeetingPost(
        cop_id=cop,
        kind="announcement",
        occurrence_id=f"{cop}-2026-12-10",
        recipient="",
        status="failed",
        due_at=due,
        claimed_at=due,
        claimed_by="test",
        attempts=2,
        reason="ErrorResponseException: (BotNotInConversationRoster)",
    )


async def seed(db: Database) -> None:
    ledger = DeliveryLedger(db, Clock(NOW - timedelta(hours=2)))  # type: ignore[arg-type]
    card = Message(f"card:r1:{BRUNO}:request", "approval_card", "request:r1", BRUNO)
    await ledger.undeliverable(card, ROSTER)
    welcome = Message("notify:r0:welcome", "welcome", "request:r0", BRUNO)
    await ledger.delivered(welcome, "act-1")  # delivered: not listed
    old = DeliveryLedger(db, Clock(NOW - timedelta(days=20)))  # type: ignore[arg-type]
    await old.retrying(Message("notify:r9:waiting", "waiting", "request:r9", BRUNO), "503")
    async with db.session() as session:
        session.add(failed_post("UBS", NOW - timedelta(hours=1)))


async def test_deliveries_lists_what_did_not_arrive_with_teams_reason(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    await db.upgrade()
    await seed(db)
    await db.dispose()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "LOG_LEVEL": "INFO",  # logs go to stderr, never into the JSON
    }

    async def run(*args: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            COPBOT,
            *args,
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
        return process.returncode or 0, out.decode()

    code, out = await run("deliveries", "--json")
    assert code == 0
    rows = json.loads(out)  # stdout is the JSON alone
    assert [(r["kind"], r["state"]) for r in rows] == [
        ("meeting_announcement", "retrying"),
        ("approval_card", "undeliverable"),
    ]
    assert rows[1]["recipient"] == BRUNO and "BotNotInConversationRoster" in rows[1]["reason"]
    assert rows[0]["subject"] == "cop:UBS"

    code, out = await run("deliveries", "--days", "30")
    assert code == 0
    assert "Messages not delivered in the last 30 day(s) (3):" in out
    assert f"approval_card to {BRUNO} (request:r1): undeliverable, 1 attempt(s): {ROSTER}" in out


async def test_readyz_names_each_cop_whose_meeting_posts_did_not_go_out(bot: RunningBot) -> None:
    async with bot.services.db.session() as session:
        session.add(failed_post("UBS", bot.clock.now() - timedelta(hours=1)))
        session.add(failed_post("CC", bot.clock.now() - timedelta(days=30)))  # long ago
    async with bot.client.session.get(f"{bot.base_url}/readyz") as response:
        body = await response.json()
    assert response.status == 200  # informative: the instance stays ready
    assert body["checks"]["meetings"]["posts_failed"] == {"UBS": 1}
    assert any(
        "meetings: UBS: 1 post(s) could not reach Teams in the last 7 days" in w
        for w in body["warnings"]
    )
