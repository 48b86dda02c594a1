"""Building a msgraph-sdk ``GraphServiceClient`` we can point anywhere, with a bounded retry policy.

Why not ``GraphServiceClient(credentials=...)``: that default pipeline talks only to
graph.microsoft.com, authenticates *every* host (kiota's provider gets an empty allowed-hosts
list), and its RetryHandler sleeps for whatever ``Retry-After`` Graph sends (up to 180 s) inside
our request. Here the allowed host is exactly the base URL's host, the token scope is explicit,
and retries are capped so that a long outage surfaces quickly as ``DirectoryUnavailable`` and the
caller's outbox tries again later.

A 401 to a token we sent (Graph: ``InvalidAuthenticationToken``, e.g. a token revoked or expired
before the time Entra gave it) is answered once: the credential is asked for a token newer than
that one (``RenewingRequestAdapter``) and the request is sent again. A second 401 is a
configuration problem and surfaces as such.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
import inspect
import json
import math
import re
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx
import structlog
from kiota_abstractions.request_information import RequestInformation
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from kiota_http.kiota_client_factory import KiotaClientFactory
from kiota_http.middleware import RetryHandler
from kiota_http.middleware.options import RetryHandlerOption
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.graph_request_adapter import options as MSGRAPH_DEFAULT_OPTIONS
from msgraph_core import GraphClientFactory
from msgraph_core.middleware import GraphTelemetryHandler
from msgraph_core.middleware.options import GraphTelemetryHandlerOption

from copbot.work.policy import backoff

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.core.credentials_async import AsyncTokenCredential

log = structlog.get_logger(__name__)

DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
RETRY_STATUSES = frozenset({429, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long one Graph call may keep trying in-process before it gives up.

    ``max_retries`` retries after the first attempt, for 429/503/504 (every method: Graph's own
    advice for throttling). Before each retry we wait ``Retry-After`` when Graph sends it, else
    the one backoff of CoP Bot (``copbot.work.policy.backoff``): ``backoff_base * 2**n``, plus up
    to ``backoff_jitter`` of that at random, at most ``max_wait``. A wait longer than ``max_wait``
    is not waited: the call fails at once with ``DirectoryUnavailable(retry_after=...)`` so the
    outbox (which persists) does the waiting instead of a coroutine (which does not). Worst case
    in-process sleeping is therefore ``max_retries * max_wait``.
    """

    max_retries: int = 3
    max_wait: float = 10.0
    backoff_base: float = 0.5
    backoff_jitter: float = 0.5  # a fraction of the delay (copbot.work.policy.backoff)

    def __post_init__(self) -> None:
        if not 0 <= self.max_retries <= RetryHandlerOption.MAX_MAX_RETRIES:
            raise ValueError(f"max_retries must be 0..{RetryHandlerOption.MAX_MAX_RETRIES}")
        if not 0 <= self.max_wait < RetryHandlerOption.MAX_DELAY:
            raise ValueError(f"max_wait must be 0..{RetryHandlerOption.MAX_DELAY} seconds")
        if self.backoff_base < 0 or self.backoff_jitter < 0:
            raise ValueError("backoff values must not be negative")

    def backoff(self, attempt: int) -> float:
        """Delay before retry number ``attempt + 1`` when Graph gave no ``Retry-After``."""
        return backoff(
            attempt + 1, base=self.backoff_base, cap=self.max_wait, jitter=self.backoff_jitter
        )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date); None if absent/invalid.

    Graph sends whole seconds; fractions are accepted too (the test fake uses them).
    """
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+,\d+", value):  # seen from some proxies: "10,10"
        value = value.split(",")[0]
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - dt.datetime.now(dt.UTC)).total_seconds()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


class BoundedRetryHandler(RetryHandler):
    """kiota's RetryHandler with our policy: honours ``Retry-After`` but never beyond ``max_wait``.

    The base class decides *whether* to retry (status, method, attempt count) and sleeps; we only
    decide *how long*. Returning a delay of ``RetryHandlerOption.MAX_DELAY`` or more makes the
    base class stop retrying and hand the 429/503 back to the caller.
    """

    _GIVE_UP = math.inf

    def __init__(self, policy: RetryPolicy) -> None:
        super().__init__(
            RetryHandlerOption(
                delay=0.0, max_retries=policy.max_retries, should_retry=policy.max_retries > 0
            )
        )
        self.policy = policy
        self.retry_on_status_codes = set(RETRY_STATUSES)

    def get_delay_time(
        self,
        retry_count: int,
        response: httpx.Response | None = None,
        delay: float = 0.0,
    ) -> float:
        retry_after = parse_retry_after(response.headers.get("Retry-After")) if response else None
        if retry_after is not None:
            return retry_after if retry_after <= self.policy.max_wait else self._GIVE_UP
        return self.policy.backoff(retry_count)


class RenewingRequestAdapter(GraphRequestAdapter):
    """msgraph's request adapter, plus one retry with a newer token when Graph answers a plain
    401 to a token we sent.

    kiota already retries a 401 carrying a CAE claims challenge; a plain 401
    ``InvalidAuthenticationToken`` (a token revoked, or expired early) would otherwise fail every
    call until the cached token reaches its own expiry. Here the credential is asked, once per
    refused token however many requests it failed, for a token not before now: the claims request
    Graph's own CAE challenge makes
    (https://learn.microsoft.com/entra/identity-platform/claims-challenge). azure-identity skips its
    cache for it and caches the new token, so the request, authenticated again, carries it and is
    sent once more. Requests sent without a token (a host outside the allowed list), a credential
    that hands back the same token, and second 401s are returned as they are.
    """

    AUTHORIZATION = "Authorization"
    REMEMBERED = 32  # refused tokens whose renewal is known (a few per hour at most)

    def __init__(
        self,
        auth_provider: AzureIdentityAuthenticationProvider,
        *,
        client: httpx.AsyncClient,
        credential: TokenCredential | AsyncTokenCredential,
        scopes: list[str],
    ) -> None:
        super().__init__(auth_provider, client=client)
        self._credential = credential
        self._scopes = scopes
        self._renewal = asyncio.Lock()
        self._renewed: dict[str, None] = {}  # refused tokens already renewed, oldest first
        self._renewing: set[int] = set()  # requests being sent again: never a second time

    async def retry_cae_response_if_required(
        self, resp: httpx.Response, request_info: RequestInformation, claims: str
    ) -> httpx.Response:
        resp = await super().retry_cae_response_if_required(resp, request_info, claims)
        if resp.status_code != 401 or claims or id(request_info) in self._renewing:
            return resp
        refused = self._bearer(request_info)
        if not refused:
            return resp
        await self._renew(refused)
        request_info.headers.remove(self.AUTHORIZATION)
        await self._authentication_provider.authenticate_request(request_info, {})
        fresh = self._bearer(request_info)
        if not fresh or fresh == refused:
            log.warning("graph.token_rejected", status=401, renewed=False)
            return resp
        log.info("graph.token_rejected", status=401, renewed=True)
        self._renewing.add(id(request_info))
        span = self.start_tracing_span(request_info, "retry_with_renewed_token")
        try:
            return await self.get_http_response_message(request_info, span)
        finally:
            span.end()
            self._renewing.discard(id(request_info))

    async def _renew(self, refused: str) -> None:
        async with self._renewal:  # concurrent refusals of one token share one renewal
            if refused in self._renewed:
                return
            not_before = json.dumps(
                {"access_token": {"nbf": {"essential": True, "value": str(int(time.time()))}}}
            )
            outcome = self._credential.get_token(*self._scopes, claims=not_before, enable_cae=True)
            if inspect.isawaitable(outcome):
                await outcome
            self._renewed[refused] = None
            while len(self._renewed) > self.REMEMBERED:
                del self._renewed[next(iter(self._renewed))]

    def _bearer(self, request_info: RequestInformation) -> str:
        for value in request_info.headers.get(self.AUTHORIZATION):
            scheme, _, token = value.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
        return ""


def graph_scope(base_url: str = DEFAULT_GRAPH_BASE_URL) -> str:
    """The app-only scope for a Graph base URL: ``https://graph.microsoft.com/.default``.

    A local http base URL (a test fake) still gets the global Graph scope: the credential must
    ask Entra for a token Graph would accept, whatever host the request goes to.
    """
    parts = urlsplit(base_url)
    if parts.scheme != "https":
        return "https://graph.microsoft.com/.default"
    return f"https://{parts.hostname}/.default"


def _validate_base_url(base_url: str) -> str:
    base_url = base_url.rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ValueError(f"Graph base URL must be an absolute URL, got {base_url!r}")
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise ValueError("Graph base URL must use https (plain http only for localhost)")
    if not parts.path.strip("/"):
        raise ValueError(
            "Graph base URL must include the version, e.g. https://graph.microsoft.com/v1.0"
        )
    return base_url


def build_http_client(
    base_url: str = DEFAULT_GRAPH_BASE_URL,
    *,
    retry: RetryPolicy | None = None,
    timeout: float = 30.0,
    connect_timeout: float = 10.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """An httpx client carrying msgraph's default middleware with our retry handler swapped in.

    The caller owns it and must ``aclose()`` it (``GraphDirectory.aclose`` does).
    """
    base_url = _validate_base_url(base_url)
    policy = retry or RetryPolicy()
    options = dict(MSGRAPH_DEFAULT_OPTIONS)
    middleware = [
        BoundedRetryHandler(policy) if isinstance(handler, RetryHandler) else handler
        for handler in KiotaClientFactory.get_default_middleware(options)
    ]
    telemetry = options.get(GraphTelemetryHandlerOption.get_key())
    middleware.append(
        GraphTelemetryHandler(options=telemetry)
        if isinstance(telemetry, GraphTelemetryHandlerOption)
        else GraphTelemetryHandler()
    )
    client = httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
        http2=importlib.util.find_spec("h2") is not None,
        transport=transport,
    )
    return GraphClientFactory.create_with_custom_middleware(middleware, client=client)


def build_graph_client(
    credential: TokenCredential | AsyncTokenCredential,
    base_url: str = DEFAULT_GRAPH_BASE_URL,
    *,
    retry: RetryPolicy | None = None,
    timeout: float = 30.0,
    connect_timeout: float = 10.0,
    scopes: list[str] | None = None,
    http_client: httpx.AsyncClient | None = None,
) -> GraphServiceClient:
    """A ``GraphServiceClient`` for ``base_url`` ("https://graph.microsoft.com/v1.0", or
    "http://127.0.0.1:PORT/v1.0" for a fake).

    Tokens are sent only to the base URL's host (kiota's allowed-hosts check: any other host,
    e.g. a foreign ``@odata.nextLink``, gets no Authorization header). ``scopes`` default to
    ``graph_scope(base_url)``. Pass ``http_client`` (from ``build_http_client``) to control its
    lifetime; otherwise one is built here and nothing closes it: prefer
    ``GraphDirectory.create``, which builds both and closes the HTTP client in ``aclose``.
    """
    base_url = _validate_base_url(base_url)
    host = urlsplit(base_url).hostname
    assert host is not None
    auth = AzureIdentityAuthenticationProvider(
        credential,
        scopes=scopes or [graph_scope(base_url)],
        allowed_hosts=[host],
    )
    if http_client is None:
        http_client = build_http_client(
            base_url, retry=retry, timeout=timeout, connect_timeout=connect_timeout
        )
    adapter = RenewingRequestAdapter(
        auth, client=http_client, credential=credential, scopes=scopes or [graph_scope(base_url)]
    )
    adapter.base_url = base_url
    return GraphServiceClient(request_adapter=adapter)
