"""Property: whatever arrives at /api/messages, the answer is never a 5xx and no handler crashes.

Hypothesis generates activities (well-formed, half-formed, hostile: forged card data for every
registered verb, control characters, markup, huge strings, wrong types). The server runs in a
thread of its own so the synchronous property test can drive it over real HTTP.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import random
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import structlog
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app as composition
from copbot.clock import FakeClock
from tests.conftest import IN_CI, make_settings
from tests.fakes.connector import FakeConnector
from tests.support.bot_client import ALICE, BOT, TENANT

# SQLite in memory-backed storage when the machine has it: thousands of turns, no fsync waits.
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


class ServerThread:
    def __init__(self, database: Path):
        self.database = database
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.components: composition.Components | None = None
        self.base_url = ""
        self.connector_url = ""
        self.session: aiohttp.ClientSession | None = None

    def start(self) -> ServerThread:
        threading.Thread(target=self._run, daemon=True).start()
        assert self.ready.wait(30), "the server thread did not start"
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        self.ready.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        self.connector = await FakeConnector().start()
        self.connector_url = self.connector.url
        settings = make_settings(DATABASE_URL=f"sqlite:///{self.database}")
        self.components = composition.build_components(settings, clock=FakeClock())
        self.runner = web.AppRunner(composition.create_web_app(self.components))
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        async def shutdown() -> None:
            if self.session is not None:
                await self.session.close()
            await self.runner.cleanup()
            await self.connector.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)

    def post(self, body: bytes, content_type: str = "application/json") -> int:
        """POST to the real route over HTTP, from a keep-alive session on the server's loop."""
        return asyncio.run_coroutine_threadsafe(self._post(body, content_type), self.loop).result(
            30
        )

    def post_many(self, bodies: list[bytes], concurrency: int = 16) -> list[int]:
        """POST many bodies, `concurrency` at a time (as Teams does under load)."""

        async def run() -> list[int]:
            limit = asyncio.Semaphore(concurrency)

            async def one(body: bytes) -> int:
                async with limit:
                    return await self._post(body, "application/json")

            return list(await asyncio.gather(*(one(body) for body in bodies)))

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(600)

    async def _post(self, body: bytes, content_type: str) -> int:
        if self.session is None:
            self.session = aiohttp.ClientSession()
        async with self.session.post(
            f"{self.base_url}/api/messages", data=body, headers={"Content-Type": content_type}
        ) as response:
            await response.read()
            return response.status


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    running = ServerThread(Path(tempfile.mkdtemp(dir=SCRATCH)) / "bot.sqlite3").start()
    yield running
    running.stop()


ID_ALPHABET = "ABCXYZabcxyz0189:_-"
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "join UBS",
            "tell me about <script>alert(1)</script>",
            "**bold** [link](http://evil) <at>x</at>",
            "\u0000\u0007\u202e\ufeff",
            "water and sanitation " * 200,
            "parle-moi de la CoP climat",
            "my communities",
            "leave CC",
        ]
    ),
)


def verbs(server: ServerThread) -> list[str]:
    assert server.components is not None
    return [*sorted(server.components.router._actions), "no-such-verb", ""]


@st.composite
def activities(draw: st.DrawFn, known_verbs: list[str], service_url: str) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            ["message", "invoke", "conversationUpdate", "installationUpdate", "event", "typing"]
        )
    )
    verb = draw(st.sampled_from(known_verbs))
    data = draw(
        st.dictionaries(
            st.sampled_from(
                [
                    *("cop", "role", "request_id", "id", "reason", "note", "occurrence"),
                    *("question", "late", "purpose", "confirmed", "new_primary", "x"),
                ]
            ),
            json_values | hostile_text,
            max_size=4,
        )
    )
    sender = draw(
        st.sampled_from(
            [ALICE.account, {"id": "29:anon"}, {"id": "29:x", "aadObjectId": "not-a-guid"}, {}]
        )
    )
    activity: dict[str, Any] = {
        "type": kind,
        # Activity ids come from the channel; ours are opaque but URL-safe, like Teams'.
        "id": draw(st.text(ID_ALPHABET, min_size=1, max_size=20)),
        "serviceUrl": service_url,
        "channelId": draw(st.sampled_from(["msteams", "webchat", ""])),
        "from": sender,
        "recipient": BOT,
        "conversation": draw(
            st.sampled_from(
                [
                    {"id": "a:personal", "conversationType": "personal", "tenantId": TENANT},
                    {"id": "19:chan@thread.tacv2", "conversationType": "channel"},
                    {"id": "g", "conversationType": "groupChat"},
                ]
            )
        ),
        "locale": draw(st.sampled_from(["en-US", "fr-FR", "es-ES", "xx", ""])),
    }
    if kind == "message":
        if draw(st.booleans()):
            activity["text"] = draw(hostile_text)
        else:
            activity["value"] = {"verb": verb, **data}
    elif kind == "invoke":
        activity["name"] = draw(st.sampled_from(["adaptiveCard/action", "task/fetch", "x"]))
        activity["value"] = draw(
            st.sampled_from(
                [
                    {"action": {"type": "Action.Execute", "verb": verb, "data": data}},
                    {
                        "action": {"type": "Action.Execute", "verb": verb, "data": data},
                        "trigger": "automatic",
                    },
                    {"action": None},
                    {},
                ]
            )
        )
    elif kind == "conversationUpdate":
        activity["membersAdded"] = draw(st.sampled_from([[BOT], [sender], []]))
    elif kind == "installationUpdate":
        activity["action"] = draw(st.sampled_from(["add", "remove", "weird"]))
    if draw(st.booleans()):
        # Teams' channelData, with fields of the wrong type (the SDK's Teams handler reads them)
        activity["channelData"] = draw(
            st.dictionaries(st.sampled_from(CHANNEL_DATA_KEYS), json_values, max_size=3)
        )
    if draw(st.booleans()):
        activity[
            draw(st.sampled_from(["text", "value", "attachments", "entities", "channelData"]))
        ] = draw(json_values)
    return activity


CHANNEL_DATA_KEYS = ["tenant", "team", "channel", "eventType", "notification", "settings"]


def crashes(logs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry for entry in logs if entry.get("event") == "turn.error"]


def remix(pool: list[dict[str, Any]], rng: random.Random) -> dict[str, Any]:
    """A new activity from generated ones: one's frame, others' parts (cheap, so thousands fit)."""
    activity = copy.deepcopy(rng.choice(pool))
    for part in ("from", "text", "value", "channelData", "locale", "membersAdded", "name"):
        donor = rng.choice(pool)
        if part in donor and rng.random() < 0.3:
            activity[part] = copy.deepcopy(donor[part])
    return activity


# CI runs the volume the issue asks for; a developer's run a tenth of it (FUZZ_REQUESTS overrides).
VOLUME = int(os.environ.get("FUZZ_REQUESTS") or (5000 if IN_CI else 500))


def test_no_generated_activity_gets_a_5xx_or_crashes_a_handler(server: ServerThread) -> None:
    """Hypothesis' activities, then thousands of remixes of them; no 5xx, no `turn.error`."""
    assert server.components is not None
    metrics = server.components.services.metrics
    pool: list[dict[str, Any]] = []

    @settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
    @given(activity=activities(verbs(server), server.connector_url))
    def property_holds(activity: dict[str, Any]) -> None:
        pool.append(activity)
        status = server.post(json.dumps(activity).encode())
        assert status < 500, activity

    with structlog.testing.capture_logs() as logs:
        property_holds()
        rng = random.Random(14)
        statuses = server.post_many(
            [json.dumps(remix(pool, rng)).encode() for _ in range(VOLUME - len(pool))]
        )
    assert len(pool) + len(statuses) >= VOLUME
    assert all(status < 500 for status in statuses), sorted(set(statuses))
    assert crashes(logs) == [], crashes(logs)[:3]
    errors = sum(
        sample.value
        for family in metrics.registry.collect()
        if family.name == "copbot_turn_errors"
        for sample in family.samples
        if sample.name.endswith("_total")
    )
    assert errors == 0, "a handler raised: see the turn.error log lines"
    assert server.post(b'{"type": "message"}') == 400  # still up and still strict


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_arbitrary_bytes_get_a_4xx_never_a_5xx(server: ServerThread, body: bytes) -> None:
    status = server.post(body)
    assert 400 <= status < 500 or status in (200, 201)
