"""``GraphDirectory``: the domain's ``copbot.directory.Directory`` on Microsoft Graph (msgraph-sdk).

User lookups are ``graph.users.GraphUsers`` (which this extends); this module is group membership.
Requests used (application permissions in brackets):
- is member: ``POST /users/{id}/checkMemberGroups`` [User.Read.All + GroupMember.Read.All]
  (Microsoft 365 groups cannot nest, so Graph's transitive check is a direct-membership check)
- add: ``POST /groups/{id}/members/$ref`` [GroupMember.ReadWrite.All]
- add many: ``PATCH /groups/{id}`` with ``members@odata.bind`` (20 per request; all or nothing),
  and for a chunk Graph refuses (someone already a member, or unknown): one ``$batch`` of single
  ``$ref`` adds (graph/batch.py), which gives each user their own outcome
- remove: ``DELETE /groups/{id}/members/{user}/$ref`` [GroupMember.ReadWrite.All]
- list: ``GET /groups/{id}/members/graph.user?$select=id`` following ``@odata.nextLink``
  [GroupMember.Read.All]

Failure mapping (graph/errors.py): 429 / 5xx / timeouts / connection errors (after the client's
bounded retries, see ``graph.client.RetryPolicy``) raise ``DirectoryUnavailable`` with Graph's
``Retry-After``; 401 / 403 raise ``DirectoryError`` naming what to fix; 404 becomes
``UnknownUser`` / ``UnknownGroup`` / ``None`` / ``NOT_MEMBER`` as the operation implies.

Logging is structlog with object ids only: never emails or names at info level.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

import httpx
import structlog
from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphServiceClient
from msgraph.generated.groups.item.group_item_request_builder import GroupItemRequestBuilder
from msgraph.generated.groups.item.members.graph_user.graph_user_request_builder import (
    GraphUserRequestBuilder,
)
from msgraph.generated.models.group import Group
from msgraph.generated.models.reference_create import ReferenceCreate
from msgraph.generated.users.item.check_member_groups.check_member_groups_post_request_body import (
    CheckMemberGroupsPostRequestBody,
)

from copbot.directory import (
    AddOutcome,
    DirectoryError,
    RemoveOutcome,
    UnknownGroup,
    UnknownUser,
)

from .batch import chunks, raise_for_item
from .client import DEFAULT_GRAPH_BASE_URL, RetryPolicy
from .errors import error_code as _code
from .errors import error_message as _message
from .errors import graph_errors
from .users import GraphUsers

log = structlog.get_logger(__name__)

MAX_BIND = 20  # Graph: at most 20 members@odata.bind references in one PATCH
MAX_PAGE = 999  # Graph: largest $top for group members
ALREADY_MEMBER_HINT = "added object references already exist"

READ_MEMBERS = "GroupMember.Read.All (or GroupMember.ReadWrite.All)"
WRITE_MEMBERS = "GroupMember.ReadWrite.All"
CHECK_MEMBERS = "User.Read.All and GroupMember.Read.All"


class GraphDirectory(GraphUsers):
    """``copbot.directory.Directory`` backed by Microsoft Graph through msgraph-sdk.

    Build it with ``GraphDirectory.create(credential, base_url)`` (it then owns and closes its
    HTTP client) or inject a ``GraphServiceClient`` built by ``graph.client.build_graph_client``
    (see ``graph.connection.GraphConnection``).
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
        super().__init__(client, base_url=base_url, retry=retry, http_client=http_client)
        self._page_size = page_size

    async def is_member(self, group_id: str, user_id: str) -> bool:
        async with graph_errors("check a membership", CHECK_MEMBERS):
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
        async with graph_errors("add a group member", WRITE_MEMBERS):
            try:
                await self._client.groups.by_group_id(group_id).members.ref.post(
                    ReferenceCreate(odata_id=self.directory_object_ref(user_id))
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
        async with graph_errors("add group members", WRITE_MEMBERS):
            for chunk in chunks(unique, MAX_BIND):
                body = Group(
                    additional_data={
                        "members@odata.bind": [self.directory_object_ref(u) for u in chunk]
                    }
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
                "body": {"@odata.id": self.directory_object_ref(user_id)},
            }
            for i, user_id in enumerate(user_ids)
        ]
        results = await self.batch(requests, "add group members")
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
                raise_for_item(result, "add group members", WRITE_MEMBERS)
        return outcomes

    async def remove_member(self, group_id: str, user_id: str) -> RemoveOutcome:
        async with graph_errors("remove a group member", WRITE_MEMBERS):
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
        async with graph_errors("list group members", READ_MEMBERS):
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


def _is_already_member(message: str) -> bool:
    return ALREADY_MEMBER_HINT in message.lower()


__all__ = ["GraphDirectory"]
