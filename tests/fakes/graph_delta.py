"""Group membership delta rounds for the Graph fake: what `GET /groups/delta` answers, page by page.

Graph's behaviour mirrored (Microsoft Graph documentation):
- https://learn.microsoft.com/graph/delta-query-groups : the first round returns each group with
  `members@delta` listing all its members (a group without members has no `members@delta`);
  large member lists are split over several pages, the same group object coming back on the next
  page with more members; pages chain through `@odata.nextLink` (`$skiptoken`), the last page
  carries `@odata.deltaLink` (`$deltatoken`). A round started from a deltaLink returns only the
  groups that changed: members added as plain entries, members removed with
  `"@removed": {"reason": "deleted"}`; no change at all = one page with an empty `value`.
- https://learn.microsoft.com/graph/delta-query-overview : "Removed instances are represented by
  their id and an @removed object" (a deleted group: `{"id", "@removed": {"reason": "changed"}}`);
  "For directory objects, the limit is seven days" (token duration); "In case of an expired token,
  the service should respond with a 40X-series error with error codes such as syncStateNotFound";
  "Synchronization reset: ... 410 (gone) and a Location header containing a request URL with an
  empty $deltaToken (same as the initial query)".
- https://learn.microsoft.com/graph/errors#code-property : `syncStateNotFound` "The sync state
  generation is not found. The delta token is expired and data must be synchronized again.",
  `resyncRequired` "The delta token is no longer valid, and the app must reset the sync state."

A deltaToken here stands for a snapshot of the filtered groups' members when its round began, so
the next round reports every change made since, however it was made (through the API or by a test
writing `group.members` directly, as an owner would in Teams).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600  # directory objects (delta-query-overview)
DEFAULT_DELTA_PAGE = 100  # members per page; Graph does not document its own number
EXPIRED_MESSAGE = (
    "The sync state generation is not found. The delta token is expired and data must be "
    "synchronized again."
)
RESET_MESSAGE = "The delta token is no longer valid, and the app must reset the sync state."

Membership = dict[str, frozenset[str] | None]  # group id -> member ids (None: no such group)


@dataclass
class DeltaState:
    """What a `$deltatoken` stands for."""

    group_ids: tuple[str, ...] | None  # the $filter (None: every group)
    snapshot: Membership
    issued_at: float
    select: str


@dataclass
class DeltaRound:
    """A round being read page by page (`$skiptoken`s)."""

    pages: list[list[dict[str, Any]]]
    final: DeltaState
    next_page: int = 0


@dataclass
class DeltaEngine:
    page_size: int = DEFAULT_DELTA_PAGE
    tokens: dict[str, DeltaState] = field(default_factory=dict)
    rounds: dict[str, DeltaRound] = field(default_factory=dict)
    reset_pending: bool = False  # the next deltaToken round answers 410 resyncRequired

    def start(
        self,
        groups: Mapping[str, Iterable[str]],
        group_ids: tuple[str, ...] | None,
        select: str,
        now: float,
        since: DeltaState | None = None,
    ) -> DeltaRound:
        """A round over the current membership `groups`: everything (`since` None) or the
        changes since that token's snapshot."""
        wanted = group_ids if group_ids is not None else tuple(groups)
        snapshot: Membership = {
            gid: frozenset(groups[gid]) if gid in groups else None for gid in wanted
        }
        units: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        for gid in wanted:
            current = list(groups[gid]) if gid in groups else None
            if since is None:
                if current is not None:
                    units.append(({"id": gid}, [_member(m) for m in current]))
                continue
            before = since.snapshot.get(gid)
            if current is None:
                if before is not None:
                    units.append(({"id": gid, "@removed": {"reason": "changed"}}, []))
                continue
            known = before or frozenset()
            changes = [_member(m) for m in current if m not in known]
            changes += [_member(m, removed=True) for m in sorted(known) if m not in current]
            if changes or before is None:
                units.append(({"id": gid}, changes))
        final = DeltaState(group_ids, snapshot, now, select)
        return DeltaRound(self._paginate(units), final)

    def _paginate(
        self, units: Sequence[tuple[dict[str, Any], list[dict[str, Any]]]]
    ) -> list[list[dict[str, Any]]]:
        pages: list[list[dict[str, Any]]] = [[]]
        room = self.page_size
        for group, members in units:
            if not members:
                pages[-1].append(dict(group))
                continue
            rest = members
            while rest:
                if room == 0:
                    pages.append([])
                    room = self.page_size
                part, rest = rest[:room], rest[room:]
                pages[-1].append({**group, "members@delta": part})
                room -= len(part)
        return pages

    def remember_round(self, delta_round: DeltaRound) -> str:
        token = "RFNwdA" + secrets.token_urlsafe(24)
        self.rounds[token] = delta_round
        return token

    def issue_token(self, state: DeltaState) -> str:
        token = secrets.token_urlsafe(32)
        self.tokens[token] = state
        return token

    def expire_all(self) -> None:
        self.tokens.clear()


def _member(user_id: str, *, removed: bool = False) -> dict[str, Any]:
    entry: dict[str, Any] = {"@odata.type": "#microsoft.graph.user", "id": user_id}
    if removed:
        entry["@removed"] = {"reason": "deleted"}
    return entry
