"""``GraphUsers``: looking people up in the directory (``copbot.directory.Directory``'s reads).

- one user: ``GET /users/{id}``, or by email
  ``GET /users?$filter=mail eq '..' or userPrincipalName eq '..'`` [User.Read.All]
- many users: ``POST /$batch`` of the above, 20 per batch [User.Read.All]

A 400/404 is "no such person" (``None``); other failures map as graph/errors.py says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import structlog
from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.user import User
from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder
from msgraph.generated.users.users_request_builder import UsersRequestBuilder

from copbot.directory import DirectoryUser

from .batch import MAX_BATCH, BatchResult, chunks, raise_for_item
from .connection import GraphConnection
from .errors import graph_errors

__all__ = ["READ_USERS", "USER_FIELDS", "GraphUsers"]

log = structlog.get_logger(__name__)

USER_FIELDS = ["id", "displayName", "mail", "userPrincipalName", "jobTitle", "officeLocation"]
READ_USERS = "User.Read.All"

_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


class GraphUsers(GraphConnection):
    async def get_user(self, user_id_or_upn: str) -> DirectoryUser | None:
        key = user_id_or_upn.strip()
        if not key:
            return None
        async with graph_errors("look up a user", READ_USERS):
            try:
                if _is_email(key):
                    config = RequestConfiguration(
                        query_parameters=UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(
                            filter=_email_filter(key), select=USER_FIELDS
                        )
                    )
                    page = await self._client.users.get(request_configuration=config)
                    found = page.value if page and page.value else []
                    return _to_user(found[0]) if found else None
                item_config = RequestConfiguration(
                    query_parameters=UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(
                        select=USER_FIELDS
                    )
                )
                user = await self._client.users.by_user_id(key).get(
                    request_configuration=item_config
                )
                return _to_user(user) if user else None
            except APIError as exc:
                if exc.response_status_code in {400, 404}:
                    return None
                raise

    async def find_users(self, keys: Sequence[str]) -> dict[str, DirectoryUser | None]:
        unique = list(dict.fromkeys(k.strip() for k in keys if k and k.strip()))
        found: dict[str, DirectoryUser | None] = {}
        async with graph_errors("look up users", READ_USERS):
            for chunk in chunks(unique, MAX_BATCH):
                requests = [
                    {"id": str(i), "method": "GET", "url": _user_lookup_url(key)}
                    for i, key in enumerate(chunk)
                ]
                results = await self.batch(requests, "look up users")
                for i, key in enumerate(chunk):
                    found[key] = _user_from_batch(results[str(i)], "look up users")
        resolved = sum(1 for u in found.values() if u is not None)
        log.info("graph.users_resolved", requested=len(unique), resolved=resolved)
        return {k: found.get(k.strip()) if k else None for k in keys}


def _user_from_batch(result: BatchResult, what: str) -> DirectoryUser | None:
    if result.status == 200 and isinstance(result.body, dict):
        if "value" in result.body:  # a $filter lookup
            values = result.body.get("value") or []
            return _user_from_json(values[0]) if values else None
        return _user_from_json(result.body)
    if result.status in {400, 404}:
        return None
    raise_for_item(result, what, READ_USERS)


def _is_email(key: str) -> bool:
    return "@" in key and not _GUID.match(key)


def _email_filter(email: str) -> str:
    literal = email.replace("'", "''")  # OData string literal escaping
    return f"mail eq '{literal}' or userPrincipalName eq '{literal}'"


def _user_lookup_url(key: str) -> str:
    select = ",".join(USER_FIELDS)
    if _is_email(key):
        return f"/users?$filter={quote(_email_filter(key), safe='')}&$select={select}"
    return f"/users/{quote(key, safe='')}?$select={select}"


def _to_user(user: User) -> DirectoryUser:
    return DirectoryUser(
        id=user.id or "",
        display_name=user.display_name or "",
        mail=user.mail,
        user_principal_name=user.user_principal_name,
        job_title=user.job_title,
        office=user.office_location,
    )


def _user_from_json(data: dict[str, Any]) -> DirectoryUser:
    return DirectoryUser(
        id=str(data.get("id") or ""),
        display_name=str(data.get("displayName") or ""),
        mail=data.get("mail"),
        user_principal_name=data.get("userPrincipalName"),
        job_title=data.get("jobTitle"),
        office=data.get("officeLocation"),
    )
