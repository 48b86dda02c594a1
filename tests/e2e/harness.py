"""Drive the real Microsoft 365 Agents Playground from pytest, in headless Chromium.

Pieces (see tools/playground/NOTES.md for the evidence behind each choice):

- `PlaygroundServer`: one `agentsplayground` process (node) in a temp dir holding a generated
  `.m365agentsplayground.yml`, with an `ActivityProxy` in front of the bot (the Playground's
  `-e` endpoint is fixed at start, so the proxy lets each test point it at its own bot, rewrites
  the activity locale, and records every activity the bot received) and a websocket drain (the
  Playground buffers UI events while no page is connected and replays them to the next page:
  the drain keeps one client connected so a new page starts clean).
- `PlaygroundPage`: helpers over one browser page of the Playground UI.
- `launch_browser()`: Debian's Chromium through the Python playwright package, loopback only.
- `serve_app()`: run an aiohttp app (the bot under test) on a free 127.0.0.1 port.

Nothing here knows CoP Bot: a test gives the Playground its bot's endpoint URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from playwright.async_api import BrowserContext, Locator, Page, Route, async_playwright

from tools.playground.locale_proxy import ActivityProxy, ForwardedActivity
from tools.playground.playground_config import PlaygroundSetup, PlaygroundUser

REPO_ROOT = Path(__file__).resolve().parents[2]
PLAYGROUND_DIR = REPO_ROOT / "tools" / "playground"
PLAYGROUND_CLI = PLAYGROUND_DIR / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
CHROMIUM = Path(os.environ.get("COPBOT_E2E_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS_DIR = REPO_ROOT / "build" / "e2e-artifacts"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
    "--disable-dev-shm-usage",
    "--no-pings",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    # Belt and braces: no host name resolves except the loopback ones.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
DEFAULT_TIMEOUT_S = 15.0
# The first load builds the Playground UI (a large bundle): on a busy 2-core machine it can take longer
LOAD_TIMEOUT_S = 60.0
_POLL_S = 0.1


class HarnessError(AssertionError):
    """A page helper gave up; the message says what it saw."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def missing_prerequisites() -> list[str]:
    """What is missing to run the e2e tests here (empty when all is in place)."""
    missing = []
    if shutil.which("node") is None:
        missing.append("node (Node.js 20) is not on PATH")
    if not PLAYGROUND_CLI.exists():
        missing.append(f"{PLAYGROUND_CLI} is missing: run `npm ci --prefix tools/playground`")
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing: run `apt-get install -y chromium`")
    return missing


# ------------------------------------------------------------------------------------------------
# Bot under test
# ------------------------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def serve_app(app: web.Application, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve `app` on a free port of `host` in the running event loop; yields the base URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


def user_account(user: PlaygroundUser) -> dict[str, str]:
    """A Bot Framework ChannelAccount for `user`, as the Playground puts it in activities."""
    return {"id": user.id, "name": user.name, "aadObjectId": user.aad_object_id}


# ------------------------------------------------------------------------------------------------
# Playground process
# ------------------------------------------------------------------------------------------------
class UiStreamDrain:
    """Keeps one client on each Playground websocket and records the conversation stream.

    The Playground (BaseWebSocket) buffers every UI event while no client is connected and
    sends the whole buffer to the next one. With this drain connected nothing is buffered, so a
    page opened by a later test does not receive the previous test's late messages.
    """

    PATHS = ("/_ws_conversation/v1/conversations/stream", "/_ws/log/stream")

    def __init__(self, base_url: str) -> None:
        self._base = base_url
        self._lock = threading.Lock()
        self._events: list[dict] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping: asyncio.Event | None = None
        self._connected = threading.Event()

    @property
    def events(self) -> list[dict]:
        with self._lock:
            return list(self._events)

    def clear(self) -> None:
        with self._lock:
            self._events.clear()

    def start(self, timeout: float = 10.0) -> None:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._stopping = asyncio.Event()
            ready.set()
            try:
                loop.run_until_complete(self._main())
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="playground-ws-drain", daemon=True)
        self._thread.start()
        ready.wait(timeout)
        if not self._connected.wait(timeout):
            raise RuntimeError(f"could not connect to the Playground websockets at {self._base}")

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = self._loop = None

    async def _main(self) -> None:
        assert self._stopping is not None
        async with aiohttp.ClientSession() as session:
            pumps = [asyncio.create_task(self._pump(session, p)) for p in self.PATHS]
            await self._stopping.wait()
            for t in pumps:
                t.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)

    async def _pump(self, session: aiohttp.ClientSession, path: str) -> None:
        url = self._base.replace("http://", "ws://") + path
        record = path == self.PATHS[0]
        while True:
            try:
                async with session.ws_connect(url) as ws:
                    if record:
                        self._connected.set()
                    async for msg in ws:
                        if record and msg.type == aiohttp.WSMsgType.TEXT:
                            with contextlib.suppress(ValueError), self._lock:
                                self._events.append(json.loads(msg.data))
            except (aiohttp.ClientError, OSError):
                pass
            await asyncio.sleep(0.2)


class PlaygroundServer:
    """One Agents Playground process plus its activity proxy and websocket drain."""

    def __init__(self, setup: PlaygroundSetup, workdir: Path | str | None = None) -> None:
        self.setup = setup
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="copbot-playground-"))
        self.proxy = ActivityProxy(None, locale=setup.locale)
        self.port: int | None = None
        self.drain: UiStreamDrain | None = None
        self._proc: subprocess.Popen | None = None
        self._out: Any = None
        self.startup_seconds: float | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("Playground not started")
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "devTools" / "m365agentsplayground.log"

    @property
    def output_path(self) -> Path:
        return self.workdir / "playground.out"

    def start(self, timeout: float = 30.0) -> PlaygroundServer:
        t0 = time.monotonic()
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.setup.write(self.workdir)
        self.proxy.start()
        env = dict(os.environ)
        env.update(
            TEAMSAPPTESTER_BROWSER="none",
            M365_AGENTS_PLAYGROUND_CONFIG_PATH=str(config),
            M365_AGENTS_PLAYGROUND_LOGFILE=str(self.log_path),
            NO_PROXY="127.0.0.1,localhost,::1",
            no_proxy="127.0.0.1,localhost,::1",
        )
        if self.setup.timezone:
            env["TZ"] = self.setup.timezone  # becomes the activities' localTimezone
        cmd = [
            shutil.which("node") or "node",
            str(PLAYGROUND_CLI),
            "-e",
            self.proxy.url,
            "-c",
            "msteams",
            "-p",
            "0",  # any free port; the real one is read from "Listening on <port>"
            "--disable-telemetry",
        ]
        self._out = open(self.output_path, "wb")  # noqa: SIM115 - closed in stop()
        self._proc = subprocess.Popen(
            cmd,
            cwd=self.workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stop() kills the whole group
        )
        try:
            self.port = self._wait_listening(t0 + timeout)
            self._wait_ping(t0 + timeout)
            self.drain = UiStreamDrain(self.url)
            self.drain.start()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - t0
        return self

    def _wait_listening(self, deadline: float) -> int:
        while time.monotonic() < deadline:
            if self._proc is not None and self._proc.poll() is not None:
                raise RuntimeError(
                    f"Playground exited with {self._proc.returncode}:\n{self.logs()}"
                )
            m = re.search(r"Listening on (\d+)", self.output_path.read_text(errors="replace"))
            if m:
                return int(m.group(1))
            time.sleep(0.05)
        raise RuntimeError(f"Playground did not start listening in time:\n{self.logs()}")

    def _wait_ping(self, deadline: float) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                opener.open(self.url + "/_debug/ping", timeout=2) as r,
            ):
                if r.status == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"Playground /_debug/ping did not answer in time:\n{self.logs()}")

    def stop(self) -> None:
        if self.drain is not None:
            self.drain.stop()
            self.drain = None
        if self._proc is not None:
            if self._proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._proc.pid, signal.SIGTERM)
                try:
                    self._proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(self._proc.pid, signal.SIGKILL)
                    self._proc.wait(timeout=5)
            self._proc = None
        if self._out is not None:
            self._out.close()
            self._out = None
        self.proxy.stop()

    def logs(self, max_chars: int = 20000) -> str:
        """The Playground's stdout and log file (tail), for failure output."""
        parts = []
        for p in (self.output_path, self.log_path):
            if p.exists():
                text = p.read_text(errors="replace")
                parts.append(f"===== {p} =====\n{text[-max_chars:]}")
        return "\n".join(parts)

    # -- per-test state ------------------------------------------------------------------------
    def reset(self, locale: str | None = None) -> None:
        """Disconnect the bot, set the locale (default: the setup's) and clear the records."""
        self.proxy.target = None
        self.proxy.locale = locale or self.setup.locale
        self.proxy.clear()
        if self.drain is not None:
            self.drain.clear()

    def connect(self, bot_endpoint: str) -> None:
        """Send the Playground's activities to `bot_endpoint` (a base URL gets /api/messages)."""
        parts = urllib.parse.urlsplit(bot_endpoint)
        if parts.path in ("", "/"):
            bot_endpoint = bot_endpoint.rstrip("/") + "/api/messages"
        self.proxy.target = bot_endpoint

    @property
    def locale(self) -> str | None:
        return self.proxy.locale

    @locale.setter
    def locale(self, value: str | None) -> None:
        self.proxy.locale = value

    # -- what the bot received -----------------------------------------------------------------
    def received(self, type: str | None = None) -> list[dict]:
        """Activities forwarded to the bot so far (after the locale rewrite), oldest first."""
        return [
            r.activity
            for r in self.proxy.snapshot()
            if isinstance(r.activity, dict) and (type is None or r.activity.get("type") == type)
        ]

    async def wait_for_received(
        self,
        predicate: Callable[[dict], bool],
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        answered: bool = True,
        since: float = 0.0,
    ) -> dict:
        """Wait until the bot received (and, by default, answered) a matching activity."""
        deadline = time.monotonic() + timeout
        while True:
            for r in self.proxy.snapshot():
                if r.at < since or not isinstance(r.activity, dict):
                    continue
                if answered and not _answered(r):
                    continue
                if predicate(r.activity):
                    return r.activity
            if time.monotonic() > deadline:
                seen = [_summary(r.activity) for r in self.proxy.snapshot()]
                raise HarnessError(
                    f"no matching activity reached the bot in {timeout}s; got {seen}"
                )
            await asyncio.sleep(_POLL_S)

    @property
    def ui_events(self) -> list[dict]:
        """What the Playground pushed to its UI (createMessage, updateMessage...), oldest first."""
        return self.drain.events if self.drain else []

    # -- ids -----------------------------------------------------------------------------------
    @property
    def personal_chat_id(self) -> str:
        return self.setup.personal_chat()

    @property
    def group_chat_id(self) -> str:
        return self.setup.group_chat_id

    @property
    def team_id(self) -> str:
        return self.setup.team.id

    def channel_id(self, name: str) -> str:
        if name == "General":
            return self.setup.team.id
        for c in self.setup.team.channels:
            if c.name == name:
                return c.id
        raise KeyError(name)

    # -- internal API --------------------------------------------------------------------------
    async def _http(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        def call() -> tuple[int, bytes]:
            data = None if body is None else json.dumps(body).encode()
            req = urllib.request.Request(self.url + path, data=data, method=method)
            req.add_header("Content-Type", "application/json")
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            try:
                with opener.open(req, timeout=30) as r:
                    return r.status, r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.read()

        return await asyncio.to_thread(call)

    async def activity_template(self, type: str | None, conversation_id: str | None = None) -> dict:
        """The Playground's own template for a custom activity.

        `type`: install, uninstall, userAdded, userRemoved, botAdded, botRemoved, channelCreated,
        channelRenamed, channelDeleted, teamRenamed, teamDeleted, sendEmail, mentionInWord, or
        None for a bare activity. Conversation defaults to the personal chat.
        """
        q = {"conversationId": conversation_id or self.personal_chat_id}
        if type:
            q["type"] = type
        status, body = await self._http(
            "GET", "/_internal/v1/customActivities/template?" + urllib.parse.urlencode(q)
        )
        if status != 200:
            raise HarnessError(f"template {q}: HTTP {status} {body[:500]!r}")
        return json.loads(body)

    async def inject_activity(self, activity: dict) -> None:
        """POST /_internal/v1/customActivities: the Playground sends `activity` to the bot as is.

        It answers 200 before it calls the bot; use `wait_for_received` to wait for the bot.
        """
        status, body = await self._http("POST", "/_internal/v1/customActivities", activity)
        if status != 200:
            raise HarnessError(f"customActivities: HTTP {status} {body[:500]!r}")

    async def inject_event(
        self, type: str, conversation_id: str | None = None, **overrides: Any
    ) -> dict:
        """Template + shallow overrides + inject; waits until the bot answered it. Returns it."""
        activity = await self.activity_template(type, conversation_id)
        activity.update(overrides)
        activity.setdefault("id", f"e2e-{time.time_ns()}")
        since = time.time()
        await self.inject_activity(activity)
        await self.wait_for_received(lambda a: a.get("id") == activity["id"], since=since - 1)
        return activity

    async def inject_message(
        self,
        text: str,
        *,
        user: PlaygroundUser | None = None,
        conversation_id: str | None = None,
        mention_bot: bool = False,
        **overrides: Any,
    ) -> dict:
        """A message from `user` (default: the current user) as if typed in a conversation
        (default: the personal chat), sent by the Playground to the bot. The bot's replies show
        in the UI if a page has that conversation open. Waits until the bot answered."""
        activity = await self.activity_template(None, conversation_id)
        bot = self.setup.bot
        if mention_bot:
            text = f"<at>{bot.name}</at> {text}"
        activity.update(
            type="message",
            text=text,
            textFormat="plain",
            locale=self.locale or "en-US",
            id=f"e2e-{time.time_ns()}",
        )
        activity["channelData"] = {"tenant": {"id": self.setup.tenant_id}}
        if user is not None:
            activity["from"] = user_account(user)
        if mention_bot:
            activity["entities"] = [
                {
                    "type": "mention",
                    "text": f"<at>{bot.name}</at>",
                    "mentioned": {"id": bot.id, "name": bot.name},
                }
            ]
        activity.update(overrides)
        since = time.time()
        await self.inject_activity(activity)
        await self.wait_for_received(lambda a: a.get("id") == activity["id"], since=since - 1)
        return activity

    async def trigger_installation(self, conversation_id: str | None = None) -> None:
        """What the UI does on the first visit of a conversation: POST
        /_debug/conversation/<id>/installation (installationUpdate add + conversationUpdate)."""
        cid = conversation_id or self.personal_chat_id
        status, body = await self._http(
            "POST", f"/_debug/conversation/{urllib.parse.quote(cid, safe='')}/installation", {}
        )
        if status != 200:
            raise HarnessError(f"installation of {cid}: HTTP {status} {body[:300]!r}")


def _answered(r: ForwardedActivity) -> bool:
    return r.status is not None or bool(r.body)


def _summary(a: Any) -> str:
    if not isinstance(a, dict):
        return repr(a)[:80]
    conv = (a.get("conversation") or {}).get("id")
    what = a.get("name") or a.get("text") or a.get("action") or ""
    return f"{a.get('type')}:{str(what)[:40]}@{conv}"


class PlaygroundPool:
    """Session-wide Playground processes, one per distinct setup (locale excluded: per test)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._servers: dict[PlaygroundSetup, PlaygroundServer] = {}

    def get(self, setup: PlaygroundSetup) -> PlaygroundServer:
        key = dataclasses.replace(setup, locale="en-US")
        pg = self._servers.get(key)
        if pg is None:
            pg = PlaygroundServer(key, self.root / f"playground-{len(self._servers)}").start()
            self._servers[key] = pg
        pg.reset(locale=setup.locale)
        return pg

    def stop_all(self) -> None:
        for pg in self._servers.values():
            pg.stop()
        self._servers.clear()


# ------------------------------------------------------------------------------------------------
# Browser
# ------------------------------------------------------------------------------------------------
async def _only_loopback(route: Route) -> None:
    host = urllib.parse.urlsplit(route.request.url).hostname or ""
    if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
        await route.continue_()
    else:
        await route.abort()  # e.g. the UI asks a CDN for Segoe UI fonts


@contextlib.asynccontextmanager
async def launch_browser(*, headless: bool = True) -> AsyncIterator[BrowserContext]:
    """Headless Debian Chromium with a fresh profile; every non-loopback request is aborted."""
    profile = tempfile.mkdtemp(prefix="copbot-chromium-")
    try:
        async with async_playwright() as pw:
            context = await pw.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=headless,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900},
                locale="en-US",
                service_workers="block",
            )
            await context.route("**/*", _only_loopback)
            try:
                yield context
            finally:
                await context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


# ------------------------------------------------------------------------------------------------
# Page helpers
# ------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class ChatMessage:
    """One message as the UI shows it. `author` is None for the current user's own messages
    in a chat (the Playground does not label them)."""

    author: str | None
    text: str
    is_bot: bool
    kind: str  # "chat" (personal/group chat), "post" (channel thread root), "reply"
    cards: list[str]
    fresh: bool  # new or changed since the last action of the page helpers
    ref: int  # data-e2e-msg attribute value


# Collects the messages of the conversation on screen. Every message of the Playground UI has one
# "Show more information" button: in a chat it sits in [aria-label="Message header"], in a channel
# in the post's .fui-CardHeader or in a reply's header row. Tags messages and top-level Adaptive
# Cards with data-e2e-msg / data-e2e-card so that Python can build locators for them.
_SNAPSHOT_JS = r"""
([botName, mark]) => {
  window.__e2eSeq = window.__e2eSeq || 0;
  const items = [];
  for (const btn of document.querySelectorAll('button[aria-label="Show more information"]')) {
    if (btn.closest('[role="tree"]')) continue;
    let el, header, author = null, kind;
    const chatHeader = btn.closest('[aria-label="Message header"]');
    if (chatHeader) {
      kind = 'chat'; header = chatHeader; el = chatHeader.parentElement;
      const a = chatHeader.querySelector('[aria-label="Message author"]');
      author = a ? a.innerText.trim() : null;
    } else if (btn.closest('.fui-CardHeader')) {
      kind = 'post'; header = btn.closest('.fui-CardHeader');
      el = header.closest('.fui-Card') || header.parentElement;
      const s = header.querySelector('span.fui-Text'); author = s ? s.innerText.trim() : null;
    } else {
      kind = 'reply'; header = btn.parentElement && btn.parentElement.parentElement;
      el = header && header.parentElement;
      if (!el) continue;
      const s = header.querySelector('span.fui-Text'); author = s ? s.innerText.trim() : null;
    }
    items.push({el, header, author, kind});
  }
  const els = items.map(i => i.el);
  const out = [];
  for (const it of items) {
    const {el, header} = it;
    if (!el.dataset.e2eMsg) el.dataset.e2eMsg = String(++window.__e2eSeq);
    const nestedInside = c => els.some(o => o !== el && c.contains(o));
    const parts = [];
    for (const c of el.children) {
      if (c === header || c.contains(header) || nestedInside(c)) continue;
      if (c.classList && c.classList.contains('fui-CardFooter')) continue;
      parts.push(c.innerText);
    }
    const text = parts.join('\n').replace(/\n{3,}/g, '\n\n').trim();
    const cards = [];
    for (const card of el.querySelectorAll('.ac-adaptiveCard')) {
      if (card.parentElement.closest('.ac-adaptiveCard')) continue;
      if (els.some(o => o !== el && el.contains(o) && o.contains(card))) continue;
      if (!card.dataset.e2eCard) card.dataset.e2eCard = String(++window.__e2eSeq);
      cards.push({ref: card.dataset.e2eCard, text: card.innerText.trim()});
    }
    const signature = text;
    const fresh = el.dataset.e2eMark !== signature;
    if (mark) el.dataset.e2eMark = signature;
    out.push({author: it.author, text, isBot: it.author === botName, kind: it.kind,
              cards, fresh, ref: Number(el.dataset.e2eMsg)});
  }
  return out;
}
"""


@dataclasses.dataclass
class _Card:
    ref: str
    text: str
    message: ChatMessage


class PlaygroundPage:
    """One browser page on a PlaygroundServer.

    Messages count as "fresh" when they appeared or changed after the last helper action
    (`open_*`, `send_message`, `post_in_channel`, `reply_in_thread`, `click_card_button`, or an
    explicit `mark()`); the `wait_for_*` helpers look at fresh messages unless `fresh=False`.
    """

    def __init__(self, page: Page, server: PlaygroundServer) -> None:
        self.page = page
        self.server = server
        self.console: list[str] = []
        self._loaded = False
        self._visited: set[str] = set()
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    @classmethod
    async def create(cls, context: BrowserContext, server: PlaygroundServer) -> PlaygroundPage:
        page = await context.new_page()
        page.set_default_timeout(DEFAULT_TIMEOUT_S * 1000)
        return cls(page, server)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.page.close()

    @property
    def bot_name(self) -> str:
        return self.server.setup.bot.name

    # -- navigation ----------------------------------------------------------------------------
    async def load(self) -> None:
        """Open the Playground UI (once). The UI selects the personal chat by itself."""
        if self._loaded:
            return
        await self.page.goto(self.server.url + "/", timeout=LOAD_TIMEOUT_S * 1000)
        await self.page.get_by_role("treeitem", name="Personal Chat").wait_for(
            timeout=LOAD_TIMEOUT_S * 1000
        )
        self._loaded = True

    async def _select(self, treeitem: str, conversation_id: str, *, wait_install: bool) -> None:
        since = time.time()
        await self.load()
        await self.mark()
        await self.page.get_by_role("treeitem", name=treeitem, exact=True).click()
        # On the first visit per page the UI POSTs /_debug/conversation/<id>/installation: the
        # Playground then sends installationUpdate (add) and conversationUpdate (membersAdded).
        if wait_install and conversation_id not in self._visited:
            for event in ("installationUpdate", "conversationUpdate"):  # sent concurrently
                await self.server.wait_for_received(
                    lambda a, event=event: (
                        a.get("type") == event
                        and (a.get("conversation") or {}).get("id") == conversation_id
                    ),
                    since=since - 1,
                )
        self._visited.add(conversation_id)

    async def open_personal_chat(self, *, wait_install: bool = True) -> PlaygroundPage:
        """Show the 1:1 chat with the bot; waits until the bot answered the install events."""
        await self._select("Personal Chat", self.server.personal_chat_id, wait_install=wait_install)
        await self._composer().wait_for()
        return self

    async def open_group_chat(self, *, wait_install: bool = True) -> PlaygroundPage:
        setup = self.server.setup
        await self._select(setup.group_chat_name, setup.group_chat_id, wait_install=wait_install)
        await self._composer().wait_for()
        return self

    async def open_channel(
        self, channel: str = "General", *, wait_install: bool = True
    ) -> PlaygroundPage:
        """Show a channel of the team (tree item "<team> - <channel>")."""
        team = self.server.setup.team
        # The Playground installs the bot per team: the event's conversation is the team id.
        await self._select(f"{team.name} - {channel}", team.id, wait_install=wait_install)
        await self._new_post_editor().wait_for()
        return self

    # -- composing -----------------------------------------------------------------------------
    def _composer(self) -> Locator:
        return self.page.locator('[data-lexical-editor="true"]').last

    def _new_post_editor(self) -> Locator:
        return self.page.locator(
            'div:has(> span:text-is("Start a new post")) > [data-lexical-editor="true"]'
        )

    async def _type(self, editor: Locator, text: str, *, mention: bool) -> None:
        await editor.click()
        if mention:
            first_word = self.bot_name.split()[0]
            await self.page.keyboard.type("@" + first_word)
            # The item's accessible name repeats the name (avatar label + text): not exact.
            item = self.page.locator("#typeahead-menu").get_by_role("menuitem", name=self.bot_name)
            await item.first.click()
            text = " " + text
        await self.page.keyboard.type(text)

    async def send_message(self, text: str, *, mention: bool = False) -> None:
        """Type `text` in the chat's compose box and press Send (mention: @bot first)."""
        await self.mark()
        await self._type(self._composer(), text, mention=mention)
        await self.page.get_by_role("button", name="Send Message").last.click()

    async def post_in_channel(
        self, text: str, *, channel: str | None = None, mention: bool = True
    ) -> None:
        """Start a new post in a channel. Posts reach the bot only when they @mention it."""
        if channel is not None:
            await self.open_channel(channel)
        await self.mark()
        await self._type(self._new_post_editor(), text, mention=mention)
        await self.page.get_by_role("button", name="Post", exact=True).click()

    async def reply_in_thread(self, post_contains: str, text: str, *, mention: bool = True) -> None:
        """Reply in the channel thread whose root post contains `post_contains`."""
        msgs = await self.messages()
        roots = [m for m in msgs if m.kind == "post" and post_contains in m.text]
        if not roots:
            raise HarnessError(f"no channel post containing {post_contains!r}; saw {msgs}")
        post = self.page.locator(f'[data-e2e-msg="{roots[-1].ref}"]')
        await self.mark()
        await self._type(post.locator('[data-lexical-editor="true"]'), text, mention=mention)
        await post.get_by_role("button", name="Send Message").click()

    # -- reading -------------------------------------------------------------------------------
    async def mark(self) -> None:
        """From now on, only new or changed messages are fresh."""
        if self._loaded:
            await self.page.evaluate(_SNAPSHOT_JS, [self.bot_name, True])

    async def _snapshot(self) -> list[dict]:
        return await self.page.evaluate(_SNAPSHOT_JS, [self.bot_name, False])

    @staticmethod
    def _message(m: dict) -> ChatMessage:
        return ChatMessage(
            author=m["author"],
            text=m["text"],
            is_bot=m["isBot"],
            kind=m["kind"],
            cards=[c["text"] for c in m["cards"]],
            fresh=m["fresh"],
            ref=m["ref"],
        )

    async def messages(self, last: int | None = None) -> list[ChatMessage]:
        """The messages of the conversation on screen, oldest first (the last `last` ones)."""
        msgs = [self._message(m) for m in await self._snapshot()]
        return msgs[-last:] if last else msgs

    async def _cards(self, *, fresh: bool) -> list[_Card]:
        out = []
        for raw in await self._snapshot():
            m = self._message(raw)
            if fresh and not m.fresh:
                continue
            out.extend(_Card(c["ref"], c["text"], m) for c in raw["cards"])
        return out

    async def wait_for_bot_message(
        self,
        contains: str | re.Pattern[str],
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        fresh: bool = True,
    ) -> str:
        """Wait for a message from the bot whose text contains `contains` (str or regex);
        returns its text (a card's text included)."""
        deadline = time.monotonic() + timeout
        while True:
            msgs = await self.messages()
            for m in reversed(msgs):
                if m.is_bot and (m.fresh or not fresh) and _matches(contains, m.text):
                    return m.text
            if time.monotonic() > deadline:
                raise HarnessError(
                    f"no {'fresh ' if fresh else ''}bot message containing {contains!r} in "
                    f"{timeout}s; on screen: {_describe(msgs)}"
                )
            await asyncio.sleep(_POLL_S)

    async def wait_for_card(
        self,
        contains: str | re.Pattern[str],
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        fresh: bool = True,
    ) -> Locator:
        """Wait for an Adaptive Card whose text contains `contains`; returns its locator."""
        deadline = time.monotonic() + timeout
        while True:
            cards = await self._cards(fresh=fresh)
            for c in reversed(cards):
                if _matches(contains, c.text):
                    return self.page.locator(f'[data-e2e-card="{c.ref}"]')
            if time.monotonic() > deadline:
                raise HarnessError(
                    f"no {'fresh ' if fresh else ''}Adaptive Card containing {contains!r} in "
                    f"{timeout}s; cards on screen: {[c.text for c in cards]}; "
                    f"messages: {_describe(await self.messages())}"
                )
            await asyncio.sleep(_POLL_S)

    async def _find_card(self, card_contains: str | None, has: Callable[[Locator], Any]) -> Locator:
        cards = await self._cards(fresh=False)
        for c in reversed(cards):
            if card_contains is not None and not _matches(card_contains, c.text):
                continue
            loc = self.page.locator(f'[data-e2e-card="{c.ref}"]')
            found = await has(loc)
            if found is not None:
                return found
        raise HarnessError(
            f"no card{f' containing {card_contains!r}' if card_contains else ''} with that "
            f"element; cards on screen: {[c.text for c in cards]}"
        )

    async def click_card_button(self, title: str, *, card_contains: str | None = None) -> None:
        """Click the action button `title` of the latest card that has one (Action.Submit,
        Action.Execute, Action.ShowCard...). Limit the search with `card_contains`."""

        async def has(card: Locator) -> Locator | None:
            b = card.get_by_role("button", name=title, exact=True)
            return b.last if await b.count() else None

        button = await self._find_card(card_contains, has)
        await self.mark()
        await button.click()

    async def _input(self, label: str, card_contains: str | None) -> Locator:
        async def has(card: Locator) -> Locator | None:
            for loc in (
                card.get_by_role("textbox", name=label, exact=True),
                card.get_by_role("spinbutton", name=label, exact=True),
                card.get_by_role("combobox", name=label, exact=True),
                card.get_by_placeholder(label, exact=True),
                card.get_by_role("textbox", name=label),
                card.get_by_role("combobox", name=label),
                card.get_by_label(label),
            ):
                if await loc.count():
                    return loc.first
            return None

        return await self._find_card(card_contains, has)

    async def fill_card_input(
        self, label: str, value: str, *, card_contains: str | None = None
    ) -> None:
        """Fill the card input whose label (or placeholder) is `label`, as a person does.

        The field is focused by a click first: without it the Playground's card renderer misses
        a value set by Playwright's `fill()` on the first input of a page."""
        field = await self._input(label, card_contains)
        if await field.get_attribute("role") != "combobox":  # a click opens a date picker's popup
            await field.click()
        await field.fill(value)

    async def select_card_choice(
        self, label: str, choice: str, *, card_contains: str | None = None
    ) -> None:
        """Pick `choice` (its title) in an Input.ChoiceSet: compact (combobox, multi-select
        too: call once per choice) or expanded (radio buttons / checkboxes); also ticks an
        Input.Toggle whose title is `choice`."""

        async def has(card: Locator) -> Locator | None:
            for role in ("radio", "checkbox"):
                loc = card.get_by_role(role, name=choice, exact=True)
                if await loc.count():
                    return loc.first
            combo = card.get_by_role("combobox", name=label)
            return combo.first if await combo.count() else None

        target = await self._find_card(card_contains, has)
        if await target.get_attribute("role") == "combobox":
            await target.click()
            # single choice: listbox options; isMultiSelect: a menu of checkboxes (stays open)
            option = self.page.get_by_role("option", name=choice, exact=True)
            checkbox = self.page.get_by_role("menuitemcheckbox", name=choice, exact=True)
            await option.or_(checkbox).first.click()
            if await checkbox.count():
                await self.page.keyboard.press("Escape")
        else:
            await target.check()

    # -- failure output ------------------------------------------------------------------------
    async def save_artifacts(self, name: str, directory: Path = ARTIFACTS_DIR) -> list[Path]:
        """Screenshot, page text and HTML, console, Playground log and what the bot received."""
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150] or "page"
        out = directory / safe
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        with contextlib.suppress(Exception):
            p = out / "screenshot.png"
            await self.page.screenshot(path=str(p), full_page=True, timeout=10000)
            paths.append(p)
        with contextlib.suppress(Exception):
            p = out / "page.txt"
            p.write_text(await self.page.inner_text("body", timeout=5000))
            paths.append(p)
        with contextlib.suppress(Exception):
            p = out / "page.html"
            p.write_text(await self.page.content())
            paths.append(p)
        p = out / "console.txt"
        p.write_text("\n".join(self.console))
        paths.append(p)
        p = out / "playground.log"
        p.write_text(self.server.logs(max_chars=2_000_000))
        paths.append(p)
        p = out / "bot-received.json"
        records = [
            {"activity": r.activity, "status": r.status, "body": r.body.decode(errors="replace")}
            for r in self.server.proxy.snapshot()
        ]
        p.write_text(json.dumps(records, indent=1, ensure_ascii=False))
        paths.append(p)
        p = out / "ui-events.json"
        p.write_text(json.dumps(self.server.ui_events, indent=1, ensure_ascii=False))
        paths.append(p)
        return paths


def _matches(needle: str | re.Pattern[str], text: str) -> bool:
    if isinstance(needle, re.Pattern):
        return needle.search(text) is not None
    return needle in text


def _describe(msgs: Iterable[ChatMessage]) -> list[str]:
    return [f"{'*' if m.fresh else ''}{m.author or 'me'}: {m.text[:120]!r}" for m in msgs]
