"""`make screenshots`: what staff, focal points and admins see, taken from the Microsoft 365
Agents Playground in headless Chromium (the e2e harness) and saved under docs/images/, where
README.md and docs/admin.md show them. Not collected with the tests (no `test_` prefix): run it
with `make screenshots` after changing a card, and commit the PNGs.

Amina (the Playground's user, UBS's focal point in catalog/local-demo.yaml, and an admin here)
asks which CoP fits her, joins, approves her own request, is welcomed, sees the admins' report;
the clock is moved to a week before UBS's meeting for its announcement in the team's channel."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest_asyncio
from playwright.async_api import Locator

import app as composition
from copbot.clock import FakeClock
from tests.conftest import ROOT, make_settings
from tests.e2e.harness import PlaygroundPage, PlaygroundServer, serve_app

IMAGES = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "docs" / "images"))
AMINA = "4f39e9cf-f3b8-41da-92e5-5d8a0203a448"
UBS = "Urban Basic Services (UBS)"
MEETING = datetime(2026, 12, 16, 7, 0, tzinfo=UTC)  # UBS: Wednesday 16 December, 10:00 Nairobi


@pytest_asyncio.fixture
async def demo_bot(
    playground: PlaygroundServer, tmp_path: Path
) -> AsyncIterator[tuple[composition.Components, FakeClock]]:
    clock = FakeClock(MEETING - timedelta(days=8))
    settings = make_settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'screenshots.sqlite3'}",
        CATALOG_OVERLAY_PATH=str(ROOT / "catalog" / "local-demo.yaml"),
        ADMIN_IDS=AMINA,
    )
    components = composition.build_components(settings, clock=clock)
    async with serve_app(composition.create_web_app(components)) as base_url:
        playground.connect(f"{base_url}/api/messages")
        yield components, clock


async def shot(card: Locator, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    await card.scroll_into_view_if_needed()
    await card.screenshot(path=str(IMAGES / f"{name}.png"), animations="disabled")


async def test_screenshots(
    demo_bot: tuple[composition.Components, FakeClock], chat: PlaygroundPage
) -> None:
    components, clock = demo_bot
    await chat.open_personal_chat()
    await chat.wait_for_bot_message("I'm CoP Bot", fresh=False)

    await chat.send_message("help")
    await shot(await chat.wait_for_card("What I can do"), "help")

    await chat.send_message("Which CoP fits me? I work on water supply and sanitation in Nairobi")
    await shot(await chat.wait_for_card(UBS), "finder-answer")
    await chat.click_card_button("Join as primary", card_contains=UBS)
    approval = await chat.wait_for_card(f"Request to join {UBS}")
    await shot(approval, "approval-card")
    await chat.click_card_button("Approve", card_contains=f"Request to join {UBS}")
    await shot(await chat.wait_for_card("Approved by Amina Wanjiru"), "approval-card-decided")
    await shot(await chat.wait_for_card(f"Welcome to {UBS}!"), "welcome")

    await chat.send_message("join the Climate Change CoP")
    await shot(await chat.wait_for_card("Your primary CoP is"), "join-card")
    await chat.send_message("my communities")
    await shot(await chat.wait_for_card(f"{UBS} · Primary"), "my-communities")
    await chat.send_message("report")
    await shot(await chat.wait_for_card("CoP Bot report"), "admin-report")

    await chat.open_channel("General")
    await chat.wait_for_bot_message("I will announce the meetings of", fresh=False)
    clock.set(MEETING - timedelta(days=7, minutes=-1))
    await chat.mark()
    await components.services.meetings.posting.tick()
    await shot(await chat.wait_for_card("10:00 Nairobi time"), "meeting-announcement")
