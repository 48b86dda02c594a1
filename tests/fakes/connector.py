"""A Bot Framework connector on 127.0.0.1 that records what the bot sends, and refuses like Teams.

It answers the Connector REST API the way the Teams service does for the calls the bot makes:
create a conversation, send, reply, update, get a member. Tests read `records` to see what a person
or a channel would have seen. `hold(...)` keeps a matching post waiting until the test releases it
(Teams takes it) or drops it (Teams never got it), to stop the bot in the middle of a send.

By default it accepts everything (as it always did). Hostility is opt-in, per test:

    connector.refuse(BLOCKED_BY_USER, person=alice)      # 403 ConversationBlockedByUser
    connector.gone("a:personal-bob")                      # 404 ConversationNotFound
    connector.refuse(PRECONDITION_FAILED, times=2)        # the next two calls: 412
    connector.throttle(times=3, retry_after=2)            # 429 Throttled, Retry-After: 2
    connector.create_then_fail(carol)                     # create 201, then 500 UserNotFound
    connector.require_installation(alice)                 # only Alice has the app: others 403
    connector.install(bob)                                # ...now Bob too (Graph installedApps)
    connector.enforce_rate_limits(clock)                  # Teams' windows, 429 with Retry-After
    connector.limit_message_size()                        # over ~100 KB: 413 MessageSizeTooBig
    connector.known_activities_only = True                # updating a never-sent card: 404

Every refusal is in `tests/fakes/connector_refusals.py` with the Microsoft page it comes from;
the limits are in `tests/fakes/rate_limits.py`. `refused` lists every refused call.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from copbot.clock import Clock, SystemClock
from tests.fakes.connector_refusals import (
    ACTIVITY_NOT_FOUND,
    BLOCKED_BY_USER,
    CONVERSATION_NOT_FOUND,
    MAX_MESSAGE_BYTES,
    MESSAGE_TOO_BIG,
    NOT_IN_ROSTER,
    NOT_INSTALLED,
    THROTTLED,
    USER_NOT_FOUND,
    WRITES_BLOCKED,
    Refusal,
)
from tests.fakes.rate_limits import (
    PER_APP_PER_TENANT,
    PER_BOT_PER_THREAD,
    TeamsRateLimits,
    Window,
    retry_after_header,
)


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


ALL_KINDS = ("create", "send", "reply", "update")


@dataclass
class Rule:
    """A refusal that applies to matching calls (see `FakeConnector.refuse`)."""

    refusal: Refusal
    kinds: frozenset[str]
    person: str | None = None
    conversation: str | None = None
    remaining: int | None = None  # None: until `clear_refusals()`
    hits: int = 0

    def matches(self, call: Call) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if call.kind not in self.kinds:
            return False
        if self.person is not None and call.person != self.person:
            return False
        return self.conversation is None or self.conversation in call.places


@dataclass(frozen=True)
class Call:
    """What one connector call is about: its kind, conversation, thread, person and tenant."""

    kind: str  # "create" | "send" | "reply" | "update"
    conversation_id: str  # "" for a create
    thread: str  # where Teams counts the rate limit: the 1:1 chat or the channel
    person: str | None  # the person of a 1:1 chat: the member id the bot created it with
    tenant: str
    places: frozenset[str]  # conversation id, its channel, the channel posted in


@dataclass(frozen=True)
class RefusedCall:
    kind: str
    conversation_id: str
    person: str | None
    status: int
    code: str | None


_GRAPH_CHAT = re.compile(r"^19:([^_@;]+)_([^_@;]+)@unq\.gbl\.spaces$")


def personal_conversation_id(person: str) -> str:
    """The conversation id this double gives a 1:1 chat created with `person`."""
    return f"a:personal-{person}"


def person_of(conversation_id: str) -> str | None:
    """The person of a 1:1 conversation: ours (`a:personal-<id>`) or the chat id Graph gives for
    an installed app (`19:<user id>_<app id>@unq.gbl.spaces`)."""
    if conversation_id.startswith("a:personal-"):
        return conversation_id.removeprefix("a:personal-")
    if match := _GRAPH_CHAT.match(conversation_id):
        return match.group(1)
    return None


@dataclass
class FakeConnector:
    records: list[Record] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_next: int = 0  # answer the next N sends with 503
    holds: list[Hold] = field(default_factory=list)  # see `hold`
    authorizations: list[str] = field(default_factory=list)  # Authorization header of each call
    peers: list[tuple[str, int] | None] = field(default_factory=list)  # client address of each call
    rules: list[Rule] = field(default_factory=list)  # see `refuse`
    refused: list[RefusedCall] = field(default_factory=list)  # every call answered with a refusal
    installation_required: bool = False  # see `require_installation`
    installed: set[str] = field(default_factory=set)
    uninstalled: set[str] = field(default_factory=set)
    rate_limits: TeamsRateLimits | None = None  # see `enforce_rate_limits`
    max_message_bytes: int | None = None  # see `limit_message_size`
    known_activities_only: bool = False  # True: updating an activity never sent is 404
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

        app = web.Application(middlewares=[record_auth], client_max_size=4 * 1024 * 1024)
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

    def to_person(self, person: str) -> list[Record]:
        """What reached `person` in a 1:1 chat (ours or the one Graph's install gave)."""
        return [r for r in self.records if person_of(r.conversation_id) == person]

    async def wait_for(self, predicate: Any, timeout: float = 5.0) -> Record:
        async with asyncio.timeout(timeout):
            while True:
                for record in self.records:
                    if predicate(record):
                        return record
                self._changed.clear()
                await self._changed.wait()

    # -- refusing ---------------------------------------------------------------------------
    def refuse(
        self,
        refusal: Refusal,
        *,
        person: str | None = None,
        conversation: str | None = None,
        kinds: Iterable[str] = ALL_KINDS,
        times: int | None = None,
    ) -> Rule:
        """Answer matching calls with `refusal` (see connector_refusals.py) instead of taking them.

        `person`: calls about that person's 1:1 chat (its creation and every post in it);
        `conversation`: posts in that conversation, or in any thread of that channel, and new
        threads in that channel (a new 1:1 chat is matched by `person` only); `kinds`:
        "create", "send", "reply", "update"; `times`: only the next N matching calls (None:
        until `clear_refusals()`). Rules are tried in the order added."""
        rule = Rule(refusal, frozenset(kinds), person, conversation, times)
        self.rules.append(rule)
        return rule

    def clear_refusals(self) -> None:
        self.rules.clear()

    def block(self, person: str) -> Rule:
        """The person blocked the bot in their 1:1 chat: 403 ConversationBlockedByUser."""
        return self.refuse(BLOCKED_BY_USER, person=person)

    def gone(self, conversation: str) -> Rule:
        """The conversation was deleted: posting in it is 404 ConversationNotFound (a new 1:1
        chat can still be created)."""
        return self.refuse(
            CONVERSATION_NOT_FOUND, conversation=conversation, kinds=("send", "reply", "update")
        )

    def throttle(
        self,
        *,
        times: int | None = 1,
        retry_after: float | None = 1,
        person: str | None = None,
        conversation: str | None = None,
        kinds: Iterable[str] = ALL_KINDS,
    ) -> Rule:
        """429 Throttled with `Retry-After` (whole seconds; None: no header)."""
        return self.refuse(
            THROTTLED.with_retry_after(retry_after),
            person=person,
            conversation=conversation,
            kinds=kinds,
            times=times,
        )

    def create_then_fail(self, person: str, refusal: Refusal = USER_NOT_FOUND) -> Rule:
        """The 1:1 chat is created (201, with an id) but every post in it fails, as the
        Playground does for a user it does not know: `createConversation 201` then
        `POST .../activities 500 (UserNotFound)`."""
        return self.refuse(refusal, person=person, kinds=("send", "reply", "update"))

    # -- who has the app --------------------------------------------------------------------
    def require_installation(self, *installed: str) -> None:
        """From now on the bot reaches only people who have the app (plus `install`ed ones).

        Creating a 1:1 chat with anyone else: 403 BotNotInConversationRoster (Company
        Communicator's users see exactly this for people who never installed the app); posting
        in the 1:1 chat of someone who never had it: 403 ForbiddenOperationException "Bot is not
        installed in user's personal scope"; of someone who removed it: 403 MessageWritesBlocked.
        Channels are not concerned (refuse NOT_IN_ROSTER for a channel whose team lacks the bot).
        """
        self.installation_required = True
        self.installed.update(installed)

    def install(self, person: str) -> None:
        """The app is installed for `person` (the Graph fake's installedApps POST does this)."""
        self.installed.add(person)
        self.uninstalled.discard(person)

    def uninstall(self, person: str) -> None:
        self.installed.discard(person)
        self.uninstalled.add(person)

    def can_reach(self, person: str) -> bool:
        return not self.installation_required or person in self.installed

    # -- limits -----------------------------------------------------------------------------
    def enforce_rate_limits(
        self,
        clock: Clock | None = None,
        *,
        per_thread: Sequence[Window] = PER_BOT_PER_THREAD,
        per_tenant: Sequence[Window] = PER_APP_PER_TENANT,
    ) -> TeamsRateLimits:
        """Teams' documented limits (rate_limits.py), counted on `clock` (default: real time):
        over them, 429 Throttled with the Retry-After that frees a place."""
        self.rate_limits = TeamsRateLimits(
            clock or SystemClock(), per_thread=per_thread, per_tenant=per_tenant
        )
        return self.rate_limits

    def limit_message_size(self, max_bytes: int = MAX_MESSAGE_BYTES) -> None:
        """An activity over `max_bytes` (measured as Teams does, in UTF-16) gets 413
        MessageSizeTooBig."""
        self.max_message_bytes = max_bytes

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
            return channel in (_posted_in(body), conversation_id.split(";")[0])

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

    # -- deciding ---------------------------------------------------------------------------
    def _refusal_for(self, call: Call, activity: dict[str, Any] | None) -> Refusal | None:
        for rule in self.rules:
            if rule.matches(call):
                rule.hits += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                return rule.refusal
        if call.person is not None and not self.can_reach(call.person):
            if call.kind == "create":
                return NOT_IN_ROSTER
            return WRITES_BLOCKED if call.person in self.uninstalled else NOT_INSTALLED
        if (
            self.known_activities_only
            and call.kind == "update"
            and activity is not None
            and not any(
                r.conversation_id == call.conversation_id and r.activity_id == activity.get("id")
                for r in self.records
            )
        ):
            return ACTIVITY_NOT_FOUND
        if (
            self.max_message_bytes is not None
            and activity is not None
            and _teams_size(activity) > self.max_message_bytes
        ):
            return MESSAGE_TOO_BIG
        if self.rate_limits is not None:
            operation = "create" if call.kind == "create" else "send"
            wait = self.rate_limits.admit(operation, call.thread, call.tenant)
            if wait > 0:
                return THROTTLED.with_retry_after(wait)
        return None

    def _answer(self, call: Call, refusal: Refusal) -> web.Response:
        self.refused.append(
            RefusedCall(call.kind, call.conversation_id, call.person, refusal.status, refusal.code)
        )
        headers = {}
        if refusal.retry_after is not None:
            headers["Retry-After"] = retry_after_header(refusal.retry_after)
        body = refusal.json_body()
        if body is None:
            return web.Response(status=refusal.status, headers=headers)
        return web.json_response(body, status=refusal.status, headers=headers)

    def _post_call(self, kind: str, conversation_id: str, body: dict[str, Any]) -> Call:
        person = person_of(conversation_id)
        channel = conversation_id.split(";")[0]
        return Call(
            kind=kind,
            conversation_id=conversation_id,
            thread=channel,
            person=person,
            tenant=_tenant_of(body),
            places=frozenset(p for p in (conversation_id, channel, _posted_in(body)) if p),
        )

    @staticmethod
    def _create_call(params: dict[str, Any]) -> Call:
        channel = _posted_in(params)
        members = params.get("members") or []
        person = None
        if not channel:
            first = members[0] if members else {}
            person = first.get("id") or "nobody"
        return Call(
            kind="create",
            conversation_id="",
            thread=channel or personal_conversation_id(person or "nobody"),
            person=person,
            tenant=_tenant_of(params),
            places=frozenset([channel] if channel else []),  # a 1:1 create matches by person
        )

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
        call = self._create_call(params)
        if refusal := self._refusal_for(call, params.get("activity")):
            return self._answer(call, refusal)
        channel = _posted_in(params)
        members = params.get("members") or []
        if channel:
            cid = f"{channel};messageid={next(self._ids)}"
        else:
            member = members[0]["id"] if members else "nobody"
            cid = personal_conversation_id(member)
        activity_id = ""
        if params.get("activity"):
            activity_id = self._record("create", cid, params["activity"])
        return web.json_response(
            {"id": cid, "activityId": activity_id, "serviceUrl": self.url}, status=201
        )

    async def _post(self, request: web.Request, kind: str) -> web.Response:
        if failed := self._maybe_fail():
            return failed
        body = await request.json()
        cid = request.match_info["cid"]
        if not await self._held(kind, cid, body):
            return self._dropped()
        call = self._post_call(kind, cid, body)
        if refusal := self._refusal_for(call, body):
            return self._answer(call, refusal)
        activity_id = self._record(kind, cid, body, request.match_info.get("aid"))
        return web.json_response({"id": activity_id}, status=201)

    async def _send(self, request: web.Request) -> web.Response:
        return await self._post(request, "send")

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._post(request, "reply")

    async def _update(self, request: web.Request) -> web.Response:
        activity = await request.json()
        activity["id"] = request.match_info["aid"]
        call = self._post_call("update", request.match_info["cid"], activity)
        if refusal := self._refusal_for(call, activity):
            return self._answer(call, refusal)
        self._record("update", request.match_info["cid"], activity)
        return web.json_response({"id": request.match_info["aid"]})

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["uid"])
        if member is None:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        return web.json_response(member)


def _posted_in(body: dict[str, Any]) -> str | None:
    """The channel a new thread is posted in (create) or a post names."""
    return ((body.get("channelData") or {}).get("channel") or {}).get("id")


def _tenant_of(body: dict[str, Any]) -> str:
    tenant = ((body.get("channelData") or {}).get("tenant") or {}).get("id")
    return tenant or (body.get("conversation") or {}).get("tenantId") or body.get("tenantId") or ""


def _teams_size(activity: dict[str, Any]) -> int:
    """Teams counts a message in UTF-16 (format-your-bot-messages); base64 images excluded."""
    text = json.dumps(activity, ensure_ascii=False, separators=(",", ":"))
    text = re.sub(r"data:image/[^;\"]+;base64,[A-Za-z0-9+/=]+", "", text)
    return len(text.encode("utf-16-le"))
