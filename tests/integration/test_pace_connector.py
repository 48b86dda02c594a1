"""Outgoing pace through the real route and the real Bot Framework SDK, against the connector
double that counts Teams' rate limits (tests/fakes/rate_limits.py, from
https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit), on SQLite and
PostgreSQL.

- A 429 storm on one person's chat delays their approval card (retrying, at each Retry-After,
  never failed) and delivers it once; the other focal point's card is not held up.
- A burst to one chat with Teams' limits on: paced, it is never throttled; sent bare (no pace),
  the same burst gets 429s.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from copbot.clock import FakeClock
from copbot.notifier import DeliveryDeferred
from copbot.store import Database
from copbot.store.membership_models import OutboxItem
from copbot.work.pace import Pace
from copbot.work.paced_notifier import PacedNotifier
from tests.conftest import RunningBot
from tests.fakes.connector import card_text
from tests.faults.harness import MORNING, chat_with, write_overlay
from tests.support.bot_client import ALICE, BRUNO, CARMEN, UBS
from tests.support.fake_sleep import FakeSleep

RETRY_AFTER = 20


async def card_items(bot: RunningBot) -> dict[str, OutboxItem]:
    async with bot.services.db.session() as session:
        rows = (
            await session.scalars(select(OutboxItem).where(OutboxItem.kind == "membership.card"))
        ).all()
    return {row.payload["recipient"]: row for row in rows}


def approval_cards(bot: RunningBot, user: Any) -> list[Any]:
    return [
        r
        for r in bot.connector.to_conversation(chat_with(user))
        if r.kind != "update" and r.cards and "Request to join" in card_text(r.card)
    ]


async def start(bot_factory: Callable[..., Any], db_url: str, tmp_path: Path) -> RunningBot:
    return await bot_factory(
        database_url=db_url,
        clock=FakeClock(MORNING),
        CATALOG_OVERLAY_PATH=str(write_overlay(tmp_path / "overlay.yaml")),
    )


async def test_a_429_storm_on_one_chat_delays_the_card_but_neither_drops_nor_duplicates_it(
    bot_factory: Callable[..., Any], db_url: str, database: Database, tmp_path: Path
) -> None:
    bot = await start(bot_factory, db_url, tmp_path)  # `database`: the tables start empty
    storm = bot.connector.throttle(times=4, retry_after=RETRY_AFTER, person=BRUNO.aad_id)

    response = await bot.client.say("join UBS as my primary: I run the water programme", ALICE)
    assert response.texts[0].startswith(f"Your request to join {UBS}")
    await bot.services.outbox.drain()
    assert len(approval_cards(bot, CARMEN)) == 1  # Carmen's chat is not held up

    for throttled in range(1, 5):
        item = (await card_items(bot))[BRUNO.aad_id]
        # retrying, at Teams' Retry-After: not failed, not sent
        assert (item.status, item.attempts) == ("pending", throttled)
        assert "429" in (item.last_error or "") and "Throttled" in (item.last_error or "")
        assert item.next_attempt_at >= bot.clock.now() + timedelta(seconds=RETRY_AFTER - 0.01)
        assert approval_cards(bot, BRUNO) == []
        bot.clock.advance(seconds=RETRY_AFTER / 2)  # not yet
        await bot.services.outbox.drain()
        assert approval_cards(bot, BRUNO) == []
        bot.clock.advance(seconds=RETRY_AFTER / 2)
        await bot.services.outbox.drain()

    assert storm.hits == 4
    [card] = approval_cards(bot, BRUNO)  # delivered once
    assert "Alice" in card_text(card.card)
    item = (await card_items(bot))[BRUNO.aad_id]
    assert (item.status, item.attempts) == ("done", 5)
    assert len(approval_cards(bot, CARMEN)) == 1
    assert [r.status for r in bot.connector.refused] == [429] * 4


async def burst(notifier: Any, n: int) -> list[BaseException | Any]:
    """One worker sending `n` messages to Alice back to back (concurrent senders: unit tests)."""
    results: list[BaseException | Any] = []
    for i in range(n):
        try:
            results.append(await notifier.send_to_person(ALICE.aad_id, text=f"news {i}"))
        except DeliveryDeferred as exc:
            results.append(exc)
    return results


async def test_a_burst_to_one_chat_is_paced_under_teams_limits_not_throttled(
    bot_factory: Callable[..., Any], db_url: str, database: Database, tmp_path: Path
) -> None:
    bot = await start(bot_factory, db_url, tmp_path)  # `database`: the tables start empty
    await bot.client.say("hello", ALICE)  # the bot knows Alice's chat
    teams = bot.services.notifier.notifier  # the BotNotifier under the app's pace
    bot.connector.enforce_rate_limits(bot.clock)
    paced = PacedNotifier(teams, Pace(bot.clock, sleep=FakeSleep(bot.clock)))
    chat = bot.client.personal_conversation(ALICE)
    before = len(bot.connector.to_conversation(chat))

    results = await burst(paced, 30)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert bot.connector.refused == []
    texts = [r.text for r in bot.connector.to_conversation(chat)[before:]]
    assert texts == [f"news {i}" for i in range(30)]  # each once, in order

    bot.clock.advance(hours=1)  # a fresh hour: the same burst with no pace
    results = await burst(teams, 30)
    throttled = [r for r in results if isinstance(r, DeliveryDeferred) and r.status == 429]
    assert throttled and len(bot.connector.refused) == len(throttled)
