"""The HTTP app: routes (/api/messages, /healthz, /readyz, /metrics, the features' routes),
readiness, and what happens when the server starts and stops. `app.py` builds the `Components`."""

from __future__ import annotations

import asyncio
import gc
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import structlog
from aiohttp import web

from bot.activity_handler import CopBot
from bot.features import FEATURES
from bot.http_server import http_server_options
from bot.route import MAX_BODY_BYTES, InboundPolicy, MessagesEndpoint
from bot.router import Router
from copbot.catalog import Problem
from copbot.membership.sync_ports import SyncPorts
from copbot.services import Services
from copbot.store import DatabaseUnavailable
from scheduler.runner import JobRunner

if TYPE_CHECKING:
    from settings import Settings

log = structlog.get_logger("copbot.app")

__all__ = [
    "COMPONENTS",
    "Components",
    "close_components",
    "create_web_app",
    "healthz",
    "metrics_endpoint",
    "readyz",
]


class Closable(Protocol):
    async def close(self) -> None: ...


@dataclass
class Components:
    settings: Settings
    services: Services
    router: Router
    bot: CopBot
    adapter: Any
    runner: JobRunner
    catalog_problems: list[Problem] = field(default_factory=list)
    sync_ports: SyncPorts = field(default_factory=SyncPorts)
    graph_credential: Closable | None = None  # Graph mode: the one credential, closed last


COMPONENTS: web.AppKey[Components] = web.AppKey("components")


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "alive"})


async def readyz(request: web.Request) -> web.Response:
    components = request.app[COMPONENTS]
    services = components.services
    checks: dict[str, Any] = {"catalog": {"ok": True, "communities": len(services.catalog)}}
    try:
        await services.db.ping(timeout=3)
        checks["database"] = {"ok": True}
    except DatabaseUnavailable as exc:
        checks["database"] = {"ok": False, "reason": str(exc)}
    warnings = [str(p) for p in components.catalog_problems]
    # Features add checks: `async () -> (name, {"ok": bool, ...details}, [warnings])`.
    if checks["database"]["ok"]:
        for contribute in services.readiness:
            try:
                name, check, extra = await contribute()
            except Exception as exc:  # a feature's check must not break /readyz
                log.warning("readyz.check_failed", error=type(exc).__name__, exc_info=True)
                continue
            checks[name] = check
            warnings += extra
    ready = all(check["ok"] for check in checks.values())
    return web.json_response(
        {"status": "ready" if ready else "not ready", "checks": checks, "warnings": warnings},
        status=200 if ready else 503,
    )


async def metrics_endpoint(request: web.Request) -> web.Response:
    body = await request.app[COMPONENTS].services.metrics.render()
    return web.Response(
        body=body,
        content_type="text/plain",
        charset="utf-8",
        headers={"X-Content-Type-Options": "nosniff"},
    )


def create_web_app(components: Components, policy: InboundPolicy) -> web.Application:
    """The aiohttp app: /api/messages, /healthz, /readyz, /metrics and the features' routes."""
    app = web.Application(client_max_size=MAX_BODY_BYTES * 4, handler_args=http_server_options())
    app[COMPONENTS] = components
    endpoint = MessagesEndpoint(
        components.adapter,
        components.bot,
        authenticate_in_thread=not components.settings.local_mode,
        metrics=components.services.metrics,
        policy=policy,
    )
    app.router.add_post("/api/messages", endpoint)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_endpoint)
    for feature in FEATURES:
        feature.routes(app.router, components.services)
    app.on_startup.append(_startup)
    app.on_cleanup.append(_cleanup)
    return app


# Blocking work (the SDK's OpenID metadata fetch, file reads) runs in the loop's default
# executor; its default pool of min(32, cores + 4) threads would queue it up under load.
OUTBOUND_THREADS = 64


async def _startup(app: web.Application) -> None:
    components = app[COMPONENTS]
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=OUTBOUND_THREADS, thread_name_prefix="copbot-io")
    )
    await components.services.db.upgrade()
    components.runner.start()
    # Everything built so far (catalog, finder index) lives as long as the process: keep the
    # garbage collector from walking it on every collection.
    gc.freeze()
    log.info(
        "app.started",
        mode="local" if components.settings.local_mode else "production",
        directory=components.settings.directory_mode.value,
        database=components.services.db.safe_url,
        communities=len(components.services.catalog),
    )


async def _cleanup(app: web.Application) -> None:
    await close_components(app[COMPONENTS])
    log.info("app.stopped")


async def close_components(components: Components, *, started: bool = True) -> None:
    """Close what the components hold open (HTTP sessions of the connector and Graph, the
    outbox, the database): the server at shutdown, and each CLI command that built them
    (`started=False`: the scheduler never ran)."""
    await components.bot.settle()
    if started:
        components.runner.shutdown()
    await components.adapter.bot_framework_authentication.close()
    await components.services.outbox.close()  # let in-flight work finish
    close_directory = getattr(components.services.directory, "aclose", None)
    if close_directory is not None:
        await close_directory()
    await components.sync_ports.aclose()
    close_installer = getattr(
        getattr(components.services.notifier, "installer", None), "aclose", None
    )
    if close_installer is not None:
        await close_installer()
    if components.graph_credential is not None:
        await components.graph_credential.close()
    await components.services.db.dispose()
