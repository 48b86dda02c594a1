"""A Bot Framework connector on 127.0.0.1 that records what the bot sends.

It answers the Connector REST API the way the Teams service does for the calls the bot makes:
create a conversation, send, reply, update, get a member. Tests read `records` to see what a person
or a channel would have seen. `hold(...)` keeps a matching post waiting until the test releases it
(Teams takes it) or drops it (Teams never got it), to stop the bot in the middle of a send.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Record:
    kind: str  # "create" | "send" | "reply" | "update"
    conversation_id: str
    activity: dict[str, Any]
    activity_id: str
    reply_to: str | None = None

    @property
    def text(self) -> str:
        return self.activity.get("text") or ""

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a.get("content") or {}
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def card(self) -> dict[str, Any]:
        cards = self.cards
        assert cards, f"expected a card, got {self.activity}"
        return cards[0]


def card_text(card: dict[str, Any]) -> str:
    """Every text a person can read on a card, in order (bodies, facts, buttons)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            out.extend(
                node[k]
                for k in ("text", "title", "value", "label", "placeholder")
                if isinstance(node.get(k), str)
            )
            for key in (
                "body",
                "items",
                "columns",
                "actions",
                "facts",
                "card",
                "inlines",
                "rows",
                "cells",
            ):
                walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(out)


@dataclass
class Hold:
    """A post kept waiting: `arrived` is set when it comes in; `release()` lets Teams take it
    (recorded, even if the bot is gone by then), `drop()` answers 503 and records nothing."""

    kinds: frozenset[str]
    where: Callable[[str, dict[str, Any]], bool]  # (conversation or channel id, body) -> bool
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    dropped: bool = False
    used: bool = False

    def release(self) -> None:
        self.gate.set()

    def drop(self) -> None:
        self.dropped = True
        self.gate.set()


@dataclass
class FakeConnector:
    records: list[Record] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_next: int = 0  # answer the next N sends with 503
    holds: list[Hold] = field(default_factory=list)  # see `hold`
    authorizations: list[str] = field(default_factory=list)  # Authorization header of each call
    peers: list[tuple[str, int]] = field(default_factory=list)  # client address of each call
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> FakeConnector:
        @web.middleware
        async def record_auth(request: web.Request, handler: Any) -> web.StreamResponse:
            self.authorizations.append(request.headers.get("Authorization", ""))
            self.peers.append(
                request.transport.get_extra_info("peername") if request.transport else None
            )
            return await handler(request)

        app = web.Application(middlewares=[record_auth])
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._reply)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_get("/v3/conversations/{cid}/members/{uid}", self._member)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    # -- reading ----------------------------------------------------------------------------
    def mark(self) -> int:
        return len(self.records)

    def since(self, mark: int, conversation_id: str | None = None) -> list[Record]:
        return [
            r
            for r in self.records[mark:]
            if conversation_id is None or r.conversation_id == conversation_id
        ]

    def to_conversation(self, conversation_id: str) -> list[Record]:
        return [r for r in self.records if r.conversation_id == conversation_id]

    async def wait_for(self, predicate: Any, timeout: float = 5.0) -> Record:
        async with asyncio.timeout(timeout):
            while True:
                for record in self.records:
                    if predicate(record):
                        return record
                self._changed.clear()
                await self._changed.wait()

    # -- holding a post ---------------------------------------------------------------------
    def hold(
        self,
        kinds: tuple[str, ...] = ("create",),
        *,
        channel: str | None = None,
        conversation: str | None = None,
    ) -> Hold:
        """Keep the next matching post (kind "create" | "send" | "reply") waiting; `channel`:
        only a new thread in that channel; `conversation`: only a post in that conversation.
        The bot's HTTP call waits with it."""

        def where(conversation_id: str, body: dict[str, Any]) -> bool:
            if conversation is not None and conversation_id != conversation:
                return False
            if channel is None:
                return True
            posted_in = ((body.get("channelData") or {}).get("channel") or {}).get("id")
            return channel in (posted_in, conversation_id.split(";")[0])

        held = Hold(frozenset(kinds), where)
        self.holds.append(held)
        return held

    async def _held(self, kind: str, conversation_id: str, body: dict[str, Any]) -> bool:
        """Wait while a hold matches; False when the post is dropped."""
        for held in self.holds:
            if not held.used and kind in held.kinds and held.where(conversation_id, body):
                held.used = True
                held.arrived.set()
                await held.gate.wait()
                return not held.dropped
        return True

    @staticmethod
    def _dropped() -> web.Response:
        return web.json_response({"error": {"code": "ServiceUnavailable"}}, status=503)

    # -- handlers ---------------------------------------------------------------------------
    def _record(
        self, kind: str, cid: str, activity: dict[str, Any], reply_to: str | None = None
    ) -> str:
        activity_id = activity.get("id") if kind == "update" else f"act-{next(self._ids)}"
        self.records.append(Record(kind, cid, activity, activity_id or "", reply_to))
        self._changed.set()
        return activity_id or ""

    def _maybe_fail(self) -> web.Response | None:
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"error": {"code": "ServiceUnavailable"}}, status=503)
        return None

    async def _create(self, request: web.Request) -> web.Response:
        if failed := self._maybe_fail():
            return failed
        params = await request.json()
        if not await self._held("create", "", params):
            return self._dropped()
        channel = ((params.get("channelData") or {}).get("channel") or {}).get("id")
        members = params.get("members") or []
        if channel:
            cid = f"{channel};messageid={next(self._ids)}"
        else:
            member = members[0]["id"] if members else "nobody"
            cid = f"a:personal-{member}"
        activity_id = ""
        if params.get("activity"):
            activity_id = self._record("create", cid, params["activity"])
        return web.json_response({"id": cid, "activityId": activity_id, "serviceUrl": self.url})

    async def _send(self, request: web.Request) -> web.Response:
        if failed := self._maybe_fail():
            return failed
        body = await request.json()
        if not await self._held("send", request.match_info["cid"], body):
            return self._dropped()
        activity_id = self._record("send", request.match_info["cid"], body)
        return web.json_response({"id": activity_id})

    async def _reply(self, request: web.Request) -> web.Response:
        if failed := self._maybe_fail():
            return failed
        body = await request.json()
        if not await self._held("reply", request.match_info["cid"], body):
            return self._dropped()
        activity_id = self._record(
            "reply", request.match_info["cid"], body, request.match_info["aid"]
        )
        return web.json_response({"id": activity_id})

    async def _update(self, request: web.Request) -> web.Response:
        activity = await request.json()
        activity["id"] = request.match_info["aid"]
        self._record("update", request.match_info["cid"], activity)
        return web.json_response({"id": request.match_info["aid"]})

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["uid"])
        if member is None:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        return web.json_response(member)
