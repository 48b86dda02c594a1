"""The issue's case end to end: a rejection reason and the decider's name reach the requester in
a plain text message, shown as typed: no bold, no link (rendered as Teams would, markdown-it)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from sqlalchemy import select

from copbot.store.membership_models import JoinRequest
from tests.conftest import ROOT
from tests.support.bot_client import ALICE, User

OVERLAY = ROOT / "catalog" / "local-demo.yaml"
RENDER = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable(["linkify"])


def tokens(markdown: str) -> set[str]:
    return {c.type for t in RENDER.parse(markdown) for c in [t, *(t.children or [])]}


async def test_a_rejection_reason_and_a_name_are_not_live_markdown(bot_factory) -> None:
    bot = await bot_factory(CATALOG_OVERLAY_PATH=str(OVERLAY))
    decider = User("4f39e9cf-f3b8-41da-92e5-5d8a0203a448", "Amina *Boss* <at>X</at>", "a@un.org")
    await bot.client.submit({"verb": "join", "cop": "UBS", "role": "primary"}, ALICE)
    async with bot.services.db.session() as session:
        request_id = await session.scalar(select(JoinRequest.id))
    reason = "**no** [link](https://evil.example/login)"
    await bot.client.execute(
        "membership.reject", {"request_id": request_id, "reason": reason}, decider
    )
    mark = bot.connector.mark()
    await bot.services.outbox.drain()
    told = [r.text for r in bot.connector.since(mark) if r.text and "evil" in r.text]
    assert told, "the requester was not told the reason"
    found = tokens(told[0])
    assert not found & {"link_open", "strong_open", "em_open", "html_inline"}, told[0]
    rendered = RENDER.renderInline(told[0])
    assert "**no** [link](https://evil.example/login)" in rendered.replace("&quot;", '"')
