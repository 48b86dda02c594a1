"""Talks to the bot the way Teams does: activities POSTed to /api/messages over real HTTP.

Replies land on the FakeConnector (the activities' serviceUrl); `send` returns those of its turn.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from tests.fakes.connector import FakeConnector, Record

BOT = {"id": "28:copbot", "name": "CoP Bot"}
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@dataclass(frozen=True)
class User:
    aad_id: str
    name: str
    email: str

    @property
    def channel_id(self) -> str:
        return f"29:{self.aad_id}"

    @property
    def account(self) -> dict[str, Any]:
        return {"id": self.channel_id, "name": self.name, "aadObjectId": self.aad_id}


ALICE = User("a1a1a1a1-0000-4000-8000-000000000001", "Alice Wanjiru", "alice.wanjiru@un.org")
BRUNO = User("b2b2b2b2-0000-4000-8000-000000000002", "Bruno Costa", "bruno.costa@un.org")
CARMEN = User("c3c3c3c3-0000-4000-8000-000000000003", "Carmen Ruiz", "carmen.ruiz@un.org")
DANIEL = User("d4d4d4d4-0000-4000-8000-000000000004", "Daniel Otieno", "daniel.otieno@un.org")
ERIN = User("e5e5e5e5-0000-4000-8000-000000000005", "Erin Admin", "erin.admin@un.org")
# Graph mode tests: the six CoPs' group ids, the add-member path, UBS as the bot names it.
GROUPS = {
    "PLG": "0a000000-0000-4000-8000-000000000001",
    "SHRSI": "0a000000-0000-4000-8000-000000000002",
    "PFE": "0a000000-0000-4000-8000-000000000003",
    "UBS": "0a000000-0000-4000-8000-000000000004",
    "LHS": "0a000000-0000-4000-8000-000000000005",
    "CC": "0a000000-0000-4000-8000-000000000006",
}
ADD_PATH = "/groups/*/members/$ref"
UBS = "Urban Basic Services (UBS)"


@dataclass
class Response:
    status: int
    body: Any
    replies: list[Record]

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.replies if r.text]

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [c for r in self.replies for c in r.cards]


class BotClient:
    _ids = itertools.count(1)

    def __init__(
        self,
        base_url: str,
        connector: FakeConnector,
        session: aiohttp.ClientSession,
        settle: Callable[[], Awaitable[None]] | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.connector = connector
        self.session = session
        self.auth_header: str | None = None
        # The bot records people beside the turn; tests that read the store wait for it.
        self.settle = settle

    def personal_conversation(self, user: User) -> str:
        return f"a:personal-{user.channel_id}"

    def activity(
        self,
        kind: str,
        user: User,
        *,
        text: str | None = None,
        value: Any = None,
        name: str | None = None,
        locale: str = "en-US",
        conversation: dict[str, Any] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        activity: dict[str, Any] = {
            "type": kind,
            "id": f"in-{next(self._ids)}",
            "timestamp": "2026-11-21T09:00:00.000Z",
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": user.account,
            "recipient": BOT,
            "conversation": conversation
            or {
                "id": self.personal_conversation(user),
                "conversationType": "personal",
                "tenantId": TENANT,
            },
            "channelData": {"tenant": {"id": TENANT}},
            "locale": locale,
        }
        if text is not None:
            activity["text"] = text
        if value is not None:
            activity["value"] = value
        if name is not None:
            activity["name"] = name
        activity.update(extra)
        return activity

    async def post(self, activity: dict[str, Any] | bytes | str, **headers: str) -> Response:
        mark = self.connector.mark()
        body = activity if isinstance(activity, bytes | str) else None
        hdrs = {"Content-Type": "application/json", **headers}
        if self.auth_header:
            hdrs.setdefault("Authorization", self.auth_header)
        async with self.session.post(
            f"{self.base_url}/api/messages",
            json=None if body is not None else activity,
            data=body,
            headers=hdrs,
        ) as response:
            try:
                payload = await response.json(content_type=None)
            except ValueError:
                payload = await response.text()
        if self.settle is not None:
            await self.settle()
        return Response(response.status, payload, self.connector.since(mark))

    async def say(self, text: str, user: User = ALICE, *, locale: str = "en-US") -> Response:
        return await self.post(self.activity("message", user, text=text, locale=locale))

    async def submit(
        self, data: dict[str, Any], user: User = ALICE, *, locale: str = "en-US"
    ) -> Response:
        """An Action.Submit click: a message with `value`."""
        return await self.post(self.activity("message", user, value=data, locale=locale))

    async def execute(
        self,
        verb: str,
        data: dict[str, Any] | None = None,
        user: User = ALICE,
        *,
        locale: str = "en-US",
        trigger: str = "manual",
        conversation: dict[str, Any] | None = None,
    ) -> Response:
        """An Action.Execute click (or a card refresh with trigger='automatic')."""
        value = {
            "action": {"type": "Action.Execute", "verb": verb, "data": data or {}},
            "trigger": trigger,
        }
        return await self.post(
            self.activity(
                "invoke",
                user,
                name="adaptiveCard/action",
                value=value,
                locale=locale,
                conversation=conversation,
            )
        )

    async def install(self, user: User = ALICE, *, locale: str = "en-US") -> Response:
        """The bot added to a person's personal scope (what Teams sends on install)."""
        return await self.post(
            self.activity("conversationUpdate", user, locale=locale, membersAdded=[BOT])
        )

    async def install_in_team(self, team_id: str, channel_id: str, user: User = ALICE) -> Response:
        conversation = {"id": channel_id, "conversationType": "channel", "tenantId": TENANT}
        activity = self.activity(
            "conversationUpdate", user, conversation=conversation, membersAdded=[BOT]
        )
        activity["channelData"] = {
            "tenant": {"id": TENANT},
            "team": {"id": team_id, "name": "CoP team"},
            "channel": {"id": channel_id},
            "eventType": "teamMemberAdded",
        }
        return await self.post(activity)


def new_guid() -> str:
    return str(uuid.uuid4())
