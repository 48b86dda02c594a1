"""``GraphCalls``: what the Teams-side Graph clients share (the connection, errors, raw JSON).

`GraphAppInstaller` (installs.py), `GraphGroupDelta` (delta.py), `GraphTeamMembers` (teams.py) and
`GraphAccounts` (accounts.py) are built on it. Failures become the domain's errors exactly as for
`GraphDirectory` (graph/errors.py: 429 / 5xx / timeouts: `DirectoryUnavailable` with Graph's
`Retry-After`; 401: `DirectoryError`), plus one: a 403 is `PermissionMissing` naming the
application permission to grant, so callers can fall back (a group add instead of a Team add) or
warn once.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation

from copbot.directory import DirectoryUnavailable

from .batch import ODATA_ERRORS
from .connection import GraphConnection
from .errors import error_code, graph_refusals

__all__ = ["GraphCalls", "error_code", "odata_literal"]


class GraphCalls(GraphConnection):
    """A msgraph-sdk client with the domain's error mapping. Build with ``create`` (it then owns
    and closes its HTTP client) or pass a client from ``graph.client.build_graph_client``."""

    @asynccontextmanager
    async def refusals(self, what: str, permission: str) -> AsyncIterator[None]:
        """Graph's refusals as domain errors; 403 becomes `PermissionMissing(permission)`."""
        async with graph_refusals(what, permission):
            yield

    async def get_json(self, url: str) -> dict[str, Any]:
        """GET a Graph URL (relative to the base URL, or a nextLink / deltaLink as given) and
        parse the JSON ourselves. Graph's errors raise `APIError` / `ODataError`."""
        info = RequestInformation(Method.GET)
        info.url = url if "://" in url else f"{self._client.request_adapter.base_url}{url}"
        info.headers.try_add("Accept", "application/json")
        adapter = self._client.request_adapter
        raw: bytes | None = await adapter.send_primitive_async(info, "bytes", ODATA_ERRORS)
        try:
            data = json.loads(raw or b"{}")
        except ValueError as exc:
            raise DirectoryUnavailable(f"Graph answered {url} with a body we cannot read") from exc
        if not isinstance(data, dict):
            raise DirectoryUnavailable(f"Graph answered {url} with a body we cannot read")
        return data

    def user_ref(self, user_id: str) -> str:
        """``https://graph.microsoft.com/v1.0/users('<id>')``: how Teams calls name a user."""
        return self.object_url(f"/users('{quote(user_id, safe='')}')")


def odata_literal(value: str) -> str:
    """An OData string literal: ``'it''s'``."""
    return "'" + value.replace("'", "''") + "'"
