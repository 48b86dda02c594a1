"""``GraphCalls``: what the Teams-side Graph clients share (the client, errors, raw JSON requests).

`GraphAppInstaller` (installs.py), `GraphGroupDelta` (delta.py), `GraphTeamMembers` (teams.py) and
`GraphAccounts` (accounts.py) are built on it. Failures become the domain's errors exactly as
`GraphDirectory` maps them (429 / 5xx / timeouts: `DirectoryUnavailable` with Graph's
`Retry-After`; 401: `DirectoryError`), plus one: a 403 is `PermissionMissing` naming the
application permission to grant, so callers can fall back (a group add instead of a Team add) or
warn once.

The error mapping and ``$batch`` are borrowed from `graph.directory.GraphDirectory` (through
``self._directory``); when they move to graph/errors.py and graph/batch.py, only this module needs
to follow.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote

import httpx
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from msgraph import GraphServiceClient
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from copbot.directory import DirectoryError, DirectoryUnavailable, PermissionMissing

from .client import DEFAULT_GRAPH_BASE_URL, RetryPolicy
from .directory import GraphDirectory
from .directory import _code as error_code  # Graph's error code of an APIError

__all__ = ["GraphCalls", "error_code", "odata_literal"]

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.core.credentials_async import AsyncTokenCredential

_ODATA_ERRORS: dict[str, Any] = {"XXX": ODataError}


class GraphCalls:
    """A msgraph-sdk client with the domain's error mapping. Build with ``create`` (it then owns
    and closes its HTTP client) or pass a client from ``graph.client.build_graph_client``."""

    def __init__(
        self,
        client: GraphServiceClient,
        *,
        base_url: str = DEFAULT_GRAPH_BASE_URL,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._client = client
        # owns the HTTP client (if given) and lends its error mapping and $batch
        self._directory = GraphDirectory(
            client, base_url=base_url, retry=retry, http_client=http_client
        )
        self._retry = self._directory._retry
        # Graph names objects by their canonical URL, also when the requests go to a local fake.
        self._object_base = self._directory._object_base

    @classmethod
    def create(
        cls,
        credential: TokenCredential | AsyncTokenCredential,
        base_url: str = DEFAULT_GRAPH_BASE_URL,
        **options: Any,
    ) -> Self:
        """Built like ``GraphDirectory.create`` (``retry``, ``timeout``, ``connect_timeout``,
        ``scopes``); it owns the HTTP client and closes it in ``aclose``."""
        built = GraphDirectory.create(credential, base_url, **options)
        return cls(
            built._client, base_url=base_url, retry=built._retry, http_client=built._http_client
        )

    async def aclose(self) -> None:
        """Close the HTTP client built by ``create`` (the caller owns the credential)."""
        await self._directory.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    @asynccontextmanager
    async def refusals(self, what: str, permission: str) -> AsyncIterator[None]:
        """Graph's refusals as domain errors; 403 becomes `PermissionMissing(permission)`."""
        try:
            async with self._directory._graph_call(what, permission):
                yield
        except PermissionMissing:
            raise
        except DirectoryError as exc:
            if exc.status != 403:
                raise
            raise PermissionMissing(
                f"Graph refused to {what} (403 {exc.code or ''}): the app registration needs "
                f"the application permission {permission}, with admin consent",
                permission=permission,
                code=exc.code,
            ) from exc

    async def get_json(self, url: str) -> dict[str, Any]:
        """GET a Graph URL (relative to the base URL, or a nextLink / deltaLink as given) and
        parse the JSON ourselves. Graph's errors raise `APIError` / `ODataError`."""
        info = RequestInformation(Method.GET)
        info.url = url if "://" in url else f"{self._client.request_adapter.base_url}{url}"
        info.headers.try_add("Accept", "application/json")
        adapter = self._client.request_adapter
        raw = await adapter.send_primitive_async(info, "bytes", _ODATA_ERRORS)  # type: ignore[func-returns-value]
        try:
            data = json.loads(raw or b"{}")
        except ValueError as exc:
            raise DirectoryUnavailable(f"Graph answered {url} with a body we cannot read") from exc
        if not isinstance(data, dict):
            raise DirectoryUnavailable(f"Graph answered {url} with a body we cannot read")
        return data

    def user_ref(self, user_id: str) -> str:
        """``https://graph.microsoft.com/v1.0/users('<id>')``: how Teams calls name a user."""
        return f"{self._object_base}/users('{quote(user_id, safe='')}')"

    def object_url(self, path: str) -> str:
        return f"{self._object_base}{path}"


def odata_literal(value: str) -> str:
    """An OData string literal: ``'it''s'``."""
    return "'" + value.replace("'", "''") + "'"
