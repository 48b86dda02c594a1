"""``GraphGroupDelta``: the domain's `copbot.directory.GroupDelta` on Microsoft Graph.

One round = ``GET /groups/delta?$filter=id eq '{id}'&$select=members`` (or the stored deltaLink),
following ``@odata.nextLink`` until ``@odata.deltaLink`` [GroupMember.Read.All]. Members come in
``members@delta``; removed ones carry ``@removed``; the same group may come back on several pages
(https://learn.microsoft.com/graph/delta-query-groups). The pages are read as JSON here: the SDK's
models keep ``members@delta`` only as untyped additional data.

A stored token Graph refuses (expired after seven days: a 40X ``syncStateNotFound``; a
"synchronization reset": 410 Gone, ``resyncRequired``;
https://learn.microsoft.com/graph/delta-query-overview) restarts the round in full, reported as
``restarted``: the caller compares the full membership with its records, as after a first round.
"""

from __future__ import annotations

from urllib.parse import quote

import structlog
from kiota_abstractions.api_error import APIError

from copbot.directory import DeltaRound, DirectoryUnavailable, UnknownGroup

from .calls import GraphCalls, error_code, odata_literal

log = structlog.get_logger(__name__)

READ_MEMBERS = "GroupMember.Read.All"
TOKEN_REFUSED_CODES = frozenset({"syncStateNotFound", "resyncRequired"})
MAX_PAGES = 10_000  # a round that never ends is Graph misbehaving, not a big group


class _TokenRefused(Exception):
    def __init__(self, status: int | None, code: str | None):
        super().__init__(f"Graph refused the delta token ({status} {code})")
        self.status = status
        self.code = code


class GraphGroupDelta(GraphCalls):
    async def changes(self, group_id: str, token: str | None) -> DeltaRound:
        if token:
            try:
                return await self._round(group_id, token)
            except _TokenRefused as refused:
                log.info(
                    "graph.delta_token_refused",
                    group_id=group_id,
                    status=refused.status,
                    code=refused.code,
                )
                full = await self._round(group_id, None)
                return DeltaRound(
                    added=full.added,
                    removed=full.removed,
                    token=full.token,
                    full=True,
                    restarted=True,
                    requests=full.requests + 1,
                )
        return await self._round(group_id, None)

    async def _round(self, group_id: str, token: str | None) -> DeltaRound:
        url = token or (
            "/groups/delta?$filter="
            + quote(f"id eq {odata_literal(group_id)}", safe="")
            + "&$select=members"
        )
        added: dict[str, None] = {}  # ordered sets: the latest entry about someone wins
        removed: dict[str, None] = {}
        seen = False
        requests = 0
        async with self.refusals("read a group's membership changes", READ_MEMBERS):
            while True:
                requests += 1
                if requests > MAX_PAGES:
                    raise DirectoryUnavailable(
                        f"Graph's delta round did not end ({MAX_PAGES} pages)"
                    )
                try:
                    page = await self.get_json(url)
                except APIError as exc:
                    if token is not None and _refuses_token(exc):
                        raise _TokenRefused(exc.response_status_code, error_code(exc)) from exc
                    raise
                for group in page.get("value") or []:
                    if not isinstance(group, dict) or group.get("id") != group_id:
                        continue
                    seen = True
                    if "@removed" in group:
                        raise UnknownGroup(f"Group {group_id} was deleted", status=404)
                    for member in group.get("members@delta") or []:
                        member_id = member.get("id") if isinstance(member, dict) else None
                        if not member_id:
                            continue
                        if "@removed" in member:
                            added.pop(member_id, None)
                            removed[member_id] = None
                        else:
                            removed.pop(member_id, None)
                            added[member_id] = None
                next_link, delta_link = page.get("@odata.nextLink"), page.get("@odata.deltaLink")
                if isinstance(next_link, str) and next_link:
                    url = next_link
                elif isinstance(delta_link, str) and delta_link:
                    break
                else:
                    raise DirectoryUnavailable(
                        "Graph's delta page has neither nextLink nor deltaLink"
                    )
        if token is None and not seen:
            raise UnknownGroup(f"Group {group_id} does not exist in the directory", status=404)
        full = token is None
        log.info(
            "graph.delta_round",
            group_id=group_id,
            full=full,
            added=len(added),
            removed=len(removed),
            requests=requests,
        )
        return DeltaRound(
            added=frozenset(added),
            removed=frozenset() if full else frozenset(removed),
            token=delta_link,
            full=full,
            requests=requests,
        )


def _refuses_token(exc: APIError) -> bool:
    return exc.response_status_code == 410 or (
        exc.response_status_code is not None
        and 400 <= exc.response_status_code < 500
        and error_code(exc) in TOKEN_REFUSED_CODES
    )


__all__ = ["GraphGroupDelta"]
