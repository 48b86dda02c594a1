"""Real CoP Bot server processes for fault tests, and what the tests read and hold around them.

- `ServerPool.start(...)` runs `python -m tests.support.test_server` (the real composition root)
  on a free port, in Graph mode on the Graph fake, on this test's own PostgreSQL database; `kill()`
  is SIGKILL (nothing runs after it: no cleanup, no outbox close), `stop()` SIGTERM. The pool
  kills whatever is left when the test ends, by pid.
- `Pg`: plain asyncpg on the same database, to read rows and to *hold* them: a test takes a row
  lock (or inserts a conflicting row without committing) so that a server blocks at an exact
  statement, sees it waiting in pg_stat_activity, and kills it there.
- `copbot(...)`: the `copbot` command line on the same database, as an admin runs it.

Waiting is always polling a condition with a deadline (`eventually`), never a fixed sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import asyncpg
import yaml

from cards.approval import APPROVE
from tests.fakes.connector import FakeConnector, Record, card_text
from tests.fakes.graph_fake import GraphFake
from tests.support.bot_client import (
    ADD_PATH,
    ALICE,
    BRUNO,
    CARMEN,
    DANIEL,
    ERIN,
    GROUPS,
    TENANT,
    UBS,
    BotClient,
    User,
)

ROOT = Path(__file__).resolve().parents[2]
COPBOT = str(Path(sys.executable).parent / "copbot")
T = TypeVar("T")

FRANK = User("f6f6f6f6-0000-4000-8000-000000000006", "Frank Mwangi", "frank.mwangi@un.org")
TEAM = "19:ubs-team@thread.tacv2"
CHANNEL = "19:ubs-general@thread.tacv2"
# UBS meets on Wednesday 16 December 2026, 10:00 in Nairobi (07:00 UTC): announced a week before.
DEC = "UBS:0:2026-12-16T10:00"
ANNOUNCE_AT = datetime.fromisoformat("2026-12-09T07:00:00+00:00")
# Where the membership tests' clocks start: a quiet Tuesday morning.
MORNING = datetime.fromisoformat("2026-12-01T08:00:00+00:00")


# -- waiting ---------------------------------------------------------------------------------------


async def eventually(
    check: Callable[[], Awaitable[T] | T], what: str, timeout: float = 15.0, every: float = 0.05
) -> T:
    """Poll `check` until it returns something truthy; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for: {what}")
        await asyncio.sleep(every)


async def arrived(event: asyncio.Event, what: str, timeout: float = 15.0) -> None:
    try:
        await asyncio.wait_for(event.wait(), timeout)
    except TimeoutError:
        raise AssertionError(f"timed out after {timeout} s waiting for: {what}") from None


# -- the catalog these tests use -------------------------------------------------------------------


def focal(user: User) -> dict[str, str]:
    return {"name": user.name, "email": user.email, "aad_object_id": user.aad_id}


def write_overlay(path: Path) -> Path:
    """Every CoP has a Graph group. UBS: focal points Bruno and Carmen, a team channel for its
    meetings. PLG: Daniel alone. The others: Carmen."""
    communities: dict[str, Any] = {
        cop: {"graph_group_id": group, "focal_points": [focal(CARMEN)]}
        for cop, group in GROUPS.items()
    }
    communities["UBS"].update(
        focal_points=[focal(BRUNO), focal(CARMEN)], team_id=TEAM, channel_id=CHANNEL
    )
    communities["PLG"].update(focal_points=[focal(DANIEL)])
    path.write_text(yaml.safe_dump({"communities": communities}), encoding="utf-8")
    return path


def seed_graph(graph: GraphFake) -> None:
    graph.add_user(
        ALICE.name,
        id=ALICE.aad_id,
        mail=ALICE.email,
        job_title="Urban planner",
        office_location="Nairobi",
    )
    for user in (BRUNO, CARMEN, DANIEL, ERIN, FRANK):
        graph.add_user(user.name, id=user.aad_id, mail=user.email)
    for cop, group in GROUPS.items():
        graph.add_group(f"{cop} CoP", id=group)


# -- server processes ------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    process: asyncio.subprocess.Process
    port: int
    log_path: Path
    session: aiohttp.ClientSession

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    def client(self, connector: FakeConnector) -> BotClient:
        return BotClient(self.url, connector, self.session)

    async def kill(self) -> None:
        """SIGKILL: the process stops between two instructions; nothing of it runs after."""
        if self.alive:
            os.kill(self.pid, signal.SIGKILL)
        await asyncio.wait_for(self.process.wait(), 10)
        assert self.process.returncode == -signal.SIGKILL, self.process.returncode

    async def stop(self) -> None:
        if self.alive:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 15)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def events(self, name: str) -> list[dict[str, Any]]:
        """Its JSON log lines with this event name."""
        found = []
        for line in self.log().splitlines():
            if f'"{name}"' in line:
                with contextlib.suppress(ValueError):
                    found.append(json.loads(line))
        return [e for e in found if e.get("event") == name]

    async def clock(self) -> datetime:
        async with self.session.get(f"{self.url}/_test/clock") as r:
            assert r.status == 200, await r.text()
            return datetime.fromisoformat((await r.json())["now"])

    async def set_clock(self, when: datetime) -> None:
        async with self.session.post(f"{self.url}/_test/clock", json={"at": when.isoformat()}) as r:
            assert r.status == 200, await r.text()

    async def metric(self, name: str, **labels: str) -> float:
        async with self.session.get(f"{self.url}/metrics") as response:
            text = await response.text()
        wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
        prefix = f"{name}{{{wanted}}} " if labels else f"{name} "
        for line in text.splitlines():
            if line.startswith(prefix):
                return float(line.split()[-1])
        return 0.0


@dataclass
class ServerPool:
    """Starts server processes for one test; `close()` kills every one still running."""

    tmp_path: Path
    database_url: str
    graph: GraphFake
    overlay: Path
    session: aiohttp.ClientSession
    servers: list[Server] = field(default_factory=list)

    def env(self, **values: str) -> dict[str, str]:
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(self.tmp_path),
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.database_url,
            "CATALOG_PATH": str(ROOT / "catalog" / "communities.yaml"),
            "CATALOG_OVERLAY_PATH": str(self.overlay),
            "DIRECTORY_MODE": "graph",
            "GRAPH_CLIENT_ID": "11111111-2222-4333-8444-555555555555",
            "MICROSOFT_APP_TENANT_ID": TENANT,
            "ADMIN_IDS": ERIN.aad_id,
            "MEETINGS_TICK_SECONDS": "1",
            "RETENTION_DAYS": "0",
            # the directory sync has its own tests (tests/integration/test_directory_sync.py)
            "DIRECTORY_SYNC_HOURS": "0",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
        }
        env.update(values)
        return env

    async def start(
        self,
        name: str,
        *,
        clock: datetime = MORNING,
        outbox_interval: float = 0.5,
        outbox_base_delay: float = 0.5,
        graph_timeout: float = 10.0,
        graph_retries: int | None = None,
        graph_backoff: float | None = None,
        timeout: float = 30.0,
    ) -> Server:
        port_file = self.tmp_path / f"{name}.port"
        port_file.unlink(missing_ok=True)
        log_path = self.tmp_path / f"{name}.log"
        args = [
            "-m",
            "tests.support.test_server",
            "--port-file",
            str(port_file),
            "--graph-url",
            self.graph.base_url,
            "--graph-timeout",
            str(graph_timeout),
            "--clock",
            clock.isoformat(),
            "--outbox-interval",
            str(outbox_interval),
            "--outbox-base-delay",
            str(outbox_base_delay),
        ]
        if graph_retries is not None:
            args += ["--graph-retries", str(graph_retries)]
        if graph_backoff is not None:
            args += ["--graph-backoff", str(graph_backoff)]
        with log_path.open("ab") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                *args,
                cwd=self.tmp_path,
                env=self.env(),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        server = Server(name, process, 0, log_path, self.session)
        self.servers.append(server)

        def started() -> bool:
            if not server.alive:
                raise AssertionError(
                    f"server {name} exited ({process.returncode}):\n{server.log()[-4000:]}"
                )
            return port_file.exists()

        await eventually(started, f"server {name} to listen", timeout)
        server.port = json.loads(port_file.read_text())["port"]
        async with self.session.get(f"{server.url}/readyz") as response:
            assert response.status == 200, await response.text()
        return server

    async def close(self) -> None:
        for server in self.servers:
            if server.alive:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(server.pid, signal.SIGKILL)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(server.process.wait(), 10)

    def logs(self) -> str:
        return "\n".join(f"--- {s.name} (pid {s.pid}) ---\n{s.log()[-3000:]}" for s in self.servers)


# -- the database, read and held from the outside --------------------------------------------------


class Pg:
    """asyncpg on the test's database."""

    def __init__(self, url: str) -> None:
        self.url = url

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[asyncpg.Connection]:
        conn = await asyncpg.connect(self.url)
        for kind in ("json", "jsonb"):
            await conn.set_type_codec(
                kind, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
            )
        try:
            yield conn
        finally:
            await conn.close()

    async def rows(self, query: str, *args: Any) -> list[asyncpg.Record]:
        async with self.connection() as conn:
            return list(await conn.fetch(query, *args))

    async def row(self, query: str, *args: Any) -> asyncpg.Record | None:
        found = await self.rows(query, *args)
        return found[0] if found else None

    async def waiting_on_lock(self, statement: str) -> int:
        """Backends of this database blocked on a lock while running `statement...`."""
        async with self.connection() as conn:
            return int(
                await conn.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query ILIKE $1",
                    statement + "%",
                )
            )

    @contextlib.asynccontextmanager
    async def holding(self, statement: str, *args: Any) -> AsyncIterator[asyncpg.Connection]:
        """Runs `statement` (a SELECT ... FOR UPDATE, an INSERT) in a transaction kept open
        until the block ends, then rolled back: whoever needs those rows waits meanwhile."""
        async with self.connection() as conn:
            transaction = conn.transaction()
            await transaction.start()
            try:
                await conn.execute(statement, *args)
                yield conn
            finally:
                await transaction.rollback()

    # what the tests look at
    async def outbox(self, kind: str | None = None) -> list[asyncpg.Record]:
        if kind:
            return await self.rows("SELECT * FROM outbox WHERE kind = $1 ORDER BY id", kind)
        return await self.rows("SELECT * FROM outbox ORDER BY id")

    async def request(self) -> asyncpg.Record:
        [row] = await self.rows("SELECT * FROM join_requests")
        return row

    async def audit_actions(self) -> list[str]:
        return [r["action"] for r in await self.rows("SELECT action FROM audit_log ORDER BY id")]

    async def audit(self, action: str) -> list[asyncpg.Record]:
        return await self.rows("SELECT * FROM audit_log WHERE action = $1 ORDER BY id", action)


# -- the command line ------------------------------------------------------------------------------


async def copbot(pool: ServerPool, *args: str) -> str:
    """`copbot <args>` on the servers' database (local directory: a report needs no Graph)."""
    env = pool.env(DIRECTORY_MODE="local", LOG_LEVEL="WARNING")
    process = await asyncio.create_subprocess_exec(
        COPBOT,
        *args,
        env=env,
        cwd=pool.tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    text = out.decode()
    assert process.returncode == 0, text
    return text


# -- what people see -------------------------------------------------------------------------------


def chat_with(user: User) -> str:
    """The 1:1 chat the bot creates with a focal point (the fake names it after the member)."""
    return f"a:personal-{user.aad_id}"


def conversation(user: User) -> dict[str, str]:
    return {"id": chat_with(user), "conversationType": "personal", "tenantId": TENANT}


def approval_cards(connector: FakeConnector, user: User) -> list[Record]:
    return [
        r
        for r in connector.to_conversation(chat_with(user))
        if r.kind != "update" and r.cards and "Request to join" in card_text(r.card)
    ]


def card_updates(connector: FakeConnector, user: User) -> list[Record]:
    return [r for r in connector.to_conversation(chat_with(user)) if r.kind == "update" and r.cards]


def welcomes(connector: FakeConnector, user: User = ALICE) -> list[Record]:
    return [
        r
        for r in connector.to_conversation(f"a:personal-{user.channel_id}")
        if r.cards and "Welcome to" in card_text(r.card)
    ]


def channel_posts(connector: FakeConnector) -> list[Record]:
    return [
        r for r in connector.records if r.kind == "create" and r.conversation_id.startswith(CHANNEL)
    ]


def execute_data(card: dict[str, Any], verb: str = APPROVE) -> dict[str, Any]:
    """The data of the card's Action.Execute with this verb, as Teams sends it back."""
    stack: list[Any] = [card]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and node.get("verb") == verb:
                return dict(node["data"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError(f"no {verb} button on the card:\n{card_text(card)}")


def adds(graph: GraphFake) -> list[int | None]:
    return [r.status for r in graph.http_requests("POST", ADD_PATH)]


async def ask_to_join_ubs(
    client: BotClient, connector: FakeConnector, user: User = ALICE
) -> dict[str, Any]:
    """`user` asks to join UBS; both focal points get their card. Returns Bruno's card."""
    response = await client.say("join UBS as my primary: I run the water programme", user)
    assert response.texts and response.texts[0].startswith(f"Your request to join {UBS}"), (
        response.texts
    )
    await eventually(
        lambda: approval_cards(connector, BRUNO) and approval_cards(connector, CARMEN),
        "the focal points' approval cards",
    )
    return approval_cards(connector, BRUNO)[-1].card


async def approve(client: BotClient, card: dict[str, Any], user: User) -> str:
    """`user` clicks Approve (Action.Execute); returns what the card they clicked now says."""
    response = await client.execute(
        APPROVE, execute_data(card), user, conversation=conversation(user)
    )
    assert response.status == 200, response.body
    return card_text(response.body["value"])


async def requests_report(pool: ServerPool) -> list[str]:
    return [line.strip() for line in (await copbot(pool, "requests")).splitlines()]
