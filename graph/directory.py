"""``GraphDirectory``: the domain's ``copbot.directory.Directory`` on Microsoft Graph (msgraph-sdk).

Requests used (application permissions in brackets):
- get a user: ``GET /users/{id}``, or by email
  ``GET /users?$filter=mail eq '..' or userPrincipalName eq '..'`` [User.Read.All]
- many users: ``POST /$batch`` of the above, 20 per batch [User.Read.All]
- is member: ``POST /users/{id}/checkMemberGroups`` [User.Read.All + GroupMember.Read.All]
  (Microsoft 365 groups cannot nest, so Graph's transitive check is a direct-membership check)
- add: ``POST /groups/{id}/members/$ref`` [GroupMember.ReadWrite.All]
- add many: ``PATCH /groups/{id}`` with ``members@odata.bind`` (20 per request; all or nothing),
  and for a chunk Graph refuses (someone already a member, or unknown): one ``$batch`` of single
  ``$ref`` adds, which gives each user their own outcome
- remove: ``DELETE /groups/{id}/members/{user}/$ref`` [GroupMember.ReadWrite.All]
- list: ``GET /groups/{id}/members/graph.user?$select=id`` following ``@odata.nextLink``
  [GroupMember.Read.All]

Failure mapping: 429 / 5xx / timeouts / connection errors (after the client's bounded retries,
see ``graph.client.RetryPolicy``) raise ``DirectoryUnavailable`` with Graph's ``Retry-After``;
401 / 403 raise ``DirectoryError`` naming what to fix; 404 becomes ``UnknownUser`` /
``UnknownGroup`` / ``None`` / ``NOT_MEMBER`` as the operation implies.

Logging is structlog with object ids only: never emails or names at info level.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar
from urllib.parse import quote

import httpx
import structlog
from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError
from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from msgraph import GraphServiceClient
from msgraph.generated.groups.item.group_item_request_builder import GroupItemRequestBuilder
from msgraph.generated.groups.item.members.graph_user.graph_user_request_builder import (
    GraphUserRequestBuilder,
)
from msgraph.generated.models.group import Group
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.reference_create import ReferenceCreate
from msgraph.generated.models.user import User
from msgraph.generated.users.item.check_member_groups.check_member_groups_post_request_body import (
    CheckMemberGroupsPostRequestBody,
)
from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder
from msgraph.generated.users.users_request_builder import UsersRequestBuilder

from copbot.directory import (
    AddOutcome,
    DirectoryError,
    DirectoryUnavailable,
    DirectoryUser,
    RemoveOutcome,
    UnknownGroup,
    UnknownUser,
)

from .client import (
    DEFAULT_GRAPH_BASE_URL,
    RETRY_STATUSES,
    RetryPolicy,
    build_graph_client,
    build_http_client,
    parse_retry_after,
)

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.core.credentials_async import AsyncTokenCredential

log = structlog.get_logger(__name__)

T = TypeVar("T")

MAX_BATCH = 20  # Graph: at most 20 requests in one $batch
MAX_BIND = 20  # Graph: at most 20 members@odata.bind references in one PATCH
MAX_PAGE = 999  # Graph: largest $top for group members
USER_FIELDS = ["id", "displayName", "mail", "userPrincipalName", "jobTitle", "officeLocation"]
ALREADY_MEMBER_HINT = "added object references already exist"

READ_USERS = "User.Read.All"
READ_MEMBERS = "GroupMember.Read.All (or GroupMember.ReadWrite.All)"
WRITE_MEMBERS = "GroupMember.ReadWrite.All"
CHECK_MEMBERS = "User.Read.All and GroupMember.Read.All"

_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_ODATA_ERRORS: dict[str, Any] = {"XXX": ODataError}


@dataclass(frozen=True, slots=True)
class _BatchResult:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None

    @property
    def error_code(self) -> str | None:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return error.get("code") if isinstance(error, dict) else None

    @property
    def error_message(self) -> str:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return str(error.get("message") or "") if isinstance(error, dict) else ""

    @property
    def retry_after(self) -> float | None:
        for name, value in self.headers.items():
            if name.lower() == "retry-after":
                return parse_retry_after(str(value))
        return None


class GraphDirectory:
    """``copbot.directory.Directory`` backed by Microsoft Graph through msgraph-sdk.

    Build it with ``GraphDirectory.create(credential, base_url)`` (it then owns and closes its
    HTTP client) or inject a ``GraphServiceClient`` built by ``graph.client.build_graph_client``.
    ``retry`` must be the policy the client was built with: it also governs the retries of
    individual ``$batch`` items, which the HTTP middleware cannot see.
    """

    def __init__(
        self,
        client: GraphServiceClient,
        *,
        base_url: str = DEFAULT_GRAPH_BASE_URL,
        retry: RetryPolicy | None = None,
        page_size: int = MAX_PAGE,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        if not 1 <= page_size <= MAX_PAGE:
            raise ValueError(f"page_size must be 1..{MAX_PAGE}")
        self._client = client
        self._retry = retry or RetryPolicy()
        self._page_size = page_size
        self._http_client = http_client
        # Graph identifies members by the canonical Graph URL of the object; a local fake keeps
        # the public form (that is what Graph itself expects in the body).
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
        page_size: int = MAX_PAGE,
        scopes: list[str] | None = None,
    ) -> GraphDirectory:
        policy = retry or RetryPolicy()
        http_client = build_http_client(
            base_url, retry=policy, timeout=timeout, connect_timeout=connect_timeout
        )
        client = build_graph_client(
            credential, base_url, retry=policy, scopes=scopes, http_client=http_client
        )
        return cls(
            client, base_url=base_url, retry=policy, page_size=page_size, http_client=http_client
        )

    async def aclose(self) -> None:
        """Close the HTTP client this directory built (not the credential: the caller owns it)."""
        if self._http_client is not None:
            await self._http_client.aclose()

    async def __aenter__(self) -> GraphDirectory:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- users -----------------------------------------------------------------------------------

    async def get_user(self, user_id_or_upn: str) -> DirectoryUser | None:
        key = user_id_or_upn.strip()
        if not key:
            return None
        async with self._graph_call("look up a user", READ_USERS):
            try:
                if "@" in key and not _GUID.match(key):
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
        async with self._graph_call("look up users", READ_USERS):
            for chunk in _chunks(unique, MAX_BATCH):
                requests = [
                    {"id": str(i), "method": "GET", "url": _user_lookup_url(key)}
                    for i, key in enumerate(chunk)
                ]
                results = await self._batch(requests, "look up users", READ_USERS)
                for i, key in enumerate(chunk):
                    found[key] = self._user_from_batch(results[str(i)], "look up users")
        resolved = sum(1 for u in found.values() if u is not None)
        log.info("graph.users_resolved", requested=len(unique), resolved=resolved)
        return {k: found.get(k.strip()) if k else None for k in keys}

    def _user_from_batch(self, result: _BatchResult, what: str) -> DirectoryUser | None:
        if result.status == 200 and isinstance(result.body, dict):
            if "value" in result.body:  # a $filter lookup
                values = result.body.get("value") or []
                return _user_from_json(values[0]) if values else None
            return _user_from_json(result.body)
        if result.status in {400, 404}:
            return None
        self._raise_for_batch_item(result, what, READ_USERS)

    # -- membership ------------------------------------------------------------------------------

    async def is_member(self, group_id: str, user_id: str) -> bool:
        async with self._graph_call("check a membership", CHECK_MEMBERS):
            try:
                body = CheckMemberGroupsPostRequestBody(group_ids=[group_id])
                response = await self._client.users.by_user_id(user_id).check_member_groups.post(
                    body
                )
            except APIError as exc:
                if exc.response_status_code == 404:
                    raise UnknownUser(
                        f"User {user_id} does not exist in the directory",
                        status=404,
                        code=_code(exc),
                    ) from exc
                raise
        return bool(response and response.value and group_id in response.value)

    async def add_member(self, group_id: str, user_id: str) -> AddOutcome:
        async with self._graph_call("add a group member", WRITE_MEMBERS):
            try:
                await self._client.groups.by_group_id(group_id).members.ref.post(
                    ReferenceCreate(odata_id=self._object_ref(user_id))
                )
                outcome = AddOutcome.ADDED
            except APIError as exc:
                status = exc.response_status_code
                if status == 400 and _is_already_member(_message(exc)):
                    outcome = AddOutcome.ALREADY_MEMBER
                elif status == 404:
                    raise await self._not_found(exc, group_id, user_id) from exc
                else:
                    raise
        log.info("graph.member_added", group_id=group_id, user_id=user_id, outcome=str(outcome))
        return outcome

    async def add_members(
        self, group_id: str, user_ids: Sequence[str]
    ) -> dict[str, AddOutcome | DirectoryError]:
        """Add many users, 20 per ``PATCH``; per-user outcome.

        Raises ``UnknownGroup`` if the group does not exist, ``DirectoryUnavailable`` on
        throttling/outage (some users may already be added: adding again is harmless, they come
        back as ``ALREADY_MEMBER``), ``DirectoryError`` on missing permissions.
        """
        unique = list(dict.fromkeys(u for u in user_ids if u))
        outcomes: dict[str, AddOutcome | DirectoryError] = {}
        async with self._graph_call("add group members", WRITE_MEMBERS):
            for chunk in _chunks(unique, MAX_BIND):
                body = Group(
                    additional_data={"members@odata.bind": [self._object_ref(u) for u in chunk]}
                )
                try:
                    await self._client.groups.by_group_id(group_id).patch(body)
                except APIError as exc:
                    status = exc.response_status_code
                    if status == 404 and group_id in _message(exc):
                        raise UnknownGroup(
                            f"Group {group_id} does not exist in the directory",
                            status=404,
                            code=_code(exc),
                        ) from exc
                    if status not in {400, 404}:
                        raise
                    # Graph refused the whole chunk (someone is already a member, unknown, or
                    # not addable): add them one by one, in one $batch, to learn who is what.
                    log.info(
                        "graph.bulk_add_chunk_refused",
                        group_id=group_id,
                        size=len(chunk),
                        status=status,
                        code=_code(exc),
                    )
                    outcomes.update(await self._add_each(group_id, chunk))
                else:
                    outcomes.update(dict.fromkeys(chunk, AddOutcome.ADDED))
        counts: dict[str, int] = {}
        for outcome in outcomes.values():
            name = str(outcome) if isinstance(outcome, AddOutcome) else "error"
            counts[name] = counts.get(name, 0) + 1
        log.info("graph.members_added", group_id=group_id, requested=len(unique), **counts)
        return outcomes

    async def _add_each(
        self, group_id: str, user_ids: Sequence[str]
    ) -> dict[str, AddOutcome | DirectoryError]:
        path = f"/groups/{quote(group_id, safe='')}/members/$ref"
        requests = [
            {
                "id": str(i),
                "method": "POST",
                "url": path,
                "headers": {"Content-Type": "application/json"},
                "body": {"@odata.id": self._object_ref(user_id)},
            }
            for i, user_id in enumerate(user_ids)
        ]
        results = await self._batch(requests, "add group members", WRITE_MEMBERS)
        outcomes: dict[str, AddOutcome | DirectoryError] = {}
        for i, user_id in enumerate(user_ids):
            result = results[str(i)]
            if result.status in {200, 201, 204}:
                outcomes[user_id] = AddOutcome.ADDED
            elif result.status == 400 and _is_already_member(result.error_message):
                outcomes[user_id] = AddOutcome.ALREADY_MEMBER
            elif result.status == 404:
                if group_id in result.error_message and user_id not in result.error_message:
                    raise UnknownGroup(
                        f"Group {group_id} does not exist in the directory",
                        status=404,
                        code=result.error_code,
                    )
                outcomes[user_id] = UnknownUser(
                    f"User {user_id} does not exist in the directory",
                    status=404,
                    code=result.error_code,
                )
            elif result.status == 400:
                outcomes[user_id] = DirectoryError(
                    f"Graph refused to add {user_id} to group {group_id}: {result.error_message}",
                    status=400,
                    code=result.error_code,
                )
            else:
                self._raise_for_batch_item(result, "add group members", WRITE_MEMBERS)
        return outcomes

    async def remove_member(self, group_id: str, user_id: str) -> RemoveOutcome:
        async with self._graph_call("remove a group member", WRITE_MEMBERS):
            try:
                await (
                    self._client.groups.by_group_id(group_id)
                    .members.by_directory_object_id(user_id)
                    .ref.delete()
                )
                outcome = RemoveOutcome.REMOVED
            except APIError as exc:
                if exc.response_status_code != 404:
                    raise
                error = await self._not_found(exc, group_id, user_id)
                if isinstance(error, UnknownGroup):
                    raise error from exc
                # Graph says 404 for "not a member" and for "no such user": neither is a member.
                outcome = RemoveOutcome.NOT_MEMBER
        log.info("graph.member_removed", group_id=group_id, user_id=user_id, outcome=str(outcome))
        return outcome

    async def list_members(self, group_id: str) -> list[str]:
        ids: list[str] = []
        pages = 0
        async with self._graph_call("list group members", READ_MEMBERS):
            builder = self._client.groups.by_group_id(group_id).members.graph_user
            config = RequestConfiguration(
                query_parameters=GraphUserRequestBuilder.GraphUserRequestBuilderGetQueryParameters(
                    select=["id"], top=self._page_size
                )
            )
            try:
                page = await builder.get(request_configuration=config)
                while page is not None:
                    pages += 1
                    ids.extend(u.id for u in page.value or [] if u.id)
                    if not page.odata_next_link:
                        break
                    page = await builder.with_url(page.odata_next_link).get()
            except APIError as exc:
                if exc.response_status_code == 404:
                    raise UnknownGroup(
                        f"Group {group_id} does not exist in the directory",
                        status=404,
                        code=_code(exc),
                    ) from exc
                raise
        log.info("graph.members_listed", group_id=group_id, count=len(ids), pages=pages)
        return ids

    # -- helpers -----------------------------------------------------------------------------------

    def _object_ref(self, user_id: str) -> str:
        return f"{self._object_base}/directoryObjects/{quote(user_id, safe='')}"

    async def _not_found(self, exc: APIError, group_id: str, user_id: str) -> DirectoryError:
        """Which object a 404 is about: Graph names it ("Resource '<id>' does not exist...")."""
        message = _message(exc)
        code = _code(exc)
        names_group, names_user = group_id in message, user_id in message
        if names_group != names_user:
            is_group = names_group
        else:  # not said: ask whether the group exists
            is_group = not await self._group_exists(group_id)
        if is_group:
            return UnknownGroup(
                f"Group {group_id} does not exist in the directory", status=404, code=code
            )
        return UnknownUser(f"User {user_id} does not exist in the directory", status=404, code=code)

    async def _group_exists(self, group_id: str) -> bool:
        try:
            config = RequestConfiguration(
                query_parameters=GroupItemRequestBuilder.GroupItemRequestBuilderGetQueryParameters(
                    select=["id"]
                )
            )
            await self._client.groups.by_group_id(group_id).get(request_configuration=config)
        except APIError as exc:
            if exc.response_status_code == 404:
                return False
            raise
        return True

    async def _batch(
        self, requests: list[dict[str, Any]], what: str, permission: str
    ) -> dict[str, _BatchResult]:
        """POST ``$batch`` (≤ 20 requests) and parse the JSON ourselves.

        msgraph-sdk's batch response parsing loses the bodies (FACTS.md), so the request
        information is sent as raw JSON and the answer read as bytes. Items answered 429/503/504
        are sent again (alone) after their ``Retry-After``, within the same ``RetryPolicy`` as
        whole requests; what still fails is returned as is for the caller to map.
        """
        if len(requests) > MAX_BATCH:
            raise ValueError(f"a Graph batch holds at most {MAX_BATCH} requests")
        results: dict[str, _BatchResult] = {}
        pending = requests
        for attempt in range(self._retry.max_retries + 1):
            answered = await self._post_batch(pending)
            missing = [r["id"] for r in pending if r["id"] not in answered]
            if missing:
                raise DirectoryUnavailable(
                    f"Graph $batch answer lacks {len(missing)} of {len(pending)} responses",
                    status=502,
                )
            results.update(answered)
            retry = [r for r in pending if answered[r["id"]].status in RETRY_STATUSES]
            if not retry or attempt == self._retry.max_retries:
                break
            hints = [answered[r["id"]].retry_after for r in retry]
            known = [h for h in hints if h is not None]
            wait = max(known) if known else self._retry.backoff(attempt)
            if wait > self._retry.max_wait:
                break
            log.info(
                "graph.batch_items_retry",
                operation=what,
                items=len(retry),
                wait_s=round(wait, 3),
                attempt=attempt + 1,
            )
            await asyncio.sleep(wait)
            pending = retry
        return results

    async def _post_batch(self, requests: list[dict[str, Any]]) -> dict[str, _BatchResult]:
        info = RequestInformation(Method.POST, "{+baseurl}/$batch")
        info.headers.try_add("Accept", "application/json")
        info.set_stream_content(
            json.dumps({"requests": requests}).encode("utf-8"), "application/json"
        )
        raw = await self._client.request_adapter.send_primitive_async(info, "bytes", _ODATA_ERRORS)
        try:
            payload = json.loads(raw or b"{}")
            responses = payload["responses"]
        except (ValueError, KeyError, TypeError) as exc:
            raise DirectoryUnavailable("Graph answered $batch with a body we cannot read") from exc
        return {
            str(item.get("id")): _BatchResult(
                status=int(item.get("status", 0)),
                headers=dict(item.get("headers") or {}),
                body=item.get("body"),
            )
            for item in responses
            if isinstance(item, dict)
        }

    def _raise_for_batch_item(self, result: _BatchResult, what: str, permission: str) -> NoReturn:
        status, code, message = result.status, result.error_code, result.error_message
        if status in RETRY_STATUSES or status >= 500:
            raise DirectoryUnavailable(
                f"Graph could not {what} now (HTTP {status} {code or ''})".rstrip(),
                retry_after=result.retry_after,
                status=status,
            )
        raise _permanent_error(what, permission, status, code, message)

    @asynccontextmanager
    async def _graph_call(self, what: str, permission: str) -> AsyncIterator[None]:
        """Translate what msgraph/httpx/azure raise into the domain's exceptions."""
        try:
            yield
        except (DirectoryError, DirectoryUnavailable):
            raise
        except APIError as exc:
            status = exc.response_status_code
            if status is not None and (status in RETRY_STATUSES or status >= 500):
                retry_after = parse_retry_after(_header(exc, "Retry-After"))
                log.warning(
                    "graph.unavailable",
                    operation=what,
                    status=status,
                    code=_code(exc),
                    retry_after=retry_after,
                )
                raise DirectoryUnavailable(
                    f"Graph could not {what} now (HTTP {status} {_code(exc) or ''})".rstrip(),
                    retry_after=retry_after,
                    status=status,
                ) from exc
            error = _permanent_error(what, permission, status, _code(exc), _message(exc))
            log.warning("graph.refused", operation=what, status=status, code=_code(exc))
            raise error from exc
        except httpx.TimeoutException as exc:
            log.warning("graph.timeout", operation=what, error_type=type(exc).__name__)
            raise DirectoryUnavailable(f"Graph did not answer in time to {what}") from exc
        except httpx.TransportError as exc:
            log.warning("graph.unreachable", operation=what, error_type=type(exc).__name__)
            raise DirectoryUnavailable(
                f"Could not reach Graph to {what} ({type(exc).__name__})"
            ) from exc
        except ServiceRequestError as exc:
            log.warning("graph.token_unavailable", operation=what)
            raise DirectoryUnavailable(f"Could not get a Graph token to {what}: {exc}") from exc
        except ClientAuthenticationError as exc:
            log.error("graph.token_refused", operation=what)
            raise DirectoryError(
                f"Could not get a Graph token to {what}: check GRAPH_CLIENT_ID, the client "
                f"secret and the tenant id. {exc.message}",
                code="authentication_failed",
            ) from exc


# -- module helpers ----------------------------------------------------------------------------


def _permanent_error(
    what: str, permission: str, status: int | None, code: str | None, message: str
) -> DirectoryError:
    if status == 401:
        return DirectoryError(
            f"Graph rejected the app's token when trying to {what} (401 {code or ''}): "
            "check the tenant id, client id and secret/certificate of the Graph app registration",
            status=401,
            code=code,
        )
    if status == 403:
        return DirectoryError(
            f"Graph refused to {what} (403 {code or ''}): the app registration needs the "
            f"application permission {permission}, with admin consent",
            status=403,
            code=code,
        )
    return DirectoryError(
        f"Graph refused to {what} (HTTP {status} {code or ''}): {message}",
        status=status,
        code=code,
    )


def _code(exc: APIError) -> str | None:
    if isinstance(exc, ODataError) and exc.error is not None:
        return exc.error.code
    return None


def _message(exc: APIError) -> str:
    if isinstance(exc, ODataError) and exc.error is not None:
        return exc.error.message or ""
    return exc.message or ""


def _header(exc: APIError, name: str) -> str | None:
    headers = exc.response_headers
    if not headers:
        return None
    getter = getattr(headers, "get", None)
    value = getter(name) if getter else None
    if value is None and isinstance(headers, dict):
        for key, item in headers.items():
            if key.lower() == name.lower():
                return str(item)
    return value


def _is_already_member(message: str) -> bool:
    return ALREADY_MEMBER_HINT in message.lower()


def _email_filter(email: str) -> str:
    literal = email.replace("'", "''")  # OData string literal escaping
    return f"mail eq '{literal}' or userPrincipalName eq '{literal}'"


def _user_lookup_url(key: str) -> str:
    select = ",".join(USER_FIELDS)
    if "@" in key and not _GUID.match(key):
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


def _chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = ["GraphDirectory"]
