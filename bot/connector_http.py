"""Outbound Bot Framework calls on aiohttp instead of `requests` in a thread pool.

The connector client's msrest pipeline sends every reply with blocking `requests` through the
event loop's default executor: a thread hop per call, a new HTTP session per client, and a long
latency tail under load (docs/benchmarks.md). This pipeline keeps msrest's request building and
response parsing and sends with one shared aiohttp session (keep-alive, no threads). msrest's own
aiohttp sender drops headers and bodies, hence ours.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http.aiohttp import AioHttpClientResponse

from bot.sdk_versions import require
from copbot.work.policy import Backoff

require(__name__, "msrest", "botframework-connector")


TIMEOUT = aiohttp.ClientTimeout(total=30, connect=10)
# Retried only when nothing reached Teams (the connection could not be made): a post or reply that
# may have been delivered is never sent twice from here; the outbox and the meeting claims decide.
RETRIES = 2
CONNECT_BACKOFF = Backoff(base=0.5, cap=4.0)  # the one formula (copbot.work.policy), with jitter
TOKEN_REUSE_SECONDS = 20 * 60  # MSAL tokens live an hour or more; MSAL refreshes behind this


class SharedSession:
    """One aiohttp session for every connector client of the app, opened on first use."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    def get(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=TIMEOUT, connector=aiohttp.TCPConnector(limit=256, ttl_dns_cache=300)
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


class _HeaderHolder:
    """What AppCredentials.signed_session needs of a session: a `headers` mapping."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}


class BearerTokenPolicy(AsyncHTTPPolicy):
    """Adds the app's token. Getting it may call MSAL (blocking, network): done in a thread, and
    reused for a while (MSAL caches it too)."""

    def __init__(self, credentials: Any):
        super().__init__()
        self._credentials = credentials
        self._authorization: str | None = None
        self._fetched = float("-inf")

    async def _header(self) -> str | None:
        if time.monotonic() - self._fetched > TOKEN_REUSE_SECONDS:
            holder = _HeaderHolder()
            await asyncio.to_thread(self._credentials.signed_session, holder)
            self._authorization = holder.headers.get("Authorization")
            self._fetched = time.monotonic()
        return self._authorization

    async def send(self, request: Request, **kwargs: Any) -> Response:
        if self._credentials is not None:
            header = await self._header()
            if header:
                request.http_request.headers["Authorization"] = header
        assert self.next is not None, "a policy is always followed by the sender in a pipeline"
        return await self.next.send(request, **kwargs)


class _ClientResponse(AioHttpClientResponse):
    """msrest's aiohttp response raises ValueError for an empty body (b"" is falsy), so an empty
    503/504 from Teams would not become the ErrorResponseException the bot handles."""

    def body(self) -> bytes:
        return self._body or b""


class AiohttpSender(AsyncHTTPSender):
    def __init__(self, session: SharedSession):
        self._session = session

    async def __aenter__(self) -> AiohttpSender:
        return self

    async def __aexit__(self, *exc_details: Any) -> None:
        return None

    def build_context(self) -> None:
        return None

    async def send(self, request: Request, **config: Any) -> Response:
        http = request.http_request
        for attempt in range(RETRIES + 1):
            try:
                raw = await self._session.get().request(
                    http.method, http.url, headers=dict(http.headers), data=http.data
                )
                break
            except aiohttp.ClientConnectorError:  # no connection: nothing was sent
                if attempt == RETRIES:
                    raise
                await asyncio.sleep(CONNECT_BACKOFF.delay(attempt + 1))
        response = _ClientResponse(http, raw)
        await response.load_body()
        return Response(request, response)


def pipeline_type(session: SharedSession) -> type[AsyncPipeline]:
    """A pipeline class for BotFrameworkConnectorConfiguration(pipeline_type=...)."""

    class AiohttpBotFrameworkPipeline(AsyncPipeline):
        def __init__(self, config: Any):
            policies = [
                config.user_agent_policy,
                BearerTokenPolicy(config.credentials),
                RawDeserializer(),
                config.http_logger_policy,
            ]
            super().__init__(policies, AiohttpSender(session))

    return AiohttpBotFrameworkPipeline
