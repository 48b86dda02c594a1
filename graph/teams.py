"""``GraphTeamMembers``: the domain's `copbot.directory.TeamMembers` on Microsoft Graph.

- one: ``POST /teams/{id}/members`` with an ``aadUserConversationMember`` (``user@odata.bind``,
  ``roles``): 201, also for someone already a member; it puts them in the group too
  (https://learn.microsoft.com/graph/api/team-post-members)
- many: ``POST /teams/{id}/members/add`` (up to 200 per request): 200 when all were added, 207
  with per-user ``actionResultPart`` errors otherwise
  (https://learn.microsoft.com/graph/api/conversationmembers-add)
Both need the application permission TeamMember.ReadWrite.All: without it Graph answers 403 and
this raises `PermissionMissing`, so the caller adds to the group instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from kiota_abstractions.api_error import APIError
from msgraph.generated.models.aad_user_conversation_member import AadUserConversationMember
from msgraph.generated.models.aad_user_conversation_member_result import (
    AadUserConversationMemberResult,
)
from msgraph.generated.models.conversation_member import ConversationMember
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.teams.item.members.add.add_post_request_body import AddPostRequestBody

from copbot.directory import (
    MAX_TEAM_BULK_ADD,
    TEAM_MEMBER_PERMISSION,
    AddOutcome,
    DirectoryError,
    UnknownTeam,
    UnknownUser,
)

from .calls import GraphCalls, error_code

log = structlog.get_logger(__name__)


class GraphTeamMembers(GraphCalls):
    async def add_to_team(self, team_id: str, user_id: str, *, owner: bool = False) -> AddOutcome:
        members = self._client.teams.by_team_id(team_id).members
        async with self.refusals("add a member to a team", TEAM_MEMBER_PERMISSION):
            try:
                await members.post(self._member(user_id, owner=owner))
            except APIError as exc:
                if exc.response_status_code == 404:
                    raise _not_found(exc, team_id, user_id) from exc
                raise
        log.info("graph.team_member_added", team_id=team_id, user_id=user_id)
        return AddOutcome.ADDED

    async def add_many_to_team(
        self, team_id: str, user_ids: Sequence[str]
    ) -> dict[str, AddOutcome | DirectoryError]:
        unique = list(dict.fromkeys(u for u in user_ids if u))
        outcomes: dict[str, AddOutcome | DirectoryError] = {}
        add = self._client.teams.by_team_id(team_id).members.add
        async with self.refusals("add members to a team", TEAM_MEMBER_PERMISSION):
            for start in range(0, len(unique), MAX_TEAM_BULK_ADD):
                chunk = unique[start : start + MAX_TEAM_BULK_ADD]
                body = AddPostRequestBody(values=[self._member(u) for u in chunk])
                try:
                    response = await add.post(body)
                except APIError as exc:
                    if exc.response_status_code == 404:
                        raise UnknownTeam(
                            f"Team {team_id} does not exist", status=404, code=error_code(exc)
                        ) from exc
                    raise
                answered = {
                    part.user_id: part
                    for part in (response.value if response and response.value else [])
                    if isinstance(part, AadUserConversationMemberResult) and part.user_id
                }
                for user_id in chunk:
                    outcomes[user_id] = _outcome(answered.get(user_id), team_id, user_id)
        failed = sum(1 for o in outcomes.values() if isinstance(o, DirectoryError))
        log.info(
            "graph.team_members_added",
            team_id=team_id,
            requested=len(unique),
            failed=failed,
        )
        return outcomes

    def _member(self, user_id: str, *, owner: bool = False) -> ConversationMember:
        return AadUserConversationMember(
            odata_type="#microsoft.graph.aadUserConversationMember",
            roles=["owner"] if owner else [],
            additional_data={"user@odata.bind": self.user_ref(user_id)},
        )


def _outcome(
    part: AadUserConversationMemberResult | None, team_id: str, user_id: str
) -> AddOutcome | DirectoryError:
    if part is None:
        return DirectoryError(f"Teams gave no result for {user_id} in team {team_id}")
    if part.error is None:
        return AddOutcome.ADDED
    code, message = part.error.code, part.error.message or ""
    if code == "NotFound":
        return UnknownUser(f"User {user_id} does not exist in the directory", code=code)
    return DirectoryError(
        f"Teams refused to add {user_id} to team {team_id} ({code}): {message}".rstrip(": "),
        code=code,
    )


def _not_found(exc: APIError, team_id: str, user_id: str) -> DirectoryError:
    """Graph names what is missing: "No team found with Group Id ..." or the user."""
    message = (exc.error.message or "") if isinstance(exc, ODataError) and exc.error else ""
    if team_id in message or "team" in message.lower():
        return UnknownTeam(f"Team {team_id} does not exist", status=404, code=error_code(exc))
    return UnknownUser(f"User {user_id} does not exist in the directory", status=404)


__all__ = ["GraphTeamMembers"]
