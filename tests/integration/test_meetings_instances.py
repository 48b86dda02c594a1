"""Two CoP Bot processes on one database, both ticking at the same moment for the same due posts:
each post reaches Teams once (counted on the fake connector both processes post to)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from copbot.clock import FakeClock
from tests.fakes.connector import card_text
from tests.integration.test_meetings_flow import (
    BRUNO,
    CARMEN,
    CHANNEL,
    DEC,
    DIGEST_AT,
    TEAM,
    overlay,
)

ROOT = Path(__file__).resolve().parents[2]


async def run_instance(
    tmp_path: Path, db_url: str, overlay_path: str, at: str, start_at: float
) -> dict[str, list[str]]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": db_url,
        "CATALOG_PATH": str(ROOT / "catalog" / "communities.yaml"),
        "CATALOG_OVERLAY_PATH": overlay_path,
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "json",
        "PYTHONPATH": str(ROOT),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.meetings_tick",
        "--at",
        at,
        "--start-at",
        str(start_at),
        "--rounds",
        "3",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, stderr.decode()[-3000:]
    return json.loads(stdout.decode().strip().splitlines()[-1])


async def test_two_instances_on_one_database_post_each_meeting_post_once(
    bot_factory: Callable[..., Any], tmp_path: Path, db_url: str, database: Any
) -> None:
    # The bot is installed in the UBS team and a question is waiting (through one app)...
    overlay_path = overlay(tmp_path)
    clock = FakeClock(DIGEST_AT - timedelta(hours=1))
    bot = await bot_factory(database_url=db_url, clock=clock, CATALOG_OVERLAY_PATH=overlay_path)
    await bot.client.install_in_team(TEAM, CHANNEL)
    await bot.client.execute(
        "meetings_ask",
        {"occurrence": DEC, "question": "Who else works on non-revenue water?"},
        CARMEN,
        conversation={"id": CHANNEL, "conversationType": "channel"},
    )
    # ...then two other processes tick at the same instant, one minute after the digest time:
    # the announcement (late) and the digest are due for both.
    at = (DIGEST_AT + timedelta(minutes=1)).isoformat()
    start_at = time.time() + 4  # both have imported and connected by then
    first, second = await asyncio.gather(
        run_instance(tmp_path, db_url, overlay_path, at, start_at),
        run_instance(tmp_path, db_url, overlay_path, at, start_at),
    )

    channel = [
        r
        for r in bot.connector.records
        if r.kind == "create" and r.conversation_id.startswith(CHANNEL)
    ]
    assert len(channel) == 1 and "16 December 2026" in card_text(channel[0].card)
    digests = [
        r
        for r in bot.connector.records
        if r.conversation_id.endswith(BRUNO.aad_id)
        and r.cards
        and "non-revenue" in card_text(r.card)
    ]
    assert len(digests) == 1
    sent = [s for s in first["sent"] + second["sent"] if " UBS:" in s]
    assert sorted(sent) == sorted([f"announcement {DEC}", f"digest {DEC} -> {BRUNO.aad_id}"])
