"""A CoP Bot server process for fault tests: the real composition root (`app.build_components` +
`app.create_web_app`, served by aiohttp's `web.run_app`, stopped cleanly by SIGTERM), with the
seams a test needs that `copbot serve` does not offer (and must not: they stay here).

    python -m tests.support.test_server --port-file PATH [--port 0] [--graph-url URL]
        [--graph-timeout S] [--graph-retries N] [--graph-backoff S]
        [--clock 2026-12-09T07:00:00Z] [--outbox-interval S]
        [--outbox-base-delay S]

Settings come from the environment exactly as for `copbot serve` (DATABASE_URL,
CATALOG_OVERLAY_PATH, ADMIN_IDS, DIRECTORY_MODE=graph with GRAPH_CLIENT_ID and
MICROSOFT_APP_TENANT_ID, MEETINGS_TICK_SECONDS, LOG_FORMAT...). The test-only switches:

- `--graph-url`: the directory is a `GraphDirectory` on that URL (the Graph fake) with the
  production credential (`GraphCredential`, real azure-identity, built from the settings) whose
  token endpoint is a login double in this process (tests/support/login_double.py): tokens
  "entra-token-1", "-2"... with no network.
  `--graph-timeout` is the HTTP client's timeout (production: 30 s); `--graph-retries` and
  `--graph-backoff` shape its in-process retries (production: `graph.client.RetryPolicy()`).
- `--clock`: time starts at that instant and runs on with real time, so the schedulers and the
  leases behave as in production. `POST /_test/clock {"at": ISO}` moves it (a restart "later",
  a post falling due now); `GET /_test/clock` reads it.
- `--outbox-interval`: how often the outbox job runs (production: every 30 s; after a start it
  runs within 2 s anyway); `--outbox-base-delay`: the first retry backoff (production: 30 s).
- `--port 0` (the default) listens on a free port; `--port-file` receives {"port", "pid"} (written
  atomically) once the server accepts connections: migrations done, schedulers running.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from apscheduler.triggers.interval import IntervalTrigger

import app as composition
from scheduler.runner import Job

CLOCK_ROUTE = "/_test/clock"


class RunningClock:
    """Starts at a given instant and runs with real time; `set` jumps it."""

    def __init__(self, start: datetime) -> None:
        self.set(start)

    def now(self) -> datetime:
        return self._base + timedelta(seconds=time.monotonic() - self._started)

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self._base = when.astimezone(UTC)
        self._started = time.monotonic()


def parse_instant(value: str) -> datetime:
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give a time zone: {value!r}")
    return when


def graph_directory(settings: Any, args: argparse.Namespace) -> tuple[Any, Any]:
    """The directory on the Graph fake, and the production credential on a login double."""
    import tempfile

    from graph.client import RetryPolicy
    from graph.credential import GraphCredential
    from graph.directory import GraphDirectory
    from tests.support.login_double import LoginDouble

    retry = RetryPolicy()
    if args.graph_retries is not None:
        retry = dataclasses.replace(retry, max_retries=args.graph_retries)
    if args.graph_backoff is not None:
        retry = dataclasses.replace(retry, backoff_base=args.graph_backoff)
    config = dataclasses.replace(
        settings.graph_credential_config(), client_secret="fault-test-secret"
    )
    login = LoginDouble(
        config.client_id, config.client_secret, Path(tempfile.mkdtemp()), prefix="entra-token"
    ).start()  # lives as long as this process
    credential = GraphCredential(
        dataclasses.replace(config, authority_host=login.base),
        connection_verify=str(login.cert_path),
    )
    directory = GraphDirectory.create(
        credential, args.graph_url, retry=retry, timeout=args.graph_timeout
    )
    return directory, credential


def clock_routes(web_app: web.Application, clock: RunningClock) -> None:
    async def read(request: web.Request) -> web.Response:
        return web.json_response({"now": clock.now().isoformat()})

    async def move(request: web.Request) -> web.Response:
        body = await request.json()
        clock.set(parse_instant(str(body["at"])))
        return web.json_response({"now": clock.now().isoformat()})

    web_app.router.add_get(CLOCK_ROUTE, read)
    web_app.router.add_post(CLOCK_ROUTE, move)


def write_port_file(path: Path, port: int) -> None:
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps({"port": port, "pid": os.getpid()}))
    partial.replace(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", type=Path, required=True)
    parser.add_argument("--graph-url")
    parser.add_argument("--graph-timeout", type=float, default=30.0)
    parser.add_argument("--graph-retries", type=int)
    parser.add_argument("--graph-backoff", type=float)
    parser.add_argument("--clock", type=parse_instant)
    parser.add_argument("--outbox-interval", type=float)
    parser.add_argument("--outbox-base-delay", type=float)
    args = parser.parse_args(argv)

    settings = composition.load_settings()
    composition.configure_logging(settings)
    clock = RunningClock(args.clock) if args.clock else None
    directory, credential = graph_directory(settings, args) if args.graph_url else (None, None)
    components = composition.build_components(
        settings, clock=clock, directory=directory, graph_credential=credential
    )

    outbox = components.services.outbox
    if args.outbox_base_delay is not None:
        schedule = dataclasses.replace(outbox.policy.schedule, base=args.outbox_base_delay)
        outbox.policy = dataclasses.replace(outbox.policy, schedule=schedule)
    if args.outbox_interval is not None:  # replaces the feature's job of the same id
        components.runner.add(
            Job(
                "outbox",
                outbox.run_pending,
                IntervalTrigger(seconds=args.outbox_interval),
                misfire_grace_time=None,
            )
        )

    web_app = composition.create_web_app(components)
    if clock is not None:
        clock_routes(web_app, clock)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    port = sock.getsockname()[1]
    web.run_app(
        web_app,
        sock=sock,
        print=lambda _message: write_port_file(args.port_file, port),  # once it accepts
        access_log=None,
        shutdown_timeout=5,
    )


if __name__ == "__main__":
    main()
