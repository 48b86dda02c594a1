"""Remembering who talked to the bot happens beside the turn: when it fails, the person still
gets their answer, the failure is logged with its traceback (not only its type), and the next
message tries again."""

from __future__ import annotations

from typing import Any

import pytest
import structlog

from bot import references
from copbot.store import people
from tests.conftest import RunningBot
from tests.support.bot_client import ALICE


async def test_a_failed_remember_keeps_its_traceback_and_is_tried_again(
    bot: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = references.remember_person
    broken = [True]

    async def remember(*args: Any, **kwargs: Any) -> None:
        if broken:
            broken.clear()
            raise RuntimeError("the people table is locked")
        await real(*args, **kwargs)

    monkeypatch.setattr(references, "remember_person", remember)
    with structlog.testing.capture_logs() as logs:
        reply = await bot.client.say("hello", ALICE)
        await bot.components.bot.settle()
    assert reply.texts  # answered all the same
    [failed] = [entry for entry in logs if entry["event"] == "people.remember_failed"]
    assert failed["log_level"] == "warning" and failed["exc_info"] is True
    assert await people.get_person(bot.services.db, ALICE.aad_id) is None
    await bot.client.say("hello again", ALICE)
    await bot.components.bot.settle()
    assert await people.get_person(bot.services.db, ALICE.aad_id) is not None
