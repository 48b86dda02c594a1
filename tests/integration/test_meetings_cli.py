"""`copbot meetings ...` as an admin runs it in a terminal, against the database and the bot's
Teams connection the server uses (here: a fake connector). The CLI runs on the real clock, so the
expectations are computed from the catalog for "now"."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

from copbot.clock import FakeClock, SystemClock
from copbot.meetings.occurrences import community_occurrences
from tests.conftest import RunningBot
from tests.fakes.connector import card_text
from tests.integration.test_meetings_flow import CHANNEL, TEAM, overlay

ROOT = Path(__file__).resolve().parents[2]
COPBOT = str(Path(sys.executable).parent / "copbot")


async def copbot(tmp_path: Path, db_url: str, overlay_path: str, *args: str) -> tuple[int, str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": db_url,
        "CATALOG_PATH": str(ROOT / "catalog" / "communities.yaml"),
        "CATALOG_OVERLAY_PATH": overlay_path,
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "json",
    }
    process = await asyncio.create_subprocess_exec(
        COPBOT,
        "meetings",
        *args,
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, out.decode()


async def test_list_post_now_skip_add_event_and_move_from_the_terminal(
    bot_factory: Callable[..., Any], tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    overlay_path = overlay(tmp_path)
    now = SystemClock().now()
    bot: RunningBot = await bot_factory(
        database_url=db_url, clock=FakeClock(now), CATALOG_OVERLAY_PATH=overlay_path
    )
    await bot.client.install_in_team(TEAM, CHANNEL)
    ubs = bot.services.catalog.get("UBS")
    upcoming = community_occurrences(ubs, now, now + timedelta(days=200))
    nxt, after = upcoming[0], upcoming[1]

    code, out = await copbot(tmp_path, db_url, overlay_path, "list", "UBS")
    assert code == 0, out
    assert nxt.id in out and after.id in out and "[scheduled]" in out
    assert "announcement: planned" in out and "warning" not in out

    code, out = await copbot(tmp_path, db_url, overlay_path, "post-now", "UBS")
    assert code == 0, out
    assert f"posted: announcement {nxt.id}" in out
    assert "Unclosed" not in out  # the connector's HTTP session is closed before the end
    posts = [
        r
        for r in bot.connector.records
        if r.kind == "create" and r.conversation_id.startswith(CHANNEL)
    ]
    assert len(posts) == 1 and "Urban Basic Services (UBS) meeting" in card_text(posts[0].card)

    code, out = await copbot(tmp_path, db_url, overlay_path, "post-now", "UBS")
    assert code == 0 and "Already posted" in out
    bot.clock.set(nxt.starts_at - timedelta(days=7))  # the server's own tick, at the time
    await bot.services.meetings.posting.tick()
    assert len([r for r in bot.connector.records if r.kind == "create"]) == 1

    code, out = await copbot(tmp_path, db_url, overlay_path, "list", "UBS")
    assert "announcement: sent" in out

    code, out = await copbot(tmp_path, db_url, overlay_path, "skip", "UBS")
    assert code == 0 and f"Cancelled: {nxt.id}" in out
    announced = [r for r in bot.connector.records if r.kind == "create"][-1]
    notice = [  # a reply in the announcement's thread
        r
        for r in bot.connector.records
        if r.kind in {"send", "reply"} and r.conversation_id == announced.conversation_id
    ][-1]
    assert "Cancelled: Urban Basic Services (UBS) meeting" in card_text(notice.card)

    local = (after.local_start + timedelta(days=1)).replace(tzinfo=None)
    code, out = await copbot(
        tmp_path, db_url, overlay_path, "move", "UBS", "--to", local.strftime("%Y-%m-%d %H:%M")
    )
    assert code == 0 and f"Moved: {after.id}" in out and "[moved]" in out

    event_day = (now + timedelta(days=20)).astimezone(UTC).strftime("%Y-%m-%d")
    code, out = await copbot(
        tmp_path,
        db_url,
        overlay_path,
        "add-event",
        "UBS",
        "--title",
        "Webinar: water operators",
        "--at",
        f"{event_day} 15:00",
        "--duration",
        "45",
    )
    assert code == 0 and f"Added: UBS:event:{event_day}T15:00" in out
    code, out = await copbot(tmp_path, db_url, overlay_path, "list", "UBS")
    assert "Webinar: water operators" in out and "[CANCELLED]" in out

    code, out = await copbot(tmp_path, db_url, overlay_path, "skip", "XYZ")
    assert code == 1 and "I don't know a Community of Practice called XYZ" in out
    code, out = await copbot(tmp_path, db_url, overlay_path, "move", "UBS", "--to", "soon")
    assert code == 2 and "like 2026-12-15 14:00" in out


async def test_follow_up_from_the_terminal_is_posted_with_its_feedback_card(
    bot_factory: Callable[..., Any], tmp_path: Path
) -> None:
    """The latest UBS meeting was never announced by the bot: the follow-up starts a thread in
    the channel and the feedback card replies in it."""
    db_url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    overlay_path = overlay(tmp_path)
    now = SystemClock().now()
    bot: RunningBot = await bot_factory(
        database_url=db_url, clock=FakeClock(now), CATALOG_OVERLAY_PATH=overlay_path
    )
    await bot.client.install_in_team(TEAM, CHANNEL)
    ubs = bot.services.catalog.get("UBS")
    last = community_occurrences(ubs, now - timedelta(days=92), now)[-1]

    code, out = await copbot(
        tmp_path, db_url, overlay_path, "follow-up", "--cop", "UBS", "--recording", "http://x.org/r"
    )
    assert code == 1 and "only https:// links are shared" in out

    recording = "https://unhabitat.sharepoint.com/sites/UBS/rec.mp4"
    code, out = await copbot(
        tmp_path,
        db_url,
        overlay_path,
        "follow-up",
        "--cop",
        "UBS",
        "--recording",
        recording,
        "--summary",
        "Key points: metering",
    )
    assert code == 0, out
    assert f"Follow-up shared (version 1): {last.id}" in out
    (started,) = [r for r in bot.connector.records if r.kind == "create"]
    assert started.conversation_id.startswith(CHANNEL)
    assert "After the meeting" in card_text(started.card)
    (feedback,) = [
        r
        for r in bot.connector.records
        if r.kind in {"send", "reply"} and r.conversation_id == started.conversation_id
    ]
    assert "How was it?" in card_text(feedback.card)
