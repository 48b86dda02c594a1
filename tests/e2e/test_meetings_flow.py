"""CoP meetings in the Playground, in headless Chromium: UBS (mapped to the mock team's General
channel by catalog/local-demo.yaml, Amina as its focal point) gets its announcement when the clock
reaches a week before the meeting, or at once with `copbot meetings post-now UBS`; a question is
sent from the card; the digest reaches the focal point, who marks it answered."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest_asyncio

import app as composition
from copbot.clock import FakeClock
from tests.conftest import ROOT, make_settings
from tests.e2e.harness import PlaygroundPage, PlaygroundServer, serve_app

DEC_START = datetime(2026, 12, 16, 7, 0, tzinfo=UTC)  # UBS: Wednesday 16 December, 10:00 Nairobi
ANNOUNCE_AT = DEC_START - timedelta(days=7)
DIGEST_AT = DEC_START - timedelta(hours=24)
OVERLAY = ROOT / "catalog" / "local-demo.yaml"
QUESTION = "How are utilities financing non-revenue water reduction?"


@pytest_asyncio.fixture
async def meetings_bot(
    playground: PlaygroundServer, tmp_path: Path
) -> AsyncIterator[tuple[composition.Components, FakeClock, str]]:
    """CoP Bot (local mode, demo overlay, SQLite) on a fake clock, connected to the Playground."""
    database_url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    clock = FakeClock(ANNOUNCE_AT - timedelta(days=1))
    settings = make_settings(DATABASE_URL=database_url, CATALOG_OVERLAY_PATH=str(OVERLAY))
    components = composition.build_components(settings, clock=clock)
    async with serve_app(composition.create_web_app(components)) as base_url:
        playground.connect(f"{base_url}/api/messages")
        yield components, clock, database_url


async def installed_everywhere(chat: PlaygroundPage) -> None:
    await chat.open_personal_chat()  # Amina's 1:1 chat: where her digest will arrive
    await chat.wait_for_bot_message("I'm CoP Bot", fresh=False)
    await chat.open_channel("General")  # the bot joins the team: it records the channel
    await chat.wait_for_bot_message(
        "I will announce the meetings of Urban Basic Services (UBS) here", fresh=False
    )


async def test_announcement_question_and_digest_by_moving_the_clock(
    meetings_bot: tuple[composition.Components, FakeClock, str], chat: PlaygroundPage
) -> None:
    components, clock, _ = meetings_bot
    service = components.services.meetings
    await installed_everywhere(chat)

    clock.set(ANNOUNCE_AT + timedelta(minutes=1))
    await chat.mark()
    await service.posting.tick()
    await chat.wait_for_card("Wednesday, 16 December 2026, 07:00 UTC")
    card = await chat.wait_for_card("Wednesday, 16 December 2026, 10:00 Nairobi time")

    # Typed as a person does (click, then keys): the Playground's renderer misses a value set
    # with Playwright's fill() in the first card input of a page (see the report).
    box = card.get_by_role("textbox", name="Your question for the focal points")
    await box.click()
    await box.press_sequentially(QUESTION)
    await chat.click_card_button("Ask a question", card_contains="Urban Basic Services (UBS)")
    await chat.wait_for_card("your question was sent to the focal points")
    await chat.wait_for_card(QUESTION)

    await chat.open_personal_chat()
    clock.set(DIGEST_AT)
    await chat.mark()
    await service.posting.tick()
    await chat.wait_for_card("Questions sent in advance")
    await chat.wait_for_card(QUESTION)
    await chat.click_card_button("Mark answered", card_contains=QUESTION)
    await chat.wait_for_card("Answered (marked by Amina Wanjiru)")
    # Amina asked the question too: she is told it was answered.
    await chat.wait_for_bot_message("has been answered")


async def test_post_now_from_the_terminal_reaches_the_playground_channel(
    meetings_bot: tuple[composition.Components, FakeClock, str], chat: PlaygroundPage
) -> None:
    _, _, database_url = meetings_bot
    await installed_everywhere(chat)
    await chat.mark()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(ROOT),
        "DATABASE_URL": database_url,
        "CATALOG_PATH": str(ROOT / "catalog" / "communities.yaml"),
        "CATALOG_OVERLAY_PATH": str(OVERLAY),
        "LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "copbot"),
        "meetings",
        "post-now",
        "UBS",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, out.decode()
    assert "posted: announcement UBS:0:" in out.decode()
    await chat.wait_for_card("Urban Basic Services (UBS) meeting")
    await chat.wait_for_card("Ask a question")


RECORDING = "https://unhabitat.sharepoint.com/sites/UBS/Recordings/2026-12-16.mp4"


async def test_after_the_meeting_the_focal_point_shares_the_recording_and_members_rate_it(
    meetings_bot: tuple[composition.Components, FakeClock, str], chat: PlaygroundPage
) -> None:
    """Amina (UBS's focal point in the demo overlay) opens the form from the announcement's button,
    shares the recording and the key points; the follow-up and the feedback card reach the
    channel; she rates the meeting, and the card she sees thanks her with the count."""
    components, clock, _ = meetings_bot
    service = components.services.meetings
    await installed_everywhere(chat)
    clock.set(ANNOUNCE_AT + timedelta(minutes=1))
    await chat.mark()
    await service.posting.tick()
    await chat.wait_for_card("Wednesday, 16 December 2026, 10:00 Nairobi time")

    clock.set(DEC_START + timedelta(hours=2))  # the meeting took place
    await chat.click_card_button(
        "Add recording, summary", card_contains="Urban Basic Services (UBS)"
    )
    form = await chat.wait_for_card("Recording and summary of")
    for label, value in (
        ("Recording link (https://)", RECORDING),
        ("Summary: the key points", "Utilities cut losses with district metering"),
    ):
        box = form.get_by_role("textbox", name=label)
        await box.click()
        await box.press_sequentially(value)
    await chat.click_card_button("Share", card_contains="Recording and summary of")
    await chat.wait_for_card("Shared: the follow-up of")

    await chat.mark()
    await components.services.outbox.drain()
    await chat.wait_for_card("Utilities cut losses with district metering", fresh=False)
    feedback = await chat.wait_for_card("How was it?", fresh=False)
    await feedback.get_by_role("radio", name="4 - Very good").click()
    await chat.click_card_button("Send feedback", card_contains="How was it?")
    await chat.wait_for_card("your rating is 4/5")
    await chat.wait_for_card("1 answer so far", fresh=False)
