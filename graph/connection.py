"""``GraphConnection``: what every Graph client of CoP Bot is built on.

A msgraph-sdk client with its bounded retry policy and (when built by ``create``) the HTTP client
it owns and closes, plus the two things all requests share: ``$batch`` (graph/batch.py) and the
canonical Graph URL by which Graph names objects in request bodies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote

import httpx
from msgraph import GraphServiceClient

from .batch import BatchResult, send_batch
from .client import DEFAULT_GRAPH_BASE_URL, RetryPolicy, build_graph_client, build_http_client

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.core.credentials_async import AsyncTokenCredential

__all__ = ["GraphConnection"]


class GraphConnection:
    """Build with ``create(credential, base_url)`` (it then owns and closes its HTTP client) or
    pass a ``GraphServiceClient`` built by ``graph.client.build_graph_client``. ``retry`` must be
    the policy the client was built with: it also governs the retries of individual ``$batch``
    items, which the HTTP middleware cannot see."""

    def __init__(
        self,
        client: GraphServiceClient,
        *,
        base_url: str = DEFAULT_GRAPH_BASE_URL,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._client = client
        self._retry = retry or RetryPolicy()
        self._http_client = http_client
        # Graph identifies objects by their canonical Graph URL; a local fake keeps the public
        # form (that is what Graph itself expects in the body).
        base = base_url.rstrip("/")
        self._object_base = base if base.startswith("https://") else DEFAULT_GRAPH_BASE_URL

    @classmethod
    def create(
        cls,
        credential: TokenCredential | AsyncTokenCredential,
        base_url: str = DEFAULT_GRAPH_BASE_URL,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        scopes: list[str] | None = None,
        **options: Any,
    ) -> Self:
        """``options`` go to the constructor (e.g. ``page_size`` of ``GraphDirectory``)."""
        policy = retry or RetryPolicy()
        http_client = build_http_client(
            base_url, retry=policy, timeout=timeout, connect_timeout=connect_timeout
        )
        client = build_graph_client(
            credential, base_url, retry=policy, scopes=scopes, http_client=http_client
        )
        return cls(client, base_url=base_url, retry=policy, http_client=http_client, **options)

    async def aclose(self) -> None:
        """Close the HTTP client built by ``create`` (not the credential: the caller owns it)."""
        if self._http_client is not None:
            await self._http_client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def batch(self, requests: list[dict[str, Any]], what: str) -> dict[str, BatchResult]:
        return await send_batch(self._client, requests, self._retry, what)

    def object_url(self, path: str) -> str:
        return f"{self._object_base}{path}"

    def directory_object_ref(self, object_id: str) -> str:
        """``https://graph.microsoft.com/v1.0/directoryObjects/<id>``: a member reference."""
        return self.object_url(f"/directoryObjects/{quote(object_id, safe='')}")
